//! The view: what the templates see. It applies the regime's profile to a checked plan once (item
//! numbers from [`crate::regime::numbering`], số/ký hiệu, date line, punctuation of căn cứ, tasks and
//! nơi nhận, signing prefixes, the body's ending), so the templates only arrange ready pieces and
//! never need to know the rules. It cannot fail: the plan passed the checks.

use crate::plan::model::{CanCuTrinhBay, Huong, Kieu, NhanNhiemVu, NhiemVu, NhiemVuTrinhBay, Node, NoiNhanMuc, Plan};
use crate::regime::numbering::Numbering;
use crate::regime::{Profile, vn};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct View {
    pub the_thuc: &'static str,
    pub co_quan_chu_quan: Vec<String>,
    pub co_quan_ban_hanh: Vec<String>,
    pub so_ky_hieu: String,
    pub dia_danh_ngay: String,
    pub dau_khan: Option<String>,
    pub dau_mat: Option<String>,
    pub pham_vi_luu_hanh: Option<String>,
    pub du_thao: Option<String>,
    pub ten_loai: String,
    pub trich_yeu: String,
    pub can_cu: Vec<String>,
    /// The style of the căn cứ paragraphs: the regime's căn cứ style, or "body" for paragraphs.
    pub can_cu_style: &'static str,
    pub mo_dau: Vec<String>,
    pub noi_dung: Vec<BodyBlock>,
    pub ket_thuc: Vec<String>,
    pub noi_nhan: NoiNhanView,
    pub nguoi_ky: NguoiKyView,
    pub ky_hieu_soan_thao: Option<String>,
    pub phu_luc: Vec<PhuLucView>,
}

/// A phụ lục, ready to print.
#[derive(Debug, Serialize)]
pub struct PhuLucView {
    /// "Phụ lục II" (or "Phụ lục" alone when the plan has only one).
    pub nhan: String,
    pub tieu_de: String,
    /// "(Kèm theo Kế hoạch số 06/KH-UBND ngày 05 tháng 02 năm 2026 của Ủy ban nhân dân xã An Phú)".
    pub kem_theo: String,
    pub noi_dung: Vec<BodyBlock>,
    /// On landscape pages.
    pub ngang: bool,
}

/// One block of the body, flattened from the tree in reading order.
#[derive(Debug, Serialize)]
pub struct BodyBlock {
    /// "p" (a paragraph) or "bang" (a task table).
    pub kind: &'static str,
    pub style: &'static str,
    /// The number or mark in front ("I.", "1.", "a)", "-"), empty for none.
    pub label: String,
    /// The text (inline emphasis still marked with `*`).
    pub text: String,
    /// Tasks shown as labelled lines under this paragraph ("Chủ trì: …").
    pub nhiem_vu: Vec<TaskLine>,
    /// Rows of a task table.
    pub rows: Vec<TaskRow>,
    /// The task table goes on landscape pages.
    pub ngang: bool,
    /// The headings of a task table's columns after Nội dung (Chủ trì, Phối hợp, Thời gian, Sản phẩm).
    pub cot: Vec<String>,
    /// The text keeps its case (a mục title the plan asks not to upper-case).
    pub giu_chu: bool,
    /// Where in the plan this came from, e.g. `noi_dung[1].muc_con[0].tieu_de`.
    pub path: String,
}

