"""The page of `kehoach serve` in real headless Firefox (Debian's firefox-esr), driven through
Firefox's own remote protocol, Marionette, with Mozilla's client `marionette_driver` (no
geckodriver: this script starts Firefox itself, with a fresh profile whose user.js gives
Marionette a private port).

Run by tests/serve_firefox.rs: python serve_firefox.py URL FIREFOX OUT_DIR, the server started on a
copy of samples/seed-002.json. Each scenario asserts what a user sees; the 1366x768 screenshot is
saved as OUT_DIR/serve-firefox.png. Prints one JSON line of figures at the end. Every wait is
bounded, and Firefox (its whole process group) is killed whatever happens.
"""
import base64, json, os, signal, socket, subprocess, sys, tempfile, time
from pathlib import Path

from marionette_driver.marionette import Marionette
from marionette_driver.keys import Keys

url, firefox, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
figures = {}
W, H = 1366, 768

PAGES_TEXT = "[...document.querySelectorAll('[data-page] text')].map(t => t.textContent).join('').replace(/\\s+/g, '')"

# Collects what the page reports as errors: uncaught exceptions, rejected promises, console.error.
# Injected after the load; what happened before it (or what the page cannot see, such as a font
# refused by the Content-Security-Policy) is read from Firefox's console service at the end (every
# error there that is not from Firefox's own chrome: the content processes' errors reach it).
HOOK = """
if (!window.__errors) {
  window.__errors = [];
  window.addEventListener('error', e => window.__errors.push('error: ' + (e.message || (e.target && (e.target.src || e.target.href)) || e)), true);
  window.addEventListener('unhandledrejection', e => window.__errors.push('rejection: ' + e.reason + ' ' + (e.reason && e.reason.stack || '')));
  const orig = console.error;
  console.error = function (...args) { window.__errors.push('console.error: ' + args.map(String).join(' ')); return orig.apply(this, args); };
}
"""


def squash(s):
    return "".join(s.split())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def js(m, script, args=()):
    """Runs `script` in the page's own scope (sandbox=None: not Marionette's sandbox, which does not
    see what the page's scripts define, such as window.kehoach)."""
    return m.execute_script(script, script_args=args, sandbox=None)


def wait_js(m, expr, timeout, what):
    """Polls the JS expression `expr` until it is true (every 10 ms, at most `timeout` s)."""
    t0 = time.monotonic()
    while True:
        if js(m, f"return !!({expr});"):
            return (time.monotonic() - t0) * 1000
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"after {timeout} s, still not: {what}")
        time.sleep(0.01)


def field(m, name):
    return m.find_element("css selector", f"#form [data-field='{name}']")


def press_tab(m):
    m.actions.sequence("key", "kb").key_down(Keys.TAB).key_up(Keys.TAB).perform()


