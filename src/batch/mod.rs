//! `kehoach batch`: one plan for each subordinate unit, from a parent plan and a units file.
//!
//! For each unit, in parallel (a rayon pool of `jobs` threads): the unit is applied to the parent
//! plan's JSON (`units`), the expressions about the unit in its text are rendered (`vars`), the
//! result is read as a plan (errors name the field), the rules of thể thức run (errors stop that
//! unit; warnings go to the report), and its DOCX and/or PDF are made, under a file name made from
//! its id (`slug`). One thread collects the results in the order of the units file: it writes each
//! unit's files (each atomically, [`crate::output`]; the workers never wait on the disk), the report
//! (`report`) and the ZIP (`zip`), and appends each unit's PDF objects to the review PDF (`review`).
//!
//! Memory stays flat however many units there are: the units file is read one unit at a time, a unit
//! is read only when fewer than a few units per thread are waiting to be collected, and each unit's
//! files are written (or zipped) and dropped as soon as it is done; the review PDF is written as it
//! goes (see `review`).
//!
//! Before any unit is made, a first pass over the units file takes every unit's id: the batch is
//! refused, with nothing written, when the file is over its limits (`units::MAX_UNITS_BYTES`,
//! `units::MAX_UNITS`, `units::MAX_UNIT_BYTES`), when two ids give the same file name
//! (`slug::clashes`), or when the ZIP, the review PDF, the report, a unit's file, the parent plan
//! or the units file would be one and the same file. The folder of the report is locked for the
//! run (`.kehoach-batch.lock`): a second batch into it is refused rather than mixing its files and
//! report with the first's. A stop request ([`Options::stop`], set on Ctrl-C) ends the run early and
//! cleanly: the units in progress are finished, the others are listed in the report as not made
//! (`chua_xuat`), the report, ZIP and review PDF are finished, and no temporary file is left.

pub(crate) mod fieldpath;
pub(crate) mod report;
pub(crate) mod review;
pub(crate) mod slug;
pub(crate) mod units;
pub(crate) mod vars;
pub(crate) mod zip;

pub use report::Totals;

use crate::document::Meta;
use crate::error::Error;
use crate::fonts::FontSet;
use crate::regime::rules::{self, Finding, MucDo};
use crate::export::{docx, pdf};
use crate::plan::{Plan, load};
use crate::{Engine, layout, output};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};

/// What to do.
pub struct Options {
    /// The parent plan (JSON; its strings may hold expressions about the unit).
    pub plan: PathBuf,
    /// The units file (JSON or CSV).
    pub units: PathBuf,
    /// Where each unit's files go. `None`: the current folder, unless a ZIP is asked for (then the
    /// files go only into the ZIP).
    pub out: Option<PathBuf>,
    /// Write each unit's DOCX.
    pub docx: bool,
    /// Write each unit's PDF.
    pub pdf: bool,
    /// Threads (at least 1).
    pub jobs: usize,
    /// Put every file, and the report, into this ZIP.
    pub zip: Option<PathBuf>,
    /// Write one PDF of every unit's plan, in order, here.
    pub review: Option<PathBuf>,
    /// A folder of templates replacing the built-in ones.
    pub template: Option<PathBuf>,
    /// The fonts of the PDFs.
    pub fonts: &'static FontSet,
    /// What each PDF carries beyond its pages (a signature field, PDF/A).
    pub pdf_options: pdf::PdfOptions,
    /// Write each unit's signing boxes beside its PDF, as `<ten_tep>.vi-tri-ky.json`.
    pub sign_boxes: bool,
    /// Write each phụ lục of a unit's plan as files of its own, `<ten_tep>-phu-luc-1.docx`, .pdf …
    /// (`--phu-luc rieng`); the plan's files then have no phụ lục. The review PDF keeps the whole.
    pub phu_luc_rieng: bool,
    /// Set (by a Ctrl-C handler, say) to stop the run early: see the module's notes.
    pub stop: Option<Arc<AtomicBool>>,
}

/// Between a unit's file name and the number of its phụ lục in the phụ lục's own files
/// ([`Options::phu_luc_rieng`]), as `render --phu-luc rieng` names them.
pub const PHU_LUC_INFIX: &str = "-phu-luc-";

/// The suffix of a unit's signing boxes file ([`Options::sign_boxes`]).
pub const SIGN_BOXES_SUFFIX: &str = ".vi-tri-ky.json";

/// What the caller is told while a batch runs (a progress bar, a page's list of units). Both
/// methods are called from the collector thread, in the order of the units file.
pub trait Observer: Sync {
    /// The run starts; `total` is the number of units when the file could be counted.
    fn started(&self, _total: Option<usize>) {}
    /// A unit is done: written when it succeeded, reported either way.
    fn unit(&self, _unit: &Done) {}
}

