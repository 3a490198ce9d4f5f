//! Synthetic, seeded corpus text for the benchmarks and `examples/gen_corpus`.
//!
//! Everything here is generated from a tiny SplitMix64 PRNG, so the same
//! seed always yields the same bytes (on any platform, with any Rust
//! version). No real personal data is used: names come from short lists of
//! common given names and family names combined at random, and every My
//! Number and card number is made up from random digits completed with its
//! check digit.
//!
//! The text is digit-heavy on purpose, the way storage exports are:
//! timestamps, ids, amounts, phone numbers, epoch milliseconds, 12-digit
//! order ids (one in eleven of them happens to pass the My Number check,
//! as in real data), plus a sprinkling of valid My Numbers and Luhn-valid
//! card numbers so the detectors do real work.
//!
//! Included by `benches/detectors.rs` (`mod corpus;`) and by
//! `examples/gen_corpus.rs` (`#[path = "../benches/corpus/mod.rs"]`).

#![allow(dead_code)] // each includer uses a different part

use std::io::Write;

use leakscan::validate::{complete_my_number, luhn_check_digit};

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, good enough for test
/// data, and fully specified, so the corpus is reproducible.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream for item `n` of a run seeded with `seed`.
    pub fn derive(seed: u64, n: u64) -> Rng {
        let mut r = Rng(seed ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len() as u64) as usize]
    }

    /// `n` random ASCII digits appended to `out`.
    pub fn digits(&mut self, out: &mut Vec<u8>, n: usize) {
        for _ in 0..n {
            out.push(b'0' + self.below(10) as u8);
        }
    }

    /// `n` random lower-case hex characters appended to `out`.
    pub fn hex(&mut self, out: &mut Vec<u8>, n: usize) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut bits = 0u64;
        for i in 0..n {
            if i % 16 == 0 {
                bits = self.next_u64();
            }
            out.push(HEX[(bits & 15) as usize]);
            bits >>= 4;
        }
    }
}

// ---------------------------------------------------------------------------
// Values

/// A made-up, valid My Number (random 11 digits + check digit), 12 digits.
pub fn my_number(rng: &mut Rng) -> String {
    let mut first = Vec::with_capacity(11);
    // never a leading zero run that could collide with documented test values
    first.push(b'1' + rng.below(9) as u8);
    rng.digits(&mut first, 10);
    complete_my_number(std::str::from_utf8(&first).expect("ascii digits"))
}

/// A made-up, Luhn-valid card number in a real brand's IIN range and length.
pub fn card_number(rng: &mut Rng) -> String {
    let mut p: Vec<u8> = Vec::with_capacity(19);
    let len = match rng.below(5) {
        0 | 1 => {
            p.push(b'4'); // Visa
            16
        }
        2 => {
            p.push(b'5'); // Mastercard 51-55
            p.push(b'1' + rng.below(5) as u8);
            16
        }
        3 => {
            let jcb = 3528 + rng.below(62); // JCB 3528-3589
            p.extend_from_slice(jcb.to_string().as_bytes());
            16
        }
        _ => {
            p.push(b'3'); // Amex 34/37
            p.push(if rng.one_in(2) { b'4' } else { b'7' });
            15
        }
    };
    let fill = len - 1 - p.len();
    rng.digits(&mut p, fill);
    let c = luhn_check_digit(&p);
    p.push(b'0' + c);
    String::from_utf8(p).expect("ascii digits")
}

/// A card number written the way people do: plain, or 4-4-4-4 with ` `/`-`.
pub fn card_written(rng: &mut Rng) -> String {
    let n = card_number(rng);
    if n.len() != 16 || rng.one_in(2) {
        return n;
    }
    let sep = if rng.one_in(2) { " " } else { "-" };
    [&n[0..4], &n[4..8], &n[8..12], &n[12..16]].join(sep)
}

/// A My Number, plain or in 4-4-4 groups.
pub fn my_number_written(rng: &mut Rng) -> String {
    let n = my_number(rng);
    if rng.one_in(3) {
        format!("{} {} {}", &n[0..4], &n[4..8], &n[8..12])
    } else {
        n
    }
}

