//! install.sh: installs the binary and the man page so `git handoff` and `git help handoff` work.

use crate::common::{bin, TestRepo};

#[test]
fn install_sh_installs_binary_and_man_page_and_is_safe_to_rerun() {
    let env = TestRepo::empty();
    let prefix = env.root.join("prefix");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/install.sh");
    for round in 0..2 {
        let output = env
            .command("bash", &env.root)
            .args([
                script,
                "--prefix",
                prefix.to_str().expect("utf-8"),
                "--binary",
                bin(),
            ])
            .output()
            .expect("run install.sh");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "round {round}: {stdout}\n{stderr}");
        assert_eq!(
            stdout.lines().count(),
            3,
            "a three-line first use on stdout: {stdout}"
        );
        assert!(
            stderr.contains("is not on PATH"),
            "warns when the bin dir is not on PATH: {stderr}"
        );
        assert!(
            stderr.contains("# Try git-handoff"),
            "shows the tool working: {stderr}"
        );
    }
    let sub_page = std::fs::read_to_string(prefix.join("share/man/man1/git-handoff-check.1"))
        .expect("a page per command");
    assert!(
        sub_page.contains("require\\-validation"),
        "the command's own options are documented"
    );
    let page =
        std::fs::read_to_string(prefix.join("share/man/man1/git-handoff.1")).expect("man page");
    assert!(
        page.starts_with(".ie") || page.contains(".TH"),
        "a roff page: {}",
        &page[..80.min(page.len())]
    );
    let path = format!(
        "{}:{}",
        prefix.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let version = env
        .command("git", &env.root)
        .env("PATH", &path)
        .args(["handoff", "--version"])
        .output()
        .expect("git");
    assert!(
        String::from_utf8_lossy(&version.stdout).starts_with("git-handoff "),
        "git finds the extension on PATH"
    );
    let bad = env
        .command("bash", &env.root)
        .args([script, "--frobnicate"])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn install_sh_finds_the_binary_where_cargo_target_dir_puts_it() {
    let env = TestRepo::empty();
    let prefix = env.root.join("prefix");
    let tools = env.root.join("tools");
    std::fs::create_dir_all(&tools).expect("tools dir");
    // A stand-in for cargo that "builds" by copying the binary under test where cargo would
    // put it: $CARGO_TARGET_DIR/release, or $CARGO_TARGET_DIR/<triple>/release with --target.
    let fake = tools.join("cargo");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\ndir=\"$CARGO_TARGET_DIR/release\"\nwhile [ $# -gt 0 ]; do [ \"$1\" = --target ] && dir=\"$CARGO_TARGET_DIR/$2/release\"; shift; done\ncase \"$dir\" in */x86_64-unknown-linux-gnu/*) case \"$CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS\" in *+crt-static*) ;; *) echo 'no static flag' >&2; exit 1 ;; esac ;; esac\nmkdir -p \"$dir\" && cp '{}' \"$dir/git-handoff\"\n",
            bin()
        ),
    )
    .expect("write fake cargo");
    // And for rustc: on a Linux host with glibc, install.sh links statically (`--target` given).
    let rustc = tools.join("rustc");
    std::fs::write(&rustc, "#!/bin/sh\necho 'host: x86_64-unknown-linux-gnu'\n")
        .expect("write fake rustc");
    for tool in [&fake, &rustc] {
        std::process::Command::new("chmod")
            .args(["+x", tool.to_str().expect("utf-8")])
            .status()
            .expect("chmod");
    }
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/install.sh");
    let target = env.root.join("elsewhere");
    let path = format!(
        "{}:{}",
        tools.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let output = env
        .command("bash", &env.root)
        .env("PATH", &path)
        .env("CARGO_TARGET_DIR", &target)
        .env("PREFIX", &prefix)
        .arg(script)
        .output()
        .expect("run install.sh");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "install.sh honours CARGO_TARGET_DIR: {stderr}"
    );
    assert!(
        prefix.join("bin/git-handoff").exists(),
        "installed under PREFIX: {stderr}"
    );
    assert!(
        target
            .join("x86_64-unknown-linux-gnu/release/git-handoff")
            .exists(),
        "the static build, under the host triple: {stderr}"
    );
    let built = env
        .command("bash", &env.root)
        .env("PATH", &path)
        .env("CARGO_TARGET_DIR", &target)
        .args([script, "--build-only"])
        .output()
        .expect("run install.sh --build-only");
    assert_eq!(
        String::from_utf8_lossy(&built.stdout).trim_end(),
        target
            .join("x86_64-unknown-linux-gnu/release/git-handoff")
            .display()
            .to_string(),
        "--build-only prints the binary's path and nothing else"
    );
}

#[test]
fn the_man_page_synopsis_names_every_value() {
    let repo = crate::common::TestRepo::empty();
    let page = repo.handoff(&["man"]);
    assert!(
        page.ok()
            .contains("[\\-C <PATH>] [\\-q|\\-\\-quiet] [\\-\\-format <FORMAT>]"),
        "{page:?}"
    );
    assert!(
        !page.stdout.contains("git\\-handoff\\-hook(1)"),
        "the hook step is internal"
    );
    assert!(
        !page.stdout.contains("git\\-handoff\\-help(1)"),
        "no page for help"
    );
}
