//! XML parts read as streams: a document part is parsed as it is read and
//! turned into text as it goes, never held whole.
//!
//! [`open`] puts a part under a byte cap and a [`TokenCap`] (the most one
//! XML token — a text node, a tag — may hold in memory) and gives a
//! quick-xml reader over it; a [`Produce`] turns its events into text
//! (paragraphs as lines, rows as CSV), and [`XmlText`] serves that text as
//! a reader the scanner reads like any file. What stops a part early is a
//! [`Stop`]: a limit (a recorded `archive_limit` gap) or damage, said in
//! leakscan's own words, never quick-xml's (its messages quote the data).

use std::borrow::Cow;
use std::cell::Cell;
use std::io::{self, BufReader, Read};
use std::rc::Rc;

use quick_xml::events::{BytesStart, Event};

use super::limits::{is_limit, Consumed, LimitHit, Metered};
use crate::outcome::Damage;

/// The most one XML token may hold: a text node or a tag longer than this
/// (4 MiB, far past Excel's 32,767 characters a cell) stops the part.
pub const MAX_TOKEN: u64 = 4 << 20;

/// A quick-xml reader over a part, as [`open`] makes it.
pub type XmlReader<'a> = quick_xml::Reader<BufReader<TokenCap<Box<dyn Read + 'a>>>>;

/// A quick-xml reader over `part`, which may give at most `cap` bytes, and
/// the count of the bytes read from it so far.
pub fn open<'a>(part: impl Read + 'a, cap: u64) -> (XmlReader<'a>, Rc<Cell<u64>>) {
    let (counted, consumed) = Consumed::new(Metered::new(part, cap));
    let boxed: Box<dyn Read + 'a> = Box::new(counted);
    let capped = TokenCap {
        inner: boxed,
        run: 0,
        max: MAX_TOKEN,
    };
    (
        quick_xml::Reader::from_reader(BufReader::new(capped)),
        consumed,
    )
}

/// Stops with [`LimitHit`] once more than `max` bytes pass without a `<`
/// or `>`: what quick-xml must hold to give one event is bounded.
pub struct TokenCap<R> {
    inner: R,
    run: u64,
    max: u64,
}

impl<R: Read> Read for TokenCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        // the token running into this chunk ends at its first delimiter
        let first = memchr::memchr2(b'<', b'>', chunk).unwrap_or(n);
        let over = self.run + first as u64 > self.max;
        match memchr::memrchr2(b'<', b'>', chunk) {
            Some(last) => self.run = (n - last - 1) as u64,
            None => self.run += n as u64,
        }
        if over || self.run > self.max {
            return Err(io::Error::other(LimitHit));
        }
        Ok(n)
    }
}

/// Why a part stopped before its end.
#[derive(Debug)]
pub enum Stop {
    /// A limit: the rest was not read (an `archive_limit` gap).
    Limit,
    /// The part is damaged.
    Damage(Damage),
}

impl From<quick_xml::Error> for Stop {
    fn from(e: quick_xml::Error) -> Stop {
        match e {
            quick_xml::Error::Io(io) if is_limit(&io) => Stop::Limit,
            quick_xml::Error::Io(_) => Stop::Damage(Damage::Part),
            _ => Stop::Damage(Damage::Xml),
        }
    }
}

impl Stop {
    /// As the I/O error a member read ends with: a [`LimitHit`] for a
    /// limit, the [`Damage`] otherwise.
    pub fn error(self) -> io::Error {
        match self {
            Stop::Limit => io::Error::other(LimitHit),
            Stop::Damage(d) => d.error(),
        }
    }
}

/// Turns XML events into text.
pub trait Produce {
    /// Reads the next event and appends its text, if any, to `out`;
    /// `Ok(false)` at the end of the part.
    fn produce(&mut self, out: &mut Vec<u8>) -> Result<bool, Stop>;
}