const GIVEN: &[&str] = &[
    "Taro", "Hanako", "Kenji", "Yuki", "Aiko", "Haruto", "Sakura", "Ren", "Mei", "Sota", "Yui",
    "Riku", "Hina", "Daiki", "Emi", "Alex", "Sam", "Chris", "Jordan", "Taylor",
];
const FAMILY: &[&str] = &[
    "Sato",
    "Suzuki",
    "Takahashi",
    "Tanaka",
    "Watanabe",
    "Ito",
    "Yamamoto",
    "Nakamura",
    "Kobayashi",
    "Kato",
    "Yoshida",
    "Yamada",
    "Sasaki",
    "Smith",
    "Jones",
    "Brown",
];
const FAMILY_JA: &[&str] = &[
    "佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤",
];
const GIVEN_JA: &[&str] = &[
    "太郎",
    "花子",
    "健二",
    "由紀",
    "愛子",
    "陽翔",
    "さくら",
    "蓮",
    "芽依",
    "颯太",
];

fn name(rng: &mut Rng, out: &mut Vec<u8>) {
    if rng.one_in(3) {
        out.extend_from_slice(rng.pick(FAMILY_JA).as_bytes());
        out.extend_from_slice(rng.pick(GIVEN_JA).as_bytes());
    } else {
        out.extend_from_slice(rng.pick(GIVEN).as_bytes());
        out.push(b' ');
        out.extend_from_slice(rng.pick(FAMILY).as_bytes());
    }
}

/// Appends a decimal number.
fn num(out: &mut Vec<u8>, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends `n` zero-padded to `width` digits.
fn num_pad(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut i = buf.len();
    let mut n = n;
    while n > 0 || buf.len() - i < width {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&buf[i..]);
}

/// A Japanese mobile number: 090-1234-5678 (11 digits, not a token).
fn phone(rng: &mut Rng, out: &mut Vec<u8>) {
    match rng.below(4) {
        0 => {
            out.extend_from_slice(b"+81-");
            out.extend_from_slice(rng.pick(&["70", "80", "90"]).as_bytes());
        }
        1 => {
            out.extend_from_slice(b"03");
        }
        _ => out.extend_from_slice(rng.pick(&["070", "080", "090"]).as_bytes()),
    }
    out.push(b'-');
    rng.digits(out, 4);
    out.push(b'-');
    rng.digits(out, 4);
}

/// A wall-clock time as seconds since 2024-01-01 (advanced by the caller).
#[derive(Clone, Copy, Debug)]
pub struct Clock {
    secs: u64,
    millis: u64,
}

const EPOCH_2024: u64 = 1_704_067_200;

impl Clock {
    pub fn new(rng: &mut Rng) -> Clock {
        Clock {
            secs: rng.below(300 * 86_400),
            millis: 0,
        }
    }

    fn tick(&mut self, rng: &mut Rng) {
        self.millis += rng.below(900);
        self.secs += self.millis / 1000;
        self.millis %= 1000;
        if rng.one_in(50) {
            self.secs += rng.below(120);
        }
    }

    /// Civil date of `secs` since 2024-01-01 (a leap year; 2024 only, then
    /// 2025 with the same month table, which is close enough for test text).
    fn ymdhms(&self) -> (u64, u64, u64, u64, u64, u64) {
        const DAYS: [u64; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        let mut day = self.secs / 86_400;
        let rem = self.secs % 86_400;
        let year = 2024 + day / 366;
        day %= 366;
        let mut month = 0;
        while day >= DAYS[month] {
            day -= DAYS[month];
            month += 1;
        }
        (
            year,
            month as u64 + 1,
            day + 1,
            rem / 3600,
            rem / 60 % 60,
            rem % 60,
        )
    }

    /// `2024-03-15T12:34:56.789Z` (ISO) or `2024-03-15 12:34:56` (SQL).
    fn write(&self, out: &mut Vec<u8>, iso: bool) {
        let (y, mo, d, h, mi, s) = self.ymdhms();
        num(out, y);
        out.push(b'-');
        num_pad(out, mo, 2);
        out.push(b'-');
        num_pad(out, d, 2);
        out.push(if iso { b'T' } else { b' ' });
        num_pad(out, h, 2);
        out.push(b':');
        num_pad(out, mi, 2);
        out.push(b':');
        num_pad(out, s, 2);
        if iso {
            out.push(b'.');
            num_pad(out, self.millis, 3);
            out.push(b'Z');
        }
    }

    /// Epoch milliseconds: 13 digits, a number token the card detector checks.
    fn epoch_ms(&self) -> u64 {
        (EPOCH_2024 + self.secs) * 1000 + self.millis
    }
}

// ---------------------------------------------------------------------------
// Generators

/// The kinds of digit-heavy text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A CSV export with a header row.
    Csv,
    /// An application log.
    Log,
    /// JSON Lines events.
    Jsonl,
}

impl Kind {
    pub fn ext(self) -> &'static str {
        match self {
            Kind::Csv => "csv",
            Kind::Log => "log",
            Kind::Jsonl => "jsonl",
        }
    }
}

