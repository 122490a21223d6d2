//! The view: what the templates see. It applies the regime's profile to the plan once (numbering,
//! số/ký hiệu, date line, punctuation of căn cứ and nơi nhận, signing prefixes, the body's ending),
//! so the templates only arrange ready pieces and never need to know the rules.

use crate::error::Error;
use crate::plan::model::{
    CanCuTrinhBay, DauDanhSo, Kieu, NhiemVu, NhiemVuTrinhBay, Node, NoiNhanMuc, Plan,
};
use crate::regime::Profile;
use crate::regime::vn;
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
    /// Tasks shown as labelled lines under this paragraph.
    pub nhiem_vu: Option<NhiemVuView>,
    /// Rows of a task table.
    pub rows: Vec<TaskRow>,
    /// The task table goes on landscape pages.
    pub ngang: bool,
    /// Where in the plan this came from, e.g. `noi_dung[1].muc_con[0]`.
    pub path: String,
    /// The label was written in the plan (`so_hieu`), not computed.
    #[serde(skip)]
    pub explicit: bool,
}

#[derive(Debug, Default, Serialize)]
pub struct NhiemVuView {
    pub chu_tri: Option<String>,
    pub phoi_hop: Option<String>,
    pub tham_muu: Option<String>,
    pub thoi_gian: Option<String>,
    pub san_pham: Option<String>,
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

pub fn build(plan: &Plan, p: &Profile) -> Result<View, Error> {
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

    let dau = plan.dau_danh_so.unwrap_or(p.numbering.dau);
    let mut noi_dung = Vec::new();
    let mut walker = Walker { p, dau, out: &mut noi_dung };
    walker.nodes(&plan.noi_dung, 0, None, "", "noi_dung")?;

    let mut ket_thuc = lines(&plan.ket_thuc);
    if let Some(last) = ket_thuc.last_mut() {
        *last = vn::with_end(last, p.ket_thuc);
    } else if let Some(last) = noi_dung.iter_mut().rev().find(|b| b.kind == "p") {
        last.text = vn::with_end(&last.text, p.ket_thuc);
    }

    let nn = &p.noi_nhan;
    // Each recipient ends with the regime's separator; the last one (before the lưu line) with its
    // last-item mark.
    let item = |t: &str, end: &str| format!("{}{}{}", nn.items.prefix, vn::strip_end_punct(t), end);
    let count = plan.noi_nhan.muc.len();
    let muc = plan
        .noi_nhan
        .muc
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let end = if i + 1 == count { nn.items.last } else { nn.items.sep };
            match m {
                NoiNhanMuc::Mot(t) => NoiNhanItemView { text: item(t, end), nhom: vec![], ghi_chu: String::new() },
                NoiNhanMuc::Nhom(g) => NoiNhanItemView {
                    text: String::new(),
                    nhom: g.muc.iter().map(|t| item(t, nn.items.sep)).collect(),
                    ghi_chu: {
                        let note = vn::strip_end_punct(&g.ghi_chu);
                        let note = note.trim_start_matches('(').trim_end_matches(')');
                        format!("({note}){end}")
                    },
                },
            }
        })
        .collect();
    let luu = format!("{}{}{}.", nn.items.prefix, nn.luu_prefix, vn::strip_end_punct(&plan.noi_nhan.luu));

    let mut quyen_han = Vec::new();
    for (i, q) in plan.nguoi_ky.quyen_han.iter().enumerate() {
        let Some(prefix) = p.quyen_han.prefix(q.loai) else {
            return Err(Error::field(
                format!("nguoi_ky.quyen_han[{i}].loai"),
                format!("{} không có hình thức ký này (TUQ. chỉ dùng trong văn bản của cơ quan nhà nước)", p.ten),
            ));
        };
        quyen_han.push(format!("{prefix} {}", q.ten));
    }

    Ok(View {
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
        trich_yeu: plan.trich_yeu.to_string(),
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
    })
}

struct Walker<'a> {
    p: &'a Profile,
    dau: DauDanhSo,
    out: &'a mut Vec<BodyBlock>,
}

