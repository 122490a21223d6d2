//! A PDF ready to sign and to archive, read by programs written by others: the signature field and
//! the signing boxes against the chức vụ and họ tên that pdfplumber reads from the page; `pdfsig`
//! (poppler) on the field; `qpdf --check`; Apache PDFBox Preflight on the PDF/A-1b files of every
//! sample, in one JVM run, with files it must reject (so that a pass means something). And the
//! command line: the options, their files, batch. Required in CI; skipped elsewhere when a tool is
//! missing.

mod common;
use common::*;
use kehoach::{Outputs, PdfOptions};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const ALL: PdfOptions = PdfOptions { signature_field: true, pdfa: true };

/// The PDF of a sample with `opts`, and its signing boxes.
fn render(name: &str, opts: PdfOptions) -> (Vec<u8>, kehoach::SignBoxes) {
    let r = kehoach::Engine::default()
        .render(&checked(sample(name)), &Outputs { pdf: Some(opts), sign_boxes: true, ..Outputs::default() })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (r.pdf.unwrap(), r.sign_boxes.unwrap())
}

fn plan_json(name: &str) -> Value {
    let mut p = repo().join("samples").join(name);
    if !p.exists() {
        p = repo().join("tests/fixtures").join(name);
    }
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn python() -> Option<PathBuf> {
    let py = require("python3 with pdfplumber", tool("KEHOACH_PYTHON", &["python3"]))?;
    if !Command::new(&py).args(["-c", "import pdfplumber"]).status().unwrap().success() {
        require("the pdfplumber Python package", None);
        return None;
    }
    Some(py)
}

/// pdfplumber's reading of `pdf` (and of the text inside the boxes of `boxes`).
fn inspect(py: &Path, pdf: &Path, boxes: &Path) -> Value {
    let o = Command::new(py).arg(repo().join("tests/pdf_inspect.py")).arg(pdf).arg(boxes).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn f(v: &Value, k: &str) -> f64 {
    v[k].as_f64().unwrap_or_else(|| panic!("{k} in {v}"))
}

#[test]
fn the_signature_field_lies_between_chuc_vu_and_ho_ten() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    for name in SAMPLES.iter().chain(FIXTURES) {
        let (pdf, boxes) = render(name, ALL);
        let pdf_path = dir.path().join("a.pdf");
        let boxes_path = dir.path().join("a.json");
        std::fs::write(&pdf_path, &pdf).unwrap();
        std::fs::write(&boxes_path, boxes.to_json()).unwrap();
        let v = inspect(&py, &pdf_path, &boxes_path);

        // The field, as pdfplumber reads it: one widget of a signature field.
        let annots = v["annots"].as_array().unwrap();
        assert_eq!(annots.len(), 1, "{name}: one annotation: {annots:?}");
        let a = &annots[0];
        assert_eq!((a["subtype"].as_str(), a["ft"].as_str(), a["t"].as_str()), (Some("Widget"), Some("Sig"), Some("chu_ky")), "{name}");
        let page = a["page"].as_u64().unwrap();

        // The chức vụ and the họ tên, found by their text (the plan's), on the field's page.
        let plan = plan_json(name);
        let nk = &plan["nguoi_ky"];
        let chuc_vu = match &nk["chuc_vu"] {
            Value::Array(a) => a.last().unwrap().as_str().unwrap().to_uppercase(),
            v => v.as_str().unwrap().to_uppercase(),
        };
        let ho_ten = nk["ho_ten"].as_str().unwrap();
        let lines = v["lines"].as_array().unwrap();
        let on_page = |text: &str| -> &Value {
            lines
                .iter()
                .rfind(|l| l["page"].as_u64() == Some(page) && l["text"].as_str() == Some(text))
                .unwrap_or_else(|| panic!("{name}: no line {text:?} on page {page}"))
        };
        let cv = on_page(&chuc_vu);
        let ht = on_page(ho_ten);
        let (top, bottom) = (f(a, "top"), f(a, "bottom"));
        // Below the chức vụ's descenders, above the họ tên's capitals, and ~3 cm high as left blank.
        assert!(top >= f(cv, "baseline") + 0.2 * f(cv, "size") - 0.5, "{name}: field top {top} vs chức vụ {cv}");
        assert!(bottom <= f(ht, "baseline") - 0.7 * f(ht, "size") + 0.5, "{name}: field bottom {bottom} vs họ tên {ht}");
        assert!(bottom - top > 56.0, "{name}: the signature area is {} pt high", bottom - top);
        // Across both lines, and nothing printed inside.
        for l in [cv, ht] {
            assert!(f(a, "x0") <= f(l, "x0") + 0.5 && f(a, "x1") >= f(l, "x1") - 0.5, "{name}: field {a} narrower than {l}");
        }
        let inside: Vec<&Value> = lines
            .iter()
            .filter(|l| {
                l["page"].as_u64() == Some(page)
                    && f(l, "baseline") > top + 1.0
                    && f(l, "baseline") < bottom - 1.0
                    && f(l, "x1") > f(a, "x0")
                    && f(l, "x0") < f(a, "x1")
            })
            .collect();
        assert!(inside.is_empty(), "{name}: text inside the signature area: {inside:?}");

        // The boxes file says the same, and the seal covers the left third of the signature.
        let h = boxes.trang[page as usize - 1].cao;
        let ck = boxes.chu_ky;
        assert_eq!(ck.trang as u64, page, "{name}");
        for (x, y) in [(ck.x0, f(a, "x0")), (ck.x1, f(a, "x1")), (h - ck.y1, top), (h - ck.y0, bottom)] {
            assert!((x - y).abs() < 0.02, "{name}: boxes {ck:?} vs field {a}");
        }
        let cd = boxes.con_dau;
        assert_eq!((cd.trang, cd.x0, cd.y0, cd.y1), (ck.trang, ck.x0, ck.y0, ck.y1), "{name}");
        assert!(((cd.x1 - cd.x0) * 3.0 - (ck.x1 - ck.x0)).abs() < 0.05, "{name}: seal {cd:?} is not the left third of {ck:?}");

        // Inside the boxes on page 1, as pdfplumber reads the page: the number and the date, or
        // nothing where they are blank.
        let in_boxes = v["in_boxes"].as_array().unwrap();
        let text_in = |key: &str| in_boxes.iter().find(|b| b["box"] == key).unwrap_or_else(|| panic!("{name}: box {key}"))["text"].as_str().unwrap().to_string();
        assert_eq!(text_in("chu_ky"), "", "{name}");
        match plan["so"].as_u64() {
            Some(n) => {
                assert!(!boxes.so.trong && boxes.so.cho_trong.is_empty(), "{name}: {:?}", boxes.so);
                assert_eq!(text_in("so"), format!("{n:02}"), "{name}");
            }
            None => {
                assert!(boxes.so.trong, "{name}");
                assert_eq!(text_in("so.so").trim(), "", "{name}");
            }
        }
        let date = plan["ngay"].as_str().unwrap_or("");
        assert_eq!(boxes.ngay.trong, date.len() < 10, "{name}: {:?}", boxes.ngay);
        assert_eq!(text_in("ngay"), boxes.ngay.van_ban, "{name}");
        for b in &boxes.ngay.cho_trong {
            assert_eq!(text_in(&format!("ngay.{}", b.phan)).trim(), "", "{name}: blank {} holds text", b.phan);
        }
        if date.len() == 4 {
            let parts: Vec<&str> = boxes.ngay.cho_trong.iter().map(|b| b.phan).collect();
            assert_eq!(parts, ["ngay", "thang"], "{name}");
        }
    }
}

#[test]
fn pdfsig_lists_one_unsigned_field_and_qpdf_passes() {
    let Some(pdfsig) = require("pdfsig (poppler-utils)", tool("PDFSIG", &["pdfsig"])) else { return };
    let Some(qpdf) = require("qpdf", tool("QPDF", &["qpdf"])) else { return };
    let dir = tempfile::tempdir().unwrap();
    for name in SAMPLES.iter().chain(FIXTURES) {
        for opts in [PdfOptions { signature_field: true, pdfa: false }, ALL] {
            let path = dir.path().join("a.pdf");
            std::fs::write(&path, render(name, opts).0).unwrap();
            let o = Command::new(&pdfsig).arg(&path).output().unwrap();
            let out = String::from_utf8_lossy(&o.stdout);
            assert_eq!(out.matches("Signature #").count(), 1, "{name} {opts:?}: {out}");
            assert!(out.contains("Signature Field Name: chu_ky"), "{name}: {out}");
            assert!(out.contains("not signed"), "{name}: {out}");
            let q = Command::new(&qpdf).arg("--check").arg(&path).output().unwrap();
            assert!(q.status.success(), "{name} {opts:?}: {}", String::from_utf8_lossy(&q.stdout));
        }
        // Without the option there is no field.
        let path = dir.path().join("b.pdf");
        std::fs::write(&path, render(name, PdfOptions { signature_field: false, pdfa: true }).0).unwrap();
        let o = Command::new(&pdfsig).arg(&path).output().unwrap();
        let out = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
        assert!(!out.contains("Signature #"), "{name}: {out}");
    }
}

/// Apache PDFBox Preflight (Debian's libpdfbox2-java): the classpath, when it is installed.
fn preflight() -> Option<(PathBuf, String)> {
    let java = require("java (default-jre-headless)", tool("JAVA", &["java"]))?;
    let dir = PathBuf::from(std::env::var("PDFBOX_JAVA_DIR").unwrap_or_else(|_| "/usr/share/java".into()));
    let jars = ["preflight.jar", "pdfbox2.jar", "fontbox2.jar", "xmpbox.jar", "commons-logging.jar", "javax.activation.jar", "jaxb-api.jar"];
    let missing: Vec<&str> = jars.iter().copied().filter(|j| !dir.join(j).exists()).collect();
    if !missing.is_empty() {
        require(&format!("Apache PDFBox Preflight ({} in {})", missing.join(", "), dir.display()), None);
        return None;
    }
    let cp: Vec<String> = jars.iter().map(|j| dir.join(j).display().to_string()).collect();
    Some((java, cp.join(":")))
}

/// Preflight's verdict on one file: its name, valid or not, the error codes with their details, and
/// the milliseconds it took.
type Verdict = (String, bool, Vec<String>, u64);

/// Preflight's verdict on each file, in one JVM run (its "group" mode).
fn validate(files: &[PathBuf]) -> Option<Vec<Verdict>> {
    let (java, cp) = preflight()?;
    let dir = files[0].parent().unwrap();
    let list = dir.join("files.txt");
    std::fs::write(&list, files.iter().map(|f| format!("{}\n", f.display())).collect::<String>()).unwrap();
    let started = std::time::Instant::now();
    let o = Command::new(&java)
        .args(["-cp", &cp, "org.apache.pdfbox.preflight.Validator_A1b", "xml", "group"])
        .arg(&list)
        .output()
        .unwrap();
    assert!(o.status.success(), "Preflight: {}", String::from_utf8_lossy(&o.stderr));
    eprintln!("Preflight: {} files in one JVM run, {:.1} s in all", files.len(), started.elapsed().as_secs_f64());
    let xml = std::fs::read_to_string(dir.join("files.txt.preflight.xml")).expect("Preflight's report");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let text = |n: roxmltree::Node, tag: &str| n.children().find(|c| c.has_tag_name(tag)).and_then(|c| c.text()).unwrap_or("").to_string();
    let out: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("preflight"))
        .map(|p| {
            let errors: Vec<String> = p
                .descendants()
                .filter(|n| n.has_tag_name("error"))
                .map(|e| format!("{} {}", text(e, "code"), text(e, "details")))
                .collect();
            (p.attribute("name").unwrap_or("").to_string(), text(p, "isValid") == "true", errors, text(p, "executionTimeMS").parse().unwrap_or(0))
        })
        .collect();
    assert_eq!(out.len(), files.len(), "one verdict per file: {xml}");
    Some(out)
}

