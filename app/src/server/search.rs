//! Full-text search over published posts: SQLite's FTS5, or PostgreSQL's weighted `tsvector`
//! (migration `postgres/0001`), which rank the title first, then the summary, then the body,
//! stem English words, and mark matches the same way.
//!
//! In Spanish, the translations are searched in Spanish (their own indexes: `sqlite/0019`,
//! `postgres/0010`), then the posts that have no translation in English, since the Spanish
//! site shows those as written. PostgreSQL stems Spanish itself; FTS5 has no Spanish stemmer,
//! so each word is looked for as a prefix: its Snowball stem ("migrantes" → `migrant*`).
//!
//! What a visitor types never reaches FTS5's query language: it is cut into words, and each
//! word becomes a quoted string, so `"`, `*`, `NEAR`, `OR`, `-` or `:` are only ever text.
//!
//! No post can make a search slow: excerpts are cut from the first 8,000 characters of a
//! body only (migration 0007 says why), and the database is stopped at [`TIME_LIMIT`], after
//! which the reader is asked for other words.

use super::{content::Content, db::Db};
use crate::domain::{language::Locale, Fragment, SearchHit, SearchResults, Slug, MAX_SEARCH_CHARS};
use sqlx::{pool::PoolConnection, PgPool, Sqlite, SqlitePool};
use std::{
    collections::HashMap,
    future::Future,
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

/// The most words that count; more only make every post match less.
const MAX_TERMS: usize = 12;
/// The most results shown.
const MAX_HITS: i64 = 20;
/// Marks around matches in what FTS5 returns: control characters, which the import refuses
/// in content, so they cannot be confused with it.
const MATCH_START: char = '\u{2}';
const MATCH_END: char = '\u{3}';
/// How long a search may keep SQLite busy. A search of the whole site takes a few
/// milliseconds; one that takes longer than this is hurting every other reader.
pub const TIME_LIMIT: Duration = Duration::from_millis(500);
/// SQLite steps between two looks at the clock: a few microseconds of work each.
const STEPS_BETWEEN_CHECKS: i32 = 1_000;
/// How many words of a post's opening stand in for an excerpt when its matches all lie past
/// the text excerpts are cut from; as many as an excerpt has.
const OPENING_WORDS: usize = 32;

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

/// The FTS5 query that matches a text holding any of `words` (which hold only letters and
/// digits, as [`fts_query`] makes them).
fn any_of(words: &[String]) -> String {
    words
        .iter()
        .map(|word| format!("\"{word}\""))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// Stems shorter than this are looked for as the whole word: as a prefix they would match
/// too much (`cas*` is "caso", "casi" and "castillo" as well as "casas").
const SHORTEST_PREFIX: usize = 4;

/// `words` as FTS5 terms for the Spanish index: each its Spanish stem as a prefix, so a
/// form of the word finds the others (the index folds accents; so does the stemmer).
fn spanish_terms(words: &[String]) -> Vec<String> {
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::Spanish);
    words
        .iter()
        .map(|word| {
            let lower = word.to_lowercase();
            let stem = stemmer.stem(&lower);
            if stem.chars().count() >= SHORTEST_PREFIX {
                format!("\"{stem}\"*")
            } else {
                format!("\"{lower}\"")
            }
        })
        .collect()
}

/// Where one language's posts are searched in SQLite: its hits (`$1` the query, `$2` the
/// limit) and its excerpts (`$1` any of the words, `$2` the hits' ids as JSON).
struct SqliteIndex {
    hits: &'static str,
    excerpts: &'static str,
}

/// The posts in English (their own words). Every post on the English site.
const ENGLISH: SqliteIndex = SqliteIndex {
    hits: "SELECT p.id, p.slug,
                highlight(posts_fts, 0, char(2), char(3)) AS title,
                substr(p.body_text, 1, 600) AS opening
         FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid
         WHERE posts_fts MATCH $1 AND p.status = 'published'
         -- A word in the title counts most, then in the summary, then in the body.
         ORDER BY bm25(posts_fts, 10.0, 4.0, 1.0), p.published_on DESC
         LIMIT $2",
    excerpts: "SELECT rowid AS id, snippet(posts_excerpt, 0, char(2), char(3), '…', 32) AS excerpt
         FROM posts_excerpt
         WHERE posts_excerpt MATCH $1 AND rowid IN (SELECT value FROM json_each($2))",
};

/// The posts without a Spanish translation, which the Spanish site shows in English.
const UNTRANSLATED: SqliteIndex = SqliteIndex {
    hits: "SELECT p.id, p.slug,
                highlight(posts_fts, 0, char(2), char(3)) AS title,
                substr(p.body_text, 1, 600) AS opening
         FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid
         WHERE posts_fts MATCH $1 AND p.status = 'published'
           AND NOT EXISTS (SELECT 1 FROM post_translations t
                           WHERE t.post_id = p.id AND t.lang = 'es')
         ORDER BY bm25(posts_fts, 10.0, 4.0, 1.0), p.published_on DESC
         LIMIT $2",
    excerpts: ENGLISH.excerpts,
};

/// The Spanish translations.
const SPANISH: SqliteIndex = SqliteIndex {
    hits: "SELECT p.id, p.slug,
                highlight(posts_fts_es, 0, char(2), char(3)) AS title,
                substr(t.body_text, 1, 600) AS opening
         FROM posts_fts_es
         JOIN posts p ON p.id = posts_fts_es.rowid
         JOIN post_translations t ON t.post_id = p.id AND t.lang = 'es'
         WHERE posts_fts_es MATCH $1 AND p.status = 'published'
         ORDER BY bm25(posts_fts_es, 10.0, 4.0, 1.0), p.published_on DESC
         LIMIT $2",
    excerpts:
        "SELECT rowid AS id, snippet(posts_excerpt_es, 0, char(2), char(3), '…', 32) AS excerpt
         FROM posts_excerpt_es
         WHERE posts_excerpt_es MATCH $1 AND rowid IN (SELECT value FROM json_each($2))",
};

/// Where one language's posts are searched in PostgreSQL: its text search configuration, the
/// rows it looks in (`p` the post, `t` its words in that language: title, body text and
/// their `search` vector), and any further condition on them.
struct PostgresIndex {
    config: &'static str,
    from: &'static str,
    filter: &'static str,
}

const PG_ENGLISH: PostgresIndex = PostgresIndex {
    config: "site_english",
    from: "posts p, LATERAL (SELECT p.title, p.body_text, p.search) t",
    filter: "",
};

const PG_UNTRANSLATED: PostgresIndex = PostgresIndex {
    config: "site_english",
    from: PG_ENGLISH.from,
    filter: "AND NOT EXISTS (SELECT 1 FROM post_translations x
                             WHERE x.post_id = p.id AND x.lang = 'es')",
};

