//! The `kehoach` command line: the subcommands and their options (clap), on the library API.
//!
//! Everything the user reads is Vietnamese, clap's own words included: the help is laid out by our
//! template with Vietnamese headings (clap's "Usage", "Options", "Commands", its `--help` and
//! `--version` texts, its "[default: …]" and "[possible values: …]" are replaced or hidden, the
//! defaults and values being written in each option's text), and clap's errors are reworded from
//! their kind and context ([`usage_error`]).
//!
//! Exit codes: 0 done; 1 bad input (a Vietnamese message names the field; nothing is written);
//! 2 usage error; 3 a fault of the engine itself; 130 stopped by a second Ctrl-C.

use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use kehoach::{CheckOptions, CheckedPlan, Engine, Error, FontSet, Outputs, Part, PdfOptions, Plan, Regime, batch, output, report};
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
    about = "Soạn KẾ HOẠCH đúng thể thức (NĐ 30/2020, HD 05-HD/VPTW, HD 36-HD/VPTW) từ tệp JSON ra DOCX, PDF và SVG",
    long_about = None,
    override_usage = "kehoach <LỆNH> [TÙY_CHỌN]"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Xuất kế hoạch ra DOCX và PDF (THƯ_MỤC/<tên tệp>.docx và .pdf), hoặc ra SVG, mỗi trang một tệp.
    #[command(override_usage = "kehoach render <KẾ_HOẠCH> [-o THƯ_MỤC] [--format docx|pdf|svg|all] [--units DANH_SÁCH --ma MÃ] [--signature-field] [--pdfa] [--sign-boxes TỆP] [--phu-luc chung|rieng]")]
    Render {
        /// Tệp kế hoạch JSON; "-" để đọc từ đầu vào chuẩn.
        #[arg(value_name = "KẾ_HOẠCH")]
        plan: String,
        /// Thư mục ghi kết quả (mặc định: thư mục hiện tại).
        #[arg(short = 'o', long = "out", value_name = "THƯ_MỤC")]
        out: Option<PathBuf>,
        /// Định dạng xuất: docx, pdf, svg (mỗi trang một tệp THƯ_MỤC/<tên tệp>-1.svg, -2.svg, …, xem được bằng trình duyệt), hoặc all là DOCX và PDF, không gồm SVG (mặc định: all).
        #[arg(long, value_enum, default_value_t = RenderFormat::All, value_name = "ĐỊNH_DẠNG")]
        format: RenderFormat,
        /// Thư mục mẫu riêng: tệp .xml trong đó thay cho mẫu có sẵn cùng tên (xem `kehoach templates`).
        #[arg(long, value_name = "THƯ_MỤC")]
        template: Option<PathBuf>,
        /// Thư mục chứa 4 tệp phông Times New Roman của cơ quan, dùng cho PDF và SVG thay phông đi kèm.
        #[arg(long, value_name = "THƯ_MỤC")]
        font_dir: Option<PathBuf>,
        /// Với kế hoạch chung của `batch`: danh sách đơn vị (CSV hoặc JSON); cần có --ma.
        #[arg(long, value_name = "DANH_SÁCH", requires = "ma")]
        units: Option<PathBuf>,
        /// Mã của đơn vị cần xuất trong danh sách --units (cột `ma`, hoặc cột đầu tiên).
        #[arg(long, value_name = "MÃ", requires = "units")]
        ma: Option<String>,
        /// Ghi ra tệp JSON vị trí (trang, khung tính bằng point của PDF) của vùng chữ ký (giữa chức vụ và họ tên), vùng đóng dấu (một phần ba bên trái vùng chữ ký), số và ngày ở trang 1 (chỗ để trống cho văn thư điền khi phát hành điện tử).
        #[arg(long, value_name = "TỆP")]
        sign_boxes: Option<PathBuf>,
        #[command(flatten)]
        pdf: PdfArgs,
        /// Phụ lục: chung (mặc định) in trong cùng tệp, sau chữ ký; rieng ghi mỗi phụ lục một tệp THƯ_MỤC/<tên tệp>-phu-luc-1.docx, .pdf …, còn tệp kế hoạch không có phụ lục.
        #[arg(long = "phu-luc", value_enum, default_value_t = PhuLucArg::Chung, value_name = "CÁCH")]
        phu_luc: PhuLucArg,
    },
    /// Xuất kế hoạch cho từng đơn vị cấp dưới, song song: một kế hoạch chung và một danh sách đơn vị.
    #[command(override_usage = "kehoach batch <KẾ_HOẠCH_CHUNG> --units <DANH_SÁCH> [-o THƯ_MỤC] [TÙY_CHỌN]")]
    Batch {
        /// Kế hoạch chung (JSON); chuỗi trong đó có thể dùng biểu thức về đơn vị, ví dụ {{ don_vi.ten }}.
        #[arg(value_name = "KẾ_HOẠCH_CHUNG")]
        plan: PathBuf,
        /// Danh sách đơn vị: JSON (danh sách đối tượng, mỗi đối tượng sửa kế hoạch chung như một JSON Merge Patch) hoặc CSV (dòng đầu là tên cột: trường của kế hoạch như nguoi_ky.ho_ten, hoặc biến của đơn vị; mỗi dòng sau một đơn vị).
        #[arg(long, value_name = "DANH_SÁCH")]
        units: PathBuf,
        /// Thư mục ghi kết quả và báo cáo bao-cao.json (mặc định: thư mục hiện tại; có --zip mà không có -o thì các tệp chỉ nằm trong ZIP).
        #[arg(short = 'o', long = "out", value_name = "THƯ_MỤC")]
        out: Option<PathBuf>,
        /// Định dạng xuất: docx, pdf, hoặc all là cả hai (mặc định: all).
        #[arg(long, value_enum, default_value_t = Format::All, value_name = "ĐỊNH_DẠNG")]
        format: Format,
        /// Số đơn vị làm song song (mặc định và tối đa: số nhân của máy).
        #[arg(short = 'j', long = "jobs", value_name = "SỐ", value_parser = jobs)]
        jobs: Option<usize>,
        /// Gộp mọi tệp kết quả (và báo cáo) vào một tệp ZIP.
        #[arg(long, value_name = "TỆP")]
        zip: Option<PathBuf>,
        /// Ghi thêm một tệp PDF gồm kế hoạch của mọi đơn vị theo thứ tự, để lãnh đạo xem lướt.
        #[arg(long, value_name = "TỆP")]
        review: Option<PathBuf>,
        /// Thư mục mẫu riêng: tệp .xml trong đó thay cho mẫu có sẵn cùng tên.
        #[arg(long, value_name = "THƯ_MỤC")]
        template: Option<PathBuf>,
        /// Thư mục chứa 4 tệp phông Times New Roman của cơ quan, dùng cho PDF thay phông đi kèm.
        #[arg(long, value_name = "THƯ_MỤC")]
        font_dir: Option<PathBuf>,
        /// Ghi thêm, cạnh PDF của mỗi đơn vị, tệp <tên tệp>.vi-tri-ky.json: vị trí vùng chữ ký, vùng đóng dấu, số và ngày (như render --sign-boxes).
        #[arg(long)]
        sign_boxes: bool,
        /// Phụ lục: chung (mặc định) in trong cùng tệp, sau chữ ký; rieng ghi mỗi phụ lục của mỗi đơn vị một tệp <tên tệp>-phu-luc-1.docx, .pdf …, còn tệp kế hoạch không có phụ lục (bản xem --review vẫn đủ cả phụ lục).
        #[arg(long = "phu-luc", value_enum, default_value_t = PhuLucArg::Chung, value_name = "CÁCH")]
        phu_luc: PhuLucArg,
        #[command(flatten)]
        pdf: PdfArgs,
    },
    /// Xem trước: xuất PDF vào thư mục riêng của người dùng và mở bằng trình xem của máy.
    #[command(override_usage = "kehoach preview <KẾ_HOẠCH> [--units DANH_SÁCH --ma MÃ]")]
    Preview {
        /// Tệp kế hoạch JSON; "-" để đọc từ đầu vào chuẩn.
        #[arg(value_name = "KẾ_HOẠCH")]
        plan: String,
        /// Thư mục mẫu riêng: tệp .xml trong đó thay cho mẫu có sẵn cùng tên.
        #[arg(long, value_name = "THƯ_MỤC")]
        template: Option<PathBuf>,
        /// Thư mục chứa 4 tệp phông Times New Roman của cơ quan, dùng cho PDF thay phông đi kèm.
        #[arg(long, value_name = "THƯ_MỤC")]
        font_dir: Option<PathBuf>,
        /// Với kế hoạch chung của `batch`: danh sách đơn vị (CSV hoặc JSON); cần có --ma.
        #[arg(long, value_name = "DANH_SÁCH", requires = "ma")]
        units: Option<PathBuf>,
        /// Mã của đơn vị cần xem trong danh sách --units.
        #[arg(long, value_name = "MÃ", requires = "units")]
        ma: Option<String>,
    },
    /// Kiểm tra thể thức một hay nhiều tệp kế hoạch mà không xuất gì (thoát với mã 1 nếu có lỗi).
    #[command(override_usage = "kehoach check <KẾ_HOẠCH>... [--format text|json] [--units DANH_SÁCH --ma MÃ]")]
    Check {
        /// Các tệp kế hoạch JSON; "-" để đọc từ đầu vào chuẩn.
        #[arg(required = true, value_name = "KẾ_HOẠCH")]
        plans: Vec<String>,
        /// Cách in kết quả: text (cho người đọc, nhóm theo trường; mặc định) hoặc json (cho chương trình khác).
        #[arg(long, value_enum, default_value_t = ReportFormat::Text, value_name = "CÁCH_IN")]
        format: ReportFormat,
        /// Với kế hoạch chung của `batch`: danh sách đơn vị (CSV hoặc JSON); cần có --ma.
        #[arg(long, value_name = "DANH_SÁCH", requires = "ma")]
        units: Option<PathBuf>,
        /// Mã của đơn vị cần kiểm tra trong danh sách --units.
        #[arg(long, value_name = "MÃ", requires = "units")]
        ma: Option<String>,
    },
    /// Nhập một kế hoạch có sẵn (tệp Word .docx hoặc văn bản .txt) thành tệp kế hoạch JSON, kèm danh sách cần xem lại.
    #[command(long_about = "Nhập một kế hoạch có sẵn (tệp Word .docx hoặc văn bản .txt) thành tệp kế hoạch JSON để sửa tiếp và xuất lại đúng thể thức.\n\nChương trình nhận ra thể thức (NĐ 30, HD 05, HD 36), tên cơ quan, số và ký hiệu, địa danh và ngày, trích yếu, căn cứ, các mục I. 1. 1.1. a) - + (gõ tay hay do Word tự đánh số), nhiệm vụ (Chủ trì:, Phối hợp:, Thời gian:, Sản phẩm: hoặc bảng STT | Nội dung | Chủ trì…), kết thúc, nơi nhận, dòng lưu và người ký. Những gì phải đoán, đã sửa cho đúng thể thức, bản gốc thiếu hay không xếp được đều được liệt kê (“cần xem lại”), mỗi mục ghi tên trường trong tệp JSON và đoạn văn gốc.\n\nKhông ghi đè tệp đã có (trừ khi có --force). Tệp .doc, PDF, tệp có mật khẩu hay tệp hỏng bị từ chối, không ghi gì, mã thoát 1.")]
    #[command(override_usage = "kehoach import <TỆP.docx|TỆP.txt|-> [-o KẾ_HOẠCH.json] [--report TỆP] [--force]")]
    Import {
        /// Tệp .docx hoặc .txt (văn bản UTF-8, mỗi đoạn một dòng); "-" để đọc văn bản từ đầu vào chuẩn.
        #[arg(value_name = "TỆP")]
        file: String,
        /// Tệp kế hoạch JSON ghi ra; "-" để in ra màn hình (mặc định: tên tệp nhập với đuôi .json, trong thư mục hiện tại; đọc từ đầu vào chuẩn thì in ra màn hình).
        #[arg(short = 'o', long = "out", value_name = "KẾ_HOẠCH.json")]
        out: Option<String>,
        /// Ghi thêm danh sách cần xem lại ra tệp JSON này.
        #[arg(long, value_name = "TỆP")]
        report: Option<PathBuf>,
        /// Ghi đè tệp kết quả nếu đã có.
        #[arg(long)]
        force: bool,
    },
    /// In ra (hoặc ghi vào tệp) một kế hoạch mẫu để điền vào.
    #[command(override_usage = "kehoach new --regime <THỂ_THỨC> [-o TỆP]")]
    New {
        #[arg(long, value_parser = regime_parser(), help = regime_help(), value_name = "THỂ_THỨC")]
        regime: Regime,
        /// Ghi vào tệp này (mã UTF-8) thay vì in ra; không ghi đè tệp đã có.
        #[arg(short = 'o', long = "out", value_name = "TỆP")]
        out: Option<PathBuf>,
    },
    /// Liệt kê các mẫu có sẵn, hoặc chép chúng vào một thư mục để sửa thành mẫu riêng (--template).
    #[command(override_usage = "kehoach templates [-o THƯ_MỤC]")]
    Templates {
        /// Chép các mẫu có sẵn vào thư mục này (không ghi đè tệp đã có).
        #[arg(short = 'o', long = "out", value_name = "THƯ_MỤC")]
        out: Option<PathBuf>,
    },
    /// In ra lược đồ JSON (JSON Schema 2020-12) của tệp kế hoạch, cho VS Code và trình soạn thảo khác.
    #[command(override_usage = "kehoach schema")]
    Schema,
    /// Mở trang soạn kế hoạch trên trình duyệt của máy này: điền biểu mẫu, xem ngay các trang sẽ in, tải DOCX và PDF.
    #[cfg(feature = "serve")]
    #[command(long_about = "Mở trang soạn kế hoạch trên trình duyệt của máy này (không cần Internet, không gửi gì ra ngoài): điền biểu mẫu, xem ngay các trang A4 sẽ in và các lỗi thể thức cạnh từng ô, tải DOCX và PDF, nhập tệp Word cũ, xuất hàng loạt.\n\nCó KẾ_HOẠCH.json thì trang sửa tệp đó và nút Lưu ghi lại vào chính tệp đó. Chỉ máy này mở được trang (địa chỉ 127.0.0.1), trừ khi có --listen. Nhấn Ctrl-C để dừng.")]
    #[command(override_usage = "kehoach serve [KẾ_HOẠCH.json] [--port CỔNG] [--listen ĐỊA_CHỈ] [--no-open]")]
    Serve {
        /// Tệp kế hoạch JSON để sửa và lưu lại (có thể chưa có: trang bắt đầu từ kế hoạch mẫu).
        #[arg(value_name = "KẾ_HOẠCH.json")]
        plan: Option<PathBuf>,
        /// Cổng mạng (mặc định: 8765; 0 để chọn một cổng còn trống).
        #[arg(long, default_value_t = 8765, value_name = "CỔNG")]
        port: u16,
        /// Địa chỉ nghe (mặc định: 127.0.0.1, chỉ máy này); ví dụ 0.0.0.0 để máy khác trong mạng cũng mở được.
        #[arg(long, value_name = "ĐỊA_CHỈ")]
        listen: Option<std::net::IpAddr>,
        /// Không tự mở trình duyệt.
        #[arg(long)]
        no_open: bool,
        /// Thư mục mẫu riêng: tệp .xml trong đó thay cho mẫu có sẵn cùng tên.
        #[arg(long, value_name = "THƯ_MỤC")]
        template: Option<PathBuf>,
        /// Thư mục chứa 4 tệp phông Times New Roman của cơ quan, dùng cho PDF và các trang xem thay phông đi kèm.
        #[arg(long, value_name = "THƯ_MỤC")]
        font_dir: Option<PathBuf>,
    },
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