/// A copy of `pdf` changed by `edit` (through lopdf, as another program would).
fn altered(pdf: &[u8], edit: impl FnOnce(&mut lopdf::Document)) -> Vec<u8> {
    let mut doc = lopdf::Document::load_mem(pdf).unwrap();
    edit(&mut doc);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// The CIDFont dictionaries (inside their Type0 fonts) of a document, by the Type0 font's id.
fn cid_fonts(doc: &lopdf::Document) -> Vec<lopdf::ObjectId> {
    doc.objects
        .iter()
        .filter(|(_, o)| o.as_dict().is_ok_and(|d| d.get(b"Subtype").and_then(lopdf::Object::as_name).is_ok_and(|n| n == b"Type0")))
        .map(|(id, _)| *id)
        .collect()
}

fn with_cid_font(doc: &mut lopdf::Document, edit: impl FnOnce(&mut lopdf::Dictionary)) {
    let id = cid_fonts(doc)[0];
    let font = doc.get_dictionary_mut(id).unwrap();
    let Ok(lopdf::Object::Array(d)) = font.get_mut(b"DescendantFonts") else { panic!("DescendantFonts") };
    let lopdf::Object::Dictionary(cid) = &mut d[0] else { panic!("a direct CIDFont") };
    edit(cid);
}

#[test]
fn preflight_passes_every_sample_as_pdfa_and_rejects_what_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut put = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        files.push(p);
    };
    for name in SAMPLES.iter().chain(FIXTURES) {
        let (pdf, _) = render(name, PdfOptions { signature_field: false, pdfa: true });
        put(&name.replace(".json", ".pdf"), &pdf);
        put(&name.replace(".json", "-ky.pdf"), &render(name, ALL).0);
    }
    // What Preflight must reject, each for its own reason.
    let (good, _) = render("seed-002.json", PdfOptions { signature_field: false, pdfa: true });
    let guards: Vec<(&str, Vec<u8>, &str)> = vec![
        // Our ordinary PDF: no PDF/A metadata, no output intent, no CIDSet.
        ("x-thuong.pdf", kehoach::Engine::default().pdf(&checked(sample("seed-002.json"))).unwrap(), "7.1"),
        // A width off by 50 units from the font program's.
        (
            "x-be-rong.pdf",
            altered(&good, |d| {
                with_cid_font(d, |cid| {
                    let Ok(lopdf::Object::Array(w)) = cid.get_mut(b"W") else { panic!("W") };
                    let lopdf::Object::Array(ws) = &mut w[1] else { panic!("W run") };
                    ws[3] = lopdf::Object::Integer(ws[3].as_float().unwrap() as i64 + 50);
                })
            }),
            "3.1",
        ),
        // The CIDSet removed from a subset font.
        (
            "x-cidset.pdf",
            altered(&good, |d| {
                for (_, o) in d.objects.iter_mut() {
                    if let Ok(dict) = o.as_dict_mut()
                        && dict.has_type(b"FontDescriptor")
                    {
                        dict.remove(b"CIDSet");
                    }
                }
            }),
            "3.1.11",
        ),
        // The XMP title no longer the information dictionary's.
        (
            "x-xmp.pdf",
            altered(&good, |d| {
                let id = d.catalog().unwrap().get(b"Metadata").unwrap().as_reference().unwrap();
                let s = d.get_object_mut(id).unwrap().as_stream_mut().unwrap();
                let xmp = String::from_utf8(s.content.clone()).unwrap().replace("<rdf:li xml:lang=\"x-default\">Phát động", "<rdf:li xml:lang=\"x-default\">Khác");
                s.set_content(xmp.into_bytes());
            }),
            "7.",
        ),
    ];
    for (name, bytes, _) in &guards {
        put(name, bytes);
    }
    let Some(verdicts) = validate(&files) else { return };
    let mut times = Vec::new();
    for (file, valid, errors, ms) in &verdicts {
        match guards.iter().find(|g| g.0 == file) {
            None => {
                assert!(valid, "{file}: not valid PDF/A-1b:\n  {}", errors.join("\n  "));
                times.push(*ms);
                eprintln!("  {file}: PDF/A-1b valid ({ms} ms)");
            }
            Some((_, _, code)) => {
                assert!(!valid, "{file}: Preflight accepted a file it must reject");
                assert!(errors.iter().any(|e| e.starts_with(code)), "{file}: rejected, but not for {code}: {errors:?}");
                eprintln!("  {file}: rejected as it must be ({})", errors.iter().find(|e| e.starts_with(code)).unwrap());
            }
        }
    }
    assert_eq!(times.len(), 2 * (SAMPLES.len() + FIXTURES.len()));
}

