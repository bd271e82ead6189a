//! The SQL of the workspace's charts: signatures per day, pledges per month, page views per
//! day of the most read pages, and cookie choices per week. Days without a row count zero.

use super::{
    db::{on_db, Db},
    pledges,
};
use crate::domain::{
    chart::{Chart, ChartKind, Series, Unit},
    staff::PledgeFilter,
    PublishedDate,
};
use std::collections::HashMap;

/// How far back the daily charts reach.
pub const DAYS: usize = 30;
/// How far back the pledges' chart reaches.
pub const MONTHS: usize = 12;
/// How many pages the views' chart follows.
pub const TOP_PAGES: usize = 5;
/// How far back the cookie choices' chart reaches.
pub const WEEKS: usize = 12;

/// Signatures of `campaign` made on each of the last [`DAYS`] days, confirmed and pending.
pub async fn signatures_per_day(
    db: &Db,
    campaign: &str,
    today: PublishedDate,
) -> Result<Chart, sqlx::Error> {
    let rows: Vec<(String, String, i64)> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT substr({}, 1, 10) AS day, status, count(*) FROM signups
         WHERE campaign = $1 AND created_at >= {}
         GROUP BY 1, 2",
        iso("created_at"),
        shifted(&format!("-{} days", DAYS + 1))
    ))
    .bind(campaign)
    .fetch_all(pool)
    .await?);
    let days = today.last_days(DAYS);
    let counts: HashMap<(String, String), i64> = rows
        .into_iter()
        .map(|(day, status, count)| ((day, status), count))
        .collect();
    let series = |name: &str, status: &str| Series {
        name: name.to_owned(),
        values: days
            .iter()
            .map(|day| {
                counts
                    .get(&(day.iso(), status.to_owned()))
                    .copied()
                    .unwrap_or(0)
            })
            .collect(),
    };
    let confirmed = series("Confirmed", "confirmed");
    let pending = series("Pending", "pending");
    let summary = format!(
        "Signatures made on each of the last {DAYS} days: {} confirmed and {} still pending.",
        confirmed.values.iter().sum::<i64>(),
        pending.values.iter().sum::<i64>()
    );
    Ok(Chart {
        id: "signatures-chart".to_owned(),
        title: format!("Signatures per day, the last {DAYS} days"),
        summary,
        kind: ChartKind::Stacked,
        category_name: "Day".to_owned(),
        categories: days.iter().map(PublishedDate::iso).collect(),
        series: vec![confirmed, pending],
        unit: Unit::Count,
    })
}

/// What was pledged and what was received, per month pledged, over the last [`MONTHS`]
/// months: one chart per currency pledged in them.
pub async fn pledges_per_month(db: &Db, today: PublishedDate) -> Result<Vec<Chart>, sqlx::Error> {
    let months = today.last_months(MONTHS);
    let totals = pledges::month_totals(db, &PledgeFilter::default()).await?;
    let mut currencies: Vec<String> = totals
        .iter()
        .filter(|total| months.contains(&total.month))
        .map(|total| total.currency.clone())
        .collect();
    currencies.sort();
    currencies.dedup();
    Ok(currencies
        .into_iter()
        .map(|currency| {
            let of = |month: &String| {
                totals
                    .iter()
                    .find(|total| &total.month == month && total.currency == currency)
            };
            let promised: Vec<i64> = months
                .iter()
                .map(|month| of(month).map_or(0, |total| total.promised))
                .collect();
            let received: Vec<i64> = months
                .iter()
                .map(|month| of(month).map_or(0, |total| total.received))
                .collect();
            let chart = Chart {
                id: format!("pledges-chart-{}", currency.to_lowercase()),
                title: format!("Pledges per month in {currency}, the last {MONTHS} months"),
                summary: String::new(),
                kind: ChartKind::Grouped,
                category_name: "Month pledged".to_owned(),
                categories: months.clone(),
                series: vec![
                    Series {
                        name: "Pledged".to_owned(),
                        values: promised,
                    },
                    Series {
                        name: "Received".to_owned(),
                        values: received,
                    },
                ],
                unit: Unit::Money(currency.clone()),
            };
            let summary = format!(
                "Money pledged (cancelled pledges left out) and received, by the month it was \
                 pledged: {} pledged and {} received in {MONTHS} months.",
                chart.value_text(chart.series[0].values.iter().sum()),
                chart.value_text(chart.series[1].values.iter().sum())
            );
            Chart { summary, ..chart }
        })
        .collect())
}

