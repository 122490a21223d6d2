//! The `kehoach` command line: the subcommands and their options (clap), on the library API.
//!
//! Exit codes: 0 done; 1 bad input (a Vietnamese message names the field; nothing is written);
//! 2 usage error.

use clap::{Parser, Subcommand, ValueEnum};
use kehoach::error::Error;
use kehoach::fonts::FontSet;
use kehoach::compose::template;
use kehoach::plan::model::Regime;
use kehoach::plan::{load, starter};
use kehoach::regime::{report, rules};
use kehoach::{Engine, batch, output};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// mimalloc: the batch allocates and frees many short-lived strings and buffers on several threads
// at once, where it is markedly faster than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "kehoach",
    version,
    about = "Soạn KẾ HOẠCH đúng thể thức (NĐ 30/2020, HD 05-HD/VPTW, HD 36-HD/VPTW) từ tệp JSON ra DOCX",
    long_about = None
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Xuất kế hoạch ra DOCX và/hoặc PDF (tệp DIR/<tên tệp>.docx, .pdf), hoặc ra SVG, mỗi trang một tệp.
    Render {
        /// Tệp kế hoạch JSON; "-" để đọc từ đầu vào chuẩn.
        plan: String,
        /// Thư mục ghi kết quả (mặc định: thư mục hiện tại).
        #[arg(short = 'o', long = "out", value_name = "DIR")]
        out: Option<PathBuf>,
        /// Định dạng xuất: docx, pdf, svg (mỗi trang một tệp DIR/<tên tệp>-1.svg, -2.svg, …, xem được bằng trình duyệt), hoặc all (mặc định): DOCX và PDF, không gồm SVG.
        #[arg(long, value_enum, default_value_t = RenderFormat::All)]
        format: RenderFormat,
        /// Thư mục mẫu riêng: tệp .xml trong đó thay cho mẫu có sẵn cùng tên.
        #[arg(long, value_name = "DIR")]
        template: Option<PathBuf>,
        /// Thư mục chứa 4 tệp phông Times New Roman của cơ quan, dùng cho PDF và SVG thay phông đi kèm.
        #[arg(long, value_name = "DIR")]
        font_dir: Option<PathBuf>,
    },
    /// Xuất kế hoạch cho từng đơn vị cấp dưới, song song: một kế hoạch chung và một tệp danh sách đơn vị.
    Batch {
        /// Kế hoạch chung (JSON); chuỗi trong đó có thể dùng biểu thức về đơn vị, ví dụ {{ don_vi.ten }}.
        plan: PathBuf,
        /// Danh sách đơn vị: JSON (danh sách đối tượng, mỗi đối tượng sửa kế hoạch chung như một JSON Merge Patch) hoặc CSV (dòng đầu là tên cột: trường của kế hoạch như nguoi_ky.ho_ten, hoặc biến của đơn vị; mỗi dòng sau một đơn vị).
        #[arg(long, value_name = "UNITS")]
        units: PathBuf,
        /// Thư mục ghi kết quả và báo cáo bao-cao.json (mặc định: thư mục hiện tại; có --zip mà không có -o thì các tệp chỉ nằm trong ZIP).
        #[arg(short = 'o', long = "out", value_name = "DIR")]
        out: Option<PathBuf>,
        /// Định dạng xuất.
        #[arg(long, value_enum, default_value_t = Format::All)]
        format: Format,
        /// Số luồng xử lý song song (mặc định: số nhân của máy).
        #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        jobs: Option<u16>,
        /// Gộp mọi tệp kết quả (và báo cáo) vào một tệp ZIP.
        #[arg(long, value_name = "FILE")]
        zip: Option<PathBuf>,
        /// Ghi thêm một tệp PDF gồm kế hoạch của mọi đơn vị theo thứ tự, để lãnh đạo xem lướt.
        #[arg(long, value_name = "FILE")]
        review: Option<PathBuf>,
        /// Thư mục mẫu riêng: tệp .xml trong đó thay cho mẫu có sẵn cùng tên.
        #[arg(long, value_name = "DIR")]
        template: Option<PathBuf>,
        /// Thư mục chứa 4 tệp phông Times New Roman của cơ quan, dùng cho PDF thay phông đi kèm.
        #[arg(long, value_name = "DIR")]
        font_dir: Option<PathBuf>,
    },
    /// Xem trước: xuất PDF vào thư mục tạm và mở bằng trình xem của máy (không có màn hình thì in đường dẫn).
    Preview {
        /// Tệp kế hoạch JSON; "-" để đọc từ đầu vào chuẩn.
        plan: String,
        #[arg(long, value_name = "DIR")]
        template: Option<PathBuf>,
        #[arg(long, value_name = "DIR")]
        font_dir: Option<PathBuf>,
    },
    /// Kiểm tra thể thức một hay nhiều tệp kế hoạch mà không xuất gì (thoát với mã 1 nếu có lỗi).
    Check {
        /// Các tệp kế hoạch JSON; "-" để đọc từ đầu vào chuẩn.
        #[arg(required = true)]
        plans: Vec<String>,
        /// Cách in kết quả: text (cho người đọc, nhóm theo trường) hoặc json (cho chương trình khác).
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// In ra một kế hoạch mẫu để điền vào.
    New {
        /// Thể thức: nd30 (Nghị định 30/2020), hd05 (Hướng dẫn 05-HD/VPTW), hd36 (Hướng dẫn 36-HD/VPTW).
        #[arg(long, value_enum)]
        regime: RegimeArg,
    },
    /// Liệt kê các mẫu có sẵn.
    Templates,
    /// In ra lược đồ JSON (JSON Schema 2020-12) của tệp kế hoạch, cho VS Code và trình soạn thảo khác.
    Schema,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Docx,
    Pdf,
    All,
}