def main(m):
    # The viewport, not the window, is 1366x768: the window is grown by what its frame takes.
    m.set_window_rect(width=W, height=H)
    iw, ih = js(m, "return [window.innerWidth, window.innerHeight];")
    m.set_window_rect(width=W + (W - iw), height=H + (H - ih))
    iw, ih = js(m, "return [window.innerWidth, window.innerHeight];")
    assert (iw, ih) == (W, H), f"the viewport is {iw}x{ih}, not {W}x{H}"

    t0 = time.monotonic()
    m.navigate(url)
    js(m, HOOK)
    # 1. The server was started on seed-002: its pages appear, with its trích yếu.
    wait_js(m, "document.querySelectorAll('[data-page] svg').length >= 1 && window.kehoach.renders > 0"
               " && !document.querySelector('#pages').classList.contains('stale')", 20, "the pages are shown")
    figures["load_ms"] = round((time.monotonic() - t0) * 1000)
    n = js(m, "return document.querySelectorAll('[data-page]').length;")
    assert n == 5, f"seed-002 has 5 pages, the page shows {n}"
    trich_yeu = field(m, "trich_yeu").get_property("value")
    assert "thi đua" in trich_yeu, trich_yeu
    assert js(m, f"return ({PAGES_TEXT}).includes(arguments[0]);", [squash(trich_yeu)]), "the trích yếu is in the pages"
    assert "không có lỗi" in m.find_element("css selector", "#check-summary").text
    # The pages' own fonts (subsets embedded in each SVG) are loaded, not a fallback of the machine.
    wait_js(m, "[...document.fonts].some(f => f.family.includes('kehoach-') && f.status === 'loaded')", 5, "the pages' fonts are loaded")
    figures["fonts_loaded"] = js(m, "return [...document.fonts].filter(f => f.family.includes('kehoach-') && f.status === 'loaded').length;")
    # At 1366x768 nothing runs off the side, and the page itself does not scroll (its columns do).
    sw, sh = js(m, "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight];")
    assert sw <= W and sh <= H, f"the page is {sw}x{sh}, larger than the window"
    # The first page is as wide as in Chromium: its column, capped at the A4 width of 794 px.
    pw = js(m, "return document.querySelector('[data-page=\"1\"]').getBoundingClientRect().width;")
    assert 500 <= pw <= 794, f"page 1 is {pw} px wide"
    # The SVG's own box follows the page's width (an SVG without a proper size would be 300x150).
    sw_, sh_ = js(m, "const r = document.querySelector('[data-page=\"1\"] svg').getBoundingClientRect(); return [r.width, r.height];")
    assert abs(sw_ - pw) < 1 and abs(sh_ / sw_ - 297 / 210) < 0.01, f"page 1's SVG is {sw_}x{sh_} in a page {pw} wide"
    time.sleep(0.3)  # the fonts' repaint
    png = base64.b64decode(m.screenshot(full=False))
    (out / "serve-firefox.png").write_bytes(png)

    # 2. A new trích yếu, typed: the new text is in the pages within a second of the last key.
    new = "Thử nghiệm xem trước trực tiếp các trang kế hoạch năm 2026"
    box = field(m, "trich_yeu")
    box.clear()
    box.send_keys(new)
    assert box.get_property("value") == new, box.get_property("value")
    ms = wait_js(m, f"({PAGES_TEXT}).includes({json.dumps(squash(new))})", 1.0, "the new trích yếu in the pages within 1 s")
    figures["trich_yeu_ms"] = round(ms)

    # 3. "KH - UBND" typed into the ký hiệu: KH-SO-04 at data-field="ky_hieu", downloads disabled.
    kh = field(m, "ky_hieu")
    kh.clear()
    kh.send_keys("KH - UBND")
    wait_js(m, "document.querySelector(\"#form [data-row='ky_hieu'] [data-finding='KH-SO-04']\")", 3, "KH-SO-04 at the ký hiệu")
    assert js(m, "return document.querySelectorAll(\"#findings [data-finding='KH-SO-04'][data-for='ky_hieu']\").length;") == 1
    assert kh.get_attribute("aria-invalid") == "true"
    assert not m.find_element("css selector", "#btn-docx").is_enabled()
    assert not m.find_element("css selector", "#btn-pdf").is_enabled()
    # Clicking the finding in the list puts the focus on the field.
    field(m, "trich_yeu").click()
    m.find_element("css selector", "#findings [data-finding='KH-SO-04']").click()
    assert js(m, "return document.activeElement.dataset.field;") == "ky_hieu"
    (out / "serve-firefox-loi.png").write_bytes(base64.b64decode(m.screenshot(full=False)))
    kh.clear()
    kh.send_keys("KH-UBND")
    wait_js(m, "!document.querySelector('[data-finding=\"KH-SO-04\"]')", 3, "KH-SO-04 gone")
    wait_js(m, "!document.querySelector('#btn-docx').disabled", 3, "the downloads enabled again")

    # 4. Keyboard: from the top of the page, Tab reaches the main buttons, in their order.
    # A click on the title (not a control) makes the top of the page the place Tab starts from.
    m.find_element("css selector", ".bar h1").click()
    assert js(m, "return document.activeElement === document.body;")
    seen = []
    for _ in range(30):
        press_tab(m)
        seen.append(js(m, "return document.activeElement.id || document.activeElement.tagName;"))
        if "tab-form" in seen:
            break
    buttons = ["btn-new", "btn-open", "btn-word", "btn-save", "btn-docx", "btn-pdf", "tab-form"]
    reached = [b for b in seen if b in buttons]
    assert reached == buttons, f"Tab went through {seen}"
    figures["tabs_to_buttons"] = seen.index("btn-pdf") + 1
    # Enter on a focused tab works; the arrow keys move between the tabs.
    m.actions.sequence("key", "kb").key_down(Keys.ARROW_RIGHT).key_up(Keys.ARROW_RIGHT).perform()
    assert js(m, "return document.activeElement.id;") == "tab-json"
    m.actions.sequence("key", "kb").key_down(Keys.ARROW_LEFT).key_up(Keys.ARROW_LEFT).perform()
    assert js(m, "return document.activeElement.id;") == "tab-form"

    # 5. No error in the page: the injected hook, then Firefox's console for the whole visit.
    errors = js(m, "return window.__errors;")
    assert not errors, f"errors in the page: {errors}"
    with m.using_context(m.CONTEXT_CHROME):
        logged = m.execute_script(
            """
            const out = [];
            for (const msg of Services.console.getMessageArray() || []) {
              if (!(msg instanceof Ci.nsIScriptError)) continue;
              if (msg.flags & (Ci.nsIScriptError.warningFlag | Ci.nsIScriptError.infoFlag)) continue;
              // Firefox's own chrome, not the page.
              if (/^(chrome|resource|moz-extension|about):/.test(msg.sourceName || '')) continue;
              out.push(msg.category + ': ' + msg.errorMessage + ' (' + msg.sourceName + ':' + msg.lineNumber + ')');
            }
            return out;
            """
        )
    # (The 400 answers to the plans the page sends while they are wrong are expected and are not
    # errors of the page; Firefox does not log them as script errors.)
    assert not logged, f"errors in Firefox's console: {logged}"


