//! PDF: the text layer of each page, read on lopdf's object model and
//! handed to the scanner as a member per page (`page-3`).
//!
//! lopdf parses the objects, cross-reference tables and streams, object
//! streams, and decrypts RC4 and AES documents whose user password is
//! empty (they open without a prompt); a document that needs a password is
//! an `encrypted` gap. leakscan reads the rest itself, bounded:
//! [`prescan`] keeps a token bomb from lopdf, [`streams`] decodes stream
//! data under a per-stream, per-file and ratio cap, [`font`] and [`cmap`]
//! decode shown strings per font ([`radicals`] turns the CJK radicals some
//! ToUnicode maps give back into ideographs), [`content`] interprets
//! content streams and Form XObjects for where text is drawn, and
//! [`layout`] rebuilds the lines, their cells, and tables whose header row
//! keys each cell below it. A page that shows no text at all in a document where no page
//! does is a `no_text_layer` gap (scanned images: OCR's work). After the
//! pages, [`extras`] gives the rest of the document as members of their
//! own (`info`, `metadata`, `outline`, `form`, `page-3/annotations`,
//! `attachment/NAME`), and the bytes after the last `%%EOF` are read as
//! `after-eof`.

pub mod annots;
pub mod cmap;
pub mod content;
pub mod extras;
pub mod font;
pub mod japan1;
pub mod layout;
pub mod prescan;
pub mod radicals;
pub mod streams;

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, Read};

use lopdf::{DecompressError, Dictionary, Document, Error, LoadOptions, Object, ObjectId};

use super::limits::{read_capped, Limits};
use super::{Format, Scope};
use crate::outcome::{Damage, SkipReason};
use crate::provenance::Step;
use content::{Matrix, Reader};
use streams::{Budget, Cut};

/// PDF, by `%PDF-`. The ID-document check sees the file first.
pub(crate) static PDF: Format = Format {
    name: "pdf",
    sniff: |head, _| detect(head),
    file_checks: true,
    read: read_pdf,
};

/// Whether the bytes start a PDF.
pub fn detect(head: &[u8]) -> bool {
    head.starts_with(b"%PDF-")
}

/// Most bytes an object stream (or cross-reference stream) may inflate to
/// while lopdf loads the document: its objects are parsed at once, about
/// 60 times the syntax's size in memory at worst.
pub const MAX_OBJECT_STREAM: usize = 256 << 10;

/// Most memory the loaded objects may take, as estimated while they load
/// (120 bytes an object plus its strings, names and stream data; images'
/// and font programs' data is dropped as it loads: text needs neither).
pub const MAX_MODEL: u64 = 40 << 20;

/// Largest PDF handed to lopdf, below the in-memory cap of other
/// containers: lopdf copies each stream's data out of the file as it loads,
/// so a PDF costs about twice its size while it loads (a 32 MiB PDF of text
/// peaked at 79 MB, two at once at 148 MB; at 16 MiB two stay under 100 MB).
pub const MAX_PDF: u64 = 16 << 20;

/// Why a PDF's text was not read at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// Its objects would take more memory than leakscan gives a file.
    TooLarge,
    /// It needs a password.
    Encrypted,
    /// Its structure does not parse.
    Damaged,
}

/// The text of one page, and what could not be read of it.
#[derive(Debug, Default)]
pub struct PageText {
    /// 1-based page number.
    pub number: u32,
    /// Its lines.
    pub text: String,
    /// The first content stream or form that was not read, and why.
    pub cut: Option<Cut>,
    /// Whether the page shows text at all (operators that show strings).
    pub shows_text: bool,
    /// Codes shown that had a Unicode mapping.
    pub mapped: u64,
}

thread_local! {
    /// Estimated bytes of the objects loaded so far (the load filter).
    static MODEL: Cell<u64> = const { Cell::new(0) };
}