/// The text a [`Produce`] makes, as a reader: at most one event's text is
/// held at a time.
pub struct XmlText<P> {
    /// What makes the text (its counts can be read after the part).
    pub producer: P,
    out: Vec<u8>,
    pos: usize,
    done: bool,
    failed: bool,
}

impl<P: Produce> XmlText<P> {
    /// Serves what `producer` makes.
    pub fn new(producer: P) -> XmlText<P> {
        XmlText {
            producer,
            out: Vec::new(),
            pos: 0,
            done: false,
            failed: false,
        }
    }

    /// Whether the producer made all its text: it ended, and not at a
    /// [`Stop`].
    pub fn complete(&self) -> bool {
        self.done && !self.failed
    }

    /// The producer, once its text is read.
    pub fn into_producer(self) -> P {
        self.producer
    }
}

impl<P: Produce> Read for XmlText<P> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.out.clear();
            self.pos = 0;
            match self.producer.produce(&mut self.out) {
                Ok(more) => self.done = !more,
                Err(stop) => {
                    self.done = true;
                    self.failed = true;
                    // what was made before the stop is not served: it is
                    // at most one event's text
                    self.out.clear();
                    return Err(stop.error());
                }
            }
        }
        // what is left of the made text, as a slice reads it
        let n = (&self.out[self.pos..]).read(buf)?;
        self.pos += n;
        Ok(n)
    }
}

/// Elements inside a line of text (runs, spans, links, tracked changes):
/// their end does not end the line, so a number split across them is
/// read whole (`<w:r><w:t>1234</w:t></w:r><w:r><w:t>5678…`).
pub const INLINE: &[&[u8]] = &[
    b"r",
    b"t",
    b"delText",
    b"instrText",
    b"rPr",
    b"span",
    b"a",
    b"s",
    b"tab",
    b"ins",
    b"del",
    b"smartTag",
    b"hyperlink",
    b"fldSimple",
    b"sdtContent",
    b"bookmarkStart",
    b"bookmarkEnd",
    b"proofErr",
    b"softHyphen",
    b"noBreakHyphen",
    b"lastRenderedPageBreak",
    b"rPh",
    b"phoneticPr",
];

/// Attributes that hold text a person wrote, written on their own line:
/// alt text and titles (`descr`, `title`, `alt`), tooltips and hyperlink
/// addresses, data-validation prompts and errors, field instructions
/// (`instr`), WordArt (`string`), pivot cache values (`v`), ODF's
/// `description` and `string-value`.
pub const TEXT_ATTRIBUTES: &[&[u8]] = &[
    b"descr",
    b"title",
    b"alt",
    b"tooltip",
    b"prompt",
    b"promptTitle",
    b"error",
    b"errorTitle",
    b"href",
    b"instr",
    b"string",
    b"v",
    b"displayText",
    b"description",
    b"string-value",
    b"displayName",
];

/// Attributes that hold text only sometimes (`w:val="Heading1"`, a colour,
/// a size are format tokens): written when the element names them too
/// (`<w:docVar w:name=… w:val=…>`) or when they look like text
/// ([`looks_like_text`]).
pub const MAYBE_TEXT_ATTRIBUTES: &[&[u8]] = &[b"val", b"value"];

/// Whether an attribute value is text rather than a format token: it has
/// a space, a character outside ASCII, or 8 digits or more.
pub fn looks_like_text(v: &str) -> bool {
    v.chars().any(|c| c.is_whitespace() || !c.is_ascii())
        || v.bytes().filter(u8::is_ascii_digit).count() >= 8
}

