#!/usr/bin/env bash
# Runs every fuzz target in turn, one at a time, single job, for SECONDS each.
#   fuzz/run-all.sh 180
# Logs: fuzz/logs/<target>.log (final stats at the end); crashes, timeouts
# and OOMs: fuzz/artifacts/<target>/. New corpus entries go to
# fuzz/corpus/<target>/ (only seed-* files are committed).
# CARGO_TARGET_DIR, RSS_LIMIT_MB (default 2048) and TARGETS (a space-separated
# subset of the targets) are honoured.
set -u
secs=${1:?usage: fuzz/run-all.sh SECONDS}
cd "$(dirname "$0")/.."
mkdir -p fuzz/logs
status=0
targets=${TARGETS:-scan_bytes pdf_text ooxml mail decode documents legacy_office zipdir}
for t in $targets; do
    echo "== $t: ${secs}s" >&2
    cargo +nightly fuzz run -O "$t" -- \
        -max_total_time="$secs" -rss_limit_mb="${RSS_LIMIT_MB:-2048}" \
        -timeout=30 -print_final_stats=1 >"fuzz/logs/$t.log" 2>&1 || status=1
    grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|==[0-9]+== ERROR|SUMMARY)' "fuzz/logs/$t.log" >&2
    grep -E 'Test unit written to' "fuzz/logs/$t.log" >&2
done
exit $status