/// A task line under an item: its label ("Chủ trì") and its text, end mark included.
#[derive(Debug, Serialize)]
pub struct TaskLine {
    /// The mark in front ("*"), empty for none.
    pub dau: String,
    pub nhan: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct TaskRow {
    pub stt: String,
    pub noi_dung: String,
    pub chu_tri: String,
    pub phoi_hop: String,
    pub thoi_gian: String,
    pub san_pham: String,
}

#[derive(Debug, Serialize)]
pub struct NoiNhanView {
    pub nhan: &'static str,
    pub muc: Vec<NoiNhanItemView>,
    pub luu: String,
}

#[derive(Debug, Serialize)]
pub struct NoiNhanItemView {
    /// One recipient: its line ("- UBND tỉnh;"). Empty for a group.
    pub text: String,
    /// A group: its lines, and the shared note ("(báo cáo);").
    pub nhom: Vec<String>,
    pub ghi_chu: String,
}

#[derive(Debug, Serialize)]
pub struct NguoiKyView {
    pub quyen_han: Vec<String>,
    pub chuc_vu: Vec<String>,
    pub ho_ten: String,
    pub chuc_danh_duoi_ten: Vec<String>,
}

pub fn build(plan: &Plan, p: &Profile, numbering: &Numbering) -> View {
    let lines = |l: &crate::plan::model::Lines| l.iter().map(|t| t.to_string()).collect::<Vec<_>>();

    let n = plan.can_cu.len();
    let can_cu = plan
        .can_cu
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let end = if i + 1 == n { p.can_cu.last } else { p.can_cu.sep };
            format!("{}{}", p.can_cu.prefix, vn::with_end(c, end))
        })
        .collect();
    let can_cu_style = match plan.can_cu_trinh_bay {
        CanCuTrinhBay::Dong => p.can_cu_style,
        CanCuTrinhBay::DoanVan => "body",
    };

    let mut noi_dung = Vec::new();
    let top = Inherited {
        nhan: plan.nhan_nhiem_vu.clone().unwrap_or_default(),
        dau: plan.dau_dong.as_ref().map(|t| t.to_string()).unwrap_or_default(),
        in_hoa: plan.in_hoa_tieu_de.unwrap_or(true),
    };
    let mut walker = Walker { numbering, next: 0, out: &mut noi_dung, inherited: top.clone() };
    walker.nodes(&plan.noi_dung, "noi_dung");
    let mut phu_luc = Vec::new();
    let count = plan.phu_luc.len();
    let kem_theo = kem_theo(plan, p);
    for (i, pl) in plan.phu_luc.iter().enumerate() {
        let mut blocks = Vec::new();
        let mut w = Walker { numbering, next: walker.next, out: &mut blocks, inherited: top.clone() };
        w.nodes(&pl.noi_dung, &format!("phu_luc[{i}].noi_dung"));
        walker.next = w.next;
        let so = match &pl.so {
            Some(t) if !t.is_empty() => Some(t.to_string()),
            _ if count >= p.phu_luc.danh_so_tu => Some(p.phu_luc.number(i as u32 + 1)),
            _ => None,
        };
        phu_luc.push(PhuLucView {
            nhan: match so {
                Some(so) => format!("{} {so}", p.phu_luc.nhan),
                None => p.phu_luc.nhan.to_string(),
            },
            tieu_de: pl.tieu_de.to_string(),
            kem_theo: kem_theo.clone(),
            noi_dung: blocks,
            ngang: pl.huong == Huong::Ngang,
        });
    }

    // The body ends with the regime's mark, after its last line whatever that is: the closing
    // paragraph, else the last task line, the last paragraph, or the last cell of a task table.
    let mut ket_thuc = lines(&plan.ket_thuc);
    if let Some(last) = ket_thuc.last_mut() {
        *last = vn::with_end(last, p.ket_thuc);
    } else if let Some(last) = noi_dung.last_mut() {
        let text = match (last.kind, last.nhiem_vu.last_mut(), last.rows.last_mut()) {
            (_, Some(task), _) => Some(&mut task.text),
            ("bang", _, Some(row)) => row.last_cell(),
            ("p", _, _) => Some(&mut last.text),
            _ => None,
        };
        if let Some(t) = text {
            *t = vn::with_end(t, p.ket_thuc);
        }
    }

    let nn = &p.noi_nhan;
    // Each recipient ends with the regime's separator; the last one (before the lưu line) with its
    // last-item mark.
    let item = |t: &str, end: &str| format!("{}{}{}", nn.items.prefix, vn::strip_end_punct(t), end);
    let count = plan.noi_nhan.muc.len();
    let luu = format!("{}{}{}.", nn.items.prefix, nn.luu_prefix, vn::strip_end_punct(&plan.noi_nhan.luu));
    // The lưu line inside the last group's brace, where the plan puts it there.
    let luu_in_group = matches!(plan.noi_nhan.muc.last(), Some(NoiNhanMuc::Nhom(g)) if g.gom_dong_luu);
    let muc = plan
        .noi_nhan
        .muc
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let end = if i + 1 == count { nn.items.last } else { nn.items.sep };
            match m {
                NoiNhanMuc::Mot(t) => NoiNhanItemView { text: item(t, end), nhom: vec![], ghi_chu: String::new() },
                NoiNhanMuc::Nhom(g) => {
                    let mut nhom: Vec<String> = g.muc.iter().map(|t| item(t, nn.items.sep)).collect();
                    if luu_in_group && i + 1 == count {
                        nhom.push(luu.clone());
                    }
                    // The shared note in brackets, followed by what the plan wrote after it ("(báo
                    // cáo);" in seed 004) and nothing else: the brace closes the group (issue 12).
                    let core = vn::strip_end_punct(&g.ghi_chu);
                    let tail = g.ghi_chu[core.len()..].trim();
                    let core = core.trim().trim_start_matches('(').trim_end_matches(')');
                    NoiNhanItemView { text: String::new(), nhom, ghi_chu: format!("({core}){tail}") }
                }
            }
        })
        .collect();
    let luu = if luu_in_group { String::new() } else { luu };

    // A form the regime does not have cannot pass the checks (KH-KY-02); were it here, it would be
    // printed in the state form rather than dropped.
    let quyen_han = plan
        .nguoi_ky
        .quyen_han
        .iter()
        .map(|q| {
            match p.quyen_han.prefix(q.loai) {
                Some(prefix) => format!("{prefix} {}", q.ten),
                None => format!("{}. {}", q.loai.code().to_uppercase(), q.ten),
            }
        })
        .collect();

    View {
        the_thuc: plan.the_thuc.code(),
        co_quan_chu_quan: lines(&plan.co_quan_chu_quan),
        co_quan_ban_hanh: lines(&plan.co_quan_ban_hanh),
        so_ky_hieu: vn::so_ky_hieu(&p.so, plan.so, &plan.ky_hieu),
        dia_danh_ngay: vn::dia_danh_ngay(&plan.dia_danh, plan.ngay.as_ref()),
        dau_khan: plan.do_khan.map(|k| p.stamps.khan_text(k).to_string()),
        dau_mat: plan.do_mat.map(|m| p.stamps.mat_text(m).to_string()),
        pham_vi_luu_hanh: plan.pham_vi_luu_hanh.as_ref().map(|t| t.to_string()),
        du_thao: plan.du_thao.as_ref().map(|t| t.to_string()),
        ten_loai: plan.ten_loai.to_string(),
        trich_yeu: vn::strip_trich_yeu_end(&plan.trich_yeu).to_string(),
        can_cu,
        can_cu_style,
        mo_dau: lines(&plan.mo_dau),
        noi_dung,
        ket_thuc,
        noi_nhan: NoiNhanView { nhan: nn.label, muc, luu },
        nguoi_ky: NguoiKyView {
            quyen_han,
            chuc_vu: lines(&plan.nguoi_ky.chuc_vu),
            ho_ten: plan.nguoi_ky.ho_ten.to_string(),
            chuc_danh_duoi_ten: lines(&plan.nguoi_ky.chuc_danh_duoi_ten),
        },
        ky_hieu_soan_thao: plan.ky_hieu_soan_thao.as_ref().map(|t| t.to_string()),
        phu_luc,
    }
}

