//! What a PDF holds besides its pages' text: the document information
//! dictionary (`/Title`, `/Author`, `/Subject`, `/Keywords` … as
//! `info`), XMP metadata streams (`metadata`, as their XML), the outline's
//! titles (`outline`), the interactive form's fields (`form`: each
//! field's full name, `/TU`, `/TM` and whole `/V`, `/DV`), the strings of
//! each page's annotations (`page-3/annotations`: `/Contents`, `/T`,
//! `/Subj`, `/RC`, `/TU`) and embedded files (`attachment/NAME`: the
//! `/EmbeddedFiles` name tree, FileAttachment annotations, and any other
//! `/Type /EmbeddedFile` stream as `attachment/obj-N`), handed back as
//! [`Extra`]s for the caller to scan as members.
//!
//! Every walk is iterative and bounded: the outline, the field tree and
//! the name tree keep a set of the objects they visited and a cap on items
//! ([`Cut::Limit`] past it). An outline item reached twice is a loop
//! ([`Cut::Damaged`]: the items after it are unknown); a field or name
//! tree node reached twice was read already and is passed over (some
//! producers list a field twice); a
//! part's text is cut at [`MAX_TEXT`] (a limit). Streams decode under the
//! file's [`Budget`]; an embedded file whose declared size (`/Params
//! /Size`) is over what may still be decoded is a limit before any of it
//! is decoded.
//!
//! Strings are PDF text strings (ISO 32000-1, 7.9.2.2): UTF-16BE after
//! its byte order mark (language escapes dropped), UTF-8 after its own,
//! else PDFDocEncoding (Annex D) — [`text_string`].

use std::collections::HashSet;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::streams::{Budget, Cut, MAX_STREAM};

/// Outline items read; more are a [`Cut::Limit`].
pub const MAX_OUTLINE: usize = 100_000;

/// Form fields read; more are a [`Cut::Limit`].
pub const MAX_FIELDS: usize = 100_000;

/// Name tree nodes read, and embedded files listed; more are a
/// [`Cut::Limit`].
pub const MAX_NAMES: usize = 100_000;

/// Annotations read on one page (as [`super::annots::MAX_ANNOTS`]).
pub const MAX_ANNOTS: usize = super::annots::MAX_ANNOTS;

/// Bytes of text one part (`info`, `outline`, `form`, a page's
/// annotations) gives; the rest is a [`Cut::Limit`].
pub const MAX_TEXT: usize = 8 << 20;

/// References followed from one object to the next before giving up (a
/// chain of references to references).
const MAX_DEREF: usize = 8;

/// A reader of a part that is text only; it adds the objects whose strings
/// it read to the set (the sweep, [`objects`], passes over those strings).
type TextPart = fn(&Document, &mut Part, &mut HashSet<ObjectId>);

/// Nesting of arrays and dictionaries inside one object that [`objects`]
/// follows; deeper ones are a [`Cut::Limit`].
const MAX_NESTING: usize = 64;

/// Keys whose strings are binary by definition (file identifiers,
/// checksums, encryption hashes): not text, never swept.
const BINARY_KEYS: [&[u8]; 6] = [b"ID", b"CheckSum", b"O", b"U", b"OE", b"UE"];

/// The keys whose strings [`info`], [`outline`], [`form`] and
/// [`annotations`] read from the objects they reach.
const READ_KEYS: [&[u8]; 10] = [
    b"T",
    b"TU",
    b"TM",
    b"V",
    b"DV",
    b"RV",
    b"Title",
    b"Subj",
    b"Contents",
    b"RC",
];

