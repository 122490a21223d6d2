//! `kehoach batch`: one plan for each subordinate unit, from a parent plan and a units file.
//!
//! For each unit, in parallel (a rayon pool of `jobs` threads): the unit is applied to the parent
//! plan's JSON ([`units`]), the expressions about the unit in its text are rendered ([`vars`]), the
//! result is read as a plan (errors name the field), the rules of thể thức run (errors stop that
//! unit; warnings go to the report), and its DOCX and/or PDF are made, under a file name made from
//! its id ([`slug`]). One thread collects the results in the order of the units file: it writes each
//! unit's files (each atomically, [`crate::output`]; the workers never wait on the disk), the report
//! ([`report`]) and the ZIP ([`zip`]), and keeps the pages for the review PDF ([`review`]).
//!
//! Memory stays flat however many units there are: the units file is read one unit at a time, a unit
//! is read only when fewer than a few units per thread are waiting to be collected, and each unit's
//! files are written (or zipped) and dropped as soon as it is done; the review PDF is written in
//! parts as it goes (see [`review`]).

pub mod fieldpath;
pub mod report;
pub mod review;
pub mod slug;
pub mod units;
pub mod vars;
pub mod zip;

use crate::document::Meta;
use crate::error::Error;
use crate::fonts::FontSet;
use crate::layout::Page;
use crate::regime::rules::{self, Finding, MucDo};
use crate::export::{docx, pdf};
use crate::plan::load;
use crate::{Engine, layout, output};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

/// What to do.
pub struct Options {
    /// The parent plan (JSON; its strings may hold expressions about the unit).
    pub plan: PathBuf,
    /// The units file (JSON or CSV).
    pub units: PathBuf,
    /// Where each unit's files go. `None`: the current folder, unless a ZIP is asked for (then the
    /// files go only into the ZIP).
    pub out: Option<PathBuf>,
    pub docx: bool,
    pub pdf: bool,
    /// Threads (at least 1).
    pub jobs: usize,
    pub zip: Option<PathBuf>,
    pub review: Option<PathBuf>,
    pub template: Option<PathBuf>,
    pub fonts: &'static FontSet,
}

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
    pub index: usize,
    pub id: String,
    pub line: Option<u64>,
    pub label: String,
    pub slug: String,
    /// The files written, by name (in the output folder or the ZIP).
    pub files: Vec<String>,
    /// Pages of its PDF (when a PDF was made).
    pub pages: Option<usize>,
    /// Its files' bytes, for the collector to write and zip.
    payload: Vec<(String, Vec<u8>)>,
    /// Its laid-out pages, for the review PDF (only when there is one).
    review: Option<(Vec<Page>, Meta)>,
    pub errors: Vec<UnitError>,
    /// Warnings and notes of the rules of thể thức.
    pub findings: Vec<Finding>,
}

/// How the run went.
#[derive(Debug)]
pub struct Summary {
    pub totals: report::Totals,
    pub report: PathBuf,
    pub out: Option<PathBuf>,
    pub zip: Option<PathBuf>,
    pub review: Option<PathBuf>,
    pub review_pages: usize,
    /// What stopped the reading of the units file part-way, if anything.
    pub file_error: Option<Error>,
}

impl Summary {
    /// Did every unit of the file get its plan?
    pub fn ok(&self) -> bool {
        self.totals.loi == 0 && self.file_error.is_none()
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
        return Err(Error::field("", format!("tệp kế hoạch `{}` phải là một đối tượng JSON {{…}}", path.display())));
    }
    Ok(v)
}

/// The units in flight: a unit is read only when fewer than `size` units are waiting to be collected.
struct Window {
    collected: Mutex<usize>,
    cv: Condvar,
    size: usize,
    aborted: AtomicBool,
}

