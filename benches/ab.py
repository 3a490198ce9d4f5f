#!/usr/bin/env python3
"""A/B timing of commands over one tree, alternating them run by run.

    python3 benches/ab.py RUNS TREE "CMD A" "CMD B" ...

Each command is split like a shell word list and gets TREE as its last
argument; output is discarded. Runs alternate A, B, A, B, ... so that a
drift of a shared machine lands on every command alike (hyperfine runs
all of one command first). Prints min, median and mean wall time and the
median CPU time (user + sys) of each command.

Example, two leakscan builds and ripgrep, one worker thread each:

    python3 benches/ab.py 10 /tmp/corpus/large \\
        "./old/leakscan scan -q --format jsonl --threads 1" \\
        "./target/release/leakscan scan -q --format jsonl --threads 1" \\
        "rg -j1 -c [0-9]{12}"
"""
import os
import shlex
import shutil
import statistics
import sys
import time


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    runs, tree, commands = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    # a fixed fingerprint key: no key file is created under ~/.config
    env = dict(os.environ, LEAKSCAN_FINGERPRINT_KEY="ab-bench-key-0123456789abcdef")
    devnull = os.open(os.devnull, os.O_WRONLY)
    wall = {c: [] for c in commands}
    cpu = {c: [] for c in commands}
    for _ in range(runs):
        for c in commands:
            argv = shlex.split(c) + [tree]
            exe = shutil.which(argv[0]) or argv[0]
            start = time.perf_counter()
            pid = os.posix_spawn(
                exe,
                argv,
                env,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, devnull, 1),
                    (os.POSIX_SPAWN_DUP2, devnull, 2),
                ],
            )
            _, _, usage = os.wait4(pid, 0)
            wall[c].append(time.perf_counter() - start)
            cpu[c].append(usage.ru_utime + usage.ru_stime)
    for c in commands:
        w, u = wall[c], cpu[c]
        print(
            f"{c[-64:]:64} wall min {min(w) * 1e3:8.1f} med {statistics.median(w) * 1e3:8.1f}"
            f" mean {statistics.mean(w) * 1e3:8.1f} ms | cpu med {statistics.median(u) * 1e3:8.1f} ms"
        )


if __name__ == "__main__":
    main()
