"""The synthetic Japanese HR content every producer writes (issue 13).

One seeded model, rendered by every producer in `gen.py`: an employee list
(社員名簿), a 扶養控除等申告書-like form, a 源泉徴収票-like slip, a card list
and a password sheet. Every value is synthetic: My Numbers are random digits
completed with the official check digit (番号法施行令 第8条), corporate
numbers with theirs, card numbers with Luhn in the brands' IIN ranges.
Decoys carry a wrong check digit and must never be reported.

`planted()` lists what a file holds: (value, kind) with kind one of
my_number, corporate_number, card, password, decoy_bad_check.
"""

import random

SEED = 13

FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
GIVEN = ["陽翔", "蓮", "結衣", "葵", "大翔", "さくら", "湊", "美咲", "悠真", "凛"]
TOWNS = ["東京都千代田区丸の内", "大阪府大阪市北区梅田", "神奈川県横浜市西区高島",
         "愛知県名古屋市中村区名駅", "福岡県福岡市博多区博多駅前", "北海道札幌市中央区北一条"]
SERVICES = ["社内ポータル", "給与システム", "勤怠管理", "経費精算", "VPN"]
PW_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
PW_SYMBOLS = "!#%+=?"


def my_number_check(d11):
    """Check digit of 11 digits (weights 6 5 4 3 2 7 6 5 4 3 2, mod 11)."""
    w = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
    r = sum(int(c) * x for c, x in zip(d11, w)) % 11
    return 0 if r <= 1 else 11 - r


def corporate_check(d12):
    """Leading check digit of a corporate number's 12 base digits."""
    s = sum(int(c) * (1 if i % 2 == 0 else 2) for i, c in enumerate(reversed(d12)))
    return 9 - s % 9