/// The reference line of a phụ lục, from the plan's own số, ký hiệu, date and issuing body; a
/// draft's blanks are left in the form of its regime (ND 30 Mẫu 2.1: "số      /KH-…").
pub fn kem_theo(plan: &Plan, p: &Profile) -> String {
    let so = vn::so_ky_hieu(&crate::regime::SoFormat { prefix: "", ..p.so }, plan.so, &plan.ky_hieu);
    let ngay = match &plan.ngay {
        Some(d) => vn::ngay_thang_nam(d),
        None => "ngày      tháng      năm      ".to_string(),
    };
    let cua = match &plan.co_quan_ban_hanh_viet_thuong {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => vn::ten_viet_thuong(&plan.co_quan_ban_hanh.joined()),
    };
    let loai = vn::sentence_case(&plan.ten_loai);
    format!("({} {loai} số {so} {ngay} của {cua})", p.phu_luc.kem_theo)
}

/// What an item passes down to the items under it.
#[derive(Clone, Debug)]
struct Inherited {
    nhan: NhanNhiemVu,
    dau: String,
    in_hoa: bool,
}

impl TaskRow {
    /// The text of the row's last cell that has any (the last line of a table that ends the body).
    fn last_cell(&mut self) -> Option<&mut String> {
        [&mut self.san_pham, &mut self.thoi_gian, &mut self.phoi_hop, &mut self.chu_tri, &mut self.noi_dung]
            .into_iter()
            .find(|t| !t.is_empty())
    }
}