/// An observer that wants to know nothing.
pub struct Quiet;
impl Observer for Quiet {}


/// What stopped a unit, for the report and the messages.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct UnitError {
    /// The field's path in the plan (or the CSV column); empty for the unit as a whole.
    pub truong: String,
    /// What is wrong, in Vietnamese.
    pub thong_bao: String,
    /// The rule id, for a rule of thể thức.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ma: Option<&'static str>,
}

impl UnitError {
    fn from_error(e: &Error) -> UnitError {
        match e {
            Error::Field { path, message, .. } => UnitError { truong: path.clone(), thong_bao: message.clone(), ma: None },
            other => UnitError { truong: String::new(), thong_bao: other.to_string(), ma: None },
        }
    }
}

/// One unit's result, as the workers hand it to the collector.
pub struct Done {
    /// Its place in the units file, from 0.
    pub index: usize,
    /// Its id (`ma`, or the first column).
    pub id: String,
    /// Its line in a CSV units file.
    pub line: Option<u64>,
    /// How messages name it: "xã Tân Hồng (dòng 12)".
    pub label: String,
    /// The stem of its files' names.
    pub slug: String,
    /// The files written, by name (in the output folder or the ZIP).
    pub files: Vec<String>,
    /// Pages of its PDF (when a PDF was made).
    pub pages: Option<usize>,
    /// Its files' bytes, for the collector to write and zip.
    payload: Vec<(String, Vec<u8>)>,
    /// Its PDF's objects, number of pages and description, for the review PDF (only when there
    /// is one).
    review: Option<(lopdf::Document, usize, Meta)>,
    /// What stopped it (empty when its files were made).
    pub errors: Vec<UnitError>,
    /// Warnings and notes of the rules of thể thức.
    pub findings: Vec<Finding>,
    /// Not made: the run was stopped before its turn.
    pub skipped: bool,
    /// A secret plan (`do_mat`): its files are readable by their owner only.
    pub secret: bool,
}

/// How the run went.
#[derive(Debug)]
pub struct Summary {
    /// The counts of the run.
    pub totals: report::Totals,
    /// Where the report (bao-cao.json) was written.
    pub report: PathBuf,
    /// The folder of the files, if they were written to one.
    pub out: Option<PathBuf>,
    /// The ZIP written, if any.
    pub zip: Option<PathBuf>,
    /// The review PDF written, if any.
    pub review: Option<PathBuf>,
    /// Its pages.
    pub review_pages: usize,
    /// What stopped the reading of the units file part-way, if anything.
    pub file_error: Option<Error>,
    /// The run was stopped early ([`Options::stop`]).
    pub stopped: bool,
}

impl Summary {
    /// Did every unit of the file get its plan?
    pub fn ok(&self) -> bool {
        self.totals.loi == 0 && self.file_error.is_none() && !self.stopped
    }
}

impl Done {
    /// What the user is told about a failed unit: one line per error, naming the unit, the field and
    /// the rule ("xã Tân Hồng (dòng 12): `ngay`: … [KH-NG-01]"). Empty for a unit that succeeded.
    pub fn messages(&self) -> Vec<String> {
        self.errors
            .iter()
            .map(|e| {
                let at = if e.truong.is_empty() { String::new() } else { format!("`{}`: ", e.truong) };
                let rule = e.ma.map(|m| format!(" [{m}]")).unwrap_or_default();
                format!("{}: {at}{}{rule}", self.label, e.thong_bao)
            })
            .collect()
    }
}

/// Reads the parent plan as JSON: an object, errors with line and column.
fn read_parent(path: &Path) -> Result<serde_json::Value, Error> {
    let text = crate::input::read_text(&path.to_string_lossy(), load::MAX_INPUT_BYTES, "tệp kế hoạch chung")?;
    let v = load::parse_json(&text)?;
    if !v.is_object() {
        return Err(Error::input(format!("tệp kế hoạch `{}` phải là một đối tượng JSON {{…}}", path.display())));
    }
    Ok(v)
}

/// The units in flight: a unit is read only when fewer than `size` units are waiting to be collected.
struct Window<'a> {
    collected: Mutex<usize>,
    cv: Condvar,
    size: usize,
    aborted: AtomicBool,
    stop: Option<&'a AtomicBool>,
}

impl Window<'_> {
    fn stopped(&self) -> bool {
        self.stop.is_some_and(|s| s.load(Ordering::SeqCst))
    }

    /// Waits until unit `index` may start; false if the run was stopped.
    fn wait(&self, index: usize) -> bool {
        let mut c = self.collected.lock().unwrap();
        while index >= *c + self.size && !self.aborted.load(Ordering::SeqCst) && !self.stopped() {
            c = self.cv.wait_timeout(c, std::time::Duration::from_millis(100)).unwrap().0;
        }
        !self.aborted.load(Ordering::SeqCst) && !self.stopped()
    }
    fn advance(&self, collected: usize) {
        *self.collected.lock().unwrap() = collected;
        self.cv.notify_all();
    }
    fn abort(&self) {
        self.aborted.store(true, Ordering::SeqCst);
        let _guard = self.collected.lock().unwrap();
        self.cv.notify_all();
    }
}