/// Writes the text-bearing attributes of `e` to `out` ([`TEXT_ATTRIBUTES`],
/// [`MAYBE_TEXT_ATTRIBUTES`]; `name` as a key, `name: `, before the value
/// it names, when `with_name`; a relationship's `Target` when it leaves
/// the package, `TargetMode="External"`; an `href` with a scheme, not a
/// path inside the package), each value on its own line. Returns whether
/// a key was left open (the line goes on with the element's text).
pub fn text_attributes(e: &BytesStart<'_>, with_name: bool, out: &mut Vec<u8>) -> bool {
    let mut named = false;
    let mut open = false;
    let external = e.local_name().as_ref() == b"Relationship"
        && e.attributes().flatten().any(|a| {
            a.key.local_name().as_ref() == b"TargetMode" && a.value.as_ref() == b"External"
        });
    for a in e.attributes().flatten() {
        let key = a.key.local_name();
        let key = key.as_ref();
        let always = TEXT_ATTRIBUTES.contains(&key) || (external && key == b"Target");
        let maybe = MAYBE_TEXT_ATTRIBUTES.contains(&key);
        let name = with_name && key == b"name";
        if !(always || maybe || name) {
            continue;
        }
        let value = match a.unescape_value() {
            Ok(v) => v.into_owned(),
            Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
        };
        let token = maybe && !always && !named && !looks_like_text(&value);
        // a link inside the package (`Pictures/1000….png`) is no text
        let internal = key == b"href" && !value.contains(':');
        if value.trim().is_empty() || token || internal {
            continue;
        }
        out.extend_from_slice(value.as_bytes());
        if name {
            named = true;
            open = true;
            out.extend_from_slice(b": ");
        } else {
            open = false;
            out.push(b'\n');
        }
    }
    open
}

/// All the text of an XML part ([`Produce`]), whatever its vocabulary:
/// character data and text-bearing attributes ([`text_attributes`]).
/// Text of inline elements ([`INLINE`]) is joined into one line; the end
/// of any other element that had text ends the line. For parts without a
/// reader of their own: properties (`docProps/*.xml`), comments, notes,
/// relationships, drawings, the rest of a worksheet after its cells
/// ([`AllText::continuing`]), ODF's `meta.xml`.
pub struct AllText<'a> {
    xml: XmlReader<'a>,
    buf: Vec<u8>,
    /// Lenient (VML, which leaves tags like `<br>` unclosed): end tags are
    /// not matched and a bad escape is kept as it is.
    lenient: bool,
    /// Text was written since the last line end.
    open: bool,
    /// Text nodes written so far.
    written: u64,
    /// For each open element (at most [`MAX_OPEN`]), `written` at its
    /// start: an element with text inside it ends its line.
    starts: Vec<u64>,
    /// Elements open beyond [`MAX_OPEN`].
    deeper: usize,
    seen_element: bool,
}

/// Most open elements an [`AllText`] follows; deeper ones end no line.
const MAX_OPEN: usize = 1024;

impl<'a> AllText<'a> {
    /// The text of the part `xml` reads, strict XML unless `lenient`.
    pub fn new(mut xml: XmlReader<'a>, lenient: bool) -> AllText<'a> {
        if lenient {
            let config = xml.config_mut();
            config.check_end_names = false;
            config.allow_unmatched_ends = true;
        }
        AllText {
            xml,
            buf: Vec::new(),
            lenient,
            open: false,
            written: 0,
            starts: Vec::new(),
            deeper: 0,
            seen_element: false,
        }
    }

    /// Goes on from a part already started (by another reader, which saw
    /// its root element): an end without elements is no damage.
    pub fn continuing(mut self) -> AllText<'a> {
        self.seen_element = true;
        self
    }
}

/// Ends the line, if text was written on it.
fn end_line(open: &mut bool, out: &mut Vec<u8>) {
    if *open {
        out.push(b'\n');
        *open = false;
    }
}

/// Writes the text-bearing attributes of `e` on lines of their own (the
/// open line is ended first). Whether it wrote any.
fn attributes(open: &mut bool, e: &BytesStart<'_>, out: &mut Vec<u8>) -> bool {
    let start = out.len();
    let key_open = text_attributes(e, true, out);
    let wrote = out.len() > start;
    if wrote {
        if *open {
            out.insert(start, b'\n');
        }
        *open = key_open;
    }
    wrote
}

