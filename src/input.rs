//! Reading what the user hands us (a plan, a units file, templates, fonts, standard input) within
//! limits: never more than a limit's worth of bytes from any file or stream, and only from a
//! regular file, a named pipe (FIFO) or standard input. A folder, a device (`/dev/zero`,
//! `/dev/urandom`), a socket, or a symbolic link to one of them is refused by name before a byte is
//! read, so nothing can make the reader run forever or fill the memory.
//!
//! Text is UTF-8, with or without a byte-order mark, or UTF-16 with its byte-order mark (what
//! Windows PowerShell 5.1 writes for `kehoach new > ke-hoach.json`). Anything else gets a message
//! that says where the first bad byte is and how to save the file as UTF-8 in Notepad, Word or
//! Excel.

use crate::error::Error;
use crate::plan::load::vn_io;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// What a path is, in words, when it is not something we read.
fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return None;
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("một thiết bị (như /dev/zero), không phải tệp");
        }
        if t.is_socket() {
            return Some("một socket, không phải tệp");
        }
    }
    if t.is_dir() {
        return Some("một thư mục, không phải tệp");
    }
    Some("không phải tệp thông thường")
}

/// Opens `path` for reading if it is a regular file or a named pipe (a symbolic link is followed
/// to what it points at, which must be one of those).
pub fn open(path: &Path) -> Result<File, Error> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| Error::io(&shown, vn_io(&e)))?;
    if let Some(what) = not_a_file(&meta) {
        return Err(Error::io(&shown, what));
    }
    let file = File::open(path).map_err(|e| Error::io(&shown, vn_io(&e)))?;
    // What was opened, not what the name pointed at a moment before.
    let meta = file.metadata().map_err(|e| Error::io(&shown, vn_io(&e)))?;
    if let Some(what) = not_a_file(&meta) {
        return Err(Error::io(&shown, what));
    }
    Ok(file)
}

/// "8 MB", "256 KB": a limit as the messages give it.
pub fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MB", bytes / (1024 * 1024))
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} byte")
    }
}

/// Reads everything from `r`, but at most `limit` bytes: more is the error "`what` quá lớn".
pub fn read_to_limit(r: impl Read, limit: usize, name: &str, what: &str) -> Result<Vec<u8>, Error> {
    let bytes = read_upto(r, limit, name)?;
    if bytes.len() > limit {
        return Err(too_big(name, limit, what));
    }
    Ok(bytes)
}

/// At most `limit + 1` bytes of `r` (one more than the limit tells that there was more).
fn read_upto(r: impl Read, limit: usize, name: &str) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    r.take(limit as u64 + 1).read_to_end(&mut bytes).map_err(|e| Error::io(name, vn_io(&e)))?;
    Ok(bytes)
}

/// Reads the file at `path` (a regular file or a named pipe), at most `limit` bytes.
pub fn read_file(path: &Path, limit: usize, what: &str) -> Result<Vec<u8>, Error> {
    let file = open(path)?;
    read_to_limit(file, limit, &path.display().to_string(), what)
}

/// The name standard input goes by in messages.
pub const STDIN: &str = "(đầu vào chuẩn)";

/// Reads a text file, or standard input for "-": at most `limit` bytes of UTF-8 (twice that for a
/// UTF-16 file, whose text is checked against `limit` once decoded).
pub fn read_text(path: &str, limit: usize, what: &str) -> Result<String, Error> {
    let (reader, name): (Box<dyn Read>, String) = if path == "-" {
        (Box::new(std::io::stdin().lock()), STDIN.to_string())
    } else {
        (Box::new(open(Path::new(path))?), path.to_string())
    };
    let mut reader = std::io::BufReader::new(reader);
    let head = {
        use std::io::BufRead;
        let buf = reader.fill_buf().map_err(|e| Error::io(&name, vn_io(&e)))?;
        buf.len() >= 2 && (buf.starts_with(b"\xFF\xFE") || buf.starts_with(b"\xFE\xFF"))
    };
    // Room for the byte-order mark, and for UTF-16's two bytes a character.
    let raw_limit = if head { 2 * limit + 2 } else { limit + 3 };
    let bytes = read_upto(reader, raw_limit, &name)?;
    if bytes.len() > raw_limit {
        return Err(too_big(&name, limit, what));
    }
    let text = decode(bytes, &name)?;
    if text.len() > limit {
        return Err(too_big(&name, limit, what));
    }
    Ok(text)
}