/// Loads `pdf` with lopdf, after the pre-scan, under the memory caps.
pub fn load(pdf: &[u8]) -> Result<Document, Unread> {
    let shape = prescan::shape(pdf);
    // an encrypted document's objects skip the load filter: its object
    // streams count at their worst
    let worst = if shape.encrypted {
        shape.object_streams * (MAX_OBJECT_STREAM as u64 / 2)
    } else {
        0
    };
    if shape.tokens + worst > prescan::MAX_TOKENS {
        return Err(Unread::TooLarge);
    }
    MODEL.with(|m| m.set(0));
    let options = LoadOptions {
        filter: Some(keep),
        max_decompressed_size: Some(MAX_OBJECT_STREAM),
        ..LoadOptions::default()
    };
    let doc = match Document::load_mem_with_options(pdf, options) {
        Ok(doc) => doc,
        Err(Error::Decompress(DecompressError::MemoryLimitExceeded { .. })) => {
            return Err(Unread::TooLarge)
        }
        // lopdf's message can quote the data: only the kind is kept
        Err(_) => return Err(Unread::Damaged),
    };
    if MODEL.with(Cell::get) > MAX_MODEL {
        return Err(Unread::TooLarge);
    }
    if doc.trailer.get(b"Encrypt").is_ok() {
        return Err(Unread::Encrypted); // the empty password did not open it
    }
    Ok(doc)
}

/// The load filter: counts each object's estimated memory, drops the data
/// of images and font programs, and drops everything once past
/// [`MAX_MODEL`].
fn keep(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    if let Object::Stream(s) = object {
        if is_payload(&s.dict) {
            s.content = Vec::new();
        }
    }
    let total = MODEL.with(|m| {
        let t = m.get().saturating_add(cost(object));
        m.set(t);
        t
    });
    if total > MAX_MODEL {
        return None;
    }
    // lopdf keeps `object` itself for an object of the file, and what is
    // returned for a member of an object stream (never a stream)
    match object {
        Object::Stream(_) => Some((id, Object::Null)),
        o => Some((id, o.clone())),
    }
}

/// Whether a stream holds data text never needs: an image, a font program.
fn is_payload(dict: &Dictionary) -> bool {
    let subtype = dict.get(b"Subtype").and_then(Object::as_name).ok();
    matches!(
        subtype,
        Some(b"Image" | b"Type1C" | b"CIDFontType0C" | b"OpenType")
    ) || dict.has(b"Length1")
        || dict.has(b"Length2")
}

/// Estimated bytes an object takes in lopdf's model (nesting is at most
/// 100 deep: lopdf's parser stops there).
fn cost(o: &Object) -> u64 {
    let own = std::mem::size_of::<Object>() as u64;
    own + match o {
        Object::Name(v) | Object::String(v, _) => v.len() as u64,
        Object::Array(a) => a.iter().map(cost).sum(),
        Object::Dictionary(d) => dict_cost(d),
        Object::Stream(s) => dict_cost(&s.dict) + s.content.len() as u64,
        _ => 0,
    }
}

fn dict_cost(d: &Dictionary) -> u64 {
    d.iter().map(|(k, v)| 32 + k.len() as u64 + cost(v)).sum()
}

/// How a document's pages were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pages {
    /// Through the page tree: this many.
    Tree(u32),
    /// The page tree is missing or broken: this many page objects and
    /// content-like streams were read in object order instead.
    Orphans(u32),
}

/// Reads every page of `doc` in order, handing each to `each`; decoded
/// streams are held to `budget`. A document without a usable page tree
/// (no `/Pages`, broken `/Kids`: a hand-made or cut file) is read in
/// object order instead: its `/Type /Page` objects, then the streams that
/// show text (`BT` … `ET` with a text-showing operator) no page draws.
pub fn pages(doc: &Document, budget: &mut Budget, each: impl FnMut(PageText)) -> Pages {
    pages_of(doc, budget, None, each)
}