/// One part read, for the caller to scan or record.
#[derive(Debug)]
pub enum Extra {
    /// A part's text: `step` names it (`info`, `page-3/annotations`).
    Text {
        /// The part's name, as a provenance step.
        step: String,
        /// Its text, a line an item.
        text: String,
    },
    /// An embedded file's decoded data (`attachment/NAME`); the caller
    /// releases its `data.len()` held bytes from the budget once scanned.
    File {
        /// The part's name, as a provenance step.
        step: String,
        /// The file's bytes.
        data: Vec<u8>,
        /// Its encoded size in the PDF (the inflation ratio's base).
        encoded: u64,
    },
    /// A part (or the rest of it) not read, and why.
    Cut {
        /// The part's name, as a provenance step.
        step: String,
        /// Why.
        cut: Cut,
    },
}

/// Reads every extra part of `doc` (info, outline, form, metadata, each
/// page's annotations, then embedded files), handing each to `each`; streams decode under `budget`, whose
/// stop is looked at between parts.
pub fn read(doc: &Document, budget: &mut Budget, mut each: impl FnMut(&mut Budget, Extra)) {
    let parts: [(&str, TextPart); 3] = [("info", info), ("outline", outline), ("form", form)];
    let mut reached = HashSet::new();
    for (name, read) in parts {
        if budget.stop.check().is_some() {
            return;
        }
        let mut part = Part::new(name);
        read(doc, &mut part, &mut reached);
        part.hand(budget, &mut each);
    }
    metadata(doc, budget, &mut each);
    let mut files = Files::default();
    for (&number, &id) in &doc.get_pages() {
        if budget.stop.check().is_some() {
            return;
        }
        let mut part = Part::new(&format!("page-{number}/annotations"));
        annotations(doc, id, &mut part, &mut files, &mut reached);
        part.hand(budget, &mut each);
    }
    embedded(doc, &mut files);
    files.read(doc, budget, &mut each);
    if budget.stop.check().is_none() {
        objects(doc, doc.objects.iter(), &reached, budget, &mut each);
    }
}

/// Reads what an earlier revision of a document held in the objects a
/// later update `changed` (replaced or dropped): their strings (`objects`,
/// `javascript`, as the document's own sweep gives them) and the embedded files among
/// them (`attachment/obj-N`). Its pages are the caller's.
pub fn read_changed(
    doc: &Document,
    changed: &HashSet<ObjectId>,
    budget: &mut Budget,
    mut each: impl FnMut(&mut Budget, Extra),
) {
    let of = |(id, _): &(&ObjectId, &Object)| changed.contains(id);
    objects(
        doc,
        doc.objects.iter().filter(of),
        &HashSet::new(),
        budget,
        &mut each,
    );
    for (id, o) in doc.objects.iter().filter(of) {
        if budget.stop.check().is_some() {
            return;
        }
        let Object::Stream(s) = o else { continue };
        if s.dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"EmbeddedFile") {
            continue;
        }
        hand_file(s, format!("attachment/obj-{}", id.0), budget, &mut each);
    }
}

/// Decodes an embedded file's stream ([`file`]) and hands it to `each` as
/// the part `step` (its held bytes released after), or its cut.
fn hand_file(
    s: &Stream,
    step: String,
    budget: &mut Budget,
    each: &mut impl FnMut(&mut Budget, Extra),
) {
    match file(s, budget) {
        Ok(data) => {
            let (encoded, n) = (s.content.len() as u64, data.len());
            each(
                budget,
                Extra::File {
                    step,
                    data,
                    encoded,
                },
            );
            budget.release(n);
        }
        Err(cut) => each(budget, Extra::Cut { step, cut }),
    }
}

/// The text of one part as it is gathered, and its first cut.
struct Part {
    step: String,
    text: String,
    cut: Option<Cut>,
}

impl Part {
    fn new(step: &str) -> Part {
        Part {
            step: step.to_string(),
            text: String::new(),
            cut: None,
        }
    }

    /// Adds a line: `label` then `value` (a text string), if the value
    /// has any text.
    fn line(&mut self, label: &str, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        if self.text.len() + label.len() + value.len() + 2 > MAX_TEXT {
            self.cut.get_or_insert(Cut::Limit);
            return;
        }
        if !label.is_empty() {
            self.text.push_str(label);
            self.text.push(' ');
        }
        self.text.push_str(value);
        self.text.push('\n');
    }

