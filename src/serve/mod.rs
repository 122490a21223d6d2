//! `kehoach serve`: the preview page on the user's own machine, and the HTTP API behind it.
//!
//! The server (axum on tokio) listens on 127.0.0.1 unless told otherwise. The page (HTML, CSS and
//! JavaScript written by hand, no framework, no CDN, no external font) is embedded in the binary,
//! so it works offline. The API is stateless — every request carries the whole plan — so that any
//! number of instances can run behind a load balancer; the only state is the file given on the
//! command line (`GET /api/plan`, `POST /api/save`) and the results of the page's batch runs, kept
//! in temporary folders for the page to download (`/api/batch/chay`).
//!
//! Every request body is read within the limits of the hardening issue (a plan 2 MB, a units file
//! 32 MB, a Word file 32 MB); the work (check, layout, DOCX, PDF, SVG, import, batch) runs on
//! tokio's blocking threads, at most [`Limits::parallel`] at once, each within [`Limits::time`].
//! Bad input is a 400 (413 for a body over its limit) with the Vietnamese message and the JSON path
//! of the field: `{"loi": {"truong": "can_cu[2]", "thong_bao": "…", "dong": 3, "cot": 5}}`. A
//! 500 is only ever a fault of the engine itself ([`Error::Internal`]).
//!
//! Routes:
//! - `GET /` and its assets: the page;
//! - `GET /healthz`;
//! - `GET /api/schema`: the plan's JSON Schema;
//! - `GET /api/starter?the_thuc=nd30`: the starter plan of a regime;
//! - `POST /api/check`: plan JSON → findings JSON (as `kehoach check --format json` prints one file);
//! - `POST /api/render?format=docx|pdf|svg`: plan JSON → the file (svg: a JSON array of pages);
//! - `POST /api/preview`: plan JSON → findings and, when there is no error, the SVG pages (what the
//!   page asks for on each edit: one request, one document built);
//! - `POST /api/import`: a .docx or .txt → the plan JSON and the review list ("cần xem lại");
//! - `POST /api/batch`: `{"ke_hoach": {…}, "don_vi": "CSV text" | [units…]}` → the ZIP (with
//!   the report `bao-cao.json`);
//! - `POST /api/batch/chay`: the same, for the page: one JSON line per unit as it is made, then a
//!   last line naming the run, whose ZIP, report and review PDF are at
//!   `GET /api/batch/{lan}/zip|bao-cao|ban-xem`;
//! - `GET /api/plan`, `POST /api/save`: the plan file given on the command line (saved atomically).

// The steps of a handler return the answer to give when they fail: a `Response`, as large as it is.
#![allow(clippy::result_large_err)]

mod batch;

use crate::error::Error;
use crate::regime::rules::{Finding, MucDo};
use crate::{CheckOptions, Engine, FontSet, Plan, Regime, output, report};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The page and its assets, embedded.
const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_CSS: &str = include_str!("assets/app.css");
const APP_JS: &str = include_str!("assets/app.js");

/// How much a request may ask of the server.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A plan's JSON (as for a plan file).
    pub plan_bytes: usize,
    /// A Word or text file to import.
    pub import_bytes: usize,
    /// A batch request: the parent plan and the units file.
    pub batch_bytes: usize,
    /// The work of one request (check, render, import). Within the limits every plan renders in
    /// well under 10 s on a 2-core machine (README, "Giới hạn").
    pub time: Duration,
    /// The work of one batch request.
    pub batch_time: Duration,
    /// Requests worked on at once (the others wait their turn).
    pub parallel: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Limits {
            plan_bytes: crate::plan::MAX_INPUT_BYTES,
            import_bytes: crate::import::MAX_DOCX_BYTES,
            batch_bytes: crate::plan::MAX_INPUT_BYTES + crate::batch::units::MAX_UNITS_BYTES + 64 * 1024,
            time: Duration::from_secs(30),
            batch_time: Duration::from_secs(600),
            parallel: 2 * cores,
        }
    }
}

