//! The templates: Tera files in `templates/`, compiled into the binary and overridable by a folder of
//! the user's own (`--template DIR`: a file there replaces the built-in file of the same name, and
//! may add new partials). A template renders the format-neutral document markup (see
//! [`crate::compose::markup`]), never WordprocessingML, so one template drives both the DOCX and the PDF.

use crate::error::Error;
use crate::compose::inline;
use crate::plan::model::Ngay;
use crate::regime::vn;
use std::path::Path;
use tera::{Context, ErrorKind, Kwargs, State, Tera, Value};

/// The template every plan starts from.
pub const MAIN: &str = "ke-hoach.xml";

/// The built-in templates: (name, what it holds, source).
pub const BUILTIN: &[(&str, &str, &str)] = &[
    (MAIN, "toàn bộ kế hoạch (gọi các phần dưới đây)", include_str!("../../templates/ke-hoach.xml")),
    ("dau-van-ban.xml", "phần đầu: cơ quan, quốc hiệu/tiêu đề, số, ngày, tên loại, trích yếu", include_str!("../../templates/dau-van-ban.xml")),
    ("noi-dung.xml", "căn cứ, mở đầu, các mục, nhiệm vụ, kết thúc", include_str!("../../templates/noi-dung.xml")),
    ("khoi.xml", "các khối của một phần nội dung: mục, đoạn văn, dòng nhiệm vụ, bảng nhiệm vụ", include_str!("../../templates/khoi.xml")),
    ("chu-ky.xml", "nơi nhận và chữ ký", include_str!("../../templates/chu-ky.xml")),
    ("phu-luc.xml", "các phụ lục: mỗi phụ lục một phần riêng, trang mới, số trang từ 1", include_str!("../../templates/phu-luc.xml")),
];

/// The largest template file read from `--template DIR` (the built-in ones are 2 to 12 KB).
pub const MAX_TEMPLATE_BYTES: usize = 1024 * 1024;

/// A loaded set of templates, ready to render plans.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// The built-in templates, with the files of `dir` (if any) replacing or adding to them.
    pub fn load(dir: Option<&Path>) -> Result<Templates, Error> {
        let mut tera = Tera::new();
        tera.autoescape_on([".xml"]);
        register_filters(&mut tera);
        let mut sources: Vec<(String, String)> =
            BUILTIN.iter().map(|(n, _, s)| (n.to_string(), s.to_string())).collect();
        if let Some(dir) = dir {
            let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir.display(), crate::plan::load::vn_io(&e)))?;
            let mut found = 0;
            for entry in entries {
                let entry = entry.map_err(|e| Error::io(dir.display(), crate::plan::load::vn_io(&e)))?;
                let path = entry.path();
                if path.extension().and_then(|e| e.to_str()) != Some("xml") {
                    continue;
                }
                let name = entry.file_name().to_string_lossy().to_string();
                let bytes = crate::input::read_file(&path, MAX_TEMPLATE_BYTES, "tệp mẫu")?;
                let src = crate::input::decode(bytes, &path.display().to_string())?;
                found += 1;
                match sources.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = src,
                    None => sources.push((name, src)),
                }
            }
            if found == 0 {
                return Err(Error::io(dir.display(), "thư mục không có tệp mẫu .xml nào"));
            }
        }
        // All at once: templates include each other, so they are checked together.
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str()))).map_err(tera_error)?;
        for (name, src) in &sources {
            check_names(name, src)?;
        }
        Ok(Templates { tera })
    }

    /// Renders the main template with `context`.
    pub fn render(&self, context: &Context) -> Result<String, Error> {
        self.tera.render(MAIN, context).map_err(tera_error)
    }
}

fn register_filters(tera: &mut Tera) {
    // Text with `*italic*` / `**bold**` → escaped markup with <i>/<b>.
    tera.register_filter("inline", |s: &str, _: Kwargs, _: &State| Value::safe_string(&inline::to_markup(s)));
    register_text_filters(tera);
}

/// The filters that give plain text (also offered to the expressions in a batch's plan text).
pub(crate) fn register_text_filters(tera: &mut Tera) {
    // "2022-01-20" → "ngày 20 tháng 01 năm 2022"
    tera.register_filter("ngay", |s: &str, _: Kwargs, _: &State| -> tera::TeraResult<String> {
        Ngay::parse(s).map(|d| vn::ngay_thang_nam(&d)).map_err(tera::Error::message)
    });
    tera.register_filter("roman", |n: i64, _: Kwargs, _: &State| vn::roman(n.max(0) as u32));
    tera.register_filter("chu_cai", |n: i64, _: Kwargs, _: &State| vn::diem_letter(n.max(0) as u32));
    tera.register_filter("hoa", |s: &str, _: Kwargs, _: &State| vn::upper(s));
}

