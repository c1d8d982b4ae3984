//! Writing a user's file whole or not at all: the new text goes to a temporary file beside it,
//! which then replaces it in one rename (through a symlink to its target, keeping its mode).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The file a write to `path` lands in: the target of a symlink, else `path` itself.
fn target(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// Replaces the file at `path` with `text` in one step, creating the directories it needs.
pub fn write(path: &Path, text: &str) -> io::Result<()> {
    write_bytes(path, text.as_bytes())
}

/// [`write`] for bytes that need not be UTF-8 (a user's script, as it was).
pub fn write_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let path = target(path);
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.handoff-{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        if let Ok(meta) = fs::metadata(&path) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        fs::rename(&tmp, &path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Deletes the file at `path`, then each directory above it that is left empty, up to (not
/// including) `base`.
pub fn remove(path: &Path, base: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d == base || !d.starts_with(base) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}