/// What the server serves.
pub struct Config {
    /// The plan file the page edits and saves back to, if any (it need not exist yet).
    pub plan: Option<PathBuf>,
    /// A folder of templates replacing the built-in ones (`--template`).
    pub template: Option<PathBuf>,
    /// The fonts of the pages and PDFs.
    pub fonts: &'static FontSet,
    /// The limits of the requests.
    pub limits: Limits,
    /// Accept requests for any host name. Off (the default, for a server on the user's own
    /// machine), only `localhost` and IP addresses are accepted in the `Host` header, so that a web
    /// site cannot reach the server through a name of its own pointed at 127.0.0.1 (DNS
    /// rebinding). On for a shared service behind a load balancer with a domain name.
    pub any_host: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config { plan: None, template: None, fonts: FontSet::bundled(), limits: Limits::default(), any_host: false }
    }
}

pub(crate) struct AppState {
    engine: Engine,
    template: Option<PathBuf>,
    plan: Option<PathBuf>,
    limits: Limits,
    work: Arc<Semaphore>,
    jobs: batch::Jobs,
}

/// The router of the page and the API, ready for [`serve`] (or for any tower server). Fails only
/// when the templates of `config.template` do not load.
pub fn router(config: Config) -> Result<Router, Error> {
    let any_host = config.any_host;
    let state = Arc::new(AppState {
        engine: Engine::new(config.template.as_deref())?.with_fonts(config.fonts),
        template: config.template,
        plan: config.plan,
        work: Arc::new(Semaphore::new(config.limits.parallel.max(1))),
        limits: config.limits,
        jobs: batch::Jobs::default(),
    });
    Ok(Router::new()
        .route("/", get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }))
        .route("/app.css", get(|| async { asset("text/css; charset=utf-8", APP_CSS) }))
        .route("/app.js", get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }))
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/healthz", get(|| async { json_ok(json!({"trang_thai": "tot", "phien_ban": env!("CARGO_PKG_VERSION")})) }))
        .route("/api/schema", get(|| async { raw_json(crate::schema()) }))
        .route("/api/starter", get(starter))
        .route("/api/check", post(check))
        .route("/api/render", post(render))
        .route("/api/preview", post(preview))
        .route("/api/import", post(import))
        .route("/api/batch", post(batch::api))
        .route("/api/batch/chay", post(batch::run_for_page))
        .route("/api/batch/{lan}/{tep}", get(batch::download))
        .route("/api/plan", get(plan_file))
        .route("/api/save", post(save))
        .fallback(|| async { fail(StatusCode::NOT_FOUND, "", "không có trang hay lệnh này (xem README, phần `kehoach serve`)") })
        .method_not_allowed_fallback(|| async {
            fail(StatusCode::METHOD_NOT_ALLOWED, "", "lệnh này không dùng phương thức HTTP đó (GET để lấy, POST để gửi kế hoạch)")
        })
        .layer(axum::middleware::from_fn(move |req, next| same_origin(any_host, req, next)))
        .with_state(state))
}

/// The host part of a `Host` header or an origin (`http://127.0.0.1:8765` → `127.0.0.1:8765`).
fn host_of(s: &str) -> &str {
    let s = s.split_once("://").map_or(s, |(_, rest)| rest);
    s.split('/').next().unwrap_or(s)
}

/// Is `host` (with its port) `localhost` or an IP address?
fn local_name(host: &str) -> bool {
    let name = if host.starts_with('[') { host.split(']').next().unwrap_or(host).trim_start_matches('[') } else { host.rsplit_once(':').map_or(host, |(h, _)| h) };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok()
}

/// Refuses what a web page of another site could make the user's browser send: a request whose
/// `Origin` is not this server (a form or a script of another site posting a plan, or saving over
/// the plan file), and, unless `any_host`, a `Host` that is not `localhost` or an IP address.
/// Programs (curl, scripts) send no `Origin` and are served.
async fn same_origin(any_host: bool, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("").to_string();
    if !any_host && !host.is_empty() && !local_name(&host) {
        return fail(
            StatusCode::FORBIDDEN,
            "",
            &format!("máy chủ chỉ nhận địa chỉ 127.0.0.1 hay localhost, không nhận tên `{host}` (chặn trang web khác truy cập máy này)"),
        );
    }
    if let Some(origin) = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok())
        && (origin == "null" || !host_of(origin).eq_ignore_ascii_case(&host))
    {
        return fail(StatusCode::FORBIDDEN, "", &format!("yêu cầu từ trang `{origin}` không phải trang của máy chủ này nên bị từ chối"));
    }
    next.run(req).await
}

