//! A workspace chart drawn on the server as SVG: no script, no library, the same bytes with
//! JavaScript off. Each picture names itself and says what it shows (`role="img"`), and the
//! numbers behind it are one click away in a table.

use crate::domain::chart::{scale, Chart, ChartKind};
use leptos::{either::Either, prelude::*};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 36.0;
/// The most category labels the bottom axis writes before they would touch.
const LABELS: usize = 8;

/// Where the value `value` of a scale topped at `top` sits, from the top of the picture.
fn y(value: f64, top: f64) -> f64 {
    let plot = HEIGHT - TOP - BOTTOM;
    TOP + plot - value / top * plot
}

/// A short label for a category: a day loses its year (`12-04`).
fn short(category: &str) -> String {
    if category.len() == 10 {
        category[5..].to_owned()
    } else {
        category.to_owned()
    }
}

fn px(value: f64) -> String {
    format!("{value:.1}")
}

/// A chart, its legend and its table.
#[component]
pub fn ChartFigure(chart: Chart) -> impl IntoView {
    let title_id = format!("{}-title", chart.id);
    let summary_id = format!("{}-summary", chart.id);
    if chart.is_empty() {
        let labelled = title_id.clone();
        return Either::Left(view! {
            <section class="chart" aria-labelledby=labelled>
                <h2 id=title_id>{chart.title.clone()}</h2>
                <p>{chart.summary.clone()}" Nothing to draw yet."</p>
            </section>
        });
    }
    let shares = chart.kind == ChartKind::Shares;
    let (top, step) = if shares {
        (100, 25)
    } else {
        scale(chart.largest())
    };
    let top_f = top as f64;
    let count = chart.categories.len().max(1);
    let band = (WIDTH - LEFT - RIGHT) / count as f64;
    let grid = (0..=top / step)
        .map(|n| {
            let value = n * step;
            let at = px(y(value as f64, top_f));
            let label = chart.value_text(value);
            view! {
                <line class="chart-grid" x1=px(LEFT) x2=px(WIDTH - RIGHT) y1=at.clone() y2=at.clone() />
                <text class="chart-axis" x=px(LEFT - 6.0) y=at dy="0.35em" text-anchor="end">{label}</text>
            }
        })
        .collect_view();
    let every = count.div_ceil(LABELS);
    let labels = chart
        .categories
        .iter()
        .enumerate()
        .filter(|(index, _)| index % every == 0)
        .map(|(index, category)| {
            let x = px(LEFT + band * (index as f64 + 0.5));
            view! {
                <text class="chart-axis" x=x y=px(HEIGHT - BOTTOM + 18.0) text-anchor="middle">{short(category)}</text>
            }
        })
        .collect_view();
    let marks = marks(&chart, top_f, band);
    let legend = chart
        .series
        .iter()
        .enumerate()
        .map(|(index, series)| {
            view! { <li><span class=format!("chart-key series-{index}") aria-hidden="true"></span>{series.name.clone()}</li> }
        })
        .collect_view();
    let table = view! { <ChartTable chart=chart.clone() /> };
    let (labelled, heading) = (title_id.clone(), title_id.clone());
    Either::Right(view! {
        <section class="chart" aria-labelledby=labelled>
            <h2 id=heading>{chart.title.clone()}</h2>
            <p id=summary_id.clone() class="chart-summary">{chart.summary.clone()}</p>
            <svg
                class="chart-picture"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-labelledby=format!("{title_id} {summary_id}")
            >
                {grid}
                {marks}
                <line class="chart-baseline" x1=px(LEFT) x2=px(WIDTH - RIGHT) y1=px(y(0.0, top_f)) y2=px(y(0.0, top_f)) />
                {labels}
            </svg>
            <ul class="chart-legend">{legend}</ul>
            {table}
        </section>
    })
}

