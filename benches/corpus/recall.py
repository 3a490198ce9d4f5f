#!/usr/bin/env python3
"""Recall of leakscan over the real-producer corpus (issue 13).

    recall.py BINARY OUTDIR [--json FILE] [--extract-only]

For every file in OUTDIR/manifest.json (written by gen.py):
1. the format's own reference tool extracts its text (`pdftotext -layout`
   for PDF; pandas/xlrd/odfpy for spreadsheets; python-docx/python-pptx;
   `soffice --convert-to txt` for doc/odt/rtf and `--convert-to pdf` +
   pdftotext for ppt/odp; an HTML parser; `7z x` for archives, members
   extracted the same way; Python's sqlite3 for SQLite; the bytes for text);
   a planted value is *extractable* when it is in that text (digits of a
   number may be split by up to 6 non-alphanumeric characters, as a form
   with one digit per box comes out; a My Number that lost its leading
   zeros in a numeric column counts, as `lost_zero`, since leakscan is to
   restore it);
2. leakscan scans the file (`scan --no-config --show-secrets --format jsonl
   --min-confidence low`); a finding matches a planted value when the digits
   of its `secret` are the value's (or the value without its leading zeros),
   or, for a password, when the secret contains it.

Prints a table per producer x format and totals: planted, extractable,
found at the default confidence (medium+) and at low, recall of the
extractable values, precision (findings whose value is planted and not a
decoy, over all findings), decoys reported, gaps (skipped/error records),
and `silent` (extractable values missed in a file with no gap: a broken
fail-closed promise). With --json, the same as JSON. Secrets stay in
memory: nothing raw is printed.
"""

import html.parser
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import warnings
from collections import defaultdict

warnings.filterwarnings("ignore")  # pandas' notice that its xlrd engine is deprecated

NUMERIC = {"my_number", "corporate_number", "card", "decoy_bad_check"}
DEFAULT_CONF = {"medium", "high"}


# ------------------------------------------------------------ reference text


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        self.parts.append("\n" if tag in ("tr", "p", "br", "div", "h1", "h2", "li") else "\t")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(path):
    raw = open(path, "rb").read()
    m = re.search(rb'charset="?([A-Za-z0-9_-]+)', raw[:4096])
    enc = m.group(1).decode() if m else "utf-8"
    p = _Text()
    p.feed(raw.decode(enc, "replace"))
    return "".join(p.parts)


def pdf_text(path):
    r = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, timeout=120)
    return r.stdout.decode("utf-8", "replace")


def sheet_text(path):
    import pandas as pd
    books = pd.read_excel(path, sheet_name=None, header=None, dtype=str)
    out = []
    for name, df in books.items():
        out.append(name)
        for row in df.itertuples(index=False):
            out.append("\t".join("" if (isinstance(c, float) or c is None) else str(c) for c in row))
    return "\n".join(out)


def docx_text(path):
    import docx
    d = docx.Document(path)
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            out.append("\t".join(c.text for c in row.cells))
    return "\n".join(out)


def pptx_text(path):
    from pptx import Presentation
    out = []
    for slide in Presentation(path).slides:
        for sh in slide.shapes:
            if sh.has_text_frame:
                out.append(sh.text_frame.text)
            if getattr(sh, "has_table", False) and sh.has_table:
                for row in sh.table.rows:
                    out.append("\t".join(c.text for c in row.cells))
    return "\n".join(out)


def soffice_text(path, target):
    """LibreOffice's own reading of a legacy or ODF document: to text, or to
    PDF and then pdftotext (Impress has no text export)."""
    tmp = tempfile.mkdtemp()
    profile = os.path.join(tempfile.gettempdir(), "corpus-lo-profile-recall")
    filt = "txt:Text (encoded):UTF8" if target == "txt" else "pdf"
    subprocess.run(["soffice", "-env:UserInstallation=file://" + profile, "--headless", "--convert-to", filt,
                    "--outdir", tmp, path], capture_output=True, timeout=180)
    got = [os.path.join(tmp, f) for f in os.listdir(tmp)]
    text = ""
    if got:
        text = pdf_text(got[0]) if target == "pdf" else open(got[0], encoding="utf-8", errors="replace").read()
    shutil.rmtree(tmp)
    return text


def sqlite_text(path):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    out = []
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
        cur = db.execute('SELECT * FROM "%s"' % name)
        out.append("\t".join(d[0] for d in cur.description))
        out += ["\t".join("" if c is None else str(c) for c in r) for r in cur]
    db.close()
    return "\n".join(out)


def archive_text(path):
    tmp = tempfile.mkdtemp()
    subprocess.run(["7z", "x", "-y", "-bd", "-o" + tmp, path], capture_output=True, timeout=120)
    out = []
    for root, _, files in os.walk(tmp):
        for f in sorted(files):
            out.append(reference_text(os.path.join(root, f)))
    shutil.rmtree(tmp)
    return "\n".join(out)


def reference_text(path):
    ext = path.rsplit(".", 1)[-1].lower()
    if ext == "pdf":
        return pdf_text(path)
    if ext in ("xlsx", "xls", "ods"):
        return sheet_text(path)
    if ext == "docx":
        return docx_text(path)
    if ext == "pptx":
        return pptx_text(path)
    if ext in ("doc", "odt", "rtf"):
        return soffice_text(path, "txt")
    if ext in ("ppt", "odp"):
        return soffice_text(path, "pdf")
    if ext in ("html", "htm"):
        return html_text(path)
    if ext == "sqlite":
        return sqlite_text(path)
    if ext in ("7z", "zip"):
        return archive_text(path)
    return open(path, "rb").read().decode("utf-8", "replace")