/// Serves `router` on `listener` until `shutdown` completes (the requests in progress are finished).
pub async fn serve(listener: tokio::net::TcpListener, router: Router, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await
}

/// What the page may load: itself only (its script and style sheet; the fonts of the SVG pages
/// are `data:` URLs inside the pages, whose `<style>` is inline). Nothing from another site.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn asset(kind: &'static str, body: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "no-cache"), (header::CONTENT_SECURITY_POLICY, CSP), (header::X_CONTENT_TYPE_OPTIONS, "nosniff")],
        body,
    )
        .into_response()
}

fn json_ok(v: Value) -> Response {
    raw_json(v.to_string())
}

/// A JSON answer; never kept by a cache (a plan may be secret).
fn raw_json(s: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], s).into_response()
}

/// An error answer: `{"loi": {"truong", "thong_bao"}}` with `status`.
fn fail(status: StatusCode, truong: &str, thong_bao: &str) -> Response {
    let body = json!({"loi": {"truong": truong, "thong_bao": thong_bao}});
    (status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], body.to_string()).into_response()
}

/// `e` as the answer: 400 with its field's path, line and column for bad input; 500 only for a
/// fault of the engine.
pub(crate) fn error_response(e: &Error) -> Response {
    let status = match e {
        Error::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    (status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], error_json(e).to_string()).into_response()
}

/// `{"loi": {...}}` of an error (and the findings, for a plan the rules refuse).
pub(crate) fn error_json(e: &Error) -> Value {
    match e {
        Error::Field { path, message, line, column } => {
            json!({"loi": {"truong": path, "thong_bao": message, "dong": line, "cot": column}})
        }
        Error::Rejected(r) => json!({
            "loi": {"truong": "", "thong_bao": format!("kế hoạch có {} về thể thức; sửa hết lỗi rồi xuất lại", report::summary(&r.findings))},
            "phat_hien": r.findings,
        }),
        other => json!({"loi": {"truong": "", "thong_bao": other.to_string()}}),
    }
}

/// Reads a request body of at most `limit` bytes: more is a 413 that says the limit.
pub(crate) async fn read_body(body: Body, limit: usize, what: &str) -> Result<Bytes, Response> {
    axum::body::to_bytes(body, limit).await.map_err(|e| {
        let inner = e.into_inner();
        if inner.downcast_ref::<http_body_util::LengthLimitError>().is_some() {
            let size = crate::input::size(limit);
            fail(StatusCode::PAYLOAD_TOO_LARGE, "", &format!("{what} quá lớn (hơn {size}; tối đa {size})"))
        } else {
            fail(StatusCode::BAD_REQUEST, "", &format!("không đọc được {what} gửi lên ({inner})"))
        }
    })
}

/// Bytes as UTF-8 text (a byte-order mark dropped; UTF-16 with its mark decoded).
pub(crate) fn body_text(bytes: Bytes, what: &str) -> Result<String, Response> {
    crate::input::decode(bytes.to_vec(), what).map_err(|e| error_response(&e))
}

/// Runs `f` on a blocking thread, at most `limits.parallel` at once, within `time`.
pub(crate) async fn work<T: Send + 'static>(s: &AppState, time: Duration, f: impl FnOnce() -> T + Send + 'static) -> Result<T, Response> {
    let busy = || fail(StatusCode::SERVICE_UNAVAILABLE, "", "máy chủ đang dừng; hãy thử lại");
    // The permit goes with the work: a request past its time is answered at once, but its work
    // (which cannot be cut short) still counts against the limit until it ends.
    let permit = s.work.clone().acquire_owned().await.map_err(|_| busy())?;
    let job = move || {
        let v = f();
        drop(permit);
        v
    };
    match tokio::time::timeout(time, tokio::task::spawn_blocking(job)).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(error_response(&Error::internal("xử lý yêu cầu", e))),
        Err(_) => Err(fail(
            StatusCode::SERVICE_UNAVAILABLE,
            "",
            &format!("yêu cầu chạy quá {} nên đã dừng; kế hoạch có lẽ quá dài, hãy chia nhỏ", seconds(time)),
        )),
    }
}