/// What `render` writes: `all` is the DOCX and the PDF; the SVG pages only when asked for.
#[derive(Clone, Copy, ValueEnum)]
enum RenderFormat {
    Docx,
    Pdf,
    Svg,
    All,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum RegimeArg {
    Nd30,
    Hd05,
    Hd36,
}

impl From<RegimeArg> for Regime {
    fn from(r: RegimeArg) -> Regime {
        match r {
            RegimeArg::Nd30 => Regime::Nd30,
            RegimeArg::Hd05 => Regime::Hd05,
            RegimeArg::Hd36 => Regime::Hd36,
        }
    }
}

pub fn main() -> ExitCode {
    // No transparent huge pages for this process: with them, each of the allocator's 2 MB regions
    // is faulted in and zeroed whole, which makes the memory use of a batch larger and uneven.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Render { plan, out, format, template, font_dir } => {
            render(&plan, out.as_deref(), format, template.as_deref(), font_dir.as_deref())
        }
        Command::Check { plans, format } => check(&plans, format),
        Command::Batch { plan, units, out, format, jobs, zip, review, template, font_dir } => {
            let (docx, pdf) = match format {
                Format::Docx => (true, false),
                Format::Pdf => (false, true),
                Format::All => (true, true),
            };
            let jobs = jobs.map(usize::from).unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let opts = batch::Options {
                plan,
                units,
                out,
                docx,
                pdf,
                jobs,
                zip,
                review,
                template,
                fonts: fonts(font_dir.as_deref())?,
            };
            run_batch(&opts)
        }
        Command::Preview { plan, template, font_dir } => preview(&plan, template.as_deref(), font_dir.as_deref()),
        Command::New { regime } => {
            print!("{}", starter::for_regime(regime.into()));
            Ok(())
        }
        Command::Schema => {
            print!("{}", kehoach::plan::schema::plan_schema_string());
            Ok(())
        }
        Command::Templates => {
            for (name, what, _) in template::BUILTIN {
                println!("{name:<18} {what}");
            }
            Ok(())
        }
    }
}

