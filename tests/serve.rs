//! `kehoach serve`: the HTTP API (a server started in-process on port 0, spoken to over a real
//! socket) and the command (the binary: its address, Ctrl-C). The page in Chromium is
//! tests/serve_page.rs.
#![cfg(feature = "serve")]

mod common;

use common::serve::{cli_output, Binary};

use common::repo;
use kehoach::serve;
use serde_json::{Value, json};
use std::io::Read;
use std::net::SocketAddr;

/// A server in a thread of its own, on 127.0.0.1 and a free port; stopped when dropped.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(config: serve::Config) -> Server {
        let router = serve::router(config).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                serve::serve(listener, router, async move {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            });
        });
        let addr = rx.recv().unwrap();
        Server { addr, stop: Some(stop), thread: Some(thread) }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop.take().map(|s| s.send(()));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

/// Status, headers and body of a request.
struct Answer {
    status: u16,
    kind: String,
    headers: ureq::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    /// The Vietnamese message of an error answer.
    fn message(&self) -> String {
        self.json()["loi"]["thong_bao"].as_str().unwrap_or_else(|| panic!("no message: {}", String::from_utf8_lossy(&self.body))).to_string()
    }
}

fn answer(mut r: ureq::http::Response<ureq::Body>) -> Answer {
    let status = r.status().as_u16();
    let kind = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let headers = r.headers().clone();
    let body = r.body_mut().with_config().limit(200 * 1024 * 1024).read_to_vec().unwrap();
    Answer { status, kind, headers, body }
}

fn get(s: &Server, path: &str) -> Answer {
    answer(agent().get(&s.url(path)).call().unwrap())
}

fn post(s: &Server, path: &str, body: impl AsRef<[u8]>) -> Answer {
    answer(agent().post(&s.url(path)).send(body.as_ref()).unwrap())
}

fn sample_text(name: &str) -> String {
    std::fs::read_to_string(repo().join("samples").join(name)).unwrap()
}

fn with(name: &str, f: impl FnOnce(&mut Value)) -> String {
    let mut v: Value = serde_json::from_str(&sample_text(name)).unwrap();
    f(&mut v);
    v.to_string()
}

#[test]
fn health_schema_starter_and_the_page() {
    let s = Server::start(serve::Config::default());
    let h = get(&s, "/healthz");
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["trang_thai"], "tot");
    let schema = get(&s, "/api/schema");
    assert_eq!(schema.status, 200);
    assert!(schema.kind.starts_with("application/json"));
    assert_eq!(String::from_utf8(schema.body).unwrap(), kehoach::schema());
    for r in kehoach::Regime::ALL {
        let st = get(&s, &format!("/api/starter?the_thuc={}", r.code()));
        assert_eq!(st.status, 200);
        assert_eq!(String::from_utf8(st.body).unwrap(), kehoach::starter(r));
    }
    let bad = get(&s, "/api/starter?the_thuc=nd31");
    assert_eq!(bad.status, 400);
    assert!(bad.message().contains("không có thể thức `nd31`") && bad.message().contains("nd30"), "{}", bad.message());
    // The page and its assets are served from the binary; nothing is fetched from elsewhere.
    let page = get(&s, "/");
    assert_eq!(page.status, 200);
    assert!(page.kind.starts_with("text/html"));
    let html = String::from_utf8(page.body).unwrap();
    assert!(html.contains("lang=\"vi\"") && html.contains("Mở tệp Word") && html.contains("Tải DOCX"));
    for asset in ["/app.js", "/app.css"] {
        let a = get(&s, asset);
        assert_eq!(a.status, 200, "{asset}");
        let text = String::from_utf8(a.body).unwrap();
        assert!(!text.contains("http://") && !text.contains("https://"), "{asset} must not load anything from the network");
    }
    assert!(!html.contains("https://") && !html.contains("http://"));
    let csp = get(&s, "/").headers.get("content-security-policy").unwrap().to_str().unwrap().to_string();
    assert!(csp.contains("default-src 'self'") && csp.contains("connect-src 'self'"), "{csp}");
    assert_eq!(get(&s, "/api/schema").headers.get("cache-control").unwrap(), "no-store");
}

