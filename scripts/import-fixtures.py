#!/usr/bin/env python3
"""Makes the DOCX fixtures of `kehoach import` that kehoach did not write: each seed text of
tests/fixtures/seeds/ typed into Word the ways office staff type plans, with python-docx.

Kinds (file names `<seed>-<kind>.docx` in tests/fixtures/import/):

  go-tay     typed labels (I. 1. 1.1. - +); the header in a borderless 2x2 table; nơi nhận and the
             signature in a borderless two-column table.
  tu-dong    the same, but the labels are Word's automatic multi-level numbering (numbering.xml:
             I. / 1. / 1.1. / a) / - / +), not typed.
  tab        the header as paragraphs with tab stops (left block <tab> right block); nơi nhận and
             the signature as plain paragraphs one after the other, the signature indented and
             centred.

The header lines every extract lost (the bodies' names, quốc hiệu / Party title, and for seed 000 the
date and the signature) are filled in from samples/seed-*.json, as a Word user's file would have them.

Usage: scripts/import-fixtures.py [OUT_DIR]   (default: tests/fixtures/import)
Needs python-docx (pip install python-docx). The output is deterministic: the tests compare a fresh
run with the committed files part by part.
"""

import copy
import os
import re
import sys

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEEDS = os.path.join(ROOT, "tests", "fixtures", "seeds")

# What the extracts lost, as in samples/seed-*.json (there marked as assumed where the source lost it).
HEADERS = {
    "000": {
        "party": True,
        "chu_quan": ["ĐẢNG BỘ TỈNH BẾN TRE"],
        "ban_hanh": ["ĐẢNG ỦY KHỐI CƠ QUAN - DOANH NGHIỆP TỈNH"],
        "date": "Bến Tre, ngày 25 tháng 01 năm 2022",
        "signature": ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn Phúc"],
    },
    "002": {"party": False, "chu_quan": [], "ban_hanh": ["ỦY BAN NHÂN DÂN", "HUYỆN CHÂU THÀNH"]},
    "004": {"party": False, "chu_quan": ["UBND TỈNH HÀ TĨNH"], "ban_hanh": ["KHỐI KINH TẾ KỸ THUẬT"]},
}

FONT = "Times New Roman"


def read_seed(code):
    name = next(f for f in sorted(os.listdir(SEEDS)) if f.startswith(code + "_"))
    lines = []
    after_blank = False
    for raw in open(os.path.join(SEEDS, name), encoding="utf-8").read().split("\n"):
        line = raw.strip()
        if not line:
            after_blank = True
            continue
        # A sentence cut by a page break in the extract is one paragraph in Word.
        if lines and line[0].islower() and not re.search(r"[.:;!?)”\"]$", lines[-1]) and re.search(r"[a-zà-ỹđ]", lines[-1]):
            lines[-1] += " " + line
        else:
            lines.append(line)
        after_blank = False
    return lines


def split_seed(lines):
    """Header facts, title, body, nơi nhận and signature of a seed text."""
    so = date = None
    i = 0
    while i < len(lines) and not lines[i].startswith("KẾ HOẠCH"):
        if lines[i].startswith("Số"):
            so = lines[i]
        elif ", ngày " in lines[i]:
            date = lines[i]
        i += 1
    title = lines[i]
    i += 1
    trich_yeu = title[len("KẾ HOẠCH"):].strip().strip("*")
    if not trich_yeu:
        trich_yeu = lines[i]
        i += 1
    body = []
    while i < len(lines) and not lines[i].startswith("Nơi nhận"):
        body.append(lines[i])
        i += 1
    i += 1
    noi_nhan = []
    while i < len(lines):
        noi_nhan.append(lines[i])
        i += 1
        if noi_nhan[-1].lstrip("- ").startswith("Lưu"):
            break
    typist = None
    if i < len(lines) and lines[i].startswith("("):
        typist = lines[i]
        i += 1
    signature = [l.replace("**", "") for l in lines[i:]]
    return so, date, trich_yeu, body, noi_nhan, typist, signature


def runs(p, text, bold=False, italic=False, size=14):
    """Adds `text` with its *italic* / **bold** marks as runs."""
    for part in re.split(r"(\*\*\*[^*]+\*\*\*|\*\*[^*]+\*\*|\*[^*]+\*)", text):
        if not part:
            continue
        b, i, t = bold, italic, part
        if part.startswith("***") and part.endswith("***") and len(part) > 6:
            b, i, t = True, True, part[3:-3]
        elif part.startswith("**") and part.endswith("**") and len(part) > 4:
            b, t = True, part[2:-2]
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            i, t = True, part[1:-1]
        r = p.add_run(t)
        r.bold = b or None
        r.italic = i or None
        r.font.size = Pt(size)
        r.font.name = FONT


