//! The batch of the API and of the page's "Hàng loạt" tab, on [`crate::batch::run`]: the parent
//! plan and the units file of the request are written to a private temporary folder, the batch runs
//! there (its ZIP holds every unit's files and the report `bao-cao.json`), and the ZIP is streamed
//! back. For the page, each unit's status is sent as one JSON line as soon as it is made, and the
//! run's ZIP, report and review PDF are kept (the last [`KEPT`] runs, deleted when the server
//! stops) for the page to download.

use super::{AppState, error_json, fail, read_body, work};
use crate::batch::{self, Done, Observer};
use crate::error::Error;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// How many of the page's runs are kept for download.
pub const KEPT: usize = 8;

/// A batch request.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    /// The parent plan.
    ke_hoach: Value,
    /// The units: the text of a CSV (or JSON) file, or a JSON array of units.
    don_vi: Value,
    /// The units file's name, to tell CSV from JSON (else told by the first character).
    #[serde(default)]
    ten_tep: Option<String>,
    /// "docx", "pdf" or "all" (default).
    #[serde(default)]
    dinh_dang: Option<String>,
    /// Also make the review PDF (every unit's plan in one PDF).
    #[serde(default)]
    ban_xem: bool,
}

/// A run's folder and what is in it.
struct Run {
    dir: tempfile::TempDir,
    zip: PathBuf,
    report: PathBuf,
    review: Option<PathBuf>,
}

/// The page's runs, newest last.
#[derive(Default)]
pub(crate) struct Jobs {
    runs: Mutex<VecDeque<(String, Arc<Run>)>>,
}

/// A batch request's body, read within its limit and prepared; the answer to send when it cannot be.
async fn receive(s: &AppState, body: Body) -> Result<(Run, batch::Options), Response> {
    let bytes = read_body(body, s.limits.batch_bytes, "yêu cầu xuất hàng loạt").await?;
    prepare(s, &bytes).map_err(|e| super::error_response(&e))
}

/// Reads the request and lays out its folder: the plan and units files, the paths of the outputs.
fn prepare(s: &AppState, bytes: &[u8]) -> Result<(Run, batch::Options), Error> {
    let req: Request = serde_json::from_slice(bytes).map_err(|e| {
        Error::input(format!("yêu cầu xuất hàng loạt không đúng dạng {{\"ke_hoach\": {{…}}, \"don_vi\": \"…\"}}: {}", crate::plan::load::translate(&e.to_string())))
    })?;
    if !req.ke_hoach.is_object() {
        return Err(Error::field("ke_hoach", "kế hoạch chung phải là một đối tượng JSON {…}"));
    }
    let (docx, pdf) = match req.dinh_dang.as_deref().unwrap_or("all") {
        "docx" => (true, false),
        "pdf" => (false, true),
        "all" => (true, true),
        other => return Err(Error::field("dinh_dang", format!("không có định dạng `{other}`; chọn docx, pdf hoặc all"))),
    };
    let dir = tempfile::Builder::new().prefix("kehoach-lan-").tempdir().map_err(|e| Error::from_io(std::env::temp_dir().display(), e))?;
    let plan = dir.path().join("ke-hoach.json");
    let plan_text = serde_json::to_vec_pretty(&req.ke_hoach).map_err(|e| Error::internal("ghi kế hoạch chung", e))?;
    std::fs::write(&plan, plan_text).map_err(|e| Error::from_io(plan.display(), e))?;
    let (units_text, ext) = match &req.don_vi {
        Value::String(s) => {
            let named = req.ten_tep.as_deref().and_then(|n| Path::new(n).extension()).and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            let ext = match named.as_deref() {
                Some("json") => "json",
                Some("csv") | Some("txt") | Some("tsv") => "csv",
                _ if s.trim_start().starts_with('[') => "json",
                _ => "csv",
            };
            (s.clone().into_bytes(), ext)
        }
        v @ Value::Array(_) => (serde_json::to_vec(v).map_err(|e| Error::internal("ghi danh sách đơn vị", e))?, "json"),
        _ => return Err(Error::field("don_vi", "danh sách đơn vị phải là nội dung tệp CSV hay JSON (một chuỗi), hoặc một danh sách JSON […]")),
    };
    let units = dir.path().join(format!("don-vi.{ext}"));
    std::fs::write(&units, units_text).map_err(|e| Error::from_io(units.display(), e))?;
    let out = dir.path().join("ket-qua");
    let zip = dir.path().join("ket-qua.zip");
    let review = (req.ban_xem && pdf).then(|| dir.path().join("ban-xem.pdf"));
    let opts = batch::Options {
        plan,
        units,
        out: Some(out.clone()),
        docx,
        pdf,
        jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
        zip: Some(zip.clone()),
        review: review.clone(),
        template: s.template.clone(),
        fonts: s.engine.fonts(),
        pdf_options: Default::default(),
        sign_boxes: false,
        phu_luc_rieng: false,
        stop: Some(Arc::new(AtomicBool::new(false))),
    };
    Ok((Run { report: out.join("bao-cao.json"), dir, zip, review }, opts))
}

