//! The site's HTTP/1.1 connections, accepted and driven here rather than by `axum::serve`,
//! because a public server must bound what a connection can hold on to:
//!
//! - a request head not complete within the header timeout gets 408 and is closed (hyper's
//!   own header timeout closes without a word, and would also close idle keep-alives at the
//!   same short deadline);
//! - a connection with nothing to do is closed after the idle timeout;
//! - each client address and the process as a whole hold a bounded number of connections, set
//!   below the open-file limit, and when a bound is reached the oldest idle connection makes
//!   way (so a pile of idle sockets cannot starve a reader, nor make `accept` fail);
//! - on shutdown, idle and half-sent connections are closed at once, requests in flight get
//!   a grace period, and whatever is left after it is dropped: stopping always ends.
//!
//! A connection is *busy* from the moment hyper hands its request to the router until the
//! response's body has been written (or dropped); otherwise it is idle, and its deadline is
//! the idle timeout, or the header timeout once the first byte of a new head has arrived.

use axum::{
    body::{Body, Bytes},
    extract::ConnectInfo,
    http::Request,
    Router,
};
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::rt::TokioIo;
use std::{
    collections::HashMap,
    convert::Infallible,
    future::Future,
    io,
    net::{IpAddr, SocketAddr},
    pin::Pin,
    sync::{
        atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
        Arc, Mutex, MutexGuard,
    },
    task::{Context, Poll},
    time::Duration,
};
use tokio::{
    io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{watch, Notify},
    task::JoinSet,
    time::Instant,
};
use tower::ServiceExt;

/// What a connection may hold, and how long stopping may take.
#[derive(Clone, Debug)]
pub struct Limits {
    /// From the first byte of a request head to its end.
    pub header_timeout: Duration,
    /// How long a connection may sit with no request.
    pub idle_timeout: Duration,
    /// How long requests in flight may take to finish once the server is told to stop.
    pub shutdown_grace: Duration,
    /// Connections one client address may hold (reverse proxies excepted).
    pub per_client: usize,
    /// Connections the process may hold in all.
    pub total: usize,
    /// Addresses every connection of which is a proxy's, not one client's.
    pub trusted_proxies: Vec<IpAddr>,
}

/// What an open-file limit leaves for connections: the rest is kept for the database, the
/// files served, mail and logs.
pub fn connections_for_open_files(open_files: u64) -> usize {
    let reserve = (open_files / 4).clamp(64, 1024);
    usize::try_from(open_files.saturating_sub(reserve))
        .unwrap_or(usize::MAX)
        .max(1)
}

/// Raises this process's soft open-file limit to its hard limit (each connection is a file)
/// and says both; returns the soft limit now in force.
pub fn raise_open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        use rlimit::Resource;
        let (soft, hard) = match Resource::NOFILE.get() {
            Ok(limits) => limits,
            Err(error) => {
                tracing::warn!(%error, "cannot read the open-file limit");
                return None;
            }
        };
        if soft < hard {
            if let Err(error) = Resource::NOFILE.set(hard, hard) {
                tracing::warn!(%error, soft, hard, "cannot raise the open-file limit");
                return Some(soft);
            }
        }
        let now = Resource::NOFILE.get().map_or(soft, |(soft, _)| soft);
        tracing::info!(was = soft, now, hard, "open-file limit");
        Some(now)
    }
    #[cfg(not(unix))]
    None
}

