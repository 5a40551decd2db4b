//! Inline SVG charts for `report` and `eval --plots`: the score histogram, the precision–recall curve and the
//! calibration plot. Plain SVG 1.1 with no scripts, fonts or links, so a file shows the same offline anywhere.

use std::fmt::Write;

const WIDTH: f64 = 440.0;
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 46.0;

pub const LURE: &str = "#c2410c";
pub const LEGIT: &str = "#0f766e";
const INK: &str = "#1f2937";
const GRID: &str = "#e5e7eb";
const MUTED: &str = "#6b7280";
const ACCENT: &str = "#1d4ed8";

/// `&`, `<`, `>`, `"` and `'` escaped, for text in SVG and HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A chart frame with axes from 0 to 1 on x, 0 to `y_max` on y: maps data to pixels and draws grid and labels.
struct Frame {
    svg: String,
    y_max: f64,
}

impl Frame {
    fn new(
        title: &str,
        x_label: &str,
        y_label: &str,
        y_max: f64,
        y_ticks: &[f64],
        y_format: fn(f64) -> String,
    ) -> Frame {
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{t}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif" font-size="11">"#,
            t = escape(title)
        );
        let _ = write!(svg, r##"<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##);
        let _ = write!(
            svg,
            r#"<text x="{LEFT}" y="18" font-size="13" font-weight="600" fill="{INK}">{}</text>"#,
            escape(title)
        );
        let mut frame = Frame { svg, y_max };
        for &tick in y_ticks {
            let y = frame.y(tick);
            let _ = write!(
                frame.svg,
                r#"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{GRID}"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="{MUTED}">{}</text>"#,
                WIDTH - RIGHT,
                LEFT - 6.0,
                y + 4.0,
                y_format(tick)
            );
        }
        for i in 0..=5 {
            let v = i as f64 / 5.0;
            let x = frame.x(v);
            let _ = write!(
                frame.svg,
                r#"<line x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{:.1}" stroke="{GRID}"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="{MUTED}">{v:.1}</text>"#,
                HEIGHT - BOTTOM,
                HEIGHT - BOTTOM + 16.0
            );
        }
        let _ = write!(
            frame.svg,
            r#"<line x1="{LEFT}" x2="{:.1}" y1="{b:.1}" y2="{b:.1}" stroke="{INK}"/><line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{b:.1}" stroke="{INK}"/>"#,
            WIDTH - RIGHT,
            b = HEIGHT - BOTTOM
        );
        let _ = write!(
            frame.svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{INK}">{}</text><text transform="translate(14 {:.1}) rotate(-90)" text-anchor="middle" fill="{INK}">{}</text>"#,
            LEFT + (WIDTH - LEFT - RIGHT) / 2.0,
            HEIGHT - 10.0,
            escape(x_label),
            TOP + (HEIGHT - TOP - BOTTOM) / 2.0,
            escape(y_label)
        );
        frame
    }

    fn x(&self, v: f64) -> f64 {
        LEFT + v.clamp(0.0, 1.0) * (WIDTH - LEFT - RIGHT)
    }

    fn y(&self, v: f64) -> f64 {
        HEIGHT - BOTTOM - (v / self.y_max).clamp(0.0, 1.0) * (HEIGHT - TOP - BOTTOM)
    }

    fn finish(mut self) -> String {
        self.svg.push_str("</svg>");
        self.svg
    }
}

fn fraction(v: f64) -> String {
    format!("{v:.1}")
}

/// A "nice" axis maximum and ticks for counts up to `max`.
fn count_ticks(max: u64) -> (f64, Vec<f64>) {
    let max = max.max(1) as f64;
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw).max(1.0);
    let top = (max / step).ceil() * step;
    let ticks = (0..=((top / step) as usize)).map(|i| i as f64 * step).collect();
    (top, ticks)
}

