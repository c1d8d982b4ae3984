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
        sub_page.contains("require\\-pass"),
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
