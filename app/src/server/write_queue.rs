//! Group commit: writes that arrive together are committed together.
//!
//! With `synchronous=FULL` every commit waits for the disk, and SQLite commits one writer at a
//! time, so a busy form tops out at one write per disk flush. Here one task takes every write
//! that is waiting, runs each in its own savepoint inside one `BEGIN IMMEDIATE` transaction,
//! commits once, and only then answers each of them: a write is never acknowledged before it
//! is durable, and one that fails is rolled back alone while the others commit. There is no
//! timer: a write that arrives while the disk is busy simply joins the next batch.

use futures_util::FutureExt;
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::{future::Future, panic::AssertUnwindSafe, pin::Pin, sync::Arc};
use tokio::sync::{mpsc, oneshot};

/// A future that borrows the writer's connection.
pub type WriteFuture<'c, T> = Pin<Box<dyn Future<Output = Result<T, sqlx::Error>> + Send + 'c>>;

/// The most writes one commit carries; more wait for the next.
const MAX_BATCH: usize = 128;
/// Writes waiting beyond this wait to be queued (back-pressure on the request tasks).
const QUEUE_LENGTH: usize = 1024;

/// What a write leaves to do once the batch's commit is known: answer its caller.
type Answer = Box<dyn FnOnce(Result<(), String>) + Send>;
type Job = Box<
    dyn for<'c> FnOnce(
            &'c mut SqliteConnection,
        ) -> Pin<Box<dyn Future<Output = Answer> + Send + 'c>>
        + Send,
>;

/// The queue in front of the writer task.
#[derive(Debug)]
pub struct WriteQueue {
    jobs: mpsc::Sender<Job>,
}

impl WriteQueue {
    /// Starts the writer task on `pool` (inside a Tokio runtime).
    pub fn start(pool: SqlitePool) -> Arc<Self> {
        let (jobs, waiting) = mpsc::channel(QUEUE_LENGTH);
        tokio::spawn(write_batches(pool, waiting));
        Arc::new(Self { jobs })
    }

    /// Runs `work` in the next batch and answers once that batch is committed.
    ///
    /// # Errors
    /// What `work` returned (its changes are rolled back, the batch's others are not), or the
    /// commit's failure (nothing of the batch is stored), or [`sqlx::Error::PoolClosed`] when
    /// the writer is gone.
    pub async fn write<T, W>(&self, work: W) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        W: for<'c> FnOnce(&'c mut SqliteConnection) -> WriteFuture<'c, T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            Box::pin(async move {
                let outcome = in_savepoint(conn, work).await;
                Box::new(move |committed: Result<(), String>| {
                    // The caller may have gone (a closed connection): nothing to tell.
                    let _ = reply.send(committed.map_err(sqlx::Error::Protocol).and(outcome));
                }) as Answer
            })
        });
        self.jobs
            .send(job)
            .await
            .map_err(|_| sqlx::Error::PoolClosed)?;
        // A dropped answer means the batch never started (no connection, no lock).
        answer.await.map_err(|_| sqlx::Error::PoolClosed)?
    }
}

async fn in_savepoint<T, W>(conn: &mut SqliteConnection, work: W) -> Result<T, sqlx::Error>
where
    W: for<'c> FnOnce(&'c mut SqliteConnection) -> WriteFuture<'c, T>,
{
    sqlx::query("SAVEPOINT write").execute(&mut *conn).await?;
    let outcome = match AssertUnwindSafe(work(&mut *conn)).catch_unwind().await {
        Ok(outcome) => outcome,
        Err(_) => {
            tracing::error!("a write panicked; it is rolled back and the server goes on");
            Err(sqlx::Error::Protocol("a write panicked".to_owned()))
        }
    };
    let kept = match outcome {
        Ok(value) => match sqlx::query("RELEASE write").execute(&mut *conn).await {
            Ok(_) => return Ok(value),
            Err(error) => error,
        },
        Err(error) => error,
    };
    // Undo this write only; if even that fails the batch's commit will fail too.
    let _ = sqlx::query("ROLLBACK TO write; RELEASE write")
        .execute(&mut *conn)
        .await;
    Err(kept)
}

