//! The site's HTTP/1.1 connections, accepted and driven here rather than by `axum::serve`,
//! because a public server must bound what a connection can hold on to:
//!
//! - a request head not complete within the header timeout gets 408 and is closed (hyper's
//!   own header timeout closes without a word, and would also close idle keep-alives at the
//!   same short deadline);
//! - a connection with nothing to do is closed after the idle timeout, and one whose client
//!   stops reading its answer after the send timeout without progress;
//! - each client (an IPv4 address, an IPv6 /64) and the process as a whole hold a bounded
//!   number of connections, the total set below the open-file limit; when a bound is reached
//!   the oldest idle connection makes way (so a pile of idle sockets cannot starve a reader,
//!   nor make `accept` fail), and a client at its bound with none idle is refused;
//! - on shutdown, idle and half-sent connections are closed at once, requests in flight get
//!   a grace period, and whatever is left after it is dropped: stopping always ends.
//!
//! A connection is *busy* from the moment hyper hands its request to the router until the
//! response's body has been written (or dropped); otherwise it is idle, and its deadline is
//! the idle timeout, or the header timeout once the first byte of a new head has arrived.

use axum::{
    body::{Body, Bytes},
    extract::ConnectInfo,
    http::{header, HeaderValue, Request},
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
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{watch, Notify},
    task::JoinSet,
    time::Instant,
};
use tower::ServiceExt;

use crate::rate_limit::client_key;