def para(doc_or_cell, text="", align=None, bold=False, italic=False, size=14, indent=None, before=0, after=0, underline=False):
    p = doc_or_cell.add_paragraph()
    f = p.paragraph_format
    f.space_before = Pt(before)
    f.space_after = Pt(after)
    if align is not None:
        p.alignment = align
    if indent is not None:
        f.first_line_indent = indent
    if text:
        runs(p, text, bold, italic, size)
        if underline:
            for r in p.runs:
                r.underline = True
    return p


def no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = parse_xml(
        "<w:tblBorders %s>%s</w:tblBorders>"
        % (nsdecls("w"), "".join('<w:%s w:val="nil"/>' % s for s in ["top", "left", "bottom", "right", "insideH", "insideV"]))
    )
    tbl_pr.append(borders)


def first_cell_paragraph(cell):
    # A new cell holds one empty paragraph; use it for the first line.
    return cell.paragraphs[0]


def cell_para(cell, text, **kw):
    p = cell.paragraphs[0] if not cell.paragraphs[0].text and not getattr(cell, "_used", False) else None
    cell._used = True
    if p is None:
        return para(cell, text, **kw)
    f = p.paragraph_format
    f.space_before = Pt(kw.get("before", 0))
    f.space_after = Pt(0)
    if kw.get("align") is not None:
        p.alignment = kw["align"]
    runs(p, text, kw.get("bold", False), kw.get("italic", False), kw.get("size", 14))
    if kw.get("underline"):
        for r in p.runs:
            r.underline = True
    return p


LABEL = [
    ("muc", re.compile(r"^([IVX]+)\.\s+(.*)$"), 0),
    ("tiet", re.compile(r"^(\d+\.\d+)\.\s+(.*)$"), 2),
    ("khoan", re.compile(r"^(\d+)\.\s+(.*)$"), 1),
    ("diem", re.compile(r"^([a-zđ])\)\s+(.*)$"), 3),
    ("gach", re.compile(r"^-\s+(.*)$"), 4),
    ("cong", re.compile(r"^\+\s+(.*)$"), 5),
]


def label_of(line):
    for kind, rx, level in LABEL:
        m = rx.match(line)
        if m:
            return kind, level, m.groups()[-1]
    return None, None, line


def is_title(text):
    plain = text.replace("*", "")
    return not re.search(r"[.;:!?…]$", plain) and len(plain.split()) <= 30


NUMBERING = """<w:abstractNum %s w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="720"/></w:pPr></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%%2."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="720"/></w:pPr></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%%2.%%3."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="720"/></w:pPr></w:lvl>
<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%%4)"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="720"/></w:pPr></w:lvl>
<w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="720"/></w:pPr><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/></w:rPr></w:lvl>
<w:lvl w:ilvl="5"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="+"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="720"/></w:pPr></w:lvl>
</w:abstractNum>"""


def add_numbering(doc):
    numbering = doc.part.numbering_part.element
    abstract = parse_xml(NUMBERING % nsdecls("w"))
    nums = numbering.findall(qn("w:num"))
    if nums:
        nums[0].addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml('<w:num %s w:numId="90"><w:abstractNumId w:val="90"/></w:num>' % nsdecls("w")))
    return 90


def set_num(p, num_id, level):
    ppr = p._p.get_or_add_pPr()
    ppr.insert(0, parse_xml('<w:numPr %s><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr>' % (nsdecls("w"), level, num_id)))


def new_document():
    doc = docx.Document()
    st = doc.styles["Normal"]
    st.font.name = FONT
    st.font.size = Pt(14)
    rpr = st.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    for k in ["w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"]:
        rfonts.set(qn(k), FONT)
    s = doc.sections[0]
    s.page_width, s.page_height = Cm(21), Cm(29.7)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Cm(2), Cm(2), Cm(3), Cm(1.5)
    return doc


def header_table(doc, h, so, date):
    t = doc.add_table(rows=2, cols=2)
    no_borders(t)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = t.cell(0, 0), t.cell(0, 1)
    C = WD_ALIGN_PARAGRAPH.CENTER
    for l in h["chu_quan"]:
        cell_para(left, l, align=C, size=13)
    for l in h["ban_hanh"]:
        cell_para(left, l, align=C, bold=True, size=13)
    if h["party"]:
        cell_para(left, "*", align=C, size=13)
        cell_para(right, "ĐẢNG CỘNG SẢN VIỆT NAM", align=C, bold=True, size=15, underline=True)
    else:
        cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align=C, bold=True, size=13)
        cell_para(right, "Độc lập - Tự do - Hạnh phúc", align=C, bold=True, size=14, underline=True)
    cell_para(t.cell(1, 0), so, align=C, size=13, before=6)
    cell_para(t.cell(1, 1), date, align=C, italic=True, size=14, before=6)