/// What every worker shares.
struct Shared<'a> {
    base: serde_json::Value,
    text: vars::UnitText,
    header: Option<&'a units::Header>,
    engine: Engine,
    fonts: &'static FontSet,
    rules: rules::Options,
    docx: bool,
    pdf: bool,
    review: bool,
    pdf_options: pdf::PdfOptions,
    sign_boxes: bool,
    phu_luc_rieng: bool,
    stop: Option<&'a AtomicBool>,
}

/// Runs the batch. Errors are what stops it as a whole (the parent plan, the units file's header,
/// the output folder…); a unit that fails is in the summary and the report, and `observer` is told.
pub fn run(opts: &Options, observer: &dyn Observer) -> Result<Summary, Error> {
    let base = read_parent(&opts.plan)?;
    let text = vars::UnitText::new(&base).map_err(|e| in_parent(&opts.plan, e))?;
    let used = |name: &str| text.mentions(name);
    let units = units::Units::open(&opts.units, &used)?;
    // The first pass: every id, before anything is made.
    let (ids, _) = units.ids()?;
    refuse_clashes(&ids, opts.phu_luc_rieng)?;
    let engine = Engine::new(opts.template.as_deref())?;
    let files_dir = match (&opts.out, &opts.zip) {
        (Some(d), _) => Some(d.clone()),
        (None, None) => Some(PathBuf::from(".")),
        (None, Some(_)) => None,
    };
    let report_dir = opts.out.clone().unwrap_or_else(|| PathBuf::from("."));
    let report_path = report_dir.join(report::FILE_NAME);
    let mut formats = Vec::new();
    if opts.docx {
        formats.push("docx");
    }
    if opts.pdf {
        formats.push("pdf");
    }
    // With `--phu-luc rieng`, the phụ lục files the parent plan's phụ lục give each unit.
    let phu_luc = if opts.phu_luc_rieng { base.get("phu_luc").and_then(|v| v.as_array()).map_or(0, Vec::len) } else { 0 };
    refuse_overlaps(opts, &ids, files_dir.as_deref(), &report_path, &formats, phu_luc)?;
    let _lock = lock::Lock::take(&report_dir)?;
    let shown = |p: &Path| p.display().to_string();
    let head = report::Head {
        chuong_trinh: format!("kehoach {}", env!("CARGO_PKG_VERSION")),
        ke_hoach: &shown(&opts.plan),
        tep_don_vi: &shown(&opts.units),
        dinh_dang: formats,
        thu_muc: files_dir.as_deref().map(shown),
        zip: opts.zip.as_deref().map(shown),
        ban_xem: opts.review.as_deref().map(shown),
    };
    let mut report = report::Writer::create(&report_path, &head)?;
    let mut zip = match &opts.zip {
        Some(p) => Some(zip::Sink::create(p)?),
        None => None,
    };
    let mut review = match &opts.review {
        Some(p) => Some(review::Review::new(p.clone())?),
        None => None,
    };
    if let Some(d) = &files_dir {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d.display(), load::vn_io(&e)))?;
    }

    // More threads than cores cannot go faster (the workers only compute) and would hold more
    // units in memory at once.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let jobs = opts.jobs.clamp(1, cores.max(1));
    let shared = Shared {
        base,
        header: units.header.as_ref(),
        engine,
        fonts: opts.fonts,
        rules: rules::Options::now(),
        docx: opts.docx,
        pdf: opts.pdf,
        review: review.is_some(),
        text,
        pdf_options: opts.pdf_options,
        sign_boxes: opts.sign_boxes && opts.pdf,
        phu_luc_rieng: opts.phu_luc_rieng,
        stop: opts.stop.as_deref(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("kehoach-{i}"))
        .build()
        .map_err(|e| Error::internal("tạo các luồng xử lý song song", e))?;
    let window = Window {
        collected: Mutex::new(0),
        cv: Condvar::new(),
        size: 4 * jobs + 4,
        aborted: AtomicBool::new(false),
        stop: opts.stop.as_deref(),
    };
    observer.started(Some(ids.len()));

    let (tx, rx) = mpsc::channel::<Done>();
    let (read, collected) = std::thread::scope(|ts| {
        let collector = ts.spawn(|| {
            let r = collect(rx, files_dir.as_deref(), &mut report, zip.as_mut(), review.as_mut(), &window, observer);
            if r.is_err() {
                window.abort();
            }
            r
        });
        let read = pool.in_place_scope(|s| {
            let shared = &shared;
            let ids = &ids;
            units.for_each(&mut |mut raw| {
                if !window.wait(raw.index) {
                    return false;
                }
                // The file changed since the first pass: this unit's name was not checked.
                if ids.get(raw.index).is_none_or(|u| u.id != raw.id) {
                    raw.body = units::Body::Bad("tệp đơn vị đã bị sửa trong khi chạy (mã đơn vị khác với lần đọc đầu)".into());
                }
                let tx = tx.clone();
                s.spawn(move |_| {
                    let _ = tx.send(process(shared, raw));
                });
                true
            })
        });
        drop(tx);
        (read, collector.join().expect("the collector does not panic"))
    });
    let (mut totals, secret) = collected?;
    let stopped = window.stopped();
    let file_error = if stopped { None } else { read.as_ref().err().cloned() };
    // Stopped: the units never read are listed as not made.
    if stopped {
        let made = totals.so_don_vi;
        for u in ids.iter().skip(made) {
            let d = Done::skipped(u);
            totals.so_don_vi += 1;
            totals.chua_xuat += 1;
            report.unit(&d)?;
        }
    }
    let stop_note = stopped.then(|| {
        format!(
            "dừng theo yêu cầu (Ctrl-C) sau {} đơn vị; {} đơn vị chưa xuất (trang_thai \"chua_xuat\")",
            totals.da_xuat + totals.loi,
            totals.chua_xuat
        )
    });
    let report_path =
        report.finish(&totals, file_error.as_ref().map(|e| e.to_string()).as_deref(), stop_note.as_deref(), secret)?;
    let zip_path = match zip {
        Some(mut z) => {
            let f = std::fs::File::open(&report_path).map_err(|e| Error::io(report_path.display(), load::vn_io(&e)))?;
            z.add_text(report::FILE_NAME, std::io::BufReader::new(f))?;
            Some(z.finish(secret)?)
        }
        None => None,
    };
    let (review_path, review_pages) = match review {
        Some(r) => {
            let pages = r.page_count();
            (r.finish(secret)?, pages)
        }
        None => (None, 0),
    };
    Ok(Summary { totals, report: report_path, out: files_dir, zip: zip_path, review: review_path, review_pages, file_error, stopped })
}