/// Histogram of scores in 20 bins; with `truth` (the input's labels), bars are stacked by true label.
pub fn histogram(scores: &[f32], truth: Option<&[u8]>, threshold: Option<f32>) -> String {
    const BINS: usize = 20;
    let mut lure = [0u64; BINS];
    let mut legit = [0u64; BINS];
    for (i, &s) in scores.iter().enumerate() {
        let b = ((s.clamp(0.0, 1.0) * BINS as f32) as usize).min(BINS - 1);
        match truth.map(|t| t[i]) {
            Some(1) => lure[b] += 1,
            _ => legit[b] += 1,
        }
    }
    let max = (0..BINS).map(|b| lure[b] + legit[b]).max().unwrap_or(0);
    let (top, ticks) = count_ticks(max);
    let mut frame =
        Frame::new("Scores", "score (probability of a lure)", "records", top, &ticks, |v| format!("{v:.0}"));
    let bar = (WIDTH - LEFT - RIGHT) / BINS as f64;
    for b in 0..BINS {
        let x = frame.x(b as f64 / BINS as f64) + 1.0;
        let mut base = 0u64;
        let parts: [(u64, &str, &str); 2] = if truth.is_some() {
            [(legit[b], LEGIT, "legitimate"), (lure[b], LURE, "lure")]
        } else {
            [(legit[b], ACCENT, "records"), (0, ACCENT, "")]
        };
        for (n, colour, name) in parts {
            if n == 0 {
                continue;
            }
            let (y0, y1) = (frame.y(base as f64), frame.y((base + n) as f64));
            let _ = write!(
                frame.svg,
                r#"<rect x="{x:.1}" y="{y1:.1}" width="{:.1}" height="{:.1}" fill="{colour}" fill-opacity="0.85"><title>{:.2}–{:.2}: {n} {name}</title></rect>"#,
                bar - 2.0,
                (y0 - y1).max(0.5),
                b as f64 / BINS as f64,
                (b + 1) as f64 / BINS as f64
            );
            base += n;
        }
    }
    if let Some(t) = threshold {
        let x = frame.x(t as f64);
        let _ = write!(
            frame.svg,
            r#"<line x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{:.1}" stroke="{INK}" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}" fill="{INK}" text-anchor="end">threshold {t:.2}</text>"#,
            HEIGHT - BOTTOM,
            x - 4.0,
            TOP + 10.0
        );
    }
    if truth.is_some() {
        legend(&mut frame.svg, &[(LEGIT, "legitimate"), (LURE, "lure")]);
    }
    frame.finish()
}

fn legend(svg: &mut String, items: &[(&str, &str)]) {
    let mut x = WIDTH - RIGHT - 170.0;
    for (colour, name) in items {
        let _ = write!(
            svg,
            r#"<rect x="{x:.1}" y="9" width="10" height="10" fill="{colour}"/><text x="{:.1}" y="18" fill="{INK}">{}</text>"#,
            x + 14.0,
            escape(name)
        );
        x += 85.0;
    }
}

/// Points (recall, precision) of the PR curve, one per distinct score from the highest down.
pub fn pr_points(scores: &[f32], labels: &[u8]) -> Vec<(f64, f64)> {
    let positives = labels.iter().filter(|&&y| y == 1).count();
    if positives == 0 {
        return Vec::new();
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let mut points = Vec::new();
    let (mut tp, mut fp) = (0usize, 0usize);
    for (k, &i) in order.iter().enumerate() {
        if labels[i] == 1 {
            tp += 1;
        } else {
            fp += 1;
        }
        let last_of_tie = order.get(k + 1).is_none_or(|&j| scores[j] != scores[i]);
        if last_of_tie {
            points.push((tp as f64 / positives as f64, tp as f64 / (tp + fp) as f64));
        }
    }
    points
}

/// The model's operating point, marked on a precision–recall curve: which records it labelled lure (one per score,
/// by the threshold each was judged at: a message's own when the model has one), and how the mark is named.
pub struct Operating<'a> {
    pub flagged: &'a [bool],
    /// "threshold 0.46", "threshold 0.46, messages 0.35".
    pub name: String,
}

