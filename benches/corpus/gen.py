#!/usr/bin/env python3
"""Writes the real-producer corpus of issue 13: `gen.py OUTDIR [PRODUCER...]`.

Every producer writes the same synthetic HR content (`model.py`) in its own
format(s), each a small function below registered in PRODUCERS. Output is
`OUTDIR/<producer>/hr.<ext>` plus `OUTDIR/manifest.json`, which lists for
each file its producer, format and the planted values with their kinds
(synthetic values only). A producer that fails here (a tool missing) is
recorded under "failed" in the manifest and does not stop the others.
Used by `make.sh`; `recall.py` reads the manifest.
"""

import csv
import html
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Model  # noqa: E402

FORM_SECTIONS = {"扶養控除等申告書", "カード一覧"}
IPA_GOTHIC = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
PRODUCERS = []


def producer(fn):
    PRODUCERS.append(fn)
    return fn


def run(cmd, **kw):
    kw.setdefault("stdout", subprocess.DEVNULL)
    kw.setdefault("stderr", subprocess.PIPE)
    p = subprocess.run(cmd, timeout=kw.pop("timeout", 300), **kw)
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (cmd[0], p.returncode, (p.stderr or b"")[-300:]))
    return p


# ---------------------------------------------------------------- renderings


def render_html(m, boxed=True, font="'Noto Sans CJK JP','IPAGothic'", sections=None):
    """An HTML page: a heading and a <table> with <th> headers per section;
    the filer's My Number of the 扶養控除 form in one box per digit."""
    e = html.escape
    out = ['<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>人事データ</title>',
           "<style>body{font-family:%s,sans-serif;font-size:10pt}" % font +
           "table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #444;padding:2px 6px}"
           "table.box td{width:1.2em;text-align:center;padding:2px}</style></head><body>"]

    def table(rows):
        out.append("<table><tr>" + "".join("<th>%s</th>" % e(c) for c in rows[0]) + "</tr>")
        for r in rows[1:]:
            out.append("<tr>" + "".join("<td>%s</td>" % e(c) for c in r) + "</tr>")
        out.append("</table>")

    for title, rows in m.sheets():
        if sections and title not in sections:
            continue
        out.append("<h2>%s</h2>" % e(title))
        if title == "扶養控除等申告書" and boxed:
            out.append("<p>提出者の氏名 %s　生年月日 %s</p><p>提出者の個人番号</p>" % (e(m.filer[0]), e(m.filer[2])))
            out.append('<table class="box"><tr>' + "".join("<td>%s</td>" % c for c in m.filer[1]) + "</tr></table>")
            out.append("<p>控除対象扶養親族</p>")
            table([m.dependents_header] + m.dependents)
        else:
            table(rows)
    out.append("</body></html>")
    return "\n".join(out)