/// Two units whose ids give one file name: the batch is refused, listing them, before anything is
/// written (which of them would the file be?).
fn refuse_clashes(ids: &[units::UnitId], phu_luc_rieng: bool) -> Result<(), Error> {
    let mut clashes = slug::clashes(ids);
    if phu_luc_rieng {
        clashes.extend(slug::part_clashes(ids, PHU_LUC_INFIX));
    }
    if clashes.is_empty() {
        return Ok(());
    }
    let mut lines = Vec::new();
    for (name, group) in clashes.iter().take(20) {
        let who: Vec<String> = group.iter().map(|u| units::label(&u.id, u.index, u.line)).collect();
        lines.push(format!("  `{name}`: {}", who.join(", ")));
    }
    if clashes.len() > 20 {
        lines.push(format!("  … và {} tên khác", clashes.len() - 20));
    }
    Err(Error::input(format!(
            "{} tên tệp trùng nhau giữa các đơn vị nên chưa xuất gì (tên tệp là mã đơn vị viết không dấu, nên “Tân Thành” và “Tân Thạnh”, hay một mã ghi hai lần, ra cùng một tên):\n{}\nHãy thêm cột `ma` (hoặc khoá `ma` trong tệp JSON) ghi mã khác nhau cho các đơn vị này, ví dụ “xã Tân Thạnh (An Giang)”; ô `ma` để trống thì mã là cột đầu tiên",
            clashes.len(),
            lines.join("\n")
        ),
    ))
}