/// [`pages`], or with `changed` only the pages whose page object or
/// content streams are in it (an earlier revision's pages that a later
/// update replaced), and no orphan streams.
pub fn pages_of(
    doc: &Document,
    budget: &mut Budget,
    changed: Option<&std::collections::HashSet<ObjectId>>,
    mut each: impl FnMut(PageText),
) -> Pages {
    let replaced = |id: ObjectId, contents: &[ObjectId]| {
        changed.is_none_or(|c| c.contains(&id) || contents.iter().any(|s| c.contains(s)))
    };
    let mut fonts = HashMap::new();
    let form = acroform_resources(doc);
    let tree = doc.get_pages();
    if !tree.is_empty() {
        for (&number, &id) in &tree {
            if budget.stop.check().is_some() {
                break;
            }
            let page = doc.get_dictionary(id).ok();
            let resources = page_resources(doc, id);
            let contents = doc.get_page_contents(id);
            if !replaced(id, &contents) {
                continue;
            }
            let mut reader = Reader::new(doc, budget, &mut fonts);
            each(read_page(
                &mut reader,
                number,
                &contents,
                &resources,
                page,
                form,
            ));
        }
        return Pages::Tree(tree.len() as u32);
    }
    let mut n = 0;
    let mut drawn = std::collections::HashSet::new();
    for (&id, o) in &doc.objects {
        if budget.stop.check().is_some() {
            return Pages::Orphans(n);
        }
        let Ok(page) = o.as_dict() else { continue };
        if page.get(b"Type").and_then(Object::as_name).ok() != Some(b"Page") {
            continue;
        }
        n += 1;
        let contents = doc.get_page_contents(id);
        drawn.extend(contents.iter().copied());
        if !replaced(id, &contents) {
            continue;
        }
        let resources = page_resources(doc, id);
        let mut reader = Reader::new(doc, budget, &mut fonts);
        each(read_page(
            &mut reader,
            n,
            &contents,
            &resources,
            Some(page),
            form,
        ));
    }
    for (&id, o) in doc.objects.iter().filter(|_| changed.is_none()) {
        if budget.stop.check().is_some() {
            break;
        }
        let Ok(stream) = o.as_stream() else { continue };
        if drawn.contains(&id) || !content_like(&stream.dict) {
            continue;
        }
        let mut reader = Reader::new(doc, budget, &mut fonts);
        let Some(data) = reader.decode(stream) else {
            continue;
        };
        let shows = content::shows_text(&data);
        reader.release(data.len());
        if shows {
            n += 1;
            each(read_page(&mut reader, n, &[id], &[], None, form));
        }
    }
    Pages::Orphans(n)
}

/// Whether a stream's dictionary leaves it possibly a content stream: no
/// subtype or type of its own (images, forms, fonts, object streams,
/// metadata, embedded files all have one), no font program lengths.
fn content_like(dict: &Dictionary) -> bool {
    !dict.has(b"Subtype") && !dict.has(b"Type") && !dict.has(b"Length1") && !dict.has(b"Length2")
}

/// Reads one page: its content streams `contents` with `resources`, then
/// the annotations of `page`.
fn read_page<'d>(
    reader: &mut Reader<'d, '_>,
    number: u32,
    contents: &[ObjectId],
    resources: &[&'d Dictionary],
    page: Option<&'d Dictionary>,
    form: Option<&'d Dictionary>,
) -> PageText {
    let doc = reader.document();
    let (mut content, mut held) = (Vec::new(), 0);
    for &c in contents {
        let Ok(stream) = doc.get_object(c).and_then(Object::as_stream) else {
            continue;
        };
        if let Some(data) = reader.decode(stream) {
            held += data.len();
            content.extend_from_slice(&data);
            content.push(b'\n'); // streams split anywhere but inside a token
        }
    }
    reader.run(&content, resources, Matrix::ID, 0);
    reader.release(held);
    if let Some(page) = page {
        annots::draw(reader, page, form);
    }
    let mut text = std::mem::take(&mut reader.flushed);
    layout::write(&mut reader.spans, &mut text);
    PageText {
        number,
        text,
        cut: reader.cut,
        shows_text: reader.shows_text,
        mapped: reader.mapped,
    }
}

/// The AcroForm's default resources (`/DR`), which field appearances may
/// use without carrying their own.
fn acroform_resources(doc: &Document) -> Option<&Dictionary> {
    fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
        match o {
            Object::Reference(id) => doc.get_object(*id).ok(),
            o => Some(o),
        }
    }
    let deref = |o| deref(doc, o);
    let form = deref(doc.catalog().ok()?.get(b"AcroForm").ok()?)?
        .as_dict()
        .ok()?;
    deref(form.get(b"DR").ok()?)?.as_dict().ok()
}