/// Ends the run with a usage error (exit code 2) when options that shape the PDF are given
/// without a PDF to shape.
fn check_pdf_options(makes_pdf: bool, pdf: PdfArgs, sign_boxes: bool) {
    if !makes_pdf && (pdf.any() || sign_boxes) {
        let given: Vec<&str> = [(sign_boxes, "--sign-boxes"), (pdf.signature_field, "--signature-field"), (pdf.pdfa, "--pdfa")]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| *name)
            .collect();
        usage_exit(format!("{} chỉ dùng khi có xuất PDF (--format pdf hoặc --format all)", given.join(", ")),
        );
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

/// Where `render` puts the phụ lục: in the plan's file, or each in a file of its own.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PhuLucArg {
    Chung,
    Rieng,
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

/// `-j N`: a whole number from 1 (more than the cores is reduced to them by the batch).
fn jobs(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("cần một số nguyên từ 1 trở lên".into()),
    }
}

/// The help's layout, with Vietnamese headings.
const HELP: &str = "{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}\n";

/// Our help and version flags, Vietnamese headings and templates, on a command and its subcommands.
fn vietnamese(cmd: clap::Command, root: bool) -> clap::Command {
    let mut cmd = cmd
        .help_template(HELP)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading("Lệnh")
        .subcommand_value_name("LỆNH")
        .mut_args(|a| {
            let a = if a.get_action().takes_values() { a.hide_default_value(true).hide_possible_values(true) } else { a };
            if a.is_positional() { a.help_heading("Đối số") } else { a.help_heading("Tùy chọn") }
        })
        .arg(clap::Arg::new("tro_giup").short('h').long("help").action(ArgAction::Help).help("In trợ giúp này").help_heading("Tùy chọn"));
    if root {
        cmd = cmd
            .disable_version_flag(true)
            .arg(clap::Arg::new("phien_ban").short('V').long("version").action(ArgAction::Version).help("In số phiên bản").help_heading("Tùy chọn"));
    }
    let names: Vec<String> = cmd.get_subcommands().map(|c| c.get_name().to_string()).collect();
    for n in names {
        cmd = cmd.mut_subcommand(n, |c| vietnamese(c, false));
    }
    cmd
}