/// Refuses, before anything is written, a run whose outputs would replace one another or its own
/// inputs: the ZIP and the review PDF at one path, either of them at the report's place or at a
/// unit's DOCX or PDF, or any output at the parent plan or the units file.
fn refuse_overlaps(opts: &Options, ids: &[units::UnitId], files_dir: Option<&Path>, report: &Path, formats: &[&str], phu_luc: usize) -> Result<(), Error> {
    let refuse = |what: String| Err(Error::input(format!("{what}; chưa ghi tệp nào, hãy chọn tên khác")));
    let inputs = [("kế hoạch chung", opts.plan.as_path()), ("tệp đơn vị", opts.units.as_path())];
    let mut outputs: Vec<(&str, &Path)> = vec![("báo cáo", report)];
    if let Some(z) = &opts.zip {
        outputs.push(("--zip", z));
    }
    if let Some(r) = &opts.review {
        outputs.push(("--review", r));
    }
    for (i, (what, out)) in outputs.iter().enumerate() {
        for (other, o) in &outputs[..i] {
            if output::same_file(out, o) {
                return refuse(format!("{what} và {other} cùng là tệp `{}`", out.display()));
            }
        }
        for (input, p) in inputs {
            if output::same_file(out, p) {
                return refuse(format!("{what} `{}` chính là {input}: ghi vào sẽ xoá mất {input}", out.display()));
            }
        }
    }
    // The units' own files, by name in the output folder.
    let Some(dir) = files_dir else { return Ok(()) };
    let dir = output::place(&dir.join("x"));
    let dir = dir.parent().unwrap_or(Path::new("."));
    let names: std::collections::HashMap<String, &units::UnitId> = ids
        .iter()
        .filter_map(|u| slug::file_name(&u.id).map(|n| (n, u)))
        .flat_map(|(n, u)| std::iter::once(n.clone()).chain((1..=phu_luc).map(move |k| format!("{n}{PHU_LUC_INFIX}{k}"))).map(move |n| (n, u)))
        .flat_map(|(n, u)| formats.iter().map(move |ext| (format!("{n}.{ext}"), u)))
        .collect();
    let unit_at = |p: &Path| -> Option<&units::UnitId> {
        let p = output::place(p);
        if p.parent() != Some(dir) {
            return None;
        }
        let name = p.file_name()?.to_string_lossy().to_string();
        names.get(&name).copied()
    };
    for (what, out) in outputs.iter().skip(1) {
        if let Some(u) = unit_at(out) {
            return refuse(format!("{what} `{}` trùng tệp kết quả của {}", out.display(), units::label(&u.id, u.index, u.line)));
        }
    }
    for (input, p) in inputs {
        if let Some(u) = unit_at(p) {
            return refuse(format!("{input} `{}` trùng tệp kết quả của {}: ghi vào sẽ xoá mất nó", p.display(), units::label(&u.id, u.index, u.line)));
        }
    }
    Ok(())
}

/// One unit of a parent plan, made as `render` and `check` take it ([`one`]).
pub struct OneUnit {
    /// Its plan, read but not yet checked.
    pub plan: Plan,
    /// Its file name (without extension), as the batch names it.
    pub slug: String,
    /// How messages name it.
    pub label: String,
}

/// Makes the plan of the unit `ma` of the units file, from the parent plan, as the batch makes it
/// (without the rules of thể thức, which the caller runs). Errors name the unit.
pub fn one(plan: &Path, units_path: &Path, ma: &str) -> Result<OneUnit, Error> {
    let base = read_parent(plan)?;
    let text = vars::UnitText::new(&base).map_err(|e| in_parent(plan, e))?;
    let used = |name: &str| text.mentions(name);
    let units = units::Units::open(units_path, &used)?;
    let ma = ma.trim();
    let mut found = None;
    let mut others: Vec<String> = Vec::new();
    units.for_each(&mut |raw| {
        if raw.id == ma {
            found = Some(raw);
            return false;
        }
        others.push(raw.id);
        true
    })?;
    let Some(raw) = found else {
        use crate::plan::suggest::{distance, fold};
        let want = fold(ma);
        let mut near: Vec<&String> = others.iter().filter(|o| distance(&fold(o), &want) <= 2).collect();
        near.dedup();
        let hint = if near.is_empty() {
            let first: Vec<String> = others.iter().take(5).map(|o| format!("`{}`", units::printable(o))).collect();
            format!("; các mã trong tệp: {}{}", first.join(", "), if others.len() > 5 { ", …" } else { "" })
        } else {
            let near: Vec<String> = near.iter().take(5).map(|o| format!("`{}`", units::printable(o))).collect();
            format!("; có phải {}?", near.join(" hay "))
        };
        return Err(Error::input(format!("không có đơn vị mã `{}` trong `{}`{hint}", units::printable(ma), units_path.display())));
    };
    let label = raw.label();
    let named = |e: Error| match e {
        Error::Field { path, message, line, column } => Error::Field { path, message: format!("{label}: {message}"), line, column },
        other => other,
    };
    let slug = slug::file_name(&raw.id)
        .ok_or_else(|| Error::input(format!("{label}: mã không có chữ hay số nào dùng làm tên tệp được")))?;
    let applied = units::apply(&base, &raw, units.header.as_ref(), &used).map_err(named)?;
    let mut plan_json = applied.plan;
    text.render(&mut plan_json, &base, &applied.don_vi, &applied.blanks).map_err(named)?;
    let plan = Plan::from_value(&plan_json).map_err(named)?;
    Ok(OneUnit { plan, slug, label })
}

fn in_parent(plan: &Path, e: Error) -> Error {
    match e {
        Error::Field { path, message, line, column } => {
            Error::Field { path, message: format!("{message} (trong kế hoạch chung `{}`)", plan.display()), line, column }
        }
        other => other,
    }
}

