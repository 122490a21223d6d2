"""`kehoach serve PLAN.json` in Chromium: the page opens the file given on the command line, and
Ctrl+S saves the edit back to it (run by tests/serve_page.rs: python serve_save.py URL CHROMIUM TEXT)."""
import sys
from playwright.sync_api import sync_playwright

url, chromium, text = sys.argv[1], sys.argv[2], sys.argv[3]
with sync_playwright() as p:
    b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
    page = b.new_page(viewport={"width": 1366, "height": 768})
    page.goto(url)
    page.wait_for_function("() => document.querySelectorAll('[data-page]').length >= 4", timeout=20000)
    assert "ke-hoach.json" in page.locator("#file-name").inner_text()
    box = page.locator("#form [data-field='trich_yeu']")
    assert "thi đua" in box.input_value()
    box.fill(text)
    page.keyboard.press("Control+s")
    page.wait_for_function("() => document.querySelector('#status').textContent.includes('Đã lưu')", timeout=10000)
    b.close()
