//! The `kehoach` command line: the subcommands and their options (clap), on the library API.
//!
//! Exit codes: 0 done; 1 bad input (a Vietnamese message names the field; nothing is written);
//! 2 usage error; 3 a fault of the engine itself.

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use kehoach::{CheckOptions, CheckedPlan, Engine, Error, FontSet, Outputs, PdfOptions, Plan, Regime, batch, output, report};
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
        /// Ghi ra tệp JSON vị trí (trang, khung tính bằng point của PDF) của vùng chữ ký (giữa chức vụ và họ tên), vùng đóng dấu (một phần ba bên trái vùng chữ ký), số và ngày ở trang 1 (chỗ để trống cho văn thư điền khi phát hành điện tử).
        #[arg(long, value_name = "FILE")]
        sign_boxes: Option<PathBuf>,
        #[command(flatten)]
        pdf: PdfArgs,
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
        /// Ghi thêm, cạnh PDF của mỗi đơn vị, tệp <tên tệp>.vi-tri-ky.json: vị trí vùng chữ ký, vùng đóng dấu, số và ngày (như render --sign-boxes).
        #[arg(long)]
        sign_boxes: bool,
        #[command(flatten)]
        pdf: PdfArgs,
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
    /// Nhập một kế hoạch có sẵn (tệp Word .docx hoặc văn bản .txt) thành tệp kế hoạch JSON, kèm danh sách cần xem lại.
    #[command(long_about = "Nhập một kế hoạch có sẵn (tệp Word .docx hoặc văn bản .txt) thành tệp kế hoạch JSON để sửa tiếp và xuất lại đúng thể thức.\n\nChương trình nhận ra thể thức (NĐ 30, HD 05, HD 36), tên cơ quan, số và ký hiệu, địa danh và ngày, trích yếu, căn cứ, các mục I. 1. 1.1. a) - + (gõ tay hay do Word tự đánh số), nhiệm vụ (Chủ trì:, Phối hợp:, Thời gian:, Sản phẩm: hoặc bảng STT | Nội dung | Chủ trì…), kết thúc, nơi nhận, dòng lưu và người ký. Những gì phải đoán, đã sửa cho đúng thể thức, bản gốc thiếu hay không xếp được đều được liệt kê (“cần xem lại”), mỗi mục ghi tên trường trong tệp JSON và đoạn văn gốc.\n\nKhông ghi đè tệp đã có (trừ khi có --force). Tệp .doc, PDF, tệp có mật khẩu hay tệp hỏng bị từ chối, không ghi gì, mã thoát 1.")]
    Import {
        /// Tệp .docx hoặc .txt (văn bản UTF-8, mỗi đoạn một dòng); "-" để đọc văn bản từ đầu vào chuẩn.
        file: String,
        /// Tệp kế hoạch JSON ghi ra; "-" để in ra màn hình (mặc định: tên tệp nhập với đuôi .json, trong thư mục hiện tại; đọc từ đầu vào chuẩn thì in ra màn hình).
        #[arg(short = 'o', long = "out", value_name = "PLAN.json")]
        out: Option<String>,
        /// Ghi thêm danh sách cần xem lại ra tệp JSON này.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Ghi đè tệp kết quả nếu đã có.
        #[arg(long)]
        force: bool,
    },
    /// In ra một kế hoạch mẫu để điền vào.
    New {
        #[arg(long, value_parser = regime_parser(), help = regime_help())]
        regime: Regime,
    },
    /// Liệt kê các mẫu có sẵn.
    Templates,
    /// In ra lược đồ JSON (JSON Schema 2020-12) của tệp kế hoạch, cho VS Code và trình soạn thảo khác.
    Schema,
}

/// What the PDF carries beyond its pages (render and batch).
#[derive(Args, Clone, Copy)]
struct PdfArgs {
    /// Thêm vào PDF một ô chữ ký số còn trống ở vùng chữ ký (giữa chức vụ và họ tên), để phần mềm ký số tìm thấy chỗ ký.
    #[arg(long)]
    signature_field: bool,
    /// Xuất PDF/A-1b (ISO 19005-1) để lưu trữ lâu dài: siêu dữ liệu XMP, hồ sơ màu sRGB, phông nhúng đủ.
    #[arg(long)]
    pdfa: bool,
}

impl PdfArgs {
    fn options(self) -> PdfOptions {
        PdfOptions { signature_field: self.signature_field, pdfa: self.pdfa }
    }
    fn any(self) -> bool {
        self.signature_field || self.pdfa
    }
}

/// Ends the run with clap's usage error (exit code 2) when options that shape the PDF are given
/// without a PDF to shape.
fn check_pdf_options(makes_pdf: bool, pdf: PdfArgs, sign_boxes: bool) {
    if !makes_pdf && (pdf.any() || sign_boxes) {
        let given: Vec<&str> = [(sign_boxes, "--sign-boxes"), (pdf.signature_field, "--signature-field"), (pdf.pdfa, "--pdfa")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| *name)
            .collect();
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                format!("{} chỉ dùng khi có xuất PDF (--format pdf hoặc --format all)", given.join(", ")),
            )
            .exit();
    }
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

