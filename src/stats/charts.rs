//! Geometry of the statistics charts. The theme draws them as inline SVG
//! (`partials/chart-bars.html`) from these numbers; no script runs in the browser.
//!
//! Every chart is a list of horizontal bars, each with its label on a line above the bar
//! (agency names are long) and its value written after the bar end.

use serde::Serialize;

/// Width of the drawing, in SVG user units.
pub const WIDTH: f64 = 640.0;
/// The longest bar; the rest of the width holds the value written after it.
pub const BAR_MAX: f64 = 440.0;
const ROW: f64 = 44.0;
const BAR_HEIGHT: f64 = 16.0;

#[derive(Debug, Clone, Default, Serialize)]
pub struct BarChart {
    /// Used to build element ids (`chart-<key>-title`) and the UI string keys
    /// `stats_chart_<key>` and `stats_chart_<key>_desc`.
    pub key: &'static str,
    pub width: f64,
    pub height: f64,
    pub bar_height: f64,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub label: String,
    /// Link target of the label in the table, relative to the site root.
    pub path: String,
    pub value: f64,
    pub text: String,
    /// A second value drawn inside the bar (answered records inside all records).
    pub part_text: Option<String>,
    pub label_y: f64,
    pub bar_y: f64,
    pub bar_width: f64,
    pub part_width: Option<f64>,
    pub text_x: f64,
    pub text_y: f64,
}

/// One row of data before layout.
pub struct Row {
    pub label: String,
    pub path: String,
    pub value: f64,
    pub text: String,
    pub part: Option<(f64, String)>,
}

impl BarChart {
    /// Lays out rows in order; `max` is the value drawn at full length (at least the largest).
    pub fn layout(key: &'static str, rows: Vec<Row>, max: f64) -> BarChart {
        let largest = rows.iter().map(|r| r.value).fold(0.0, f64::max);
        let scale = if max.max(largest) > 0.0 {
            BAR_MAX / max.max(largest)
        } else {
            0.0
        };
        let bars: Vec<Bar> = rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| Bar::place(i, row, scale))
            .collect();
        BarChart {
            key,
            width: WIDTH,
            height: ROW * bars.len() as f64 + 4.0,
            bar_height: BAR_HEIGHT,
            bars,
        }
    }
}

impl Bar {
    fn place(i: usize, row: Row, scale: f64) -> Bar {
        let top = ROW * i as f64;
        let bar_width = round1(row.value * scale);
        let (part_width, part_text) = match row.part {
            Some((value, text)) => (Some(round1(value * scale)), Some(text)),
            None => (None, None),
        };
        Bar {
            label: row.label,
            path: row.path,
            value: row.value,
            text: row.text,
            part_text,
            label_y: top + 14.0,
            bar_y: top + 20.0,
            bar_width,
            part_width,
            text_x: bar_width + 6.0,
            text_y: top + 20.0 + BAR_HEIGHT - 3.0,
        }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(value: f64) -> Row {
        Row {
            label: "a".into(),
            path: "agencies/a/".into(),
            value,
            text: value.to_string(),
            part: None,
        }
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let chart = BarChart::layout("x", vec![row(10.0), row(5.0), row(0.0)], 0.0);
        assert_eq!(chart.bars[0].bar_width, BAR_MAX);
        assert_eq!(chart.bars[1].bar_width, BAR_MAX / 2.0);
        assert_eq!(chart.bars[2].bar_width, 0.0);
        assert_eq!(chart.height, 3.0 * ROW + 4.0);
        assert!(chart.bars[1].bar_y > chart.bars[0].bar_y);
    }

    #[test]
    fn shares_scale_to_a_fixed_maximum() {
        let chart = BarChart::layout("x", vec![row(0.5)], 1.0);
        assert_eq!(chart.bars[0].bar_width, BAR_MAX / 2.0);
        let empty = BarChart::layout("x", vec![row(0.0)], 0.0);
        assert_eq!(empty.bars[0].bar_width, 0.0);
    }
}
