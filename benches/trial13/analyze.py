"""Scores a `leakscan scan --format jsonl --min-confidence low out` run against
manifest.json (both in the current directory), per file and per producer.

Usage: python3 analyze.py scan.jsonl

A planted value counts as found when a finding of its category ends with its last
four digits (a credential: starts with its first three characters). For a PDF,
recall is counted against what `pdftotext` extracts (issue 13's definition): a
value is extractable when it appears in pdftotext's text with whitespace and
hyphens removed (fullwidth digits folded). Precision counts every distinct
finding that is not a planted value as a false positive (a decoy 社員番号 that
passes the check digit, or a planted bad check digit, included).
"""
import collections
import json
import os
import re
import subprocess
import sys
import unicodedata

man = json.load(open('manifest.json'))
# (producer group, file-name pattern); the first match wins. `*` groups are
# listed but left out of the totals.
GROUPS = [
    ('LibreOffice Calc PDF*', r'^hr_book\.lo\.pdf$'),
    ('openpyxl .xlsx (4 sheets)', r'^hr_book\.xlsx$'),
    ('LibreOffice Calc .xls/.ods/.xlsx', r'^hr_book\.(xls|ods|lo\.xlsx)$'),
    ('LibreOffice Calc .html', r'^hr_book\.html$'),
    ('pandas .csv UTF-8 / CP932 / .xlsx', r'^(hr_csv(_sjis)?\.csv|hr_pandas\.xlsx)$'),
    ('7z LZMA2, zip Deflate64/BZip2/Deflate, tar.gz, rar', r'^hr_csv\..*(7z|zip|tar\.gz|rar)$'),
    ('python-docx .docx', r'^hr_doc\.docx$'),
    ('LibreOffice Writer .odt/.rtf', r'^hr_doc\.(odt|rtf)$'),
    ('LibreOffice Writer .doc', r'^hr_doc\.doc$'),
    ('LibreOffice Writer PDF (+qpdf AES-256)', r'^hr_doc\..*pdf$'),
    ('pandoc gfm .md (from docx, html)', r'^hr_(doc|html)\.md$'),
    ('pandoc .docx/.odt/.rtf (from html)', r'^hr_html\.pandoc\.'),
    ('hand-written .html', r'^hr_html\.html$'),
    ('Chromium print-to-pdf', r'^hr_html\.chromium\.pdf$'),
    ('wkhtmltopdf', r'^hr_html\.wkhtmltopdf\.pdf$'),
    ('WeasyPrint', r'^hr_html\.weasyprint\.pdf$'),
    ('reportlab (+qpdf RC4)', r'^hr_rl\.'),
    ('python-pptx .pptx; LO .ppt/.odp', r'^hr_slides\.(pptx|ppt|odp)$'),
    ('LibreOffice Impress PDF', r'^hr_slides\.pdf$'),
    ('SQLite; sqlite3 .dump', r'^hr_db\.'),
    ('pg_dump (COPY)', r'^hr_pg\.'),
    ('mysqldump-style (INSERT)', r'^hr_my\.'),
]


def group(f):
    for g, pat in GROUPS:
        if re.search(pat, f):
            return g
    return 'other'


def src(p):
    b = os.path.basename(p)
    if b.startswith('hr_pandas'):
        return 'hr_csv'
    for k in sorted(man, key=len, reverse=True):
        if b.startswith(k):
            return k


def key(kind, v):
    return v[:3] if kind == 'credential' else v[-4:]