/// The text of a clap error context value.
fn ctx(e: &clap::Error, kind: clap::error::ContextKind) -> Option<String> {
    use clap::error::ContextValue;
    Some(match e.get(kind)? {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(v) => v.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(v) => v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", "),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => return None,
    })
}

/// A usage error in Vietnamese, from clap's error kind and context (clap words them in English).
fn usage_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind as K, ErrorKind as E};
    let arg = ctx(e, K::InvalidArg).unwrap_or_default();
    let value = ctx(e, K::InvalidValue).unwrap_or_default();
    let quoted = |s: &str| if s.starts_with('`') { s.to_string() } else { format!("`{s}`") };
    let mut msg = match e.kind() {
        E::UnknownArgument => format!("không có tùy chọn {}", quoted(&arg)),
        E::InvalidSubcommand => {
            let sub = ctx(e, K::InvalidSubcommand).unwrap_or_default();
            let all: Vec<String> = Cli::command().get_subcommands().map(|c| c.get_name().to_string()).collect();
            format!("không có lệnh `{sub}`; các lệnh: {}", all.join(", "))
        }
        E::InvalidValue => {
            let valid = ctx(e, K::ValidValue).map(|v| format!("; chọn một trong: {v}")).unwrap_or_default();
            if value.is_empty() {
                format!("{} cần một giá trị{valid}", quoted(&arg))
            } else {
                format!("giá trị `{value}` không dùng được cho {}{valid}", quoted(&arg))
            }
        }
        E::MissingRequiredArgument => format!("thiếu {arg}"),
        E::ValueValidation => {
            let why = std::error::Error::source(e).map(|s| format!(": {s}")).unwrap_or_default();
            format!("giá trị `{value}` của {} không hợp lệ{why}", quoted(&arg))
        }
        E::ArgumentConflict => {
            let other = ctx(e, K::PriorArg).unwrap_or_default();
            format!("{} không dùng cùng với {}", quoted(&arg), quoted(&other))
        }
        E::TooManyValues | E::WrongNumberOfValues | E::TooFewValues => format!("số giá trị của {} không đúng", quoted(&arg)),
        E::NoEquals => format!("{} cần dấu `=` trước giá trị", quoted(&arg)),
        E::MissingSubcommand | E::DisplayHelpOnMissingArgumentOrSubcommand => "thiếu lệnh".to_string(),
        _ => "dòng lệnh không hợp lệ".to_string(),
    };
    for kind in [K::SuggestedValue, K::SuggestedArg, K::SuggestedSubcommand] {
        if let Some(s) = ctx(e, kind) {
            let s = s.trim_matches('`').to_string();
            msg.push_str(&format!("; có phải `{s}`?"));
            break;
        }
    }
    let usage = ctx(e, K::Usage).map(|u| u.trim().trim_start_matches("Usage:").trim().to_string());
    let mut out = format!("Lỗi: {msg}\n");
    if let Some(u) = usage {
        out.push_str(&format!("\nCách dùng: {u}\n"));
    }
    out.push_str("Xem thêm: kehoach --help, hoặc kehoach <LỆNH> --help\n");
    out
}