/// Serves `router` on `listener` until `stop` completes, then shuts down as the module says.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    stop: impl Future<Output = ()>,
) {
    let registry = Arc::new(Registry::new(limits.clone()));
    let (stopping, stopped) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut http = http1::Builder::new();
    // Timeouts are this module's (see above); hyper's would need its timer and answer nothing.
    http.header_read_timeout(None);
    let http = Arc::new(http);
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            // Reap finished connections so the set does not grow with every one served.
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            // Room first: the fds of connections told to close are freed only when their
            // tasks run, and a burst of accepts must not overtake them.
            accepted = async {
                registry.room().await;
                listener.accept().await
            } => match accepted {
                Ok((stream, peer)) => {
                    let Some(state) = registry.admit(peer.ip()) else {
                        tracing::debug!(%peer, "connection refused: no room");
                        continue;
                    };
                    if let Err(error) = stream.set_nodelay(true) {
                        // Without it a response written in two parts waits on delayed ACKs.
                        tracing::debug!(%error, "cannot set TCP_NODELAY");
                    }
                    tasks.spawn(drive(
                        stream,
                        peer,
                        state,
                        registry.clone(),
                        router.clone(),
                        http.clone(),
                        stopped.clone(),
                    ));
                }
                Err(error) => accept_failed(&error, &registry).await,
            },
        }
    }
    drop(listener);
    let _ = stopping.send(true);
    let open = tasks.len();
    let finished = tokio::time::timeout(limits.shutdown_grace, async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if finished.is_err() {
        tracing::warn!(
            left = tasks.len(),
            grace = ?limits.shutdown_grace,
            "requests still running after the grace period: dropped"
        );
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
    }
    tracing::debug!(open, "connections closed");
}

/// An `accept` that failed for lack of resources (open files, memory) is not the listener's
/// end: the oldest idle connections are closed to make room, then accepting goes on.
async fn accept_failed(error: &io::Error, registry: &Registry) {
    use io::ErrorKind::{ConnectionAborted, ConnectionReset, Interrupted, WouldBlock};
    if matches!(
        error.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock
    ) {
        // One peer gave up before we took its connection: nothing wrong on our side.
        return;
    }
    let shed = registry.shed_idle_share();
    tracing::warn!(%error, shed, "cannot accept a connection: closed the oldest idle ones");
    let pause = if shed == 0 {
        Duration::from_millis(500)
    } else {
        Duration::from_millis(5)
    };
    tokio::time::sleep(pause).await;
}

/// Runs one connection until it ends, times out, is shed, or the server stops; its socket
/// is closed before the registry hears of it, so the room it frees is real.
async fn drive(
    stream: TcpStream,
    peer: SocketAddr,
    state: Arc<ConnState>,
    registry: Arc<Registry>,
    router: Router,
    http: Arc<http1::Builder>,
    stopped: watch::Receiver<bool>,
) {
    // Counted out however the task ends: done, panicked, or dropped at the end of the grace.
    let counted = Counted {
        registry: registry.clone(),
        state: state.clone(),
    };
    run(
        stream,
        peer,
        &state,
        &registry.limits,
        router,
        &http,
        stopped,
    )
    .await;
    drop(counted);
}

struct Counted {
    registry: Arc<Registry>,
    state: Arc<ConnState>,
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.registry.remove(&self.state);
    }
}

async fn run(
    stream: TcpStream,
    peer: SocketAddr,
    state: &Arc<ConnState>,
    limits: &Limits,
    router: Router,
    http: &http1::Builder,
    mut stopped: watch::Receiver<bool>,
) {
    let io = TokioIo::new(WatchedIo {
        stream,
        state: state.clone(),
    });
    let service = {
        let state = state.clone();
        hyper::service::service_fn(move |mut request: Request<Incoming>| {
            let busy = Busy::start(state.clone());
            request.extensions_mut().insert(ConnectInfo(peer));
            let router = router.clone();
            async move {
                let response = router.oneshot(request).await?;
                Ok::<_, Infallible>(response.map(|body| Body::new(BusyBody { body, _busy: busy })))
            }
        })
    };
    let mut connection = http.serve_connection(io, service);
    let mut stopping = *stopped.borrow();
    if stopping {
        return;
    }
    loop {
        let deadline = state.deadline(limits);
        tokio::select! {
            result = &mut connection => {
                if let Err(error) = result {
                    tracing::debug!(%error, "connection ended with an error");
                }
                break;
            }
            () = sleep_until(deadline) => match state.expired(limits) {
                Some(Expired::Head) => {
                    let stream = connection.into_parts().io.into_inner().stream;
                    request_timeout(stream).await;
                    return;
                }
                Some(Expired::Idle) => break,
                None => {}
            },
            () = state.wake.notified() => {
                if state.shed.load(Ordering::Acquire) {
                    if state.busy() {
                        // Closed once the answer in hand has been written.
                        Pin::new(&mut connection).graceful_shutdown();
                    } else {
                        break;
                    }
                }
            }
            _ = stopped.changed(), if !stopping => {
                stopping = true;
                if !state.busy() {
                    break;
                }
                Pin::new(&mut connection).graceful_shutdown();
            }
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        // Busy: the request's own timeout bounds it; a state change wakes the loop.
        None => std::future::pending().await,
    }
}

/// Tells a client that sent half a request head what happened, then closes.
async fn request_timeout(mut stream: TcpStream) {
    const ANSWER: &[u8] = b"HTTP/1.1 408 Request Timeout\r\nconnection: close\r\n\
        content-type: text/plain; charset=utf-8\r\ncontent-length: 40\r\n\r\n\
        The request took too long to arrive.\r\n\r\n";
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(ANSWER).await?;
        stream.shutdown().await
    })
    .await;
}