/// Rates of planted values, as "one line in N".
#[derive(Clone, Copy, Debug)]
pub struct Rates {
    /// A valid My Number.
    pub my_number: u64,
    /// A Luhn-valid card number.
    pub card: u64,
    /// A URL (the credential detector looks at every `://`).
    pub url: u64,
}

impl Default for Rates {
    fn default() -> Rates {
        Rates {
            my_number: 2_000,
            card: 3_000,
            url: 20,
        }
    }
}

/// Appends lines of one kind of text, reproducibly.
pub struct TextGen {
    kind: Kind,
    rng: Rng,
    clock: Clock,
    rates: Rates,
    /// CSV only: the export has a `my_number` column (mostly empty).
    my_number_column: bool,
    started: bool,
    row: u64,
}

const LEVELS: &[&str] = &["INFO", "INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"];
const EVENTS: &[&str] = &[
    "order placed",
    "order shipped",
    "payment authorized",
    "payment captured",
    "cart updated",
    "user login",
    "user logout",
    "stock reserved",
    "refund issued",
    "invoice generated",
    "注文を受け付けました",
    "発送済み",
    "決済が完了しました",
];
const PATHS: &[&str] = &[
    "/v1/orders",
    "/v1/users",
    "/v1/payments",
    "/v2/cart",
    "/healthz",
    "/v1/invoices",
];
const HOSTS: &[&str] = &[
    "api.example.com",
    "shop.example.jp",
    "internal.example.net",
    "cdn.example.org",
];
const CURRENCIES: &[&str] = &["JPY", "JPY", "JPY", "USD", "EUR"];
const STATUSES: &[&str] = &["paid", "pending", "shipped", "cancelled", "refunded"];
const PREFECTURES: &[&str] = &[
    "東京都",
    "大阪府",
    "神奈川県",
    "愛知県",
    "福岡県",
    "北海道",
    "京都府",
];

impl TextGen {
    pub fn new(kind: Kind, seed: u64) -> TextGen {
        let mut rng = Rng::new(seed);
        let clock = Clock::new(&mut rng);
        let my_number_column = kind == Kind::Csv && rng.one_in(4);
        TextGen {
            kind,
            rng,
            clock,
            rates: Rates::default(),
            my_number_column,
            started: false,
            row: 0,
        }
    }

    pub fn with_rates(mut self, rates: Rates) -> TextGen {
        self.rates = rates;
        self
    }

