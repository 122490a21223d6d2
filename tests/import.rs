//! `kehoach import`: round trips through our own DOCX, the seed texts, DOCX files typed in Word by
//! other means (tests/fixtures/import/, made by scripts/import-fixtures.py), the recognition of
//! each form the rules give, the corrections, and bad input.

mod common;
use common::*;
use kehoach::import;
use kehoach::plan::model::{DauDanhSo, Kieu, Lines, Node, NoiNhanMuc, Text};
use kehoach::{MucDo, Plan};
use std::io::Write;

fn engine() -> kehoach::Engine {
    kehoach::Engine::default()
}

fn parse_plan(json: &str) -> Result<Plan, kehoach::Error> {
    Plan::from_json(json)
}

/// The DOCX of a plan that passes the checks.
fn docx_of(plan: &Plan) -> Vec<u8> {
    engine().docx(&checked(plan.clone())).unwrap()
}

/// The end punctuation the engine replaces (as `regime::vn::strip_end_punct`, which is internal):
/// ";", ",", "." and "./." go, an ellipsis stays.
fn strip_end_punct(s: &str) -> &str {
    let mut t = s.trim_end();
    loop {
        let before = t;
        if let Some(x) = t.strip_suffix("./.") {
            t = x.trim_end();
        }
        if let Some(x) = t.strip_suffix([';', ',']) {
            t = x.trim_end();
        }
        if t.ends_with('.') && !t.ends_with("..") {
            t = t[..t.len() - 1].trim_end();
        }
        if t == before {
            return t;
        }
    }
}

/// Every node of the body with its path, in document order.
fn nodes(top: &[Node]) -> Vec<(String, &Node)> {
    fn go<'a>(ns: &'a [Node], base: &str, out: &mut Vec<(String, &'a Node)>) {
        for (i, n) in ns.iter().enumerate() {
            let path = format!("{base}[{i}]");
            out.push((path.clone(), n));
            go(&n.muc_con, &format!("{path}.muc_con"), out);
        }
    }
    let mut out = Vec::new();
    go(top, "noi_dung", &mut out);
    out
}

/// The paragraphs' texts of a DOCX, in order.
fn docx_texts(docx: &[u8]) -> Vec<String> {
    paragraphs(&part(docx, "word/document.xml")).into_iter().map(|p| p.text).filter(|t| !t.trim().is_empty()).collect()
}

fn page_count(plan: &Plan) -> usize {
    engine().pages(&checked(plan.clone())).unwrap().len()
}