/// The output file stem: the input's file stem, or "ke-hoach" for standard input.
fn stem(plan: &str) -> String {
    if plan == "-" {
        return "ke-hoach".into();
    }
    Path::new(plan)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "ke-hoach".into())
}

fn fonts(dir: Option<&Path>) -> Result<&'static FontSet, Error> {
    match dir {
        None => Ok(FontSet::bundled()),
        Some(d) => Ok(Box::leak(Box::new(FontSet::from_dir(d)?))),
    }
}

/// Reads a plan and runs the rules of thể thức on it, as `check` does: errors stop here, before
/// anything is written; warnings are shown.
fn load_checked(plan_path: &str) -> Result<kehoach::plan::model::Plan, Error> {
    let (plan, notes) = load::read_plan_with_notes(plan_path)?;
    let findings = rules::check(&plan, &notes, &rules::Options::now());
    for line in report::lines(&findings) {
        eprintln!("{line}");
    }
    if rules::has_errors(&findings) {
        return Err(Error::field(
            "",
            format!("kế hoạch có {} về thể thức; chưa ghi tệp nào (xem `kehoach check {plan_path}`)", report::summary(&findings)),
        ));
    }
    Ok(plan)
}

fn render(
    plan_path: &str,
    out: Option<&Path>,
    format: RenderFormat,
    template: Option<&Path>,
    font_dir: Option<&Path>,
) -> Result<(), Error> {
    let plan = load_checked(plan_path)?;
    let engine = Engine::new(template)?;
    let dir = out.unwrap_or(Path::new("."));
    let stem = stem(plan_path);
    let docx_path = dir.join(format!("{stem}.docx"));
    let pdf_path = dir.join(format!("{stem}.pdf"));
    let mut files = Vec::new();
    match format {
        RenderFormat::Docx => files.push((docx_path, engine.docx(&plan)?)),
        RenderFormat::Pdf => files.push((pdf_path, engine.pdf(&plan, fonts(font_dir)?)?)),
        RenderFormat::Svg => {
            let pages = engine.svg(&plan, fonts(font_dir)?)?;
            for (i, page) in pages.into_iter().enumerate() {
                files.push((svg_path(dir, &stem, i + 1), page.into_bytes()));
            }
        }
        RenderFormat::All => {
            let (docx, pdf) = engine.docx_and_pdf(&plan, fonts(font_dir)?)?;
            files.push((docx_path, docx));
            files.push((pdf_path, pdf));
        }
    }
    output::write_all(&files)?;
    for (path, _) in &files {
        println!("Đã ghi {}", path.display());
    }
    if let RenderFormat::Svg = format {
        // Pages of an earlier, longer version of the plan are not deleted (they may be wanted),
        // but they are no longer part of it: say so.
        let stale: Vec<PathBuf> = (files.len() + 1..).map(|n| svg_path(dir, &stem, n)).take_while(|p| p.exists()).collect();
        if let (Some(first), Some(last)) = (stale.first(), stale.last()) {
            let which = if stale.len() == 1 { first.display().to_string() } else { format!("{} … {}", first.display(), last.display()) };
            eprintln!("Lưu ý: kế hoạch có {} trang; {which} là trang của lần xuất trước, không thuộc kế hoạch này.", files.len());
        }
    }
    Ok(())
}

/// Page `n` (from 1) of the SVG pages of `stem`.
fn svg_path(dir: &Path, stem: &str, n: usize) -> PathBuf {
    dir.join(format!("{stem}-{n}.svg"))
}

/// The batch's progress on standard error: a bar when it is a terminal, and the messages of the
/// units that failed, as they come.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new() -> Progress {
        let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
            let style = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} đơn vị · {toc_do} kế hoạch/giây · còn {eta}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .with_key("toc_do", |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}", s.per_sec());
                });
            bar.set_style(style);
            bar
        });
        Progress { bar }
    }
}