/// Runs the batch of `opts` on a blocking thread within the batch time (stopped cleanly past it).
async fn run_batch(s: &Arc<AppState>, opts: batch::Options, observer: Box<dyn Observer + Send>) -> Result<Result<batch::Summary, Error>, Response> {
    let stop = opts.stop.clone().expect("set by prepare");
    let time = s.limits.batch_time;
    let timer = {
        let stop = stop.clone();
        tokio::spawn(async move {
            tokio::time::sleep(time).await;
            stop.store(true, Ordering::SeqCst);
        })
    };
    // The time limit stops the batch (it then finishes its report), so the work itself may take a
    // little longer than the limit.
    let r = work(s, time + std::time::Duration::from_secs(60), move || batch::run(&opts, observer.as_ref())).await;
    timer.abort();
    r
}

/// Streams the file at `path` (which lives as long as `keep`).
async fn stream_file(path: PathBuf, kind: &'static str, name: &str, keep: impl Send + Sync + 'static) -> Response {
    use tokio::io::AsyncReadExt;
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) => return super::error_response(&Error::from_io(path.display(), e)),
    };
    let stream = futures_util::stream::unfold((file, keep), |(mut file, keep)| async move {
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<Bytes, std::io::Error>(Bytes::from(buf)), (file, keep)))
            }
            Err(e) => Some((Err(e), (file, keep))),
        }
    });
    (
        [(header::CONTENT_TYPE, kind.to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))],
        Body::from_stream(stream),
    )
        .into_response()
}

/// `POST /api/batch`: the ZIP of every unit's files and the report; 400 when the batch cannot
/// start (the parent plan, the units file's header); a run where some units failed is still a ZIP
/// (its report says which and why), with the header `X-Kehoach-Loi` giving their number.
pub(crate) async fn api(State(s): State<Arc<AppState>>, body: Body) -> Response {
    let (run, opts) = match receive(&s, body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let summary = match run_batch(&s, opts, Box::new(batch::Quiet)).await {
        Ok(Ok(summary)) => summary,
        Ok(Err(e)) => return super::error_response(&e),
        Err(r) => return r,
    };
    if summary.totals.so_don_vi == 0
        && let Some(e) = &summary.file_error
    {
        return super::error_response(e);
    }
    let failed = summary.totals.loi;
    if summary.totals.da_xuat == 0 && failed > 0 {
        // Not one unit made: the first unit's error, and the report, as a 400.
        let report: Value = std::fs::read(&run.report).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
        let first = &report["don_vi"][0];
        let err = &first["loi"][0];
        let body = json!({
            "loi": {
                "truong": err["truong"],
                "thong_bao": format!("không đơn vị nào xuất được; đơn vị `{}`: {}", first["ma"].as_str().unwrap_or(""), err["thong_bao"].as_str().unwrap_or("")),
            },
            "bao_cao": report,
        });
        return (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], body.to_string()).into_response();
    }
    let zip = run.zip.clone();
    let mut r = stream_file(zip, "application/zip", "ket-qua.zip", run).await;
    r.headers_mut().insert("x-kehoach-loi", failed.into());
    r
}