#[test]
fn check_gives_the_findings_and_bad_input_a_400_with_the_field() {
    let s = Server::start(serve::Config::default());
    let ok = post(&s, "/api/check", sample_text("seed-002.json"));
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json()["hop_le"], true);
    // A rule broken: 200, the finding at its field.
    let kh = post(&s, "/api/check", with("seed-002.json", |v| v["ky_hieu"] = json!("KH - UBND")));
    assert_eq!(kh.status, 200);
    let v = kh.json();
    assert_eq!(v["hop_le"], false);
    let f = v["phat_hien"].as_array().unwrap().iter().find(|f| f["ma"] == "KH-SO-04").expect("KH-SO-04");
    assert_eq!(f["truong"], "ky_hieu");
    assert_eq!(f["muc_do"], "loi");
    assert!(f["can_cu"].as_str().unwrap().contains("30/2020"));
    // Not a plan: 400, the field's path, line and column, in Vietnamese.
    let bad = post(&s, "/api/check", "{\n  \"the_thuc\": \"nd31\"\n}");
    assert_eq!(bad.status, 400);
    let e = bad.json();
    assert_eq!(e["loi"]["truong"], "the_thuc");
    assert_eq!(e["loi"]["dong"], 2);
    assert!(e["loi"]["thong_bao"].as_str().unwrap().contains("không hợp lệ"), "{e}");
    let syntax = post(&s, "/api/check", "{\"trich_yeu\": ");
    assert_eq!(syntax.status, 400);
    assert!(syntax.json()["loi"]["dong"].is_number());
    let deep = post(&s, "/api/check", with("seed-002.json", |v| v["noi_dung"][1]["muc_con"][2]["kieu"] = json!("khoan_x")));
    assert_eq!(deep.status, 400);
    assert_eq!(deep.json()["loi"]["truong"], "noi_dung[1].muc_con[2].kieu");
    let not_utf8 = post(&s, "/api/check", b"{\"trich_yeu\": \"Ho\xCCa\"}");
    assert_eq!(not_utf8.status, 400);
    assert!(not_utf8.message().contains("UTF-8"), "{}", not_utf8.message());
}