const PG_SPANISH: PostgresIndex = PostgresIndex {
    config: "site_spanish",
    from: "posts p JOIN post_translations t ON t.post_id = p.id AND t.lang = 'es'",
    filter: "",
};

#[derive(sqlx::FromRow)]
struct HitRow {
    id: i64,
    slug: String,
    title: String,
    /// The start of the post's words, in case none of its matches is in the excerpt's text.
    opening: String,
}

#[derive(sqlx::FromRow)]
struct ExcerptRow {
    id: i64,
    excerpt: String,
}

/// Why a search gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("the database failed while searching: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the search task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// What a search ran into: an answer, or the time limit.
enum Timed<T> {
    Done(T),
    TooSlow,
}

/// The published posts matching `input` in `locale`, best first, with matches marked. A
/// search stopped at [`TIME_LIMIT`] answers no posts and says so (`timed_out`).
///
/// # Errors
/// Any database error.
pub async fn search(
    db: &Db,
    content: &Content,
    input: &str,
    locale: Locale,
) -> Result<SearchResults, SearchError> {
    let Some((words, query, shortened)) = fts_query(input.trim()) else {
        return Ok(SearchResults::default());
    };
    let found = match (db, locale) {
        (Db::Sqlite(pool), Locale::en_GB) => {
            let any = any_of(&words);
            with_time_limit(pool, TIME_LIMIT, move |mut conn| async move {
                let rows = find(&mut conn, &ENGLISH, &query, &any).await;
                (conn, rows)
            })
            .await?
        }
        (Db::Sqlite(pool), Locale::es) => {
            let any = any_of(&words);
            let terms = spanish_terms(&words);
            let (spanish, spanish_any) = (terms.join(" "), terms.join(" OR "));
            with_time_limit(pool, TIME_LIMIT, move |mut conn| async move {
                let rows = async {
                    let translated = find(&mut conn, &SPANISH, &spanish, &spanish_any).await?;
                    let untranslated = find(&mut conn, &UNTRANSLATED, &query, &any).await?;
                    Ok(joined(translated, untranslated))
                }
                .await;
                (conn, rows)
            })
            .await?
        }
        (Db::Postgres(pool), Locale::en_GB) => find_postgres(pool, &[&PG_ENGLISH], &words).await?,
        (Db::Postgres(pool), Locale::es) => {
            find_postgres(pool, &[&PG_SPANISH, &PG_UNTRANSLATED], &words).await?
        }
    };
    let (rows, mut excerpts) = match found {
        Timed::Done(found) => found,
        Timed::TooSlow => {
            tracing::warn!(limit = ?TIME_LIMIT, "a search was stopped at its time limit");
            return Ok(SearchResults {
                query: words.join(" "),
                shortened,
                timed_out: true,
                hits: Vec::new(),
            });
        }
    };
    let hits = rows
        .into_iter()
        .filter_map(|row| {
            // A post published since the snapshot was read is left out until it is reloaded.
            let post = content.post(&Slug::parse(&row.slug)?)?;
            let post = content.post_in(post, locale);
            let excerpt = match excerpts.remove(&row.id) {
                Some(marked) => fragments(&marked),
                None => vec![Fragment {
                    text: opening(&row.opening),
                    matched: false,
                }],
            };
            Some(SearchHit {
                post: post.summary(),
                title: fragments(&row.title),
                excerpt,
            })
        })
        .collect();
    Ok(SearchResults {
        query: words.join(" "),
        shortened,
        timed_out: false,
        hits,
    })
}