def render_md(m):
    out = ["# 人事データ", ""]
    for title, rows in m.sheets():
        out += ["## " + title, "", "| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
        out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        out.append("")
    return "\n".join(out)


ASCII = {"社員番号": "Employee No", "氏名": "Name", "個人番号": "My Number", "生年月日": "Birth date",
         "住所": "Address", "区分": "Role", "続柄": "Relation", "項目": "Item", "内容": "Value",
         "名義人": "Holder", "ブランド": "Brand", "カード番号": "Card number", "有効期限": "Expiry",
         "サービス": "Service", "ユーザー名": "User", "パスワード": "Password",
         "社員名簿": "Employee list", "扶養控除等申告書": "Dependents declaration (Fuyo Kojo)",
         "源泉徴収票": "Withholding slip (Gensen Choshu)", "カード一覧": "Card list",
         "支払を受ける者の個人番号": "Payee My Number", "支払者の法人番号": "Payer corporate number",
         "パスワード管理": "Passwords"}


def ascii_cell(c):
    if all(ord(ch) < 128 for ch in c):
        return c
    return ASCII.get(c, "x")


# ---------------------------------------------------------------- producers


@producer
def script(m, out):
    """The plain text and Markdown written by this script (controls)."""
    w(out, "script/hr.txt", m.text())
    w(out, "script/hr.md", render_md(m))
    w(out, "script/hr.html", render_html(m))
    # the same page in IPAGothic (TrueType): Chromium and WeasyPrint embed it
    # as a small CID subset rather than Noto's CFF outlines (Type 3 in Chromium)
    w(out, "script/hr-ipa.html", render_html(m, font="'IPAGothic'"))
    # two sections only (few glyphs: Chromium's Type 3 fonts grow with each one)
    w(out, "script/hr-form.html", render_html(m, sections=FORM_SECTIONS))
    return [("script/hr.txt", "txt"), ("script/hr.md", "md"), ("script/hr.html", "html")]


@producer
def python_csv(m, out):
    """csv module, one file per section would hide the others: the employee list."""
    buf = io.StringIO()
    cw = csv.writer(buf)
    for r in m.sheets()[0][1]:
        cw.writerow(r)
    w(out, "python-csv/hr.csv", buf.getvalue())
    return [("python-csv/hr.csv", "csv")]


@producer
def openpyxl_xlsx(m, out):
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in m.sheets():
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        for j in range(len(rows[0])):  # widths fitted to the text, as a user would
            ws.column_dimensions[chr(65 + j)].width = 2 + max(width(r[j]) for r in rows)
    path = p(out, "openpyxl/hr.xlsx")
    wb.save(path)
    return [("openpyxl/hr.xlsx", "xlsx")]


@producer
def xlsxwriter_xlsx(m, out):
    import xlsxwriter
    wb = xlsxwriter.Workbook(p(out, "xlsxwriter/hr.xlsx"))
    for title, rows in m.sheets():
        ws = wb.add_worksheet(title)
        for i, r in enumerate(rows):
            for j, c in enumerate(r):
                ws.write_string(i, j, c)
    wb.close()
    return [("xlsxwriter/hr.xlsx", "xlsx")]


@producer
def xlwt_xls(m, out):
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    for title, rows in m.sheets():
        ws = wb.add_sheet(title)
        for i, r in enumerate(rows):
            for j, c in enumerate(r):
                ws.write(i, j, c)
    wb.save(p(out, "xlwt/hr.xls"))
    return [("xlwt/hr.xls", "xls")]


def employees_frame(m):
    """The employee list as pandas reads a numeric column: 個人番号 as int64,
    so leading zeros are lost in what pandas writes (a real export bug)."""
    import pandas as pd
    rows = m.sheets()[0][1]
    df = pd.DataFrame(rows[1:], columns=rows[0])
    df["個人番号"] = df["個人番号"].astype("int64")
    return df


@producer
def pandas_excel(m, out):
    import pandas as pd
    with pd.ExcelWriter(p(out, "pandas/hr.xlsx"), engine="openpyxl") as xw:
        employees_frame(m).to_excel(xw, sheet_name="社員名簿", index=False)
        for title, rows in m.sheets()[1:]:
            pd.DataFrame(rows[1:], columns=rows[0]).to_excel(xw, sheet_name=title, index=False)
    employees_frame(m).to_csv(p(out, "pandas/hr.csv"), index=False)
    return [("pandas/hr.xlsx", "xlsx"), ("pandas/hr.csv", "csv")]


@producer
def python_docx(m, out):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt
    d = docx.Document()
    sec = d.sections[0]  # landscape A4, so that a 12-digit cell does not wrap
    sec.orientation, sec.page_width, sec.page_height = WD_ORIENT.LANDSCAPE, Mm(297), Mm(210)
    sec.left_margin = sec.right_margin = Mm(15)
    d.styles["Normal"].font.size = Pt(9)
    d.add_heading("人事データ", 0)
    for title, rows in m.sheets():
        d.add_heading(title, 1)
        t = d.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = "Table Grid"
        t.autofit = False
        total = sum(max(width(r[j]) for r in rows) + 2 for j in range(len(rows[0])))
        for i, r in enumerate(rows):
            for j, c in enumerate(r):
                t.cell(i, j).text = c
                t.cell(i, j).width = Mm(260 * (max(width(x[j]) for x in rows) + 2) // total)
    d.save(p(out, "python-docx/hr.docx"))
    return [("python-docx/hr.docx", "docx")]


@producer
def python_pptx(m, out):
    from pptx import Presentation
    from pptx.util import Inches, Pt
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.33), Inches(7.5)
    for title, rows in m.sheets():
        s = prs.slides.add_slide(prs.slide_layouts[5])
        s.shapes.title.text = title
        shape = s.shapes.add_table(len(rows), len(rows[0]), Inches(0.3), Inches(1.3), Inches(12.7), Inches(0.3) * len(rows))
        for i, r in enumerate(rows):
            for j, c in enumerate(r):
                cell = shape.table.cell(i, j)
                cell.text = c
                cell.text_frame.paragraphs[0].runs[0].font.size = Pt(11)
    prs.save(p(out, "python-pptx/hr.pptx"))
    return [("python-pptx/hr.pptx", "pptx")]


def soffice(src, target, outdir):
    """LibreOffice headless conversion of one file (own profile dir, so that
    parallel runs of other engineers do not share a lock)."""
    profile = os.path.join(tempfile.gettempdir(), "corpus-lo-profile")
    run(["soffice", "-env:UserInstallation=file://" + profile, "--headless", "--convert-to", target,
         "--outdir", outdir, src], timeout=180)


def libreoffice(m, out, app, src_producer, src_name, targets):
    src = p(out, "%s/%s" % (src_producer, src_name))
    if not os.path.exists(src):
        raise RuntimeError("source %s missing" % src)
    d = p(out, "libreoffice-%s/x" % app)
    d = os.path.dirname(d)
    done = []
    for ext, filt in targets:
        tmp = tempfile.mkdtemp()
        soffice(src, filt, tmp)
        got = [f for f in os.listdir(tmp)]
        if len(got) != 1:
            raise RuntimeError("soffice wrote %r for %s" % (got, ext))
        shutil.move(os.path.join(tmp, got[0]), os.path.join(d, "hr." + ext))
        shutil.rmtree(tmp)
        done.append(("libreoffice-%s/hr.%s" % (app, ext), ext))
    return done


@producer
def libreoffice_calc(m, out):
    return libreoffice(m, out, "calc", "openpyxl", "hr.xlsx", [
        ("xlsx", "xlsx:Calc MS Excel 2007 XML"), ("xls", "xls:MS Excel 97"), ("ods", "ods"),
        ("html", "html:HTML (StarCalc)"), ("pdf", "pdf:calc_pdf_Export")])


@producer
def libreoffice_writer(m, out):
    return libreoffice(m, out, "writer", "python-docx", "hr.docx", [
        ("docx", "docx:MS Word 2007 XML"), ("doc", "doc:MS Word 97"), ("odt", "odt"),
        ("rtf", "rtf:Rich Text Format"), ("html", "html:HTML (StarWriter)"),
        ("pdf", "pdf:writer_pdf_Export")])


@producer
def libreoffice_impress(m, out):
    return libreoffice(m, out, "impress", "python-pptx", "hr.pptx", [
        ("pptx", "pptx:Impress MS PowerPoint 2007 XML"), ("ppt", "ppt:MS PowerPoint 97"),
        ("odp", "odp"), ("pdf", "pdf:impress_pdf_Export")])


@producer
def chromium(m, out):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        raise RuntimeError("chromium not installed")
    done = []
    for src, rel in (("script/hr.html", "chromium/hr.pdf"), ("script/hr-ipa.html", "chromium/hr-ipa.pdf"),
                     ("script/hr-form.html", "chromium/hr-form.pdf")):
        prof = tempfile.mkdtemp()
        run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             "--user-data-dir=" + prof, "--print-to-pdf=" + p(out, rel), "file://" + p(out, src)], timeout=180)
        shutil.rmtree(prof, ignore_errors=True)
        done.append((rel, "pdf"))
    return done