/// Receives the units' results in any order and handles them in the order of the units file.
/// Returns the totals, and whether a unit was secret.
///
/// A unit's files are staged (written under temporary names) as soon as it is its turn, and
/// committed with the others of its group ([`output::Group`]: one flush of the disk for up to 64
/// units, then each unit's files renamed into place); the unit is then counted, zipped, added to the
/// review PDF and reported. The folder is synced once at the end.
#[allow(clippy::too_many_arguments)]
fn collect(
    rx: mpsc::Receiver<Done>,
    files_dir: Option<&Path>,
    report: &mut report::Writer,
    mut zip: Option<&mut zip::Sink>,
    mut review: Option<&mut review::Review>,
    window: &Window,
    observer: &dyn Observer,
) -> Result<(report::Totals, bool), Error> {
    let mut waiting: BTreeMap<usize, Done> = BTreeMap::new();
    let mut next = 0;
    let mut t = report::Totals::default();
    let mut secret = false;
    let mut group: output::Group<Done> = output::Group::default();
    let mut wrote = false;
    // A unit's files stay in memory until it is settled only for the ZIP.
    let for_zip = zip.is_some();
    // What is done with a unit once its files are in place (or failed to be).
    let mut settle = |mut d: Done, files: Result<(), Error>| -> Result<(), Error> {
        if let Err(e) = files {
            d.errors = vec![UnitError::from_error(&e)];
            d.files.clear();
            d.payload.clear();
            d.pages = None;
            d.review = None;
        }
        let made = d.errors.is_empty() && !d.skipped;
        t.so_don_vi += 1;
        if d.skipped {
            t.chua_xuat += 1;
        } else if made {
            t.da_xuat += 1;
            t.so_tep += d.files.len();
            secret |= d.secret;
        } else {
            t.loi += 1;
        }
        if d.findings.iter().any(|f| f.muc_do == MucDo::CanhBao) {
            t.co_canh_bao += 1;
        }
        if let (Some(z), true) = (zip.as_deref_mut(), made) {
            for (name, bytes) in std::mem::take(&mut d.payload) {
                z.add(&name, &bytes, d.secret)?;
            }
        }
        d.payload.clear();
        if let (Some(r), Some((lo, pages, meta))) = (review.as_deref_mut(), d.review.take()) {
            r.add(lo, pages, &meta)?;
        }
        report.unit(&d)?;
        observer.unit(&d);
        Ok(())
    };
    // Groups are committed on a thread of their own, one at a time, while the next group is
    // staged: the flush to disk (which waits for the disk) then never holds up the units.
    // The folder made absolute once: a relative one would be resolved again for every file.
    let files_dir: Option<PathBuf> = files_dir.map(|d| std::path::absolute(d).unwrap_or_else(|_| d.to_path_buf()));
    let files_dir = files_dir.as_deref();
    std::thread::scope(|ts| -> Result<(), Error> {
        let (to_commit, commits) = mpsc::sync_channel::<output::Taken<Done>>(0);
        let (to_settle, committed) = mpsc::channel::<Vec<(Done, Result<(), Error>)>>();
        let committer = ts.spawn(move || {
            for g in commits {
                if to_settle.send(g.commit()).is_err() {
                    break;
                }
            }
        });
        let mut in_flight = false;
        // Hands the group to the committer, once the group before it is settled.
        let mut flush = |group: &mut output::Group<Done>, in_flight: &mut bool| -> Result<(), Error> {
            if *in_flight {
                for (d, r) in committed.recv().expect("the committer answers every group") {
                    settle(d, r)?;
                }
                *in_flight = false;
            }
            if !group.is_empty() {
                to_commit.send(group.take()).expect("the committer takes every group");
                *in_flight = true;
            }
            Ok(())
        };
        let r = (|| -> Result<(), Error> {
            loop {
                let got = match group.deadline() {
                    Some(at) => rx.recv_timeout(at.saturating_duration_since(std::time::Instant::now())),
                    None => rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
                };
                let done = match got {
                    Ok(done) => done,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        flush(&mut group, &mut in_flight)?;
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => break,
                };
                waiting.insert(done.index, done);
                while let Some(mut d) = waiting.remove(&next) {
                    let made = d.errors.is_empty() && !d.skipped;
                    let mut staged = output::Staged::default();
                    if let (Some(dir), true) = (files_dir, made) {
                        let files: Vec<(PathBuf, Vec<u8>)> = d.payload.drain(..).map(|(n, b)| (dir.join(&n), b)).collect();
                        match output::stage(&files, output::Privacy::of(d.secret)) {
                            Ok(s) => {
                                staged = s;
                                wrote = true;
                                // Kept for the ZIP, which takes the unit once its files are in place
                                // (without one, the bytes are in the staged files already).
                                if for_zip {
                                    d.payload = files
                                        .into_iter()
                                        .map(|(p, b)| (p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(), b))
                                        .collect();
                                }
                            }
                            Err(e) => {
                                d.errors = vec![UnitError::from_error(&e)];
                                d.files.clear();
                                d.pages = None;
                                d.review = None;
                            }
                        }
                    }
                    // What the unit holds until it is settled: its files' bytes (for the ZIP) and
                    // its review objects' streams.
                    let held = d.payload.iter().map(|(_, b)| b.len()).sum::<usize>()
                        + d.review.as_ref().map_or(0, |(lo, _, _)| lo.objects.values().filter_map(|o| o.as_stream().ok()).map(|s| s.content.len()).sum());
                    // Every unit takes its place in the group, files or not, so that all are
                    // settled in order.
                    group.add(d, staged, held);
                    next += 1;
                    // Its bytes are on their way to disk: the next units may be read (at most two
                    // groups of 4 MB are held).
                    window.advance(next);
                }
                if group.due() {
                    flush(&mut group, &mut in_flight)?;
                }
            }
            flush(&mut group, &mut in_flight)?;
            flush(&mut group, &mut in_flight)
        })();
        drop(to_commit);
        committer.join().expect("the committer does not panic");
        r
    })?;
    if let (Some(dir), true) = (files_dir, wrote) {
        output::sync_dir(dir)?;
    }
    Ok((t, secret))
}