type Found = (Vec<HitRow>, HashMap<i64, String>);

/// The hits of one index, then those of the next, at most [`MAX_HITS`] in all.
fn joined(first: Found, then: Found) -> Found {
    let (mut rows, mut excerpts) = first;
    rows.extend(then.0);
    rows.truncate(usize::try_from(MAX_HITS).unwrap_or(usize::MAX));
    excerpts.extend(then.1);
    (rows, excerpts)
}

/// The best posts of `index` for `query` (every word), then the excerpts of those whose first
/// 8,000 characters hold `any` of the words, by post id.
async fn find(
    conn: &mut PoolConnection<Sqlite>,
    index: &SqliteIndex,
    query: &str,
    any: &str,
) -> Result<Found, sqlx::Error> {
    let rows = sqlx::query_as::<_, HitRow>(index.hits)
        .bind(query)
        .bind(MAX_HITS)
        .fetch_all(&mut **conn)
        .await?;
    if rows.is_empty() {
        return Ok((rows, HashMap::new()));
    }
    let ids = serde_json::to_string(&rows.iter().map(|row| row.id).collect::<Vec<_>>())
        .map_err(|error| sqlx::Error::Encode(Box::new(error)))?;
    let excerpts = sqlx::query_as::<_, ExcerptRow>(index.excerpts)
        .bind(any)
        .bind(&ids)
        .fetch_all(&mut **conn)
        .await?;
    Ok((
        rows,
        excerpts
            .into_iter()
            .map(|row| (row.id, row.excerpt))
            .collect(),
    ))
}

