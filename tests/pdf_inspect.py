#!/usr/bin/env python3
"""Dumps the text lines and drawn lines of a PDF as JSON, read by pdfplumber (not by our code):
each text line with its page, baseline (pt from the top), x0/x1, font size, font names and text;
each drawn line with its page, coordinates and width; each drawn curve (a path of more than one
segment) with its page and bounding box; each annotation with its page, rectangle (pt
from the top), subtype, field type and field name. Given a signing boxes file (kehoach render
--sign-boxes) as a second argument, also the text drawn inside each of its boxes ("in_boxes": the
characters whose centre lies inside). Used by tests/pdf.rs and tests/pdf_sign.rs."""
import json, sys, collections
import pdfplumber

def name(v):
    """A PDF name or string as text."""
    v = getattr(v, "name", v)
    if isinstance(v, bytes):
        v = v.decode("utf-16") if v.startswith(b"\xfe\xff") else v.decode("latin-1")
    return v

out = {"lines": [], "rules": [], "curves": [], "annots": []}
with pdfplumber.open(sys.argv[1]) as pdf:
    for pno, page in enumerate(pdf.pages, start=1):
        rows = collections.defaultdict(list)
        for ch in page.chars:
            rows[round(page.height - ch["matrix"][5], 1)].append(ch)
        for base, chs in sorted(rows.items()):
            chs.sort(key=lambda c: c["x0"])
            # Split a row into runs where the gap is large (two table columns on one baseline).
            runs, cur = [], [chs[0]]
            for a, b in zip(chs, chs[1:]):
                if b["x0"] - a["x1"] > 20:
                    runs.append(cur); cur = []
                cur.append(b)
            runs.append(cur)
            for r in runs:
                out["lines"].append({
                    "page": pno, "baseline": base, "x0": r[0]["x0"], "x1": r[-1]["x1"],
                    "size": round(r[0]["size"], 2),
                    "fonts": sorted({c["fontname"].split("+")[-1] for c in r if c["text"].strip()}),
                    "text": "".join(c["text"] for c in r),
                })
        for ln in page.lines:
            out["rules"].append({"page": pno, "x0": ln["x0"], "x1": ln["x1"], "top": ln["top"], "bottom": ln["bottom"], "width": ln.get("linewidth", 0)})
        for c in page.curves:
            out["curves"].append({"page": pno, "x0": c["x0"], "x1": c["x1"], "top": c["top"], "bottom": c["bottom"]})
        for a in page.annots:
            d = a.get("data") or {}
            out["annots"].append({"page": pno, "x0": a["x0"], "x1": a["x1"], "top": a["top"], "bottom": a["bottom"],
                                  "subtype": name(d.get("Subtype")), "ft": name(d.get("FT")), "t": name(d.get("T"))})
    if len(sys.argv) > 2:
        boxes = json.load(open(sys.argv[2], encoding="utf-8"))
        found = []
        def text_in(key, r, page_no):
            page = pdf.pages[page_no - 1]
            top, bottom = page.height - r["y1"], page.height - r["y0"]
            inside = [c for c in page.chars
                      if r["x0"] <= (c["x0"] + c["x1"]) / 2 <= r["x1"] and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
            inside.sort(key=lambda c: (round(c["top"]), c["x0"]))
            found.append({"box": key, "page": page_no, "text": "".join(c["text"] for c in inside)})
        for key in ["chu_ky", "con_dau", "so", "ngay"]:
            r = boxes[key]
            text_in(key, r, r["trang"])
            for b in r.get("cho_trong", []):
                text_in(key + "." + b["phan"], b, r["trang"])
        out["in_boxes"] = found
json.dump(out, sys.stdout, ensure_ascii=False)