/// The bars or lines of `chart`, on a scale topped at `top`.
fn marks(chart: &Chart, top: f64, band: f64) -> AnyView {
    let shares = chart.kind == ChartKind::Shares;
    match chart.kind {
        ChartKind::Lines => chart
            .series
            .iter()
            .enumerate()
            .map(|(index, series)| {
                let points = series
                    .values
                    .iter()
                    .enumerate()
                    .map(|(at, value)| {
                        format!(
                            "{},{}",
                            px(LEFT + band * (at as f64 + 0.5)),
                            px(y(*value as f64, top))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                view! { <polyline class=format!("chart-line series-{index}") points=points /> }
            })
            .collect_view()
            .into_any(),
        ChartKind::Grouped => {
            let width = band * 0.8 / chart.series.len().max(1) as f64;
            chart
                .series
                .iter()
                .enumerate()
                .flat_map(|(index, series)| {
                    series.values.iter().enumerate().map(move |(at, value)| {
                        let x = LEFT + band * (at as f64 + 0.1) + width * index as f64;
                        Bar {
                            series: index,
                            x,
                            width,
                            below: 0.0,
                            height: *value as f64,
                            text: format!("{}: {}", series.name, chart.value_text(*value)),
                            category: at,
                        }
                    })
                })
                .map(|bar| bar_view(chart, top, bar))
                .collect_view()
                .into_any()
        }
        ChartKind::Stacked | ChartKind::Shares => (0..chart.categories.len())
            .flat_map(|at| {
                let mut below = 0.0;
                chart
                    .series
                    .iter()
                    .enumerate()
                    .map(|(index, series)| {
                        let value = series.values.get(at).copied().unwrap_or(0);
                        let height = if shares {
                            chart.share(at, value) as f64
                        } else {
                            value as f64
                        };
                        let text = if shares {
                            format!("{}: {} ({} %)", series.name, value, chart.share(at, value))
                        } else {
                            format!("{}: {}", series.name, chart.value_text(value))
                        };
                        let bar = Bar {
                            series: index,
                            x: LEFT + band * (at as f64 + 0.15),
                            width: band * 0.7,
                            below,
                            height,
                            text,
                            category: at,
                        };
                        below += height;
                        bar
                    })
                    .collect::<Vec<_>>()
            })
            .map(|bar| bar_view(chart, top, bar))
            .collect_view()
            .into_any(),
    }
}

/// One bar of a series in a category: where it stands, and what its tooltip says.
struct Bar {
    series: usize,
    x: f64,
    width: f64,
    /// On the scale: the bars under it (stacked), and its own height.
    below: f64,
    height: f64,
    text: String,
    category: usize,
}

fn bar_view(chart: &Chart, top: f64, bar: Bar) -> impl IntoView {
    let upper = y(bar.below + bar.height, top);
    let lower = y(bar.below, top);
    let category = chart
        .categories
        .get(bar.category)
        .cloned()
        .unwrap_or_default();
    (bar.height > 0.0).then(|| {
        view! {
            <rect
                class=format!("series-{}", bar.series)
                x=px(bar.x)
                y=px(upper)
                width=px(bar.width)
                height=px(lower - upper)
            >
                <title>{format!("{category}, {}", bar.text)}</title>
            </rect>
        }
    })
}

/// The numbers behind a chart, behind a disclosure.
#[component]
fn ChartTable(chart: Chart) -> impl IntoView {
    let shares = chart.kind == ChartKind::Shares;
    let heads = chart
        .series
        .iter()
        .map(|series| view! { <th scope="col" class="number">{series.name.clone()}</th> })
        .collect_view();
    let rows = chart
        .categories
        .iter()
        .enumerate()
        .map(|(at, category)| {
            let cells = chart
                .series
                .iter()
                .map(|series| {
                    let value = series.values.get(at).copied().unwrap_or(0);
                    let text = if shares {
                        format!("{value} ({} %)", chart.share(at, value))
                    } else {
                        chart.value_text(value)
                    };
                    view! { <td class="number">{text}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{category.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <details class="chart-numbers">
            <summary>"The numbers"<span class="visually-hidden">{format!(" of {}", chart.title)}</span></summary>
            <div class="table-scroll" tabindex="0" role="region" aria-label=format!("The numbers of {}", chart.title)>
                <table class="staff-table">
                    <thead>
                        <tr><th scope="col">{chart.category_name.clone()}</th>{heads}</tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}