@producer
def wkhtmltopdf(m, out):
    run(["wkhtmltopdf", "-q", p(out, "script/hr.html"), p(out, "wkhtmltopdf/hr.pdf")])
    return [("wkhtmltopdf/hr.pdf", "pdf")]


@producer
def weasyprint(m, out):
    import weasyprint as wp
    wp.HTML(filename=p(out, "script/hr.html")).write_pdf(p(out, "weasyprint/hr.pdf"))
    wp.HTML(filename=p(out, "script/hr-ipa.html")).write_pdf(p(out, "weasyprint/hr-ipa.pdf"))
    return [("weasyprint/hr.pdf", "pdf"), ("weasyprint/hr-ipa.pdf", "pdf")]


@producer
def pandoc(m, out):
    src = p(out, "script/hr.md")
    done = []
    for ext in ("docx", "html", "odt"):
        args = ["pandoc", src, "-o", p(out, "pandoc/hr." + ext)]
        if ext == "html":
            args[2:2] = ["-s", "--metadata", "title=人事データ"]
        run(args)
        done.append(("pandoc/hr." + ext, ext))
    return done


@producer
def groff(m, out):
    """groff -ms with tbl, through ps2pdf. groff's PostScript fonts have no
    Japanese glyphs, so labels are in English and names are left out; the
    planted values are the same."""
    lines = [".TL", "HR export", ".LP"]
    for title, rows in m.sheets():
        lines += [".SH", ascii_cell(title), ".TS", "box;", " ".join(["l"] * len(rows[0])) + "."]
        for r in rows:
            lines.append("\t".join(ascii_cell(c) for c in r))
        lines += [".TE", ".LP"]
    src = p(out, "groff/hr.ms")
    w(out, "groff/hr.ms", "\n".join(lines) + "\n")
    ps = p(out, "groff/hr.ps")
    with open(ps, "wb") as f:
        run(["groff", "-t", "-ms", "-Tps", src], stdout=f)
    run(["ps2pdf", ps, p(out, "groff/hr.pdf")])
    os.remove(ps)
    os.remove(src)
    return [("groff/hr.pdf", "pdf")]


