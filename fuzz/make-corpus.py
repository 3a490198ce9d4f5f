#!/usr/bin/env python3
"""Builds the seed corpora under fuzz/corpus/<target>/ from the repository's
fixtures (tests/fixtures/faults, examples/bucket-dump), the shared bug
cases (../shared/cases/bugs/*/input, when present) and a few generated
inputs. Seeds are named seed-*; files over 200 KB are skipped.

    python3 fuzz/make-corpus.py [SHARED_BUGS_DIR]
"""
import gzip, io, os, re, sys, zipfile, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")
BUGS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "cases", "bugs")
MAX = 200 * 1024
NAMES = ["x.txt", "x.csv", "x.json", "x.zip", "x.eml", "x.pdf", "x.xlsx", "x.gz"]


def pick(name):
    n = name.lower()
    for ext, i in [(".csv", 1), (".json", 2), (".jsonl", 2), (".ipynb", 2), (".zip", 3),
                   (".docx", 3), (".docm", 3), (".xlsm", 3), (".eml", 4), (".pdf", 5),
                   (".xlsx", 6), (".gz", 7), (".tgz", 7)]:
        if n.endswith(ext):
            return i
    return 0


def safe(s):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", s)[-80:]


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + safe(name)), "wb") as f:
        f.write(data)


def sources():
    for base in [os.path.join(ROOT, "tests", "fixtures", "faults"),
                 os.path.join(ROOT, "examples", "bucket-dump")]:
        for dp, _, fs in sorted(os.walk(base)):
            for f in sorted(fs):
                p = os.path.join(dp, f)
                yield os.path.relpath(p, ROOT), p
    if os.path.isdir(BUGS):
        for case in sorted(os.listdir(BUGS)):
            inp = os.path.join(BUGS, case, "input")
            for dp, _, fs in sorted(os.walk(inp)):
                for f in sorted(fs):
                    p = os.path.join(dp, f)
                    yield case + "/" + os.path.relpath(p, inp), p


def zip_parts(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    except Exception:
        return {}


# --- generated inputs -------------------------------------------------------

MY_NUMBER = b"123456789018"  # the well-known test value (check digit valid)
VISA = b"4111111111111111"


def gen_pdf():
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            b"2 beginbfchar <0001> <500B> <0002> <756A> endbfchar\n"
            b"1 beginbfrange <0010> <0019> <0030> endbfrange\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end\n")
    content = (b"BT /F1 12 Tf 72 700 Td (My Number: 1234 5678 9018) Tj T* "
               b"[(card ) -120 (4111 1111 1111 1111)] TJ 0 -14 Td "
               b"<000100020011001200130014001500160017001800190010> Tj ET\n")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    ]
    z = zlib.compress(content)
    objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(z) + z + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type0 /ToUnicode 6 0 R >>")
    zc = zlib.compress(cmap)
    objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(zc) + zc + b"\nendstream")
    out = b"%PDF-1.7\n"
    for i, o in enumerate(objs, 1):
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    return out + b"trailer << /Root 1 0 R >>\n%%EOF\n"


WORKBOOK = (b'<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="\xe7\xa4\xbe\xe5\x93\xa1" sheetId="1" r:id="rId1"/>'
            b'<sheet name="B" sheetId="2" r:id="rId2"/></sheets></workbook>')
RELS = (b'<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
        b'<Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>')
SHEET = (b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr">'
         b'<is><t>name</t></is></c></row><row r="3"><c r="A3"><v>1.23456789018E+11</v></c>'
         b'<c r="C3" t="s"><v>1</v></c><c r="XFD3"><v>23456789012</v></c></row>'
         b'<row r="1048576"><c r="A1048576" t="str"><v>x</v></c></row></sheetData></worksheet>')
SHARED = (b'<sst><si><t>\xe5\x80\x8b\xe4\xba\xba\xe7\x95\xaa\xe5\x8f\xb7</t></si>'
          b'<si><r><t>4111 1111 </t></r><r><t>1111 1111</t></r></si></sst>')