/// Writes a text node (`raw` as it is when it could not be unescaped):
/// blank text is at most a space between words. Whether it was text.
fn text(open: &mut bool, raw: &[u8], unescaped: Option<Cow<'_, str>>, out: &mut Vec<u8>) -> bool {
    let text = unescaped.unwrap_or_else(|| String::from_utf8_lossy(raw));
    if text.trim().is_empty() {
        if *open {
            out.push(b' ');
        }
        return false;
    }
    out.extend_from_slice(text.as_bytes());
    *open = !text.ends_with('\n');
    true
}

impl Produce for AllText<'_> {
    fn produce(&mut self, out: &mut Vec<u8>) -> Result<bool, Stop> {
        let event = self.xml.read_event_into(&mut self.buf)?;
        self.seen_element |= matches!(event, Event::Start(_) | Event::Empty(_));
        let open = &mut self.open;
        let more = match event {
            Event::Start(e) => {
                if self.starts.len() < MAX_OPEN {
                    self.starts.push(self.written);
                } else {
                    self.deeper += 1;
                }
                self.written += u64::from(attributes(open, &e, out));
                true
            }
            Event::Empty(e) => {
                match e.local_name().as_ref() {
                    b"tab" => out.push(b'\t'),
                    b"br" | b"cr" | b"line-break" => end_line(open, out),
                    b"s" => out.push(b' '),
                    _ => {
                        if attributes(open, &e, out) {
                            end_line(open, out);
                        }
                    }
                }
                true
            }
            Event::End(e) => {
                let start = match self.deeper {
                    0 => self.starts.pop(),
                    _ => {
                        self.deeper -= 1;
                        None
                    }
                };
                let had_text = start.is_some_and(|s| self.written > s);
                if had_text && !INLINE.contains(&e.local_name().as_ref()) {
                    end_line(open, out);
                }
                true
            }
            Event::Text(t) => {
                let unescaped = match t.unescape() {
                    Ok(u) => Some(u),
                    Err(_) if self.lenient => None,
                    Err(e) => return Err(e.into()),
                };
                self.written += u64::from(text(open, &t, unescaped, out));
                true
            }
            Event::CData(c) => {
                self.written += u64::from(text(open, &c, None, out));
                true
            }
            // an empty part (pandoc writes a 0-byte
            // `Configurations2/accelerator/current.xml`) holds nothing;
            // text without an element is no XML
            Event::Eof if !self.seen_element && self.written > 0 => {
                return Err(Stop::Damage(Damage::Xml))
            }
            Event::Eof if !self.seen_element && self.xml.buffer_position() > 0 => {
                return Err(Stop::Damage(Damage::Xml))
            }
            Event::Eof => {
                end_line(open, out);
                false
            }
            _ => true,
        };
        self.buf.clear();
        Ok(more)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every text node, one per line.
    struct Texts<'a>(XmlReader<'a>, Vec<u8>);

    impl Produce for Texts<'_> {
        fn produce(&mut self, out: &mut Vec<u8>) -> Result<bool, Stop> {
            let more = match self.0.read_event_into(&mut self.1)? {
                Event::Text(t) => {
                    out.extend_from_slice(t.unescape()?.as_bytes());
                    out.push(b'\n');
                    true
                }
                Event::Eof => false,
                _ => true,
            };
            self.1.clear();
            Ok(more)
        }
    }

    fn texts(xml: &[u8], cap: u64) -> (Vec<u8>, io::Result<usize>) {
        let (reader, _) = open(xml, cap);
        let mut out = Vec::new();
        let r = XmlText::new(Texts(reader, Vec::new())).read_to_end(&mut out);
        (out, r)
    }

    #[test]
    fn text_streams_out_event_by_event() {
        let (out, r) = texts(b"<a><b>one &amp; two</b><c>three</c></a>", 1 << 20);
        assert_eq!(out, b"one & two\nthree\n");
        assert!(r.is_ok());
    }

    #[test]
    fn a_huge_token_or_part_is_a_limit_and_bad_xml_is_damage() {
        let mut huge = b"<a><b>".to_vec();
        huge.resize(huge.len() + MAX_TOKEN as usize + 10, b'7');
        huge.extend_from_slice(b"</b></a>");
        let (out, r) = texts(&huge, u64::MAX);
        assert!(is_limit(&r.unwrap_err()));
        assert!(out.is_empty());
        let (_, r) = texts(b"<a><b>x</b><c>y</c></a>", 12);
        assert!(is_limit(&r.unwrap_err()));
        let (_, r) = texts(b"<a><b>x</c></a>", 1 << 20);
        let e = r.unwrap_err();
        assert!(e.get_ref().is_some_and(|e| e.is::<Damage>()), "{e:?}");
    }

    fn all_text(xml: &[u8], lenient: bool) -> Result<String, io::Error> {
        let mut out = String::new();
        XmlText::new(AllText::new(open(xml, u64::MAX).0, lenient))
            .read_to_string(&mut out)
            .map(|_| out)
    }

    #[test]
    fn all_text_joins_runs_and_keeps_text_attributes_on_their_lines() {
        let comments = r#"<comments><comment ref="A1"><text><r><rPr><b/></rPr><t>個人番号 1234</t></r><r><t>5678</t></r><r><t>9012</t></r></text></comment></comments>"#.as_bytes();
        assert_eq!(
            all_text(comments, false).unwrap(),
            "個人番号 123456789012\n"
        );
        let custom = br#"<Properties><property fmtid="{D5}" pid="2" name="Password"><vt:lpwstr>hunter2x</vt:lpwstr></property><property name="n"><vt:i4>5</vt:i4></property></Properties>"#;
        assert_eq!(
            all_text(custom, false).unwrap(),
            "Password: hunter2x\nn: 5\n"
        );
        let core = b"<cp:coreProperties><dc:title>A B</dc:title><dc:creator>C</dc:creator></cp:coreProperties>";
        assert_eq!(all_text(core, false).unwrap(), "A B\nC\n");
        let rels = br#"<Relationships><Relationship Id="rId1" Target="styles.xml"/><Relationship Id="rId2" Target="https://x.example/?id=1" TargetMode="External"/></Relationships>"#;
        assert_eq!(all_text(rels, false).unwrap(), "https://x.example/?id=1\n");
        let validation = r#"<worksheet><sheetData><row><c><v>1</v></c></row></sheetData><dataValidations><dataValidation prompt="番号を入力" promptTitle="t"><formula1>"a,b"</formula1></dataValidation></dataValidations><headerFooter><oddHeader>&amp;C秘密</oddHeader></headerFooter></worksheet>"#.as_bytes();
        assert_eq!(
            all_text(validation, false).unwrap(),
            "1\n番号を入力\nt\n\"a,b\"\n&C秘密\n"
        );
    }

    #[test]
    fn format_tokens_are_left_out_and_values_beside_a_name_kept() {
        let settings = br#"<w:settings><w:zoom w:percent="100"/><w:rsid w:val="00A1B2C3"/><w:docVar w:name="pw" w:val="s3cret"/><w:color w:val="1F497D"/><w:x w:val="a b"/></w:settings>"#;
        assert_eq!(all_text(settings, false).unwrap(), "pw: s3cret\na b\n");
    }

    #[test]
    fn vml_is_read_leniently_and_bad_xml_is_damage() {
        let vml = b"<xml><v:shape alt=\"alt 1\"><v:textbox><div>one<br>two&nbsp;</div></v:textbox></v:shape></xml>";
        let text = all_text(vml, true).unwrap();
        assert!(text.starts_with("alt 1\none"), "{text}");
        assert!(text.contains("two"), "{text}");
        let e = all_text(b"<a><b>x</c></a>", false).unwrap_err();
        assert!(e.get_ref().is_some_and(|e| e.is::<Damage>()), "{e:?}");
        let e = all_text(b"not xml at all", false).unwrap_err();
        assert!(e.get_ref().is_some_and(|e| e.is::<Damage>()), "{e:?}");
    }
}
