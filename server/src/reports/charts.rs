//! Charts drawn on the server as inline SVG (no chart library in the browser): a
//! horizontal bar chart, its title and description as its text alternative. Every chart
//! is shown beside a table of the same numbers.

use std::fmt::Write;

/// One bar: its label, its value and the value as shown.
#[derive(Debug, Clone)]
pub struct Bar {
    /// What it stands for.
    pub label: String,
    /// Its length against the chart's largest.
    pub value: f64,
    /// The number written beside it.
    pub shown: String,
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The length of a full bar (the chart is 360 wide: label, bar, value).
const TRACK: f64 = 160.0;

/// A horizontal bar chart, `max` the value of a full bar (the largest bar's when 0).
/// The SVG scales to its container; `title` and `desc` are its accessible name and
/// description.
pub fn bars(id: &str, title: &str, desc: &str, bars: &[Bar], max: f64) -> String {
    let max = if max > 0.0 {
        max
    } else {
        bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0)
    };
    let row = 34.0;
    let height = row * bars.len().max(1) as f64 + 8.0;
    let id = escape(id);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" viewBox=\"0 0 360 {height}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" preserveAspectRatio=\"xMinYMin meet\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(title),
        escape(desc)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let width = (b.value.max(0.0) / max).min(1.0) * TRACK;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{:.1}\" class=\"chart-label\">{}</text>\
             <rect x=\"150\" y=\"{:.1}\" width=\"160\" height=\"20\" rx=\"3\" class=\"chart-track\"/>\
             <rect x=\"150\" y=\"{:.1}\" width=\"{width:.1}\" height=\"20\" rx=\"3\" class=\"chart-bar\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"chart-value\">{}</text>",
            y + 15.0,
            escape(&shorten(&b.label, 20)),
            y,
            y,
            150.0 + TRACK + 6.0,
            y + 15.0,
            escape(&b.shown)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// `s` cut to `n` characters with an ellipsis.
fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_bars_scaled() {
        let svg = bars(
            "c",
            "JP <bands>",
            "desc & more",
            &[
                Bar {
                    label: "<script>".into(),
                    value: 5.0,
                    shown: "5".into(),
                },
                Bar {
                    label: "b".into(),
                    value: 10.0,
                    shown: "10".into(),
                },
            ],
            0.0,
        );
        assert!(svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("JP &lt;bands&gt;"));
        assert!(
            svg.contains("width=\"160.0\""),
            "the largest fills the track"
        );
        assert!(svg.contains("width=\"80.0\""));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }
}