DOCUMENT = (b'<w:document><w:body><w:p><w:r><w:t>9832 </w:t></w:r><w:r><w:t>0567 3214</w:t></w:r></w:p>'
            b'<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:tab/>'
            b'<w:t>b</w:t><w:br/></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>')


def gen_xlsx():
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", RELS)
        z.writestr("xl/worksheets/sheet1.xml", SHEET)
        z.writestr("xl/sharedStrings.xml", SHARED)
    return b.getvalue()


def gen_mail():
    att = gzip.compress(b"id,\xe5\x80\x8b\xe4\xba\xba\xe7\x95\xaa\xe5\x8f\xb7\n1,123456789018\n")
    import base64
    eml = (b"From: a <a@example.com>\r\nTo: b@example.com\r\nSubject: =?ISO-2022-JP?B?GyRCJTUlcyVXJWsbKEI=?=\r\n"
           b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
           b"--XX\r\nContent-Type: text/plain; charset=shift_jis\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
           b"card 4111=201111=201111=201111\r\n"
           b"--XX\r\nContent-Type: application/gzip; name=\"a.csv.gz\"\r\nContent-Transfer-Encoding: base64\r\n"
           b"Content-Disposition: attachment; filename=\"a.csv.gz\"\r\n\r\n" + base64.encodebytes(att) +
           b"--XX\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\nMy Number 123456789018\r\n"
           b"--XX--\r\n")
    digest = (b"Subject: digest\r\nContent-Type: multipart/digest; boundary=D1\r\n\r\n"
              b"--D1\r\n\r\nSubject: part\r\nContent-Type: multipart/digest; boundary=D2\r\n\r\n"
              b"--D2\r\n\r\nSubject: leaf\r\n\r\n4111111111111111\r\n--D2--\r\n--D1--\r\n")
    mbox = (b"From a@example.com Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody 123456789018\n\n"
            b"From b@example.com Mon Jan  1 00:00:01 2024\nSubject: two\n\n>From quoted\n"
            + eml.replace(b"\r\n", b"\n"))
    return eml, digest, mbox


def gen_texts():
    ja = "個人番号: 1234 5678 9018\nカード番号　４１１１－１１１１－１１１１－１１１１\nパスワード=ｈｕｎｔｅｒ2\n"
    return {
        "utf8.txt": ja.encode(),
        "sjis.csv": ja.encode("cp932"),
        "eucjp.txt": ja.replace("－", "-").encode("euc_jp"),
        "iso2022jp.txt": ja.replace("－", "-").encode("iso2022_jp"),
        "utf16le-bom.txt": b"\xff\xfe" + ja.encode("utf-16-le"),
        "utf16be-nobom.txt": ("password=hunter2\n" * 4).encode("utf-16-be"),
        "ascii-then-sjis.csv": b"#" * 9000 + b"\n" + ja.encode("cp932"),
        "gbk.txt": "身份证 123456789018\n".encode("gbk"),
        "utf8-bom.json": b"\xef\xbb\xbf" + '{"mynumber": "123456789018"}'.encode(),
    }