def header_tabs(doc, h, so, date):
    """Header lines as "left<tab>right" paragraphs with two centre tab stops."""
    left = list(h["chu_quan"]) + list(h["ban_hanh"]) + (["*"] if h["party"] else [])
    right = ["ĐẢNG CỘNG SẢN VIỆT NAM"] if h["party"] else ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    n = max(len(left), len(right))
    rows = [(left[k] if k < len(left) else "", right[k] if k < len(right) else "") for k in range(n)]
    rows.append((so, date))
    for k, (l, r) in enumerate(rows):
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(3.5), WD_TAB_ALIGNMENT.CENTER)
        p.paragraph_format.tab_stops.add_tab_stop(Cm(11.5), WD_TAB_ALIGNMENT.CENTER)
        last = k == len(rows) - 1
        lbold = l in h["ban_hanh"]
        r0 = p.add_run("\t" + l)
        r0.bold = lbold or None
        r0.font.size = Pt(13)
        r1 = p.add_run("\t" + r)
        r1.bold = (not last) or None
        r1.italic = last or None
        r1.font.size = Pt(14 if last else 13)


def write_body(doc, body, kind, num_id):
    J = WD_ALIGN_PARAGRAPH.JUSTIFY
    for line in body:
        label, level, rest = label_of(line)
        if label is None:
            italic = line.startswith("Căn cứ") and not HEAD["party"]
            para(doc, line, align=J, indent=Cm(1.27), italic=italic, after=6)
            continue
        title = label == "muc" or (label in ("khoan", "tiet") and is_title(rest))
        bold = title
        italic = title and label == "tiet"
        text = line if kind != "tu-dong" else rest
        p = para(doc, text, align=J, indent=Cm(1.27), bold=bold, italic=italic, after=6)
        if kind == "tu-dong":
            set_num(p, num_id, level)


def write_tail(doc, noi_nhan, typist, signature, kind):
    C = WD_ALIGN_PARAGRAPH.CENTER
    sig = signature
    if kind == "tab":
        para(doc, "Nơi nhận:", bold=True, italic=True, size=12, before=12)
        for l in noi_nhan:
            para(doc, l, size=11)
        if typist:
            para(doc, typist, size=11, before=6)
        for k, l in enumerate(sig):
            name = k == len(sig) - 1 or (k > 0 and not l.isupper())
            p = para(doc, l, align=C, bold=True, size=14, before=48 if name and k == len(sig) - 1 and len(sig) > 1 else 0)
            p.paragraph_format.left_indent = Cm(8)
        return
    t = doc.add_table(rows=1, cols=2)
    no_borders(t)
    left, right = t.cell(0, 0), t.cell(0, 1)
    cell_para(left, "Nơi nhận:", bold=True, italic=True, size=12, before=12)
    for l in noi_nhan:
        cell_para(left, l, size=11)
    if typist:
        cell_para(left, typist, size=11, before=6)
    names_at = next((k for k, l in enumerate(sig) if not l.isupper()), len(sig))
    for k, l in enumerate(sig):
        cell_para(right, l, align=C, bold=True, size=14, before=60 if k == names_at else (12 if k == 0 else 0))


def make(code, kind, out_dir):
    global HEAD
    HEAD = HEADERS[code]
    lines = read_seed(code)
    so, date, trich_yeu, body, noi_nhan, typist, signature = split_seed(lines)
    date = date or HEAD.get("date")
    signature = signature or HEAD.get("signature", [])
    doc = new_document()
    num_id = add_numbering(doc) if kind == "tu-dong" else None
    if kind == "tab":
        header_tabs(doc, HEAD, so, date)
    else:
        header_table(doc, HEAD, so, date)
    C = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "KẾ HOẠCH", align=C, bold=True, size=14 if not HEAD["party"] else 16, before=18)
    para(doc, trich_yeu, align=C, bold=True, size=14)
    if HEAD["party"]:
        para(doc, "-----", align=C)
    write_body(doc, body, kind, num_id)
    write_tail(doc, noi_nhan, typist, signature, kind)
    # Fixed document properties: the same input gives the same package.
    cp = doc.core_properties
    cp.author = "Văn phòng"
    cp.title = "Kế hoạch"
    cp.last_modified_by = "Văn phòng"
    cp.revision = 1
    import datetime

    cp.created = cp.modified = datetime.datetime(2022, 1, 1)
    path = os.path.join(out_dir, "%s-%s.docx" % (code, kind))
    doc.save(path)
    return path


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "fixtures", "import")
    os.makedirs(out_dir, exist_ok=True)
    for code in sorted(HEADERS):
        for kind in ["go-tay", "tu-dong", "tab"]:
            print(make(code, kind, out_dir))


if __name__ == "__main__":
    main()
