//! Reading order: the spans of text a page shows, put back into lines.
//! Spans are sorted by baseline (top of the page first), those whose
//! baselines lie within 40 % of their height make one line, and a line's
//! spans are joined left to right: directly when they touch, with a space
//! across a gap, and directly again between single digits drawn a box
//! apart, so that a number written one digit per cell of a form (個人番号
//! on a 源泉徴収票) reads as one number.

/// A run of text shown on one baseline, in page space (points).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Where it starts and ends along the baseline.
    pub x0: f32,
    /// Where it ends.
    pub x1: f32,
    /// The baseline.
    pub y: f32,
    /// The font size on the page.
    pub size: f32,
    /// The text.
    pub text: String,
}

/// How far apart, in font sizes, two single digits may be and still be one
/// number (a digit per box: boxes are about one to one and a half ems).
const DIGIT_BOX_GAP: f32 = 2.0;

/// A gap narrower than this, in font sizes, is no space.
const TOUCH: f32 = 0.15;

impl Span {
    /// A span; a backwards run (text drawn right to left) is turned.
    pub fn new(x0: f32, x1: f32, y: f32, size: f32, text: String) -> Span {
        Span {
            x0: x0.min(x1),
            x1: x0.max(x1),
            y,
            size,
            text,
        }
    }

    /// Whether `next` starts where this one ends, on the same baseline.
    pub fn continues(&self, next: &Span) -> bool {
        let tol = 0.1 * self.size.max(next.size);
        (next.y - self.y).abs() <= tol && (next.x0 - self.x1).abs() <= tol
    }

    /// Appends `next` to this span.
    pub fn extend(&mut self, next: Span) {
        self.text.push_str(&next.text);
        self.x1 = self.x1.max(next.x1);
        self.size = self.size.max(next.size);
    }

    fn single_digit(&self) -> bool {
        let t = self.text.trim();
        t.len() == 1 && t.as_bytes()[0].is_ascii_digit()
    }
}

/// Lays `spans` out as lines of text appended to `out`, one `\n` after
/// each; `spans` is left sorted.
pub fn write(spans: &mut [Span], out: &mut String) {
    spans.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut start = 0;
    while start < spans.len() {
        let (y, size) = (spans[start].y, spans[start].size);
        let mut end = start + 1;
        while end < spans.len() && (y - spans[end].y).abs() <= 0.4 * size.max(spans[end].size) {
            end += 1;
        }
        let line = &mut spans[start..end];
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        write_line(line, out);
        start = end;
    }
}

fn write_line(line: &[Span], out: &mut String) {
    let mut prev: Option<&Span> = None;
    let from = out.len();
    for s in line {
        if s.text.is_empty() {
            continue;
        }
        if let Some(p) = prev {
            let gap = (s.x0 - p.x1) / p.size.max(s.size);
            let boxes = p.single_digit() && s.single_digit() && gap <= DIGIT_BOX_GAP;
            if gap > TOUCH && !boxes && !out.ends_with(' ') && !s.text.starts_with(' ') {
                out.push(' ');
            }
        }
        out.push_str(
            if prev.is_some_and(|p| p.single_digit()) && s.single_digit() {
                s.text.trim()
            } else {
                &s.text
            },
        );
        prev = Some(s);
    }
    if out.len() > from {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(x0: f32, x1: f32, y: f32, text: &str) -> Span {
        Span::new(x0, x1, y, 10.0, text.into())
    }

    #[test]
    fn lines_in_reading_order_and_digit_boxes_joined() {
        let mut spans = vec![
            span(200.0, 260.0, 700.0, "123456789018"),
            span(50.0, 90.0, 700.5, "個人番号"),
            span(50.0, 90.0, 720.0, "源泉徴収票"),
            span(50.0, 120.0, 680.0, "配偶者"),
        ];
        // twelve boxes 16 pt apart, a digit 5.6 pt wide in each
        for (k, d) in "023456789013".chars().enumerate() {
            let x = 130.0 + 16.0 * k as f32;
            spans.push(span(x, x + 5.6, 680.0, &d.to_string()));
        }
        let mut out = String::new();
        write(&mut spans, &mut out);
        assert_eq!(
            out,
            "源泉徴収票\n個人番号 123456789018\n配偶者 023456789013\n"
        );
    }

    #[test]
    fn numbers_in_separate_columns_stay_apart() {
        let mut spans = vec![
            span(50.0, 110.0, 700.0, "123456789018"),
            span(130.0, 180.0, 700.0, "4111"),
        ];
        let mut out = String::new();
        write(&mut spans, &mut out);
        assert_eq!(out, "123456789018 4111\n");
    }
}
