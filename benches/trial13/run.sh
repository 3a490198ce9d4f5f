#!/usr/bin/env bash
# Re-runs the second fresh-eyes trial of issue 13: installs the real producers,
# writes the source documents (make.py), converts them with each producer,
# scans the result with the release binary and prints the per-producer table
# (analyze.py). Not part of `cargo test`: the producers are big.
#
# Usage: bash benches/trial13/run.sh [WORK]   (WORK defaults to /tmp/trial13-run)
# Env:   CARGO_TARGET_DIR (default target), SKIP_INSTALL=1 to use what is installed,
#        LEAKSCAN=path to use a built binary instead of `cargo build --release`.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${1:-/tmp/trial13-run}
TGT=${CARGO_TARGET_DIR:-$ROOT/target}

apt_install() {
  # another apt may hold the dpkg lock: wait for it, never remove it
  for _ in $(seq 1 40); do
    if apt-get install -y -qq "$@" >/dev/null 2>&1; then return 0; fi
    sleep 30
  done
  echo "apt-get install $* failed" >&2
  return 1
}

if [ "${SKIP_INSTALL:-0}" != 1 ]; then
  need=()
  for p in libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui \
    chromium wkhtmltopdf weasyprint pandoc qpdf p7zip-full poppler-utils \
    fonts-noto-cjk fonts-ipafont sqlite3 zip postgresql; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  [ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
  python3 -c 'import openpyxl, docx, pptx, reportlab, pandas, xlwt, pikepdf' 2>/dev/null ||
    pip install -q openpyxl python-docx python-pptx reportlab pandas xlwt pikepdf
fi

if [ -z "${LEAKSCAN:-}" ]; then
  (cd "$ROOT" && cargo build --release --locked -q)
  LEAKSCAN=$TGT/release/leakscan
fi

rm -rf "$WORK"
mkdir -p "$WORK/src" "$WORK/out" "$WORK/tmp"
cd "$WORK"
OUT=$WORK/src python3 "$HERE/make.py" >/dev/null
S=$WORK/src O=$WORK/out T=$WORK/tmp
export HOME=$T # LibreOffice and Chromium write their profiles here

# soffice FILE FILTER NAME: convert FILE with LibreOffice, save as out/NAME
soffice_to() {
  rm -rf "$T/lo" && mkdir -p "$T/lo"
  soffice --headless --convert-to "$2" --outdir "$T/lo" "$1" >/dev/null 2>&1
  mv "$T"/lo/* "$O/$3" || { echo "soffice could not convert $1 to $2" >&2; return 1; }
}

# A: openpyxl workbook, and LibreOffice Calc's conversions of it
cp "$S/hr_book.xlsx" "$O/"
soffice_to "$S/hr_book.xlsx" xls hr_book.xls
soffice_to "$S/hr_book.xlsx" ods hr_book.ods
soffice_to "$O/hr_book.ods" xlsx hr_book.lo.xlsx
soffice_to "$S/hr_book.xlsx" html hr_book.html
soffice_to "$S/hr_book.xlsx" pdf hr_book.lo.pdf

# B: python-docx, LibreOffice Writer's conversions, qpdf AES-256 of its PDF
cp "$S/hr_doc.docx" "$O/"
soffice_to "$S/hr_doc.docx" odt hr_doc.odt
soffice_to "$S/hr_doc.docx" rtf hr_doc.rtf
soffice_to "$S/hr_doc.docx" doc hr_doc.doc
soffice_to "$S/hr_doc.docx" pdf hr_doc.pdf
qpdf --encrypt '' owner 256 -- "$O/hr_doc.pdf" "$O/hr_doc.aes256.pdf"
pandoc -t gfm -o "$O/hr_doc.md" "$S/hr_doc.docx"

# C: python-pptx, LibreOffice Impress
cp "$S/hr_slides.pptx" "$O/"
soffice_to "$S/hr_slides.pptx" ppt hr_slides.ppt
soffice_to "$S/hr_slides.pptx" odp hr_slides.odp
soffice_to "$S/hr_slides.pptx" pdf hr_slides.pdf

# D: hand-written HTML, pandoc, Chromium, wkhtmltopdf, WeasyPrint
cp "$S/hr_html.html" "$O/"
pandoc -f html -t gfm -o "$O/hr_html.md" "$S/hr_html.html"
for e in docx odt rtf; do pandoc -s -f html -o "$O/hr_html.pandoc.$e" "$S/hr_html.html"; done
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
  --print-to-pdf="$O/hr_html.chromium.pdf" "file://$S/hr_html.html" >/dev/null 2>&1
wkhtmltopdf -q "$S/hr_html.html" "$O/hr_html.wkhtmltopdf.pdf" >/dev/null 2>&1 || true
weasyprint "$S/hr_html.html" "$O/hr_html.weasyprint.pdf" 2>/dev/null

# E: pandas CSV (UTF-8, CP932), xlsx; archives of the CSV
cp "$S/hr_csv.csv" "$S/hr_csv_sjis.csv" "$S/hr_pandas.xlsx" "$O/"
(cd "$S" && 7z a -bd -t7z -m0=LZMA2 "$O/hr_csv.lzma2.7z" hr_csv.csv >/dev/null)
(cd "$S" && 7z a -bd -tzip -mm=Deflate64 "$O/hr_csv.deflate64.zip" hr_csv.csv >/dev/null)
(cd "$S" && 7z a -bd -tzip -mm=BZip2 "$O/hr_csv.bzip2.zip" hr_csv.csv >/dev/null)
(cd "$S" && zip -q "$O/hr_csv.zip" hr_csv.csv)
(cd "$S" && tar czf "$O/hr_csv.tar.gz" hr_csv.csv)
if command -v rar >/dev/null; then (cd "$S" && rar a -idq "$O/hr_csv.rar" hr_csv.csv); fi

# F: reportlab, qpdf RC4 (128-bit, empty user password)
cp "$S/hr_rl.pdf" "$O/"
qpdf --allow-weak-crypto --encrypt '' owner 128 --use-aes=n -- "$S/hr_rl.pdf" "$O/hr_rl.rc4.pdf"

# G: SQLite and its text dump
cp "$S/hr_db.sqlite" "$O/"
sqlite3 "$S/hr_db.sqlite" .dump >"$O/hr_db.dump.sql"

# H: a real pg_dump (COPY) of the same kind of table, when the server is installed;
# mysqldump-style extended INSERTs are written by make.py (no MariaDB server here)
cp "$S/hr_my.sql" "$O/"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1)
if [ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] && id postgres >/dev/null 2>&1; then
  PG=$T/pg && mkdir -p "$PG" && chown postgres "$PG"
  as_pg() { su postgres -s /bin/sh -c "$*"; }
  as_pg "$PGBIN/initdb -D $PG/data -E UTF8 --locale=C.UTF-8 -A trust" >/dev/null
  as_pg "$PGBIN/pg_ctl -D $PG/data -o '-k $PG -c listen_addresses=' -w start -l $PG/log" >/dev/null
  as_pg "psql -q -h $PG -d postgres -f $S/hr_pg_load.sql" >/dev/null
  as_pg "$PGBIN/pg_dump -h $PG -d postgres -t employees" >"$O/hr_pg.sql"
  as_pg "$PGBIN/pg_ctl -D $PG/data -m fast -w stop" >/dev/null
else
  echo "no PostgreSQL server: hr_pg.sql not written" >&2
fi

"$LEAKSCAN" scan --no-config --format jsonl --min-confidence low out >scan.jsonl || true
python3 "$HERE/analyze.py" scan.jsonl
