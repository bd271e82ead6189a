//! Connections as a hostile or careless client holds them: half-sent heads, idle sockets,
//! more sockets than the server has files for, and a stop while they are open. The stop and
//! the open-file cases run the real binary as a child process (a signal, a lowered limit).

use crate::helpers::spawn_app_with;
use std::{
    io::{BufRead, BufReader},
    net::{IpAddr, Ipv4Addr, SocketAddr},
    process::{Child, Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
};

const HALF_HEAD: &[u8] = b"GET / HTTP/1.1\r\nHost: x\r\nX-a: ";

/// Reads until the server closes the connection (or `within` passes): what it sent, and
/// when it closed (`None`: still open).
async fn read_to_close(stream: &mut TcpStream, within: Duration) -> (String, Option<Duration>) {
    let start = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        let left = within.saturating_sub(start.elapsed());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                return (
                    String::from_utf8_lossy(&received).into_owned(),
                    Some(start.elapsed()),
                )
            }
            Ok(Ok(read)) => received.extend_from_slice(&buffer[..read]),
            Err(_) => return (String::from_utf8_lossy(&received).into_owned(), None),
        }
    }
}

/// A connection from `from` (any 127.x address reaches loopback), not yet sending anything.
async fn connect_from(from: Ipv4Addr, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind(SocketAddr::new(IpAddr::V4(from), 0))
        .expect("binds a loopback address");
    socket.connect(to).await.expect("connects")
}

/// Sends a whole GET and reads its whole answer, leaving the connection open (keep-alive).
async fn get_keep_alive(stream: &mut TcpStream, path: &str) -> String {
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .await
        .expect("sends");
    read_answer(stream).await
}

/// Reads one whole answer (by its `content-length`), leaving the connection open.
async fn read_answer(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buffer = [0; 65536];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer))
            .await
            .expect("answers in time")
            .expect("reads");
        assert!(read > 0, "closed before the answer was whole");
        received.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&received);
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .expect("a content-length");
            if received.len() >= end + 4 + length {
                return text.into_owned();
            }
        }
    }
}

