"""Typst side of the batch comparison (benches/batch.rs): every unit's plan as a PDF, laid out by
benches/typst/ke-hoach.typ with the PyPI `typst` package, in PROCS processes, each with one
compiler reused for all its units (the fastest way the package offers), PDFs written to OUT.

usage: run.py PLAN.json UNITS.csv OUT PROCS   (prints the seconds taken)
"""
import csv, json, multiprocessing, os, re, sys, time
import typst

HERE = os.path.dirname(os.path.abspath(__file__))
FONTS = os.path.join(HERE, "..", "..", "fonts")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def fill(text, unit):
    def one(m):
        v = unit.get(m.group(1), "")
        return v.upper() if m.group(2) else v
    return re.sub(r"\{\{\s*don_vi\.([a-z_]+)\s*(\|\s*hoa\s*)?\}\}", one, text)


def body(plan, unit):
    out = []
    def texts(v):
        return v if isinstance(v, list) else [v]
    def node(n, depth, i):
        if isinstance(n, str):
            out.append({"k": "p", "t": "- " + fill(n, unit)})
            return
        kind = n.get("kieu", "diem")
        head = n.get("tieu_de")
        if head:
            num = {"muc": ROMAN[i] + ". ", "khoan": f"{i + 1}. "}.get(kind, "")
            out.append({"k": kind, "t": num + fill(head, unit)})
        for t in texts(n.get("van_ban", [])):
            out.append({"k": "p", "t": ("" if head else "- ") + fill(t, unit)})
        for j, c in enumerate(n.get("muc_con", [])):
            node(c, depth + 1, j)
    out.append({"k": "p", "t": fill(plan["mo_dau"], unit)})
    for i, m in enumerate(plan["noi_dung"]):
        node(m, 0, i)
    out.append({"k": "p", "t": fill(plan["ket_thuc"], unit) + "./."})
    return out


def unit_plan(plan, unit):
    y, m, d = (unit.get("ngay") or plan["ngay"]).split("-")
    signer = plan["nguoi_ky"]
    recipients = []
    for r in plan["noi_nhan"]["muc"]:
        if isinstance(r, dict):
            recipients.append("- " + ", ".join(fill(x, unit) for x in r["muc"]) + " (" + r["ghi_chu"] + ");")
        else:
            recipients.append("- " + fill(r, unit) + ";")
    recipients.append("- Lưu: VT.")
    return {
        "chu_quan": fill(plan["co_quan_chu_quan"], unit),
        "ban_hanh": [fill(x, unit) for x in plan["co_quan_ban_hanh"]],
        "so": unit.get("so") or str(plan["so"]),
        "ky_hieu": plan["ky_hieu"],
        "dia_danh": unit.get("dia_danh") or plan["dia_danh"],
        "ngay": f"ngày {d} tháng {m} năm {y}",
        "trich_yeu": plan["trich_yeu"],
        "can_cu": [fill(c, unit) + ";" for c in plan["can_cu"]],
        "than": body(plan, unit),
        "noi_nhan": recipients,
        "quyen_han": [q["loai"].upper() + ". " + q["ten"] for q in signer["quyen_han"]],
        "chuc_vu": signer["chuc_vu"],
        "ho_ten": unit.get("nguoi_ky.ho_ten") or signer["ho_ten"],
    }


def work(args):
    plan, units, out, start = args
    compiler = typst.Compiler(os.path.join(HERE, "ke-hoach.typ"), font_paths=[FONTS], ignore_system_fonts=True)
    for k, unit in enumerate(units):
        data = json.dumps(unit_plan(plan, unit), ensure_ascii=False)
        compiler.compile(output=os.path.join(out, f"{start + k:05}.pdf"), format="pdf", sys_inputs={"plan": data})
    return len(units)


def main():
    plan_path, units_path, out, procs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    plan = json.load(open(plan_path, encoding="utf-8"))
    units = list(csv.DictReader(open(units_path, encoding="utf-8-sig")))
    os.makedirs(out, exist_ok=True)
    size = (len(units) + procs - 1) // procs
    jobs = [(plan, units[i:i + size], out, i) for i in range(0, len(units), size)]
    t = time.perf_counter()
    with multiprocessing.Pool(procs) as pool:
        done = sum(pool.map(work, jobs))
    assert done == len(units)
    print(f"{time.perf_counter() - t:.3f}")


if __name__ == "__main__":
    main()
