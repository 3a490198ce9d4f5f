#!/usr/bin/env python3
"""Copies small real-producer files from a corpus into the test fixtures.

    fixtures.py CORPUS [DEST=tests/fixtures/producers] [--max-kb 110]

One file per producer x format (the first in name order), skipping files over
--max-kb (the Chromium and WeasyPrint PDFs with their CJK fonts and
LibreOffice's .ppt are a few hundred KB: they stay in the corpus only).
Writes DEST/manifest.json: the planted values once (value, kind), and per
fixture its producer, format, the values it holds (indices), and which of
them the format's reference tool cannot extract (`not_extractable`) or
extracts only without their leading zeros (`lost_zero`), as recall.py
decides. tests/producers.rs reads it. Synthetic values only.
"""

import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import recall  # noqa: E402


def main():
    args = sys.argv[1:]
    max_kb = 110
    if "--max-kb" in args:
        k = args.index("--max-kb")
        max_kb = int(args[k + 1])
        del args[k:k + 2]
    corpus = os.path.abspath(args[0])
    dest = os.path.abspath(args[1] if len(args) > 1 else "tests/fixtures/producers")
    manifest = json.load(open(os.path.join(corpus, "manifest.json")))
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    values, index = [], {}
    files, seen, left = {}, set(), []
    for rel in sorted(manifest["files"]):
        e = manifest["files"][rel]
        key = (e["producer"], e["format"], os.path.basename(rel).split("-")[-1] if e["producer"] in ("p7zip", "qpdf", "ghostscript", "pg-dump", "chromium", "weasyprint") else "")
        path = os.path.join(corpus, rel)
        size = os.path.getsize(path)
        if key in seen:
            continue
        if size > max_kb * 1024:
            left.append("%s (%d KB)" % (rel, size // 1024))
            continue
        seen.add(key)
        text = recall.reference_text(path)
        held, not_ext, lost = [], [], []
        for x in e["values"]:
            v = (x["value"], x["kind"])
            if v not in index:
                index[v] = len(values)
                values.append({"value": v[0], "kind": v[1]})
            i = index[v]
            held.append(i)
            how = recall.extractable(text, v[0], v[1])
            if not how:
                not_ext.append(i)
            elif how == "lost_zero":
                lost.append(i)
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        shutil.copy(path, os.path.join(dest, rel))
        files[rel] = {"producer": e["producer"], "format": e["format"], "values": held,
                      "not_extractable": not_ext, "lost_zero": lost}
    with open(os.path.join(dest, "manifest.json"), "w") as f:
        json.dump({"generator": "benches/corpus/make.sh + fixtures.py (seeded: model.SEED)",
                   "values": values, "files": files}, f, ensure_ascii=False, indent=1, sort_keys=True)
    total = sum(os.path.getsize(os.path.join(dest, r)) for r in files)
    print("%d fixtures, %d KB; left out (too big): %s" % (len(files), total // 1024, ", ".join(left) or "none"),
          file=sys.stderr)


if __name__ == "__main__":
    main()