/// Walks the body in the order [`Numbering`] numbered it, taking each item's label from there.
struct Walker<'a> {
    numbering: &'a Numbering,
    /// The next item of the numbering.
    next: usize,
    out: &'a mut Vec<BodyBlock>,
    inherited: Inherited,
}

impl Walker<'_> {
    fn label(&mut self) -> (String, Kieu) {
        let item = &self.numbering.items[self.next];
        self.next += 1;
        (item.label.clone(), item.kind)
    }

    fn nodes(&mut self, nodes: &[Node], base: &str) {
        for (i, node) in nodes.iter().enumerate() {
            let path = format!("{base}[{i}]");
            let (label, kind) = self.label();
            let outer = self.inherited.clone();
            if let Some(n) = &node.nhan_nhiem_vu {
                self.inherited.nhan = n.over(&outer.nhan);
            }
            if let Some(d) = &node.dau_dong {
                self.inherited.dau = d.to_string();
            }
            if let Some(c) = node.in_hoa_tieu_de {
                self.inherited.in_hoa = c;
            }
            self.node(node, kind, label, &path);
            let children = format!("{path}.muc_con");
            if let Some(t) = node.trinh_bay_nhiem_vu.filter(|t| t.is_table()) {
                self.task_table(node, &children, t == NhiemVuTrinhBay::BangNgang);
            } else {
                self.nodes(&node.muc_con, &children);
            }
            self.inherited = outer;
        }
    }

    fn node(&mut self, node: &Node, kind: Kieu, label: String, path: &str) {
        let heading_style = match kind {
            Kieu::Muc => "muc",
            Kieu::Khoan => "khoan",
            Kieu::Tiet => "tiet",
            Kieu::Diem => "diem",
            _ => "body",
        };
        let keep_case = !self.inherited.in_hoa;
        let block = |style, label, text: &str, path: String| BodyBlock {
            kind: "p",
            style,
            label,
            text: text.to_string(),
            nhiem_vu: Vec::new(),
            rows: vec![],
            ngang: false,
            cot: vec![],
            giu_chu: keep_case && style == "muc",
            path,
        };
        let mut paras = node.van_ban.iter();
        let tasks = node.nhiem_vu.as_ref().map(|n| task_lines(n, &self.inherited)).unwrap_or_default();
        if let Some(title) = &node.tieu_de {
            self.out.push(block(heading_style, label, title, format!("{path}.tieu_de")));
        } else if let Some(first) = paras.next() {
            self.out.push(block("body", label, first, format!("{path}.van_ban[0]")));
        } else if kind != Kieu::Doan || tasks.is_empty() {
            // An item with nothing in it does not pass the checks (KH-ND-02).
            self.out.push(block("body", label, "", path.to_string()));
        }
        let skip = if node.tieu_de.is_some() { 0 } else { 1 };
        for (k, t) in paras.enumerate() {
            self.out.push(block("body", String::new(), t, format!("{path}.van_ban[{}]", k + skip)));
        }
        if let Some(last) = self.out.last_mut() {
            last.nhiem_vu = tasks;
        }
    }

    fn task_table(&mut self, node: &Node, base: &str, ngang: bool) {
        let mut rows = Vec::new();
        for child in &node.muc_con {
            let (stt, _) = self.label();
            let mut parts: Vec<String> = Vec::new();
            if let Some(t) = &child.tieu_de {
                parts.push(format!("**{}**", t));
            }
            parts.extend(child.van_ban.iter().map(|t| t.to_string()));
            let nv = child.nhiem_vu.clone().unwrap_or_default();
            let f = |o: &Option<crate::plan::model::Text>| o.as_ref().map(|t| t.to_string()).unwrap_or_default();
            let phoi_hop = match (&nv.phoi_hop, &nv.tham_muu) {
                (Some(a), Some(b)) => format!("{a}\n{b}"),
                (Some(a), None) | (None, Some(a)) => a.to_string(),
                (None, None) => String::new(),
            };
            rows.push(TaskRow {
                stt,
                noi_dung: parts.join("\n"),
                chu_tri: f(&nv.chu_tri),
                phoi_hop,
                thoi_gian: f(&nv.thoi_gian),
                san_pham: f(&nv.san_pham),
            });
        }
        if !rows.is_empty() {
            self.out.push(BodyBlock {
                kind: "bang",
                style: "bang",
                label: String::new(),
                text: String::new(),
                nhiem_vu: Vec::new(),
                rows,
                ngang,
                cot: {
                    let l = labels(&self.inherited.nhan);
                    vec![l.chu_tri, l.phoi_hop, if self.inherited.nhan.thoi_gian.is_some() { l.thoi_gian } else { "Thời gian".into() }, l.san_pham]
                },
                giu_chu: false,
                path: base.to_string(),
            });
        }
    }
}