/// Ends the run with a usage error of our own (exit code 2), worded as clap's are.
fn usage_exit(message: String) -> ! {
    eprint!("Lỗi: {message}\nXem thêm: kehoach --help, hoặc kehoach <LỆNH> --help\n");
    std::process::exit(2)
}

/// Ctrl-C, SIGTERM: set while a batch runs, it asks the batch to stop cleanly.
static STOP: std::sync::OnceLock<std::sync::Arc<std::sync::atomic::AtomicBool>> = std::sync::OnceLock::new();
static IN_BATCH: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn batch_stop() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    IN_BATCH.store(true, std::sync::atomic::Ordering::SeqCst);
    STOP.get_or_init(Default::default).clone()
}

/// On Ctrl-C or SIGTERM: a batch is asked to stop (it finishes the units in hand, writes its report
/// and leaves no temporary file); a second signal, or one during any other command, removes the
/// temporary files at once and exits with 130.
fn on_signals() {
    let _ = ctrlc::set_handler(|| {
        #[cfg(feature = "serve")]
        if let Some(stop) = SERVE_STOP.get() {
            // The server stops: the requests in progress are finished first.
            if !SERVE_STOPPING.swap(true, std::sync::atomic::Ordering::SeqCst) {
                eprintln!("Đang dừng máy chủ (nhấn Ctrl-C lần nữa để thoát ngay)…");
                stop.notify_one();
                return;
            }
        }
        let stop = STOP.get_or_init(Default::default);
        if IN_BATCH.load(std::sync::atomic::Ordering::SeqCst) && !stop.swap(true, std::sync::atomic::Ordering::SeqCst) {
            eprintln!("Đang dừng: làm xong các đơn vị đang dở rồi ghi báo cáo (nhấn Ctrl-C lần nữa để thoát ngay)…");
            return;
        }
        output::remove_temporaries();
        std::process::exit(130);
    });
}

