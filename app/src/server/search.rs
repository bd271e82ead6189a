//! Full-text search over published posts with SQLite FTS5.
//!
//! What a visitor types never reaches FTS5's query language: it is cut into words, and each
//! word becomes a quoted string, so `"`, `*`, `NEAR`, `OR`, `-` or `:` are only ever text.

use super::content::Content;
use crate::domain::{Fragment, SearchHit, SearchResults, Slug, MAX_SEARCH_CHARS};
use sqlx::SqlitePool;

/// The most words that count; more only make every post match less.
const MAX_TERMS: usize = 12;
/// The most results shown.
const MAX_HITS: i64 = 20;
/// Marks around matches in what FTS5 returns: control characters, which the import refuses
/// in content, so they cannot be confused with it.
const MATCH_START: char = '\u{2}';
const MATCH_END: char = '\u{3}';

/// The words of `input` that are searched for, the FTS5 query made of them, and whether any
/// of `input` was left out. `None` when there is nothing to search for.
pub fn fts_query(input: &str) -> Option<(Vec<String>, String, bool)> {
    let mut shortened = input.chars().count() > MAX_SEARCH_CHARS;
    let mut kept: String = input.chars().take(MAX_SEARCH_CHARS).collect();
    // A word cut in two by the limit is left out rather than searched for as half a word.
    if input
        .chars()
        .nth(MAX_SEARCH_CHARS)
        .is_some_and(char::is_alphanumeric)
    {
        let whole = kept.trim_end_matches(char::is_alphanumeric).len();
        kept.truncate(whole);
    }
    let mut words: Vec<String> = Vec::new();
    for word in kept.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() || words.iter().any(|known| known == word) {
            continue;
        }
        if words.len() == MAX_TERMS {
            shortened = true;
            break;
        }
        words.push(word.to_owned());
    }
    if words.is_empty() {
        return None;
    }
    // Words hold only letters and digits, so quoting them needs no escaping; every word must
    // be present (FTS5's implicit AND).
    let query = words
        .iter()
        .map(|word| format!("\"{word}\""))
        .collect::<Vec<_>>()
        .join(" ");
    Some((words, query, shortened))
}

#[derive(sqlx::FromRow)]
struct HitRow {
    slug: String,
    title: String,
    excerpt: String,
}

/// The published posts matching `input`, best first, with matches marked.
///
/// # Errors
/// Any database error.
pub async fn search(
    pool: &SqlitePool,
    content: &Content,
    input: &str,
) -> Result<SearchResults, sqlx::Error> {
    let Some((words, query, shortened)) = fts_query(input.trim()) else {
        return Ok(SearchResults::default());
    };
    let rows = sqlx::query_as::<_, HitRow>(
        "SELECT p.slug,
                highlight(posts_fts, 0, char(2), char(3)) AS title,
                snippet(posts_fts, 2, char(2), char(3), '…', 32) AS excerpt
         FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid
         WHERE posts_fts MATCH ? AND p.status = 'published'
         -- A word in the title counts most, then in the summary, then in the body.
         ORDER BY bm25(posts_fts, 10.0, 4.0, 1.0), p.published_on DESC
         LIMIT ?",
    )
    .bind(&query)
    .bind(MAX_HITS)
    .fetch_all(pool)
    .await?;
    let hits = rows
        .into_iter()
        .filter_map(|row| {
            // A post published since the snapshot was read is left out until it is reloaded.
            let post = content.post(&Slug::parse(&row.slug)?)?;
            Some(SearchHit {
                post: post.summary(),
                title: fragments(&row.title),
                excerpt: fragments(&row.excerpt),
            })
        })
        .collect();
    Ok(SearchResults {
        query: words.join(" "),
        shortened,
        hits,
    })
}

/// Splits FTS5's marked text into runs of plain and matching text.
fn fragments(marked: &str) -> Vec<Fragment> {
    let mut fragments = Vec::new();
    let mut rest = marked;
    while !rest.is_empty() {
        let (plain, after) = rest.split_once(MATCH_START).unwrap_or((rest, ""));
        if !plain.is_empty() {
            fragments.push(Fragment {
                text: plain.to_owned(),
                matched: false,
            });
        }
        let (matched, after) = after.split_once(MATCH_END).unwrap_or((after, ""));
        if !matched.is_empty() {
            fragments.push(Fragment {
                text: matched.to_owned(),
                matched: true,
            });
        }
        rest = after;
    }
    fragments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_quoted_strings_and_syntax_stays_text() {
        let (words, query, shortened) =
            fts_query("migration AND \"cities\" OR NEAR(a b) -c title:x *").expect("words");
        assert_eq!(
            words,
            [
                "migration",
                "AND",
                "cities",
                "OR",
                "NEAR",
                "a",
                "b",
                "c",
                "title",
                "x"
            ]
        );
        assert!(
            query.starts_with("\"migration\" \"AND\" \"cities\""),
            "{query}"
        );
        assert!(!query.contains('*') && !query.contains(':') && !query.contains('('));
        assert!(!shortened);
    }

    #[test]
    fn nothing_to_search_for_is_no_query() {
        for input in ["", "   ", "\"\"", "*", "-:()^", "\u{2}\u{3}"] {
            assert!(fts_query(input).is_none(), "{input:?}");
        }
    }

    #[test]
    fn long_queries_are_shortened_and_say_so() {
        let (words, _, shortened) = fts_query(&"word ".repeat(2_000)).expect("words");
        assert_eq!(words, ["word"], "repeated words count once");
        assert!(shortened, "10,000 characters are more than the limit");
        let (words, _, _) = fts_query(&format!("{}shared", "a ".repeat(98))).expect("words");
        assert_eq!(words, ["a"], "a word cut by the limit is not half-searched");
        let many: String = (0..20).map(|i| format!("w{i} ")).collect();
        let (words, _, shortened) = fts_query(&many).expect("words");
        assert_eq!(words.len(), MAX_TERMS);
        assert!(shortened);
    }

    #[test]
    fn letters_of_every_script_are_words() {
        let (words, _, _) = fts_query("émigré Ølstykke 移民").expect("words");
        assert_eq!(words, ["émigré", "Ølstykke", "移民"]);
    }

    #[test]
    fn marked_text_splits_into_fragments() {
        let marked = fragments("The \u{2}Cities\u{3} of \u{2}Migration\u{3}");
        let shown: Vec<_> = marked
            .iter()
            .map(|f| (f.text.as_str(), f.matched))
            .collect();
        assert_eq!(
            shown,
            [
                ("The ", false),
                ("Cities", true),
                (" of ", false),
                ("Migration", true)
            ]
        );
        assert_eq!(fragments("plain")[0].text, "plain");
        assert!(fragments("").is_empty());
    }
}
