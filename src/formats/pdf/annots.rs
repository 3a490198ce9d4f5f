//! What a page's annotations show: form fields (AcroForm widgets) and
//! other annotations with an appearance (FreeText, stamps). Each
//! annotation's normal appearance stream (`/AP /N`, the state `/AS` picks
//! for a field with several) is drawn where the annotation lies on the
//! page (ISO 32000-1, 12.5.5: its `/BBox` through its `/Matrix` fitted to
//! the `/Rect`), so its text joins the page's lines: a field a digit per
//! box (twelve one-character fields, or a comb field) reads as one number
//! beside its printed label. A widget whose appearance shows no text (no
//! `/AP`, a form left to the viewer with `/NeedAppearances`) gives its
//! field's value (`/V`, inherited from `/Parent` fields) as text in its
//! rectangle instead.

use lopdf::{Dictionary, Object};

use super::content::{Matrix, Reader};
use super::extras::text_string;
use super::layout::Span;
use super::streams::Cut;

/// Annotations read on one page; more are a [`Cut::Limit`].
pub const MAX_ANNOTS: usize = 4096;

/// `/Parent` links followed up from a widget to its field's value.
const MAX_PARENTS: usize = 32;

/// Characters of one field value drawn on the page: the whole value is
/// read as the document's `form` part ([`super::extras`]), so this cut
/// leaves nothing unread.
const MAX_VALUE: usize = 4096;

/// Draws the annotations of `page` on `reader`'s page. `dr` is the
/// AcroForm's default resources (fonts an appearance may name without
/// carrying them).
pub fn draw<'d>(reader: &mut Reader<'d, '_>, page: &'d Dictionary, dr: Option<&'d Dictionary>) {
    let Some(annots) = reader
        .deref(page.get(b"Annots").ok())
        .and_then(|o| o.as_array().ok())
    else {
        return;
    };
    if annots.len() > MAX_ANNOTS {
        reader.cut.get_or_insert(Cut::Limit);
    }
    let resources: Vec<&'d Dictionary> = dr.into_iter().collect();
    for a in annots.iter().take(MAX_ANNOTS) {
        let Some(annot) = reader.deref_dict(Some(a)) else {
            continue;
        };
        let Some(rect) = rect(reader, annot) else {
            continue;
        };
        let shown = reader.mapped + reader.unmapped;
        if let Some(ap) = appearance(reader, annot) {
            let bbox = rect_of(reader, ap.dict.get(b"BBox").ok()).unwrap_or(rect);
            let m = super::content::matrix_of(ap.dict.get(b"Matrix").ok()).unwrap_or(Matrix::ID);
            reader.draw_form(ap, &resources, fit(bbox, m, rect), 0);
        }
        let is_widget = reader
            .deref(annot.get(b"Subtype").ok())
            .and_then(|o| o.as_name().ok())
            == Some(b"Widget");
        if is_widget && reader.mapped + reader.unmapped == shown {
            if let Some(text) = value(reader, annot) {
                reader.add_text(value_span(rect, text));
            }
        }
    }
}

/// The annotation's normal appearance: `/AP /N`, a stream, or the stream
/// of its state `/AS` among several.
fn appearance<'d>(reader: &Reader<'d, '_>, annot: &'d Dictionary) -> Option<&'d lopdf::Stream> {
    let ap = reader.deref_dict(annot.get(b"AP").ok())?;
    match reader.deref(ap.get(b"N").ok())? {
        Object::Stream(s) => Some(s),
        Object::Dictionary(states) => {
            let state = reader.deref(annot.get(b"AS").ok())?.as_name().ok()?;
            reader.deref(states.get(state).ok())?.as_stream().ok()
        }
        _ => None,
    }
}