@producer
def ghostscript(m, out):
    """pdfwrite re-distillation of the LibreOffice Writer and Chromium PDFs."""
    done = []
    for name, src in (("writer", "libreoffice-writer/hr.pdf"), ("chromium", "chromium/hr.pdf")):
        if not os.path.exists(p(out, src)):
            continue
        dst = "ghostscript/hr-%s.pdf" % name
        run(["gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=pdfwrite",
             "-sOutputFile=" + p(out, dst), p(out, src)])
        done.append((dst, "pdf"))
    if not done:
        raise RuntimeError("no source PDF")
    return done


@producer
def qpdf(m, out):
    """Object streams, RC4-128 and AES-256 with an empty user password and an
    owner password (opens without a prompt), from the LibreOffice Writer PDF."""
    src = p(out, "libreoffice-writer/hr.pdf")
    if not os.path.exists(src):
        src = p(out, "reportlab-cid/hr.pdf")
    p(out, "qpdf/x")
    variants = [("objstm", ["--object-streams=generate"]),
                ("rc4", ["--allow-weak-crypto", "--encrypt", "", "owner-secret", "128", "--use-aes=n", "--"]),
                ("aes256", ["--encrypt", "", "owner-secret", "256", "--"])]
    done = []
    for name, args in variants:
        dst = "qpdf/hr-%s.pdf" % name
        run(["qpdf"] + args + [src, p(out, dst)])
        done.append((dst, "pdf"))
    return done