/// "30 giây", "0,5 giây".
fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 { format!("{} giây", s as u64) } else { format!("{} giây", format!("{s:.3}").trim_end_matches('0').replace('.', ",")) }
}

/// The value of `key` in a query string (`format=svg&x=1`), percent-decoding not needed for ours.
fn query_value<'a>(q: &'a Option<String>, key: &str) -> Option<&'a str> {
    q.as_deref()?.split('&').filter_map(|kv| kv.split_once('=')).find(|(k, _)| *k == key).map(|(_, v)| v)
}

async fn starter(RawQuery(q): RawQuery) -> Response {
    let code = query_value(&q, "the_thuc").unwrap_or("nd30");
    match Regime::from_code(code) {
        Some(r) => raw_json(crate::starter(r).to_string()),
        None => {
            let all: Vec<&str> = Regime::ALL.iter().map(|r| r.code()).collect();
            fail(StatusCode::BAD_REQUEST, "the_thuc", &format!("không có thể thức `{code}`; chọn một trong: {}", all.join(", ")))
        }
    }
}

/// The plan of a request: its JSON text, loaded (errors with the field, line and column). A parent
/// plan of a batch (with `{{ … }}`) is refused as `render` refuses it.
fn load_plan(text: &str) -> Result<Plan, Error> {
    if let Some((path, src)) = crate::plan::first_expression(text) {
        let shown: String = if src.chars().count() > 80 { src.chars().take(77).chain("…".chars()).collect() } else { src };
        return Err(Error::field(
            path,
            format!("chuỗi “{shown}” có biểu thức {{{{ … }}}}: đây là kế hoạch chung cho xuất hàng loạt (thẻ “Hàng loạt”), không xuất riêng được"),
        ));
    }
    Plan::from_json(text)
}

async fn plan_body(s: &AppState, body: Body) -> Result<String, Response> {
    let bytes = read_body(body, s.limits.plan_bytes, "kế hoạch").await?;
    body_text(bytes, "kế hoạch")
}

/// The findings of a plan and, if `pages` and there is no error, its SVG pages.
fn findings_and_pages(engine: &Engine, text: &str, pages: bool) -> Result<(Vec<Finding>, Option<Vec<String>>), Error> {
    let plan = load_plan(text)?;
    match plan.check_with(&CheckOptions::now()) {
        Ok(checked) => {
            let svg = if pages { Some(engine.svg(&checked)?) } else { engine.document(&checked).map(|_| None)? };
            Ok((checked.findings().to_vec(), svg))
        }
        Err(rejected) => Ok((rejected.findings, None)),
    }
}

fn counts(findings: &[Finding]) -> Value {
    let count = |m: MucDo| findings.iter().filter(|f| f.muc_do == m).count();
    json!({"hop_le": !report::has_errors(findings), "so_loi": count(MucDo::Loi), "so_canh_bao": count(MucDo::CanhBao), "so_thong_tin": count(MucDo::ThongTin)})
}

async fn check(State(s): State<Arc<AppState>>, body: Body) -> Response {
    findings_answer(s, body, false).await
}

async fn preview(State(s): State<Arc<AppState>>, body: Body) -> Response {
    findings_answer(s, body, true).await
}

/// The findings of a plan in the body, with their counts, and its SVG pages when `pages`.
async fn findings_answer(s: Arc<AppState>, body: Body, pages: bool) -> Response {
    let text = match plan_body(&s, body).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let st = s.clone();
    match work(&s, s.limits.time, move || findings_and_pages(&st.engine, &text, pages)).await {
        Ok(Ok((findings, svg))) => {
            let mut v = counts(&findings);
            v["phat_hien"] = json!(findings);
            if pages {
                v["trang"] = json!(svg);
            }
            json_ok(v)
        }
        Ok(Err(e)) => error_response(&e),
        Err(r) => r,
    }
}

/// What `POST /api/render` makes.
#[derive(Clone, Copy)]
enum Format {
    Docx,
    Pdf,
    Svg,
}