def run():
    profile = tempfile.mkdtemp(prefix="kehoach-firefox-")
    port = free_port()
    prefs = {
        "marionette.port": port,
        "browser.shell.checkDefaultBrowser": False,
        "browser.startup.page": 0,
        "browser.startup.homepage_override.mstone": "ignore",
        "startup.homepage_welcome_url": "about:blank",
        "datareporting.policy.dataSubmissionEnabled": False,
        "toolkit.telemetry.reportingpolicy.firstRun": False,
        "app.update.disabledForTesting": True,
        "network.proxy.type": 0,
        "browser.sessionstore.resume_from_crash": False,
        "layout.css.devPixelsPerPx": "1.0",
    }
    with open(os.path.join(profile, "user.js"), "w") as f:
        for k, v in prefs.items():
            f.write(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n")
    env = dict(os.environ, MOZ_HEADLESS="1", MOZ_CRASHREPORTER_DISABLE="1", MOZ_HEADLESS_WIDTH=str(W), MOZ_HEADLESS_HEIGHT=str(H))
    log = open(out / "firefox.log", "wb")
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [firefox, "--headless", "--marionette", "-remote-allow-system-access", "--profile", profile, "-no-remote", "--new-instance"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True,
    )
    # For the Rust test, which kills this process group if this script itself has to be killed.
    (out / "firefox.pid").write_text(str(proc.pid))
    m = None
    try:
        m = Marionette(host="127.0.0.1", port=port, socket_timeout=30, startup_timeout=60)
        m.start_session(timeout=60)
        figures["firefox_start_ms"] = round((time.monotonic() - t0) * 1000)
        figures["firefox"] = m.session.get("browserVersion")
        main(m)
    finally:
        if m is not None:
            try:
                m.delete_session()
            except Exception:
                pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        log.close()
        subprocess.run(["rm", "-rf", profile], timeout=30)


def on_alarm(*_):
    raise TimeoutError("the Firefox scenarios took more than 150 s")


signal.signal(signal.SIGALRM, on_alarm)
signal.alarm(150)
run()
signal.alarm(0)
print(json.dumps(figures))
