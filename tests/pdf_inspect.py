#!/usr/bin/env python3
"""Dumps the text lines and drawn lines of a PDF as JSON, read by pdfplumber (not by our code):
each text line with its page, baseline (pt from the top), x0/x1, font size, font names and text;
each drawn line with its page, coordinates and width. Used by tests/pdf.rs."""
import json, sys, collections
import pdfplumber

out = {"lines": [], "rules": []}
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
json.dump(out, sys.stdout, ensure_ascii=False)
