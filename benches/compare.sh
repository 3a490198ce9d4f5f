#!/usr/bin/env bash
# End-to-end comparison: leakscan vs ripgrep on a generated corpus.
#
#   bash benches/compare.sh
#
# Steps: install ripgrep, hyperfine and GNU time if missing (apt-get);
# build leakscan and the corpus generator in release mode; generate a seeded
# corpus (large files in large/, small files in small/); warm the page
# cache; time `leakscan scan` against `rg -c '[0-9]{12}'` on each tree and on the
# whole corpus with
# hyperfine; measure leakscan's peak RSS with /usr/bin/time -v; print a
# Markdown table.
#
# Environment (all optional):
#   CARGO_TARGET_DIR  cargo target dir            [./target]
#   SIZE_MB           corpus size in MiB          [1024]
#   SMALL_FILES       number of small files       [20000]
#   SEED              corpus seed                 [42]
#   RUNS              hyperfine runs per command  [5]
#   CORPUS_DIR        use/keep the corpus here instead of a temp dir
#                     (generated only if it does not exist yet)
#   PERF=1            also `perf record` leakscan on the large tree
#                     (writes perf.data next to the corpus)
set -euo pipefail

TMP_WORK=""
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
SIZE_MB="${SIZE_MB:-1024}"
SMALL_FILES="${SMALL_FILES:-20000}"
SEED="${SEED:-42}"
RUNS="${RUNS:-5}"
# A fixed key: no key file is created under ~/.config.
export LEAKSCAN_FINGERPRINT_KEY="compare-sh-bench-key-0123456789abcdef"

log() { printf '\n== %s\n' "$*" >&2; }

# --- (a) tools -------------------------------------------------------------
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
missing=()
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v vmtouch >/dev/null 2>&1 || missing+=(vmtouch)
if [ "${PERF:-0}" = 1 ] && ! command -v perf >/dev/null 2>&1; then missing+=(linux-perf); fi
if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- (b) build ---------------------------------------------------------------
log "building (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
cargo build --release
cargo build --release --example gen_corpus
LEAKSCAN="$CARGO_TARGET_DIR/release/leakscan"
GEN="$CARGO_TARGET_DIR/release/examples/gen_corpus"

# --- (c) corpus --------------------------------------------------------------
if [ -n "${CORPUS_DIR:-}" ]; then
    CORPUS="$CORPUS_DIR"
    WORK="$(dirname "$CORPUS")"
else
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/leakscan-compare.XXXXXX")"
    CORPUS="$WORK/corpus"
    TMP_WORK="$WORK"
fi
OUT="$(mktemp -d "${TMPDIR:-/tmp}/leakscan-compare-out.XXXXXX")"
unlock() { [ -s "$OUT/vmtouch.pid" ] && kill "$(cat "$OUT/vmtouch.pid")" 2>/dev/null || true; }
trap 'unlock; rm -rf "$OUT" ${TMP_WORK:+"$TMP_WORK"}' EXIT
if [ ! -d "$CORPUS/large" ]; then
    log "generating ${SIZE_MB} MiB corpus, ${SMALL_FILES} small files, seed ${SEED} into $CORPUS"
    "$GEN" "$CORPUS" --size-mb "$SIZE_MB" --files "$SMALL_FILES" --seed "$SEED" >&2
