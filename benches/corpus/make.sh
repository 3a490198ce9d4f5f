#!/usr/bin/env bash
# Builds the real-producer corpus of issue 13: `bash benches/corpus/make.sh OUTDIR [PRODUCER...]`.
#
# Installs what is missing (Debian packages with apt-get, Python packages with
# pip; nothing is installed twice), then runs gen.py, which writes
# OUTDIR/<producer>/hr.<ext> and OUTDIR/manifest.json. Then measure with
#   python3 benches/corpus/recall.py target/release/leakscan OUTDIR --json OUTDIR/recall.json
# The corpus is synthetic (seeded; check-digit-valid numbers, invented names)
# and not committed; see benches/corpus/README.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: make.sh OUTDIR [PRODUCER...]}"
shift

# Debian: package name and a file it installs (checked instead of dpkg, so a
# tool installed another way counts too).
debs=(
  "libreoffice-calc-nogui:/usr/lib/libreoffice/program/libsclo.so"
  "libreoffice-writer-nogui:/usr/lib/libreoffice/program/libswlo.so"
  "libreoffice-impress-nogui:/usr/lib/libreoffice/program/libsdlo.so"
  "fonts-noto-cjk:/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
  "fonts-ipafont-gothic:/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
  "chromium:/usr/bin/chromium"
  "wkhtmltopdf:/usr/bin/wkhtmltopdf"
  "pandoc:/usr/bin/pandoc"
  "groff:/usr/bin/groff"
  "ghostscript:/usr/bin/gs"
  "qpdf:/usr/bin/qpdf"
  "poppler-utils:/usr/bin/pdftotext"
  "p7zip-full:/usr/bin/7z"
  "sqlite3:/usr/bin/sqlite3"
  "postgresql-15:/usr/lib/postgresql/15/bin/initdb"
)
missing=()
for d in "${debs[@]}"; do
  [ -e "${d#*:}" ] || missing+=("${d%%:*}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  for try in 1 2 3 4 5 6; do   # another engineer may hold apt's lock
    if apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; then break; fi
    [ $try = 6 ] && { echo "apt-get failed; the producers that need it will be listed as failed" >&2; break; }
    sleep 20
  done
fi

# PyPI: module name and package name.
pips=(reportlab:reportlab fpdf:fpdf2 openpyxl:openpyxl xlsxwriter:xlsxwriter xlwt:xlwt
      docx:python-docx pptx:python-pptx weasyprint:weasyprint pandas:pandas xlrd:xlrd odf:odfpy)
need=()
for p in "${pips[@]}"; do
  python3 -c "import ${p%%:*}" 2>/dev/null || need+=("${p#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing PyPI packages: ${need[*]}" >&2
  python3 -m pip install -q "${need[@]}"
fi

start=$(date +%s)
python3 "$here/gen.py" "$out" "$@"
echo "generated in $(( $(date +%s) - start )) s: $out" >&2