def luhn_check(payload):
    s = 0
    for i, c in enumerate(reversed(payload)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return (10 - s % 10) % 10


assert my_number_check("12345678901") == 8
assert my_number_check("02345678901") == 3
assert corporate_check("000012050002") == 7
assert corporate_check("180301018771") == 1
assert luhn_check("411111111111111") == 1


class Model:
    """The HR content, built from one seed."""

    def __init__(self, seed=SEED):
        rng = random.Random(seed)
        self.rng = rng
        self.planted = []  # (value, kind)

        def mn(zeros=0):
            d = "0" * zeros + "".join(rng.choice("0123456789") for _ in range(11 - zeros))
            if zeros == 0 and d[0] == "0":
                d = "1" + d[1:]
            v = d + str(my_number_check(d))
            self.planted.append((v, "my_number"))
            return v

        def bad_mn():
            d = "".join(rng.choice("123456789") for _ in range(1)) + "".join(
                rng.choice("0123456789") for _ in range(10))
            c = (my_number_check(d) + 1 + rng.randrange(8)) % 10
            if c == my_number_check(d):
                c = (c + 1) % 10
            v = d + str(c)
            self.planted.append((v, "decoy_bad_check"))
            return v

        def name():
            return rng.choice(FAMILY) + " " + rng.choice(GIVEN)

        def birth():
            return "%d-%02d-%02d" % (rng.randrange(1960, 2003), rng.randrange(1, 13), rng.randrange(1, 29))

        def addr():
            return "%s%d-%d-%d" % (rng.choice(TOWNS), rng.randrange(1, 9), rng.randrange(1, 20), rng.randrange(1, 30))

        # 社員名簿: 10 rows, rows 2 and 6 with one leading zero, row 9 with two,
        # rows 4 and 8 decoys (bad check digit in the 個人番号 column).
        self.employees_header = ["社員番号", "氏名", "個人番号", "生年月日", "住所"]
        self.employees = []
        for i in range(10):
            if i in (3, 7):
                num = bad_mn()
            else:
                num = mn(zeros={1: 1, 5: 1, 8: 2}.get(i, 0))
            self.employees.append(["E%04d" % (1001 + i), name(), num, birth(), addr()])

        # 扶養控除等申告書: the filer's number (boxed in forms) and 3 dependents.
        self.filer = [name(), mn(), birth(), addr()]
        self.dependents_header = ["氏名", "続柄", "個人番号", "生年月日"]
        self.dependents = [[name(), rel, mn(), birth()] for rel in ("配偶者", "長男", "長女")]

        # 源泉徴収票: the payee's My Number and the payer's corporate number.
        base = "".join(rng.choice("0123456789") for _ in range(12))
        corp = str(corporate_check(base)) + base
        self.planted.append((corp, "corporate_number"))
        self.slip = [
            ("支払を受ける者 氏名", name()),
            ("支払を受ける者 住所", addr()),
            ("支払を受ける者の個人番号", mn()),
            ("種別", "給料・賞与"),
            ("支払金額", "5,432,100"),
            ("源泉徴収税額", "123,400"),
            ("支払者 名称", "株式会社サンプル商事"),
            ("支払者の法人番号", corp),
        ]

        # カード一覧: 6 Luhn-valid cards of major brands, 1 decoy failing Luhn.
        self.cards_header = ["名義人", "ブランド", "カード番号", "有効期限"]
        self.cards = []
        brands = [("VISA", "4", 16), ("Mastercard", "5" + rng.choice("12345"), 16),
                  ("Mastercard", "2" + rng.choice("3456"), 16), ("AMEX", rng.choice(["34", "37"]), 15),
                  ("JCB", "35" + str(rng.randrange(28, 90)), 16), ("Diners", "36", 14)]
        for k, (brand, prefix, n) in enumerate(brands):
            payload = prefix + "".join(rng.choice("0123456789") for _ in range(n - 1 - len(prefix)))
            pan = payload + str(luhn_check(payload))
            self.planted.append((pan, "card"))
            self.cards.append([name(), brand, group(pan) if k % 2 else pan,
                               "%02d/%02d" % (rng.randrange(1, 13), rng.randrange(27, 32))])
        payload = "4" + "".join(rng.choice("0123456789") for _ in range(14))
        bad = payload + str((luhn_check(payload) + 3) % 10)
        self.planted.append((bad, "decoy_bad_check"))
        self.cards.append([name(), "VISA", bad, "08/29"])

        # パスワード管理表
        self.passwords_header = ["サービス", "ユーザー名", "パスワード"]
        self.passwords = []
        for s in SERVICES[:4]:
            pw = rng.choice(PW_CHARS) + "".join(
                rng.choice(PW_CHARS + PW_SYMBOLS) for _ in range(11)) + rng.choice("23456789")
            self.planted.append((pw, "password"))
            self.passwords.append([s, "user%02d" % rng.randrange(1, 99), pw])

    def sheets(self):
        """(name, rows) per section, header row first: the table view."""
        filer_rows = [["区分", "氏名", "続柄", "個人番号", "生年月日"],
                      ["提出者", self.filer[0], "本人", self.filer[1], self.filer[2]]]
        filer_rows += [["扶養親族", d[0], d[1], d[2], d[3]] for d in self.dependents]
        return [
            ("社員名簿", [self.employees_header] + self.employees),
            ("扶養控除等申告書", filer_rows),
            ("源泉徴収票", [["項目", "内容"]] + [list(r) for r in self.slip]),
            ("カード一覧", [self.cards_header] + self.cards),
            ("パスワード", [self.passwords_header] + self.passwords),
        ]

    def text(self):
        """Plain-text rendering (tab-separated tables under a heading)."""
        out = []
        for title, rows in self.sheets():
            out.append("■ " + title)
            out.extend("\t".join(r) for r in rows)
            out.append("")
        return "\n".join(out) + "\n"


def group(pan):
    """Card number in the brand's printed grouping (4-6-5 for 15, 4-6-4 for 14)."""
    if len(pan) == 15:
        return " ".join([pan[:4], pan[4:10], pan[10:]])
    if len(pan) == 14:
        return " ".join([pan[:4], pan[4:10], pan[10:]])
    return "-".join(pan[i:i + 4] for i in range(0, len(pan), 4))