impl Done {
    fn new(index: usize, id: &str, line: Option<u64>) -> Done {
        Done {
            index,
            id: id.to_string(),
            line,
            label: units::label(id, index, line),
            slug: slug::file_name(id).unwrap_or_default(),
            files: Vec::new(),
            pages: None,
            payload: Vec::new(),
            review: None,
            errors: Vec::new(),
            findings: Vec::new(),
            skipped: false,
            secret: false,
        }
    }

    /// A unit not made because the run was stopped.
    fn skipped(u: &units::UnitId) -> Done {
        Done { skipped: true, ..Done::new(u.index, &u.id, u.line) }
    }
}

/// Makes one unit's plan and files. Never fails: what goes wrong is in the result's `errors`.
fn process(s: &Shared, raw: units::RawUnit) -> Done {
    let mut d = Done::new(raw.index, &raw.id, raw.line);
    if s.stop.is_some_and(|f| f.load(Ordering::SeqCst)) {
        d.skipped = true;
        return d;
    }
    if d.slug.is_empty() && !matches!(raw.body, units::Body::Bad(_)) {
        let why = if raw.id.is_empty() {
            "đơn vị không có mã (cột `ma`, hay cột đầu tiên, để trống), nên không có tên tệp".to_string()
        } else {
            format!("mã `{}` không có chữ hay số nào dùng làm tên tệp được; hãy ghi mã bằng chữ", units::printable(&raw.id))
        };
        d.errors = vec![UnitError { truong: String::new(), thong_bao: why, ma: None }];
        return d;
    }
    if let Err(e) = make(s, &raw, &mut d) {
        d.errors = vec![UnitError::from_error(&e)];
        d.files.clear();
        d.payload.clear();
        d.review = None;
        d.pages = None;
    }
    d
}

