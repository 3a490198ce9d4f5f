#!/usr/bin/env python3
"""PDF text throughput: leakscan against pdftotext (poppler) on the same files.

    python3 benches/pdf.py [LEAKSCAN_BINARY] [RUNS]

Builds a corpus in a temporary folder: 40 copies of each real-producer fixture of
tests/fixtures/pdf (reportlab, fpdf2, LibreOffice, wkhtmltopdf, Chromium, WeasyPrint,
groff/Ghostscript, qpdf), and a 300-page reportlab employee list (CID font, a generated
My Number per row: see tests/fixtures/pdf/make.py for the check-digit code). Times, one
thread each, best of RUNS: `leakscan scan --threads 1` over the folder, and `pdftotext`
on each file in turn (one process a file, as a script would run it; its start-up is
measured too, on an empty PDF, and given apart). Prints MB/s of PDF read and peak RSS.
"""
import os, random, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "tests", "fixtures", "pdf")
sys.path.insert(0, FIX)
import make  # noqa: E402  (the fixtures' generator: check-digit code)


def big_list(path, pages):
    from reportlab.pdfgen import canvas
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    rng = random.Random(7)
    c = canvas.Canvas(path)
    for _ in range(pages):
        c.setFont("HeiseiKakuGo-W5", 9)
        c.drawString(40, 810, "従業員一覧  氏名  個人番号  住所")
        for row in range(60):
            mn = make.my_number("".join(str(rng.randrange(10)) for _ in range(11)))
            c.drawString(40, 790 - row * 12, "社員%05d  山田 太郎  %s  東京都千代田区1-2-3" % (rng.randrange(99999), mn))
        c.showPage()
    c.save()


def best(cmd_fn, runs):
    t = []
    for _ in range(runs):
        s = time.perf_counter()
        cmd_fn()
        t.append(time.perf_counter() - s)
    return min(t)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "leakscan")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    tmp = tempfile.mkdtemp()
    try:
        corpus = os.path.join(tmp, "corpus")
        os.mkdir(corpus)
        for f in sorted(os.listdir(FIX)):
            if f.endswith(".pdf") and "password" not in f and "scanned" not in f:
                for k in range(40):
                    shutil.copy(os.path.join(FIX, f), os.path.join(corpus, "%02d-%s" % (k, f)))
        big_list(os.path.join(corpus, "big-list.pdf"), 300)
        files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus))
        size = sum(os.path.getsize(f) for f in files)
        env = dict(os.environ, LEAKSCAN_FINGERPRINT_KEY="bench-key-0123456789abcdef")
        leak = [binary, "scan", "--threads", "1", "--no-config", "--format", "jsonl",
                "--fail-on", "never", "--quiet", corpus]
        run = lambda cmd: subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run(leak)  # warm the cache
        t_leak = best(lambda: run(leak), runs)
        t_pdf = best(lambda: [run(["pdftotext", "-q", f, "/dev/null"]) for f in files], runs)
        empty = os.path.join(tmp, "empty.pdf")
        from reportlab.pdfgen import canvas
        canvas.Canvas(empty).save()
        t_start = best(lambda: [run(["pdftotext", "-q", empty, "/dev/null"]) for _ in files], runs)
        big = os.path.join(corpus, "big-list.pdf")
        t_leak_big = best(lambda: run(leak[:-1] + [big]), runs)
        t_pdf_big = best(lambda: run(["pdftotext", "-q", big, "/dev/null"]), runs)
        rss = subprocess.run(["/usr/bin/time", "-f", "%M"] + leak, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True).stderr.strip().splitlines()[-1]
        mb = size / 1e6
        big_mb = os.path.getsize(big) / 1e6
        print(f"corpus: {len(files)} PDFs, {mb:.1f} MB; big-list.pdf {big_mb:.1f} MB, 300 pages")
        print(f"| | leakscan (1 thread, text + detectors) | pdftotext (a process a file) |")
        print(f"|---|---|---|")
        print(f"| corpus | {t_leak:.2f} s, {mb / t_leak:.1f} MB/s | {t_pdf:.2f} s, {mb / t_pdf:.1f} MB/s "
              f"({t_pdf - t_start:.2f} s without process start-up) |")
        print(f"| big-list.pdf | {t_leak_big:.2f} s, {big_mb / t_leak_big:.1f} MB/s | "
              f"{t_pdf_big:.2f} s, {big_mb / t_pdf_big:.1f} MB/s |")
        print(f"leakscan peak RSS on the corpus: {int(rss) / 1024:.0f} MB")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