#[tokio::test]
async fn a_half_sent_request_head_gets_408_and_is_closed() {
    let app = spawn_app_with(|config| config.header_timeout = 1).await;
    let mut stream = TcpStream::connect(app.addr).await.expect("connects");
    stream.write_all(HALF_HEAD).await.expect("sends");
    let (answer, closed) = read_to_close(&mut stream, Duration::from_secs(5)).await;
    let closed = closed.expect("closed within 5 s");
    assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
    assert!(
        closed >= Duration::from_millis(900) && closed < Duration::from_secs(3),
        "{closed:?}"
    );

    // A head trickled a byte at a time is no better off: its clock started with its first byte.
    let mut stream = TcpStream::connect(app.addr).await.expect("connects");
    let start = Instant::now();
    for byte in &HALF_HEAD[..5] {
        stream.write_all(&[*byte]).await.expect("sends");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (answer, _) = read_to_close(&mut stream, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408 "), "trickled: {answer:?}");
    // Reset by every byte, the clock would have run to 1.8 s at least.
    assert!(
        start.elapsed() < Duration::from_millis(1600),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn idle_connections_are_closed_after_the_idle_timeout_not_before() {
    let app = spawn_app_with(|config| {
        config.header_timeout = 1;
        config.idle_timeout = 3;
    })
    .await;

    // Never a byte: not a half-sent head (no 408), closed at the idle timeout.
    let mut silent = TcpStream::connect(app.addr).await.expect("connects");
    // Kept alive after one whole request and answer.
    let mut kept = TcpStream::connect(app.addr).await.expect("connects");
    let answer = get_keep_alive(&mut kept, "/robots.txt").await;
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");

    let (sent, closed) = read_to_close(&mut silent, Duration::from_secs(6)).await;
    let closed = closed.expect("the silent connection is closed");
    assert_eq!(sent, "", "nothing was asked, nothing is answered");
    assert!(
        closed >= Duration::from_millis(2500),
        "closed at {closed:?}, before the idle timeout"
    );
    let (sent, closed) = read_to_close(&mut kept, Duration::from_secs(3)).await;
    assert!(closed.is_some(), "the idle keep-alive is closed");
    assert_eq!(sent, "");
}

#[tokio::test]
async fn a_keep_alive_outlives_its_requests_header_timeouts_and_ends_at_the_idle_timeout() {
    let app = spawn_app_with(|config| {
        config.header_timeout = 1;
        config.idle_timeout = 3;
    })
    .await;
    let mut kept = TcpStream::connect(app.addr).await.expect("connects");
    // Three requests over longer than the idle timeout, each head sent in two parts so its
    // header clock runs: neither a head's clock nor the first idle one may close the
    // connection, only the idle clock of the last answer.
    for _ in 0..3 {
        kept.write_all(b"GET /robots.txt HTTP/1.1\r\n")
            .await
            .expect("sends");
        tokio::time::sleep(Duration::from_millis(200)).await;
        kept.write_all(b"Host: x\r\n\r\n").await.expect("sends");
        let answer = read_answer(&mut kept).await;
        assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
        tokio::time::sleep(Duration::from_millis(1200)).await;
    }
    let answered = Instant::now() - Duration::from_millis(1200);
    let (sent, closed) = read_to_close(&mut kept, Duration::from_secs(6)).await;
    assert_eq!(sent, "", "nothing was asked, nothing is answered");
    assert!(closed.is_some(), "the idle keep-alive is closed");
    let idle_for = answered.elapsed();
    assert!(
        idle_for >= Duration::from_millis(2500) && idle_for < Duration::from_millis(4500),
        "closed {idle_for:?} after its last answer, not at the idle timeout"
    );
}

#[tokio::test]
async fn a_client_at_its_cap_has_its_oldest_idle_connection_closed_not_its_new_one() {
    let app = spawn_app_with(|config| config.max_connections_per_client = 5).await;
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(TcpStream::connect(app.addr).await.expect("connects"));
        // Each becomes idle at its own moment, so "oldest" is well defined.
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let page = app.page("/robots.txt").await;
    assert_eq!(page.status, 200, "the new connection is served");
    let (_, closed) = read_to_close(&mut held[0], Duration::from_secs(2)).await;
    assert!(closed.is_some(), "the oldest idle connection made way");
    let (_, closed) = read_to_close(&mut held[4], Duration::from_millis(300)).await;
    assert!(closed.is_none(), "the newest idle one is still open");
}

#[tokio::test]
async fn past_the_total_the_oldest_idle_connection_makes_way_for_a_reader() {
    let app = spawn_app_with(|config| config.max_connections = 10).await;
    let mut held = Vec::new();
    for n in 0..10 {
        held.push(connect_from(Ipv4Addr::new(127, 0, 0, 2 + n), app.addr).await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let start = Instant::now();
    let page = app.page("/robots.txt").await;
    assert_eq!(page.status, 200);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    let (_, closed) = read_to_close(&mut held[0], Duration::from_secs(2)).await;
    assert!(closed.is_some(), "the oldest idle connection made way");
}

/// A form post whose body is still on its way: a request in flight, keeping its connection
/// busy. `sent` of the 20 announced bytes of `form%5Bname%5D=Ann&x` are sent.
async fn post_in_flight(to: SocketAddr, sent: usize) -> TcpStream {
    let mut stream = TcpStream::connect(to).await.expect("connects");
    let head = "POST /api/sign-the-call HTTP/1.1\r\nHost: x\r\n\
                content-type: application/x-www-form-urlencoded\r\ncontent-length: 20\r\n\r\n";
    stream
        .write_all(format!("{head}{}", &FORM_BODY[..sent]).as_bytes())
        .await
        .expect("sends");
    stream
}

const FORM_BODY: &str = "form%5Bname%5D=Ann&x";

#[tokio::test]
async fn past_the_total_a_connection_that_turns_idle_makes_way_at_once() {
    let app = spawn_app_with(|config| config.max_connections = 2).await;
    let mut finishing = post_in_flight(app.addr, 15).await;
    let _stuck = post_in_flight(app.addr, 4).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Both connections busy: a reader waits for room.
    let client = app.client.clone();
    let url = app.url("/robots.txt");
    let reader = tokio::spawn(async move {
        client
            .get(url)
            .timeout(Duration::from_secs(20))
            .send()
            .await
            .map(|response| (response.status(), Instant::now()))
    });
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(!reader.is_finished(), "no room yet");

    // The first request ends and its connection stays open, idle: it is the one to make way.
    finishing
        .write_all(&FORM_BODY.as_bytes()[15..])
        .await
        .expect("sends the rest");
    let mut answer = [0; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), finishing.read(&mut answer))
        .await
        .expect("answered")
        .expect("reads");
    let answer = String::from_utf8_lossy(&answer[..read]).to_ascii_lowercase();
    assert!(
        answer.starts_with("http/1.1 ") && !answer.contains("connection: close"),
        "kept alive: {answer}"
    );
    let answered = Instant::now();
    let (status, served) = reader
        .await
        .expect("the reader's task")
        .expect("the reader is served");
    assert_eq!(status, 200);
    // Not when the stuck body times out (10 s) nor the idle one's timeout (60 s).
    let waited = served.duration_since(answered);
    assert!(waited < Duration::from_secs(2), "served {waited:?} later");
}

#[tokio::test]
async fn a_client_that_stops_reading_its_answer_is_closed_after_the_send_timeout() {
    let app = spawn_app_with(|config| config.send_timeout = 1).await;
    // Far more than the kernel buffers between the two ends of a loopback connection; bytes
    // that do not compress, in case anything tries.
    const SIZE: usize = 16 << 20;
    let site = app.db_path.with_file_name("site");
    std::fs::create_dir_all(&site).expect("a site folder");
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let bytes: Vec<u8> = (0..SIZE)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    std::fs::write(site.join("big.bin"), &bytes).expect("written");

    let socket = TcpSocket::new_v4().expect("a socket");
    socket.set_recv_buffer_size(4096).expect("a small buffer");
    let mut stream = socket.connect(app.addr).await.expect("connects");
    stream
        .write_all(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("sends");
    // Reads nothing for three times the send timeout ...
    tokio::time::sleep(Duration::from_secs(3)).await;
    // ... and finds the answer cut off: what the buffers held, then the end.
    let mut received = 0;
    let mut buffer = vec![0; 1 << 16];
    let start = Instant::now();
    let ended = loop {
        match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break true,
            Ok(Ok(read)) => received += read,
            Err(_) => break false,
        }
        if start.elapsed() > Duration::from_secs(20) {
            break false;
        }
    };
    assert!(ended, "still open after {received} bytes");
    assert!(received < SIZE, "the whole answer arrived: {received}");
    assert!(received > 0, "the answer had begun");

    // A reader that keeps reading gets all of it.
    let page = app
        .client
        .get(app.url("/big.bin"))
        .send()
        .await
        .expect("answers");
    assert_eq!(page.status(), 200);
    assert_eq!(page.bytes().await.expect("the body").len(), SIZE);
}

/// The release or debug binary, run as a child with its own database and these settings.
struct ChildServer {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<String>>,
    _dir: tempfile::TempDir,
}

impl ChildServer {
    fn start(env: &[(&str, &str)], wrap: Option<&[&str]>) -> Self {
        let dir = tempfile::tempdir().expect("a folder");
        let server = env!("CARGO_BIN_EXE_server");
        let mut command = match wrap {
            Some(wrapper) => {
                let mut command = Command::new(wrapper[0]);
                command.args(&wrapper[1..]).arg(server);
                command
            }
            None => Command::new(server),
        };
        command
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("site.db").display()),
            )
            .env("SITE_ADDR", "127.0.0.1:0")
            .env("MAIL_DIR", dir.path().join("mail"))
            .env("CONTENT_DIR", dir.path().join("content"))
            .env("LEPTOS_OUTPUT_NAME", "shared-societies")
            .env("LEPTOS_SITE_ROOT", dir.path().join("site"))
            .env("RUST_LOG", "info")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the server starts");
        let stdout = child.stdout.take().expect("its output");
        let log = Arc::new(Mutex::new(String::new()));
        let (addr_sender, addr_receiver) = std::sync::mpsc::channel();
        {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if let Some(at) = line.find("listening on http://") {
                        let addr = line[at + 20..]
                            .split(|c: char| c.is_whitespace() || c == '\u{1b}')
                            .next()
                            .and_then(|addr| addr.parse::<SocketAddr>().ok());
                        let _ = addr_sender.send(addr);
                    }
                    if let Ok(mut log) = log.lock() {
                        log.push_str(&line);
                        log.push('\n');
                    }
                }
            });
        }
        let addr = addr_receiver
            .recv_timeout(Duration::from_secs(30))
            .ok()
            .flatten()
            .expect("the server says where it listens");
        Self {
            child,
            addr,
            log,
            _dir: dir,
        }
    }

    fn log(&self) -> String {
        self.log.lock().map(|log| log.clone()).unwrap_or_default()
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Waits up to `within` for the process to end: how long it took.
    async fn exited_within(&mut self, within: Duration) -> Option<Duration> {
        let start = Instant::now();
        while start.elapsed() < within {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "the server stopped cleanly: {status}");
                return Some(start.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn sigterm_ends_the_process_at_once_despite_half_sent_heads_and_idle_connections() {
    let mut server = ChildServer::start(&[("SHUTDOWN_GRACE", "5")], None);
    let mut held = Vec::new();
    for n in 0..50 {
        let mut stream = TcpStream::connect(server.addr).await.expect("connects");
        if n % 2 == 0 {
            stream.write_all(HALF_HEAD).await.expect("sends");
        }
        held.push(stream);
    }
    let mut kept = TcpStream::connect(server.addr).await.expect("connects");
    assert!(get_keep_alive(&mut kept, "/robots.txt")
        .await
        .starts_with("HTTP/1.1 200 "));
    tokio::time::sleep(Duration::from_millis(200)).await;

    server.terminate();
    let took = server.exited_within(Duration::from_secs(15)).await;
    let took =
        took.unwrap_or_else(|| panic!("still running 15 s after SIGTERM:\n{}", server.log()));
    // Nothing was in flight, so nothing is waited for.
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert!(
        TcpStream::connect(server.addr).await.is_err(),
        "no longer listening"
    );
}

#[tokio::test]
async fn sigterm_lets_a_request_in_flight_finish_within_the_grace_period_and_no_longer() {
    let mut server = ChildServer::start(&[("SHUTDOWN_GRACE", "2")], None);
    // A form post whose body arrives slowly is a request in flight.
    let head = "POST /api/sign-the-call HTTP/1.1\r\nHost: x\r\ncontent-type: application/x-www-form-urlencoded\r\n\
                content-length: 20\r\n\r\n";
    let mut finishing = TcpStream::connect(server.addr).await.expect("connects");
    finishing
        .write_all(format!("{head}form%5Bname%5D=").as_bytes())
        .await
        .expect("sends");
    let mut stuck = TcpStream::connect(server.addr).await.expect("connects");
    stuck
        .write_all(format!("{head}form").as_bytes())
        .await
        .expect("sends");
    tokio::time::sleep(Duration::from_millis(300)).await;

    server.terminate();
    tokio::time::sleep(Duration::from_millis(500)).await;
    // 15 bytes were sent of the 20 announced: these are the last 5.
    finishing.write_all(b"Ann&x").await.expect("sends the rest");
    let (answer, closed) = read_to_close(&mut finishing, Duration::from_secs(3)).await;
    assert!(answer.starts_with("HTTP/1.1 "), "answered: {answer:?}");
    assert!(closed.is_some(), "closed after its answer");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );

    // The other never completes its body: it is dropped when the grace period ends.
    let took = server.exited_within(Duration::from_secs(6)).await;
    let took = took.unwrap_or_else(|| panic!("still running:\n{}", server.log()));
    assert!(
        took < Duration::from_secs(3),
        "took {took:?} after the answer"
    );
    assert!(
        server.log().contains("after the grace period"),
        "{}",
        server.log()
    );
}

#[tokio::test]
async fn with_few_open_files_a_pile_of_idle_sockets_cannot_starve_a_reader() {
    // A low soft limit under a higher hard one: the server raises the first to the second,
    // and keeps a quarter of it (128) for the rest, leaving 384 for connections.
    let server = ChildServer::start(&[], Some(&["prlimit", "--nofile=256:512", "--"]));
    assert!(
        server
            .log()
            .contains("open-file limit was=256 now=512 hard=512"),
        "{}",
        server.log()
    );
    // 400 idle sockets from 8 addresses: more than the limit leaves for connections, and more
    // than the soft limit the server was started with.
    let mut held = Vec::new();
    for n in 0..400 {
        let from = Ipv4Addr::new(127, 0, 1, 1 + (n % 8) as u8);
        held.push(connect_from(from, server.addr).await);
    }
    let client = reqwest::Client::new();
    for _ in 0..3 {
        let start = Instant::now();
        let response = client
            .get(format!("http://{}/robots.txt", server.addr))
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .expect("a reader is served");
        assert_eq!(response.status(), 200);
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }
    let mut closed = 0;
    for stream in &mut held {
        if read_to_close(stream, Duration::from_millis(5))
            .await
            .1
            .is_some()
        {
            closed += 1;
        }
    }
    assert!(
        closed >= 400 - 384,
        "only {closed} of the idle sockets were closed"
    );
    let log = server.log();
    assert!(!log.contains("Too many open files"), "{log}");
}