pub fn main() -> ExitCode {
    // No transparent huge pages for this process: with them, each of the allocator's 2 MB regions
    // is faulted in and zeroed whole, which makes the memory use of a batch larger and uneven.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    on_signals();
    let cmd = vietnamese(Cli::command(), true);
    let cli = match cmd.try_get_matches().and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind as E;
            return match e.kind() {
                E::DisplayHelp | E::DisplayVersion => {
                    let _ = e.print();
                    ExitCode::SUCCESS
                }
                E::DisplayHelpOnMissingArgumentOrSubcommand | E::MissingSubcommand => {
                    let _ = e.print();
                    ExitCode::from(2)
                }
                _ => {
                    eprint!("{}", usage_error(&e));
                    ExitCode::from(2)
                }
            };
        }
    };
    if !matches!(cli.command, Command::Batch { .. } | Command::Serve { .. }) {
        keep_memory();
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("Lỗi: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// A command that ends in milliseconds keeps the memory it freed (mimalloc's `purge_delay` -1):
/// handing it back to the system, which mimalloc otherwise does page by page as the process ends,
/// was 9 % of a `kehoach render` process in perf. The batch and the server, which run long, give
/// it back as usual.
fn keep_memory() {
    // mi_option_purge_delay in mimalloc.h (libmimalloc-sys names the options around it, 14 and
    // 16, but not this one).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option of the allocator, which any thread may do at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}

/// Ends a run that went wrong in a way already reported above it (rule errors, failed units):
/// its last word, and exit code 1.
fn failed(message: &str) -> ExitCode {
    eprintln!("Lỗi: {message}");
    ExitCode::from(1)
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Render { plan, out, format, template, font_dir, units, ma, sign_boxes, pdf, phu_luc } => {
            check_pdf_options(matches!(format, RenderFormat::Pdf | RenderFormat::All), pdf, sign_boxes.is_some());
            let unit = units.as_deref().zip(ma.as_deref());
            let shape = Shape { format, sign_boxes: sign_boxes.as_deref(), pdf: pdf.options(), rieng: phu_luc == PhuLucArg::Rieng };
            render(&plan, unit, out.as_deref(), shape, template.as_deref(), font_dir.as_deref())
        }
        Command::Check { plans, format, units, ma } => check(&plans, format, units.as_deref().zip(ma.as_deref())),
        Command::Batch { plan, units, out, format, jobs, zip, review, template, font_dir, sign_boxes, phu_luc, pdf: pdf_args } => {
            check_pdf_options(!matches!(format, Format::Docx), pdf_args, sign_boxes);
            let (docx, pdf) = match format {
                Format::Docx => (true, false),
                Format::Pdf => (false, true),
                Format::All => (true, true),
            };
            let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
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
                phu_luc_rieng: phu_luc == PhuLucArg::Rieng,
                stop: Some(batch_stop()),
            };
            run_batch(&opts)
        }
        Command::Import { file, out, report, force } => import(&file, out.as_deref(), report.as_deref(), force),
        Command::Preview { plan, template, font_dir, units, ma } => {
            preview(&plan, units.as_deref().zip(ma.as_deref()), template.as_deref(), font_dir.as_deref())
        }
        Command::New { regime, out } => {
            let text = kehoach::starter(regime);
            match out {
                None => print!("{text}"),
                Some(p) => {
                    output::write_new(&p, text.as_bytes())?;
                    println!("Đã ghi {} (mã UTF-8); điền vào rồi chạy: kehoach check {}", p.display(), p.display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema => {
            print!("{}", kehoach::schema());
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "serve")]
        Command::Serve { plan, port, listen, no_open, template, font_dir } => serve(plan, port, listen, no_open, template, font_dir.as_deref()),
        Command::Templates { out } => match out {
            None => {
                for (name, what, _) in kehoach::builtin_templates() {
                    println!("{name:<18} {what}");
                }
                Ok(ExitCode::SUCCESS)
            }
            Some(dir) => write_templates(&dir).map(|()| ExitCode::SUCCESS),
        },
    }
}

/// Copies the built-in templates into `dir`, as the start of the user's own `--template DIR`;
/// nothing is written if any of them is there already.
fn write_templates(dir: &Path) -> Result<(), Error> {
    let there: Vec<String> = kehoach::builtin_templates()
        .iter()
        .map(|(name, _, _)| dir.join(name))
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .map(|p| format!("`{}`", p.display()))
        .collect();
    if !there.is_empty() {
        return Err(Error::io(dir.display(), format!("đã có {}; chương trình không ghi đè, chưa chép tệp nào", there.join(", "))));
    }
    for (name, _, src) in kehoach::builtin_templates() {
        output::write_new(&dir.join(name), src.as_bytes())?;
        println!("Đã ghi {}", dir.join(name).display());
    }
    println!("Sửa các tệp này rồi dùng: kehoach render KẾ_HOẠCH --template {}", dir.display());
    Ok(())
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

fn engine(template: Option<&Path>, font_dir: Option<&Path>) -> Result<Engine, Error> {
    Ok(Engine::new(template)?.with_fonts(fonts(font_dir)?))
}

/// A plan as `render`, `preview` and `check` take it: a plan file, or one unit of a batch's parent
/// plan (`--units`, `--ma`), with the outputs' file stem. A parent plan given alone is refused: its
/// `{{ don_vi… }}` would be printed as they are.
fn read_input(plan_path: &str, unit: Option<(&Path, &str)>) -> Result<(Plan, String), Error> {
    if let Some((units, ma)) = unit {
        let one = batch::one(Path::new(plan_path), units, ma)?;
        return Ok((one.plan, one.slug));
    }
    let text = kehoach::plan::read_text(plan_path)?;
    if let Some((path, src)) = kehoach::plan::first_expression(&text) {
        let shown: String = if src.chars().count() > 80 { src.chars().take(77).chain("…".chars()).collect() } else { src };
        let file = if plan_path == "-" { "KẾ_HOẠCH".to_string() } else { plan_path.to_string() };
        return Err(Error::field(
            path,
            format!(
                "chuỗi “{shown}” có biểu thức {{{{ … }}}}: đây là kế hoạch chung cho `kehoach batch`, mỗi đơn vị một bản; in ra như vậy thì văn bản còn nguyên biểu thức, nên chưa ghi tệp nào. Xuất cho cả danh sách: `kehoach batch {file} --units DANH_SÁCH`; xuất một đơn vị: `kehoach render {file} --units DANH_SÁCH --ma MÃ`"
            ),
        ));
    }
    Ok((Plan::from_json(&text)?, stem(plan_path)))
}

/// Reads a plan and runs the rules of thể thức on it, as `check` does; the findings are shown on
/// standard error. With errors, nothing is to be written: the exit code is returned instead.
fn load_checked(plan_path: &str, unit: Option<(&Path, &str)>) -> Result<Result<(CheckedPlan, String), ExitCode>, Error> {
    let (plan, stem) = read_input(plan_path, unit)?;
    match plan.check() {
        Ok(checked) => {
            for line in report::lines(checked.findings()) {
                eprintln!("{line}");
            }
            Ok(Ok((checked, stem)))
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

/// What `render` writes: its format, the signing boxes' file, the PDF's options.
struct Shape<'a> {
    format: RenderFormat,
    sign_boxes: Option<&'a Path>,
    pdf: PdfOptions,
    /// Each phụ lục in a file of its own (`--phu-luc rieng`).
    rieng: bool,
}

fn render(
    plan_path: &str,
    unit: Option<(&Path, &str)>,
    out: Option<&Path>,
    shape: Shape,
    template: Option<&Path>,
    font_dir: Option<&Path>,
) -> Result<ExitCode, Error> {
    let (plan, stem) = match load_checked(plan_path, unit)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let engine = engine(template, font_dir)?;
    let dir = out.unwrap_or(Path::new("."));
    // The parts written, each with its file name: the whole plan, or (`--phu-luc rieng`) the plan
    // without its phụ lục and each phụ lục on its own.
    let mut parts: Vec<(Option<Part>, String)> = vec![(shape.rieng.then_some(Part::KeHoach), stem.clone())];
    if shape.rieng {
        parts.extend((0..plan.plan().phu_luc.len()).map(|i| (Some(Part::PhuLuc(i)), format!("{stem}-phu-luc-{}", i + 1))));
    }
    let docx_path = dir.join(format!("{stem}.docx"));
    let pdf_path = dir.join(format!("{stem}.pdf"));
    if let Some(b) = shape.sign_boxes {
        if output::same_file(&pdf_path, b) || output::same_file(&docx_path, b) {
            usage_exit(format!("--sign-boxes {} trùng với tệp kết quả; hãy chọn tên khác, ví dụ {stem}.vi-tri-ky.json", b.display()),
            );
        }
    }
    let mut inputs: Vec<(&str, &Path)> = Vec::new();
    if plan_path != "-" {
        inputs.push(("tệp kế hoạch", Path::new(plan_path)));
    }
    if let Some((units, _)) = unit {
        inputs.push(("tệp đơn vị", units));
    }
    let mut outputs: Vec<PathBuf> = Vec::new();
    for (_, s) in &parts {
        outputs.push(dir.join(format!("{s}.docx")));
        outputs.push(dir.join(format!("{s}.pdf")));
    }
    outputs.extend(shape.sign_boxes.map(Path::to_path_buf));
    for p in &outputs {
        for (what, input) in &inputs {
            if output::same_file(p, input) {
                return Err(Error::io(
                    p.display(),
                    format!("tệp kết quả chính là {what}: ghi vào sẽ xoá mất {what}; chưa ghi tệp nào (hãy đổi tên tệp kế hoạch thành .json, hoặc dùng -o THƯ_MỤC khác)"),
                ));
            }
        }
    }
    let format = shape.format;
    let mut files = Vec::new();
    let mut main_pages = 0;
    for (k, (part, part_stem)) in parts.iter().enumerate() {
        let want = Outputs {
            docx: matches!(format, RenderFormat::Docx | RenderFormat::All),
            // A phụ lục on its own has no signature: no field there (the plan's file has it).
            pdf: matches!(format, RenderFormat::Pdf | RenderFormat::All)
                .then_some(PdfOptions { signature_field: shape.pdf.signature_field && k == 0, ..shape.pdf }),
            sign_boxes: shape.sign_boxes.is_some() && k == 0,
        };
        let made = match part {
            _ if !(want.docx || want.pdf.is_some() || want.sign_boxes) => Default::default(),
            Some(part) => engine.render_part(&plan, *part, &want)?,
            None => engine.render(&plan, &want)?,
        };
        if let Some(docx) = made.docx {
            files.push((dir.join(format!("{part_stem}.docx")), docx));
        }
        if let Some(pdf) = made.pdf {
            files.push((dir.join(format!("{part_stem}.pdf")), pdf));
        }
        if let (Some(path), Some(boxes)) = (shape.sign_boxes, made.sign_boxes) {
            files.push((path.to_path_buf(), boxes.to_json().into_bytes()));
        }
        if let RenderFormat::Svg = format {
            let pages = match part {
                Some(part) => engine.svg_part(&plan, *part)?,
                None => engine.svg(&plan)?,
            };
            if k == 0 {
                main_pages = pages.len();
            }
            for (i, page) in pages.into_iter().enumerate() {
                files.push((svg_path(dir, part_stem, i + 1), page.into_bytes()));
            }
        }
    }
    output::write_all_as(&files, output::Privacy::of(plan.plan().do_mat.is_some()))?;
    for (path, _) in &files {
        println!("Đã ghi {}", path.display());
    }
    if let RenderFormat::Svg = format {
        // Pages of an earlier, longer version of the plan are not deleted (they may be wanted),
        // but they are no longer part of it: say so.
        let stale: Vec<PathBuf> = (main_pages + 1..).map(|n| svg_path(dir, &stem, n)).take_while(|p| p.exists()).collect();
        if let (Some(first), Some(last)) = (stale.first(), stale.last()) {
            let which = if stale.len() == 1 { first.display().to_string() } else { format!("{} … {}", first.display(), last.display()) };
            eprintln!("Lưu ý: kế hoạch có {main_pages} trang; {which} là trang của lần xuất trước, không thuộc kế hoạch này.");
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
    if s.stopped {
        return Ok(failed(&format!(
            "đã dừng theo yêu cầu: {} đơn vị chưa xuất (trạng thái `chua_xuat` trong {}); chạy lại lệnh để xuất đủ",
            t.chua_xuat,
            s.report.display()
        )));
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

/// The folder previews go to: the user's own, readable by no one else. On Unix it is
/// `$XDG_RUNTIME_DIR/kehoach-xem-truoc` (that folder is the user's, mode 0700) or else
/// `$TMPDIR/kehoach-xem-truoc-<uid>`, made with mode 0700; one that is there already must be a
/// real folder (not a symbolic link) of this user's, else a fresh private folder is used instead.
fn preview_dir() -> Result<PathBuf, Error> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        let uid = unsafe { libc::geteuid() };
        let ours = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir() && m.uid() == uid && m.mode() & 0o077 == 0);
        let base = std::env::var_os("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .filter(|d| d.is_absolute() && ours(d))
            .map(|d| d.join("kehoach-xem-truoc"))
            .unwrap_or_else(|| std::env::temp_dir().join(format!("kehoach-xem-truoc-{uid}")));
        match std::fs::DirBuilder::new().mode(0o700).create(&base) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Error::from_io(base.display(), e)),
        }
        // lstat: a symbolic link planted under this name is not followed.
        let meta = std::fs::symlink_metadata(&base).map_err(|e| Error::from_io(base.display(), e))?;
        if meta.is_dir() && meta.uid() == uid {
            if meta.mode() & 0o077 != 0 {
                std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o700)).map_err(|e| Error::from_io(base.display(), e))?;
            }
            return Ok(base);
        }
        let fresh = tempfile::Builder::new()
            .prefix("kehoach-xem-truoc-")
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir()
            .map_err(|e| Error::from_io(std::env::temp_dir().display(), e))?
            .keep();
        eprintln!(
            "Lưu ý: `{}` không phải thư mục riêng của anh chị (có thể người khác đã tạo trước, hoặc là một liên kết); bản xem được ghi vào thư mục riêng mới `{}`",
            base.display(),
            fresh.display()
        );
        Ok(fresh)
    }
    #[cfg(not(unix))]
    {
        // The temporary folder of Windows is the user's own (in the profile).
        let base = std::env::temp_dir().join("kehoach-xem-truoc");
        std::fs::create_dir_all(&base).map_err(|e| Error::from_io(base.display(), e))?;
        Ok(base)
    }
}

/// What became of the request to show the preview.
enum Shown {
    Opened,
    StillStarting,
    Failed(String),
}

/// Asks the desktop to open `path`. On Linux and the BSDs `xdg-open` is run and waited for a few
/// seconds: it fails when no program opens PDF files, and saying "opened" then would be false.
fn open_viewer(path: &Path) -> Shown {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return match opener::open(path) {
            Ok(()) => Shown::Opened,
            Err(e) => Shown::Failed(format!("không mở được trình xem ({e})")),
        };
    }
    let child = std::process::Command::new("xdg-open")
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Shown::Failed("máy không có chương trình xdg-open để mở trình xem PDF".into());
        }
        Err(e) => return Shown::Failed(format!("không chạy được xdg-open ({})", Error::from_io("xdg-open", e))),
    };
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(3) {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Shown::Opened,
            Ok(Some(status)) => {
                let code = status.code().map(|c| format!(" (mã {c})")).unwrap_or_default();
                return Shown::Failed(format!(
                    "xdg-open không mở được tệp{code}: có lẽ máy chưa có chương trình xem PDF, hoặc không có màn hình"
                ));
            }
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(20)),
            Err(e) => return Shown::Failed(format!("không biết xdg-open có mở được không ({})", Error::from_io("xdg-open", e))),
        }
    }
    Shown::StillStarting
}