/// A page's resource dictionaries, its own first, then inherited ones.
fn page_resources(doc: &Document, page: ObjectId) -> Vec<&Dictionary> {
    let Ok((own, inherited)) = doc.get_page_resources(page) else {
        return Vec::new();
    };
    own.into_iter()
        .chain(
            inherited
                .into_iter()
                .filter_map(|id| doc.get_dictionary(id).ok()),
        )
        .collect()
}

/// The text of every page of a PDF, one after the other, and the first
/// thing that was not read: for tests and fuzzing.
pub fn text(pdf: &[u8], budget: u64) -> (String, Option<Result<Cut, Unread>>) {
    let doc = match load(pdf) {
        Ok(doc) => doc,
        Err(e) => return (String::new(), Some(Err(e))),
    };
    let mut budget = Budget::for_file(pdf.len() as u64, budget, Limits::default());
    let (mut out, mut first) = (String::new(), None);
    let found = pages(&doc, &mut budget, |p| {
        out.push_str(&p.text);
        if let Some(c) = p.cut {
            first.get_or_insert(Ok(c));
        }
    });
    if matches!(found, Pages::Orphans(_)) {
        first.get_or_insert(Ok(Cut::Damaged));
    }
    (out, first)
}

/// Whether a PDF was cut short: no `%%EOF` marker in its last 1,024 bytes.
/// A PDF file ends with `%%EOF` (ISO 32000-1, 7.5.5; each incremental
/// update ends with one too); readers such as Acrobat and pdf.js accept up
/// to 1 KiB of bytes after it. Whatever pages a cut file still gives are
/// scanned, and the missing rest is a gap.
fn cut_short(pdf: &[u8]) -> bool {
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    memchr::memmem::find(tail, b"%%EOF").is_none()
}

/// The bytes after the last `%%EOF` marker, from the first that is not
/// white space (padding), if any: appended data, or an incremental update
/// cut before its own `%%EOF` (a whole update ends with one, so what
/// follows the last is never part of the document lopdf reads).
fn after_eof(pdf: &[u8]) -> Option<&[u8]> {
    let at = memchr::memmem::rfind(pdf, b"%%EOF")?;
    let tail = &pdf[at + 5..];
    let start = tail.iter().position(|b| !b" \t\r\n\0\x0C".contains(b))?;
    Some(&tail[start..])
}

/// What identifies a finding's value under its rule, to drop repeats.
fn key(f: &crate::finding::Finding) -> (&'static str, String) {
    (f.rule.id.as_str(), f.value_id.clone())
}