fi
LARGE="$CORPUS/large"
SMALL="$CORPUS/small"
large_bytes=$(find "$LARGE" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
large_files=$(find "$LARGE" -type f | wc -l)
small_bytes=$(find "$SMALL" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
small_files=$(find "$SMALL" -type f | wc -l)

# --- (d) keep the corpus in memory --------------------------------------------
# "Warm cache" means every byte is in memory. Reading the files once is not
# enough where the kernel reclaims idle page cache on its own: the 2-core
# VM these figures come from runs DAMON reclaim, which paged most of the
# corpus back out between timing runs (vmtouch showed 34 % resident, with
# 20 GB of memory free), so both tools partly read from disk. vmtouch -l
# locks the corpus in memory for the timings; where it cannot (no vmtouch,
# or no right to lock that much), the files are read once and the report
# says so.
CACHE="page cache warmed by one read"
if command -v vmtouch >/dev/null 2>&1 \
    && vmtouch -q -dl -P "$OUT/vmtouch.pid" "$CORPUS" 2>"$OUT/vmtouch.err"; then
    log "locking the corpus in memory (vmtouch -l)"
    for _ in $(seq 60); do # the daemon locks the files, then writes its pid
        [ -s "$OUT/vmtouch.pid" ] && break
        sleep 1
    done
fi
if [ -s "$OUT/vmtouch.pid" ]; then
    CACHE="corpus locked in memory (vmtouch -l)"
else
    log "vmtouch could not lock the corpus: reading it once instead"
    find "$CORPUS" -type f -print0 | xargs -0 cat > /dev/null
fi
resident=$(vmtouch "$CORPUS" 2>/dev/null | awk '/Resident Pages/ {print $NF}')
CACHE="$CACHE; resident before the timings: ${resident:-unknown}"

# --- (e) timings -------------------------------------------------------------
# Wall time needs an otherwise idle machine; CPU time (user + sys) is also
# reported, as it barely moves when something else competes for the cores.
cpu_busy() { # percent of all cores busy over one second (other processes)
    local a b
    a=$(awk '/^cpu / {print $2+$3+$4+$7+$8, $5+$6}' /proc/stat); sleep 1
    b=$(awk '/^cpu / {print $2+$3+$4+$7+$8, $5+$6}' /proc/stat)
    echo "$a $b" | awk '{busy = $3 - $1; idle = $4 - $2; printf "%.0f", 100 * busy / (busy + idle)}'
}
busy_start=$(cpu_busy)
if [ "$busy_start" -gt 10 ]; then
    log "warning: the CPUs are ${busy_start}% busy before the run: wall times will be pessimistic"
fi
ls_cmd() { echo "$LEAKSCAN scan --format jsonl --fail-on never $1 > /dev/null"; }
rg_cmd() { echo "rg -c '[0-9]{12}' $1 > /dev/null"; }
# large/ and small/ apart, then the whole corpus (both trees in one run)
for tree in large small all; do
    dir="$CORPUS/$tree"
    [ "$tree" = all ] && dir="$CORPUS"
    log "hyperfine on $tree/"
    # rg exits 1 when nothing matches: --ignore-failure keeps the timing.
    hyperfine --warmup 1 --runs "$RUNS" --ignore-failure --style basic \
        --export-csv "$OUT/$tree.csv" \
        -n leakscan "$(ls_cmd "$dir")" \
        -n rg "$(rg_cmd "$dir")" >&2
done

# Fixed cost of one run (rule compilation, thread pool): leakscan on an
# empty directory, to separate it from the per-file cost.
mkdir -p "$OUT/empty"
log "hyperfine on an empty directory (startup)"
hyperfine --warmup 3 --runs 20 --style basic --export-csv "$OUT/empty.csv" \
    -n leakscan "$(ls_cmd "$OUT/empty")" -n rg "$(rg_cmd "$OUT/empty")" --ignore-failure >&2

# --- (f) peak RSS ------------------------------------------------------------
rss_mb() { # the command's peak RSS in MB (10^6 bytes)
    /usr/bin/time -v "$@" > /dev/null 2> "$OUT/time.txt" || true
    awk -F: '/Maximum resident set size/ {printf "%.1f", $2 * 1024 / 1e6}' "$OUT/time.txt"
}
log "peak RSS"
rss_large=$(rss_mb "$LEAKSCAN" scan --format jsonl --fail-on never "$LARGE")
rss_small=$(rss_mb "$LEAKSCAN" scan --format jsonl --fail-on never "$SMALL")
rss_rg_large=$(rss_mb rg -c '[0-9]{12}' "$LARGE")

# One leakscan run's own summary (findings, bytes) for the record.
"$LEAKSCAN" scan --format jsonl --fail-on never "$LARGE" | tail -n 1 > "$OUT/summary_large.json"

if [ "${PERF:-0}" = 1 ]; then
    log "perf record on large/ -> $WORK/perf.data"
    perf record -g -o "$WORK/perf.data" "$LEAKSCAN" scan --format jsonl --fail-on never "$LARGE" > /dev/null 2>&1
    perf report -i "$WORK/perf.data" --no-children --percent-limit 1 --stdio 2>/dev/null \
        | grep -E '^ +[0-9]' | head -20 >&2
fi

# --- (g) report --------------------------------------------------------------
# hyperfine CSV: command,mean,stddev,median,user,system,min,max (seconds)
mean() { awk -F, -v n="$2" '$1 == n {print $2}' "$OUT/$1.csv"; }
sdev() { awk -F, -v n="$2" '$1 == n {print $3}' "$OUT/$1.csv"; }
cpu() { awk -F, -v n="$2" '$1 == n {print $5 + $6}' "$OUT/$1.csv"; }
best() { awk -F, -v n="$2" '$1 == n {print $7}' "$OUT/$1.csv"; }
gbps() { awk -v b="$1" -v t="$2" 'BEGIN {printf "%.2f", b / t / 1e9}'; }
us_per() { awk -v t="$1" -v n="$2" 'BEGIN {printf "%.1f", t / n * 1e6}'; }
ms() { awk -v t="$1" 'BEGIN {printf "%.0f", t * 1000}'; }

ls_l=$(mean large leakscan); rg_l=$(mean large rg)
ls_s=$(mean small leakscan); rg_s=$(mean small rg)
ls_e=$(mean empty leakscan); rg_e=$(mean empty rg)
ls_a=$(mean all leakscan); rg_a=$(mean all rg)
all_bytes=$((large_bytes + small_bytes))
net_us() { awk -v t="$1" -v e="$2" -v n="$3" 'BEGIN {printf "%.1f", (t - e) / n * 1e6}'; }
busy_end=$(cpu_busy)
cat <<EOF

### leakscan vs ripgrep ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -r))

Corpus: seed $SEED; large/ = $large_files files, $(awk -v b="$large_bytes" 'BEGIN {printf "%.1f", b / 1048576}') MiB; small/ = $small_files files, $(awk -v b="$small_bytes" 'BEGIN {printf "%.1f", b / 1024}') KiB. Cache: $CACHE. hyperfine --warmup 1 --runs $RUNS; CPU busy (other processes) just before: ${busy_start}%, just after: ${busy_end}%. GB = 10^9 bytes; "per CPU-s" = bytes / (user + sys time).

| tree | tool | wall time, mean ± σ (best) | GB/s, mean (best) | per file, mean (best) | CPU time | GB per CPU-s | peak RSS |
|---|---|---|---|---|---|---|---|
| large | leakscan | $(ms "$ls_l") ± $(ms "$(sdev large leakscan)") ($(ms "$(best large leakscan)")) ms | $(gbps "$large_bytes" "$ls_l") ($(gbps "$large_bytes" "$(best large leakscan)")) | | $(ms "$(cpu large leakscan)") ms | $(gbps "$large_bytes" "$(cpu large leakscan)") | $rss_large MB |
| large | rg -c '[0-9]{12}' | $(ms "$rg_l") ± $(ms "$(sdev large rg)") ($(ms "$(best large rg)")) ms | $(gbps "$large_bytes" "$rg_l") ($(gbps "$large_bytes" "$(best large rg)")) | | $(ms "$(cpu large rg)") ms | $(gbps "$large_bytes" "$(cpu large rg)") | $rss_rg_large MB |
| small | leakscan | $(ms "$ls_s") ± $(ms "$(sdev small leakscan)") ($(ms "$(best small leakscan)")) ms | | $(us_per "$ls_s" "$small_files") ($(us_per "$(best small leakscan)" "$small_files")) µs | $(ms "$(cpu small leakscan)") ms | | $rss_small MB |
| small | rg -c '[0-9]{12}' | $(ms "$rg_s") ± $(ms "$(sdev small rg)") ($(ms "$(best small rg)")) ms | | $(us_per "$rg_s" "$small_files") ($(us_per "$(best small rg)" "$small_files")) µs | $(ms "$(cpu small rg)") ms | | |
| whole corpus | leakscan | $(ms "$ls_a") ± $(ms "$(sdev all leakscan)") ($(ms "$(best all leakscan)")) ms | $(gbps "$all_bytes" "$ls_a") ($(gbps "$all_bytes" "$(best all leakscan)")) | | $(ms "$(cpu all leakscan)") ms | $(gbps "$all_bytes" "$(cpu all leakscan)") | |
| whole corpus | rg -c '[0-9]{12}' | $(ms "$rg_a") ± $(ms "$(sdev all rg)") ($(ms "$(best all rg)")) ms | $(gbps "$all_bytes" "$rg_a") ($(gbps "$all_bytes" "$(best all rg)")) | | $(ms "$(cpu all rg)") ms | $(gbps "$all_bytes" "$(cpu all rg)") | |
| empty dir | leakscan | $(ms "$ls_e") ± $(ms "$(sdev empty leakscan)") ms | | | $(ms "$(cpu empty leakscan)") ms | | |
| empty dir | rg -c '[0-9]{12}' | $(ms "$rg_e") ± $(ms "$(sdev empty rg)") ms | | | $(ms "$(cpu empty rg)") ms | | |

Per small file without the fixed start-up cost ((small − empty dir) / files, means): leakscan $(net_us "$ls_s" "$ls_e" "$small_files") µs, rg $(net_us "$rg_s" "$rg_e" "$small_files") µs.

leakscan summary (large/): $(cat "$OUT/summary_large.json" | grep -o '"findings":[0-9]*,\|"below_min_confidence":[0-9]*,\|"bytes_scanned":[0-9]*,' | tr -d '\n' | sed 's/,$//')

Versions: $("$LEAKSCAN" --version), $(rg --version | sed -n 1p), $(hyperfine --version)
EOF
