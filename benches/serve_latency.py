"""Input-to-updated-page time of `kehoach serve` in headless Chromium (run by benches/serve.rs).

python serve_latency.py URL CHROMIUM PLAN RUNS: opens PLAN with the page's "Mở JSON" button, then
RUNS times types one more character at the end of the trích yếu and waits until the pages show the
new text; the page measures each time from the input event to the animation frame after the new
pages are in the DOM (window.kehoach.latencies). Prints them as JSON (milliseconds).
"""
import json, sys
from playwright.sync_api import sync_playwright

url, chromium, plan, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
TEXT = """() => [...document.querySelectorAll('[data-page="1"] text')].map(t => t.textContent).join('').replace(/\\s+/g, '')"""
with sync_playwright() as p:
    b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
    page = b.new_page(viewport={"width": 1366, "height": 768})
    page.goto(url)
    page.wait_for_selector("#form [data-field='trich_yeu']")
    page.set_input_files("#file-json", plan)
    page.wait_for_function("() => document.querySelectorAll('[data-page]').length >= 4 && !document.querySelector('#pages').classList.contains('stale')", timeout=20000)
    box = page.locator("#form [data-field='trich_yeu']")
    base = box.input_value()
    out = []
    for i in range(runs):
        word = f" lần{i}"
        page.evaluate("() => { window.kehoach.latencies = []; window.kehoach.breakdowns = []; }")
        box.fill(base + word)  # one input event
        want = "".join((base + word).split())
        page.wait_for_function(f"() => ({TEXT})().includes({json.dumps(want[-40:])}) && window.kehoach.latencies.length >= 1", timeout=10000)
        out.append(page.evaluate("() => [window.kehoach.latencies.at(-1), window.kehoach.breakdowns.at(-1)]"))
        # Back to the base text for the next run (not measured).
        box.fill(base)
        page.wait_for_function(f"() => !({TEXT})().includes({json.dumps(''.join(word.split()))})", timeout=10000)
        page.wait_for_timeout(150)
    print(json.dumps(out))
    b.close()