fn too_big(name: &str, limit: usize, what: &str) -> Error {
    Error::io(name, format!("{what} quá lớn (hơn {}; tối đa {})", size(limit), size(limit)))
}

/// How to save a file as UTF-8, for the messages about other encodings.
pub const SAVE_AS_UTF8: &str = "hãy lưu lại bằng UTF-8: trong Notepad chọn File › Save As, ô Encoding chọn UTF-8; trong Word chọn File › Save As › Plain Text (*.txt), rồi chọn Unicode (UTF-8); trong Excel chọn File › Save As › CSV UTF-8 (Comma delimited) (*.csv)";

/// Bytes → text: UTF-8 (a leading byte-order mark dropped), or UTF-16 LE or BE with its mark.
pub fn decode(bytes: Vec<u8>, name: &str) -> Result<String, Error> {
    let utf16 = |be: bool| -> Result<String, Error> {
        let body = &bytes[2..];
        if !body.len().is_multiple_of(2) {
            return Err(Error::io(name, format!("tệp mã UTF-16 bị cụt (số byte lẻ); {SAVE_AS_UTF8}")));
        }
        let units = body.chunks_exact(2).map(|c| if be { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| Error::io(name, format!("tệp mã UTF-16 có ký tự hỏng; {SAVE_AS_UTF8}")))
    };
    if bytes.starts_with(b"\xFF\xFE") {
        return utf16(false);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return utf16(true);
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let before = &bytes[..at];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
            // UTF-16 without its mark: every other byte of ASCII text is zero.
            let zeros = bytes.iter().take(200).filter(|b| **b == 0).count();
            let guess = if zeros * 3 > bytes.len().min(200) {
                "tệp có vẻ mã UTF-16 nhưng thiếu dấu BOM đầu tệp"
            } else {
                "có lẽ tệp được lưu bằng bảng mã cũ (Windows-1258, TCVN3/ABC hay VNI)"
            };
            Err(Error::Field {
                path: String::new(),
                message: format!(
                    "tệp `{name}` không phải văn bản UTF-8 (byte 0x{:02X} ở dòng {line}, cột {column}, byte thứ {at}): {guess}; {SAVE_AS_UTF8}",
                    bytes[at]
                ),
                line: None,
                column: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_a_mark_reads_as_text() {
        let text = "{\"trich_yeu\": \"Cải cách hành chính 𝐀\"}";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(le, "a").unwrap(), text);
        assert_eq!(decode(be, "a").unwrap(), text);
        assert_eq!(decode(format!("\u{feff}{text}").into_bytes(), "a").unwrap(), text);
    }

    #[test]
    fn other_encodings_say_where_and_how_to_save_as_utf8() {
        // "Hòa" in Windows-1258: o + combining grave (0xCC).
        let e = decode(b"{\n  \"a\": \"Ho\xCCa\"\n}".to_vec(), "k.json").unwrap_err().to_string();
        assert!(e.contains("`k.json` không phải văn bản UTF-8") && e.contains("dòng 2, cột 11"), "{e}");
        assert!(e.contains("Windows-1258") && e.contains("Notepad") && e.contains("Word") && e.contains("Excel"), "{e}");
        let no_bom: Vec<u8> = "{\"a\": 1}".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let e = decode([&no_bom[..], b"\xFF"].concat(), "k.json").unwrap_err().to_string();
        assert!(e.contains("UTF-16 nhưng thiếu dấu BOM"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused_before_reading() {
        let e = read_file(Path::new("/dev/zero"), 1024, "tệp").unwrap_err().to_string();
        assert!(e.contains("/dev/zero") && e.contains("thiết bị"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        let e = read_file(dir.path(), 1024, "tệp").unwrap_err().to_string();
        assert!(e.contains("thư mục"), "{e}");
        let link = dir.path().join("phong.ttf");
        std::os::unix::fs::symlink("/dev/urandom", &link).unwrap();
        assert!(read_file(&link, 1024, "tệp").unwrap_err().to_string().contains("thiết bị"));
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'a'; 2049]).unwrap();
        let e = read_file(&big, 2048, "tệp kế hoạch").unwrap_err().to_string();
        assert!(e.contains("tệp kế hoạch quá lớn (hơn 2 KB; tối đa 2 KB)"), "{e}");
        assert_eq!(read_file(&big, 4096, "tệp").unwrap().len(), 2049);
    }
}