/// Scans the parts of `doc` besides its pages ([`extras`]) as members
/// `info`, `metadata`, `outline`, `form`, `page-N/annotations`,
/// `attachment/NAME`; what was cut is a gap at its part. A form field's or
/// an annotation's value that a page shows already (`on_pages`: its
/// appearance was drawn there) is reported there only.
fn read_extras(
    scope: &mut Scope<'_, '_, '_>,
    doc: &Document,
    budget: &mut Budget,
    on_pages: std::collections::HashSet<(&'static str, String)>,
) {
    extras::read(doc, budget, |_, extra| match extra {
        extras::Extra::Text { step, text } => {
            // text that may also be drawn on a page (a field's value, a
            // tagged PDF's /ActualText): found there already
            let drawn = matches!(step.as_str(), "form" | "objects" | "javascript")
                || step.ends_with("/annotations");
            let first = scope.findings_len();
            scope.member(Some(Step::PdfPart(step)), &mut text.as_bytes(), None);
            if drawn {
                scope.drop_findings_since(first, |f| on_pages.contains(&key(f)));
            }
        }
        extras::Extra::File {
            step,
            data,
            encoded,
        } => {
            // the file is held while it is read: what its own members may
            // hold is that much less
            let memory = scope.nest.memory;
            scope.nest.hold_in_memory(data.len() as u64);
            scope.member(
                Some(Step::PdfPart(step)),
                &mut data.as_slice(),
                Some(encoded),
            );
            scope.nest.memory = memory;
        }
        extras::Extra::Cut { step, cut } => gap(scope, Step::PdfPart(step), cut),
    });
}

/// Records `cut` at `step`.
fn gap(scope: &mut Scope<'_, '_, '_>, step: Step, cut: Cut) {
    match cut {
        Cut::Limit => scope.skip(Some(step), SkipReason::ArchiveLimit),
        Cut::Damaged => scope.corrupt(Some(step), Damage::Pdf),
    }
}

/// What goes before a tail of objects for lopdf to load it (its object
/// scan needs a catalog with a page tree): a header and an empty catalog
/// numbered past any object the tail may have (lopdf's scan takes object
/// numbers up to 1,000,000).
const UPDATE_ROOT: &[u8] = b"%PDF-1.7\n1000000 0 obj\n<< /Type /Catalog /Pages 999999 0 R >>\nendobj\n999999 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n";

/// Scans the bytes after the last `%%EOF` as the member `after-eof`, as
/// what they are (a zip, text, binary). When they look like an update cut
/// short (objects with streams), each stream's decoded data is a member
/// too (`after-eof/obj-N`), read on lopdf's object scan of the tail; a
/// tail with streams that does not load is a damage gap.
fn read_after_eof(scope: &mut Scope<'_, '_, '_>, tail: &[u8], budget: &mut Budget) {
    scope.member(
        Some(Step::PdfPart("after-eof".into())),
        &mut &tail[..],
        None,
    );
    let has = |word: &[u8]| memchr::memmem::find(tail, word).is_some();
    if detect(tail) || !has(b"obj") || !has(b"stream") {
        return; // a whole PDF was read as one; no streams to decode
    }
    let mut update = Vec::with_capacity(tail.len() + UPDATE_ROOT.len() + 8);
    update.extend_from_slice(UPDATE_ROOT);
    update.extend_from_slice(tail);
    update.extend_from_slice(b"\n%%EOF\n");
    let Ok(doc) = load(&update) else {
        scope.corrupt(Some(Step::PdfPart("after-eof".into())), Damage::Pdf);
        return;
    };
    drop(update);
    for (&id, o) in &doc.objects {
        let Object::Stream(s) = o else { continue };
        if s.dict.get(b"Filter").is_err() {
            continue; // its bytes were read as they are
        }
        let step = Step::PdfPart(format!("after-eof/obj-{}", id.0));
        match budget.decode(s) {
            Ok(data) => {
                scope.member(
                    Some(step),
                    &mut data.as_slice(),
                    Some(s.content.len() as u64),
                );
                budget.release(data.len());
            }
            Err(cut) => gap(scope, step, cut),
        }
    }
}

/// Earlier revisions read; older ones are an `archive_limit` gap at
/// `revisions`.
pub const MAX_REVISIONS: usize = 32;

/// The ends of `pdf`'s earlier revisions, oldest first: each `%%EOF` but
/// the last, when the `startxref` before it (in its last KiB) points at a
/// cross-reference section inside it (`xref`, or `N G obj` of a
/// cross-reference stream). An incremental update (ISO 32000-1, 7.5.6)
/// keeps every earlier revision whole before it; a `%%EOF` inside a
/// stream (a raw embedded PDF) points nowhere in the file and is passed
/// over.
fn revision_ends(pdf: &[u8]) -> Vec<usize> {
    let mut ends: Vec<usize> = memchr::memmem::find_iter(pdf, b"%%EOF")
        .map(|at| at + 5)
        .collect();
    ends.pop(); // the document as lopdf read it
    ends.retain(|&end| xref_at(&pdf[..end]).is_some());
    ends
}

/// The offset the last `startxref` of `prefix` gives, if a
/// cross-reference section starts there.
fn xref_at(prefix: &[u8]) -> Option<usize> {
    let from = prefix.len().saturating_sub(1024);
    let at = from + memchr::memmem::rfind(&prefix[from..], b"startxref")?;
    let rest = &prefix[at + 9..];
    let digits: Vec<u8> = rest
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take_while(u8::is_ascii_digit)
        .take(20)
        .collect();
    let offset: usize = std::str::from_utf8(&digits).ok()?.parse().ok()?;
    let section = prefix.get(offset..at)?;
    let object = || {
        let mut words = section
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty());
        let (n, g, obj) = (words.next()?, words.next()?, words.next()?);
        (n.iter().all(u8::is_ascii_digit)
            && g.iter().all(u8::is_ascii_digit)
            && obj.starts_with(b"obj"))
        .then_some(())
    };
    (offset > 0 && (section.starts_with(b"xref") || object().is_some())).then_some(offset)
}

