//! Group commit: writes that arrive together are committed together.
//!
//! With `synchronous=FULL` every commit waits for the disk, and SQLite commits one writer at a
//! time, so a busy form tops out at one write per disk flush (PostgreSQL flushes its log at
//! each commit too). Here one task takes every write that is waiting, runs each in its own
//! savepoint inside one write transaction (`BEGIN IMMEDIATE` on SQLite),
//! commits once, and only then answers each of them: a write is never acknowledged before it
//! is durable, and one that fails is rolled back alone while the others commit. There is no
//! timer: a write that arrives while the disk is busy simply joins the next batch.
//!
//! Every statement is a round trip to the connection's thread, and the whole batch waits on
//! each: so one write's `RELEASE` and the next one's `SAVEPOINT` go together, and a failed write
//! is rolled back to a savepoint that stays open for the next.

use super::db::{on_db, Conn, Db};
use futures_util::FutureExt;
use sqlx::Connection;
use std::{
    future::Future,
    panic::AssertUnwindSafe,
    pin::Pin,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
};
use tokio::sync::{mpsc, oneshot};

/// A future that borrows the writer's connection.
pub type WriteFuture<'c, T> = Pin<Box<dyn Future<Output = Result<T, sqlx::Error>> + Send + 'c>>;

/// Writes waiting beyond this wait to be queued (back-pressure on the request tasks).
const QUEUE_LENGTH: usize = 1024;

/// What a write leaves to do once the batch's commit is known: answer its caller.
type Answer = Box<dyn FnOnce(Result<(), String>) + Send>;
/// A write to run: its answer, and whether the savepoint the next write needs is in place
/// (`false`: the batch's bookkeeping failed, and nothing of it may be committed).
type Job = Box<
    dyn for<'c> FnOnce(Conn<'c>) -> Pin<Box<dyn Future<Output = (Answer, bool)> + Send + 'c>>
        + Send,
>;

/// The queue in front of the writer task.
#[derive(Debug)]
pub struct WriteQueue {
    jobs: mpsc::Sender<Job>,
    /// Writes asked for and not yet answered.
    in_flight: AtomicUsize,
}

impl WriteQueue {
    /// Starts the writer task on `pool` (inside a Tokio runtime).
    pub fn start(pool: Db) -> Arc<Self> {
        let (jobs, waiting) = mpsc::channel(QUEUE_LENGTH);
        tokio::spawn(write_batches(pool, waiting));
        Arc::new(Self {
            jobs,
            in_flight: AtomicUsize::new(0),
        })
    }