    /// Forces the CSV `my_number` column on or off.
    pub fn with_my_number_column(mut self, on: bool) -> TextGen {
        self.my_number_column = on && self.kind == Kind::Csv;
        self
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Appends whole lines to `out` until it holds at least `target` bytes.
    pub fn fill(&mut self, out: &mut Vec<u8>, target: usize) {
        if !self.started {
            self.started = true;
            if self.kind == Kind::Csv {
                self.csv_header(out);
            }
        }
        while out.len() < target {
            self.line(out);
        }
    }

    /// Appends one line.
    pub fn line(&mut self, out: &mut Vec<u8>) {
        self.row += 1;
        self.clock.tick(&mut self.rng);
        match self.kind {
            Kind::Csv => self.csv_row(out),
            Kind::Log => self.log_line(out),
            Kind::Jsonl => self.json_line(out),
        }
        out.push(b'\n');
    }

    fn csv_header(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(
            b"id,name,phone,amount,currency,status,prefecture,order_id,created_at",
        );
        if self.my_number_column {
            out.extend_from_slice(b",my_number");
        }
        out.extend_from_slice(b",note\n");
    }

    fn csv_row(&mut self, out: &mut Vec<u8>) {
        let r = &mut self.rng;
        num(out, 100_000 + self.row);
        out.push(b',');
        name(r, out);
        out.push(b',');
        phone(r, out);
        out.push(b',');
        num(out, r.range(100, 500_000));
        if r.one_in(4) {
            out.push(b'.');
            num_pad(out, r.below(100), 2);
        }
        out.push(b',');
        out.extend_from_slice(r.pick(CURRENCIES).as_bytes());
        out.push(b',');
        out.extend_from_slice(r.pick(STATUSES).as_bytes());
        out.push(b',');
        out.extend_from_slice(r.pick(PREFECTURES).as_bytes());
        out.push(b',');
        r.digits(out, 12); // a 12-digit order id: one in ~11 passes the My Number check
        out.push(b',');
        self.clock.write(out, false);
        let r = &mut self.rng;
        if self.my_number_column {
            out.push(b',');
            if r.one_in(self.rates.my_number / 4) {
                out.extend_from_slice(my_number(r).as_bytes());
            } else if r.one_in(3) {
                out.extend_from_slice(b"************");
            }
        }
        out.push(b',');
        if r.one_in(self.rates.card) {
            out.extend_from_slice(b"\"card ");
            out.extend_from_slice(card_written(r).as_bytes());
            out.push(b'"');
        } else if r.one_in(self.rates.my_number) {
            out.extend_from_slice("個人番号 ".as_bytes());
            out.extend_from_slice(my_number_written(r).as_bytes());
        } else if r.one_in(self.rates.url) {
            out.extend_from_slice(b"https://");
            out.extend_from_slice(r.pick(HOSTS).as_bytes());
            out.extend_from_slice(r.pick(PATHS).as_bytes());
            out.push(b'/');
            num(out, r.below(10_000_000));
        } else if r.one_in(5) {
            out.extend_from_slice(r.pick(EVENTS).as_bytes());
        }
    }

    fn log_line(&mut self, out: &mut Vec<u8>) {
        self.clock.write(out, true);
        let r = &mut self.rng;
        out.push(b' ');
        out.extend_from_slice(r.pick(LEVELS).as_bytes());
        out.extend_from_slice(b" [worker-");
        num(out, r.below(16));
        out.extend_from_slice(b"] req=");
        r.hex(out, 16);
        out.extend_from_slice(b" user_id=");
        num(out, r.range(1, 9_999_999));
        out.extend_from_slice(b" order_id=");
        r.digits(out, 12);
        out.extend_from_slice(b" amount=");
        num(out, r.range(100, 500_000));
        out.extend_from_slice(b" latency_ms=");
        num(out, r.below(2_000));
        if r.one_in(self.rates.url) {
            out.extend_from_slice(b" upstream=https://");
            out.extend_from_slice(r.pick(HOSTS).as_bytes());
            out.extend_from_slice(r.pick(PATHS).as_bytes());
            out.push(b'/');
            num(out, r.below(10_000_000));
        }
        if r.one_in(self.rates.card) {
            out.extend_from_slice(b" payment declined card=");
            out.extend_from_slice(card_written(r).as_bytes());
        } else if r.one_in(self.rates.my_number) {
            out.extend_from_slice(b" kyc my_number=");
            out.extend_from_slice(my_number_written(r).as_bytes());
        } else if r.one_in(10) {
            out.extend_from_slice(b" trace_ts=");
            num(out, self.clock.epoch_ms());
        }
        out.extend_from_slice(b" msg=\"");
        out.extend_from_slice(r.pick(EVENTS).as_bytes());
        out.push(b'"');
    }

    fn json_line(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"ts\":");
        num(out, self.clock.epoch_ms());
        let r = &mut self.rng;
        out.extend_from_slice(b",\"event\":\"");
        out.extend_from_slice(
            r.pick(&["purchase", "view", "add_to_cart", "refund", "signup"])
                .as_bytes(),
        );
        out.extend_from_slice(b"\",\"user_id\":");
        num(out, r.range(1, 9_999_999));
        out.extend_from_slice(b",\"order_id\":\"");
        r.digits(out, 12);
        out.extend_from_slice(b"\",\"amount\":");
        num(out, r.range(100, 500_000));
        out.extend_from_slice(b",\"currency\":\"");
        out.extend_from_slice(r.pick(CURRENCIES).as_bytes());
        out.extend_from_slice(b"\",\"items\":[");
        for i in 0..r.range(1, 3) {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"sku\":\"A-");
            num(out, r.range(1000, 9999));
            out.extend_from_slice(b"\",\"qty\":");
            num(out, r.range(1, 5));
            out.extend_from_slice(b",\"price\":");
            num(out, r.range(100, 50_000));
            out.push(b'}');
        }
        out.push(b']');
        if r.one_in(self.rates.url) {
            out.extend_from_slice(b",\"referrer\":\"https://");
            out.extend_from_slice(r.pick(HOSTS).as_bytes());
            out.extend_from_slice(r.pick(PATHS).as_bytes());
            out.push(b'"');
        }
        if r.one_in(self.rates.card) {
            out.extend_from_slice(b",\"card_number\":\"");
            out.extend_from_slice(card_number(r).as_bytes());
            out.push(b'"');
        } else if r.one_in(self.rates.my_number) {
            out.extend_from_slice(b",\"my_number\":\"");
            out.extend_from_slice(my_number(r).as_bytes());
            out.push(b'"');
        }
        out.push(b'}');
    }
}