/// The labels of the task lines: the defaults, or what the plan or an item renamed.
struct Labels {
    chu_tri: String,
    phoi_hop: String,
    tham_muu: String,
    thoi_gian: String,
    san_pham: String,
}

fn labels(n: &NhanNhiemVu) -> Labels {
    let pick = |o: &Option<crate::plan::model::Text>, d: &str| {
        o.as_ref()
            .filter(|t| !t.is_empty())
            .map(|t| vn::strip_end_punct(t).trim_end_matches(':').trim_end().to_string())
            .unwrap_or_else(|| d.to_string())
    };
    Labels {
        chu_tri: pick(&n.chu_tri, "Chủ trì"),
        phoi_hop: pick(&n.phoi_hop, "Phối hợp"),
        tham_muu: pick(&n.tham_muu, "Chịu trách nhiệm tham mưu"),
        thoi_gian: pick(&n.thoi_gian, "Thời gian thực hiện"),
        san_pham: pick(&n.san_pham, "Sản phẩm"),
    }
}

/// The labelled lines of a task, each ending with a full stop.
fn task_lines(n: &NhiemVu, inh: &Inherited) -> Vec<TaskLine> {
    let l = labels(&inh.nhan);
    [
        (l.chu_tri, &n.chu_tri),
        (l.phoi_hop, &n.phoi_hop),
        (l.tham_muu, &n.tham_muu),
        (l.thoi_gian, &n.thoi_gian),
        (l.san_pham, &n.san_pham),
    ]
    .into_iter()
    .filter_map(|(nhan, v)| {
        let t = v.as_ref().filter(|t| !t.is_empty())?;
        Some(TaskLine { dau: inh.dau.clone(), nhan, text: format!("{}.", vn::strip_end_punct(t)) })
    })
    .collect()
}