/// The matrix that draws an appearance with `bbox` and `matrix` into
/// `rect` (ISO 32000-1, 12.5.5, algorithm 8.1).
fn fit(bbox: [f32; 4], matrix: Matrix, rect: [f32; 4]) -> Matrix {
    let corners = [
        matrix.apply(bbox[0], bbox[1]),
        matrix.apply(bbox[2], bbox[1]),
        matrix.apply(bbox[0], bbox[3]),
        matrix.apply(bbox[2], bbox[3]),
    ];
    let min_x = corners.iter().map(|c| c.0).fold(f32::INFINITY, f32::min);
    let max_x = corners
        .iter()
        .map(|c| c.0)
        .fold(f32::NEG_INFINITY, f32::max);
    let min_y = corners.iter().map(|c| c.1).fold(f32::INFINITY, f32::min);
    let max_y = corners
        .iter()
        .map(|c| c.1)
        .fold(f32::NEG_INFINITY, f32::max);
    let scale = |r: f32, b: f32| if b.abs() > 1e-3 { r / b } else { 1.0 };
    let sx = scale(rect[2] - rect[0], max_x - min_x);
    let sy = scale(rect[3] - rect[1], max_y - min_y);
    Matrix([sx, 0.0, 0.0, sy, rect[0] - min_x * sx, rect[1] - min_y * sy])
}

/// The annotation's `/Rect`, normalised (x0, y0, x1, y1).
fn rect(reader: &Reader<'_, '_>, annot: &Dictionary) -> Option<[f32; 4]> {
    rect_of(reader, annot.get(b"Rect").ok())
}

fn rect_of(reader: &Reader<'_, '_>, o: Option<&Object>) -> Option<[f32; 4]> {
    let a = reader.deref(o)?.as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let mut v = [0.0f32; 4];
    for (k, o) in a.iter().enumerate() {
        v[k] = reader
            .deref(Some(o))
            .and_then(super::font::number)
            .filter(|n| n.is_finite())?;
    }
    Some([
        v[0].min(v[2]),
        v[1].min(v[3]),
        v[0].max(v[2]),
        v[1].max(v[3]),
    ])
}

/// The value of the field a widget belongs to, as text: its own `/V` or
/// the nearest parent's; a string, or the strings of a list.
fn value(reader: &Reader<'_, '_>, widget: &Dictionary) -> Option<String> {
    let mut field = widget;
    for _ in 0..MAX_PARENTS {
        if let Some(v) = reader.deref(field.get(b"V").ok()) {
            let mut out = String::new();
            match v {
                Object::String(s, _) => out.push_str(&text_string(s)),
                Object::Array(items) => {
                    for s in items.iter().filter_map(|o| reader.deref(Some(o))) {
                        if let Object::String(s, _) = s {
                            out.push(' ');
                            out.push_str(&text_string(s));
                        }
                    }
                }
                _ => return None, // a name: a check box's state
            }
            let out: String = out.trim().chars().take(MAX_VALUE).collect();
            return (!out.is_empty()).then_some(out);
        }
        field = reader.deref_dict(field.get(b"Parent").ok())?;
    }
    None
}

/// A field value without an appearance, set in its rectangle: one line,
/// half an em a character, the font size three fifths of the height.
fn value_span(rect: [f32; 4], text: String) -> Span {
    let size = ((rect[3] - rect[1]) * 0.6).clamp(4.0, 24.0);
    let y = rect[1] + ((rect[3] - rect[1]) - size) / 2.0;
    let width = 0.5 * size * text.chars().count() as f32;
    let x0 = rect[0] + 1.0;
    Span::new(x0, x0 + width.min((rect[2] - x0).max(0.0)), y, size, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_appearance_is_fitted_to_its_rectangle() {
        let m = fit(
            [0.0, 0.0, 100.0, 20.0],
            Matrix::ID,
            [50.0, 700.0, 150.0, 720.0],
        );
        assert_eq!(m.apply(0.0, 0.0), (50.0, 700.0));
        assert_eq!(m.apply(100.0, 20.0), (150.0, 720.0));
        let scaled = fit([0.0, 0.0, 10.0, 10.0], Matrix::ID, [0.0, 0.0, 20.0, 40.0]);
        assert_eq!(scaled.apply(10.0, 10.0), (20.0, 40.0));
    }
}