enum Expired {
    /// A request head began and did not end in time.
    Head,
    /// Nothing was asked for the whole idle timeout.
    Idle,
}

/// What the accept loop and the connection's task know of one connection.
struct ConnState {
    id: u64,
    client: IpAddr,
    /// Requests handed to the router whose answer is not yet written.
    in_flight: AtomicUsize,
    /// When the connection last became idle (ms since the registry's epoch).
    idle_since: AtomicU64,
    /// When the first byte of the pending request head arrived (ms + 1; 0 = none yet).
    head_started: AtomicU64,
    /// Told to make way for another connection.
    shed: AtomicBool,
    /// Something above changed that may bring the deadline closer, or `shed` was set.
    wake: Notify,
    epoch: Instant,
}

impl ConnState {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn at(&self, millis: u64) -> Instant {
        self.epoch + Duration::from_millis(millis)
    }

    fn busy(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) > 0
    }

    fn deadline(&self, limits: &Limits) -> Option<Instant> {
        if self.busy() {
            return None;
        }
        match self.head_started.load(Ordering::Acquire) {
            0 => Some(self.at(self.idle_since.load(Ordering::Acquire)) + limits.idle_timeout),
            started => Some(self.at(started - 1) + limits.header_timeout),
        }
    }

    fn expired(&self, limits: &Limits) -> Option<Expired> {
        let deadline = self.deadline(limits)?;
        if Instant::now() < deadline {
            return None;
        }
        if self.head_started.load(Ordering::Acquire) == 0 {
            Some(Expired::Idle)
        } else {
            Some(Expired::Head)
        }
    }

    fn bytes_arrived(&self) {
        if !self.busy() && self.head_started.load(Ordering::Acquire) == 0 {
            self.head_started.store(self.now() + 1, Ordering::Release);
            self.wake.notify_one();
        }
    }
}

/// Marks its connection busy while it lives: made when a request reaches the router, dropped
/// with the response's body.
struct Busy(Arc<ConnState>);

impl Busy {
    fn start(state: Arc<ConnState>) -> Self {
        state.in_flight.fetch_add(1, Ordering::AcqRel);
        state.head_started.store(0, Ordering::Release);
        Self(state)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let state = &self.0;
        state.idle_since.store(state.now(), Ordering::Release);
        state.in_flight.fetch_sub(1, Ordering::AcqRel);
        state.wake.notify_one();
    }
}

/// A response body that keeps its connection busy until it has been written.
struct BusyBody {
    body: Body,
    _busy: Busy,
}

impl http_body::Body for BusyBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// The socket, noting when the bytes of a new request head start to arrive.
struct WatchedIo {
    stream: TcpStream,
    state: Arc<ConnState>,
}

impl AsyncRead for WatchedIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.state.bytes_arrived();
        }
        polled
    }
}

impl AsyncWrite for WatchedIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// Every open connection, by client.
struct Registry {
    limits: Limits,
    epoch: Instant,
    open: Mutex<Open>,
    /// A connection's socket was closed.
    freed: Notify,
}

#[derive(Default)]
struct Open {
    next_id: u64,
    connections: HashMap<u64, Arc<ConnState>>,
    per_client: HashMap<IpAddr, usize>,
    /// Connections told to close whose sockets are still open.
    closing: usize,
}