def main():
    total = 0
    for name, path in sources():
        size = os.path.getsize(path)
        if size > MAX or size == 0:
            continue
        data = open(path, "rb").read()
        base = os.path.basename(name).lower()
        put("scan_bytes", name, bytes([pick(name)]) + data)
        if data.startswith(b"%PDF") or base.endswith(".pdf"):
            put("pdf_text", name, data)
        if base.endswith((".eml", ".mbox")) or data[:5] == b"From ":
            put("mail", name, data)
        if base.endswith(".gz") and "eml" in base and len(gzip.decompress(data)) <= MAX:
            put("mail", name[:-3], gzip.decompress(data)[:MAX])
        if not b"\0" in data[:8192] or base.endswith(".txt"):
            if size <= 64 * 1024:
                put("decode", name, b"\x10\x07" + data)
        parts = zip_parts(data)
        if "xl/workbook.xml" in parts:
            rels = parts.get("xl/_rels/workbook.xml.rels", b"")
            put("ooxml", name + "-workbook", parts["xl/workbook.xml"] + b"\0" + rels)
        for pn, pd in parts.items():
            if pn.endswith(".xml") and len(pd) <= 64 * 1024 and (
                    pn.startswith(("xl/worksheets/", "word/", "ppt/slides/")) or pn.endswith("sharedStrings.xml")):
                shared = parts.get("xl/sharedStrings.xml", b"")
                put("ooxml", name + "-" + pn, pd + (b"\0" + shared if pn.startswith("xl/worksheets/") else b""))
    pdf = gen_pdf()
    put("pdf_text", "gen-flate-cmap.pdf", pdf)
    put("scan_bytes", "gen-flate-cmap.pdf", bytes([5]) + pdf)
    put("ooxml", "gen-sheet", SHEET + b"\0" + SHARED)
    put("ooxml", "gen-workbook", WORKBOOK + b"\0" + RELS)
    put("ooxml", "gen-document", DOCUMENT)
    xlsx = gen_xlsx()
    put("scan_bytes", "gen.xlsx", bytes([6]) + xlsx)
    eml, digest, mbox = gen_mail()
    for n, d, p in [("gen.eml", eml, 4), ("gen-digest.eml", digest, 4), ("gen.mbox", mbox, 0)]:
        put("mail", n, d)
        put("scan_bytes", n, bytes([p]) + d)
    for n, d in gen_texts().items():
        put("decode", "gen-" + n, b"\x10\x07" + d)
        put("decode", "gen-feed1-" + n, b"\x00\x00" + d)
        put("scan_bytes", "gen-" + n, bytes([pick(n)]) + d)
    put("scan_bytes", "gen-utf8-small-window.txt", bytes([0x80]) + gen_texts()["ascii-then-sjis.csv"])
    tar_csv = b"a,b\n" + b" " * 253 + b"ustar\x0000" + b"\n123456789018,4111111111111111\n"
    put("scan_bytes", "gen-ustar.csv", bytes([1]) + tar_csv)
    put("scan_bytes", "gen-csv.gz", bytes([7]) + gzip.compress(gen_texts()["sjis.csv"]))
    documents()
    zipdir()
    for dp, _, fs in os.walk(CORPUS):
        total += sum(os.path.getsize(os.path.join(dp, f)) for f in fs)
    print("corpus bytes:", total)


DOC_NAMES = [".7z", ".sql", ".sqlite", ".html", ".md", ".rtf", ".odt", ".odp", ".tar", ".xz",
             ".zst", ".bz2"]
DOC_ALIASES = {".sqlite3": ".sqlite", ".db": ".sqlite", ".htm": ".html", ".xhtml": ".html",
               ".tgz": ".tar", ".dump": ".sql"}


def documents():
    """Seeds for `documents` (the newer readers, by name) and `legacy_office`
    (the compound files of Word and PowerPoint) from the real-producer fixtures."""
    base = os.path.join(ROOT, "tests", "fixtures")
    for dp, _, fs in sorted(os.walk(base)):
        for f in sorted(fs):
            p = os.path.join(dp, f)
            size = os.path.getsize(p)
            if size == 0 or size > MAX:
                continue
            data = open(p, "rb").read()
            name = os.path.relpath(p, base)
            low = f.lower()
            if low.endswith(".gz") and not low.endswith((".tar.gz", ".eml.gz")):
                inner = gzip.decompress(data)
                if len(inner) <= MAX:
                    data, low = inner, low[:-3]
            ext = os.path.splitext(low)[1]
            ext = DOC_ALIASES.get(ext, ext)
            if ext in DOC_NAMES:
                put("documents", name, bytes([DOC_NAMES.index(ext)]) + data)
            if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") and ext != ".xls":
                put("legacy_office", name, b"\x00" + data)