fn make(s: &Shared, raw: &units::RawUnit, d: &mut Done) -> Result<(), Error> {
    let used = |name: &str| s.text.mentions(name);
    let applied = units::apply(&s.base, raw, s.header, &used)?;
    let mut plan_json = applied.plan;
    // Only the parent's own text is a template; what the unit brought is inserted as it is.
    s.text.render(&mut plan_json, &s.base, &applied.don_vi, &applied.blanks)?;
    let plan = Plan::from_value(&plan_json)?;
    drop(plan_json);
    d.secret = plan.do_mat.is_some();
    let plan = match plan.check_with(&s.rules) {
        Ok(checked) => checked,
        Err(rejected) => {
            let (errors, rest): (Vec<Finding>, Vec<Finding>) =
                rejected.findings.into_iter().partition(|f| f.muc_do == MucDo::Loi);
            d.errors = errors
                .into_iter()
                .map(|f| UnitError { truong: f.truong, thong_bao: f.thong_bao, ma: Some(f.ma) })
                .collect();
            d.findings = rest;
            return Ok(());
        }
    };
    d.findings = plan.findings().to_vec();
    let doc = s.engine.document(&plan)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    use pdf::write::{self as pw, Tuning};
    if s.phu_luc_rieng && doc.parts() > 1 {
        // The plan without its phụ lục, then each phụ lục, as files of their own; the signing
        // extras only on the plan's (a phụ lục has no signature). The review has the whole.
        for n in 0..doc.parts() {
            let Some(part) = doc.part(n) else { continue };
            let stem = if n == 0 { d.slug.clone() } else { format!("{}{PHU_LUC_INFIX}{n}", d.slug) };
            if s.docx {
                files.push((format!("{stem}.docx"), docx::write(&part, s.fonts)?));
            }
            if s.pdf {
                let pages = layout::pages(&part, s.fonts);
                let opts = if n == 0 { s.pdf_options } else { pdf::PdfOptions { signature_field: false, ..s.pdf_options } };
                pdf_files(s, &part, &pages, &stem, &opts, s.sign_boxes && n == 0, &mut files)?;
                if n == 0 {
                    d.pages = Some(pages.len());
                }
            }
        }
        if s.review {
            let pages = layout::pages(&doc, s.fonts);
            let lo = pw::document(&[&pages], &doc.meta, s.fonts, Tuning::Batch, &pw::Extras::default())?;
            d.review = Some((lo, pages.len(), doc.meta.clone()));
        }
        d.files = files.iter().map(|(n, _)| n.clone()).collect();
        d.payload = files;
        return Ok(());
    }
    if s.docx {
        files.push((format!("{}.docx", d.slug), docx::write(&doc, s.fonts)?));
    }
    if s.pdf || s.review {
        let pages = layout::pages(&doc, s.fonts);
        // The review copy's part for this unit: its PDF's objects, made here (in parallel) rather
        // than on the collector thread; the same objects as the unit's own PDF when that has no
        // extras (then they are made once).
        let plain = s.pdf_options == pdf::PdfOptions::default() && !s.sign_boxes;
        if s.pdf && s.review && plain {
            let lo = pw::document(&[&pages], &doc.meta, s.fonts, Tuning::Batch, &pw::Extras::default())?;
            files.push((format!("{}.pdf", d.slug), pw::save(lo.clone())?));
            d.pages = Some(pages.len());
            d.review = Some((lo, pages.len(), doc.meta.clone()));
        } else {
            if s.pdf {
                pdf_files(s, &doc, &pages, &d.slug, &s.pdf_options, s.sign_boxes, &mut files)?;
                d.pages = Some(pages.len());
            }
            if s.review {
                let lo = pw::document(&[&pages], &doc.meta, s.fonts, Tuning::Batch, &pw::Extras::default())?;
                d.review = Some((lo, pages.len(), doc.meta.clone()));
            }
        }
    }
    // The collector writes them: the workers only compute, and never wait on the disk.
    d.files = files.iter().map(|(n, _)| n.clone()).collect();
    d.payload = files;
    Ok(())
}

/// The PDF of `doc` laid out as `pages`, as `<stem>.pdf`, and its signing boxes beside it when
/// `boxes`.
fn pdf_files(
    s: &Shared,
    doc: &crate::document::Document,
    pages: &[layout::Page],
    stem: &str,
    opts: &pdf::PdfOptions,
    boxes: bool,
    files: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), Error> {
    let (pdf, boxes) = pdf::write_with(doc, pages, s.fonts, pdf::write::Tuning::Batch, opts, boxes)?;
    files.push((format!("{stem}.pdf"), pdf));
    if let Some(b) = boxes {
        files.push((format!("{stem}{SIGN_BOXES_SUFFIX}"), b.to_json().into_bytes()));
    }
    Ok(())
}

/// The lock on a folder a batch writes into: `.kehoach-batch.lock`, held (an OS file lock, which
/// ends with the process however it ends) for the whole run and removed after it.
mod lock {
    use crate::error::Error;
    use crate::plan::load::vn_io;
    use std::fs::{File, OpenOptions};
    use std::path::{Path, PathBuf};

    pub const FILE_NAME: &str = ".kehoach-batch.lock";

    pub struct Lock {
        file: File,
        path: PathBuf,
    }

    impl Lock {
        pub fn take(dir: &Path) -> Result<Lock, Error> {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), vn_io(&e)))?;
            let path = dir.join(FILE_NAME);
            loop {
                let file = OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&path)
                    .map_err(|e| Error::io(path.display(), vn_io(&e)))?;
                match file.try_lock() {
                    Ok(()) => {}
                    Err(std::fs::TryLockError::WouldBlock) => {
                        return Err(Error::io(
                            dir.display(),
                            "một lệnh `kehoach batch` khác đang ghi vào thư mục này; hãy đợi lệnh đó xong, hoặc dùng một thư mục khác (-o)",
                        ));
                    }
                    Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(path.display(), vn_io(&e))),
                }
                // The lock is on the file we opened: if the run before us removed that file
                // meanwhile, lock the one now there instead.
                if same(&file, &path) {
                    return Ok(Lock { file, path });
                }
            }
        }
    }

    #[cfg(unix)]
    fn same(file: &File, path: &Path) -> bool {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }

    #[cfg(not(unix))]
    fn same(_: &File, path: &Path) -> bool {
        path.exists()
    }

    impl Drop for Lock {
        fn drop(&mut self) {
            // Removed while still locked, so no other run can take it in between.
            let _ = std::fs::remove_file(&self.path);
            let _ = self.file.unlock();
        }
    }
}