fn preview(plan_path: &str, unit: Option<(&Path, &str)>, template: Option<&Path>, font_dir: Option<&Path>) -> Result<ExitCode, Error> {
    let (plan, stem) = match load_checked(plan_path, unit)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let pdf = engine(template, font_dir)?.pdf(&plan)?;
    // A fixed name per plan, so a viewer that reloads on change shows each new preview.
    let path = preview_dir()?.join(format!("{stem}.pdf"));
    output::write_all_as(&[(path.clone(), pdf)], output::Privacy::of(plan.plan().do_mat.is_some()))?;
    if has_display() {
        match open_viewer(&path) {
            Shown::Opened => println!("Đã mở {} bằng trình xem PDF của máy", path.display()),
            Shown::StillStarting => println!("Đã gửi {} tới trình xem PDF của máy (trình xem đang khởi động)", path.display()),
            Shown::Failed(why) => println!("Đã ghi {}, nhưng chưa mở được: {why}; hãy mở tệp này bằng tay", path.display()),
        }
    } else {
        println!("{}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn check(plans: &[String], format: ReportFormat, unit: Option<(&Path, &str)>) -> Result<ExitCode, Error> {
    if unit.is_some() && plans.len() > 1 {
        return Err(Error::input("với --units và --ma chỉ kiểm tra được một kế hoạch chung"));
    }
    let engine = Engine::new(None)?;
    let opts = CheckOptions::now();
    let mut bad = 0;
    let mut reports = Vec::new();
    for p in plans {
        let result = read_input(p, unit).and_then(|(plan, _)| match plan.check_with(&opts) {
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
        Error::Input { message } => Error::input(format!("`{name}`: {message}; chưa ghi tệp nào")),
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
    let plan = Plan::from_json(&json).map_err(|e| match &e {
        // Longer than a plan may be (MAX_ITEMS, MAX_TEXT_CHARS): the source is too long, not the
        // import at fault.
        Error::Field { message, .. } if message.starts_with("kế hoạch có hơn") => {
            Error::input(format!("`{name}`: {message}; chưa ghi tệp nào"))
        }
        _ => Error::input(format!("kế hoạch nhập được không đọc lại được ({e}); chưa ghi tệp nào — xin báo lỗi này kèm tệp gốc")),
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

/// Ctrl-C, SIGTERM while serving: the server is told to stop.
#[cfg(feature = "serve")]
static SERVE_STOP: std::sync::OnceLock<std::sync::Arc<tokio::sync::Notify>> = std::sync::OnceLock::new();
#[cfg(feature = "serve")]
static SERVE_STOPPING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `kehoach serve`: the page and the API on 127.0.0.1 (or `--listen`), until Ctrl-C.
#[cfg(feature = "serve")]
fn serve(plan: Option<PathBuf>, port: u16, listen: Option<std::net::IpAddr>, no_open: bool, template: Option<PathBuf>, font_dir: Option<&Path>) -> Result<ExitCode, Error> {
    use kehoach::serve;
    if let Some(p) = &plan
        && p.is_dir()
    {
        return Err(Error::io(p.display(), "là một thư mục; hãy chọn một tệp .json"));
    }
    let ip = listen.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    // Heard beyond this machine, the server is reached by the names the network gives it.
    let any_host = !ip.is_loopback();
    let config = serve::Config { plan: plan.clone(), template, fonts: fonts(font_dir)?, limits: serve::Limits::default(), any_host };
    let router = serve::router(config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("kehoach-serve")
        .build()
        .map_err(|e| Error::internal("khởi động máy chủ", e))?;
    runtime.block_on(async move {
        let addr = std::net::SocketAddr::new(ip, port);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            let why = if e.kind() == std::io::ErrorKind::AddrInUse {
                format!("cổng {port} đang được chương trình khác dùng (có thể là một `kehoach serve` khác); chọn cổng khác bằng --port, ví dụ --port {}", port.wrapping_add(1).max(1024))
            } else {
                kehoach::Error::from_io(addr, e).to_string()
            };
            Error::io(addr, why)
        })?;
        let bound = listener.local_addr().map_err(|e| Error::from_io(addr, e))?;
        let host = if bound.ip().is_unspecified() { std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST) } else { bound.ip() };
        let url = format!("http://{}/", std::net::SocketAddr::new(host, bound.port()));
        println!("Trang soạn kế hoạch: {url}");
        if let Some(p) = &plan {
            println!("Đang sửa: {} (nút Lưu ghi vào tệp này)", p.display());
        }
        if !ip.is_loopback() {
            eprintln!("Lưu ý: máy chủ nghe ở {bound}: các máy khác trong mạng cũng mở được trang và gửi kế hoạch tới.");
        }
        println!("Nhấn Ctrl-C để dừng.");
        if !no_open
            && has_display()
            && let Err(e) = opener::open_browser(&url)
        {
            eprintln!("Chưa mở được trình duyệt ({e}); hãy mở {url} bằng tay.");
        }
        let stop = SERVE_STOP.get_or_init(|| std::sync::Arc::new(tokio::sync::Notify::new())).clone();
        serve::serve(listener, router, async move { stop.notified().await })
            .await
            .map_err(|e| Error::from_io(bound, e))?;
        println!("Đã dừng.");
        Ok(ExitCode::SUCCESS)
    })
}
