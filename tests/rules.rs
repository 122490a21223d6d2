//! Every rule of thể thức, each with a plan that breaks it and one that does not. The plans are the
//! samples with one edit: `samples/xa-an-phu-2026.json` (ND 30), `samples/dang-uy-xa-2026.json`
//! (HD 05) and `samples/seed-000.json` (HD 36).

mod common;
use common::*;
use kehoach::rules;
use kehoach::{Finding, MucDo};
use serde_json::{Value, json};

const ND: &str = "xa-an-phu-2026.json";
const HD: &str = "dang-uy-xa-2026.json";
const H36: &str = "seed-000.json";
const PL: &str = "phu-luc-nd30.json";

/// "Today" for every test: fixed, so that date rules do not depend on the clock.
const OPTS: kehoach::CheckOptions = TODAY;

type Edit = fn(&mut Value);

struct Case {
    rule: &'static str,
    base: &'static str,
    /// Makes the plan break the rule …
    breaks: Edit,
    /// … at this path, with this severity.
    path: &'static str,
    muc_do: MucDo,
    /// A near miss that does not break it.
    passes: Edit,
}

fn base(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo().join("samples").join(name)).unwrap()).unwrap()
}

fn check(name: &str, edit: Edit) -> Vec<Finding> {
    let mut v = base(name);
    edit(&mut v);
    let text = serde_json::to_string_pretty(&v).unwrap();
    let plan = kehoach::Plan::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    plan.findings(&OPTS)
}

fn push(v: &mut Value, key: &str, item: Value) {
    v[key].as_array_mut().unwrap().push(item);
}

fn insert_node(v: &mut Value, node: Value) {
    v["noi_dung"].as_array_mut().unwrap().insert(0, node);
}