/// Words: maximal runs of letters and digits, as the rules' text helpers count them.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// The share of `want`'s words found in order in `got` (longest common subsequence of words over
/// the number of words of `want`).
fn share_in_order(want: &[String], got: &[String]) -> f64 {
    if want.is_empty() {
        return 1.0;
    }
    let mut prev = vec![0u32; got.len() + 1];
    let mut cur = vec![0u32; got.len() + 1];
    for w in want {
        for (j, g) in got.iter().enumerate() {
            cur[j + 1] = if w == g { prev[j] + 1 } else { prev[j + 1].max(cur[j]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[got.len()] as f64 / want.len() as f64
}

fn errors(plan: &Plan) -> Vec<String> {
    plan.findings(&TODAY)
        .into_iter()
        .filter(|f| f.muc_do == MucDo::Loi)
        .map(|f| format!("{} `{}`: {}", f.ma, f.truong, f.thong_bao))
        .collect()
}

/// Imports `imp`'s JSON back as a plan (it must load).
fn load(imp: &import::Imported) -> Plan {
    parse_plan(&imp.json()).unwrap_or_else(|e| panic!("the imported plan does not load: {e}\n{}", imp.json()))
}

// ----- what a DOCX cannot carry, normalised away on both sides of the round trip -----
//
// 1. Which kieu was written and which came from the depth or the parent's kieu_muc_con: the DOCX
//    shows only the printed labels, so both sides get every node's kind written out.
// 2. dau_danh_so left to the regime's default, ten_loai left to "KẾ HOẠCH": written out.
// 3. Upper-casing done by the styles (mục titles, bodies' names, signing lines): compared in capitals.
// 4. End punctuation the engine replaces (căn cứ, nhiệm vụ, nơi nhận, lưu, the last paragraph of
//    the body and of ket_thuc), and brackets typed around a group's note: compared without them.
// 5. A task table's "Phối hợp" cell holds phoi_hop and tham_muu on two lines: compared as one field.
// 6. A node written as a plain string or as {"van_ban": …}: the same node.

fn up(t: &mut Text) {
    *t = Text::new(&t.to_uppercase()).unwrap();
}
fn up_lines(l: &mut Lines) {
    l.0.iter_mut().for_each(up);
}
fn unpunct(t: &mut Text) {
    *t = Text::new(strip_end_punct(t)).unwrap();
}

/// The kinds by depth and the default mark after mục and khoản numbers, as the profiles in
/// src/regime/ give them (the same kinds by depth in every regime; "I-" by default only in HD 05).
const BY_DEPTH: &[Kieu] = &[Kieu::Muc, Kieu::Khoan, Kieu::Diem, Kieu::Gach, Kieu::Cong];

fn normalise(mut p: Plan) -> Plan {
    let default_dau = if p.the_thuc == kehoach::Regime::Hd05 { DauDanhSo::Gach } else { DauDanhSo::Cham };
    p.schema = None;
    p.dau_danh_so = Some(p.dau_danh_so.unwrap_or(default_dau));
    up_lines(&mut p.co_quan_chu_quan);
    up_lines(&mut p.co_quan_ban_hanh);
    p.can_cu.iter_mut().for_each(unpunct);
    p.ket_thuc.0.iter_mut().for_each(unpunct);
    fn nodes(ns: &mut [Node], depth: usize, parent_default: Option<Kieu>, by_depth: &[Kieu]) {
        for n in ns.iter_mut() {
            let kind = n.kieu.or(parent_default).unwrap_or(by_depth[depth.min(by_depth.len() - 1)]);
            n.kieu = Some(kind);
            n.chuoi = false;
            if kind == Kieu::Muc
                && let Some(t) = &mut n.tieu_de
            {
                up(t);
            }
            n.van_ban.0.iter_mut().for_each(unpunct);
            if let Some(nv) = &mut n.nhiem_vu {
                for t in [&mut nv.chu_tri, &mut nv.phoi_hop, &mut nv.tham_muu, &mut nv.thoi_gian, &mut nv.san_pham]
                    .into_iter()
                    .flatten()
                {
                    unpunct(t);
                }
            }
            let d = n.kieu_muc_con.take();
            nodes(&mut n.muc_con, depth + 1, d, by_depth);
        }
    }
    nodes(&mut p.noi_dung, 0, None, BY_DEPTH);
    for pl in &mut p.phu_luc {
        // The phụ lục title: upper-cased by its style.
        up(&mut pl.tieu_de);
        nodes(&mut pl.noi_dung, 0, None, BY_DEPTH);
    }
    for m in &mut p.noi_nhan.muc {
        match m {
            NoiNhanMuc::Mot(t) => unpunct(t),
            NoiNhanMuc::Nhom(g) => {
                g.muc.iter_mut().for_each(unpunct);
                unpunct(&mut g.ghi_chu);
                g.ghi_chu = Text::new(g.ghi_chu.trim_start_matches('(').trim_end_matches(')')).unwrap();
            }
        }
    }
    unpunct(&mut p.noi_nhan.luu);
    for q in &mut p.nguoi_ky.quyen_han {
        up(&mut q.ten);
    }
    up_lines(&mut p.nguoi_ky.chuc_vu);
    up_lines(&mut p.nguoi_ky.chuc_danh_duoi_ten);
    p
}

/// Task-table rows carry tham_muu inside phoi_hop: the normaliser merges them only for table rows.
fn table_rows_merge(mut p: Plan) -> Plan {
    fn go(ns: &mut [Node]) {
        for n in ns.iter_mut() {
            if n.trinh_bay_nhiem_vu.is_some_and(|t| t.is_table()) {
                for c in &mut n.muc_con {
                    if let Some(nv) = &mut c.nhiem_vu {
                        nv.phoi_hop = match (nv.phoi_hop.take(), nv.tham_muu.take()) {
                            (Some(a), Some(b)) => Some(Text::new(&format!("{a}\n{b}")).unwrap()),
                            (a, b) => a.or(b),
                        };
                    }
                }
            }
            go(&mut n.muc_con);
        }
    }
    go(&mut p.noi_dung);
    for pl in &mut p.phu_luc {
        go(&mut pl.noi_dung);
    }
    p
}

#[test]
fn round_trip_of_every_sample_through_our_docx() {
    let mut report = Vec::new();
    for name in SAMPLES.iter().chain(FIXTURES) {
        let plan = sample(name);
        let docx = docx_of(&plan);
        let imp = import::from_docx(&docx).unwrap_or_else(|e| panic!("{name}: {e}"));
        let back = load(&imp);
        // One-sided Party pages are kept from the source, and the review says HD 05 prints two-sided.
        if plan.in_hai_mat == Some(false) {
            assert!(imp.review.iter().any(|r| r.truong == "in_hai_mat" && r.thong_bao.contains("hai mặt")), "{name}: {:?}", imp.review);
        }
        assert!(errors(&back).is_empty(), "{name}: imported plan has errors: {:?}", errors(&back));
        let docx2 = docx_of(&back);
        let (a, b) = (docx_texts(&docx), docx_texts(&docx2));
        assert!(a == b, "{name}: DOCX text differs after the round trip {}", first_difference(&a.join("\n"), &b.join("\n")));
        let (pa, pb) = (page_count(&plan), page_count(&back));
        assert_eq!(pa, pb, "{name}: page count");
        let want = serde_json::to_value(table_rows_merge(normalise(plan))).unwrap();
        let got = serde_json::to_value(table_rows_merge(normalise(back))).unwrap();
        if want != got {
            let (w, g) = (serde_json::to_string_pretty(&want).unwrap(), serde_json::to_string_pretty(&got).unwrap());
            panic!("{name}: imported JSON differs from the sample {}", first_difference(&w, &g));
        }
        report.push(format!(
            "{name}: {} paragraphs, {pa} pages, same text, same JSON, {} review notes",
            a.len(),
            imp.review.len()
        ));
    }
    let _ = writeln!(std::io::stderr(), "{}", report.join("\n"));
}

fn seed_text(code: &str) -> String {
    let dir = seeds_dir();
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(code))
        .unwrap();
    std::fs::read_to_string(path).unwrap()
}

/// Imports, renders, and measures the seed's words found in order in the DOCX.
fn share_after_import(imp: &import::Imported, seed: &str) -> (f64, Plan) {
    let plan = load(imp);
    assert!(errors(&plan).is_empty(), "{:?}", errors(&plan));
    let docx = docx_of(&plan);
    let got = words(&docx_texts(&docx).join("\n"));
    let want = words(&seed.replace('*', ""));
    (share_in_order(&want, &got), plan)
}

#[test]
fn seed_texts_import_with_their_words() {
    for code in ["000_", "002_", "004_"] {
        let seed = seed_text(code);
        let imp = import::from_text(&seed).unwrap();
        let (share, plan) = share_after_import(&imp, &seed);
        let _ = writeln!(
            std::io::stderr(),
            "seed {code} from text: {:.2} % of the words in order, {} review notes",
            share * 100.0,
            imp.review.len()
        );
        for n in &imp.review {
            let _ = writeln!(std::io::stderr(), "    {n}");
        }
        assert!(share >= 0.98, "seed {code}: only {:.2} % of the words", share * 100.0);
        // Every note names its JSON path (but a line left out, which has none).
        assert!(imp.review.iter().all(|n| n.loai == import::Loai::BoQua || !n.truong.is_empty()), "{:#?}", imp.review);
        assert!(errors(&plan).is_empty(), "seed {code}: {:?}", errors(&plan));
    }
}

#[test]
fn the_word_share_notices_lost_words() {
    let seed = seed_text("002_");
    let cut: String = seed.lines().filter(|l| !l.starts_with("Căn cứ")).collect::<Vec<_>>().join("\n");
    let imp = import::from_text(&cut).unwrap();
    let (share, _) = share_after_import(&imp, &seed);
    assert!(share < 0.98, "{share}");
    assert!(share_in_order(&words("a b c d"), &words("a c b d")) == 0.75);
}

fn fixture_dir() -> std::path::PathBuf {
    repo().join("tests/fixtures/import")
}

#[test]
fn docx_typed_in_word_import_with_their_words() {
    let kinds = ["go-tay", "tu-dong", "tab"];
    let mut n = 0;
    for code in ["000", "002", "004"] {
        let seed = seed_text(&format!("{code}_"));
        for kind in kinds {
            let path = fixture_dir().join(format!("{code}-{kind}.docx"));
            let bytes =
                std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run scripts/import-fixtures.py)", path.display()));
            let imp = import::from_docx(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let (share, plan) = share_after_import(&imp, &seed);
            let _ = writeln!(
                std::io::stderr(),
                "{code}-{kind}.docx: {:.2} % of the seed's words in order, {} review notes",
                share * 100.0,
                imp.review.len()
            );
            assert!(share >= 0.98, "{code}-{kind}: only {:.2} %", share * 100.0);
            assert!(imp.review.iter().all(|n| n.loai == import::Loai::BoQua || !n.truong.is_empty()), "{:#?}", imp.review);
            assert!(errors(&plan).is_empty(), "{code}-{kind}: {:?}", errors(&plan));
            // What a Word file has and a text extract lost: the header and the signature.
            assert!(
                !plan.co_quan_ban_hanh.is_empty() && !plan.co_quan_ban_hanh.0[0].starts_with('['),
                "{code}-{kind}: {:?}",
                plan.co_quan_ban_hanh
            );
            assert!(plan.ngay.is_some(), "{code}-{kind}: no date");
            assert!(!plan.nguoi_ky.ho_ten.starts_with('['), "{code}-{kind}: no signer");
            let regime = if code == "000" { "hd36" } else { "nd30" };
            assert_eq!(plan.the_thuc.code(), regime, "{code}-{kind}");
            n += 1;
        }
    }
    assert_eq!(n, 9);
}

#[test]
fn word_numbering_gives_the_same_tree_as_typed_labels() {
    for code in ["000", "002", "004"] {
        let read = |kind: &str| {
            load(&import::from_docx(&std::fs::read(fixture_dir().join(format!("{code}-{kind}.docx"))).unwrap()).unwrap())
        };
        let (typed, auto) = (read("go-tay"), read("tu-dong"));
        let shape = |p: &Plan| -> Vec<(String, usize)> {
            nodes(&p.noi_dung).into_iter().map(|(path, n)| (path, n.muc_con.len())).collect()
        };
        assert_eq!(shape(&typed), shape(&auto), "{code}: the tree differs between typed labels and Word numbering");
        assert!(shape(&typed).len() > 10, "{code}");
    }
}

/// The committed fixtures are what the script makes (run where python-docx is installed; required in CI).
#[test]
fn fixtures_are_what_the_script_makes() {
    let python = tool("KEHOACH_PYTHON", &["python3"]);
    let ok = python
        .as_ref()
        .is_some_and(|p| std::process::Command::new(p).args(["-c", "import docx"]).output().is_ok_and(|o| o.status.success()));
    let Some(python) = require("python-docx (KEHOACH_PYTHON)", python.filter(|_| ok)) else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(python).arg(repo().join("scripts/import-fixtures.py")).arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for e in std::fs::read_dir(fixture_dir()).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let (old, new) = (std::fs::read(&path).unwrap(), std::fs::read(dir.path().join(&name)).unwrap());
        for p in ["word/document.xml", "word/numbering.xml", "word/styles.xml"] {
            assert!(
                part(&old, p) == part(&new, p),
                "{name}: {p} is not what scripts/import-fixtures.py makes; run it again and commit the result"
            );
        }
    }
}

// ----- recognition of the forms, from text -----

fn strs(l: &Lines) -> Vec<&str> {
    l.iter().map(|t| t.as_str()).collect()
}

fn text_plan(body: &str) -> (Plan, Vec<import::Note>) {
    let imp = import::from_text(body).unwrap();
    (load(&imp), imp.review)
}

const STATE_HEAD: &str = "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ AN PHÚ\t\tĐộc lập - Tự do - Hạnh phúc\nSố: 06/KH-UBND\tAn Phú, ngày 5 tháng 2 năm 2026\n\nKẾ HOẠCH\nCải cách hành chính năm 2026\n";
const STATE_TAIL: &str = "\nNơi nhận:\n- UBND tỉnh; (báo cáo);\n- Các phòng;\n- Lưu: VT, VP.\n\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn A\n";

#[test]
fn header_forms_from_text() {
    let (p, notes) = text_plan(&format!("{STATE_HEAD}\nI. MỤC ĐÍCH\n1. Mục đích\nNâng cao chất lượng./.\n{STATE_TAIL}"));
    assert_eq!(p.the_thuc, kehoach::Regime::Nd30);
    assert_eq!(strs(&p.co_quan_ban_hanh), ["ỦY BAN NHÂN DÂN", "XÃ AN PHÚ"]);
    assert!(p.co_quan_chu_quan.is_empty());
    assert_eq!((p.so, p.ky_hieu.as_str(), p.dia_danh.as_str()), (Some(6), "KH-UBND", "An Phú"));
    assert_eq!(p.ngay.map(|d| (d.nam, d.thang, d.ngay)), Some((2026, Some(2), Some(5))));
    assert!(notes.iter().any(|n| n.truong == "ngay" && n.loai == import::Loai::DaSua), "{notes:?}");
    assert_eq!(p.trich_yeu.as_str(), "Cải cách hành chính năm 2026");
    assert_eq!(p.noi_nhan.luu.as_str(), "VT, VP");
    assert!(
        matches!(&p.noi_nhan.muc[0], NoiNhanMuc::Nhom(g) if g.ghi_chu.as_str() == "báo cáo" && g.muc[0].as_str() == "UBND tỉnh")
    );
    let q: Vec<_> = p.nguoi_ky.quyen_han.iter().map(|q| (q.loai, q.ten.as_str())).collect();
    use kehoach::plan::model::QuyenHanLoai::*;
    assert_eq!(q, [(Tm, "ỦY BAN NHÂN DÂN"), (Kt, "CHỦ TỊCH")]);
    assert_eq!(strs(&p.nguoi_ky.chuc_vu), ["PHÓ CHỦ TỊCH"]);
    assert_eq!(p.nguoi_ky.ho_ten.as_str(), "Nguyễn Văn A");
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
}

#[test]
fn party_forms_and_corrections() {
    // A Party plan typed with state forms: "Số:", "TM.", "Lưu: VT", "./.", a trích yếu with a
    // full stop. The intent is kept, the Party form written, each correction listed.
    let src = "ĐẢNG BỘ TỈNH LÂM ĐỒNG\tĐẢNG CỘNG SẢN VIỆT NAM\nĐẢNG UỶ XÃ ĐẠ HUOAI\n*\nSố: 12/KH-ĐU\tĐạ Huoai, ngày 02 tháng 7 năm 2026\n\nKẾ HOẠCH\ntổ chức kỷ niệm Quốc khánh.\n\n- Căn cứ Kế hoạch số 86-KH/TU của Tỉnh uỷ;\nĐảng uỷ xã ban hành Kế hoạch như sau:\nI- MỤC ĐÍCH\n1- Tuyên truyền sâu rộng./.\n\nNơi nhận:\n- Các chi bộ,\n- Lưu: VT, Văn phòng Đảng uỷ.\n\nTM. ĐẢNG UỶ\nPHÓ BÍ THƯ\n\nNguyễn Văn Thành\n";
    let (p, notes) = text_plan(src);
    assert_eq!(p.the_thuc, kehoach::Regime::Hd05);
    assert_eq!(strs(&p.co_quan_chu_quan), ["ĐẢNG BỘ TỈNH LÂM ĐỒNG"]);
    assert_eq!(strs(&p.co_quan_ban_hanh), ["ĐẢNG UỶ XÃ ĐẠ HUOAI"]);
    assert_eq!(p.ky_hieu.as_str(), "KH/ĐU");
    assert_eq!(p.trich_yeu.as_str(), "tổ chức kỷ niệm Quốc khánh");
    assert_eq!(p.dau_danh_so, Some(DauDanhSo::Gach));
    assert_eq!(p.can_cu.len(), 1);
    assert_eq!(p.noi_nhan.luu.as_str(), "Văn phòng Đảng uỷ");
    let fixed: Vec<&str> = notes.iter().filter(|n| n.loai == import::Loai::DaSua).map(|n| n.truong.as_str()).collect();
    for f in ["ky_hieu", "trich_yeu", "noi_nhan.luu", "nguoi_ky.quyen_han[0].loai"] {
        assert!(fixed.contains(&f), "no correction listed for {f}: {notes:#?}");
    }
    assert!(notes.iter().any(|n| n.thong_bao.contains("./.")), "{notes:#?}");
    assert!(notes.iter().all(|n| n.nguon.is_none() || n.nguon.as_ref().unwrap().don_vi == "dòng"));
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
    // The rendered document has the Party forms.
    let texts = docx_texts(&docx_of(&p)).join("\n");
    for want in ["Số 12-KH/ĐU", "T/M ĐẢNG UỶ", "- Lưu Văn phòng Đảng uỷ.", "I- MỤC ĐÍCH"] {
        assert!(texts.contains(want), "{want} not in {texts}");
    }
}

#[test]
fn body_labels_tasks_and_irregular_numbers() {
    let body = "I. NHIỆM VỤ\n1. Cải cách thể chế\n1.1. Rà soát văn bản\nRà soát các văn bản quy phạm pháp luật.\nChủ trì: Văn phòng UBND xã.\nPhối hợp: Các phòng.\nThời gian thực hiện: Quý I năm 2026.\na) Điểm một;\nb) Điểm hai:\n- Gạch một;\n+ Cộng một;\n(1) Ngoặc một;\n3. Khoản nhảy số\nNội dung.\nII. TỔ CHỨC THỰC HIỆN\nCác phòng thực hiện.\nTrên đây là Kế hoạch./.\n";
    let (p, notes) = text_plan(&format!("{STATE_HEAD}\n{body}{STATE_TAIL}"));
    let all = nodes(&p.noi_dung);
    let kinds: Vec<(String, Option<Kieu>)> = all.iter().map(|(path, n)| (path.clone(), n.kieu)).collect();
    let k = |path: &str| kinds.iter().find(|(p, _)| p == path).map(|x| x.1).unwrap_or_else(|| panic!("no {path} in {kinds:?}"));
    assert_eq!(k("noi_dung[0]"), Some(Kieu::Muc));
    assert_eq!(k("noi_dung[0].muc_con[0]"), Some(Kieu::Khoan));
    assert_eq!(k("noi_dung[0].muc_con[0].muc_con[0]"), Some(Kieu::Tiet));
    assert_eq!(k("noi_dung[0].muc_con[0].muc_con[0].muc_con[0]"), Some(Kieu::Diem));
    assert_eq!(k("noi_dung[0].muc_con[0].muc_con[0].muc_con[1].muc_con[0]"), Some(Kieu::Gach));
    assert_eq!(k("noi_dung[0].muc_con[0].muc_con[0].muc_con[1].muc_con[0].muc_con[0]"), Some(Kieu::Cong));
    let tiet = &p.noi_dung[0].muc_con[0].muc_con[0];
    assert_eq!(tiet.tieu_de.as_deref(), Some("Rà soát văn bản"));
    let nv = tiet.nhiem_vu.as_ref().expect("tasks");
    assert_eq!(nv.chu_tri.as_deref(), Some("Văn phòng UBND xã"));
    assert_eq!(nv.thoi_gian.as_deref(), Some("Quý I năm 2026"));
    // "3." after "1.": the source's number is kept, and listed.
    let second = &p.noi_dung[0].muc_con[1];
    assert_eq!(second.so_hieu.as_deref(), Some("3."));
    assert!(notes.iter().any(|n| n.truong == "noi_dung[0].muc_con[1].so_hieu"), "{notes:#?}");
    assert_eq!(strs(&p.ket_thuc), ["Trên đây là Kế hoạch"]);
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
}

#[test]
fn a_plan_without_header_lists_what_is_missing() {
    let (p, notes) = text_plan("I. MỤC ĐÍCH\nNâng cao chất lượng.\n");
    let missing: Vec<&str> = notes.iter().filter(|n| n.loai == import::Loai::Thieu).map(|n| n.truong.as_str()).collect();
    for f in ["ky_hieu", "dia_danh", "trich_yeu", "noi_nhan", "noi_nhan.luu", "nguoi_ky.ho_ten", "co_quan_ban_hanh"] {
        assert!(missing.contains(&f), "{f} not listed as missing: {notes:#?}");
    }
    // Placeholders are visible, in brackets, and the plan still loads and renders.
    assert!(p.dia_danh.starts_with('[') && p.nguoi_ky.ho_ten.starts_with('['));
    docx_of(&p);
}

// ----- DOCX features, on a package written here -----

/// A minimal DOCX with `body` as the inside of w:body, and optional numbering and styles parts.
fn tiny_docx(body: &str, numbering: Option<&str>, styles: Option<&str>) -> Vec<u8> {
    let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    let mut put = |name: &str, s: String| {
        z.start_file(name, o).unwrap();
        z.write_all(s.as_bytes()).unwrap();
    };
    put("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".into());
    put("word/document.xml", format!("<w:document {w}><w:body>{body}</w:body></w:document>"));
    if let Some(n) = numbering {
        put("word/numbering.xml", format!("<w:numbering {w}>{n}</w:numbering>"));
    }
    if let Some(s) = styles {
        put("word/styles.xml", format!("<w:styles {w}>{s}</w:styles>"));
    }
    z.finish().unwrap().into_inner()
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn numbered(text: &str, num: u32, lvl: u32) -> String {
    format!(
        "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
    )
}

#[test]
fn word_lettered_lists_become_vietnamese_diem() {
    let numbering = r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num>"#;
    let mut body = String::new();
    for l in ["KẾ HOẠCH", "Thử", "I. NỘI DUNG", "1. Khoản"] {
        body.push_str(&p(l));
    }
    for i in 1..=6 {
        body.push_str(&numbered(&format!("Điểm thứ {i}"), 3, 0));
    }
    let imp = import::from_docx(&tiny_docx(&body, Some(numbering), None)).unwrap();
    let plan = load(&imp);
    let diem = &plan.noi_dung[0].muc_con[0].muc_con;
    assert_eq!(diem.len(), 6);
    assert!(diem.iter().all(|n| n.kieu == Some(Kieu::Diem) && n.so_hieu.is_none()), "{diem:?}");
    // Word printed "e)" for the fifth; the plan prints "đ)", and says so.
    assert!(
        imp.review.iter().any(|n| n.loai == import::Loai::DaSua && n.thong_bao.contains("“e)”") && n.thong_bao.contains("“đ)”")),
        "{:#?}",
        imp.review
    );
    let texts = docx_texts(&docx_of(&plan)).join("\n");
    assert!(texts.contains("đ) Điểm thứ 5") && texts.contains("e) Điểm thứ 6"), "{texts}");
}

#[test]
fn task_tables_become_task_items() {
    let cell = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
    let row = |cells: &[&str]| format!("<w:tr>{}</w:tr>", cells.iter().map(|c| cell(c)).collect::<String>());
    let table = format!(
        "<w:tbl><w:tblPr><w:tblBorders><w:top w:val=\"single\"/><w:insideH w:val=\"single\"/></w:tblBorders></w:tblPr>{}{}{}</w:tbl>",
        row(&["STT", "Nội dung", "Đơn vị chủ trì", "Phối hợp", "Thời gian hoàn thành", "Sản phẩm"]),
        row(&["1", "Số hóa hồ sơ", "Công an xã", "Trưởng ấp", "Quý I", "Kho dữ liệu"]),
        row(&["2", "Tập huấn kỹ năng số", "Văn phòng", "", "Quý III", "Báo cáo"]),
    );
    let body =
        [p("KẾ HOẠCH"), p("Chuyển đổi số"), p("I. NHIỆM VỤ"), p("1. Nhiệm vụ cụ thể"), table, p("Trên đây là Kế hoạch./.")]
            .concat();
    let plan = load(&import::from_docx(&tiny_docx(&body, None, None)).unwrap());
    let k = &plan.noi_dung[0].muc_con[0];
    assert_eq!(k.trinh_bay_nhiem_vu, Some(kehoach::plan::model::NhiemVuTrinhBay::Bang));
    assert_eq!(k.muc_con.len(), 2);
    let nv = k.muc_con[0].nhiem_vu.as_ref().unwrap();
    assert_eq!(
        (nv.chu_tri.as_deref(), nv.phoi_hop.as_deref(), nv.thoi_gian.as_deref(), nv.san_pham.as_deref()),
        (Some("Công an xã"), Some("Trưởng ấp"), Some("Quý I"), Some("Kho dữ liệu"))
    );
    assert_eq!(k.muc_con[1].van_ban.0[0].as_str(), "Tập huấn kỹ năng số");
    docx_of(&plan);
}

#[test]
fn styles_bold_italic_and_fields() {
    // Bold from a paragraph style, italic from a character style, a field's instruction text left
    // out (its result kept), a hidden run left out, caps applied.
    let styles = r#"<w:style w:type="paragraph" w:styleId="H"><w:name w:val="Heading 2"/><w:rPr><w:b/></w:rPr></w:style><w:style w:type="character" w:styleId="E"><w:name w:val="Emphasis"/><w:rPr><w:i/></w:rPr></w:style>"#;
    let body = [
        p("KẾ HOẠCH"),
        p("Thử"),
        "<w:p><w:pPr><w:pStyle w:val=\"H\"/></w:pPr><w:r><w:t>1. Mục đích</w:t></w:r></w:p>".to_string(),
        "<w:p><w:r><w:rPr><w:rStyle w:val=\"E\"/></w:rPr><w:t xml:space=\"preserve\">Trong công tác: </w:t></w:r><w:r><w:t xml:space=\"preserve\">thi đua </w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>ẩn</w:t></w:r><w:r><w:rPr><w:caps/></w:rPr><w:t xml:space=\"preserve\"> tốt</w:t></w:r></w:p>".to_string(),
    ]
    .concat();
    let plan = load(&import::from_docx(&tiny_docx(&body, None, Some(styles))).unwrap());
    let k = &plan.noi_dung[0];
    assert_eq!(k.kieu, Some(Kieu::Khoan));
    assert_eq!(k.tieu_de.as_deref(), Some("Mục đích"));
    assert_eq!(k.van_ban.0[0].as_str(), "*Trong công tác:* thi đua 7 TỐT");
}

// ----- bad input: refused with a message, nothing written -----

fn kehoach_bin() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_BIN_EXE_kehoach"))
}

/// Runs `kehoach import FILE -o OUT` in a fresh folder and checks it refused with a message
/// containing `want` and wrote nothing.
fn refused(name: &str, bytes: &[u8], want: &str) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, bytes).unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let out = std::process::Command::new(kehoach_bin())
        .args(["import", input.to_str().unwrap(), "-o", out_dir.join("ke-hoach.json").to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{name}: {err}");
    assert!(err.contains(want), "{name}: message lacks “{want}”: {err}");
    assert!(err.contains("chưa ghi tệp nào"), "{name}: {err}");
    assert_eq!(std::fs::read_dir(&out_dir).unwrap().count(), 0, "{name}: something was written");
}

#[test]
fn bad_files_are_refused_and_nothing_is_written() {
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    refused("cu.doc", &ole, "Word 97–2003 (.doc)");
    let mut enc = ole.clone();
    enc.extend("EncryptionInfo".encode_utf16().flat_map(|u| u.to_le_bytes()));
    refused("mat-khau.docx", &enc, "mật khẩu");
    refused("ban.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF");
    refused("hong.docx", b"PK\x03\x04 this is not a zip", "bị hỏng");
    refused("nhi-phan.bin", &[0u8, 159, 146, 150, 0, 1, 2], "không phải");
    let dtd = tiny_docx_raw(
        "word/document.xml",
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>",
    );
    refused("dtd.docx", &dtd, "DTD");
    refused("trong.docx", &tiny_docx_raw("other.xml", "<x/>"), "word/document.xml");
}

fn tiny_docx_raw(name: &str, content: &str) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
    z.write_all(content.as_bytes()).unwrap();
    z.finish().unwrap().into_inner()
}

#[test]
fn a_zip_bomb_and_100_mb_of_xml_stop_at_the_cap() {
    // 100 MB of XML deflates to about 100 KB; it must be refused while inflating, at the cap.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    z.start_file("word/document.xml", o).unwrap();
    z.write_all(b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>").unwrap();
    let chunk = "<w:p><w:r><w:t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</w:t></w:r></w:p>".repeat(1000);
    for _ in 0..(100 * 1024 * 1024 / chunk.len()) {
        z.write_all(chunk.as_bytes()).unwrap();
    }
    z.write_all(b"</w:body></w:document>").unwrap();
    let bomb = z.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 * 1024 * 1024, "{}", bomb.len());
    // Refused while inflating, at the cap (the message names the cap, not the part's real size).
    let e = import::from_docx(&bomb).unwrap_err().to_string();
    assert!(e.contains("quá lớn") && e.contains("bom ZIP") && e.contains("16 MB"), "{e}");
    refused("bom.docx", &bomb, "quá lớn");
}

#[test]
fn the_cli_writes_the_plan_and_the_report_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let docx = docx_of(&sample("xa-an-phu-2026.json"));
    let input = dir.path().join("cu.docx");
    std::fs::write(&input, &docx).unwrap();
    let run = |args: &[&str]| std::process::Command::new(kehoach_bin()).current_dir(dir.path()).args(args).output().unwrap();
    let out = run(&["import", "cu.docx", "--report", "xem-lai.json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plan = std::fs::read_to_string(dir.path().join("cu.json")).unwrap();
    parse_plan(&plan).unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("xem-lai.json")).unwrap()).unwrap();
    assert!(report["can_xem_lai"].is_array());
    // A second run does not overwrite the plan the user may have edited.
    std::fs::write(dir.path().join("cu.json"), "{}").unwrap();
    let out = run(&["import", "cu.docx"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(dir.path().join("cu.json")).unwrap(), "{}");
    let out = run(&["import", "cu.docx", "--force"]);
    assert!(out.status.success());
    // Text from standard input, the plan on standard output.
    let mut child = std::process::Command::new(kehoach_bin())
        .args(["import", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(seed_text("002_").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let plan = parse_plan(&String::from_utf8(out.stdout).unwrap()).unwrap();
    assert_eq!(plan.ky_hieu.as_str(), "KH-UBND");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Cần xem lại"));
    // The help is Vietnamese.
    let help = run(&["import", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("Nhập một kế hoạch có sẵn"));
}

#[test]
fn foot_typed_as_two_columns_with_tabs() {
    let src = format!(
        "{STATE_HEAD}\nI. NỘI DUNG\nThực hiện tốt./.\n\nNơi nhận:\t\tTM. ỦY BAN NHÂN DÂN\n- UBND tỉnh;\t\tKT. CHỦ TỊCH\n- Các phòng;\t\tPHÓ CHỦ TỊCH\n- Lưu: VT, VP.\n\n\t\tNguyễn Văn A\n"
    );
    let (p, _) = text_plan(&src);
    let items: Vec<String> = p
        .noi_nhan
        .muc
        .iter()
        .map(|m| match m {
            NoiNhanMuc::Mot(t) => t.to_string(),
            NoiNhanMuc::Nhom(g) => g.muc[0].to_string(),
        })
        .collect();
    assert_eq!(items, ["UBND tỉnh", "Các phòng"]);
    assert_eq!(p.noi_nhan.luu.as_str(), "VT, VP");
    assert_eq!(p.nguoi_ky.quyen_han.len(), 2);
    assert_eq!(strs(&p.nguoi_ky.chuc_vu), ["PHÓ CHỦ TỊCH"]);
    assert_eq!(p.nguoi_ky.ho_ten.as_str(), "Nguyễn Văn A");
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
}

#[test]
fn header_taken_from_a_pdf_with_columns_run_together() {
    for head in [
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nXÃ AN PHÚ Độc lập - Tự do - Hạnh phúc\nSố: 06/KH-UBND An Phú, ngày 05 tháng 02 năm 2026\n",
        "    ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n       XÃ AN PHÚ                 Độc lập - Tự do - Hạnh phúc\n  Số:      /KH-UBND              An Phú, ngày      tháng 02 năm 2026\n",
    ] {
        let (p, _) = text_plan(&format!("{head}\nKẾ HOẠCH\nCải cách hành chính\nI. NỘI DUNG\nThực hiện tốt./.\n{STATE_TAIL}"));
        assert_eq!(strs(&p.co_quan_ban_hanh), ["ỦY BAN NHÂN DÂN", "XÃ AN PHÚ"], "{head}");
        assert_eq!(p.ky_hieu.as_str(), "KH-UBND", "{head}");
        assert_eq!(p.dia_danh.as_str(), "An Phú", "{head}");
        assert_eq!(p.ngay.map(|d| (d.nam, d.thang)), Some((2026, Some(2))), "{head}");
        assert!(errors(&p).is_empty(), "{:?}", errors(&p));
    }
}

#[test]
fn header_in_text_boxes_is_read_once() {
    let para =
        |t: &str, extra: &str| format!("<w:p><w:pPr>{extra}</w:pPr><w:r><w:t xml:space=\"preserve\">{t}</w:t></w:r></w:p>");
    let bold =
        |t: &str| format!("<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>{t}</w:t></w:r></w:p>");
    let boxed = |inner: String| {
        format!(
            "<w:p><w:r><mc:AlternateContent xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>{inner}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>{inner}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        )
    };
    let body = [
        boxed([para("UBND TỈNH TÂY NINH", ""), bold("SỞ NỘI VỤ"), para("Số: 12/KH-SNV", "")].concat()),
        boxed(
            [
                bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                bold("Độc lập - Tự do - Hạnh phúc"),
                para("Tây Ninh, ngày 10 tháng 3 năm 2026", ""),
            ]
            .concat(),
        ),
        bold("KẾ HOẠCH"),
        bold("Kiểm tra công tác văn thư"),
        bold("năm 2026"),
        p("I. NỘI DUNG"),
        p("Kiểm tra văn bản đi./."),
    ]
    .concat();
    let plan = load(&import::from_docx(&tiny_docx(&body, None, None)).unwrap());
    assert_eq!(strs(&plan.co_quan_chu_quan), ["UBND TỈNH TÂY NINH"]);
    assert_eq!(strs(&plan.co_quan_ban_hanh), ["SỞ NỘI VỤ"]);
    assert_eq!((plan.so, plan.ky_hieu.as_str(), plan.dia_danh.as_str()), (Some(12), "KH-SNV", "Tây Ninh"));
    // The trích yếu over two centred bold lines.
    assert_eq!(plan.trich_yeu.as_str(), "Kiểm tra công tác văn thư năm 2026");
}

#[test]
fn a_docx_saved_again_by_libreoffice_imports_the_same() {
    let Some(soffice) = require("soffice (LibreOffice)", tool("SOFFICE", &["soffice", "libreoffice"])) else { return };
    let dir = tempfile::tempdir().unwrap();
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("profile").display());
    let src = fixture_dir().join("002-tu-dong.docx");
    // Word file → ODT → DOCX: LibreOffice writes the numbering, styles and tables its own way.
    for (from, to) in [(src.clone(), "odt"), (dir.path().join("002-tu-dong.odt"), "docx")] {
        let out_dir = if to == "docx" { dir.path().join("lo") } else { dir.path().to_path_buf() };
        let st = std::process::Command::new(&soffice)
            .args([
                profile.as_str(),
                "--headless",
                "--convert-to",
                to,
                "--outdir",
                out_dir.to_str().unwrap(),
                from.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(st.status.success(), "{}", String::from_utf8_lossy(&st.stderr));
    }
    let bytes = std::fs::read(dir.path().join("lo/002-tu-dong.docx")).unwrap();
    let imp = import::from_docx(&bytes).unwrap();
    let (share, plan) = share_after_import(&imp, &seed_text("002_"));
    let _ = writeln!(std::io::stderr(), "002-tu-dong.docx saved by LibreOffice: {:.2} % of the words", share * 100.0);
    assert!(share >= 0.98, "{share}");
    assert!(errors(&plan).is_empty(), "{:?}", errors(&plan));
    let typed = load(&import::from_docx(&std::fs::read(fixture_dir().join("002-go-tay.docx")).unwrap()).unwrap());
    let shape = |p: &Plan| {
        nodes(&p.noi_dung).into_iter().map(|(path, n)| (path, n.kieu)).collect::<Vec<_>>()
    };
    assert_eq!(shape(&plan), shape(&typed));
}

#[test]
fn a_long_text_imports_without_slowing_down() {
    // 6,000 khoản all typed "1.": every one is listed, and the import stays linear (a quadratic
    // step here would take minutes). (6,000 nodes with a label and a text are 18,000 of the
    // 20,000 strings and items a plan may hold: the plan must still load.)
    let mut src = format!("{STATE_HEAD}\nI. NỘI DUNG\n");
    for _ in 0..6_000 {
        src.push_str("1. Việc cần làm.\n");
    }
    src.push_str(STATE_TAIL);
    let imp = import::from_text(&src).unwrap();
    assert!(imp.review.iter().filter(|n| n.truong.ends_with(".so_hieu")).count() >= 5_999);
    assert_eq!(load(&imp).noi_dung[0].muc_con.len(), 6_000);
    let lines = import::review::lines(&imp.review);
    assert!(lines.len() < 300 && lines.last().unwrap().contains("--report"));
}

#[test]
fn recipients_without_dashes_and_line_breaks_inside_a_paragraph() {
    let src = format!("{STATE_HEAD}\nI. NỘI DUNG\nThực hiện tốt./.\n\nNơi nhận:\nUBND tỉnh;\nCác phòng;\nLưu: VT, VP.\n\nCHỦ TỊCH\n\nNguyễn Văn A\n");
    let (p, _) = text_plan(&src);
    assert_eq!(p.noi_nhan.muc.len(), 2, "{:?}", p.noi_nhan.muc);
    assert_eq!(strs(&p.nguoi_ky.chuc_vu), ["CHỦ TỊCH"]);
    // A line break (Shift+Enter) inside a paragraph of a DOCX stays inside that paragraph.
    let body = [p_("KẾ HOẠCH"), p_("Thử"), p_("I. NỘI DUNG"), "<w:p><w:r><w:t>Dòng một</w:t><w:br/><w:t>dòng hai.</w:t></w:r></w:p>".into()].concat();
    let plan = load(&import::from_docx(&tiny_docx(&body, None, None)).unwrap());
    assert_eq!(plan.noi_dung[0].van_ban.len(), 1);
    assert_eq!(plan.noi_dung[0].van_ban.0[0].as_str(), "Dòng một\ndòng hai");
}

fn p_(t: &str) -> String {
    p(t)
}

#[test]
fn a_task_table_with_a_heading_row_across_the_columns() {
    let cell = |t: &str| format!("<w:tc>{}</w:tc>", p(t));
    let row = |cells: &[&str]| format!("<w:tr>{}</w:tr>", cells.iter().map(|c| cell(c)).collect::<String>());
    let wide = "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"6\"/></w:tcPr><w:p><w:r><w:t>I. NHIỆM VỤ TRỌNG TÂM</w:t></w:r></w:p></w:tc></w:tr>";
    let table = format!(
        "<w:tbl><w:tblPr><w:tblBorders><w:top w:val=\"single\"/></w:tblBorders></w:tblPr>{}{wide}{}</w:tbl>",
        row(&["STT", "Nội dung", "Chủ trì", "Phối hợp", "Thời gian", "Sản phẩm"]),
        row(&["1", "Số hóa hồ sơ", "Công an xã", "", "Quý I", ""]),
    );
    let body = [p("KẾ HOẠCH"), p("Thử"), p("I. NHIỆM VỤ"), p("1. Nhiệm vụ cụ thể"), table].concat();
    let plan = load(&import::from_docx(&tiny_docx(&body, None, None)).unwrap());
    let rows = &plan.noi_dung[0].muc_con[0].muc_con;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].tieu_de.as_deref(), Some("NHIỆM VỤ TRỌNG TÂM"));
    assert_eq!(rows[1].nhiem_vu.as_ref().and_then(|n| n.chu_tri.as_deref()), Some("Công an xã"));
    docx_of(&plan);
}

// ----- whatever the input, no panic, and a plan that loads -----

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Lines made of the pieces plans are made of, in any order: labels, header forms, stars,
    /// tabs, odd characters.
    fn line() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "KẾ HOẠCH", "Số: 06/KH-UBND", "Số 75-KH/ĐUK", "Số:   /KH", "ngày 31 tháng 02 năm 2022", "ngày 1 tháng 1 năm 0001",
            "Châu Thành,", "I.", "II-", "1.", "1.1.", "4.1-", "a)", "đ)", "(1)", "-", "+", "*", "**", "•", "Nơi nhận:", "- Lưu:",
            "Lưu", "VT,", "TM.", "T/M", "KT.", "TUQ.", "Q.", "CHỦ TỊCH", "Nguyễn Văn A", "Chủ trì:", "Phối hợp:", "Thời gian:",
            "Căn cứ", "Thực hiện", "Trên đây là", "như sau:", "./.", ".", ";", "(báo cáo)", "\t", "   ", "ĐẢNG CỘNG SẢN VIỆT NAM",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "MẬT", "HỎA TỐC", "Dự thảo", "ĐẢNG ỦY",
            "ỦY BAN NHÂN DÂN", "mục", "văn bản", "ẞ", "ﬀ", "\u{FFFF}", "\u{0}", "\u{202E}", "e\u{301}", "😀", "(Đã ký)", "STT",
        ]);
        prop::collection::vec(piece, 0..8).prop_map(|v| v.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

        #[test]
        fn any_text_gives_a_plan_that_loads(lines in prop::collection::vec(line(), 1..40)) {
            let text = lines.join("\n");
            match import::from_text(&text) {
                Ok(imp) => {
                    let plan = parse_plan(&imp.json()).map_err(|e| TestCaseError::fail(format!("{e}\n{}", imp.json())))?;
                    // The rules run on it; rendering may refuse a plan the rules call wrong, but never panics.
                    if let Ok(c) = plan.check_with(&TODAY) {
                        let _ = engine().docx(&c);
                    }
                }
                Err(e) => prop_assert!(e.to_string().contains("không có chữ"), "{e}"),
            }
        }

        #[test]
        fn damaged_docx_never_panics(cuts in prop::collection::vec((0usize..12_000, any::<u8>()), 1..20)) {
            let mut bytes = docx_of(&sample("seed-004.json"));
            for (at, b) in cuts {
                let at = at % bytes.len();
                bytes[at] = b;
            }
            if let Ok(imp) = import::from_docx(&bytes) {
                parse_plan(&imp.json()).map_err(|e| TestCaseError::fail(format!("{e}")))?;
            }
        }
    }
}

#[test]
fn phu_luc_from_text_and_from_a_word_file() {
    // From text: two phụ lục after the signature, the reference line dropped (one names another
    // plan: listed), the body read as a body, the orientation unknown (portrait, listed).
    let body = "I. MỤC ĐÍCH\nNâng cao chất lượng./.\n";
    let pl = "\nPhụ lục I\nDanh mục nhiệm vụ\n(Kèm theo Kế hoạch số 06/KH-UBND ngày 05 tháng 02 năm 2026 của Ủy ban nhân dân xã An Phú)\nI. NHIỆM VỤ\n1. Rà soát văn bản.\n2. Số hóa hồ sơ.\nPhụ lục II\nChỉ tiêu\n(Kèm theo Kế hoạch số 99/KH-UBND ngày 01 tháng 01 năm 2020 của Ủy ban nhân dân xã An Phú)\nCác chỉ tiêu dưới đây tính trong năm 2026.\n";
    let (p, notes) = text_plan(&format!("{STATE_HEAD}\n{body}{STATE_TAIL}{pl}"));
    assert_eq!(p.phu_luc.len(), 2, "{notes:#?}");
    assert_eq!(p.phu_luc[0].tieu_de.as_str(), "Danh mục nhiệm vụ");
    assert_eq!(p.phu_luc[0].so, None, "I is the number the engine computes");
    assert_eq!(p.phu_luc[0].noi_dung[0].tieu_de.as_deref(), Some("NHIỆM VỤ"));
    assert_eq!(p.phu_luc[0].noi_dung[0].muc_con.len(), 2);
    assert_eq!(p.phu_luc[1].noi_dung.len(), 1);
    assert_eq!(p.phu_luc[1].noi_dung[0].kieu, Some(Kieu::Doan));
    assert!(p.phu_luc.iter().all(|x| x.huong == kehoach::plan::model::Huong::Doc));
    assert!(notes.iter().any(|n| n.truong == "phu_luc[0].huong" && n.loai == import::Loai::Thieu), "{notes:#?}");
    assert!(notes.iter().any(|n| n.truong == "phu_luc[1]" && n.thong_bao.contains("không khớp")), "{notes:#?}");
    assert!(!notes.iter().any(|n| n.truong == "phu_luc[0]"), "the first reference line agrees: {notes:#?}");
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
    // The plan's own body stops at the first phụ lục.
    assert_eq!(p.noi_dung.len(), 1);
    // A phụ lục without a title: a placeholder, listed; the reference line is not taken for it.
    let (p, notes) = text_plan(&format!("{STATE_HEAD}\n{body}{STATE_TAIL}\nPhụ lục\n(Kèm theo Kế hoạch số 06/KH-UBND ngày 05 tháng 02 năm 2026)\nNội dung.\n"));
    assert_eq!(p.phu_luc[0].tieu_de.as_str(), "[tên phụ lục]");
    assert!(notes.iter().any(|n| n.truong == "phu_luc[0].tieu_de" && n.loai == import::Loai::Thieu), "{notes:#?}");

    // From a Word file: a landscape section (w:orient on the section that ends the phụ lục).
    let land = "<w:p><w:pPr><w:sectPr><w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/></w:sectPr></w:pPr></w:p>";
    let port = "<w:p><w:pPr><w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:pPr></w:p>";
    let lines = |s: &str| s.lines().map(crate::p).collect::<String>();
    let doc = format!(
        "{}{}{port}{}{land}{}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr>",
        lines(&format!("{STATE_HEAD}\n{body}")),
        lines(STATE_TAIL),
        lines("Phụ lục I\nDanh mục nhiệm vụ\nI. NHIỆM VỤ\n1. Rà soát văn bản."),
        lines("Phụ lục II\nChỉ tiêu\nCác chỉ tiêu dưới đây tính trong năm 2026."),
    );
    let imp = import::from_docx(&tiny_docx(&doc, None, None)).unwrap();
    let p = load(&imp);
    assert_eq!(p.phu_luc.len(), 2, "{:#?}", imp.review);
    assert_eq!(p.phu_luc[0].huong, kehoach::plan::model::Huong::Ngang);
    assert_eq!(p.phu_luc[1].huong, kehoach::plan::model::Huong::Doc);
    assert!(!imp.review.iter().any(|n| n.truong.ends_with(".huong")), "{:#?}", imp.review);
}

#[test]
fn renamed_task_labels_marks_and_title_case() {
    let body = "I. Mục đích, yêu cầu\nNâng cao chất lượng.\nII. Nhiệm vụ\n1. Rà soát\nRà soát văn bản.\n* Chịu trách nhiệm thực hiện: Văn phòng.\n* Đơn vị phối hợp: Các ban.\n2. Kiểm tra\nKiểm tra định kỳ.\n* Cơ quan chủ trì: Ủy ban Kiểm tra.\n* Đơn vị phối hợp: Văn phòng.\n3. Tuyên truyền\nTuyên truyền sâu rộng.\n* Chịu trách nhiệm thực hiện: Ban Tuyên giáo.\nIII. TỔ CHỨC THỰC HIỆN\nCác ban thực hiện./.\n";
    let (p, notes) = text_plan(&format!("{STATE_HEAD}\n{body}{STATE_TAIL}"));
    let nhan = p.nhan_nhiem_vu.as_ref().expect("plan-level labels");
    assert_eq!(nhan.chu_tri.as_deref(), Some("Chịu trách nhiệm thực hiện"));
    assert_eq!(nhan.phoi_hop.as_deref(), Some("Đơn vị phối hợp"));
    assert_eq!(nhan.thoi_gian, None);
    // The item that uses another label keeps it as its own.
    let k2 = &p.noi_dung[1].muc_con[1];
    assert_eq!(k2.nhan_nhiem_vu.as_ref().and_then(|n| n.chu_tri.as_deref()), Some("Cơ quan chủ trì"));
    assert_eq!(k2.nhiem_vu.as_ref().and_then(|n| n.chu_tri.as_deref()), Some("Ủy ban Kiểm tra"));
    assert!(p.noi_dung[1].muc_con[0].nhan_nhiem_vu.is_none());
    assert_eq!(p.dau_dong.as_deref(), Some("*"));
    assert!(notes.iter().any(|n| n.truong == "nhan_nhiem_vu"), "{notes:#?}");
    // Two of three mục titles in their own case: the plan keeps the case, mục III is upper-cased.
    assert_eq!(p.in_hoa_tieu_de, Some(false));
    assert_eq!(p.noi_dung[2].in_hoa_tieu_de, Some(true));
    assert_eq!(p.noi_dung[0].tieu_de.as_deref(), Some("Mục đích, yêu cầu"));
    assert!(errors(&p).is_empty(), "{:?}", errors(&p));
    // Default labels, no mark, titles in capitals: nothing set.
    let (p, _) = text_plan(&format!("{STATE_HEAD}\nI. NHIỆM VỤ\n1. Rà soát\nRà soát văn bản.\nChủ trì: Văn phòng.\n{STATE_TAIL}"));
    assert!(p.nhan_nhiem_vu.is_none() && p.dau_dong.is_none() && p.in_hoa_tieu_de.is_none());
    // in_hai_mat: text says nothing about it.
    assert_eq!(p.in_hai_mat, None);
}