#[test]
fn widths_are_the_embedded_programs_own() {
    // Checked here too, independently of Preflight: every width of every font of every PDF/A file
    // is the advance of that glyph in the embedded font program, in thousandths of an em.
    for name in SAMPLES.iter().chain(FIXTURES) {
        let (pdf, _) = render(name, ALL);
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let fonts = cid_fonts(&doc);
        assert!(!fonts.is_empty(), "{name}");
        for id in fonts {
            let font = doc.get_dictionary(id).unwrap();
            let lopdf::Object::Dictionary(cid) = &font.get(b"DescendantFonts").unwrap().as_array().unwrap()[0] else { panic!() };
            let desc = doc.get_dictionary(cid.get(b"FontDescriptor").unwrap().as_reference().unwrap()).unwrap();
            assert_eq!(cid.get(b"BaseFont").unwrap().as_name().unwrap(), desc.get(b"FontName").unwrap().as_name().unwrap(), "{name}");
            let program = doc.get_object(desc.get(b"FontFile2").unwrap().as_reference().unwrap()).unwrap().as_stream().unwrap();
            let bytes = program.decompressed_content().unwrap();
            let face = ttf_parser::Face::parse(&bytes, 0).unwrap();
            let w = cid.get(b"W").unwrap().as_array().unwrap();
            let (mut cid_no, mut checked) = (0u16, 0);
            for item in w {
                match item {
                    lopdf::Object::Integer(n) => cid_no = *n as u16,
                    lopdf::Object::Array(ws) => {
                        for width in ws {
                            let want = face.glyph_hor_advance(ttf_parser::GlyphId(cid_no)).unwrap() as f32 * 1000.0 / face.units_per_em() as f32;
                            assert!((width.as_float().unwrap() - want).abs() < 0.01, "{name}: glyph {cid_no}: {width:?} vs {want}");
                            cid_no += 1;
                            checked += 1;
                        }
                    }
                    other => panic!("{name}: unexpected {other:?} in W"),
                }
            }
            assert_eq!(checked, face.number_of_glyphs(), "{name}: every glyph has its width");
            let set = doc.get_object(desc.get(b"CIDSet").unwrap().as_reference().unwrap()).unwrap().as_stream().unwrap();
            let set = set.decompressed_content().unwrap_or_else(|_| set.content.clone());
            let n = face.number_of_glyphs() as usize;
            assert_eq!(set.len(), n.div_ceil(8), "{name}");
            assert!((0..n).all(|g| set[g / 8] & (0x80 >> (g % 8)) != 0), "{name}: CIDSet lists every glyph");
        }
    }
}