/// "Thể thức: nd30 (Nghị định số 30/2020/NĐ-CP), …", from the profiles.
fn regime_help() -> String {
    let list: Vec<String> = Regime::ALL.iter().map(|r| format!("{} ({})", r.code(), r.profile_name())).collect();
    format!("Thể thức: {}.", list.join(", "))
}

/// The regimes' codes as the values of `--regime` (the list comes from the library, so a new regime
/// needs nothing here).
fn regime_parser() -> impl clap::builder::TypedValueParser<Value = Regime> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Regime::ALL.map(|r| r.code()))
        .map(|code| Regime::from_code(&code).expect("one of the possible values"))
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
        Ok(code) => code,
        Err(e) => {
            eprintln!("Lỗi: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Ends a run that went wrong in a way already reported above it (rule errors, failed units):
/// its last word, and exit code 1.
fn failed(message: &str) -> ExitCode {
    eprintln!("Lỗi: {message}");
    ExitCode::from(1)
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Render { plan, out, format, template, font_dir, sign_boxes, pdf } => {
            check_pdf_options(matches!(format, RenderFormat::Pdf | RenderFormat::All), pdf, sign_boxes.is_some());
            render(&plan, out.as_deref(), format, template.as_deref(), font_dir.as_deref(), sign_boxes.as_deref(), pdf.options())
        }
        Command::Check { plans, format } => check(&plans, format),
        Command::Batch { plan, units, out, format, jobs, zip, review, template, font_dir, sign_boxes, pdf: pdf_args } => {
            check_pdf_options(!matches!(format, Format::Docx), pdf_args, sign_boxes);
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
                pdf_options: pdf_args.options(),
                sign_boxes,
            };
            run_batch(&opts)
        }
        Command::Import { file, out, report, force } => import(&file, out.as_deref(), report.as_deref(), force),
        Command::Preview { plan, template, font_dir } => preview(&plan, template.as_deref(), font_dir.as_deref()),
        Command::New { regime } => {
            print!("{}", kehoach::starter(regime));
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            print!("{}", kehoach::schema());
            Ok(ExitCode::SUCCESS)
        }
        Command::Templates => {
            for (name, what, _) in kehoach::builtin_templates() {
                println!("{name:<18} {what}");
            }
            Ok(ExitCode::SUCCESS)
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

/// Reads a plan and runs the rules of thể thức on it, as `check` does; the findings are shown on
/// standard error. With errors, nothing is to be written: the exit code is returned instead.
fn load_checked(plan_path: &str) -> Result<Result<CheckedPlan, ExitCode>, Error> {
    match Plan::read(plan_path)?.check() {
        Ok(checked) => {
            for line in report::lines(checked.findings()) {
                eprintln!("{line}");
            }
            Ok(Ok(checked))
        }
        Err(rejected) => {
            for line in report::lines(&rejected.findings) {
                eprintln!("{line}");
            }
            let summary = report::summary(&rejected.findings);
            Ok(Err(failed(&format!("kế hoạch có {summary} về thể thức; chưa ghi tệp nào (xem `kehoach check {plan_path}`)"))))
        }
    }
}

fn engine(template: Option<&Path>, font_dir: Option<&Path>) -> Result<Engine, Error> {
    Ok(Engine::new(template)?.with_fonts(fonts(font_dir)?))
}

#[allow(clippy::too_many_arguments)]
fn render(
    plan_path: &str,
    out: Option<&Path>,
    format: RenderFormat,
    template: Option<&Path>,
    font_dir: Option<&Path>,
    sign_boxes: Option<&Path>,
    pdf_options: PdfOptions,
) -> Result<ExitCode, Error> {
    let dir = out.unwrap_or(Path::new("."));
    let stem = stem(plan_path);
    let docx_path = dir.join(format!("{stem}.docx"));
    let pdf_path = dir.join(format!("{stem}.pdf"));
    if let Some(b) = sign_boxes {
        let same = |p: &Path| std::path::absolute(p).ok() == std::path::absolute(b).ok();
        if same(&pdf_path) || same(&docx_path) {
            Cli::command()
                .error(clap::error::ErrorKind::ArgumentConflict, format!("--sign-boxes {} trùng với tệp kết quả; hãy chọn tên khác, ví dụ {stem}.vi-tri-ky.json", b.display()))
                .exit();
        }
    }
    let plan = match load_checked(plan_path)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let engine = engine(template, font_dir)?;
    let want = Outputs {
        docx: matches!(format, RenderFormat::Docx | RenderFormat::All),
        pdf: matches!(format, RenderFormat::Pdf | RenderFormat::All).then_some(pdf_options),
        sign_boxes: sign_boxes.is_some(),
    };
    let made = if want.docx || want.pdf.is_some() || want.sign_boxes { engine.render(&plan, &want)? } else { Default::default() };
    let mut files = Vec::new();
    if let Some(docx) = made.docx {
        files.push((docx_path, docx));
    }
    if let Some(pdf) = made.pdf {
        files.push((pdf_path, pdf));
    }
    if let (Some(path), Some(boxes)) = (sign_boxes, made.sign_boxes) {
        files.push((path.to_path_buf(), boxes.to_json().into_bytes()));
    }
    if let RenderFormat::Svg = format {
        for (i, page) in engine.svg(&plan)?.into_iter().enumerate() {
            files.push((svg_path(dir, &stem, i + 1), page.into_bytes()));
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
    Ok(ExitCode::SUCCESS)
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

fn run_batch(opts: &batch::Options) -> Result<ExitCode, Error> {
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
        return Ok(failed(&format!(
            "{}/{} đơn vị có lỗi nên chưa được xuất (xem các dòng trên hoặc {})",
            t.loi,
            t.so_don_vi,
            s.report.display()
        )));
    }
    Ok(ExitCode::SUCCESS)
}

/// Is there a desktop to show a window on?
fn has_display() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
}

fn preview(plan_path: &str, template: Option<&Path>, font_dir: Option<&Path>) -> Result<ExitCode, Error> {
    let plan = match load_checked(plan_path)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let pdf = engine(template, font_dir)?.pdf(&plan)?;
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
    Ok(ExitCode::SUCCESS)
}

fn check(plans: &[String], format: ReportFormat) -> Result<ExitCode, Error> {
    let engine = Engine::new(None)?;
    let opts = CheckOptions::now();
    let mut bad = 0;
    let mut reports = Vec::new();
    for p in plans {
        let result = Plan::read(p).and_then(|plan| match plan.check_with(&opts) {
            // A plan the rules pass must also render; anything else is reported as the error it is.
            Ok(checked) => {
                engine.document(&checked)?;
                Ok(checked.findings().to_vec())
            }
            Err(rejected) => Ok(rejected.findings),
        });
        if result.as_ref().map_or(true, |f| report::has_errors(f)) {
            bad += 1;
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
    if bad > 0 {
        return Ok(failed(&format!("{bad}/{} tệp có lỗi", plans.len())));
    }
    Ok(ExitCode::SUCCESS)
}

/// `kehoach import`: reads a .docx or a text, writes the plan JSON (and the report), prints the
/// review list and the rules' findings on standard error.
fn import(file: &str, out: Option<&str>, report_path: Option<&Path>, force: bool) -> Result<ExitCode, Error> {
    let name = if file == "-" { "(đầu vào chuẩn)" } else { file };
    let bytes = kehoach::import::read_input(file)?;
    let imported = kehoach::import::from_bytes(&bytes).map_err(|e| match e {
        Error::Field { path, message, line, column } if path.is_empty() => {
            Error::Field { path, message: format!("`{name}`: {message}; chưa ghi tệp nào"), line, column }
        }
        e => e,
    })?;
    let json = imported.json();
    if json.len() > kehoach::plan::MAX_INPUT_BYTES {
        return Ok(failed(&format!(
            "`{name}`: kế hoạch nhập được quá lớn ({} MB; tệp kế hoạch tối đa {} MB); chưa ghi tệp nào",
            json.len() / (1024 * 1024),
            kehoach::plan::MAX_INPUT_BYTES / (1024 * 1024)
        )));
    }
    // The plan must load: anything else is a fault of the import, reported as such.
    let plan = Plan::from_json(&json).map_err(|e| {
        Error::field("", format!("kế hoạch nhập được không đọc lại được ({e}); chưa ghi tệp nào — xin báo lỗi này kèm tệp gốc"))
    })?;
    let target: Option<PathBuf> = match out {
        Some("-") => None,
        Some(p) => Some(PathBuf::from(p)),
        None if file == "-" => None,
        None => Some(PathBuf::from(format!("{}.json", stem(file)))),
    };
    let mut files = Vec::new();
    if let Some(t) = &target {
        files.push((t.clone(), json.clone().into_bytes()));
    }
    if let Some(r) = report_path {
        files.push((r.to_path_buf(), imported.report_json().into_bytes()));
    }
    if !force && let Some((p, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Ok(failed(&format!("tệp `{}` đã có; chọn tên khác bằng -o, hoặc thêm --force để ghi đè. Chưa ghi tệp nào", p.display())));
    }
    output::write_all(&files)?;
    if target.is_none() {
        print!("{json}");
    }
    for line in kehoach::import::review::lines(&imported.review) {
        eprintln!("{line}");
    }
    let shown: Vec<_> = plan.findings(&CheckOptions::now()).into_iter().filter(|f| f.muc_do != kehoach::MucDo::ThongTin).collect();
    if !shown.is_empty() {
        eprintln!("Kiểm tra thể thức của kế hoạch nhập được:");
        for line in report::lines(&shown) {
            eprintln!("{line}");
        }
    }
    for (p, _) in &files {
        eprintln!("Đã ghi {}", p.display());
    }
    Ok(ExitCode::SUCCESS)
}