fn cases() -> Vec<Case> {
    use MucDo::*;
    vec![
        // Required fields and list items.
        Case { rule: "KH-BB-01", base: ND, breaks: |v| v["ky_hieu"] = json!(""), path: "ky_hieu", muc_do: Loi, passes: |v| v["ky_hieu"] = json!("KH-UBND") },
        Case { rule: "KH-BB-01", base: HD, breaks: |v| v["nguoi_ky"]["ho_ten"] = json!("  "), path: "nguoi_ky.ho_ten", muc_do: Loi, passes: |_| {} },
        Case { rule: "KH-BB-02", base: ND, breaks: |v| v["can_cu"][1] = json!(""), path: "can_cu[1]", muc_do: Loi, passes: |v| v["can_cu"][1] = json!("Căn cứ Luật A") },
        Case {
            rule: "KH-BB-02",
            base: ND,
            breaks: |v| v["nguoi_ky"]["quyen_han"][1]["ten"] = json!(""),
            path: "nguoi_ky.quyen_han[1].ten",
            muc_do: Loi,
            passes: |_| {},
        },
        Case {
            rule: "KH-BB-03",
            base: ND,
            breaks: |v| v["nguoi_ky"]["ho_ten"] = json!("[… họ và tên người ký]"),
            path: "nguoi_ky.ho_ten",
            muc_do: Loi,
            passes: |v| v["can_cu"][0] = json!("Căn cứ Luật A [sửa đổi, bổ sung năm 2025] ..."),
        },
        Case {
            rule: "KH-BB-03",
            base: H36,
            breaks: |v| v["noi_dung"][0]["muc_con"][0] = json!("Mục đích [...]"),
            path: "noi_dung[0].muc_con[0]",
            muc_do: Loi,
            passes: |_| {},
        },
        // The header.
        Case {
            rule: "KH-TT-01",
            base: ND,
            breaks: |v| v["co_quan_chu_quan"] = json!(["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND TỈNH ĐỒNG THÁP"]),
            path: "co_quan_chu_quan[0]",
            muc_do: Loi,
            passes: |v| v["co_quan_chu_quan"] = json!(["UBND TỈNH ĐỒNG THÁP"]),
        },
        Case {
            rule: "KH-TT-01",
            base: ND,
            breaks: |v| v["co_quan_ban_hanh"] = json!(["ỦY BAN NHÂN DÂN", "XÃ AN PHÚ", "Độc lập – Tự do – Hạnh phúc"]),
            path: "co_quan_ban_hanh[2]",
            muc_do: Loi,
            passes: |_| {},
        },
        Case {
            rule: "KH-TT-01",
            base: HD,
            breaks: |v| v["co_quan_chu_quan"] = json!("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            path: "co_quan_chu_quan",
            muc_do: Loi,
            passes: |v| v["co_quan_chu_quan"] = json!("ĐẢNG BỘ TỈNH LÂM ĐỒNG"),
        },
        Case {
            rule: "KH-TT-01",
            base: HD,
            breaks: |v| v["co_quan_ban_hanh"] = json!(["ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG UỶ XÃ ĐẠ HUOAI"]),
            path: "co_quan_ban_hanh[0]",
            muc_do: Loi,
            passes: |_| {},
        },
        Case {
            rule: "KH-TT-02",
            base: HD,
            breaks: |v| v["co_quan_ban_hanh"] = json!(["ĐẢNG UỶ XÃ ĐẠ HUOAI", "*"]),
            path: "co_quan_ban_hanh[1]",
            muc_do: Loi,
            passes: |v| v["co_quan_ban_hanh"] = json!(["ĐẢNG UỶ", "XÃ ĐẠ HUOAI"]),
        },
        Case {
            rule: "KH-TT-02",
            base: HD,
            breaks: |v| v["trich_yeu"] = json!("tổ chức các hoạt động kỷ niệm\n-----"),
            path: "trich_yeu",
            muc_do: Loi,
            passes: |v| v["trich_yeu"] = json!("tổ chức các hoạt động kỷ niệm 2/9 - 19/8"),
        },
        Case {
            rule: "KH-TT-03",
            base: HD,
            breaks: |v| v["co_quan_ban_hanh"] = json!(["ỦY BAN NHÂN DÂN", "XÃ ĐẠ HUOAI"]),
            path: "co_quan_ban_hanh",
            muc_do: CanhBao,
            passes: |v| v["co_quan_ban_hanh"] = json!("ỦY BAN KIỂM TRA ĐẢNG UỶ XÃ ĐẠ HUOAI"),
        },
        Case {
            rule: "KH-TT-03",
            base: ND,
            breaks: |v| v["co_quan_ban_hanh"] = json!("ĐẢNG UỶ XÃ AN PHÚ"),
            path: "co_quan_ban_hanh",
            muc_do: CanhBao,
            passes: |v| v["co_quan_ban_hanh"] = json!("SỞ NỘI VỤ"),
        },
        // Số and ký hiệu.
        Case { rule: "KH-SO-01", base: ND, breaks: |v| v["ky_hieu"] = json!("Số: KH-UBND"), path: "ky_hieu", muc_do: Loi, passes: |v| v["ky_hieu"] = json!("KH-UBND") },
        Case { rule: "KH-SO-01", base: HD, breaks: |v| v["ky_hieu"] = json!("Số KH/ĐU"), path: "ky_hieu", muc_do: Loi, passes: |_| {} },
        Case { rule: "KH-SO-02", base: ND, breaks: |v| v["ky_hieu"] = json!("15/KH-UBND"), path: "ky_hieu", muc_do: Loi, passes: |_| {} },
        Case { rule: "KH-SO-02", base: ND, breaks: |v| v["ky_hieu"] = json!("/KH-UBND"), path: "ky_hieu", muc_do: Loi, passes: |_| {} },
        Case { rule: "KH-SO-02", base: HD, breaks: |v| v["ky_hieu"] = json!("12-KH/ĐU"), path: "ky_hieu", muc_do: Loi, passes: |_| {} },
        Case { rule: "KH-SO-03", base: HD, breaks: |v| v["ky_hieu"] = json!("KH-ĐU"), path: "ky_hieu", muc_do: Loi, passes: |v| v["ky_hieu"] = json!("KH/BTCTU-BNCTU") },
        Case { rule: "KH-SO-03", base: ND, breaks: |v| v["ky_hieu"] = json!("KH/UBND"), path: "ky_hieu", muc_do: Loi, passes: |v| v["ky_hieu"] = json!("KH-UBND-VP") },
        Case { rule: "KH-SO-03", base: ND, breaks: |v| v["ky_hieu"] = json!("KH"), path: "ky_hieu", muc_do: Loi, passes: |_| {} },
        Case { rule: "KH-SO-04", base: ND, breaks: |v| v["ky_hieu"] = json!("KH - UBND"), path: "ky_hieu", muc_do: Loi, passes: |_| {} },
        Case { rule: "KH-SO-05", base: ND, breaks: |v| v["ky_hieu"] = json!("KH–UBND"), path: "ky_hieu", muc_do: Loi, passes: |_| {} },
        Case { rule: "KH-SO-06", base: ND, breaks: |v| v["ky_hieu"] = json!("KHO-UBND"), path: "ky_hieu", muc_do: Loi, passes: |v| {
            v["ten_loai"] = json!("CHƯƠNG TRÌNH");
            v["ky_hieu"] = json!("CTr-UBND");
        } },
        Case { rule: "KH-SO-07", base: ND, breaks: |v| v["ky_hieu"] = json!("KH-Ubnd"), path: "ky_hieu", muc_do: CanhBao, passes: |_| {} },
        Case { rule: "KH-SO-08", base: ND, breaks: |v| v["so"] = json!(0), path: "so", muc_do: Loi, passes: |v| v["so"] = json!(1) },
        // Dates.
        Case { rule: "KH-NG-01", base: ND, breaks: |v| v["ngay"] = json!("2028-01-16"), path: "ngay", muc_do: CanhBao, passes: |v| v["ngay"] = json!("2027-07-31") },
        Case { rule: "KH-NG-02", base: HD, breaks: |v| v["ngay"] = json!("2026-03-02"), path: "ngay", muc_do: CanhBao, passes: |v| v["ngay"] = json!("2026-05-27") },
        Case { rule: "KH-NG-02", base: H36, breaks: |v| v["ngay"] = json!("2026-07-01"), path: "ngay", muc_do: CanhBao, passes: |v| v["ngay"] = json!("2026-05-26") },
        // The trích yếu.
        Case {
            rule: "KH-TY-01",
            base: ND,
            breaks: |v| v["trich_yeu"] = json!("Cải cách hành chính năm 2026."),
            path: "trich_yeu",
            muc_do: ThongTin,
            passes: |v| v["trich_yeu"] = json!("Cải cách hành chính năm 2026 (giai đoạn 1)"),
        },
        Case {
            rule: "KH-TY-02",
            base: ND,
            breaks: |v| v["trich_yeu"] = json!("Kế hoạch cải cách hành chính năm 2026"),
            path: "trich_yeu",
            muc_do: CanhBao,
            passes: |v| v["trich_yeu"] = json!("Triển khai kế hoạch cải cách hành chính của tỉnh"),
        },
        Case { rule: "KH-TY-02", base: ND, breaks: |v| v["trich_yeu"] = json!("V/v cải cách hành chính"), path: "trich_yeu", muc_do: CanhBao, passes: |_| {} },
        // Căn cứ.
        Case {
            rule: "KH-CC-01",
            base: ND,
            breaks: |v| v["can_cu"][0] = json!("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025,"),
            path: "can_cu[0]",
            muc_do: ThongTin,
            passes: |v| v["can_cu"][0] = json!("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"),
        },
        Case {
            rule: "KH-CC-01",
            base: HD,
            breaks: |v| v["can_cu"][2] = json!("Căn cứ Chương trình công tác năm 2026 của Ban Chấp hành Đảng bộ xã;"),
            path: "can_cu[2]",
            muc_do: ThongTin,
            passes: |v| v["can_cu"][2] = json!("Căn cứ Chương trình công tác năm 2026 của Ban Chấp hành Đảng bộ xã."),
        },
        Case {
            rule: "KH-CC-02",
            base: HD,
            breaks: |v| v["can_cu"][0] = json!("- Căn cứ Hướng dẫn số 21-HD/BTGDVTW"),
            path: "can_cu[0]",
            muc_do: Loi,
            passes: |v| v["can_cu"][0] = json!("Căn cứ Hướng dẫn số 21-HD/BTGDVTW - phần 2"),
        },
        Case { rule: "KH-CC-02", base: ND, breaks: |v| v["can_cu"][1] = json!("+ Căn cứ Nghị quyết số 76/NQ-CP"), path: "can_cu[1]", muc_do: Loi, passes: |_| {} },
        // The body.
        Case {
            rule: "KH-ND-01",
            base: ND,
            breaks: |v| insert_node(v, json!({"kieu": "muc", "tieu_de": "CĂN CỨ XÂY DỰNG KẾ HOẠCH"})),
            path: "noi_dung[0].tieu_de",
            muc_do: CanhBao,
            passes: |v| insert_node(v, json!({"kieu": "muc", "tieu_de": "CĂN CỨ", "van_ban": "Các căn cứ nêu trên."})),
        },
        Case {
            rule: "KH-ND-02",
            base: ND,
            breaks: |v| insert_node(v, json!({"kieu": "khoan"})),
            path: "noi_dung[0]",
            muc_do: Loi,
            passes: |v| insert_node(v, json!({"kieu": "doan", "nhiem_vu": {"chu_tri": "Công an xã"}})),
        },
        Case {
            rule: "KH-ND-02",
            base: ND,
            breaks: |v| v["noi_dung"].as_array_mut().unwrap().push(json!("")),
            path: "noi_dung[4]",
            muc_do: Loi,
            passes: |v| v["noi_dung"].as_array_mut().unwrap().push(json!("Một đoạn văn.")),
        },
        Case {
            rule: "KH-ND-05",
            base: ND,
            breaks: |v| v["noi_dung"] = json!([]),
            path: "noi_dung",
            muc_do: CanhBao,
            passes: |v| v["noi_dung"] = json!(["Một đoạn văn."]),
        },
        Case {
            rule: "KH-ND-03",
            base: ND,
            breaks: |v| v["noi_dung"][1]["so_hieu"] = json!("I."),
            path: "noi_dung[1].so_hieu",
            muc_do: CanhBao,
            passes: |v| v["noi_dung"][1]["so_hieu"] = json!("II."),
        },
        Case { rule: "KH-ND-03", base: ND, breaks: |v| v["noi_dung"][1]["so_hieu"] = json!("III."), path: "noi_dung[1].so_hieu", muc_do: CanhBao, passes: |_| {} },
        Case {
            rule: "KH-ND-04",
            base: ND,
            breaks: |v| v["noi_dung"][0]["tieu_de"] = json!("I. MỤC ĐÍCH, YÊU CẦU"),
            path: "noi_dung[0].tieu_de",
            muc_do: Loi,
            passes: |v| v["noi_dung"][0]["tieu_de"] = json!("MỤC ĐÍCH, YÊU CẦU NĂM 2026"),
        },
        Case {
            rule: "KH-ND-04",
            base: ND,
            breaks: |v| v["noi_dung"][0]["tieu_de"] = json!("1. MỤC ĐÍCH, YÊU CẦU"),
            path: "noi_dung[0].tieu_de",
            muc_do: CanhBao,
            passes: |v| v["noi_dung"][0]["so_hieu"] = json!("1."),
        },
        Case {
            rule: "KH-KT-01",
            base: HD,
            breaks: |v| v["ket_thuc"] = json!("Đề nghị các chi bộ trực thuộc nghiêm túc triển khai thực hiện./."),
            path: "ket_thuc",
            muc_do: ThongTin,
            passes: |v| v["ket_thuc"] = json!("Đề nghị các chi bộ trực thuộc nghiêm túc triển khai thực hiện."),
        },
        // Nơi nhận.
        Case { rule: "KH-NN-01", base: ND, breaks: |v| v["noi_nhan"]["luu"] = json!("Lưu: VT, VP"), path: "noi_nhan.luu", muc_do: Loi, passes: |v| v["noi_nhan"]["luu"] = json!("VT, VP") },
        Case {
            rule: "KH-NN-01",
            base: HD,
            breaks: |v| push(&mut v["noi_nhan"], "muc", json!("Lưu Văn phòng Đảng uỷ")),
            path: "noi_nhan.muc[6]",
            muc_do: Loi,
            passes: |v| push(&mut v["noi_nhan"], "muc", json!("Lưu trữ lịch sử tỉnh")),
        },
        Case {
            rule: "KH-NN-02",
            base: HD,
            breaks: |v| v["noi_nhan"]["luu"] = json!("VT, Văn phòng Đảng uỷ"),
            path: "noi_nhan.luu",
            muc_do: Loi,
            passes: |v| v["noi_nhan"]["luu"] = json!("Văn phòng Đảng uỷ"),
        },
        // HD 36's nơi nhận is not known from its own text: the same mistake is only a warning.
        Case { rule: "KH-NN-02", base: H36, breaks: |v| v["noi_nhan"]["luu"] = json!("VT, VP"), path: "noi_nhan.luu", muc_do: CanhBao, passes: |_| {} },
        Case { rule: "KH-NN-03", base: ND, breaks: |v| v["noi_nhan"]["luu"] = json!("VP"), path: "noi_nhan.luu", muc_do: Loi, passes: |v| v["noi_nhan"]["luu"] = json!("VT, VP (02 bản)") },
        Case { rule: "KH-NN-04", base: ND, breaks: |v| v["noi_nhan"]["muc"][1] = json!("- TT. Đảng ủy xã"), path: "noi_nhan.muc[1]", muc_do: Loi, passes: |_| {} },
        Case {
            rule: "KH-NN-04",
            base: ND,
            breaks: |v| v["noi_nhan"]["muc"][0]["muc"][1] = json!("- Sở Nội vụ"),
            path: "noi_nhan.muc[0].muc[1]",
            muc_do: Loi,
            passes: |v| v["noi_nhan"]["muc"][0]["muc"][1] = json!("Sở Nội vụ;"),
        },
        Case { rule: "KH-NN-05", base: ND, breaks: |v| v["noi_nhan"]["muc"][1] = json!("Như trên;"), path: "noi_nhan.muc[1]", muc_do: CanhBao, passes: |_| {} },
        // The signature.
        Case {
            rule: "KH-KY-01",
            base: ND,
            breaks: |v| v["nguoi_ky"]["quyen_han"][0]["ten"] = json!("TM. ỦY BAN NHÂN DÂN"),
            path: "nguoi_ky.quyen_han[0].ten",
            muc_do: Loi,
            passes: |v| v["nguoi_ky"]["quyen_han"][0]["ten"] = json!("ỦY BAN NHÂN DÂN XÃ"),
        },
        Case {
            rule: "KH-KY-01",
            base: ND,
            breaks: |v| {
                v["nguoi_ky"]["quyen_han"] = json!([]);
                v["nguoi_ky"]["chuc_vu"] = json!(["T/M ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]);
            },
            path: "nguoi_ky.chuc_vu[0]",
            muc_do: Loi,
            passes: |_| {},
        },
        Case {
            rule: "KH-KY-01",
            base: HD,
            breaks: |v| {
                v["nguoi_ky"]["quyen_han"] = json!([]);
                v["nguoi_ky"]["chuc_vu"] = json!(["TM. ĐẢNG UỶ", "PHÓ BÍ THƯ"]);
            },
            path: "nguoi_ky.chuc_vu[0]",
            muc_do: Loi,
            passes: |v| v["nguoi_ky"]["chuc_vu"] = json!(["PHÓ BÍ THƯ", "kiêm TRƯỞNG BAN CHỈ ĐẠO"]),
        },
        Case {
            rule: "KH-KY-02",
            base: HD,
            breaks: |v| v["nguoi_ky"]["quyen_han"] = json!([{"loai": "tuq", "ten": "BÍ THƯ"}]),
            path: "nguoi_ky.quyen_han[0].loai",
            muc_do: Loi,
            passes: |v| v["nguoi_ky"]["quyen_han"] = json!([{"loai": "tl", "ten": "BAN THƯỜNG VỤ"}]),
        },
        Case {
            rule: "KH-KY-03",
            base: ND,
            breaks: |v| v["nguoi_ky"]["ho_ten"] = json!("TS. Nguyễn Thanh Tùng"),
            path: "nguoi_ky.ho_ten",
            muc_do: Loi,
            passes: |v| v["nguoi_ky"]["ho_ten"] = json!("Nguyễn Tiến Sĩ"),
        },
        Case { rule: "KH-KY-03", base: HD, breaks: |v| v["nguoi_ky"]["ho_ten"] = json!("PGS.TS Nguyễn Văn Thành"), path: "nguoi_ky.ho_ten", muc_do: Loi, passes: |_| {} },
        Case { rule: "KH-KY-03", base: ND, breaks: |v| v["nguoi_ky"]["ho_ten"] = json!("Thạc sĩ Nguyễn Thanh Tùng"), path: "nguoi_ky.ho_ten", muc_do: Loi, passes: |_| {} },
        Case {
            rule: "KH-KY-04",
            base: HD,
            breaks: |v| v["nguoi_ky"]["ho_ten"] = json!("Đồng chí Nguyễn Văn Thành"),
            path: "nguoi_ky.ho_ten",
            muc_do: Loi,
            passes: |v| v["nguoi_ky"]["ho_ten"] = json!("Nguyễn Đồng Chí"),
        },
        Case { rule: "KH-KY-04", base: ND, breaks: |v| v["nguoi_ky"]["ho_ten"] = json!("Đại tá Nguyễn Thanh Tùng"), path: "nguoi_ky.ho_ten", muc_do: CanhBao, passes: |_| {} },
        Case { rule: "KH-KY-04", base: HD, breaks: |v| v["nguoi_ky"]["ho_ten"] = json!("Ông Văn Thành"), path: "nguoi_ky.ho_ten", muc_do: CanhBao, passes: |_| {} },
        Case {
            rule: "KH-KY-05",
            base: ND,
            breaks: |v| v["nguoi_ky"]["chuc_vu"] = json!("CHỦ TỊCH"),
            path: "nguoi_ky.chuc_vu",
            muc_do: Loi,
            passes: |v| v["nguoi_ky"]["chuc_vu"] = json!("PHÓ CHỦ TỊCH THƯỜNG TRỰC"),
        },
        Case {
            rule: "KH-KY-05",
            base: ND,
            breaks: |v| v["nguoi_ky"]["chuc_vu"] = json!([]),
            path: "nguoi_ky.chuc_vu",
            muc_do: Loi,
            passes: |v| {
                v["nguoi_ky"]["quyen_han"] = json!([{"loai": "kt", "ten": "BỘ TRƯỞNG"}]);
                v["nguoi_ky"]["chuc_vu"] = json!("THỨ TRƯỞNG");
            },
        },
        Case {
            rule: "KH-KY-06",
            base: HD,
            breaks: |v| v["nguoi_ky"]["quyen_han"] = json!([{"loai": "kt", "ten": "ĐẢNG UỶ"}]),
            path: "nguoi_ky.quyen_han[0]",
            muc_do: Loi,
            passes: |v| {
                v["nguoi_ky"]["quyen_han"] = json!([{"loai": "kt", "ten": "TRƯỞNG BAN"}]);
                v["nguoi_ky"]["chuc_vu"] = json!("PHÓ TRƯỞNG BAN");
            },
        },
        Case {
            rule: "KH-KY-06",
            base: HD,
            breaks: |v| v["nguoi_ky"]["quyen_han"] = json!([{"loai": "tm", "ten": "ĐẢNG UỶ"}, {"loai": "kt", "ten": "BÍ THƯ"}]),
            path: "nguoi_ky.quyen_han[1]",
            muc_do: Loi,
            passes: |_| {},
        },
        Case {
            rule: "KH-KY-07",
            base: HD,
            breaks: |v| v["nguoi_ky"]["chuc_vu"] = json!("PHÓ BÍ THƯ ĐẢNG UỶ XÃ"),
            path: "nguoi_ky.chuc_vu",
            muc_do: Loi,
            passes: |v| v["nguoi_ky"]["chuc_vu"] = json!("PHÓ BÍ THƯ THƯỜNG TRỰC"),
        },
        Case {
            rule: "KH-KY-07",
            base: HD,
            breaks: |v| v["nguoi_ky"]["chuc_vu"] = json!("PHÓ BÍ THƯ TỈNH UỶ"),
            path: "nguoi_ky.chuc_vu",
            muc_do: CanhBao,
            passes: |_| {},
        },
        Case {
            rule: "KH-KY-08",
            base: HD,
            breaks: |v| v["nguoi_ky"]["chuc_vu"] = json!("CHÁNH VĂN PHÒNG"),
            path: "nguoi_ky.chuc_vu",
            muc_do: Loi,
            passes: |v| v["nguoi_ky"]["chuc_vu"] = json!("BÍ THƯ"),
        },
        // Encoding and spelling.
        Case {
            rule: "KH-MA-01",
            base: ND,
            breaks: |v| v["trich_yeu"] = json!("C¶i c¸ch hµnh chÝnh n¨m 2026"),
            path: "trich_yeu",
            muc_do: CanhBao,
            passes: |v| v["trich_yeu"] = json!("Cải cách hành chính năm 2026 tại Noël và Müller"),
        },
        Case {
            rule: "KH-MA-02",
            base: ND,
            breaks: |v| v["trich_yeu"] = json!("Ca\u{309}i ca\u{301}ch ha\u{300}nh chi\u{301}nh"),
            path: "trich_yeu",
            muc_do: ThongTin,
            passes: |v| v["trich_yeu"] = json!("Cải cách hành chính"),
        },
        Case {
            rule: "KH-MA-03",
            base: ND,
            breaks: |v| v["trich_yeu"] = json!("Cải cách hành chính và chuyển đổi số hoá năm 2026"),
            path: "trich_yeu",
            muc_do: CanhBao,
            passes: |v| v["trich_yeu"] = json!("Cải cách hành chính và chuyển đổi số hóa năm 2026"),
        },
        Case {
            rule: "KH-MA-03",
            base: ND,
            breaks: |v| v["trich_yeu"] = json!("Cải cách hành chính, thuỷ lợi năm 2026"),
            path: "",
            muc_do: CanhBao,
            passes: |v| v["trich_yeu"] = json!("Cải cách hành chính, thủy lợi năm 2026"),
        },
        Case {
            rule: "KH-MA-04",
            base: ND,
            breaks: |v| v["nguoi_ky"]["ho_ten"] = json!("Nguyễn\u{200F} Thanh\u{200B} Tùng"),
            path: "nguoi_ky.ho_ten",
            muc_do: ThongTin,
            passes: |_| {},
        },
        Case {
            rule: "KH-MA-05",
            base: ND,
            breaks: |v| v["noi_dung"][0]["muc_con"][0] = json!("Phấn đấu 100% hồ sơ đúng hạn 😀"),
            path: "noi_dung[0].muc_con[0]",
            muc_do: CanhBao,
            passes: |v| v["noi_dung"][0]["muc_con"][0] = json!("Phấn đấu 100% hồ sơ đúng hạn → tốt “nhất” … – ½ °C ±"),
        },
        // Place names after the two-level reform.
        Case {
            rule: "KH-DD-01",
            base: ND,
            breaks: |v| v["co_quan_ban_hanh"] = json!(["ỦY BAN NHÂN DÂN", "HUYỆN AN PHÚ"]),
            path: "co_quan_ban_hanh[1]",
            muc_do: CanhBao,
            passes: |v| {
                v["co_quan_ban_hanh"] = json!(["ỦY BAN NHÂN DÂN", "HUYỆN AN PHÚ"]);
                v["ngay"] = json!("2025-06-30");
            },
        },
        Case {
            rule: "KH-DD-01",
            base: HD,
            breaks: |v| push(&mut v["noi_nhan"], "muc", json!("Huyện uỷ Đạ Huoai")),
            path: "noi_nhan.muc[6]",
            muc_do: CanhBao,
            passes: |v| push(&mut v["noi_nhan"], "muc", json!("Các xã, phường trên địa bàn tỉnh")),
        },
        Case {
            rule: "KH-NN-06",
            base: ND,
            breaks: |v| v["noi_nhan"]["muc"][0]["gom_dong_luu"] = json!(true),
            path: "noi_nhan.muc[0].gom_dong_luu",
            muc_do: Loi,
            passes: |v| {
                let g = v["noi_nhan"]["muc"].as_array_mut().unwrap().remove(0);
                v["noi_nhan"]["muc"].as_array_mut().unwrap().push(g);
                let n = v["noi_nhan"]["muc"].as_array().unwrap().len();
                v["noi_nhan"]["muc"][n - 1]["gom_dong_luu"] = json!(true);
            },
        },
        // Phụ lục (sample phu-luc-nd30.json has two: I, and II on landscape pages).
        Case {
            rule: "KH-PL-01",
            base: PL,
            breaks: |v| v["phu_luc"][1]["tieu_de"] = json!(""),
            path: "phu_luc[1].tieu_de",
            muc_do: Loi,
            passes: |v| v["phu_luc"][1]["tieu_de"] = json!("Nhiệm vụ"),
        },
        Case {
            rule: "KH-PL-02",
            base: PL,
            breaks: |v| v["phu_luc"][1]["so"] = json!("III"),
            path: "phu_luc[1].so",
            muc_do: Loi,
            passes: |v| v["phu_luc"][1]["so"] = json!("II"),
        },
        Case {
            rule: "KH-PL-02",
            base: PL,
            breaks: |v| v["phu_luc"][0]["so"] = json!("1"),
            path: "phu_luc[0].so",
            muc_do: Loi,
            passes: |v| v["phu_luc"][0]["so"] = json!("I"),
        },
        Case {
            rule: "KH-PL-02",
            base: HD,
            breaks: |v| v["phu_luc"] = json!([{"so": "I", "tieu_de": "Danh sách", "noi_dung": ["Chi bộ ấp 1."]}]),
            path: "phu_luc[0].so",
            muc_do: Loi,
            passes: |v| v["phu_luc"] = json!([{"so": "1", "tieu_de": "Danh sách", "noi_dung": ["Chi bộ ấp 1."]}]),
        },
        Case {
            rule: "KH-PL-03",
            base: PL,
            breaks: |v| v["phu_luc"].as_array_mut().unwrap().truncate(1),
            path: "noi_dung[0].muc_con[1].muc_con[0]",
            muc_do: CanhBao,
            passes: |_| {},
        },
        Case {
            rule: "KH-PL-04",
            base: PL,
            breaks: |v| v["phu_luc"][0]["noi_dung"] = json!([]),
            path: "phu_luc[0].noi_dung",
            muc_do: CanhBao,
            passes: |_| {},
        },
        Case {
            rule: "KH-PL-05",
            base: PL,
            breaks: |v| v["ngay"] = json!("2026"),
            path: "phu_luc",
            muc_do: ThongTin,
            passes: |_| {},
        },
    ]
}

#[test]
fn every_rule_has_a_breaking_and_a_passing_plan() {
    let mut failures = Vec::new();
    for (i, c) in cases().iter().enumerate() {
        let broken = check(c.base, c.breaks);
        let hit = broken.iter().any(|f| f.ma == c.rule && f.truong == c.path && f.muc_do == c.muc_do);
        if !hit {
            failures.push(format!("case {i} {} on {}: expected {:?} at `{}`, got {broken:#?}", c.rule, c.base, c.muc_do, c.path));
        }
        let ok = check(c.base, c.passes);
        if let Some(f) = ok.iter().find(|f| f.ma == c.rule) {
            failures.push(format!("case {i} {} on {}: the passing plan has {f:#?}", c.rule, c.base));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_of_the_catalogue_is_tested() {
    let tested: Vec<&str> = cases().iter().map(|c| c.rule).collect();
    for r in rules::RULES {
        assert!(tested.contains(&r.ma), "no test case for {}", r.ma);
    }
}

#[test]
fn samples_and_fixtures_have_no_errors() {
    for name in SAMPLES.iter().chain(FIXTURES) {
        let mut path = repo().join("samples").join(name);
        if !path.exists() {
            path = repo().join("tests/fixtures").join(name);
        }
        let plan = kehoach::Plan::read(path.to_str().unwrap()).unwrap();
        let f = plan.findings(&kehoach::CheckOptions::now());
        assert!(!rules::has_errors(&f), "{name}: {f:#?}");
    }
}

#[test]
fn findings_are_vietnamese_and_cite_a_clause() {
    for c in cases() {
        for f in check(c.base, c.breaks) {
            assert!(f.thong_bao.chars().any(|ch| !ch.is_ascii()), "{f:?}");
            assert!(!f.can_cu.is_empty() && rules::rule_info(f.ma).is_some(), "{f:?}");
        }
    }
}

#[test]
fn findings_come_in_document_order() {
    let f = check(ND, |v| {
        v["nguoi_ky"]["ho_ten"] = json!("TS. Nguyễn Thanh Tùng");
        v["ky_hieu"] = json!("KH - UBND");
        v["can_cu"][0] = json!("- Căn cứ A");
    });
    let paths: Vec<&str> = f.iter().map(|f| f.truong.as_str()).collect();
    assert_eq!(paths, ["ky_hieu", "can_cu[0]", "nguoi_ky.ho_ten"]);
}

#[test]
fn a_rule_lists_at_most_its_cap_and_counts_the_rest() {
    let f = check(ND, |v| {
        let items: Vec<Value> = (0..100).map(|i| json!(format!("- Đơn vị {i}"))).collect();
        v["noi_nhan"]["muc"] = json!(items);
    });
    let nn: Vec<&Finding> = f.iter().filter(|f| f.ma == "KH-NN-04").collect();
    assert_eq!(nn.len(), rules::MAX_PER_RULE + 1);
    assert!(nn.iter().any(|f| f.truong.is_empty() && f.thong_bao.contains("70")), "{nn:#?}");
}