/// [`find`] on PostgreSQL, in each of `indexes` in turn: every word (stemmed as the index
/// is) must be present; excerpts mark any of them. PostgreSQL stops the statements at
/// [`TIME_LIMIT`].
async fn find_postgres(
    pool: &PgPool,
    indexes: &[&PostgresIndex],
    words: &[String],
) -> Result<Timed<Found>, SearchError> {
    // Words hold only letters and digits: plain text to `plainto_tsquery`, which ANDs them,
    // and its `&` turned into `|` for the excerpts' "any of".
    let all = words.join(" ");
    let found = async {
        let mut tx = pool.begin().await?;
        sqlx::query(&format!(
            "SET LOCAL statement_timeout = {}",
            TIME_LIMIT.as_millis()
        ))
        .execute(&mut *tx)
        .await?;
        let mut found: Found = (Vec::new(), HashMap::new());
        for index in indexes {
            let PostgresIndex {
                config,
                from,
                filter,
            } = index;
            let rows = sqlx::query_as::<_, HitRow>(&format!(
                "SELECT p.id, p.slug,
                        ts_headline('{config}', t.title, q,
                            'HighlightAll=true, StartSel=' || chr(2) || ', StopSel=' || chr(3))
                            AS title,
                        left(t.body_text, 600) AS opening
                 FROM {from}, plainto_tsquery('{config}', $1) q
                 WHERE t.search @@ q AND p.status = 'published' {filter}
                 -- Weights as FTS5's bm25 columns: title (A), summary (B), body (C).
                 ORDER BY ts_rank('{{0.01, 0.1, 0.4, 1.0}}', t.search, q) DESC,
                          p.published_on DESC
                 LIMIT $2"
            ))
            .bind(&all)
            .bind(MAX_HITS)
            .fetch_all(&mut *tx)
            .await?;
            let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
            let excerpts = if ids.is_empty() {
                Vec::new()
            } else {
                sqlx::query_as::<_, ExcerptRow>(&format!(
                    "SELECT p.id,
                            ts_headline('{config}', left(t.body_text, 8000), q,
                                'MaxWords=32, MinWords=16, '
                                || 'StartSel=' || chr(2) || ', StopSel=' || chr(3)) AS excerpt
                     FROM {from},
                          CAST(replace(CAST(plainto_tsquery('{config}', $1) AS text), '&', '|')
                               AS tsquery) q
                     WHERE p.id = ANY($2)
                       AND to_tsvector('{config}', left(t.body_text, 8000)) @@ q"
                ))
                .bind(&all)
                .bind(&ids)
                .fetch_all(&mut *tx)
                .await?
            };
            found = joined(
                found,
                (
                    rows,
                    excerpts
                        .into_iter()
                        .map(|row| (row.id, row.excerpt))
                        .collect(),
                ),
            );
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(found)
    };
    match found.await {
        Ok(found) => Ok(Timed::Done(found)),
        // 57014: query_canceled, what statement_timeout reports.
        Err(sqlx::Error::Database(error)) if error.code().as_deref() == Some("57014") => {
            Ok(Timed::TooSlow)
        }
        Err(error) => Err(SearchError::Database(error)),
    }
}

/// Runs `work` on a connection of `pool` that SQLite stops once `limit` has passed.
///
/// A tokio timeout alone would only stop waiting: SQLite would go on working, holding a
/// connection and a core. SQLite's progress handler is asked every few steps whether to go
/// on. A single step can still be long (one call of an FTS5 function), which is why
/// excerpts are cut from bounded text; the outer timeout covers those and the wait for a free
/// connection.
async fn with_time_limit<T, F, Fut>(
    pool: &SqlitePool,
    limit: Duration,
    work: F,
) -> Result<Timed<T>, SearchError>
where
    F: FnOnce(PoolConnection<Sqlite>) -> Fut + Send + 'static,
    Fut: Future<Output = (PoolConnection<Sqlite>, Result<T, sqlx::Error>)> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    // A task of its own: a reader who leaves drops the request, and with it anything it
    // awaits; the connection must still get its handler removed before it goes back.
    let task = tokio::spawn(async move {
        let mut conn = match tokio::time::timeout(limit, pool.acquire()).await {
            Ok(conn) => conn?,
            Err(_) => return Ok(Timed::TooSlow),
        };
        let deadline = Instant::now() + limit;
        let stopped = Arc::new(AtomicBool::new(false));
        let stopped_by_clock = Arc::clone(&stopped);
        conn.lock_handle()
            .await?
            .set_progress_handler(STEPS_BETWEEN_CHECKS, move || {
                let in_time = Instant::now() < deadline;
                if !in_time {
                    stopped_by_clock.store(true, Ordering::Relaxed);
                }
                in_time
            });
        let (mut conn, result) = work(conn).await;
        let removed = conn
            .lock_handle()
            .await
            .map(|mut handle| handle.remove_progress_handler())
            .is_ok();
        if !removed {
            // Its deadline has passed: back in the pool, it would stop every later query.
            conn.close_on_drop();
        }
        match result {
            Ok(value) => Ok(Timed::Done(value)),
            // What SQLite reports then ("interrupted") is the handler's doing, not a fault.
            Err(_) if stopped.load(Ordering::Relaxed) => Ok(Timed::TooSlow),
            Err(error) => Err(SearchError::Database(error)),
        }
    });
    match tokio::time::timeout(limit + limit / 2, task).await {
        Ok(joined) => joined?,
        Err(_) => Ok(Timed::TooSlow),
    }
}

