#!/usr/bin/env python3
"""Writes examples/bucket-dump: a synthetic copy of a leaky HR bucket.

Every identifier is generated here with the official check-digit / Luhn
algorithms from a fixed seed; names are invented. No real personal data.
Run from the repository root: python3 examples/make_bucket_dump.py
"""
import os
import random
import shutil

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bucket-dump")
rng = random.Random(20240322)


def my_number():
    while True:
        first = "".join(rng.choice("0123456789") for _ in range(11))
        w = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
        r = sum(int(d) * k for d, k in zip(first, w)) % 11
        n = first + str(0 if r <= 1 else 11 - r)
        if len(set(n)) > 1:
            return n


def luhn_complete(payload):
    for c in "0123456789":
        s = payload + c
        total = 0
        for i, d in enumerate(reversed(s)):
            v = int(d)
            if i % 2:
                v *= 2
                v -= 9 if v > 9 else 0
            total += v
        if total % 10 == 0:
            return s


def card(prefix, length):
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return luhn_complete(body)


def bad_check(n):
    return n[:-1] + str((int(n[-1]) + 1) % 10)


def b64(n):
    a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    return "".join(rng.choice(a) for _ in range(n))


def alnum(n, alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"):
    return "".join(rng.choice(alphabet) for _ in range(n))


def write(rel, data, mode="w"):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00" + b"\x00" * 32
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64

if os.path.exists(ROOT):
    shutil.rmtree(ROOT)

names = ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲", "田中 健"]

# 1. Employee master exported from Excel: My Number column (high).
rows = ["社員番号,氏名,マイナンバー,電話番号,入社日"]
for i, name in enumerate(names):
    rows.append(f"{1001 + i},{name},{my_number()},090{rng.randint(10000000, 99999999)},2019-04-0{i + 1}")
write("hr/employees_2024.csv", "\r\n".join(rows) + "\r\n")

# 2. A dependant-deduction form as text: label above a grouped number
#    (medium) and a spouse's number labelled on its own line (high).
n1, n2 = my_number(), my_number()
write(
    "hr/forms/扶養控除等申告書_yamada.txt",
    "令和6年分 給与所得者の扶養控除等（異動）申告書\n"
    "氏名: 山田 太郎\n"
    "あなたの個人番号\n"
    f"{n1[:4]} {n1[4:8]} {n1[8:]}\n"
    f"配偶者個人番号: {n2}\n"
    "住所: 東京都千代田区千代田1-1\n",
)

# 3. ID-document scans (magic bytes decide, not extensions).
write("hr/id-scans/マイナンバーカード_裏_0001.jpg", JPEG, "wb")
write("hr/id-scans/passport_tanaka.png", PNG, "wb")
write("hr/id-scans/本人確認/IMG_2041.HEIC", HEIC, "wb")
write("hr/id-scans/運転免許証_suzuki.dat", JPEG, "wb")

# 4. Orders with card numbers in JSON Lines (high with the key), a test PAN
#    (low, not reported) and Luhn-invalid order ids (decoys).
visa, master = card("4", 16), card("53", 16)
lines = [
    f'{{"order_id": "{bad_check(card("4", 16))}", "card_number": "{visa}", "amount": 12800}}',
    f'{{"order_id": "{bad_check(card("5", 16))}", "card_number": "{master[:4]}-{master[4:8]}-{master[8:12]}-{master[12:]}", "amount": 4300}}',
    '{"order_id": "A-1003", "card_number": "4111111111111111", "amount": 100, "note": "staging test card"}',
]
write("payments/orders-2024-03.jsonl", "\n".join(lines) + "\n")

# 5. Credentials left in config and backups.
write(
    "config/app.env",
    "APP_ENV=production\n"
    f"DB_PASSWORD={alnum(6)}!{alnum(6)}\n"
    f"AWS_ACCESS_KEY_ID=AKIA{alnum(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}\n"
    f"AWS_SECRET_ACCESS_KEY={alnum(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+')}\n"
    "# the documented example key is not a leak:\n"
    "# AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
)
write(
    "config/settings.yaml",
    "database:\n"
    "  host: db.internal\n"
    "  user: app\n"
    "  password: ${DB_PASSWORD}\n"
    "smtp:\n"
    "  smtp_password: changeme\n"
    "slack:\n"
    f"  bot_token: xoxb-{rng.randint(10**11, 10**12 - 1)}-{rng.randint(10**12, 10**13 - 1)}-{alnum(24)}\n",
)
write(
    "backups/home/deploy/.ssh/id_rsa",
    "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(b64(70) for _ in range(4)) + "\n-----END OPENSSH PRIVATE KEY-----\n",
)
write(
    "backups/home/deploy/.git-credentials",
    f"https://deploy:ghp_{alnum(36)}@github.com\n",
)

# 6. Decoys: logs full of 12-digit ids that fail the check digit, a bare
#    valid number without context (low), a logo, and the official example.
log = []
for i in range(40):
    ts = f"2024-03-01T09:{i:02d}:00Z"
    log.append(f"{ts} INFO request_id={bad_check(my_number())} user={rng.randint(1000, 9999)} status=200")
log.append(f"2024-03-01T10:00:00Z INFO session {my_number()} refreshed")
write("logs/app-2024-03-01.log", "\n".join(log) + "\n")
write("assets/logo.png", PNG, "wb")
write(
    "docs/README.md",
    "# HR export\n\nマイナンバーの例: 123456789018 (official example, not a person)\n"
    "AWS keys in docs look like AKIAIOSFODNN7EXAMPLE.\n",
)
# 8. Last year's HR export, kept as a tar.gz backup: archives are searched
#    (member hr-2023/employees.csv, the header applies as on disk).
import gzip
import io
import tarfile

old_rows = ["社員番号,氏名,個人番号"]
for i, name in enumerate(names[:2]):
    old_rows.append(f"{2001 + i},{name},{my_number()}")
payload = ("\r\n".join(old_rows) + "\r\n").encode()
tar_buf = io.BytesIO()
with tarfile.open(fileobj=tar_buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
    info = tarfile.TarInfo("hr-2023/employees.csv")
    info.size, info.mtime, info.mode = len(payload), 0, 0o644
    tar.addfile(info, io.BytesIO(payload))
write("backups/hr-2023.tar.gz", gzip.compress(tar_buf.getvalue(), mtime=0), "wb")

# 9. Another Japanese identifier: a driver's licence number (a published
#    test vector, not a person's) with its keyword.
write(
    "hr/forms/本人確認書類_suzuki.txt",
    "本人確認書類: 運転免許証（写し）\n運転免許証番号: 459803358720\n",
)
print("wrote", ROOT)