/// The precision–recall curve as a step line, with the average precision in the title and the model's operating
/// point marked.
pub fn pr_curve(scores: &[f32], labels: &[u8], operating: Option<Operating>) -> String {
    let points = pr_points(scores, labels);
    let ap: f64 = {
        let mut previous = 0.0;
        points
            .iter()
            .map(|&(r, p)| {
                let area = (r - previous) * p;
                previous = r;
                area
            })
            .sum()
    };
    let title = if points.is_empty() {
        "Precision–recall (no lures in the input)".to_string()
    } else {
        format!("Precision–recall (average precision {ap:.3})")
    };
    let ticks = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
    let mut frame = Frame::new(&title, "recall", "precision", 1.0, &ticks, fraction);
    if !points.is_empty() {
        let mut path = format!("M{:.1},{:.1}", frame.x(0.0), frame.y(points[0].1));
        // At most ~600 vertices: keep a point when it moves at least half a pixel.
        let (mut last_x, mut last_y) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for &(r, p) in &points {
            let (x, y) = (frame.x(r), frame.y(p));
            if (x - last_x).abs() >= 0.5 || (y - last_y).abs() >= 0.5 {
                let _ = write!(path, " H{x:.1} V{y:.1}");
                (last_x, last_y) = (x, y);
            }
        }
        let _ = write!(frame.svg, r#"<path d="{path}" fill="none" stroke="{ACCENT}" stroke-width="2"/>"#);
        let base = labels.iter().filter(|&&y| y == 1).count() as f64 / labels.len() as f64;
        let y = frame.y(base);
        let _ = write!(
            frame.svg,
            r#"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{MUTED}" stroke-dasharray="3 3"/><text x="{:.1}" y="{:.1}" fill="{MUTED}" text-anchor="end">share of lures {base:.2}</text>"#,
            WIDTH - RIGHT,
            WIDTH - RIGHT - 4.0,
            y - 4.0
        );
        if let Some(Operating { flagged, name }) = operating {
            let positives = labels.iter().filter(|&&y| y == 1).count() as f64;
            let (tp, flagged) = flagged
                .iter()
                .zip(labels)
                .filter(|(flagged, _)| **flagged)
                .fold((0.0, 0.0), |(tp, n), (_, &y)| (tp + y as f64, n + 1.0));
            if flagged > 0.0 {
                let (x, y) = (frame.x(tp / positives), frame.y(tp / flagged));
                let name = escape(&name);
                let _ = write!(
                    frame.svg,
                    r##"<circle cx="{x:.1}" cy="{y:.1}" r="5" fill="{LURE}" stroke="#fff" stroke-width="1.5"><title>{name}: precision {:.3}, recall {:.3}</title></circle><text x="{:.1}" y="{:.1}" fill="{INK}" text-anchor="end">{name}</text>"##,
                    tp / flagged,
                    tp / positives,
                    x - 8.0,
                    y + 16.0
                );
            }
        }
    }
    frame.finish()
}

/// Calibration: in 10 bins of score, the share of records that are lures against the mean score, each dot sized
/// by its records; the diagonal is perfect calibration. The title gives the expected calibration error.
pub fn calibration(scores: &[f32], labels: &[u8]) -> String {
    const BINS: usize = 10;
    let mut sum_score = [0f64; BINS];
    let mut sum_label = [0f64; BINS];
    let mut count = [0u64; BINS];
    for (&s, &y) in scores.iter().zip(labels) {
        let b = ((s.clamp(0.0, 1.0) * BINS as f32) as usize).min(BINS - 1);
        sum_score[b] += s as f64;
        sum_label[b] += y as f64;
        count[b] += 1;
    }
    let n = scores.len().max(1) as f64;
    let ece: f64 = (0..BINS).filter(|&b| count[b] > 0).map(|b| (sum_label[b] - sum_score[b]).abs() / n).sum();
    let ticks = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
    let mut frame = Frame::new(
        &format!("Calibration (expected calibration error {ece:.3})"),
        "mean score in bin",
        "share of lures",
        1.0,
        &ticks,
        fraction,
    );
    let _ = write!(
        frame.svg,
        r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{MUTED}" stroke-dasharray="3 3"/>"#,
        frame.x(0.0),
        frame.y(0.0),
        frame.x(1.0),
        frame.y(1.0)
    );
    let largest = count.iter().copied().max().unwrap_or(1).max(1) as f64;
    let mut path = String::new();
    for b in (0..BINS).filter(|&b| count[b] > 0) {
        let (mean, share) = (sum_score[b] / count[b] as f64, sum_label[b] / count[b] as f64);
        let (x, y) = (frame.x(mean), frame.y(share));
        let _ = write!(path, "{}{x:.1},{y:.1}", if path.is_empty() { "M" } else { " L" });
        let r = 3.0 + 7.0 * (count[b] as f64 / largest).sqrt();
        let _ = write!(
            frame.svg,
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{ACCENT}" fill-opacity="0.35" stroke="{ACCENT}"><title>scores {:.1}–{:.1}: {} records, mean score {mean:.3}, share of lures {share:.3}</title></circle>"#,
            b as f64 / BINS as f64,
            (b + 1) as f64 / BINS as f64,
            count[b]
        );
    }
    let _ = write!(frame.svg, r#"<path d="{path}" fill="none" stroke="{ACCENT}" stroke-width="1.5"/>"#);
    frame.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pr_points_step_through_ties() {
        let points = pr_points(&[0.9, 0.8, 0.8, 0.1], &[1, 1, 0, 0]);
        assert_eq!(points, [(0.5, 1.0), (1.0, 2.0 / 3.0), (1.0, 0.5)]);
        assert!(pr_points(&[0.3], &[0]).is_empty());
    }

    #[test]
    fn charts_are_self_contained_svg() {
        let scores = [0.05, 0.2, 0.55, 0.7, 0.95, 0.99];
        let labels = [0, 0, 1, 0, 1, 1];
        for svg in [
            histogram(&scores, Some(&labels), Some(0.5)),
            pr_curve(
                &scores,
                &labels,
                Some(Operating { flagged: &scores.map(|s| s >= 0.5), name: "threshold 0.50".into() }),
            ),
            calibration(&scores, &labels),
        ] {
            assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
            // The only URL is the SVG namespace, which is a name, not a request.
            assert_eq!(svg.matches("http").count(), 1, "{svg}");
            assert!(!svg.contains("href") && !svg.contains("<script"));
        }
        assert!(pr_curve(&scores, &labels, None).contains("average precision 0.917"));
    }

    #[test]
    fn the_pr_curve_is_drawn_through_its_points() {
        let svg = pr_curve(&[0.9, 0.8, 0.3, 0.1], &[1, 0, 1, 0], None);
        let path = svg.split(r#"<path d=""#).nth(1).expect("a path").split('"').next().unwrap().to_string();
        // Three steps: recall 0.5 at precision 1, then 0.5, then recall 1 at 2/3 and 1/2.
        assert_eq!(path.matches('H').count(), 4, "{path}");
        assert_eq!(path.matches('V').count(), 4, "{path}");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("<b a=\"x\">&'"), "&lt;b a=&quot;x&quot;&gt;&amp;&#39;");
    }
}