#[test]
fn pdfa_metadata_repeats_the_information() {
    let (pdf, _) = render("seed-002.json", PdfOptions { signature_field: false, pdfa: true });
    assert!(pdf.starts_with(b"%PDF-1.4\n"));
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let info = doc.get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap()).unwrap();
    let date = info.get(b"CreationDate").unwrap().as_str().unwrap();
    assert_eq!(date, b"D:20220120000000+07'00'", "the plan's date");
    assert_eq!(info.get(b"ModDate").unwrap().as_str().unwrap(), date);
    let id = doc.catalog().unwrap().get(b"Metadata").unwrap().as_reference().unwrap();
    let meta = doc.get_object(id).unwrap().as_stream().unwrap();
    assert!(meta.dict.get(b"Filter").is_err(), "XMP unfiltered");
    let xmp = String::from_utf8(meta.content.clone()).unwrap();
    assert!(xmp.contains("<xmp:CreateDate>2022-01-20T00:00:00+07:00</xmp:CreateDate>"), "{xmp}");
    assert!(xmp.contains("<rdf:li>ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH</rdf:li>"), "{xmp}");
    assert!(xmp.contains("<pdfaid:part>1</pdfaid:part>"));
    // A draft dated by its year alone has no dates at all, in either place.
    let (draft, _) = render("du-thao-day-du.json", PdfOptions { signature_field: false, pdfa: true });
    let doc = lopdf::Document::load_mem(&draft).unwrap();
    let info = doc.get_dictionary(doc.trailer.get(b"Info").unwrap().as_reference().unwrap()).unwrap();
    assert!(info.get(b"CreationDate").is_err() && info.get(b"ModDate").is_err());
    // The same plan gives the same bytes.
    assert_eq!(render("seed-002.json", ALL).0, render("seed-002.json", ALL).0);
}

