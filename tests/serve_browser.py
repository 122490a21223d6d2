"""Browser tests of `kehoach serve` in real headless Chromium (Debian's), driven by Playwright.

Run by tests/serve.rs: python serve_browser.py URL CHROMIUM REPO OUT_DIR. Each scenario asserts
what a user sees; the downloads are saved in OUT_DIR for the Rust test to compare with the CLI's
output, and the screenshots (1366x768) too. Prints one JSON line of figures at the end.
"""
import json, sys, time
from pathlib import Path
from playwright.sync_api import sync_playwright

url, chromium, repo, out = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
figures = {}

PAGES_TEXT = """() => [...document.querySelectorAll('[data-page] text')].map(t => t.textContent).join('').replace(/\\s+/g, '')"""


def squash(s):
    return "".join(s.split())


def open_plan(page, path):
    page.set_input_files("#file-json", str(path))
    page.wait_for_function("() => window.kehoach.renders > 0 && document.querySelector('#check-summary').textContent.includes('không có lỗi')", timeout=15000)
    page.wait_for_function("() => !document.querySelector('#pages').classList.contains('stale') && document.querySelectorAll('[data-page]').length >= 4", timeout=15000)


def wait_text(page, text, timeout):
    t0 = time.monotonic()
    page.wait_for_function(f"() => ({PAGES_TEXT})().includes({json.dumps(squash(text))})", timeout=timeout)
    return (time.monotonic() - t0) * 1000


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # A resource refused by the page's Content-Security-Policy (a page font, say) is an error too.
    # (The 400 answers of the plans the page sends while they are wrong are expected.)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "status of 400" not in m.text else None)
    page.goto(url)
    page.wait_for_selector("#form [data-field='trich_yeu']")

    # 1. Open samples/seed-002.json with the "Mở JSON" button: the five pages, no error.
    open_plan(page, repo / "samples" / "seed-002.json")
    n = page.locator("[data-page]").count()
    assert n == 5, f"seed-002 has 5 pages, the page shows {n}"
    assert page.locator("[data-page='1'] svg").count() == 1
    assert "Phát động phong trào thi đua" in page.evaluate("() => document.querySelector('[data-page=\"1\"]').textContent")
    # The pages' own fonts (subsets embedded in each SVG) are loaded, not a fallback of the machine.
    page.wait_for_function("() => [...document.fonts].some(f => f.family.includes('kehoach-') && f.status === 'loaded')", timeout=5000)
    page.screenshot(path=str(out / "serve.png"))
    # Every input, select and text box of the form names its field.
    unnamed = page.evaluate("() => [...document.querySelectorAll('#form input, #form select, #form textarea')].filter(e => !e.dataset.field).length")
    assert unnamed == 0, f"{unnamed} controls without data-field"
    for f in ["can_cu[2]", "nguoi_ky.ho_ten", "noi_nhan.muc[0]", "noi_nhan.luu", "noi_dung[0].tieu_de", "noi_dung[1].muc_con[0].van_ban[0]"]:
        assert page.locator(f"#form [data-field='{f}']").count() == 1, f
    # Người ký: the quyền hạn as choices.
    page.click("[data-add-list='nguoi_ky.quyen_han']")
    loai = page.locator("#form [data-field='nguoi_ky.quyen_han[0].loai']")
    assert page.evaluate("() => document.activeElement.dataset.field") == "nguoi_ky.quyen_han[0].loai"
    values = loai.evaluate("s => [...s.options].map(o => o.value)")
    assert values == ["tm", "kt", "tl", "tuq", "q"], values
    loai.select_option("kt")
    page.locator("#form [data-field='nguoi_ky.quyen_han[0].ten']").fill("CHỦ TỊCH")
    page.locator("#form [data-field='nguoi_ky.chuc_vu']").fill("PHÓ CHỦ TỊCH")
    wait_text(page, "KT. CHỦ TỊCH", 3000)
    # Each field's description from the schema is its help.
    assert "Viết liền" in page.locator("#" + page.locator("#form [data-field='ky_hieu']").get_attribute("aria-describedby")).inner_text()

    # 2. Change the trích yếu: the new text is in the pages within a second.
    new = "Thử nghiệm xem trước trực tiếp các trang kế hoạch năm 2026"
    box = page.locator("#form [data-field='trich_yeu']")
    box.fill(new)
    ms = wait_text(page, new, 1000)
    figures["trich_yeu_ms"] = round(ms)

    # 3. Type "KH - UBND" into the ký hiệu: KH-SO-04 at data-field="ky_hieu", downloads disabled.
    kh = page.locator("#form [data-field='ky_hieu']")
    kh.fill("")
    kh.press_sequentially("KH - UBND")
    at_field = page.locator("#form [data-row='ky_hieu'] [data-finding='KH-SO-04']")
    at_field.wait_for(timeout=3000)
    assert page.locator("#findings [data-finding='KH-SO-04'][data-for='ky_hieu']").count() == 1
    assert kh.get_attribute("aria-invalid") == "true"
    assert page.locator("#btn-docx").is_disabled() and page.locator("#btn-pdf").is_disabled()
    # Clicking the finding in the list puts the focus on the field.
    page.locator("[data-field='trich_yeu']").focus()
    page.locator("#findings [data-finding='KH-SO-04']").click()
    assert page.evaluate("() => document.activeElement.dataset.field") == "ky_hieu"
    page.screenshot(path=str(out / "serve-loi.png"))
    kh.fill("KH-UBND")
    page.wait_for_function("() => !document.querySelector('[data-finding=\"KH-SO-04\"]')", timeout=3000)
    assert not page.locator("#btn-docx").is_disabled()

    # 4. Add a khoản to mục II in the outline: numbered 6 in the pages.
    page.locator("[data-add='noi_dung[1].muc_con']").click()
    title = page.locator("#form [data-field='noi_dung[1].muc_con[5].tieu_de']")
    assert page.evaluate("() => document.activeElement.dataset.field") == "noi_dung[1].muc_con[5].tieu_de", "the new khoản's title has the focus"
    title.press_sequentially("Khoản mới thêm để thử")
    wait_text(page, "6. Khoản mới thêm để thử", 3000)
    # Moved up one place, it is khoản 5 and the old fifth becomes 6.
    page.locator("[data-node='noi_dung[1].muc_con[5]'] > .node-head button[title='Lên']").click()
    wait_text(page, "5. Khoản mới thêm để thử", 3000)
    # Indented under khoản 4, it becomes its điểm a).
    page.locator("[data-node='noi_dung[1].muc_con[4]'] > .node-head button[title^='Thụt vào']").click()
    wait_text(page, "a) Khoản mới thêm để thử", 3000)
    page.screenshot(path=str(out / "serve-khoan.png"))

    # 5. Downloads: open seed-002 afresh and download the DOCX and the PDF.
    open_plan(page, repo / "samples" / "seed-002.json")
    for fmt in ("docx", "pdf"):
        with page.expect_download() as d:
            page.click(f"#btn-{fmt}")
        d.value.save_as(str(out / f"tai.{fmt}"))

    # 6. The JSON tab: in sync with the form, checked as one types.
    page.click("#tab-json")
    text = page.locator("#json").input_value()
    assert json.loads(text)["ky_hieu"] == "KH-UBND"
    page.locator("#json").fill(text.replace('"ky_hieu": "KH-UBND"', '"ky_hieu": "KH - UBND"'))
    page.locator("#findings [data-finding='KH-SO-04']").wait_for(timeout=3000)
    page.locator("#json").fill(text[:-3])
    page.locator("#json-error:not([hidden])").wait_for(timeout=2000)
    page.locator("#json").fill(text)
    page.click("#tab-form")
    assert page.locator("#form [data-field='ky_hieu']").input_value() == "KH-UBND"

    # 7. "Mở tệp Word": an old plan in Word is imported, its review list shown.
    # A Word file typed the way Word users type plans (header in a table with tabs).
    page.set_input_files("#file-word", str(repo / "tests" / "fixtures" / "import" / "002-tab.docx"))
    page.wait_for_function("() => document.querySelector('#form [data-field=\"trich_yeu\"]').value.includes('thi đua')", timeout=15000)
    page.locator("#review:not([hidden])").wait_for(timeout=5000)
    page.wait_for_function("() => document.querySelector('#check-summary').textContent.includes('không có lỗi') && document.querySelectorAll('[data-page]').length >= 4", timeout=15000)
    # A text extract that lost its header: what is missing is in the review list, each item with its field.
    seed = sorted((repo / "tests" / "fixtures" / "seeds").glob("002_*.txt"))[0]
    page.set_input_files("#file-word", str(seed))
    page.locator("#review:not([hidden]) li[data-review]").first.wait_for(timeout=15000)
    reviews = page.locator("#review li[data-review]").count()
    assert reviews >= 1
    assert "thi đua" in page.locator("#form [data-field='trich_yeu']").input_value()
    item = page.locator("#review li[data-review][data-for='so']")
    if item.count() == 0:
        item = page.locator("#review li[data-review]:not([data-for=''])").first
    want = item.first.get_attribute("data-for")
    item.first.click()
    focused = page.evaluate("() => document.activeElement.dataset.field || ''")
    assert focused == want or want.startswith(focused) or focused.startswith(want), f"review item {want} focused {focused}"
    figures["import_review_items"] = reviews
    page.screenshot(path=str(out / "serve-nhap.png"))

    # 8. The batch tab: a parent plan and three units, each unit's status, the ZIP and the review PDF.
    open_plan_path = repo / "samples" / "xa-mau-2026.json"
    page.set_input_files("#file-json", str(open_plan_path))
    page.wait_for_function("() => window.kehoach.plan.trich_yeu !== undefined && window.kehoach.renders > 0")
    units = out / "don-vi.csv"
    lines = (repo / "samples" / "don-vi-200.csv").read_text(encoding="utf-8-sig").splitlines()[:4]
    units.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.click("#tab-batch")
    page.set_input_files("#batch-file", str(units))
    page.click("#batch-run")
    page.locator("#batch-links a[href$='/zip']").wait_for(timeout=60000)
    rows = page.locator("#batch-table tbody tr.da_xuat").count()
    assert rows == 3, f"3 units made, the table shows {rows}"
    assert page.locator("#batch-links a[href$='/ban-xem']").count() == 1
    with page.expect_download() as d:
        page.click("#batch-links a[href$='/zip']")
    d.value.save_as(str(out / "hang-loat.zip"))
    page.screenshot(path=str(out / "serve-hang-loat.png"))

    # 9. "Mới": a new plan from the starter of the chosen regime.
    page.on("dialog", lambda d: d.accept())
    page.click("#tab-form")
    page.select_option("#new-regime", "hd05")
    page.click("#btn-new")
    page.wait_for_function("() => document.querySelector('#form [data-field=\"the_thuc\"]').value === 'hd05'", timeout=5000)
    assert "ĐẢNG" in page.locator("#form [data-field='co_quan_ban_hanh[0]'], #form [data-field='co_quan_ban_hanh']").first.input_value().upper()
    # Removing an item puts the focus on the item that took its place (not lost); removing the
    # last one, on its list's add button.
    n = page.locator("#form [data-node^='noi_dung['][data-node$=']']:not([data-node*='muc_con'])").count()
    page.locator("[data-node='noi_dung[0]'] > .node-head button[title='Xóa']").click()
    assert page.evaluate("() => document.activeElement.dataset.field || ''").startswith("noi_dung[0]")
    for _ in range(n - 1):
        page.locator("[data-node='noi_dung[0]'] > .node-head button[title='Xóa']").click()
    assert page.evaluate("() => document.activeElement.dataset.add") == "noi_dung"

    # At 1366x768 nothing runs off the side.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366

    # Keyboard: the tabs move with the arrow keys.
    page.locator("#tab-batch").focus()
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("() => document.activeElement.id") == "tab-json"

    assert not errors, f"errors in the page: {errors}"
    browser.close()
print(json.dumps(figures))