def digits_pattern(digits):
    return re.compile(r"(?<![0-9])" + r"[^0-9A-Za-z]{0,6}".join(digits) + r"(?![0-9])")


def extractable(text, value, kind):
    """'yes', 'lost_zero' or ''."""
    if kind not in NUMERIC:
        return "yes" if value in text else ""
    if digits_pattern(value).search(text):
        return "yes"
    stripped = value.lstrip("0")
    if kind == "my_number" and stripped != value and digits_pattern(stripped).search(text):
        return "lost_zero"
    return ""


# ------------------------------------------------------------ leakscan


def scan(binary, path):
    """Exit code (-1 after 300 s, killed) and the JSONL records of one scan."""
    try:
        r = subprocess.run([binary, "scan", "--no-config", "--show-secrets", "--format", "jsonl",
                            "--min-confidence", "low", "-q", path],
                           capture_output=True, timeout=300)
    except subprocess.TimeoutExpired:
        return -1, []
    recs = []
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        try:
            recs.append(json.loads(line))
        except ValueError:
            pass
    return r.returncode, recs


def match(secret, values):
    """Index of the planted value a finding's secret is, or None."""
    digits = re.sub(r"[^0-9]", "", secret or "")
    for i, (v, kind) in enumerate(values):
        if kind in NUMERIC:
            if digits and (digits == v or (kind == "my_number" and digits == v.lstrip("0"))):
                return i
        elif secret and v in secret:
            return i
    return None


def measure(binary, out, rel, entry):
    path = os.path.join(out, rel)
    values = [(x["value"], x["kind"]) for x in entry["values"]]
    text = reference_text(path)
    ext = [extractable(text, v, k) for v, k in values]
    code, recs = scan(binary, path)
    found_low, found_default, decoys = set(), set(), set()
    findings = fp = 0
    fp_rules = defaultdict(int)
    gaps = []
    for r in recs:
        t = r.get("type")
        if t in ("skipped", "error"):
            gaps.append(r.get("reason") or r.get("kind") or t)
        if t != "finding":
            continue
        findings += 1
        i = match(r.get("secret"), values)
        if i is None or values[i][1] == "decoy_bad_check":
            fp += 1
            fp_rules[r.get("rule_id")] += 1
            if i is not None:
                decoys.add(i)
            continue
        found_low.add(i)
        if r.get("confidence") in DEFAULT_CONF:
            found_default.add(i)
    if code not in (0, 1, 3):  # a crash or a hang: no promise kept, not a gap
        print("%s: leakscan exit code %d" % (rel, code), file=sys.stderr)
    real = [i for i, (_, k) in enumerate(values) if k != "decoy_bad_check"]
    extr = [i for i in real if ext[i]]
    missed = [i for i in extr if i not in found_low]
    return {
        "file": rel, "producer": entry["producer"], "format": entry["format"], "exit": code,
        "planted": len(real), "extractable": len(extr),
        "lost_zero": sum(1 for i in real if ext[i] == "lost_zero"),
        "found_default": len([i for i in extr if i in found_default]),
        "found_low": len([i for i in extr if i in found_low]),
        "found_any": len(found_low),
        "findings": findings, "false_positives": fp, "fp_rules": dict(fp_rules),
        "decoys_reported": len(decoys), "gaps": len(gaps), "gap_reasons": sorted(set(gaps)),
        "silent": len(missed) if not gaps else 0,
        "missed_kinds": sorted({values[i][1] for i in missed}),
        "extractable_flags": ext,
    }


def ratio(a, b):
    return "%.2f" % (a / b) if b else "-"


def row(name, rs):
    s = lambda k: sum(r[k] for r in rs)
    prec = ratio(s("findings") - s("false_positives"), s("findings"))
    return "| %s | %d | %d | %d | %d | %s | %s | %s | %d | %d | %d |" % (
        name, s("planted"), s("extractable"), s("found_default"), s("found_low"),
        ratio(s("found_default"), s("extractable")), ratio(s("found_low"), s("extractable")), prec,
        s("decoys_reported"), s("gaps"), s("silent"))


HEADER = ("| %s | planted | extractable | found (default) | found (low) | recall (default) | recall (low) "
          "| precision | decoys reported | gaps | silent misses |\n|---|---|---|---|---|---|---|---|---|---|---|")


def main():
    args = sys.argv[1:]
    json_out = None
    if "--json" in args:
        k = args.index("--json")
        json_out = args[k + 1]
        del args[k:k + 2]
    binary, out = os.path.abspath(args[0]), os.path.abspath(args[1])
    manifest = json.load(open(os.path.join(out, "manifest.json")))
    results = []
    for rel in sorted(manifest["files"]):
        r = measure(binary, out, rel, manifest["files"][rel])
        results.append(r)
        print("%-36s planted %2d extractable %2d found %2d/%2d fp %d decoys %d gaps %d %s" % (
            rel, r["planted"], r["extractable"], r["found_default"], r["found_low"], r["false_positives"],
            r["decoys_reported"], r["gaps"], ",".join(r["gap_reasons"])), file=sys.stderr)
    print(HEADER % "producer / format")
    for r in results:
        print(row("%s %s (%s)" % (r["producer"], r["format"], r["file"].split("/", 1)[1]), [r]) +
              ("" if not r["gap_reasons"] else " " + ", ".join(r["gap_reasons"])))
    print()
    print(HEADER % "format")
    by_fmt = defaultdict(list)
    for r in results:
        by_fmt[r["format"]].append(r)
    for f in sorted(by_fmt):
        print(row(f, by_fmt[f]))
    print(row("**total**", results))
    if json_out:
        with open(json_out, "w") as f:
            json.dump({"files": results, "failed_producers": manifest.get("failed", {})}, f, indent=1)


if __name__ == "__main__":
    main()