#[test]
fn render_gives_the_same_bytes_as_the_command_line() {
    let s = Server::start(serve::Config::default());
    let plan = repo().join("samples").join("seed-002.json");
    let text = sample_text("seed-002.json");
    for fmt in ["docx", "pdf"] {
        let r = post(&s, &format!("/api/render?format={fmt}"), &text);
        assert_eq!(r.status, 200, "{fmt}: {}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.body, cli_output(&plan, fmt), "{fmt} differs from `kehoach render`");
        assert!(r.headers.get("content-disposition").unwrap().to_str().unwrap().contains(&format!("ke-hoach.{fmt}")));
    }
    assert!(post(&s, "/api/render?format=docx", &text).kind.contains("wordprocessingml"));
    let svg = post(&s, "/api/render?format=svg", &text);
    assert_eq!(svg.status, 200);
    let pages: Vec<String> = serde_json::from_slice(&svg.body).unwrap();
    let engine = kehoach::Engine::default();
    let checked = kehoach::Plan::from_json(&text).unwrap().check().unwrap();
    assert_eq!(pages, engine.svg(&checked).unwrap());
    let preview = post(&s, "/api/preview", &text).json();
    assert_eq!(preview["trang"].as_array().unwrap().len(), 5);
    assert_eq!(preview["hop_le"], true);
    // A plan the rules refuse: 400 with the findings, nothing rendered.
    let refused = post(&s, "/api/render?format=pdf", with("seed-002.json", |v| v["ky_hieu"] = json!("KH - UBND")));
    assert_eq!(refused.status, 400);
    let v = refused.json();
    assert!(v["loi"]["thong_bao"].as_str().unwrap().contains("1 lỗi"), "{v}");
    assert!(v["phat_hien"].as_array().unwrap().iter().any(|f| f["ma"] == "KH-SO-04"));
    let p = post(&s, "/api/preview", with("seed-002.json", |v| v["ky_hieu"] = json!("KH - UBND"))).json();
    assert!(p["trang"].is_null() && p["so_loi"] == 1, "{p}");
    let fmt = post(&s, "/api/render?format=odt", &text);
    assert_eq!(fmt.status, 400);
    assert!(fmt.message().contains("docx, pdf hoặc svg"));
    // A parent plan of a batch is refused as `render` refuses it.
    let parent = post(&s, "/api/render?format=pdf", sample_text("xa-mau-2026.json"));
    assert_eq!(parent.status, 400);
    assert!(parent.json()["loi"]["truong"].as_str().unwrap().starts_with("co_quan_ban_hanh"));
}

#[test]
fn limits_and_unknown_routes_answer_in_vietnamese_never_500() {
    let s = Server::start(serve::Config::default());
    let big = vec![b' '; kehoach::plan::MAX_INPUT_BYTES + 1];
    for path in ["/api/check", "/api/render?format=pdf", "/api/preview"] {
        let r = post(&s, path, &big);
        assert_eq!(r.status, 413, "{path}");
        assert!(r.message().contains("quá lớn") && r.message().contains("2 MB"), "{path}: {}", r.message());
    }
    let nf = get(&s, "/khong-co");
    assert_eq!(nf.status, 404);
    assert!(nf.message().contains("không có trang"));
    let m = get(&s, "/api/check");
    assert_eq!(m.status, 405);
    assert!(m.message().contains("phương thức"));
    // Garbage of every kind: a 4xx, never a 5xx.
    for body in [&b""[..], b"[]", b"null", b"\xFF\xFE\x00", b"{\"noi_dung\": [[[[[]]]]]}", b"{\"so\": -1}"] {
        for path in ["/api/check", "/api/preview", "/api/render?format=docx", "/api/batch", "/api/batch/chay"] {
            let r = post(&s, path, body);
            assert!((400..500).contains(&r.status), "{path} {:?}: {}", String::from_utf8_lossy(body), r.status);
            assert!(!r.message().is_empty());
        }
    }
    // A text of any kind imports (with what is missing listed); a damaged or foreign file does not.
    for body in [&b"PK\x03\x04garbage"[..], b"\xFF\xFE\x00", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"] {
        let r = post(&s, "/api/import", body);
        assert_eq!(r.status, 400, "{:?}", String::from_utf8_lossy(body));
        assert!(!r.message().is_empty());
    }
}

#[test]
fn a_request_past_its_time_gets_a_503_in_vietnamese() {
    let limits = serve::Limits { time: std::time::Duration::from_millis(1), parallel: 1, ..Default::default() };
    let s = Server::start(serve::Config { limits, ..Default::default() });
    let r = post(&s, "/api/render?format=pdf", sample_text("seed-002.json"));
    assert_eq!(r.status, 503);
    assert!(r.message().contains("quá 0,001 giây"), "{}", r.message());
    // The server still answers once the work in progress is done.
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(get(&s, "/healthz").status, 200);
}

#[test]
fn other_sites_cannot_post_through_the_users_browser() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ke-hoach.json");
    std::fs::write(&path, "{}").unwrap();
    let s = Server::start(serve::Config { plan: Some(path.clone()), ..Default::default() });
    let text = sample_text("seed-002.json");
    let send = |headers: &[(&str, &str)]| {
        let mut r = agent().post(&s.url("/api/save"));
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        answer(r.send(text.as_bytes()).unwrap())
    };
    // Another site's page: refused, the file untouched.
    let r = send(&[("origin", "https://trang-la.example")]);
    assert_eq!(r.status, 403);
    assert!(r.message().contains("trang-la.example"), "{}", r.message());
    assert_eq!(send(&[("origin", "null")]).status, 403);
    // A name of another site pointed at 127.0.0.1 (DNS rebinding): refused.
    let r = send(&[("host", "trang-la.example")]);
    assert_eq!(r.status, 403);
    assert!(r.message().contains("localhost"), "{}", r.message());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{}");
    // The page itself (same origin), localhost, and programs without an Origin: served.
    let own = format!("http://{}", s.addr);
    assert_eq!(send(&[("origin", &own)]).status, 200);
    assert_eq!(send(&[("host", &format!("localhost:{}", s.addr.port()))]).status, 200);
    assert_eq!(send(&[]).status, 200);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    // A shared service behind a load balancer takes its own names.
    let shared = Server::start(serve::Config { any_host: true, ..Default::default() });
    let r = answer(agent().get(&shared.url("/healthz")).header("host", "kehoach.tinh.gov.vn").call().unwrap());
    assert_eq!(r.status, 200);
}

