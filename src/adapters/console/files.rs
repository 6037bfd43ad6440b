//! Attachments the console saves: a terminal cannot show a chart or hand
//! over an export, so each one is written into a folder beside the SQLite
//! file that only its owner can open (0700, files 0600), and the console
//! prints where. A store in memory keeps nothing on disk, so nothing is
//! saved then.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::domain::Attachment;
use crate::prompts::{Catalog, Key};

/// The console's line for an attachment: saved into `folder` (when set)
/// and where, else what came with the message.
pub fn show(
    catalog: &Catalog,
    folder: Option<&Path>,
    reader: &str,
    attachment: &Attachment,
) -> String {
    let name = attachment.filename.as_str();
    match folder.map(|folder| save(folder, reader, attachment)) {
        Some(Ok(path)) => catalog.render(
            Key::ConsoleAttachmentSaved,
            &[("name", name), ("path", &path.display().to_string())],
        ),
        Some(Err(error)) => {
            tracing::warn!(error.cause_chain = ?error, "cannot save an attachment");
            catalog.render(Key::ConsoleAttachmentNotSaved, &[("name", name)])
        }
        None => {
            let key = if attachment.mime_type.starts_with("image/") {
                Key::ConsoleAttachment
            } else {
                Key::ConsoleAttachmentFile
            };
            let size = attachment.bytes.len().to_string();
            catalog.render(key, &[("name", name), ("bytes", &size)])
        }
    }
}

/// The folder attachments go to: `attachments/` beside the SQLite file.
pub fn folder_beside(database: &Path) -> PathBuf {
    match database.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join("attachments"),
        _ => PathBuf::from("attachments"),
    }
}

/// Writes `attachment` for `reader` into `folder` under a name that does
/// not overwrite an earlier one; returns the file's path.
pub fn save(folder: &Path, reader: &str, attachment: &Attachment) -> anyhow::Result<PathBuf> {
    create_private_folder(folder)?;
    let name = safe_name(&format!("{reader}-{}", attachment.filename));
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) => (stem.to_owned(), format!(".{extension}")),
        None => (name.clone(), String::new()),
    };
    for count in 1..1000 {
        let file_name = match count {
            1 => format!("{stem}{extension}"),
            n => format!("{stem}-{n}{extension}"),
        };
        let path = folder.join(file_name);
        match private_file(&path) {
            Ok(mut file) => {
                file.write_all(&attachment.bytes)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                return Ok(path);
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => {
                return Err(error).with_context(|| format!("cannot create {}", path.display()));
            }
        }
    }
    anyhow::bail!("too many attachments named {name} in {}", folder.display())
}

/// Letters, digits, `-`, `_` and `.` only: a filename a message chose
/// cannot climb out of the folder.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    cleaned.trim_start_matches('.').to_owned()
}

#[cfg(unix)]
fn create_private_folder(folder: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    fs::set_permissions(folder, fs::Permissions::from_mode(0o700))
        .with_context(|| format!("cannot make {} private", folder.display()))
}

#[cfg(not(unix))]
fn create_private_folder(folder: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(folder).with_context(|| format!("cannot create {}", folder.display()))
}

fn private_file(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_the_folder_and_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let attachment = Attachment {
            filename: "../../etc/passwd".into(),
            mime_type: "text/plain".into(),
            bytes: b"x".to_vec(),
        };
        let first = save(dir.path(), "ana", &attachment).unwrap();
        let second = save(dir.path(), "ana", &attachment).unwrap();
        assert_eq!(first.parent(), Some(dir.path()));
        assert_ne!(first, second);
        assert_eq!(fs::read(&second).unwrap(), b"x");
    }
}