/// Reads the earlier revisions of a document (`ends`: [`revision_ends`]),
/// newest first, each as members `revision-N/…` (1 is the original):
/// of every object a later update replaced or dropped (compared with
/// `latest`, the document as read), the pages it shows
/// (`revision-N/page-K`), its strings and embedded files
/// ([`extras::read_changed`]). A value already found (`seen`: in the
/// document as read, or a newer revision) is not reported again. A
/// revision that does not load is a damage gap at its step.
fn read_revisions(
    scope: &mut Scope<'_, '_, '_>,
    pdf: &[u8],
    ends: &[usize],
    latest: &Document,
    budget: &mut Budget,
    seen: &mut std::collections::HashSet<(&'static str, String)>,
) {
    let older = ends.len().saturating_sub(MAX_REVISIONS);
    if older > 0 {
        scope.skip(
            Some(Step::PdfPart("revisions".into())),
            SkipReason::ArchiveLimit,
        );
    }
    for (i, &end) in ends.iter().enumerate().skip(older).rev() {
        if budget.stop.check().is_some() {
            return;
        }
        let n = i + 1;
        let step = move |s: &str| Some(Step::PdfPart(format!("revision-{n}/{s}")));
        let doc = match load(&pdf[..end]) {
            Ok(doc) => doc,
            Err(Unread::Encrypted) => {
                scope.skip(step("text"), SkipReason::Encrypted);
                continue;
            }
            Err(Unread::TooLarge) => {
                scope.skip(step("text"), SkipReason::ArchiveLimit);
                continue;
            }
            Err(Unread::Damaged) => {
                scope.corrupt(step("text"), Damage::Pdf);
                continue;
            }
        };
        let changed: std::collections::HashSet<ObjectId> = doc
            .objects
            .iter()
            .filter(|(id, o)| latest.objects.get(id) != Some(*o))
            .map(|(id, _)| *id)
            .collect();
        if changed.is_empty() {
            continue;
        }
        let first = scope.findings_len();
        pages_of(&doc, budget, Some(&changed), |p| {
            let at = || step(&format!("page-{}", p.number));
            if !p.text.is_empty() {
                scope.member(at(), &mut p.text.as_bytes(), None);
            }
            match p.cut {
                Some(cut) => {
                    if let Some(Step::PdfPart(s)) = at() {
                        gap(scope, Step::PdfPart(s), cut);
                    }
                }
                None if p.shows_text && p.mapped == 0 => {
                    scope.skip(at(), SkipReason::UnsupportedFormat);
                }
                None => {}
            }
        });
        extras::read_changed(&doc, &changed, budget, |_, extra| match extra {
            extras::Extra::Text { step: s, text } => {
                scope.member(step(&s), &mut text.as_bytes(), None);
            }
            extras::Extra::File {
                step: s,
                data,
                encoded,
            } => {
                let memory = scope.nest.memory;
                scope.nest.hold_in_memory(data.len() as u64);
                scope.member(step(&s), &mut data.as_slice(), Some(encoded));
                scope.nest.memory = memory;
            }
            extras::Extra::Cut { step: s, cut } => {
                if let Some(at) = step(&s) {
                    gap(scope, at, cut);
                }
            }
        });
        scope.drop_findings_since(first, |f| !seen.insert(key(f)));
    }
}

/// Each page's text as a member `page-N`. The file is read whole, up to
/// [`MAX_PDF`]; a larger PDF's text is a gap. The file counts its
/// own bytes as read, not its text's.
fn read_pdf(scope: &mut Scope<'_, '_, '_>, r: &mut dyn Read) -> io::Result<()> {
    let limits = scope.limits();
    let data = match read_capped(r, limits.max_in_memory.min(MAX_PDF))? {
        Ok(data) => data,
        Err(read) => {
            scope.set_bytes(read); // read, but not as text
            scope.skip(Some(Step::PdfText), SkipReason::ArchiveLimit);
            return Ok(());
        }
    };
    let bytes = data.len() as u64;
    // what the PDF holds (its bytes, then as much parsed) leaves its
    // embedded files that much less to hold
    scope.nest.hold_in_memory(bytes);
    let truncated = cut_short(&data);
    let tail = after_eof(&data).map(<[u8]>::to_vec);
    let loaded = load(&data);
    // the bytes are kept only when earlier revisions are to be read
    let revisions = revision_ends(&data);
    let data = if revisions.is_empty() {
        drop(data);
        Vec::new()
    } else {
        data
    };
    let doc = match loaded {
        Ok(doc) => doc,
        Err(unread) => {
            scope.set_bytes(bytes);
            match unread {
                Unread::Encrypted => scope.skip(None, SkipReason::Encrypted),
                Unread::TooLarge => scope.skip(Some(Step::PdfText), SkipReason::ArchiveLimit),
                Unread::Damaged => scope.corrupt(Some(Step::PdfText), Damage::Pdf),
            }
            return Ok(());
        }
    };
    let left = scope.budget().min(limits.max_total_bytes);
    let mut budget = Budget::for_file(bytes, left, limits);
    budget.stop = scope.stop();
    let (mut shows_text, mut cut) = (false, false);
    let first_page = scope.findings_len();
    let found = pages(&doc, &mut budget, |p| {
        let step = || Some(Step::Page(p.number));
        if !p.text.is_empty() {
            scope.member(step(), &mut p.text.as_bytes(), None);
        }
        match p.cut {
            Some(Cut::Limit) => scope.skip(step(), SkipReason::ArchiveLimit),
            Some(Cut::Damaged) => scope.corrupt(step(), Damage::Pdf),
            None => {}
        }
        if p.shows_text && p.mapped == 0 {
            // text in fonts with no Unicode mapping: shown, not readable
            scope.skip(step(), SkipReason::UnsupportedFormat);
        }
        shows_text |= p.shows_text;
        cut |= p.cut.is_some();
    });
    let on_pages = scope.findings_since(first_page).iter().map(key).collect();
    read_extras(scope, &doc, &mut budget, on_pages);
    if let Some(tail) = tail {
        read_after_eof(scope, &tail, &mut budget);
    }
    if !revisions.is_empty() {
        let mut seen = scope.findings_since(first_page).iter().map(key).collect();
        read_revisions(scope, &data, &revisions, &doc, &mut budget, &mut seen);
    }
    scope.set_bytes(bytes);
    if let Some(reason) = budget.stop.check() {
        // stopped (a signal, the file's deadline): pages were left unread
        scope.skip(Some(Step::PdfText), reason);
        return Ok(());
    }
    // a document read without its page tree may have lost pages or their
    // fonts: what was found is scanned, and the damage is a gap
    if matches!(found, Pages::Orphans(_)) || truncated {
        scope.corrupt(Some(Step::PdfText), Damage::Pdf);
    } else if !shows_text && !cut {
        scope.skip(None, SkipReason::NoTextLayer);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tail_after_the_last_eof_is_what_follows_its_padding() {
        assert_eq!(after_eof(b"%PDF-1.7\n%%EOF\n"), None);
        assert_eq!(after_eof(b"%PDF-1.7\n%%EOF\r\n\0\0 \n"), None);
        assert_eq!(after_eof(b"%PDF-1.7\n%%EOF\nabc"), Some(&b"abc"[..]));
        // the last marker counts: an update that ends with its own
        assert_eq!(after_eof(b"%PDF\n%%EOF\n1 0 obj\n%%EOF\n"), None);
        assert_eq!(after_eof(b"%PDF-1.7 cut"), None);
    }
}