class Unseekable:
    """A writer zipfile cannot seek back in: members get data descriptors."""

    def __init__(self, b):
        self.b = b

    def write(self, data):
        return self.b.write(data)

    def flush(self):
        pass


def gen_zips():
    """Zips the fixtures do not have: a self-extractor's stub before the
    archive, a comment after it, zip64 end records, an empty zip, data
    descriptors (a streamed writer) and directory entries."""
    names = ["a.txt", "dir/", "dir/b.csv", "\u500b\u4eba/c.txt"]

    def make(force64=False, comment=b"", stream=False, n=4, extras=False):
        b = io.BytesIO()
        limit, limit64 = zipfile.ZIP_FILECOUNT_LIMIT, zipfile.ZIP64_LIMIT
        if force64:
            zipfile.ZIP_FILECOUNT_LIMIT = -1  # zip64 end records whatever the count
        if extras:
            zipfile.ZIP64_LIMIT = -1  # and zip64 extra fields in every header
        try:
            with zipfile.ZipFile(Unseekable(b) if stream else b, "w", zipfile.ZIP_DEFLATED) as z:
                for name in names[:n]:
                    # a fixed date: the seeds do not change from run to run
                    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    if name.endswith("/"):
                        info.external_attr = 0o40755 << 16 | 0x10
                        z.writestr(info, b"")
                    elif stream:
                        with z.open(info, "w") as f:
                            f.write(b"id,card\n1,4111111111111111\n")
                    else:
                        z.writestr(info, b"My Number 123456789018\n")
                z.comment = comment
        finally:
            zipfile.ZIP_FILECOUNT_LIMIT, zipfile.ZIP64_LIMIT = limit, limit64
        return b.getvalue()

    def zip64_end(entries, size, offset, at):
        """Zip64 end records and locator for a record at `at`, any u64 values."""
        import struct
        rec = b"PK\x06\x06" + struct.pack("<QHHII", 44, 45, 45, 0, 0)
        rec += struct.pack("<QQQQ", entries, entries, size, offset)
        loc = b"PK\x06\x07" + struct.pack("<IQI", 0, at, 1)
        end = b"PK\x05\x06" + b"\0" * 4 + b"\xff" * 12 + b"\0\0"
        return rec + loc + end

    plain = make()
    return {
        "gen-zip64-offset-near-u64-max.zip": b"\0" * 64 + zip64_end(1, 46, 2**64 - 11, 64),
        "gen-zip64-empty-offset-near-u64-max.zip": b"\0" * 64 + zip64_end(0, 10, 2**64 - 6, 64),
        "gen-plain.zip": plain,
        "gen-sfx.zip": b"#!/bin/sh\nexit 0\n" + b"\0" * 200 + plain,
        "gen-comment.zip": make(comment=b"PK\x05\x06 in the comment"),
        "gen-zip64.zip": make(force64=True),
        "gen-zip64-extras.zip": make(force64=True, extras=True),
        "gen-stream.zip": make(stream=True),
        "gen-empty.zip": make(n=0),
        "gen-empty64.zip": make(force64=True, n=0),
    }


def zipdir():
    """Seeds for `zipdir`: every fixture that has a zip end record (zips,
    Office and ODF packages, the fault fixtures), whole, and generated zips."""
    base = os.path.join(ROOT, "tests", "fixtures")
    for dp, _, fs in sorted(os.walk(base)):
        for f in sorted(fs):
            p = os.path.join(dp, f)
            size = os.path.getsize(p)
            if size == 0 or size > MAX:
                continue
            data = open(p, "rb").read()
            if b"PK\x05\x06" in data[-(22 + 0xFFFF):]:
                put("zipdir", os.path.relpath(p, base), data)
    for n, d in gen_zips().items():
        put("zipdir", n, d)
        put("scan_bytes", n, bytes([3]) + d)


main()