/// Views of the [`TOP_PAGES`] most viewed pages on each of the last [`DAYS`] days (counted
/// only for visitors who allowed analytics).
pub async fn views_per_day(db: &Db, today: PublishedDate) -> Result<Chart, sqlx::Error> {
    let days = today.last_days(DAYS);
    let first = days.first().map(PublishedDate::iso).unwrap_or_default();
    let rows: Vec<(String, String, i64)> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT CAST(day AS TEXT), path, views FROM page_views WHERE day >= {}",
        date("$1")
    ))
    .bind(&first)
    .fetch_all(pool)
    .await?);
    let mut per_page: HashMap<&str, i64> = HashMap::new();
    for (_, path, views) in &rows {
        *per_page.entry(path).or_default() += views;
    }
    let mut top: Vec<(&str, i64)> = per_page.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    top.truncate(TOP_PAGES);
    let series = top
        .iter()
        .map(|(path, _)| Series {
            name: (*path).to_owned(),
            values: days
                .iter()
                .map(|day| {
                    let day = day.iso();
                    rows.iter()
                        .find(|(d, p, _)| *d == day && p == path)
                        .map_or(0, |(_, _, views)| *views)
                })
                .collect(),
        })
        .collect();
    let summary = match top.first() {
        Some((path, views)) => format!(
            "Page views per day of the {} most viewed pages over {DAYS} days; the most \
             viewed is {path}, with {views}.",
            top.len()
        ),
        None => format!("No page views counted in the last {DAYS} days."),
    };
    Ok(Chart {
        id: "views-chart".to_owned(),
        title: format!("Page views per day of the most viewed pages, the last {DAYS} days"),
        summary,
        kind: ChartKind::Lines,
        category_name: "Day".to_owned(),
        categories: days.iter().map(PublishedDate::iso).collect(),
        series,
        unit: Unit::Count,
    })
}

/// The share of cookie choices per week (by the Monday it starts), over the last [`WEEKS`]
/// weeks: everything accepted, some, or everything refused.
pub async fn consent_per_week(db: &Db) -> Result<Chart, sqlx::Error> {
    let rows: Vec<(String, i64, i64)> = on_db!(db, pool => sqlx::query_as(&format!(
        "SELECT {} AS week,
                CAST(CAST(analytics AS INTEGER) + CAST(external_media AS INTEGER) AS BIGINT),
                count(*)
         FROM consent_records WHERE recorded_at >= {}
         GROUP BY 1, 2 ORDER BY 1",
        week_start("recorded_at"),
        shifted(&format!("-{} days", WEEKS * 7))
    ))
    .fetch_all(pool)
    .await?);
    let mut weeks: Vec<String> = rows.iter().map(|(week, ..)| week.clone()).collect();
    weeks.dedup();
    let series = |name: &str, allowed: i64| Series {
        name: name.to_owned(),
        values: weeks
            .iter()
            .map(|week| {
                rows.iter()
                    .find(|(w, a, _)| w == week && *a == allowed)
                    .map_or(0, |(.., count)| *count)
            })
            .collect(),
    };
    let series = vec![
        series("Accepted all", 2),
        series("Chose some", 1),
        series("Refused all", 0),
    ];
    let choices: i64 = series.iter().flat_map(|s| s.values.iter()).sum();
    let accepted: i64 = series[0].values.iter().sum();
    let summary = if choices == 0 {
        format!("No cookie choices recorded in the last {WEEKS} weeks.")
    } else {
        format!(
            "The share of each cookie choice per week over {WEEKS} weeks: of {choices} \
             choices, {}% accepted everything.",
            (accepted * 100 + choices / 2) / choices
        )
    };
    Ok(Chart {
        id: "consent-chart".to_owned(),
        title: format!("Cookie choices per week, the last {WEEKS} weeks"),
        summary,
        kind: ChartKind::Shares,
        category_name: "Week of".to_owned(),
        categories: weeks,
        series,
        unit: Unit::Count,
    })
}
