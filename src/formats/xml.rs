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

use std::cell::Cell;
use std::io::{self, BufReader, Read};
use std::rc::Rc;

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
}

impl<P: Produce> XmlText<P> {
    /// Serves what `producer` makes.
    pub fn new(producer: P) -> XmlText<P> {
        XmlText {
            producer,
            out: Vec::new(),
            pos: 0,
            done: false,
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;

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
}