impl Registry {
    fn new(limits: Limits) -> Self {
        Self {
            limits,
            epoch: Instant::now(),
            open: Mutex::new(Open::default()),
            freed: Notify::new(),
        }
    }

    /// Waits until one more socket fits under the total, telling the oldest idle connection
    /// to make way if need be; with none idle, until one ends.
    async fn room(&self) {
        loop {
            let freed = self.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            {
                let mut open = self.lock();
                if open.connections.len() + open.closing < self.limits.total {
                    return;
                }
                // A few victims at a time: each frees the one socket wanted, and one that
                // turned busy as it was told finishes its answer first.
                if open.closing < 4 {
                    if let Some(victim) = open.oldest_idle(|_| true) {
                        open.shed(&victim);
                    }
                }
            }
            freed.await;
        }
    }

    fn lock(&self) -> MutexGuard<'_, Open> {
        // The counts stay consistent between statements, so a panic elsewhere leaves them usable.
        self.open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts a new connection from `client` (the total was seen to by [`Registry::room`]),
    /// closing the client's oldest idle one at its bound; `None` when none can make way.
    fn admit(&self, client: IpAddr) -> Option<Arc<ConnState>> {
        let mut open = self.lock();
        let is_proxy = self.limits.trusted_proxies.contains(&client);
        let held = open.per_client.get(&client).copied().unwrap_or(0);
        if !is_proxy && held >= self.limits.per_client {
            let victim = open.oldest_idle(|state| state.client == client)?;
            open.shed(&victim);
        }
        open.next_id += 1;
        let state = Arc::new(ConnState {
            id: open.next_id,
            client,
            in_flight: AtomicUsize::new(0),
            idle_since: AtomicU64::new(0),
            head_started: AtomicU64::new(0),
            shed: AtomicBool::new(false),
            wake: Notify::new(),
            epoch: self.epoch,
        });
        state.idle_since.store(state.now(), Ordering::Release);
        open.connections.insert(state.id, state.clone());
        *open.per_client.entry(client).or_default() += 1;
        Some(state)
    }

    /// Closes the oldest sixteenth of the idle connections (at least one); how many it closed.
    fn shed_idle_share(&self) -> usize {
        let mut open = self.lock();
        let mut idle: Vec<Arc<ConnState>> = open
            .connections
            .values()
            .filter(|state| !state.busy())
            .cloned()
            .collect();
        idle.sort_by_key(|state| state.idle_since.load(Ordering::Acquire));
        let count = (open.connections.len() / 16).max(1).min(idle.len());
        for victim in &idle[..count] {
            open.shed(victim);
        }
        count
    }

    fn remove(&self, state: &ConnState) {
        let mut open = self.lock();
        if !open.forget(state) && state.shed.load(Ordering::Acquire) {
            open.closing = open.closing.saturating_sub(1);
        }
        drop(open);
        self.freed.notify_waiters();
    }
}

impl Open {
    fn oldest_idle(&self, which: impl Fn(&ConnState) -> bool) -> Option<Arc<ConnState>> {
        self.connections
            .values()
            .filter(|state| !state.busy() && which(state))
            .min_by_key(|state| state.idle_since.load(Ordering::Acquire))
            .cloned()
    }

    /// Tells `victim` to close: from now on it counts as closing, not as its client's.
    fn shed(&mut self, victim: &ConnState) {
        if self.forget(victim) {
            victim.shed.store(true, Ordering::Release);
            victim.wake.notify_one();
            self.closing += 1;
        }
    }

    /// Stops counting `state` as open; whether it was.
    fn forget(&mut self, state: &ConnState) -> bool {
        if self.connections.remove(&state.id).is_none() {
            return false;
        }
        if let Some(held) = self.per_client.get_mut(&state.client) {
            *held -= 1;
            if *held == 0 {
                self.per_client.remove(&state.client);
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_leave_files_for_the_rest() {
        assert_eq!(connections_for_open_files(1024), 768);
        assert_eq!(connections_for_open_files(256), 192);
        assert_eq!(connections_for_open_files(100), 36);
        assert_eq!(connections_for_open_files(1 << 20), (1 << 20) - 1024);
        assert_eq!(connections_for_open_files(10), 1);
    }
}