/// What a connection may hold, and how long stopping may take.
#[derive(Clone, Debug)]
pub struct Limits {
    /// From the first byte of a request head to its end.
    pub header_timeout: Duration,
    /// How long a connection may sit with no request.
    pub idle_timeout: Duration,
    /// How long an answer may wait for its client to take a single byte more.
    pub send_timeout: Duration,
    /// How long requests in flight may take to finish once the server is told to stop.
    pub shutdown_grace: Duration,
    /// Connections one client may hold (reverse proxies excepted).
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
    {
        // Kept across the loop's turns: reaping a finished connection must not drop one that
        // was accepted and waits for room.
        let mut accepting = std::pin::pin!(accept_one(&listener, &registry, None));
        loop {
            tokio::select! {
                () = &mut stop => break,
                // Reap finished connections so the set does not grow with every one served.
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
                accepted = &mut accepting => {
                    // After an `accept` failed for want of resources, the next waits a moment.
                    let mut resume_at = None;
                    match accepted {
                        Ok((stream, peer, Some(state))) => {
                            if let Err(error) = stream.set_nodelay(true) {
                                // Without it an answer written in two parts waits on delayed
                                // ACKs.
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
                        Ok((_, peer, None)) => {
                            tracing::debug!(%peer, "connection refused: its client has no room");
                        }
                        Err(error) => resume_at = accept_failed(&error, &registry),
                    }
                    accepting.set(accept_one(&listener, &registry, resume_at));
                }
            }
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

/// Accepts the next connection and finds it room: `None` for one its client has none for.
/// Past the total it waits, accepted and unread, until a connection can make way.
async fn accept_one(
    listener: &TcpListener,
    registry: &Registry,
    resume_at: Option<Instant>,
) -> io::Result<(TcpStream, SocketAddr, Option<Arc<ConnState>>)> {
    if let Some(at) = resume_at {
        tokio::time::sleep_until(at).await;
    }
    registry.settled().await;
    let (stream, peer) = listener.accept().await?;
    let state = registry.admit(peer.ip()).await;
    Ok((stream, peer, state))
}

/// An `accept` that failed for lack of resources (open files, memory) is not the listener's
/// end: the oldest idle connections are closed to make room, and accepting goes on after the
/// pause this returns the end of.
fn accept_failed(error: &io::Error, registry: &Registry) -> Option<Instant> {
    use io::ErrorKind::{ConnectionAborted, ConnectionReset, Interrupted, WouldBlock};
    if matches!(
        error.kind(),
        ConnectionAborted | ConnectionReset | Interrupted | WouldBlock
    ) {
        // One peer gave up before we took its connection: nothing wrong on our side.
        return None;
    }
    let shed = registry.shed_idle_share();
    tracing::warn!(%error, shed, "cannot accept a connection: closed the oldest idle ones");
    // Without a pause a listener that keeps failing would spin; with none to close, the
    // answers in flight need a moment to finish and free their files.
    let pause = if shed == 0 {
        Duration::from_millis(500)
    } else {
        Duration::from_millis(5)
    };
    Some(Instant::now() + pause)
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
    run(stream, peer, &state, router, &http, stopped).await;
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
            let read_whole = Arc::new(AtomicBool::new(http_body::Body::is_end_stream(
                request.body(),
            )));
            let request = request.map(|body| {
                Body::new(WatchedBody {
                    body,
                    read_whole: read_whole.clone(),
                })
            });
            let router = router.clone();
            async move {
                let mut response = router.oneshot(request).await?;
                if !read_whole.load(Ordering::Acquire) {
                    // Answered before its body was read (413, 415, 403, 429…): the rest of
                    // the body is still coming, so the connection ends with this answer, and
                    // says so, or the client would send its next request down it.
                    response
                        .headers_mut()
                        .insert(header::CONNECTION, HeaderValue::from_static("close"));
                }
                Ok::<_, Infallible>(response.map(|body| Body::new(BusyBody { body, _busy: busy })))
            }
        })
    };
    let mut connection = http.serve_connection(io, service);
    let mut stopping = *stopped.borrow();
    if stopping {
        return;
    }
    // One timer for the connection's life. It is moved only when the deadline comes earlier:
    // a later one is found when the timer goes off early and the loop sets it again. Moved at
    // every change, it cost a timer-wheel update or two a request; a new timer each turn of
    // the loop cost an insert and a removal each.
    let timer = tokio::time::sleep_until(Instant::now());
    tokio::pin!(timer);
    let mut armed: Option<Instant> = None;
    loop {
        if let Some((at, _)) = state.deadline() {
            if armed.is_none_or(|armed| at < armed) {
                timer.as_mut().reset(at);
                armed = Some(at);
            }
        }
        state.note_armed(armed);
        tokio::select! {
            result = &mut connection => {
                match result {
                    Ok(()) => {
                        // hyper has flushed its answer and sent FIN; what is left to do is
                        // the lingering half of the close.
                        let stream = connection.into_parts().io.into_inner().stream;
                        linger(stream).await;
                        return;
                    }
                    Err(error) => tracing::debug!(%error, "connection ended with an error"),
                }
                break;
            }
            // Unarmed while an answer is sent and nothing else is due: the request's own
            // timeouts bound it, and a state change wakes the loop.
            () = &mut timer, if armed.is_some() => match state.expired() {
                Some(Expired::Head) => {
                    let stream = connection.into_parts().io.into_inner().stream;
                    request_timeout(stream).await;
                    return;
                }
                Some(Expired::Idle) => break,
                Some(Expired::Stalled) => {
                    tracing::debug!(%peer, "the client stopped reading its answer: closed");
                    break;
                }
                // Early (the deadline moved on, or there is none while an answer is sent):
                // set again from the deadline as it is now.
                None => armed = None,
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

/// Ends a connection hyper is done with (its answer sent, then FIN) the way nginx's
/// `lingering_close` does: what the client still sends is read and dropped for a moment
/// before the socket is closed. Closing with unread bytes makes the kernel send a reset,
/// which can destroy the answer before the client reads it: a browser posting a body too
/// large would see "connection reset" instead of the 413 page that says why.
async fn linger(mut stream: TcpStream) {
    const LINGER: Duration = Duration::from_secs(2);
    const MAX_DRAINED: usize = 1 << 20;
    let _ = tokio::time::timeout(LINGER, async {
        let mut drained = 0;
        let mut buffer = [0_u8; 8192];
        while drained < MAX_DRAINED {
            match stream.read(&mut buffer).await? {
                0 => break,
                n => drained += n,
            }
        }
        io::Result::Ok(())
    })
    .await;
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

#[derive(Clone, Copy)]
enum Expired {
    /// A request head began and did not end in time.
    Head,
    /// Nothing was asked for the whole idle timeout.
    Idle,
    /// An answer waited the whole send timeout for its client to read.
    Stalled,
}

/// The timeouts a connection's deadline is made of ([`Limits`]).
struct Clocks {
    header: Duration,
    idle: Duration,
    send: Duration,
}

/// What the accept loop and the connection's task know of one connection.
struct ConnState {
    id: u64,
    /// The client's key ([`client_key`]).
    client: IpAddr,
    /// Requests handed to the router whose answer is not yet written.
    in_flight: AtomicUsize,
    /// When the connection last became idle (ms since the registry's epoch).
    idle_since: AtomicU64,
    /// When the first byte of the pending request head arrived (ms + 1; 0 = none yet).
    head_started: AtomicU64,
    /// Since when the socket has refused more of an answer (ms + 1; 0 = it takes them).
    send_blocked: AtomicU64,
    /// Told to make way for another connection.
    shed: AtomicBool,
    /// The deadline moved before the one the connection's timer is set for, or `shed` was
    /// set.
    wake: Notify,
    /// The deadline the connection's timer is set for (ms, rounded up, + 1; 0 = none). A
    /// change that leaves the deadline after it needs no wake-up: the timer goes off early and
    /// the loop sets it again. Waking at each change cost the task a second poll a request.
    armed: AtomicU64,
    clocks: Clocks,
    /// The registry's: told when this connection turns idle, as it can then make way.
    turned_idle: Arc<Notify>,
    epoch: Instant,
}

impl ConnState {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn at(&self, millis: u64) -> Instant {
        self.epoch + Duration::from_millis(millis)
    }

    /// Oldest idle first; of two idle since the same millisecond, the older connection.
    fn idle_order(&self) -> (u64, u64) {
        (self.idle_since.load(Ordering::Acquire), self.id)
    }

    fn busy(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) > 0
    }

    /// When the connection is to be closed if nothing changes, and why.
    fn deadline(&self) -> Option<(Instant, Expired)> {
        let clocks = &self.clocks;
        if self.busy() {
            return match self.send_blocked.load(Ordering::Acquire) {
                0 => None,
                since => Some((self.at(since - 1) + clocks.send, Expired::Stalled)),
            };
        }
        match self.head_started.load(Ordering::Acquire) {
            0 => Some((
                self.at(self.idle_since.load(Ordering::Acquire)) + clocks.idle,
                Expired::Idle,
            )),
            started => Some((self.at(started - 1) + clocks.header, Expired::Head)),
        }
    }

    fn expired(&self) -> Option<Expired> {
        let (deadline, why) = self.deadline()?;
        (Instant::now() >= deadline).then_some(why)
    }

    fn note_armed(&self, armed: Option<Instant>) {
        let millis = armed.map_or(0, |at| {
            let micros = at.saturating_duration_since(self.epoch).as_micros();
            u64::try_from(micros.div_ceil(1000)).map_or(u64::MAX, |ms| ms.saturating_add(1))
        });
        self.armed.store(millis, Ordering::Release);
    }

    /// Wakes the connection's loop if the deadline now comes before its timer.
    fn deadline_moved(&self) {
        let Some((at, _)) = self.deadline() else {
            return;
        };
        let armed = self.armed.load(Ordering::Acquire);
        if armed == 0 || at < self.at(armed - 1) {
            self.wake.notify_one();
        }
    }

    /// Notes whether the socket took (some of) what was written, or took nothing.
    fn sent<T>(&self, polled: &Poll<io::Result<T>>) {
        match polled {
            Poll::Pending => {
                if self.send_blocked.load(Ordering::Acquire) == 0 {
                    self.send_blocked.store(self.now() + 1, Ordering::Release);
                    self.deadline_moved();
                }
            }
            Poll::Ready(_) => self.send_blocked.store(0, Ordering::Release),
        }
    }

    fn bytes_arrived(&self) {
        if !self.busy() && self.head_started.load(Ordering::Acquire) == 0 {
            self.head_started.store(self.now() + 1, Ordering::Release);
            self.deadline_moved();
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
        state.deadline_moved();
        state.turned_idle.notify_waiters();
    }
}

/// A request body, noting once it has been read to its end.
struct WatchedBody {
    body: Incoming,
    read_whole: Arc<AtomicBool>,
}

impl http_body::Body for WatchedBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, hyper::Error>>> {
        let polled = Pin::new(&mut self.body).poll_frame(cx);
        // Readers that know the length stop at the last frame without asking for the end.
        if matches!(polled, Poll::Ready(None)) || self.body.is_end_stream() {
            self.read_whole.store(true, Ordering::Release);
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
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

/// The socket, noting when the bytes of a new request head start to arrive, and when it stops
/// taking what is written to it.
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
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.state.sent(&polled);
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let polled = Pin::new(&mut self.stream).poll_flush(cx);
        self.state.sent(&polled);
        polled
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.state.sent(&polled);
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// How many connections told to make way may still hold their sockets before a new one past
/// the total waits (the reserve of open files leaves room for them).
const MAX_CLOSING: usize = 16;

/// What became of a new connection.
enum Admission {
    Admitted(Arc<ConnState>),
    /// Its client is at its bound with none of its connections idle.
    Refused,
    /// The total is reached and no connection can make way yet.
    Full,
}

/// Every open connection, by client.
struct Registry {
    limits: Limits,
    epoch: Instant,
    open: Mutex<Open>,
    /// A connection's socket was closed, or a connection turned idle and can make way.
    freed: Arc<Notify>,
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
            freed: Arc::new(Notify::new()),
        }
    }

    /// Waits while many connections told to make way still hold their sockets: their files
    /// are freed only when their tasks run, and a burst of accepts must not outrun that.
    async fn settled(&self) {
        loop {
            let freed = self.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            if self.lock().closing < MAX_CLOSING {
                return;
            }
            freed.await;
        }
    }

    /// Counts a new connection from `peer`, waiting while the total is reached and no
    /// connection can make way; `None` when its client is at its bound with none idle.
    async fn admit(&self, peer: IpAddr) -> Option<Arc<ConnState>> {
        loop {
            let freed = self.freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            match self.try_admit(peer) {
                Admission::Admitted(state) => return Some(state),
                Admission::Refused => return None,
                Admission::Full => freed.await,
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Open> {
        // The counts stay consistent between statements, so a panic elsewhere leaves them usable.
        self.open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts a new connection from `peer` if there is room, making it: at its client's
    /// bound the client's oldest idle connection is told to close, at the total the oldest
    /// idle one of all.
    fn try_admit(&self, peer: IpAddr) -> Admission {
        // A dual-stack socket shows IPv4 peers as `::ffff:a.b.c.d`.
        let peer = peer.to_canonical();
        let is_proxy = self.limits.trusted_proxies.contains(&peer);
        let client = client_key(peer);
        let mut open = self.lock();
        let held = open.per_client.get(&client).copied().unwrap_or(0);
        if !is_proxy && held >= self.limits.per_client {
            // Its own connection makes way, for its client and for the total alike.
            let Some(victim) = open.oldest_idle(|state| state.client == client) else {
                return Admission::Refused;
            };
            open.shed(&victim);
        } else if open.connections.len() + open.closing >= self.limits.total {
            if open.closing >= MAX_CLOSING {
                return Admission::Full;
            }
            let Some(victim) = open.oldest_idle(|_| true) else {
                return Admission::Full;
            };
            open.shed(&victim);
        }
        open.next_id += 1;
        let state = Arc::new(ConnState {
            id: open.next_id,
            client,
            in_flight: AtomicUsize::new(0),
            idle_since: AtomicU64::new(0),
            head_started: AtomicU64::new(0),
            send_blocked: AtomicU64::new(0),
            shed: AtomicBool::new(false),
            wake: Notify::new(),
            armed: AtomicU64::new(0),
            clocks: Clocks {
                header: self.limits.header_timeout,
                idle: self.limits.idle_timeout,
                send: self.limits.send_timeout,
            },
            turned_idle: self.freed.clone(),
            epoch: self.epoch,
        });
        state.idle_since.store(state.now(), Ordering::Release);
        open.connections.insert(state.id, state.clone());
        *open.per_client.entry(client).or_default() += 1;
        Admission::Admitted(state)
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
        idle.sort_by_key(|state| state.idle_order());
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
            .min_by_key(|state| state.idle_order())
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

    fn registry(per_client: usize, total: usize) -> Registry {
        Registry::new(Limits {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            send_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(10),
            per_client,
            total,
            trusted_proxies: vec!["2001:db8:ffff::1".parse().expect("an address")],
        })
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn admitted(registry: &Registry, peer: IpAddr) -> Option<Arc<ConnState>> {
        match registry.try_admit(peer) {
            Admission::Admitted(state) => Some(state),
            Admission::Refused | Admission::Full => None,
        }
    }

    #[test]
    fn the_addresses_of_one_ipv6_64_share_one_allowance() {
        let registry = registry(2, 100);
        let first = admitted(&registry, ip("2001:db8:1:2::1")).expect("admitted");
        let second = admitted(&registry, ip("2001:db8:1:2::2")).expect("admitted");
        // Another /64 and an IPv4 client are clients of their own.
        let elsewhere = admitted(&registry, ip("2001:db8:1:3::1")).expect("admitted");
        admitted(&registry, ip("192.0.2.1")).expect("admitted");
        assert!(!first.shed.load(Ordering::Acquire));

        // A third address of the first /64: its client's oldest idle connection makes way.
        let third = admitted(&registry, ip("2001:db8:1:2::ffff")).expect("admitted");
        assert!(
            first.shed.load(Ordering::Acquire),
            "the oldest of the /64 was shed"
        );
        assert!(!elsewhere.shed.load(Ordering::Acquire));

        // With none of its connections idle, the client's next one is refused.
        for state in [&second, &third] {
            state.in_flight.fetch_add(1, Ordering::AcqRel);
        }
        assert!(admitted(&registry, ip("2001:db8:1:2::7")).is_none());
        // A proxy speaks for many clients and is never held to one's bound.
        for _ in 0..5 {
            admitted(&registry, ip("2001:db8:ffff::1")).expect("a proxy is admitted");
        }
    }

    #[test]
    fn past_the_total_the_oldest_idle_connection_makes_way_and_busy_ones_never_do() {
        let registry = registry(100, 3);
        let all: Vec<_> = ["192.0.2.1", "192.0.2.2", "192.0.2.3"]
            .into_iter()
            .map(|peer| admitted(&registry, ip(peer)).expect("admitted"))
            .collect();
        for state in &all {
            state.in_flight.fetch_add(1, Ordering::AcqRel);
        }
        assert!(matches!(
            registry.try_admit(ip("192.0.2.9")),
            Admission::Full
        ));
        // The second turns idle: it, not a busy one, makes way.
        all[1].in_flight.fetch_sub(1, Ordering::AcqRel);
        assert!(admitted(&registry, ip("192.0.2.9")).is_some());
        assert!(all[1].shed.load(Ordering::Acquire));
        assert!(!all[0].shed.load(Ordering::Acquire) && !all[2].shed.load(Ordering::Acquire));
    }
}