/// `len` bytes (cut at a line end just past it) of digit-heavy text: blocks
/// of CSV, log and JSON Lines, 64 KiB each, in turn.
pub fn digit_heavy(seed: u64, len: usize) -> Vec<u8> {
    const BLOCK: usize = 64 * 1024;
    let mut gens = [
        TextGen::new(Kind::Csv, seed).with_my_number_column(true),
        TextGen::new(Kind::Log, seed.wrapping_add(1)),
        TextGen::new(Kind::Jsonl, seed.wrapping_add(2)),
    ];
    let mut out = Vec::with_capacity(len + 1024);
    let mut i = 0;
    while out.len() < len {
        let target = (out.len() + BLOCK).min(len);
        gens[i % 3].fill(&mut out, target);
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------
// Prose

const EN_WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "on",
    "report",
    "customer",
    "storage",
    "bucket",
    "export",
    "quarterly",
    "review",
    "team",
    "policy",
    "privacy",
    "retention",
    "backup",
    "schedule",
    "meeting",
    "project",
    "release",
    "notes",
    "security",
    "access",
    "owner",
    "department",
    "please",
    "confirm",
    "before",
    "after",
    "during",
    "migration",
    "archive",
    "document",
    "contract",
    "approval",
    "budget",
    "office",
    "training",
];
const JA_SENTENCES: &[&str] = &[
    "本日の会議では新しいバックアップ方針について議論しました。",
    "お客様の個人情報は適切に管理してください。",
    "来週のリリースに向けてテストを進めています。",
    "データの保存期間は社内規程に従います。",
    "詳細は添付の資料をご確認ください。",
    "担当者が不在のため、折り返しご連絡いたします。",
    "ストレージの移行作業は週末に実施予定です。",
    "アクセス権限の見直しを四半期ごとに行います。",
    "ご不明な点がございましたらお気軽にお問い合わせください。",
    "議事録を共有フォルダに保存しました。",
];

/// `len` bytes of English and Japanese prose with few digits (a date or a
/// small count now and then), in paragraphs.
pub fn prose(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(len + 1024);
    while out.len() < len {
        if rng.one_in(3) {
            for _ in 0..rng.range(2, 5) {
                out.extend_from_slice(rng.pick(JA_SENTENCES).as_bytes());
            }
        } else {
            for s in 0..rng.range(2, 5) {
                if s > 0 {
                    out.push(b' ');
                }
                let words = rng.range(6, 18);
                for w in 0..words {
                    let word = rng.pick(EN_WORDS);
                    if w == 0 {
                        let (first, rest) = word.split_at(1);
                        out.extend_from_slice(first.to_ascii_uppercase().as_bytes());
                        out.extend_from_slice(rest.as_bytes());
                    } else {
                        out.push(b' ');
                        out.extend_from_slice(word.as_bytes());
                    }
                    if rng.one_in(60) {
                        out.push(b' ');
                        num(&mut out, rng.range(1, 31));
                    }
                }
                out.push(b'.');
            }
        }
        out.extend_from_slice(b"\n\n");
    }
    out
}

// ---------------------------------------------------------------------------
// Small files

/// A small file (a few hundred bytes): a short CSV, a log excerpt, a JSON
/// record or a config snippet, named with a fitting extension.
pub fn small_file(seed: u64) -> (&'static str, Vec<u8>) {
    let mut rng = Rng::new(seed);
    let target = rng.range(200, 500) as usize;
    let mut out = Vec::with_capacity(target + 256);
    match rng.below(4) {
        0 => {
            TextGen::new(Kind::Csv, rng.next_u64()).fill(&mut out, target);
            ("csv", out)
        }
        1 => {
            TextGen::new(Kind::Log, rng.next_u64()).fill(&mut out, target);
            ("log", out)
        }
        2 => {
            TextGen::new(Kind::Jsonl, rng.next_u64()).fill(&mut out, target);
            ("json", out)
        }
        _ => {
            let _ = write!(
                out,
                "[service]\nname = \"orders-{}\"\nport = {}\nregion = \"ap-northeast-1\"\n\n[database]\nhost = \"db{}.internal.example.net\"\nuser = \"app\"\npassword = \"${{DB_PASSWORD}}\"\npool_size = {}\ntimeout_ms = {}\n",
                rng.below(100),
                rng.range(1024, 65535),
                rng.below(10),
                rng.range(1, 64),
                rng.range(100, 30_000),
            );
            ("toml", out)
        }
    }
}

/// The 300-byte input of the small-file benchmark: a short CSV export with
/// one valid My Number in a `my_number` column (one finding to emit).
pub fn small_300(seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(400);
    out.extend_from_slice(b"id,name,phone,amount,created_at,my_number\n");
    let mut gen = TextGen::new(Kind::Csv, rng.next_u64());
    let mut row = 0u64;
    while out.len() < 300 {
        row += 1;
        let mut line = Vec::new();
        num(&mut line, 100_000 + row);
        line.push(b',');
        name(&mut rng, &mut line);
        line.push(b',');
        phone(&mut rng, &mut line);
        line.push(b',');
        num(&mut line, rng.range(100, 500_000));
        line.push(b',');
        gen.clock.tick(&mut rng);
        gen.clock.write(&mut line, false);
        line.push(b',');
        if row == 2 {
            line.extend_from_slice(my_number(&mut rng).as_bytes());
        }
        line.push(b'\n');
        if out.len() + line.len() > 300 {
            // pad the last row's note so the input is exactly 300 bytes
            break;
        }
        out.extend_from_slice(&line);
    }
    while out.len() < 299 {
        out.push(b' ');
    }
    out.push(b'\n');
    out.truncate(300);
    out
}
