//! The workspace's charts as data: what is counted, per day, week or month. The server fills
//! them from the database; `components::chart` draws them as SVG with their table beside.

use super::money::display_minor;
use serde::{Deserialize, Serialize};

/// How a chart shows its series.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChartKind {
    /// Bars of each category on top of each other: parts of a whole count.
    Stacked,
    /// Bars of each category side by side: quantities to compare.
    Grouped,
    /// One line per series: many categories, several series.
    Lines,
    /// Bars stacked to 100 %: the share of each series per category.
    Shares,
}

/// What the values count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    Count,
    /// Minor units (cents) of the currency with this code.
    Money(String),
}

/// One thing counted, a value per category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<i64>,
}

/// A chart of the workspace's home.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    /// Also the `id` prefix of its elements: unique on the page.
    pub id: String,
    pub title: String,
    /// One sentence saying what it shows and what stands out: the picture's text alternative.
    pub summary: String,
    pub kind: ChartKind,
    /// What the first column of its table and the bottom of the picture name (days, weeks…).
    pub category_name: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub unit: Unit,
}

impl Chart {
    /// Nothing counted yet: the workspace says so instead of drawing empty axes.
    pub fn is_empty(&self) -> bool {
        self.series
            .iter()
            .all(|series| series.values.iter().all(|value| *value == 0))
    }

    /// What one category adds up to, over every series.
    pub fn total_at(&self, category: usize) -> i64 {
        self.series
            .iter()
            .filter_map(|series| series.values.get(category))
            .sum()
    }

    /// The largest value the picture's scale must reach.
    pub fn largest(&self) -> i64 {
        match self.kind {
            ChartKind::Stacked => (0..self.categories.len())
                .map(|category| self.total_at(category))
                .max()
                .unwrap_or(0),
            ChartKind::Grouped | ChartKind::Lines => self
                .series
                .iter()
                .flat_map(|series| series.values.iter().copied())
                .max()
                .unwrap_or(0),
            ChartKind::Shares => 100,
        }
    }

    /// `value` as the chart's table and axis write it.
    pub fn value_text(&self, value: i64) -> String {
        match (&self.unit, self.kind) {
            (_, ChartKind::Shares) => format!("{value} %"),
            (Unit::Count, _) => super::signup::group_thousands(value.unsigned_abs()),
            (Unit::Money(code), _) => display_minor(value, code),
        }
    }

    /// The share (whole percent) of `value` in `category`'s total.
    pub fn share(&self, category: usize, value: i64) -> i64 {
        match self.total_at(category) {
            0 => 0,
            total => (value * 100 + total / 2) / total,
        }
    }
}

/// The top of a scale that holds `largest`, and its step: 1, 2 or 5 times a power of ten,
/// in at most five steps.
pub fn scale(largest: i64) -> (i64, i64) {
    let largest = largest.max(1);
    let mut power = 1i64;
    loop {
        for factor in [1, 2, 5] {
            let step = factor * power;
            let steps = (largest + step - 1) / step;
            if steps <= 5 {
                return (steps * step, step);
            }
        }
        power = power.saturating_mul(10);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scale_is_round_and_just_holds_the_largest_value() {
        assert_eq!(scale(0), (1, 1));
        assert_eq!(scale(3), (3, 1));
        assert_eq!(scale(7), (8, 2));
        assert_eq!(scale(10), (10, 2));
        assert_eq!(scale(23), (25, 5));
        assert_eq!(scale(480), (500, 100));
        assert_eq!(scale(123_456), (150_000, 50_000));
    }

    #[test]
    fn shares_are_whole_percent_of_their_category() {
        let chart = Chart {
            id: "consent".into(),
            title: String::new(),
            summary: String::new(),
            kind: ChartKind::Shares,
            category_name: "Week".into(),
            categories: vec!["a".into(), "b".into()],
            series: vec![
                Series {
                    name: "yes".into(),
                    values: vec![1, 0],
                },
                Series {
                    name: "no".into(),
                    values: vec![2, 0],
                },
            ],
            unit: Unit::Count,
        };
        assert_eq!((chart.share(0, 1), chart.share(0, 2)), (33, 67));
        assert_eq!(chart.share(1, 0), 0, "an empty week divides nothing");
        assert_eq!(chart.largest(), 100);
        assert!(!chart.is_empty());
    }
}