/// Sends each unit's status, as a JSON line, to the page.
struct Lines(tokio::sync::mpsc::UnboundedSender<String>);

fn line(v: Value) -> String {
    let mut s = v.to_string();
    s.push('\n');
    s
}

impl Observer for Lines {
    fn started(&self, total: Option<usize>) {
        let _ = self.0.send(line(json!({"bat_dau": true, "so_don_vi": total})));
    }
    fn unit(&self, d: &Done) {
        let status = if d.skipped {
            "chua_xuat"
        } else if d.errors.is_empty() {
            "da_xuat"
        } else {
            "loi"
        };
        let warnings = d.findings.iter().filter(|f| f.muc_do == crate::MucDo::CanhBao).count();
        let _ = self.0.send(line(json!({
            "so": d.index + 1, "ma": d.id, "ten": d.label, "trang_thai": status, "tep": d.files,
            "so_trang": d.pages, "loi": d.messages(), "so_canh_bao": warnings,
        })));
    }
}

/// `POST /api/batch/chay`: the page's batch: JSON lines, one per unit as it is made, then the last
/// line `{"xong": true, "lan": "…", "tong": {…}}` (or `{"loi": {…}}` when the batch could not run).
pub(crate) async fn run_for_page(State(s): State<Arc<AppState>>, body: Body) -> Response {
    let (run, opts) = match receive(&s, body).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let st = s.clone();
    tokio::spawn(async move {
        let last = match run_batch(&st, opts, Box::new(Lines(tx.clone()))).await {
            Ok(Ok(summary)) => {
                let id = run.dir.path().file_name().map(|n| n.to_string_lossy().trim_start_matches("kehoach-lan-").to_string()).unwrap_or_default();
                let v = json!({
                    "xong": true, "lan": id, "tong": summary.totals, "dung": summary.stopped,
                    "loi_tep": summary.file_error.as_ref().map(|e| e.to_string()),
                    "ban_xem": summary.review.is_some(), "so_trang_ban_xem": summary.review_pages,
                });
                let mut runs = st.jobs.runs.lock().unwrap_or_else(|e| e.into_inner());
                runs.push_back((id, Arc::new(run)));
                while runs.len() > KEPT {
                    runs.pop_front();
                }
                v
            }
            Ok(Err(e)) => error_json(&e),
            Err(r) => json!({"loi": {"truong": "", "thong_bao": format!("không chạy được ({})", r.status())}}),
        };
        let _ = tx.send(line(last));
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|l| (Ok::<Bytes, std::convert::Infallible>(Bytes::from(l)), rx)) });
    ([(header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], Body::from_stream(stream)).into_response()
}

/// `GET /api/batch/{lan}/zip|bao-cao|ban-xem`: a file of one of the page's runs.
pub(crate) async fn download(State(s): State<Arc<AppState>>, UrlPath((lan, tep)): UrlPath<(String, String)>) -> Response {
    let run = {
        let runs = s.jobs.runs.lock().unwrap_or_else(|e| e.into_inner());
        runs.iter().find(|(id, _)| *id == lan).map(|(_, r)| r.clone())
    };
    let Some(run) = run else {
        return fail(StatusCode::NOT_FOUND, "", "không còn kết quả của lần xuất này (máy chủ chỉ giữ vài lần gần nhất); hãy xuất lại");
    };
    let (path, kind, name) = match tep.as_str() {
        "zip" => (run.zip.clone(), "application/zip", "ket-qua.zip"),
        "bao-cao" => (run.report.clone(), "application/json; charset=utf-8", "bao-cao.json"),
        "ban-xem" => match &run.review {
            Some(p) => (p.clone(), "application/pdf", "ban-xem.pdf"),
            None => return fail(StatusCode::NOT_FOUND, "", "lần xuất này không có bản xem PDF"),
        },
        _ => return fail(StatusCode::NOT_FOUND, "", "chỉ tải được zip, bao-cao hoặc ban-xem"),
    };
    stream_file(path, kind, name, run).await
}