impl Walker<'_> {
    fn kind_at(&self, node: &Node, depth: usize, parent_default: Option<Kieu>) -> Kieu {
        node.kieu.or(parent_default).unwrap_or_else(|| {
            let d = self.p.numbering.by_depth;
            d[depth.min(d.len() - 1)]
        })
    }

    fn label(&self, kind: Kieu, n: u32, parent_number: &str) -> String {
        let end = match self.dau {
            DauDanhSo::Cham => ".",
            DauDanhSo::Gach => "-",
        };
        match kind {
            Kieu::Muc => format!("{}{end}", vn::roman(n)),
            Kieu::Khoan => format!("{n}{end}"),
            // Sub-khoản are "1.1." in both regimes (HD 05's own text uses "1.1." beside "I-");
            // an odd form such as "4.1-" is written as an explicit label.
            Kieu::Tiet if parent_number.is_empty() => format!("{n}."),
            Kieu::Tiet => format!("{parent_number}.{n}."),
            Kieu::Diem => format!("{})", vn::diem_letter(n)),
            Kieu::Ngoac => format!("({n})"),
            Kieu::Gach => "-".into(),
            Kieu::Cong => "+".into(),
            Kieu::Sao => "*".into(),
            Kieu::Cham => "•".into(),
            Kieu::Doan => String::new(),
        }
    }

    fn nodes(
        &mut self,
        nodes: &[Node],
        depth: usize,
        default_kind: Option<Kieu>,
        parent_number: &str,
        path: &str,
    ) -> Result<(), Error> {
        // Each numbered kind counts separately among siblings, so a plain paragraph between two
        // khoản does not shift their numbers.
        let mut counters: Vec<(Kieu, u32)> = Vec::new();
        for (i, node) in nodes.iter().enumerate() {
            let path = format!("{path}[{i}]");
            let kind = self.kind_at(node, depth, default_kind);
            let n = match counters.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, c)) => {
                    *c += 1;
                    *c
                }
                None => {
                    counters.push((kind, 1));
                    1
                }
            };
            let label = match &node.so_hieu {
                Some(l) => l.to_string(),
                None => self.label(kind, n, parent_number),
            };
            // The number a tiết under this node builds on: "1" of "1.", "II" of "II-".
            let own_number = label.trim_end_matches(['.', '-', ')']).to_string();
            self.node(node, kind, label, node.so_hieu.is_some(), &path)?;
            let child_parent = if matches!(kind, Kieu::Khoan | Kieu::Tiet) { own_number } else { String::new() };
            if let Some(t) = node.trinh_bay_nhiem_vu.filter(|t| t.is_table()) {
                self.task_table(node, depth + 1, &child_parent, &path, t == NhiemVuTrinhBay::BangNgang)?;
            } else {
                self.nodes(&node.muc_con, depth + 1, node.kieu_muc_con, &child_parent, &format!("{path}.muc_con"))?;
            }
        }
        Ok(())
    }

    fn node(&mut self, node: &Node, kind: Kieu, label: String, explicit: bool, path: &str) -> Result<(), Error> {
        let heading_style = match kind {
            Kieu::Muc => "muc",
            Kieu::Khoan => "khoan",
            Kieu::Tiet => "tiet",
            Kieu::Diem => "diem",
            _ => "body",
        };
        let mut paras = node.van_ban.iter();
        let nhiem_vu = node.nhiem_vu.as_ref().filter(|n| !n.is_empty()).map(nv_view);
        if let Some(title) = &node.tieu_de {
            self.out.push(BodyBlock {
                kind: "p",
                style: heading_style,
                label,
                text: title.to_string(),
                nhiem_vu: None,
                rows: vec![],
                ngang: false,
                path: format!("{path}.tieu_de"),
                explicit,
            });
        } else if let Some(first) = paras.next() {
            self.out.push(BodyBlock {
                kind: "p",
                style: "body",
                label,
                text: first.to_string(),
                nhiem_vu: None,
                rows: vec![],
                ngang: false,
                path: format!("{path}.van_ban[0]"),
                explicit,
            });
        } else if kind != Kieu::Doan || nhiem_vu.is_none() {
            return Err(Error::field(
                path.to_string(),
                "mục này không có tiêu đề (tieu_de) và không có nội dung (van_ban)".to_string(),
            ));
        }
        let skip = if node.tieu_de.is_some() { 0 } else { 1 };
        for (k, t) in paras.enumerate() {
            self.out.push(BodyBlock {
                kind: "p",
                style: "body",
                label: String::new(),
                text: t.to_string(),
                nhiem_vu: None,
                rows: vec![],
                ngang: false,
                path: format!("{path}.van_ban[{}]", k + skip),
                explicit: false,
            });
        }
        if let (Some(nv), Some(last)) = (nhiem_vu, self.out.last_mut()) {
            last.nhiem_vu = Some(nv);
        }
        Ok(())
    }

    fn task_table(&mut self, node: &Node, depth: usize, parent_number: &str, path: &str, ngang: bool) -> Result<(), Error> {
        let mut rows = Vec::new();
        for (i, child) in node.muc_con.iter().enumerate() {
            let kind = self.kind_at(child, depth, node.kieu_muc_con);
            let stt = match &child.so_hieu {
                Some(l) => l.to_string(),
                None => match kind {
                    Kieu::Gach | Kieu::Cong | Kieu::Sao | Kieu::Cham | Kieu::Doan => (i + 1).to_string(),
                    _ => self.label(kind, i as u32 + 1, parent_number),
                },
            };
            let mut parts: Vec<String> = Vec::new();
            if let Some(t) = &child.tieu_de {
                parts.push(format!("**{}**", t));
            }
            parts.extend(child.van_ban.iter().map(|t| t.to_string()));
            if parts.is_empty() {
                return Err(Error::field(
                    format!("{path}.muc_con[{i}]"),
                    "nhiệm vụ này không có nội dung (tieu_de hoặc van_ban)".to_string(),
                ));
            }
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
                nhiem_vu: None,
                rows,
                ngang,
                path: format!("{path}.muc_con"),
                explicit: false,
            });
        }
        Ok(())
    }
}

fn nv_view(n: &NhiemVu) -> NhiemVuView {
    let f = |o: &Option<crate::plan::model::Text>| {
        o.as_ref().filter(|t| !t.is_empty()).map(|t| vn::strip_end_punct(t).to_string())
    };
    NhiemVuView {
        chu_tri: f(&n.chu_tri),
        phoi_hop: f(&n.phoi_hop),
        tham_muu: f(&n.tham_muu),
        thoi_gian: f(&n.thoi_gian),
        san_pham: f(&n.san_pham),
    }
}