impl batch::Observer for Progress {
    fn started(&self, total: Option<usize>) {
        if let (Some(bar), Some(n)) = (&self.bar, total) {
            bar.set_length(n as u64);
        }
    }
    fn unit(&self, unit: &batch::Done) {
        let say = || {
            for m in unit.messages() {
                eprintln!("Lỗi: {m}");
            }
        };
        match &self.bar {
            Some(bar) => {
                bar.inc(1);
                bar.suspend(say);
            }
            None => say(),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn run_batch(opts: &batch::Options) -> Result<(), Error> {
    let s = {
        let progress = Progress::new();
        batch::run(opts, &progress)?
    };
    let t = &s.totals;
    let place = match (&s.out, &s.zip) {
        (Some(dir), Some(zip)) => format!("trong {} và {}", dir.display(), zip.display()),
        (Some(dir), None) => format!("trong {}", dir.display()),
        (None, Some(zip)) => format!("trong {}", zip.display()),
        (None, None) => String::new(),
    };
    // A units file unreadable from its first unit: its error says it all.
    if t.so_don_vi > 0 || s.file_error.is_none() {
        println!("Đã xuất {}/{} đơn vị: {} tệp {place}", t.da_xuat, t.so_don_vi, t.so_tep);
    }
    if let Some(r) = &s.review {
        println!("Bản xem: {} ({} trang)", r.display(), s.review_pages);
    }
    println!("Báo cáo: {}", s.report.display());
    if t.co_canh_bao > 0 {
        eprintln!("Cảnh báo: {} đơn vị có cảnh báo về thể thức (xem {})", t.co_canh_bao, s.report.display());
    }
    if let Some(e) = s.file_error {
        return Err(e);
    }
    if t.loi > 0 {
        return Err(Error::field(
            "",
            format!("{}/{} đơn vị có lỗi nên chưa được xuất (xem các dòng trên hoặc {})", t.loi, t.so_don_vi, s.report.display()),
        ));
    }
    Ok(())
}

/// Is there a desktop to show a window on?
fn has_display() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

fn preview(plan_path: &str, template: Option<&Path>, font_dir: Option<&Path>) -> Result<(), Error> {
    let plan = load_checked(plan_path)?;
    let engine = Engine::new(template)?;
    let pdf = engine.pdf(&plan, fonts(font_dir)?)?;
    // A fixed name per plan, so a viewer that reloads on change shows each new preview.
    let path = std::env::temp_dir().join("kehoach-xem-truoc").join(format!("{}.pdf", stem(plan_path)));
    output::write_all(&[(path.clone(), pdf)])?;
    if has_display() {
        match opener::open(&path) {
            Ok(()) => println!("Đã mở {}", path.display()),
            Err(e) => println!("Đã ghi {} (không mở được trình xem: {e})", path.display()),
        }
    } else {
        println!("{}", path.display());
    }
    Ok(())
}

fn check(plans: &[String], format: ReportFormat) -> Result<(), Error> {
    let engine = Engine::new(None)?;
    let opts = rules::Options::now();
    let mut failed = 0;
    let mut reports = Vec::new();
    for p in plans {
        let result = load::read_plan_with_notes(p).and_then(|(plan, notes)| {
            let findings = rules::check(&plan, &notes, &opts);
            // A plan the rules pass must also render; anything else is reported as the error it is.
            if !rules::has_errors(&findings) {
                engine.document(&plan)?;
            }
            Ok(findings)
        });
        let bad = result.as_ref().map_or(true, |f| rules::has_errors(f));
        if bad {
            failed += 1;
        }
        match format {
            ReportFormat::Json => reports.push(report::json(p, &result)),
            ReportFormat::Text => match &result {
                Ok(findings) => print!("{}", report::text(p, findings)),
                Err(e) => eprintln!("{p}: {e}"),
            },
        }
    }
    if format == ReportFormat::Json {
        println!("{}", serde_json::to_string_pretty(&reports).unwrap_or_default());
    }
    if failed > 0 {
        return Err(Error::field("", format!("{failed}/{} tệp có lỗi", plans.len())));
    }
    Ok(())
}