/// Checks the literal style and layout names a template writes (`style="body"`) against the
/// profiles, so a misspelt name is reported at its own file, line and column rather than in the
/// rendered output. Names built from expressions (`style="{{ b.style }}"`) are checked when the
/// markup is read.
fn check_names(file: &str, src: &str) -> Result<(), Error> {
    use crate::plan::model::Regime;
    use crate::regime::Profile;
    for (attr, what) in [("style=\"", "kiểu"), ("layout=\"", "bố cục bảng")] {
        let mut from = 0;
        while let Some(i) = src[from..].find(attr) {
            let start = from + i + attr.len();
            let Some(len) = src[start..].find('"') else { break };
            let name = &src[start..start + len];
            from = start + len;
            // Expressions, and prose such as `style="…"` in a comment, are not names.
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let known = Regime::ALL.iter().any(|r| {
                let p = Profile::for_regime(*r);
                if what == "kiểu" { p.style(name).is_some() } else { p.table(name).is_some() }
            });
            if !known {
                let line = src[..start].matches('\n').count() + 1;
                let column = start - src[..start].rfind('\n').map_or(0, |n| n + 1) + 1;
                return Err(Error::Template {
                    file: file.to_string(),
                    line: Some(line),
                    column: Some(column),
                    message: format!("{what} `{name}` không có trong hồ sơ thể thức nào (xem src/regime/)"),
                });
            }
        }
    }
    Ok(())
}

/// Turns a Tera error into ours, keeping the file, line and column it reports.
fn tera_error(e: tera::Error) -> Error {
    let (file, span, message) = match e.kind() {
        ErrorKind::SyntaxError(r) => {
            (r.filename().to_string(), Some(r.span().clone()), format!("sai cú pháp mẫu (Tera: {})", r.message()))
        }
        ErrorKind::RenderingError(r) => {
            (r.filename().to_string(), Some(r.span().clone()), format!("lỗi khi điền mẫu (Tera: {})", r.message()))
        }
        ErrorKind::TemplateNotFound(name) => (MAIN.to_string(), None, format!("không tìm thấy mẫu `{name}`")),
        other => (MAIN.to_string(), None, other.to_string()),
    };
    let mut message = message;
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::Template {
        file,
        line: span.as_ref().map(|s| s.start_line),
        column: span.as_ref().map(|s| s.start_col + 1),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_load() {
        Templates::load(None).unwrap();
    }

    #[test]
    fn helper_filters_work_in_user_templates() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("ke-hoach.xml"),
            "{{ \"2022-02-05\" | ngay }}|{{ \"2026-05-27\" | ngay }}|{{ 4 | roman }}|{{ 14 | roman }}|{{ 5 | chu_cai }}|{{ \"đảng ủy\" | hoa }}|{{ \"a *b* <c>\" | inline }}",
        )
        .unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        let out = t.render(&Context::new()).unwrap();
        assert_eq!(out, "ngày 05 tháng 02 năm 2022|ngày 27 tháng 5 năm 2026|IV|XIV|đ|ĐẢNG ỦY|a <i>b</i> &lt;c&gt;");
        std::fs::write(dir.path().join("ke-hoach.xml"), "{{ \"2022-02-30\" | ngay }}").unwrap();
        let e = Templates::load(Some(dir.path())).unwrap().render(&Context::new()).unwrap_err().to_string();
        assert!(e.contains("ke-hoach.xml") && e.contains("không tồn tại"), "{e}");
    }

    #[test]
    fn misspelt_style_names_are_caught_at_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("chu-ky.xml"), "<table layout=\"chu_ky\">\n  <row><cell><p style=\"ho_tem\">x</p></cell></row>\n</table>\n").unwrap();
        let e = Templates::load(Some(dir.path())).err().expect("unknown style").to_string();
        assert!(e.contains("chu-ky.xml") && e.contains("dòng 2, cột 24") && e.contains("ho_tem"), "{e}");
        std::fs::write(dir.path().join("chu-ky.xml"), "<table layout=\"chu_kyy\">\n</table>\n").unwrap();
        let e = Templates::load(Some(dir.path())).err().expect("unknown layout").to_string();
        assert!(e.contains("dòng 1") && e.contains("chu_kyy"), "{e}");
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("chu-ky.xml"), "<p style=\"x\">\n  {{ v.khong_co | hoa }}\n{% if %}\n").unwrap();
        let e = Templates::load(Some(dir.path())).err().expect("syntax error").to_string();
        assert!(e.contains("chu-ky.xml") && e.contains("dòng 3"), "{e}");

        std::fs::write(dir.path().join("chu-ky.xml"), "<p style=\"body\">\n  {{ v.khong_co.x }}</p>\n").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        let mut ctx = Context::new();
        ctx.insert("v", &serde_json::json!({"a": 1}));
        // Render the partial directly through the main template's include.
        let e = t.render(&ctx).unwrap_err().to_string();
        assert!(e.contains("mẫu `") && e.contains("dòng"), "{e}");
    }
}