fn kehoach(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kehoach")).args(args).output().expect("runs")
}

#[test]
fn the_command_line_writes_the_boxes_with_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let plan = repo().join("samples/xa-an-phu-2026.json");
    let boxes = dir.path().join("vi-tri.json");
    let o = kehoach(&["render", plan.to_str().unwrap(), "-o", out, "--sign-boxes", boxes.to_str().unwrap(), "--signature-field", "--pdfa"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&boxes).unwrap()).unwrap();
    assert_eq!(v["don_vi"], "pt");
    assert_eq!(v["truong_chu_ky"], "chu_ky");
    assert!(f(&v["chu_ky"], "y1") > f(&v["chu_ky"], "y0"));
    let pdf = std::fs::read(dir.path().join("xa-an-phu-2026.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-1.4"));
    assert!(dir.path().join("xa-an-phu-2026.docx").exists());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).collect();
    assert!(left.is_empty());

    // Options that shape a PDF, without a PDF: a usage error, nothing written.
    let empty = tempfile::tempdir().unwrap();
    for extra in [["--pdfa"].as_slice(), &["--signature-field"], &["--sign-boxes", "x.json"]] {
        let mut args = vec!["render", plan.to_str().unwrap(), "-o", empty.path().to_str().unwrap(), "--format", "docx"];
        args.extend_from_slice(extra);
        let o = kehoach(&args);
        assert_eq!(o.status.code(), Some(2), "{extra:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("chỉ dùng khi có xuất PDF"), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // The boxes file may not be one of the outputs.
    let pdf_path = empty.path().join("xa-an-phu-2026.pdf");
    let o = kehoach(&["render", plan.to_str().unwrap(), "-o", empty.path().to_str().unwrap(), "--sign-boxes", pdf_path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0, "nothing written");

    // Without the options, the PDF is the one every other test knows.
    let plain = tempfile::tempdir().unwrap();
    let o = kehoach(&["render", plan.to_str().unwrap(), "-o", plain.path().to_str().unwrap(), "--format", "pdf"]);
    assert!(o.status.success());
    let engine = kehoach::Engine::default();
    let want = engine.pdf(&kehoach::Plan::read(plan.to_str().unwrap()).unwrap().check().unwrap()).unwrap();
    assert_eq!(std::fs::read(plain.path().join("xa-an-phu-2026.pdf")).unwrap(), want);
}

#[test]
fn batch_writes_each_units_boxes_beside_its_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("don-vi.json");
    let unit = |ten: &str, cap: &str, so: Value| {
        serde_json::json!({"ma": ten, "ten": ten, "cap": cap, "ap": "ấp", "tinh": "Đồng Tháp", "ty_le_truc_tuyen": 80, "ty_le_hai_long": 95, "so": so})
    };
    let list = serde_json::json!([unit("xã Tân Hồng", "xã", 12.into()), unit("phường Mỹ Tho", "phường", Value::Null)]);
    std::fs::write(&units, list.to_string()).unwrap();
    let out = dir.path().join("out");
    let plan = repo().join("samples/xa-mau-2026.json");
    let o = kehoach(&[
        "batch",
        plan.to_str().unwrap(),
        "--units",
        units.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--format",
        "pdf",
        "--sign-boxes",
        "--signature-field",
        "--pdfa",
        "-j",
        "2",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for (slug, blank) in [("xa-tan-hong", false), ("phuong-my-tho", true)] {
        let pdf = std::fs::read(out.join(format!("{slug}.pdf"))).unwrap();
        assert!(pdf.starts_with(b"%PDF-1.4"), "{slug}");
        let v: Value = serde_json::from_str(&std::fs::read_to_string(out.join(format!("{slug}.vi-tri-ky.json"))).unwrap()).unwrap();
        assert_eq!(v["so"]["trong"], blank, "{slug}: {}", v["so"]);
        assert_eq!(v["truong_chu_ky"], "chu_ky");
    }
    let report: Value = serde_json::from_str(&std::fs::read_to_string(out.join("bao-cao.json")).unwrap()).unwrap();
    let files = &report["don_vi"][0]["tep"];
    assert_eq!(files, &serde_json::json!(["xa-tan-hong.pdf", "xa-tan-hong.vi-tri-ky.json"]));
}

#[test]
fn the_signature_area_follows_the_block_wherever_it_lands() {
    // Bodies of growing length push the signature block down the page and onto the next; a long
    // chức vụ wraps onto a second line; several quyền hạn lines stand above it.
    let base = plan_json("xa-an-phu-2026.json");
    let engine = kehoach::Engine::default();
    let mut pages_seen = std::collections::BTreeSet::new();
    for extra in (0..24).step_by(3) {
        for long_title in [false, true] {
            let mut v = base.clone();
            let body = v["ket_thuc"].as_str().unwrap_or("Trên đây là Kế hoạch").to_string();
            let lines: Vec<Value> = (0..=extra).map(|i| Value::String(format!("{body} (đoạn {i})"))).collect();
            v["ket_thuc"] = Value::Array(lines);
            if long_title {
                v["nguoi_ky"]["chuc_vu"] = "PHÓ CHỦ TỊCH THƯỜNG TRỰC ỦY BAN NHÂN DÂN XÃ AN PHÚ PHỤ TRÁCH KHỐI KINH TẾ".into();
            }
            let plan = kehoach::Plan::from_value(&v).unwrap().check_with(&TODAY).unwrap();
            let doc = engine.document(&plan).unwrap();
            let pages = kehoach::layout::pages(&doc, engine.fonts());
            let b = engine.sign_boxes(&plan).unwrap();
            let ck = b.chu_ky;
            // On the page where the layout put the họ tên, below every chức vụ line, above the name.
            let ho_ten = doc.styles.find("ho_ten").unwrap();
            let chuc_vu = doc.styles.find("chuc_vu").unwrap();
            let (pi, name) = pages
                .iter()
                .enumerate()
                .find_map(|(i, p)| p.placed.iter().find(|x| x.style == ho_ten).map(|x| (i, *x)))
                .unwrap();
            assert_eq!(ck.trang, pi + 1, "extra {extra}");
            pages_seen.insert(ck.trang);
            let h = pages[pi].setup.height as f64 / 20.0;
            let last_cv = pages[pi].placed.iter().filter(|x| x.style == chuc_vu).map(|x| x.bottom).fold(0.0, f64::max);
            assert!(last_cv > 0.0, "the chức vụ is on the họ tên's page");
            assert!((h - ck.y1 - last_cv / 20.0).abs() < 0.02, "extra {extra}: top {} vs chức vụ bottom {}", h - ck.y1, last_cv / 20.0);
            assert!((h - ck.y0 - name.top / 20.0).abs() < 0.02, "extra {extra}");
            assert!(ck.y1 - ck.y0 > 56.0 && ck.x1 > ck.x0, "extra {extra}: {ck:?}");
            let pdf = engine.pdf_with(&plan, &ALL).unwrap();
            assert!(lopdf::Document::load_mem(&pdf).is_ok());
        }
    }
    assert!(pages_seen.len() >= 2, "the block landed on more than one page: {pages_seen:?}");
}

#[test]
fn a_template_without_the_signer_name_is_told_not_crashed() {
    // A custom template that drops the họ tên: the PDF still renders, the signing options say why
    // they cannot, in Vietnamese, with exit code 1 and nothing written.
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("mau");
    std::fs::create_dir(&tpl).unwrap();
    let chu_ky = std::fs::read_to_string(repo().join("templates/chu-ky.xml")).unwrap();
    let without: String = chu_ky.lines().filter(|l| !l.contains("style=\"ho_ten\"")).map(|l| format!("{l}\n")).collect();
    assert_ne!(without, chu_ky);
    std::fs::write(tpl.join("chu-ky.xml"), without).unwrap();
    let plan = repo().join("samples/seed-002.json");
    let out = dir.path().join("out");
    let args = |extra: &[&str]| {
        let mut a = vec!["render", plan.to_str().unwrap(), "-o", out.to_str().unwrap(), "--format", "pdf", "--template", tpl.to_str().unwrap()];
        a.extend_from_slice(extra);
        kehoach(&a)
    };
    for extra in [["--signature-field"].as_slice(), &["--sign-boxes", "b.json"]] {
        let o = args(extra);
        assert_eq!(o.status.code(), Some(1), "{extra:?}: {}", String::from_utf8_lossy(&o.stderr));
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("không tính được vị trí ký") && err.contains("ho_ten"), "{err}");
        assert!(!out.exists() || std::fs::read_dir(&out).unwrap().count() == 0, "nothing written");
    }
    assert!(args(&["--pdfa"]).status.success(), "PDF/A needs no signing boxes");
}