/// The first [`OPENING_WORDS`] words of `text`, with an ellipsis if there are more.
fn opening(text: &str) -> String {
    let mut words = text.split_whitespace();
    let mut opening = words
        .by_ref()
        .take(OPENING_WORDS)
        .collect::<Vec<_>>()
        .join(" ");
    if words.next().is_some() {
        opening.push_str(" …");
    }
    opening
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
    use crate::server::db::MIGRATOR;
    use sqlx::SqlitePool;

    /// Counts to `n` in SQL: about ten SQLite steps a number.
    async fn count_to(conn: &mut PoolConnection<Sqlite>, n: i64) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $1)
             SELECT count(*) FROM c",
        )
        .bind(n)
        .fetch_one(&mut **conn)
        .await
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn sqlite_is_stopped_at_the_time_limit_and_the_connection_is_left_clean(
        pool: SqlitePool,
    ) {
        let started = Instant::now();
        let endless = with_time_limit(&pool, Duration::from_millis(100), |mut conn| async move {
            let counted = count_to(&mut conn, i64::MAX).await;
            (conn, counted)
        })
        .await
        .expect("no database error");
        assert!(
            matches!(endless, Timed::TooSlow),
            "an endless query is stopped"
        );
        let took = started.elapsed();
        assert!(took < Duration::from_secs(1), "stopped after {took:?}");

        // The stopped connection went back to the pool: no later query may find the expired
        // clock still set on it.
        for _ in 0..20 {
            let mut conn = pool.acquire().await.expect("a connection");
            assert_eq!(count_to(&mut conn, 100_000).await.expect("counts"), 100_000);
        }
        let quick = with_time_limit(&pool, TIME_LIMIT, |mut conn| async move {
            let counted = count_to(&mut conn, 1_000).await;
            (conn, counted)
        })
        .await
        .expect("no database error");
        assert!(matches!(quick, Timed::Done(1_000)), "a quick query answers");
    }

    #[test]
    fn an_opening_stands_in_for_an_excerpt_and_says_when_it_is_cut() {
        let words: String = (0..40).map(|n| format!("w{n}\n")).collect();
        let opening = opening(&words);
        assert!(opening.starts_with("w0 w1 "), "{opening}");
        assert!(opening.ends_with("w31 …"), "{opening}");
        assert_eq!(super::opening("Only a few words."), "Only a few words.");
    }

    #[test]
    fn excerpts_match_any_of_the_words() {
        let (words, _, _) = fts_query("cities migration").expect("words");
        assert_eq!(any_of(&words), "\"cities\" OR \"migration\"");
    }

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
    fn spanish_words_are_looked_for_by_their_stem_and_short_ones_whole() {
        let words: Vec<String> = ["Migrantes", "compartidas", "de", "paz"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            spanish_terms(&words),
            ["\"migrant\"*", "\"compart\"*", "\"de\"", "\"paz\""]
        );
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