async fn render(State(s): State<Arc<AppState>>, RawQuery(q): RawQuery, body: Body) -> Response {
    let format = match query_value(&q, "format").unwrap_or("pdf") {
        "docx" => Format::Docx,
        "pdf" => Format::Pdf,
        "svg" => Format::Svg,
        other => {
            return fail(StatusCode::BAD_REQUEST, "format", &format!("không có định dạng `{other}`; chọn docx, pdf hoặc svg"));
        }
    };
    let text = match plan_body(&s, body).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let st = s.clone();
    let made = work(&s, s.limits.time, move || -> Result<(Vec<u8>, bool), Error> {
        let checked = load_plan(&text)?.check()?;
        let secret = checked.plan().do_mat.is_some();
        Ok((
            match format {
                Format::Docx => st.engine.docx(&checked)?,
                Format::Pdf => st.engine.pdf(&checked)?,
                Format::Svg => serde_json::to_vec(&st.engine.svg(&checked)?).map_err(|e| Error::internal("ghi các trang SVG", e))?,
            },
            secret,
        ))
    })
    .await;
    let (bytes, secret) = match made {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => return error_response(&e),
        Err(r) => return r,
    };
    let (kind, name) = match format {
        Format::Docx => ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "ke-hoach.docx"),
        Format::Pdf => ("application/pdf", "ke-hoach.pdf"),
        Format::Svg => ("application/json; charset=utf-8", ""),
    };
    let mut r = ([(header::CONTENT_TYPE, kind)], bytes).into_response();
    if !name.is_empty() {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).expect("ASCII"));
    }
    if secret {
        // A secret plan's pages are not to be kept by a proxy or the browser's cache.
        r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

async fn import(State(s): State<Arc<AppState>>, body: Body) -> Response {
    let bytes = match read_body(body, s.limits.import_bytes, "tệp nhập").await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let made = work(&s, s.limits.time, move || -> Result<Value, Error> {
        let imported = crate::import::from_bytes(&bytes)?;
        let json = imported.json();
        // As `kehoach import`: the plan must load (and its findings are shown with the review list).
        let plan = Plan::from_json(&json)?;
        let findings: Vec<Finding> = plan.findings(&CheckOptions::now());
        // The JSON text, not a value: its fields stay in the order of the document.
        Ok(json!({"van_ban": json, "can_xem_lai": imported.review, "phat_hien": findings}))
    })
    .await;
    match made {
        Ok(Ok(v)) => json_ok(v),
        Ok(Err(e)) => error_response(&e),
        Err(r) => r,
    }
}

async fn plan_file(State(s): State<Arc<AppState>>) -> Response {
    let Some(path) = s.plan.clone() else {
        return json_ok(json!({"tep": null, "van_ban": null}));
    };
    let shown = path.display().to_string();
    let read = work(&s, s.limits.time, move || {
        if !path.exists() {
            return Ok(None);
        }
        crate::plan::read_text(&path.to_string_lossy()).map(Some)
    })
    .await;
    match read {
        Ok(Ok(text)) => json_ok(json!({"tep": shown, "van_ban": text})),
        Ok(Err(e)) => error_response(&e),
        Err(r) => r,
    }
}

async fn save(State(s): State<Arc<AppState>>, body: Body) -> Response {
    let Some(path) = s.plan.clone() else {
        return fail(
            StatusCode::CONFLICT,
            "",
            "máy chủ không mở tệp nào để lưu vào (chạy `kehoach serve KẾ_HOẠCH.json`); hãy dùng nút Tải JSON",
        );
    };
    let text = match plan_body(&s, body).await {
        Ok(t) => t,
        Err(r) => return r,
    };
    let shown = path.display().to_string();
    let saved = work(&s, s.limits.time, move || -> Result<(), Error> {
        // A draft with rule errors may be saved; what is not JSON (an object) may not.
        let v = crate::plan::load::parse_json(&text)?;
        if !v.is_object() {
            return Err(Error::input("kế hoạch phải là một đối tượng JSON {…}"));
        }
        let secret = v.get("do_mat").is_some_and(|m| !m.is_null());
        let mut bytes = text.into_bytes();
        if !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        output::write_all_as(&[(path, bytes)], output::Privacy::of(secret))
    })
    .await;
    match saved {
        Ok(Ok(())) => json_ok(json!({"da_luu": shown})),
        Ok(Err(e)) => error_response(&e),
        Err(r) => r,
    }
}