#[test]
fn many_requests_at_once_are_all_served() {
    let s = Server::start(serve::Config::default());
    let text = sample_text("xa-an-phu-2026.json");
    let want = post(&s, "/api/render?format=pdf", &text).body;
    std::thread::scope(|sc| {
        let hs: Vec<_> = (0..12).map(|_| sc.spawn(|| post(&s, "/api/render?format=pdf", &text))).collect();
        for h in hs {
            let r = h.join().unwrap();
            assert_eq!(r.status, 200);
            assert_eq!(r.body, want);
        }
    });
}

#[test]
fn import_reads_a_word_file_and_lists_what_to_review() {
    let s = Server::start(serve::Config::default());
    let docx = std::fs::read(repo().join("tests/fixtures/import/002-tab.docx")).unwrap();
    let r = post(&s, "/api/import", &docx);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = r.json();
    let plan = kehoach::Plan::from_json(v["van_ban"].as_str().unwrap()).unwrap();
    assert!(plan.trich_yeu.to_string().contains("thi đua"));
    assert!(v["can_xem_lai"].is_array());
    assert!(!kehoach::rules::has_errors(&plan.findings(&kehoach::CheckOptions::now())));
    // A text extract whose header was lost: what is missing is listed with its field.
    let seed = std::fs::read_dir(common::seeds_dir()).unwrap().map(|e| e.unwrap().path()).find(|p| p.file_name().unwrap().to_string_lossy().starts_with("002_")).unwrap();
    let t = post(&s, "/api/import", std::fs::read(seed).unwrap()).json();
    let notes = t["can_xem_lai"].as_array().unwrap();
    assert!(!notes.is_empty());
    assert!(notes.iter().all(|n| n["truong"].is_string() && n["thong_bao"].is_string() && n["loai"].is_string()));
    // Not a Word file: a Vietnamese message.
    let pdf = post(&s, "/api/import", b"%PDF-1.7\n...");
    assert_eq!(pdf.status, 400);
    assert!(pdf.message().contains("PDF"), "{}", pdf.message());
}

fn batch_request(units: usize) -> String {
    let plan: Value = serde_json::from_str(&sample_text("xa-mau-2026.json")).unwrap();
    let csv = std::fs::read_to_string(repo().join("samples/don-vi-200.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().take(units + 1).collect();
    json!({"ke_hoach": plan, "don_vi": lines.join("\n"), "ten_tep": "don-vi.csv", "ban_xem": true}).to_string()
}

fn zip_names(bytes: &[u8]) -> Vec<String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len()).map(|i| z.by_index(i).unwrap().name().to_string()).collect()
}

#[test]
fn batch_gives_the_zip_with_the_report() {
    let s = Server::start(serve::Config::default());
    let r = post(&s, "/api/batch", batch_request(3));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.kind, "application/zip");
    assert_eq!(r.headers.get("x-kehoach-loi").unwrap(), "0");
    let names = zip_names(&r.body);
    assert_eq!(names.len(), 7, "{names:?}");
    assert!(names.contains(&"bao-cao.json".to_string()) && names.contains(&"phuong-my-tho.pdf".to_string()), "{names:?}");
    // The parent plan broken: no unit can be made: 400 naming the field, with the report.
    let mut bad: Value = serde_json::from_str(&batch_request(2)).unwrap();
    bad["ke_hoach"]["the_thuc"] = json!("nd31");
    let e = post(&s, "/api/batch", bad.to_string());
    assert_eq!(e.status, 400);
    assert!(e.message().contains("nd31") && e.message().contains("không đơn vị nào"), "{}", e.message());
    assert_eq!(e.json()["loi"]["truong"], "the_thuc");
    assert_eq!(e.json()["bao_cao"]["tong_ket"]["loi"], 2);
    let e = post(&s, "/api/batch", json!({"ke_hoach": {}, "don_vi": 5}).to_string());
    assert_eq!(e.status, 400);
    assert_eq!(e.json()["loi"]["truong"], "don_vi");
    let e = post(&s, "/api/batch", json!({"ke_hoach": {}, "don_vi": "", "la": 1}).to_string());
    assert_eq!(e.status, 400);
}