async fn write_batches(pool: SqlitePool, mut waiting: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while waiting.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let answers = match run_batch(&pool, &mut batch).await {
            Ok(answers) => answers,
            Err(error) => {
                // Dropping the jobs drops their reply channels: each caller hears "gone".
                tracing::error!(%error, writes = batch.len(), "a batch of writes could not start");
                batch.clear();
                continue;
            }
        };
        batch.clear();
        let (answers, committed) = answers;
        for answer in answers {
            answer(committed.clone());
        }
    }
}

type Answers = (Vec<Answer>, Result<(), String>);

async fn run_batch(pool: &SqlitePool, batch: &mut Vec<Job>) -> Result<Answers, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let mut answers = Vec::with_capacity(batch.len());
    for job in batch.drain(..) {
        answers.push(job(&mut tx).await);
    }
    let committed = tx.commit().await.map_err(|error| {
        tracing::error!(%error, writes = answers.len(), "a batch of writes was not committed");
        error.to_string()
    });
    Ok((answers, committed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::MIGRATOR;

    async fn count(pool: &SqlitePool) -> i64 {
        sqlx::query_scalar("SELECT count(*) FROM tags")
            .fetch_one(pool)
            .await
            .expect("counts")
    }

    fn add_tag(
        slug: String,
    ) -> impl for<'c> FnOnce(&'c mut SqliteConnection) -> WriteFuture<'c, ()> {
        move |conn| {
            Box::pin(async move {
                sqlx::query("INSERT INTO tags (slug, name) VALUES (?, 'Tag')")
                    .bind(slug)
                    .execute(conn)
                    .await
                    .map(|_| ())
            })
        }
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn concurrent_writes_all_commit_and_a_failing_one_alone_is_undone(pool: SqlitePool) {
        let queue = WriteQueue::start(pool.clone());
        let mut writes = Vec::new();
        for n in 0..200 {
            let queue = Arc::clone(&queue);
            // Every tenth is a duplicate slug: refused by the UNIQUE constraint.
            let slug = if n % 10 == 9 {
                "tag-0".to_owned()
            } else {
                format!("tag-{n}")
            };
            writes.push(tokio::spawn(
                async move { queue.write(add_tag(slug)).await },
            ));
        }
        let mut refused = 0;
        for write in writes {
            if write.await.expect("the task ran").is_err() {
                refused += 1;
            }
        }
        assert_eq!(refused, 20, "the duplicates, and only they");
        assert_eq!(count(&pool).await, 180, "every other write is stored");
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn an_answer_means_the_write_is_committed(pool: SqlitePool) {
        let queue = WriteQueue::start(pool.clone());
        queue
            .write(add_tag("one".to_owned()))
            .await
            .expect("stored");
        // Another connection sees it at once: the answer came after the commit.
        assert_eq!(count(&pool).await, 1);
    }

    #[sqlx::test(migrator = "MIGRATOR")]
    async fn a_panicking_write_is_undone_and_the_writer_goes_on(pool: SqlitePool) {
        let queue = WriteQueue::start(pool.clone());
        let panicked = queue
            .write(|conn: &mut SqliteConnection| -> WriteFuture<'_, ()> {
                Box::pin(async move {
                    sqlx::query("INSERT INTO tags (slug, name) VALUES ('half', 'Half')")
                        .execute(conn)
                        .await?;
                    panic!("a bug in a write");
                })
            })
            .await;
        assert!(panicked.is_err());
        queue
            .write(add_tag("after".to_owned()))
            .await
            .expect("the writer still runs");
        let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM tags")
            .fetch_all(&pool)
            .await
            .expect("reads");
        assert_eq!(slugs, ["after"], "the panicking write left nothing");
    }
}