def reportlab_pdf(m, path, font):
    """Draws the sections as positioned text; the filer's My Number one digit
    per box, as on the printed 扶養控除等申告書. Default canvas settings
    (page compression: [/ASCII85Decode /FlateDecode])."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(path, pagesize=landscape(A4), pageCompression=1)
    width, height = landscape(A4)
    widths = {"社員名簿": [60, 80, 110, 80, 260], "扶養控除等申告書": [70, 80, 50, 110, 80],
              "源泉徴収票": [200, 250], "カード一覧": [90, 90, 160, 60], "パスワード": [120, 100, 160]}
    for title, rows in m.sheets():
        y = height - 50
        c.setFont(font, 14)
        c.drawString(40, y, title)
        y -= 30
        c.setFont(font, 9)
        if title == "扶養控除等申告書":
            c.drawString(40, y, "提出者の個人番号")
            for k, ch in enumerate(m.filer[1]):
                x = 140 + k * 16
                c.rect(x, y - 4, 16, 16)
                c.drawCentredString(x + 8, y, ch)
            y -= 30
            rows = [m.dependents_header] + m.dependents
            ws = [80, 50, 110, 80]
        else:
            ws = widths[title]
        for r in rows:
            x = 40
            for cell, cw in zip(r, ws):
                c.drawString(x, y, cell)
                x += cw
            y -= 16
        c.showPage()
    c.save()


@producer
def reportlab_cid(m, out):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiKakuGo-W5"))
    reportlab_pdf(m, p(out, "reportlab-cid/hr.pdf"), "HeiseiKakuGo-W5")
    return [("reportlab-cid/hr.pdf", "pdf")]


@producer
def reportlab_ttf(m, out):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    pdfmetrics.registerFont(TTFont("IPAGothic", IPA_GOTHIC))
    reportlab_pdf(m, p(out, "reportlab-ttf/hr.pdf"), "IPAGothic")
    return [("reportlab-ttf/hr.pdf", "pdf")]


@producer
def fpdf2(m, out):
    from fpdf import FPDF
    pdf = FPDF(orientation="L")
    pdf.add_font("ipag", fname=IPA_GOTHIC)
    pdf.add_font("ipag", style="B", fname=IPA_GOTHIC)
    for title, rows in m.sheets():
        pdf.add_page()
        pdf.set_font("ipag", size=14)
        pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("ipag", size=9)
        with pdf.table() as t:
            for r in rows:
                row = t.row()
                for cell in r:
                    row.cell(cell)
    pdf.output(p(out, "fpdf2/hr.pdf"))
    return [("fpdf2/hr.pdf", "pdf")]


TABLES = [("employees", ["emp_no", "name", "my_number", "birth_date", "address"]),
          ("dependents", ["role", "name", "relation", "kojin_bango", "birth_date"]),
          ("withholding_slip", ["item", "value"]),
          ("cards", ["holder", "brand", "card_number", "expiry"]),
          ("passwords", ["service", "username", "password"])]


def tables(m):
    return [(name, cols, rows[1:]) for (name, cols), (_, rows) in zip(TABLES, m.sheets())]


@producer
def sqlite(m, out):
    """The SQLite library (Python's sqlite3 module) and the sqlite3 shell's .dump."""
    path = p(out, "sqlite/hr.sqlite")
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    for name, cols, rows in tables(m):
        db.execute("CREATE TABLE %s (%s)" % (name, ", ".join(c + " TEXT" for c in cols)))
        db.executemany("INSERT INTO %s VALUES (%s)" % (name, ",".join("?" * len(cols))), rows)
    db.commit()
    db.close()
    with open(p(out, "sqlite/hr-dump.sql"), "wb") as f:
        run(["sqlite3", path, ".dump"], stdout=f)
    return [("sqlite/hr.sqlite", "sqlite"), ("sqlite/hr-dump.sql", "sql")]


@producer
def pg_dump(m, out):
    """Real pg_dump 15 from a throwaway PostgreSQL cluster listening only on a
    Unix socket in a temporary directory (no TCP): COPY, --inserts and
    --column-inserts plain dumps."""
    bindir = "/usr/lib/postgresql/15/bin"
    base = tempfile.mkdtemp(prefix="corpus-pg-")
    os.chmod(base, 0o777)
    data, sock = os.path.join(base, "data"), os.path.join(base, "sock")
    os.mkdir(sock)
    os.chmod(sock, 0o777)
    as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    run(as_pg + [bindir + "/initdb", "-D", data, "-E", "UTF8", "--locale=C", "-A", "trust"])
    port = "54913"
    run(as_pg + [bindir + "/pg_ctl", "-D", data, "-w", "-l", os.path.join(base, "log"), "-o",
                 "-c listen_addresses='' -k %s -p %s" % (sock, port), "start"])
    try:
        sql = ["CREATE TABLE %s (%s);" % (n, ", ".join(c + " text" for c in cols)) for n, cols, _ in tables(m)]
        for n, cols, rows in tables(m):
            for r in rows:
                sql.append("INSERT INTO %s VALUES (%s);" % (n, ", ".join("'%s'" % v.replace("'", "''") for v in r)))
        psql = as_pg + [bindir + "/psql", "-q", "-h", sock, "-p", port, "-U", "postgres", "-v", "ON_ERROR_STOP=1"]
        run(psql + ["-c", "CREATE DATABASE hr"])
        run(psql + ["-d", "hr"], input="\n".join(sql).encode())
        done = []
        for name, extra in (("copy", []), ("inserts", ["--inserts"]), ("column-inserts", ["--column-inserts"])):
            rel = "pg_dump/hr-%s.sql" % name
            with open(p(out, rel), "wb") as f:
                run(as_pg + [bindir + "/pg_dump", "-h", sock, "-p", port, "-U", "postgres", "--no-owner"] + extra + ["hr"], stdout=f)
            done.append((rel, "sql"))
        return done
    finally:
        subprocess.run(as_pg + [bindir + "/pg_ctl", "-D", data, "-m", "fast", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)


@producer
def mysqldump_style(m, out):
    """Text in mysqldump 10.x's exact layout (header comments, DROP/CREATE,
    LOCK TABLES, one extended INSERT per table); no MySQL server is run."""
    o = ["-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)", "--",
         "-- Host: localhost    Database: hr", "-- ------------------------------------------------------",
         "-- Server version\t8.0.36", "",
         "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;",
         "/*!50503 SET NAMES utf8mb4 */;", "/*!40103 SET TIME_ZONE='+00:00' */;",
         "/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;", ""]
    for n, cols, rows in tables(m):
        o += ["--", "-- Table structure for table `%s`" % n, "--", "",
              "DROP TABLE IF EXISTS `%s`;" % n,
              "/*!40101 SET @saved_cs_client     = @@character_set_client */;",
              "/*!50503 SET character_set_client = utf8mb4 */;",
              "CREATE TABLE `%s` (" % n]
        o += [",\n".join("  `%s` varchar(255) DEFAULT NULL" % c for c in cols)]
        o += [") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;",
              "/*!40101 SET character_set_client = @saved_cs_client */;", "", "--",
              "-- Dumping data for table `%s`" % n, "--", "", "LOCK TABLES `%s` WRITE;" % n,
              "/*!40000 ALTER TABLE `%s` DISABLE KEYS */;" % n]
        vals = ",".join("(" + ",".join("'%s'" % v.replace("\\", "\\\\").replace("'", "\\'") for v in r) + ")" for r in rows)
        o += ["INSERT INTO `%s` VALUES %s;" % (n, vals), "/*!40000 ALTER TABLE `%s` ENABLE KEYS */;" % n,
              "UNLOCK TABLES;", ""]
    o += ["/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;", "", "-- Dump completed on 2026-11-30 12:00:00", ""]
    w(out, "mysqldump-style/hr.sql", "\n".join(o))
    return [("mysqldump-style/hr.sql", "sql")]


@producer
def p7zip(m, out):
    """7-Zip archives of the plain text and the CSV: 7z with LZMA2, Deflate64
    and BZip2; zip with Deflate64, BZip2 and plain Deflate (control)."""
    tmp = tempfile.mkdtemp()
    with open(os.path.join(tmp, "hr.txt"), "w") as f:
        f.write(m.text())
    shutil.copy(p(out, "python-csv/hr.csv"), os.path.join(tmp, "employees.csv"))
    p(out, "p7zip/x")
    done = []
    for name, args in (("lzma2.7z", ["-t7z", "-m0=LZMA2"]), ("deflate64.7z", ["-t7z", "-m0=Deflate64"]),
                       ("bzip2.7z", ["-t7z", "-m0=BZip2"]), ("deflate64.zip", ["-tzip", "-mm=Deflate64"]),
                       ("bzip2.zip", ["-tzip", "-mm=BZip2"]), ("deflate.zip", ["-tzip", "-mm=Deflate"])):
        dst = p(out, "p7zip/hr-" + name)
        if os.path.exists(dst):
            os.remove(dst)
        run(["7z", "a", "-bd", "-y"] + args + [dst, "hr.txt", "employees.csv"], cwd=tmp)
        done.append(("p7zip/hr-" + name, name.split(".")[1]))
    shutil.rmtree(tmp)
    return done


# ---------------------------------------------------------------- plumbing


def width(text):
    """Display width in half-width columns (CJK counts 2)."""
    return sum(2 if ord(ch) > 0x2e80 else 1 for ch in text)


def section_values(m, sections=None):
    """Planted values (with kinds) that appear in the given sections (all by default)."""
    out = []
    for v, k in m.planted:
        for title, rows in m.sheets():
            if sections and title not in sections:
                continue
            if any(v == c.replace(" ", "").replace("-", "") for r in rows for c in r):
                out.append({"value": v, "kind": k})
                break
    return out


def p(out, rel):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def w(out, rel, text):
    with open(p(out, rel), "w", encoding="utf-8") as f:
        f.write(text)


def main():
    out = os.path.abspath(sys.argv[1])
    only = set(sys.argv[2:])
    os.makedirs(out, exist_ok=True)
    m = Model()
    values = section_values(m)
    employees = section_values(m, {"社員名簿"})  # what a .csv holds
    form = section_values(m, FORM_SECTIONS)
    assert len(values) == len(m.planted)
    manifest = {"seed": m.__class__.__module__ + ".SEED", "files": {}, "failed": {}, "seconds": {}}
    mpath = os.path.join(out, "manifest.json")
    if only and os.path.exists(mpath):
        manifest = json.load(open(mpath))
    for fn in PRODUCERS:
        name = fn.__name__.replace("_", "-")
        if only and name not in only:
            continue
        t = time.time()
        try:
            files = fn(m, out)
        except Exception as e:  # a missing tool: recorded, the others go on
            manifest["failed"][name] = str(e)[:300]
            print("FAILED %-20s %s" % (name, str(e)[:200]), file=sys.stderr)
            continue
        manifest["failed"].pop(name, None)
        manifest["seconds"][name] = round(time.time() - t, 2)
        for rel, fmt in files:
            vals = employees if rel.endswith(".csv") else form if "hr-form" in rel else values
            manifest["files"][rel] = {"producer": name, "format": fmt, "values": vals}
        print("ok     %-20s %5.1f s  %s" % (name, time.time() - t, " ".join(r for r, _ in files)), file=sys.stderr)
    with open(mpath, "w") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