#[test]
fn the_pages_batch_streams_each_unit_then_its_files() {
    let s = Server::start(serve::Config::default());
    let r = post(&s, "/api/batch/chay", batch_request(3));
    assert_eq!(r.status, 200);
    let lines: Vec<Value> = String::from_utf8(r.body).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(lines[0]["so_don_vi"], 3);
    for (i, u) in lines[1..4].iter().enumerate() {
        assert_eq!(u["so"], i + 1);
        assert_eq!(u["trang_thai"], "da_xuat", "{u}");
        assert_eq!(u["tep"].as_array().unwrap().len(), 2);
    }
    let last = &lines[4];
    assert_eq!(last["xong"], true);
    assert_eq!(last["tong"]["da_xuat"], 3);
    let lan = last["lan"].as_str().unwrap();
    let zip = get(&s, &format!("/api/batch/{lan}/zip"));
    assert_eq!(zip.status, 200);
    assert_eq!(zip_names(&zip.body).len(), 7);
    let report: Value = get(&s, &format!("/api/batch/{lan}/bao-cao")).json();
    assert_eq!(report["tong_ket"]["da_xuat"], 3, "{report}");
    let review = get(&s, &format!("/api/batch/{lan}/ban-xem"));
    assert!(review.body.starts_with(b"%PDF-"));
    assert_eq!(get(&s, "/api/batch/khong-co/zip").status, 404);
    assert_eq!(get(&s, &format!("/api/batch/{lan}/khac")).status, 404);
}

#[test]
fn save_writes_the_plan_file_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ke-hoach.json");
    let s = Server::start(serve::Config { plan: Some(path.clone()), ..Default::default() });
    // Not there yet: the page starts from a starter.
    let v = get(&s, "/api/plan").json();
    assert!(v["tep"].as_str().unwrap().ends_with("ke-hoach.json") && v["van_ban"].is_null(), "{v}");
    let text = sample_text("seed-002.json");
    let r = post(&s, "/api/save", &text);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    assert_eq!(get(&s, "/api/plan").json()["van_ban"].as_str().unwrap(), text);
    // A draft with rule errors is saved; what is not JSON is not, and the file stays as it was.
    assert_eq!(post(&s, "/api/save", with("seed-002.json", |v| v["ky_hieu"] = json!("KH - UBND"))).status, 200);
    std::fs::write(&path, &text).unwrap();
    let bad = post(&s, "/api/save", "{\"trich_yeu\": ");
    assert_eq!(bad.status, 400);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let names: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert_eq!(names, vec!["ke-hoach.json".to_string()], "no temporary file is left");
    // Without a file given, nothing is saved on the server.
    let none = Server::start(serve::Config::default());
    let r = post(&none, "/api/save", &text);
    assert_eq!(r.status, 409);
    assert!(r.message().contains("Tải JSON"));
}

#[cfg(unix)]
#[test]
fn the_command_listens_on_localhost_and_stops_on_ctrl_c() {
    let mut b = Binary::start(&[]);
    assert!(b.url.starts_with("http://127.0.0.1:"), "{}", b.url);
    let r = answer(agent().get(&format!("{}/healthz", b.url)).call().unwrap());
    assert_eq!(r.status, 200);
    unsafe { libc::kill(b.child.id() as i32, libc::SIGINT) };
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = b.child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed().as_secs() < 10, "still running 10 s after Ctrl-C");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let mut err = String::new();
    b.child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(err.contains("Đang dừng máy chủ"), "{err}");
    // A port in use: a Vietnamese message, exit code 1.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kehoach")).args(["serve", "--no-open", "--port", &port]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("đang được chương trình khác dùng"), "{}", String::from_utf8_lossy(&o.stderr));
}