def pdf_text(path):
    """pdftotext's text, whitespace and hyphens removed, NFKC-folded."""
    try:
        t = subprocess.run(['pdftotext', '-q', path, '-'], capture_output=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    t = unicodedata.normalize('NFKC', t.decode('utf-8', 'replace'))
    return re.sub(r'[\s\-]', '', t)


recs = [json.loads(line) for line in open(sys.argv[1])]
F = collections.defaultdict(list)
gaps = collections.defaultdict(list)
for r in recs:
    base = os.path.basename(r.get('path', ''))
    if r['type'] == 'finding':
        F[base].append(r)
    elif r['type'] != 'summary':
        gaps[base].append(r)
rank = {'low': 0, 'medium': 1, 'high': 2}


def rkey(r):
    red = r['redacted']
    if r['category'] == 'credential':
        pre = red.split('*')[0]
        for p in man[src(r['path'])]:
            if p['kind'] == 'credential' and pre and p['value'].startswith(pre):
                return p['value'][:3]
        return red
    return red[-4:]


files = sorted(os.listdir('out'))
G = collections.defaultdict(collections.Counter)
pdf_misses = []
print(f"{'file':30} {'plant':>5} {'extr':>4} {'def':>4} {'low':>4} {'dec@def':>7} {'extra':>5} gaps  missed (kind:last4/prefix)")
for f in files:
    P = man[src(f)]
    got = {}
    for r in F[f]:
        k = (r['category'], rkey(r))
        got[k] = max(got.get(k, -1), rank[r['confidence']])
    conf = lambda p: got.get((p['kind'], key(p['kind'], p['value'])), -1)
    plant = [p for p in P if not p['decoy']]
    text = pdf_text(os.path.join('out', f)) if f.endswith('.pdf') else None
    if text is not None:
        extr = [p for p in plant if unicodedata.normalize('NFKC', p['value']) in text]
    else:
        extr = plant
    true = {(p['kind'], key(p['kind'], p['value'])) for p in plant}
    badc = {(p['kind'], key(p['kind'], p['value'])) for p in P if p['decoy'] == 'badcheck'}
    c = G[group(f)]
    c['files'] += 1
    c['plant'] += len(plant)
    c['extr'] += len(extr)
    c['def'] += sum(1 for p in extr if conf(p) >= 1)
    c['low'] += sum(1 for p in extr if conf(p) >= 0)
    c['found_not_extr'] += sum(1 for p in plant if p not in extr and conf(p) >= 0)
    c['gaps'] += len(gaps[f])
    c['silent'] += 0 if gaps[f] else sum(1 for p in extr if conf(p) < 0)
    for k, v in got.items():
        if k not in true:
            c['fp_low'] += 1
            c['fp_def'] += v >= 1
        else:
            c['tp_low'] += 1
            c['tp_def'] += v >= 1
        c['badcheck'] += k in badc
    dd = [p for p in P if p['decoy'] and conf(p) >= 1]
    extra = [k for k in got if k not in true]
    missed = [f"{p['kind'][:2]}:{key(p['kind'], p['value'])}" for p in extr if conf(p) < 0]
    lowonly = [f"{p['kind'][:2]}:{key(p['kind'], p['value'])}" for p in extr if conf(p) == 0]
    notx = [f"{p['kind'][:2]}:{key(p['kind'], p['value'])}" for p in plant if p not in extr]
    print(f"{f:30} {len(plant):5} {len(extr):4} {sum(1 for p in extr if conf(p) >= 1):4} "
          f"{sum(1 for p in extr if conf(p) >= 0):4} {len(dd):7} {len(extra):5} {len(gaps[f]):4}  "
          f"miss={missed} lowonly={lowonly} not-in-pdftotext={notx} "
          f"decoy@def={[p['decoy'] + ':' + p['value'][-4:] for p in dd]} extra={extra}")
    for r in gaps[f]:
        print(f"{'':30} gap: {r.get('type')} {r.get('reason')}")

print()
print('PDF values: recall counted against pdftotext; "extr" = values pdftotext extracts')
hdr = f"{'producer / format':48} {'files':>5} {'plant':>5} {'extr':>5} {'def':>4} {'low':>4} {'R@def':>5} {'R@low':>5} {'FP@def':>6} {'FP@low':>6} {'gaps':>4} {'silent':>6}"
print(hdr)
tot = collections.Counter()
for g, _ in GROUPS:
    c = G.get(g)
    if not c:
        continue
    r = lambda n: f"{n / c['extr']:.2f}" if c['extr'] else '-'
    print(f"{g:48} {c['files']:5} {c['plant']:5} {c['extr']:5} {c['def']:4} {c['low']:4} {r(c['def']):>5} "
          f"{r(c['low']):>5} {c['fp_def']:6} {c['fp_low']:6} {c['gaps']:4} {c['silent']:6}")
    if not g.endswith('*'):
        tot.update(c)
pr = lambda tp, fp: f"{tp / (tp + fp):.3f}" if tp + fp else '-'
print(f"{'total excl. *':48} {tot['files']:5} {tot['plant']:5} {tot['extr']:5} {tot['def']:4} {tot['low']:4} "
      f"{tot['def'] / tot['extr']:5.3f} {tot['low'] / tot['extr']:5.3f} {tot['fp_def']:6} {tot['fp_low']:6} "
      f"{tot['gaps']:4} {tot['silent']:6}")
print(f"precision at default {pr(tot['tp_def'], tot['fp_def'])}, with --min-confidence low "
      f"{pr(tot['tp_low'], tot['fp_low'])}; planted bad check digits reported: {tot['badcheck']}")