impl Window {
    /// Waits until unit `index` may start; false if the run was stopped.
    fn wait(&self, index: usize) -> bool {
        let mut c = self.collected.lock().unwrap();
        while index >= *c + self.size && !self.aborted.load(Ordering::SeqCst) {
            c = self.cv.wait(c).unwrap();
        }
        !self.aborted.load(Ordering::SeqCst)
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
}

/// Runs the batch. Errors are what stops it as a whole (the parent plan, the units file's header,
/// the output folder…); a unit that fails is in the summary and the report, and `observer` is told.
pub fn run(opts: &Options, observer: &dyn Observer) -> Result<Summary, Error> {
    let base = read_parent(&opts.plan)?;
    let text = vars::UnitText::new(&base).map_err(|e| in_parent(&opts.plan, e))?;
    let used = |name: &str| text.mentions(name);
    let units = units::Units::open(&opts.units, &used)?;
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
        Some(p) => Some(review::Review::new(p.clone(), opts.fonts)?),
        None => None,
    };
    if let Some(d) = &files_dir {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d.display(), load::vn_io(&e)))?;
    }

    let jobs = opts.jobs.max(1);
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
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("kehoach-{i}"))
        .build()
        .map_err(|e| Error::io("(luồng xử lý)", e))?;
    let window = Window { collected: Mutex::new(0), cv: Condvar::new(), size: 4 * jobs + 4, aborted: AtomicBool::new(false) };
    observer.started(units.count().ok());

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
            let mut slugs = slug::Slugs::default();
            let shared = &shared;
            units.for_each(&mut |raw| {
                if !window.wait(raw.index) {
                    return false;
                }
                let slug = slugs.assign(&raw.id, raw.index);
                let tx = tx.clone();
                s.spawn(move |_| {
                    let _ = tx.send(process(shared, raw, slug));
                });
                true
            })
        });
        drop(tx);
        (read, collector.join().expect("the collector does not panic"))
    });
    let totals = collected?;
    let file_error = read.err();
    let report_path = report.finish(&totals, file_error.as_ref().map(|e| e.to_string()).as_deref())?;
    let zip_path = match zip {
        Some(mut z) => {
            let f = std::fs::File::open(&report_path).map_err(|e| Error::io(report_path.display(), load::vn_io(&e)))?;
            z.add_text(report::FILE_NAME, std::io::BufReader::new(f))?;
            Some(z.finish()?)
        }
        None => None,
    };
    let (review_path, review_pages) = match review {
        Some(r) => {
            let pages = r.page_count();
            (r.finish()?, pages)
        }
        None => (None, 0),
    };
    Ok(Summary { totals, report: report_path, out: files_dir, zip: zip_path, review: review_path, review_pages, file_error })
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
#[allow(clippy::too_many_arguments)]
fn collect(
    rx: mpsc::Receiver<Done>,
    files_dir: Option<&Path>,
    report: &mut report::Writer,
    mut zip: Option<&mut zip::Sink>,
    mut review: Option<&mut review::Review>,
    window: &Window,
    observer: &dyn Observer,
) -> Result<report::Totals, Error> {
    let mut waiting: BTreeMap<usize, Done> = BTreeMap::new();
    let mut next = 0;
    let mut t = report::Totals::default();
    for done in rx {
        waiting.insert(done.index, done);
        while let Some(mut d) = waiting.remove(&next) {
            if let (Some(dir), true) = (files_dir, d.errors.is_empty()) {
                let staged: Vec<(PathBuf, Vec<u8>)> = d.payload.drain(..).map(|(n, b)| (dir.join(&n), b)).collect();
                match output::write_all(&staged) {
                    Ok(()) => {
                        d.payload = staged
                            .into_iter()
                            .map(|(p, b)| (p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(), b))
                            .collect();
                    }
                    Err(e) => {
                        d.errors = vec![UnitError::from_error(&e)];
                        d.files.clear();
                        d.pages = None;
                        d.review = None;
                    }
                }
            }
            t.so_don_vi += 1;
            if d.errors.is_empty() {
                t.da_xuat += 1;
                t.so_tep += d.files.len();
            } else {
                t.loi += 1;
            }
            if d.findings.iter().any(|f| f.muc_do == MucDo::CanhBao) {
                t.co_canh_bao += 1;
            }
            if let (Some(z), true) = (zip.as_deref_mut(), d.errors.is_empty()) {
                for (name, bytes) in std::mem::take(&mut d.payload) {
                    z.add(&name, &bytes)?;
                }
            }
            d.payload.clear();
            if let (Some(r), Some((pages, meta))) = (review.as_deref_mut(), d.review.take()) {
                r.add(pages, &meta)?;
            }
            report.unit(&d)?;
            observer.unit(&d);
            next += 1;
            window.advance(next);
        }
    }
    Ok(t)
}

/// Makes one unit's plan and files. Never fails: what goes wrong is in the result's `errors`.
fn process(s: &Shared, raw: units::RawUnit, slug: String) -> Done {
    let mut d = Done {
        index: raw.index,
        id: raw.id.clone(),
        line: raw.line,
        label: raw.label(),
        slug,
        files: Vec::new(),
        pages: None,
        payload: Vec::new(),
        review: None,
        errors: Vec::new(),
        findings: Vec::new(),
    };
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
    s.text.render(&mut plan_json, &applied.don_vi)?;
    let (plan, notes) = load::plan_from_value(&plan_json)?;
    drop(plan_json);
    let findings = rules::check(&plan, &notes, &s.rules);
    if rules::has_errors(&findings) {
        let (errors, rest): (Vec<Finding>, Vec<Finding>) = findings.into_iter().partition(|f| f.muc_do == MucDo::Loi);
        d.errors = errors
            .into_iter()
            .map(|f| UnitError { truong: f.truong, thong_bao: f.thong_bao, ma: Some(f.ma) })
            .collect();
        d.findings = rest;
        return Ok(());
    }
    d.findings = findings;
    let doc = s.engine.document(&plan)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    if s.docx {
        files.push((format!("{}.docx", d.slug), docx::write(&doc)?));
    }
    if s.pdf || s.review {
        let pages = layout::pages(&doc, s.fonts);
        if s.pdf {
            let pdf = pdf::write::write_parts(&[&pages], &doc.meta, s.fonts, pdf::write::Tuning::Batch)?;
            files.push((format!("{}.pdf", d.slug), pdf));
            d.pages = Some(pages.len());
        }
        if s.review {
            d.review = Some((pages, doc.meta.clone()));
        }
    }
    // The collector writes them: the workers only compute, and never wait on the disk.
    d.files = files.iter().map(|(n, _)| n.clone()).collect();
    d.payload = files;
    Ok(())
}