    /// Hands the text and the cut to `each`.
    fn hand(self, budget: &mut Budget, each: &mut impl FnMut(&mut Budget, Extra)) {
        if !self.text.is_empty() {
            let step = self.step.clone();
            each(
                budget,
                Extra::Text {
                    step,
                    text: self.text,
                },
            );
        }
        if let Some(cut) = self.cut {
            let step = self.step;
            each(budget, Extra::Cut { step, cut });
        }
    }
}

/// `o` with references followed (a few at most).
fn deref<'d>(doc: &'d Document, o: Option<&'d Object>) -> Option<&'d Object> {
    let mut o = o?;
    for _ in 0..MAX_DEREF {
        match o {
            Object::Reference(id) => o = doc.get_object(*id).ok()?,
            o => return Some(o),
        }
    }
    None
}

/// `key` of `dict` as a dictionary, references followed.
fn dict_at<'d>(doc: &'d Document, dict: &'d Dictionary, key: &[u8]) -> Option<&'d Dictionary> {
    match deref(doc, dict.get(key).ok())? {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// `key` of `dict` as a text string, references followed.
fn string_at(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<String> {
    match deref(doc, dict.get(key).ok())? {
        Object::String(s, _) => Some(text_string(s)),
        _ => None,
    }
}

/// The document information dictionary: each string entry as
/// `/Key value`.
fn info(doc: &Document, part: &mut Part, reached: &mut HashSet<ObjectId>) {
    if let Ok(Object::Reference(id)) = doc.trailer.get(b"Info") {
        // read whole: the sweep passes over it
        reached.insert(*id);
    }
    let Some(info) = dict_at(doc, &doc.trailer, b"Info") else {
        return;
    };
    for (key, _) in info.iter() {
        if let Some(value) = string_at(doc, info, key) {
            // `/Title …`, not `Title: …`: a part that starts as mail
            // headers would be read as a message
            let label = format!("/{}", String::from_utf8_lossy(key));
            part.line(&label, &value);
        }
    }
}

/// The outline's titles, depth first, a line each.
fn outline(doc: &Document, part: &mut Part, reached: &mut HashSet<ObjectId>) {
    let Some(root) = doc
        .catalog()
        .ok()
        .and_then(|c| dict_at(doc, c, b"Outlines"))
    else {
        return;
    };
    let mut stack: Vec<&Object> = root.get(b"First").ok().into_iter().collect();
    let mut seen = HashSet::new();
    let mut items = 0;
    while let Some(o) = stack.pop() {
        if let Object::Reference(id) = o {
            reached.insert(*id);
            if !seen.insert(*id) {
                part.cut.get_or_insert(Cut::Damaged); // a loop
                return;
            }
        }
        items += 1;
        if items > MAX_OUTLINE {
            part.cut.get_or_insert(Cut::Limit);
            return;
        }
        let Some(Object::Dictionary(item)) = deref(doc, Some(o)) else {
            continue;
        };
        if let Some(title) = string_at(doc, item, b"Title") {
            part.line("", &title);
        }
        // the next sibling after this item's children
        stack.extend(item.get(b"Next").ok());
        stack.extend(item.get(b"First").ok());
    }
}

/// The interactive form's fields: each field with a value as `name:
/// value` (its full name, after its `/TU` and `/TM`), then its default
/// value. A name value (a check box's state) is left out.
fn form(doc: &Document, part: &mut Part, reached: &mut HashSet<ObjectId>) {
    let Some(fields) = doc
        .catalog()
        .ok()
        .and_then(|c| dict_at(doc, c, b"AcroForm"))
        .and_then(|f| deref(doc, f.get(b"Fields").ok()))
        .and_then(|f| f.as_array().ok())
    else {
        return;
    };
    let mut stack: Vec<(&Object, String)> =
        fields.iter().rev().map(|f| (f, String::new())).collect();
    let mut seen = HashSet::new();
    let mut count = 0;
    while let Some((o, parent)) = stack.pop() {
        if let Object::Reference(id) = o {
            reached.insert(*id);
            if !seen.insert(*id) {
                continue; // read already (listed twice, or a loop back)
            }
        }
        count += 1;
        if count > MAX_FIELDS {
            part.cut.get_or_insert(Cut::Limit);
            return;
        }
        let Some(Object::Dictionary(field)) = deref(doc, Some(o)) else {
            continue;
        };
        let name = match string_at(doc, field, b"T") {
            Some(t) if parent.is_empty() => t,
            Some(t) => format!("{parent}.{t}"),
            None => parent,
        };
        let mut label = String::new();
        for key in [&b"TU"[..], b"TM"] {
            if let Some(s) = string_at(doc, field, key) {
                label.push_str(s.trim());
                label.push(' ');
            }
        }
        label.push_str(&name);
        label.push(':');
        for key in [&b"V"[..], b"DV", b"RV"] {
            if let Some(v) = value(doc, field.get(key).ok()) {
                part.line(&label, &v);
            }
        }
        if let Some(kids) = deref(doc, field.get(b"Kids").ok()).and_then(|k| k.as_array().ok()) {
            stack.extend(kids.iter().rev().map(|k| (k, name.clone())));
        }
    }
}

/// A field value as text: a string, a stream's text (a rich value), or
/// the strings of a list joined by spaces.
fn value(doc: &Document, o: Option<&Object>) -> Option<String> {
    match deref(doc, o)? {
        Object::String(s, _) => Some(text_string(s)),
        Object::Array(items) => {
            let mut out = String::new();
            for item in items {
                if let Some(Object::String(s, _)) = deref(doc, Some(item)) {
                    out.push_str(&text_string(s));
                    out.push(' ');
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// Every XMP metadata stream (`/Type /Metadata`) as its XML text: the
/// catalog's as `metadata`, any other (a page's, an image's) as
/// `metadata/obj-N`.
fn metadata(doc: &Document, budget: &mut Budget, each: &mut impl FnMut(&mut Budget, Extra)) {
    let catalog = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Metadata").ok())
        .and_then(|o| o.as_reference().ok());
    for (&id, o) in &doc.objects {
        if budget.stop.check().is_some() {
            return;
        }
        let Object::Stream(s) = o else { continue };
        if s.dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"Metadata") {
            continue;
        }
        let step = if catalog == Some(id) {
            "metadata".to_string()
        } else {
            format!("metadata/obj-{}", id.0)
        };
        match budget.decode(s) {
            Ok(data) => {
                let n = data.len();
                let text = String::from_utf8_lossy(&data).into_owned();
                drop(data);
                each(budget, Extra::Text { step, text });
                budget.release(n);
            }
            Err(cut) => each(budget, Extra::Cut { step, cut }),
        }
    }
}

/// The strings of a page's annotations, a line each, and the files its
/// FileAttachment annotations carry (into `files`). A widget's value is
/// the form's ([`form`]).
fn annotations(
    doc: &Document,
    page: ObjectId,
    part: &mut Part,
    files: &mut Files,
    reached: &mut HashSet<ObjectId>,
) {
    let Some(annots) = doc
        .get_dictionary(page)
        .ok()
        .and_then(|p| deref(doc, p.get(b"Annots").ok()))
        .and_then(|a| a.as_array().ok())
    else {
        return;
    };
    if annots.len() > MAX_ANNOTS {
        part.cut.get_or_insert(Cut::Limit);
    }
    for a in annots.iter().take(MAX_ANNOTS) {
        if let Object::Reference(id) = a {
            reached.insert(*id);
        }
        let Some(Object::Dictionary(annot)) = deref(doc, Some(a)) else {
            continue;
        };
        for key in [&b"T"[..], b"Subj", b"TU", b"Contents"] {
            if let Some(s) = string_at(doc, annot, key) {
                part.line("", &s);
            }
        }
        if let Some(rc) = string_at(doc, annot, b"RC") {
            part.line("", &strip_tags(&rc));
        }
        if let Ok(fs) = annot.get(b"FS") {
            files.add(doc, fs, None);
        }
    }
}

/// The strings no other part read, from every object of the document,
/// whether the document reaches it or not (an annotation left without a
/// page, an object an update made unreachable): JavaScript (`/JS`, a
/// string or a stream) as `javascript`, every other string as `objects`,
/// a line each, `/KEY value` (a link's `/URI`, an action's file name, a
/// string in a private dictionary). Objects another part reached give only
/// the strings at keys it did not read ([`READ_KEYS`]); the document
/// information dictionary gives none. Content streams are not strings and
/// are left to the pages; embedded files to `attachment/…`.
fn objects<'d>(
    doc: &'d Document,
    all: impl Iterator<Item = (&'d ObjectId, &'d Object)>,
    reached: &HashSet<ObjectId>,
    budget: &mut Budget,
    each: &mut impl FnMut(&mut Budget, Extra),
) {
    let mut js = Part::new("javascript");
    let mut strings = Part::new("objects");
    let mut streams: Vec<ObjectId> = Vec::new();
    for (id, object) in all {
        let read = reached.contains(id);
        if read && doc.trailer.get(b"Info").ok() == Some(&Object::Reference(*id)) {
            continue;
        }
        let top = match object {
            Object::Stream(s) => &s.dict,
            Object::Dictionary(d) => d,
            _ => {
                // a string (or an array of them) as an object of its own
                sweep(object, b"", &mut strings, &mut js, &mut streams);
                continue;
            }
        };
        for (key, value) in top.iter() {
            if read && READ_KEYS.contains(&key.as_slice()) {
                continue;
            }
            sweep(value, key, &mut strings, &mut js, &mut streams);
        }
    }
    // JavaScript in streams (`/JS 12 0 R`), each once
    streams.sort_unstable();
    streams.dedup();
    for id in streams {
        if budget.stop.check().is_some() {
            break;
        }
        let Ok(Object::Stream(s)) = doc.get_object(id) else {
            continue;
        };
        match budget.decode(s) {
            Ok(data) => {
                js.line("", &text_string(&data));
                budget.release(data.len());
            }
            Err(cut) => {
                js.cut.get_or_insert(cut);
            }
        }
    }
    js.hand(budget, each);
    strings.hand(budget, each);
}

/// The strings in `value` (at `key` of a dictionary), nested arrays and
/// dictionaries followed to [`MAX_NESTING`]: JavaScript into `js`, others
/// into `strings`; a reference at `/JS` into `streams`.
fn sweep(
    value: &Object,
    key: &[u8],
    strings: &mut Part,
    js: &mut Part,
    streams: &mut Vec<ObjectId>,
) {
    let mut stack: Vec<(&Object, &[u8], usize)> = vec![(value, key, 0)];
    while let Some((o, key, depth)) = stack.pop() {
        if depth > MAX_NESTING {
            strings.cut.get_or_insert(Cut::Limit);
            continue;
        }
        match o {
            Object::String(..) if BINARY_KEYS.contains(&key) => {}
            Object::String(s, _) if key == b"JS" => js.line("", &text_string(s)),
            Object::String(s, _) => {
                let label = format!("/{}", String::from_utf8_lossy(key));
                strings.line(if key.is_empty() { "" } else { &label }, &text_string(s));
            }
            Object::Reference(id) if key == b"JS" => streams.push(*id),
            Object::Array(items) => stack.extend(items.iter().rev().map(|i| (i, key, depth + 1))),
            Object::Dictionary(d) => {
                stack.extend(d.iter().map(|(k, v)| (v, k.as_slice(), depth + 1)));
            }
            _ => {}
        }
    }
}

/// Rich text (XHTML) without its tags: the text between them.
fn strip_tags(rc: &str) -> String {
    let mut out = String::with_capacity(rc.len());
    let mut in_tag = false;
    for c in rc.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The `/EmbeddedFiles` name tree's file specifications, into `files`.
fn embedded(doc: &Document, files: &mut Files) {
    let Some(root) = doc
        .catalog()
        .ok()
        .and_then(|c| dict_at(doc, c, b"Names"))
        .and_then(|n| dict_at(doc, n, b"EmbeddedFiles"))
    else {
        return;
    };
    let mut stack: Vec<&Dictionary> = vec![root];
    let mut seen = HashSet::new();
    let mut count = 0;
    while let Some(node) = stack.pop() {
        count += 1;
        if count > MAX_NAMES {
            files.cut.get_or_insert(Cut::Limit);
            return;
        }
        if let Some(names) = deref(doc, node.get(b"Names").ok()).and_then(|n| n.as_array().ok()) {
            for pair in names.chunks(2) {
                let key = match deref(doc, pair.first()) {
                    Some(Object::String(s, _)) => Some(text_string(s)),
                    _ => None,
                };
                if let Some(spec) = pair.get(1) {
                    files.add(doc, spec, key);
                }
            }
        }
        let Some(kids) = deref(doc, node.get(b"Kids").ok()).and_then(|k| k.as_array().ok()) else {
            continue;
        };
        for kid in kids.iter().rev() {
            if let Object::Reference(id) = kid {
                if !seen.insert(*id) {
                    continue; // read already (listed twice, or a loop back)
                }
            }
            if let Some(Object::Dictionary(d)) = deref(doc, Some(kid)) {
                stack.push(d);
            }
        }
    }
}

/// The embedded files found, by their stream, with their names.
#[derive(Default)]
struct Files {
    /// (stream, name) in the order found.
    found: Vec<(ObjectId, String)>,
    /// The streams already listed.
    listed: HashSet<ObjectId>,
    /// A walk cut short (the name tree).
    cut: Option<Cut>,
}

impl Files {
    /// Lists the file of file specification `spec`, named by its `/UF`,
    /// `/F`, or `key` (its name in the name tree).
    fn add(&mut self, doc: &Document, spec: &Object, key: Option<String>) {
        let Some(Object::Dictionary(spec)) = deref(doc, Some(spec)) else {
            return;
        };
        let Some(ef) = dict_at(doc, spec, b"EF") else {
            return;
        };
        let stream = [&b"UF"[..], b"F", b"DOS", b"Mac", b"Unix"]
            .iter()
            .find_map(|k| ef.get(k).ok().and_then(|o| o.as_reference().ok()));
        let Some(stream) = stream else { return };
        if !self.listed.insert(stream) {
            return;
        }
        if self.found.len() >= MAX_NAMES {
            self.cut.get_or_insert(Cut::Limit);
            return;
        }
        let name = string_at(doc, spec, b"UF")
            .or_else(|| string_at(doc, spec, b"F"))
            .or(key)
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("obj-{}", stream.0));
        self.found.push((stream, name));
    }

    /// Decodes each file listed, then every other `/Type /EmbeddedFile`
    /// stream, handing each to `each`.
    fn read(
        mut self,
        doc: &Document,
        budget: &mut Budget,
        each: &mut impl FnMut(&mut Budget, Extra),
    ) {
        for (&id, o) in &doc.objects {
            let Object::Stream(s) = o else { continue };
            let kind = s.dict.get(b"Type").and_then(Object::as_name).ok();
            if kind == Some(b"EmbeddedFile") && !self.listed.contains(&id) {
                if self.found.len() >= MAX_NAMES {
                    self.cut.get_or_insert(Cut::Limit);
                    break;
                }
                self.found.push((id, format!("obj-{}", id.0)));
            }
        }
        if let Some(cut) = self.cut {
            let step = "attachment".to_string();
            each(budget, Extra::Cut { step, cut });
        }
        for (id, name) in self.found {
            if budget.stop.check().is_some() {
                return;
            }
            let Ok(Object::Stream(s)) = doc.get_object(id) else {
                continue;
            };
            hand_file(s, format!("attachment/{name}"), budget, each);
        }
    }
}

/// An embedded file's data: a limit before decoding when its declared
/// size (`/Params /Size`) is over what one stream may decode to or the
/// file may still decode.
fn file(s: &Stream, budget: &mut Budget) -> Result<Vec<u8>, Cut> {
    let declared = s
        .dict
        .get(b"Params")
        .and_then(Object::as_dict)
        .and_then(|p| p.get(b"Size"))
        .and_then(Object::as_i64)
        .ok()
        .and_then(|n| u64::try_from(n).ok());
    if declared.is_some_and(|n| n > MAX_STREAM.min(budget.left)) {
        return Err(Cut::Limit);
    }
    budget.decode(s)
}

/// A PDF text string (ISO 32000-1, 7.9.2.2): UTF-16BE after its byte
/// order mark (language escapes, ESC … ESC, dropped), UTF-8 after its
/// own, else PDFDocEncoding (Annex D, table D.2).
pub fn text_string(s: &[u8]) -> String {
    if let Some(u) = s.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = u
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        let mut out = String::from_utf16_lossy(&units);
        while let Some(start) = out.find('\u{1B}') {
            let end = out[start + 1..]
                .find('\u{1B}')
                .map_or(out.len(), |e| start + 2 + e);
            out.replace_range(start..end, "");
        }
        return out;
    }
    if let Some(u) = s.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(u).into_owned();
    }
    s.iter().map(|&b| pdf_doc(b)).collect()
}

/// A PDFDocEncoding byte as a character: Latin-1 but for 0x18–0x1F and
/// 0x80–0xA0 (accents, dashes, quotes, ligatures, the euro sign).
fn pdf_doc(b: u8) -> char {
    const LOW: [char; 8] = ['˘', 'ˇ', 'ˆ', '˙', '˝', '˛', '˚', '˜'];
    const HIGH: [char; 33] = [
        '•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘', '’', '‚',
        '™', 'ﬁ', 'ﬂ', 'Ł', 'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž', '\u{FFFD}', '€',
    ];
    match b {
        0x18..=0x1F => LOW[usize::from(b - 0x18)],
        0x80..=0xA0 => HIGH[usize::from(b - 0x80)],
        b => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    #[test]
    fn text_strings_decode_by_their_mark() {
        assert_eq!(text_string(b"\xFE\xFF\x50\x0B\x00\x31"), "個1");
        assert_eq!(text_string(b"\xEF\xBB\xBF\xE5\x80\x8B"), "個");
        assert_eq!(text_string(b"abc"), "abc");
        // PDFDocEncoding: a bullet, an em dash, the euro sign; Latin-1 above
        assert_eq!(text_string(b"\x80\x84\xA0\xE9"), "•—€é");
        // a language escape (ESC ja ESC) is dropped
        assert_eq!(
            text_string(b"\xFE\xFF\x00\x1B\x00j\x00a\x00\x1B\x50\x0B"),
            "個"
        );
    }

    #[test]
    fn rich_text_loses_its_tags() {
        assert_eq!(
            strip_tags("<body><p>個人番号</p></body>").trim(),
            "個人番号"
        );
    }

    /// A document of `objects` whose catalog is object 1.
    fn doc(objects: Vec<(u32, Object)>) -> Document {
        let mut doc = Document::with_version("1.7");
        for (n, o) in objects {
            doc.objects.insert((n, 0), o);
        }
        doc.trailer.set("Root", Object::Reference((1, 0)));
        doc
    }

    #[test]
    fn an_outline_loop_is_damage_not_a_hang() {
        let doc = doc(vec![
            (
                1,
                dictionary! { "Type" => "Catalog", "Outlines" => (2, 0) }.into(),
            ),
            (2, dictionary! { "First" => (3, 0) }.into()),
            (
                3,
                dictionary! { "Title" => Object::string_literal("one"), "Next" => (4, 0) }.into(),
            ),
            (
                4,
                dictionary! { "Title" => Object::string_literal("two"), "Next" => (3, 0) }.into(),
            ),
        ]);
        let mut part = Part::new("outline");
        outline(&doc, &mut part, &mut HashSet::new());
        assert_eq!(part.text, "one\ntwo\n");
        assert_eq!(part.cut, Some(Cut::Damaged));
    }

    #[test]
    fn an_outline_past_the_cap_is_a_limit() {
        let n = MAX_OUTLINE as u32 + 1;
        let mut objects = vec![
            (
                1,
                dictionary! { "Type" => "Catalog", "Outlines" => (2, 0) }.into(),
            ),
            (2, dictionary! { "First" => (10, 0) }.into()),
        ];
        for k in 0..n {
            objects.push((10 + k, dictionary! { "Next" => (11 + k, 0) }.into()));
        }
        let mut part = Part::new("outline");
        outline(&doc(objects), &mut part, &mut HashSet::new());
        assert_eq!(part.cut, Some(Cut::Limit));
    }

    #[test]
    fn a_field_tree_that_loops_ends() {
        let doc = doc(vec![
            (
                1,
                dictionary! { "Type" => "Catalog", "AcroForm" => dictionary! { "Fields" => vec![Object::Reference((2, 0)), Object::Reference((2, 0))] } }.into(),
            ),
            (
                2,
                dictionary! {
                    "T" => Object::string_literal("a"),
                    "V" => Object::string_literal("x"),
                    "Kids" => vec![Object::Reference((2, 0))],
                }
                .into(),
            ),
        ]);
        let mut part = Part::new("form");
        form(&doc, &mut part, &mut HashSet::new());
        assert_eq!(part.text, "a: x\n");
        assert_eq!(part.cut, None);
    }

    #[test]
    fn files_past_the_cap_are_a_limit() {
        let mut objects = vec![(1, dictionary! { "Type" => "Catalog" }.into())];
        for n in 0..3 {
            let s = Stream::new(dictionary! { "Type" => "EmbeddedFile" }, b"a,b\n".to_vec());
            objects.push((10 + n, s.into()));
        }
        let doc = doc(objects);
        let mut files = Files::default();
        for n in 0..MAX_NAMES as u32 {
            files.found.push(((1_000_000 + n, 0), String::new()));
        }
        let mut budget = Budget::new(0, crate::formats::limits::Limits::default());
        let mut cuts = Vec::new();
        files.read(&doc, &mut budget, &mut |_, e| {
            if let Extra::Cut { step, cut } = e {
                cuts.push((step, cut));
            }
        });
        assert_eq!(cuts, [("attachment".to_string(), Cut::Limit)]);
    }

    #[test]
    fn form_fields_give_full_names_and_whole_values() {
        let long = "1".repeat(10_000);
        let doc = doc(vec![
            (
                1,
                dictionary! { "Type" => "Catalog", "AcroForm" => dictionary! { "Fields" => vec![Object::Reference((2, 0))] } }.into(),
            ),
            (
                2,
                dictionary! { "T" => Object::string_literal("person"), "Kids" => vec![Object::Reference((3, 0))] }.into(),
            ),
            (
                3,
                dictionary! {
                    "T" => Object::string_literal("id"),
                    "TU" => Object::string_literal("number"),
                    "V" => Object::string_literal(long.as_str()),
                }
                .into(),
            ),
        ]);
        let mut part = Part::new("form");
        form(&doc, &mut part, &mut HashSet::new());
        assert_eq!(part.text, format!("number person.id: {long}\n"));
        assert_eq!(part.cut, None);
    }
}