    /// Whether writes are waiting for the writer: background work (the mail sender) gives way
    /// to the people whose answers wait on them.
    pub fn is_busy(&self) -> bool {
        self.in_flight.load(Ordering::Relaxed) > 0
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
        W: for<'c> FnOnce(Conn<'c>) -> WriteFuture<'c, T> + Send + 'static,
    {
        let _counted = InFlight::count(&self.in_flight);
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            Box::pin(async move {
                let (outcome, sound) = in_savepoint(conn, work).await;
                let answer = Box::new(move |committed: Result<(), String>| {
                    // The caller may have gone (a closed connection): nothing to tell.
                    let _ = reply.send(committed.map_err(sqlx::Error::Protocol).and(outcome));
                }) as Answer;
                (answer, sound)
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

/// One write asked for, counted down however it ends (the caller's future dropped included).
struct InFlight<'q>(&'q AtomicUsize);

impl<'q> InFlight<'q> {
    fn count(counter: &'q AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        Self(counter)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Runs `work` inside the savepoint `write`, already open, and leaves one open for the next
/// write: released and opened again after a success, rolled back to (which keeps it) after a
/// failure. The flag says whether that worked.
async fn in_savepoint<T, W>(mut conn: Conn<'_>, work: W) -> (Result<T, sqlx::Error>, bool)
where
    W: for<'c> FnOnce(Conn<'c>) -> WriteFuture<'c, T>,
{
    let outcome = match AssertUnwindSafe(work(conn.reborrow())).catch_unwind().await {
        Ok(outcome) => outcome,
        Err(_) => {
            tracing::error!("a write panicked; it is rolled back and the server goes on");
            Err(sqlx::Error::Protocol("a write panicked".to_owned()))
        }
    };
    let kept = match outcome {
        Ok(value) => {
            // Two statements in one round trip: raw (PostgreSQL prepares one at a time).
            return match conn.run("RELEASE write; SAVEPOINT write").await {
                Ok(_) => (Ok(value), true),
                Err(error) => (Err(error), false),
            };
        }
        Err(error) => error,
    };
    // Undo this write only.
    let sound = conn.run("ROLLBACK TO write").await.is_ok();
    (Err(kept), sound)
}

type Answers = (Vec<Answer>, Result<(), String>);

/// Runs `$batch` in one transaction on `$conn` (a connection of either database, so a macro
/// rather than a function generic over both): the answers to send once the commit is known
/// (`None`: the batch could not start; its callers hear "gone").
macro_rules! run_batch {
    ($conn:expr, $begin:expr, $batch:expr) => {
        async {
            let batch: &mut Vec<Job> = $batch;
            let started = async {
                let mut tx = $conn.begin_with($begin).await?;
                sqlx::Executor::execute(&mut *tx, "SAVEPOINT write").await?;
                Ok::<_, sqlx::Error>(tx)
            }
            .await;
            let mut tx = match started {
                Ok(tx) => tx,
                Err(error) => {
                    tracing::error!(%error, writes = batch.len(), "a batch of writes could not start");
                    return None;
                }
            };
            let mut answers = Vec::with_capacity(batch.len());
            let mut sound = true;
            for job in batch.drain(..) {
                // Once the savepoints are off, a job not run is dropped: its caller hears "gone".
                if sound {
                    let (answer, kept) = job(Conn::from(&mut *tx)).await;
                    answers.push(answer);
                    sound = kept;
                }
            }
            let committed = if sound {
                // COMMIT ends the savepoint left open too.
                tx.commit().await.map_err(|error| {
                    tracing::error!(%error, writes = answers.len(), "a batch of writes was not committed");
                    error.to_string()
                })
            } else {
                tracing::error!(
                    writes = answers.len(),
                    "a batch lost its savepoints: rolled back"
                );
                let _ = tx.rollback().await;
                Err("the batch was rolled back".to_owned())
            };
            Some::<Answers>((answers, committed))
        }
    };
}

async fn write_batches(db: Db, mut waiting: mpsc::Receiver<Job>) {
    on_db!(&db, pool => {
    // The most writes one commit carries (each database's `WRITES_PER_COMMIT`); more wait
    // for the next.
    let mut batch = Vec::with_capacity(WRITES_PER_COMMIT);
    // The connection of the last batch, while more writes wait: taking it from the pool again
    // would cost a round trip (the pool's liveness check) that every write of the batch waits
    // on. An idle writer holds nothing, so the pool can close.
    let mut held = None;
    while waiting.recv_many(&mut batch, WRITES_PER_COMMIT).await > 0 {
        let (writes, begun) = (batch.len(), std::time::Instant::now());
        let mut conn = match held.take() {
            Some(conn) => conn,
            None => match pool.acquire().await {
                Ok(conn) => conn,
                Err(error) => {
                    // Dropping the jobs drops their reply channels: each caller hears "gone".
                    tracing::error!(%error, writes, "a batch of writes could not start");
                    batch.clear();
                    continue;
                }
            },
        };
        let answers = run_batch!(conn, BEGIN_WRITE, &mut batch).await;
        batch.clear();
        let Some((answers, committed)) = answers else {
            continue;
        };
        tracing::debug!(writes, took = ?begun.elapsed(), "batch committed");
        // A connection that failed a batch goes back to the pool, to be checked before reuse.
        if committed.is_ok() && !waiting.is_empty() {
            held = Some(conn);
        }
        for answer in answers {
            answer(committed.clone());
        }
    }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::{on_conn, on_db, testing::on_both, Conn, Db};

    async fn count(db: &Db) -> i64 {
        on_db!(db, pool => sqlx::query_scalar("SELECT count(*) FROM tags")
            .fetch_one(pool)
            .await
            .expect("counts"))
    }

    fn add_tag(slug: String) -> impl for<'c> FnOnce(Conn<'c>) -> WriteFuture<'c, ()> {
        move |conn| {
            Box::pin(async move {
                on_conn!(conn, conn => sqlx::query("INSERT INTO tags (slug, name) VALUES ($1, 'Tag')")
                    .bind(slug)
                    .execute(conn)
                    .await
                    .map(|_| ()))
            })
        }
    }

    on_both! {
        async fn concurrent_writes_all_commit_and_a_failing_one_alone_is_undone(db: Db) {
            let queue = WriteQueue::start(db.clone());
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
            assert_eq!(count(&db).await, 180, "every other write is stored");
        }
    }

    on_both! {
        async fn an_answer_means_the_write_is_committed(db: Db) {
            let queue = WriteQueue::start(db.clone());
            queue
                .write(add_tag("one".to_owned()))
                .await
                .expect("stored");
            // Another connection sees it at once: the answer came after the commit.
            assert_eq!(count(&db).await, 1);
        }
    }

    on_both! {
        async fn a_panicking_write_is_undone_and_the_writer_goes_on(db: Db) {
            let queue = WriteQueue::start(db.clone());
            let panicked = queue
                .write(|mut conn: Conn<'_>| -> WriteFuture<'_, ()> {
                    Box::pin(async move {
                        conn.run("INSERT INTO tags (slug, name) VALUES ('half', 'Half')")
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
            let slugs: Vec<String> = on_db!(&db, pool => sqlx::query_scalar("SELECT slug FROM tags")
                .fetch_all(pool)
                .await
                .expect("reads"));
            assert_eq!(slugs, ["after"], "the panicking write left nothing");
        }
    }

    on_both! {
        async fn busy_while_a_write_waits_and_idle_once_answered(db: Db) {
            let queue = WriteQueue::start(db);
            assert!(!queue.is_busy());
            let (release, hold) = oneshot::channel::<()>();
            let held = {
                let queue = Arc::clone(&queue);
                tokio::spawn(async move {
                    queue
                        .write(move |_conn: Conn<'_>| -> WriteFuture<'_, ()> {
                            Box::pin(async move {
                                let _ = hold.await;
                                Ok(())
                            })
                        })
                        .await
                })
            };
            // Bounded: a queue that never says it is busy fails here instead of hanging.
            tokio::time::timeout(std::time::Duration::from_secs(5), async {
                while !queue.is_busy() {
                    tokio::task::yield_now().await;
                }
            })
            .await
            .expect("busy while the write is held");
            let _ = release.send(());
            held.await.expect("the task ran").expect("stored");
            assert!(!queue.is_busy(), "nothing left in flight");
        }
    }
}
