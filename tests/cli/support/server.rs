//! A scriptable HTTP/1.1 server on loopback, for the answers mockito cannot
//! give: silence, a slow drip, a body cut short, a reset, a pause, TLS.
//!
//! A test gives a script, called for each request, that says how to answer
//! it:
//!
//! ```text
//! let server = Server::http(|request| match request.index {
//!     0 => Reply::json(task_json("COMPLETE")).reset(200),
//!     _ => Reply::json(task_json("COMPLETE")),
//! });
//! Beam::new(&server.url()).args(["status", "abc"]).run().code(0);
//! assert_eq!(server.requests().len(), 2);
//! ```
//!
//! Every request is read the same way (request line, headers, a
//! `Content-Length` body) and recorded for the test to look at. Connections
//! are kept alive unless the reply, or the client, says otherwise.
//!
//! The server fails the test when it stops (when it is dropped, or at
//! [`Server::finish`]) if a script panicked or a request was malformed:
//! nothing that goes wrong on its threads goes unseen.

use std::any::Any;
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The most a request's head (request line and headers) may take.
const MAX_HEAD: usize = 64 * 1024;

/// The most a request's body may take.
const MAX_BODY: usize = 1024 * 1024;

/// How long a [`Reply::reset`] waits, after its last byte, before the reset:
/// time for the client to read what was sent.
const BEFORE_RESET: Duration = Duration::from_millis(100);

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    /// The path and query, as sent (`host:port` for `CONNECT`).
    pub target: String,
    /// The headers in the order sent, names as sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Its place among all the requests the server read, from 0.
    pub index: usize,
    /// Its place among the requests for the same target, from 0.
    pub target_index: usize,
    /// Its connection's place among all the connections, from 0.
    pub connection: usize,
}

impl Request {
    /// The value of header `name` (any case), if it was sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(sent, _)| sent.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The target without its query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
}

/// How the server answers one request: an HTTP answer, by default sent at
/// once on a connection kept alive, or one of the misbehaviours below.
#[derive(Clone, Debug)]
#[must_use]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    silent: bool,
    after: Duration,
    drip: Option<Duration>,
    /// A streamed body (Server-Sent Events): each part after its pause,
    /// with no `content-length`, then the connection held open (`true`)
    /// until the client leaves, or closed.
    stream: Option<(Vec<Part>, bool)>,
    ending: Ending,
}

/// A part of a streamed body, sent after its pause.
type Part = (Duration, Vec<u8>);

/// What becomes of the connection after an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    /// Kept for the next request.
    KeepAlive,
    /// `connection: close`, then closed cleanly.
    Close,
    /// `Content-Length` promises this many bytes more than are sent, then
    /// the connection is closed cleanly.
    CutShort(usize),
    /// All but this many last bytes of the answer are sent, then the
    /// connection is reset.
    Reset(usize),
}

impl Reply {
    /// An answer with this status, no body and no header but
    /// `content-length`.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            silent: false,
            after: Duration::ZERO,
            drip: None,
            stream: None,
            ending: Ending::KeepAlive,
        }
    }

    /// A 200 `text/event-stream` answer whose body is `parts`, each sent
    /// after its pause, without a `content-length`; then the connection is
    /// held open, silent, until the client leaves (`hold`) or closed.
    pub fn events(parts: Vec<(Duration, String)>, hold: bool) -> Reply {
        let parts = parts
            .into_iter()
            .map(|(pause, text)| (pause, text.into_bytes()))
            .collect();
        Reply {
            stream: Some((parts, hold)),
            ..Reply::status(200).header("content-type", "text/event-stream")
        }
    }

    /// A 200 answer with this body and `content-type: application/json`.
    pub fn json(body: impl Into<String>) -> Reply {
        Reply::status(200)
            .header("content-type", "application/json")
            .body(body.into())
    }

    /// No answer at all: the connection stays open, silent, until the
    /// client leaves or the server stops.
    pub fn silent() -> Reply {
        Reply {
            silent: true,
            ..Reply::status(200)
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// The body; `content-length` is set to its length.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Reply {
        self.body = body.into();
        self
    }

    /// Waits this long before the first byte of the answer.
    pub fn after(mut self, pause: Duration) -> Reply {
        self.after = pause;
        self
    }

    /// Sends the head at once, then the body one byte at a time, each
    /// after `gap`.
    pub fn drip(mut self, gap: Duration) -> Reply {
        self.drip = Some(gap);
        self
    }

    /// Says `connection: close`, and closes the connection after the
    /// answer.
    pub fn close(mut self) -> Reply {
        self.ending = Ending::Close;
        self
    }

    /// Promises, in `content-length`, `missing` bytes more than the body
    /// has, then closes the connection cleanly after the body.
    pub fn cut_short(mut self, missing: usize) -> Reply {
        self.ending = Ending::CutShort(missing);
        self
    }

    /// Sends all but the last `missing` bytes of the answer (head and
    /// body), waits a moment for the client to read them, then resets the
    /// connection (a TCP RST rather than a clean close).
    pub fn reset(mut self, missing: usize) -> Reply {
        self.ending = Ending::Reset(missing);
        self
    }

    /// The head and the body as sent.
    fn encode(&self, client_closes: bool) -> (Vec<u8>, Vec<u8>) {
        let promised = match self.ending {
            Ending::CutShort(missing) => self.body.len() + missing,
            _ => self.body.len(),
        };
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("content-length: {promised}\r\n"));
        if self.ending != Ending::KeepAlive || client_closes {
            head.push_str("connection: close\r\n");
        }
        head.push_str("\r\n");
        let (mut head, mut body) = (head.into_bytes(), self.body.clone());
        if let Ending::Reset(missing) = self.ending {
            let keep = (head.len() + body.len()).saturating_sub(missing);
            if keep < head.len() {
                head.truncate(keep);
                body.clear();
            } else {
                body.truncate(keep - head.len());
            }
        }
        (head, body)
    }
}

/// The reason phrase of the statuses tests use; empty for the others, as
/// HTTP allows.
fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

type Script = dyn Fn(&Request) -> Reply + Send + Sync;

/// A running server on 127.0.0.1; it stops when dropped.
pub struct Server {
    url: String,
    addr: SocketAddr,
    ca_pem: Option<String>,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

/// What the server's threads share.
struct Shared {
    state: Mutex<State>,
    /// Signalled when a request is recorded and when the server stops.
    changed: Condvar,
    script: Box<Script>,
    tls: Option<Arc<rustls::ServerConfig>>,
}

#[derive(Default)]
struct State {
    stopping: bool,
    connections: usize,
    requests: Vec<Request>,
    in_flight: usize,
    most_in_flight: usize,
    /// Script panics and malformed requests, for the test thread.
    failures: Vec<String>,
    /// A handle on each open connection, to shut it down when stopping.
    open: HashMap<usize, TcpStream>,
    threads: Vec<JoinHandle<()>>,
}

impl Server {
    /// A plain HTTP server at `http://127.0.0.1:PORT`.
    pub fn http(script: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        Server::start(Box::new(script), None)
    }

    /// An HTTPS server at `https://localhost:PORT`, whose certificate is
    /// signed by a CA made for it (see [`Server::ca_pem`]).
    pub fn https(script: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        Server::start(Box::new(script), Some(tls_config(&["localhost"])))
    }

    /// An HTTPS server whose certificate names `names` (host names or IP
    /// addresses), to be reached through a test proxy; its URL still
    /// names `localhost`.
    pub fn https_for(
        names: &[&str],
        script: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Server {
        Server::start(Box::new(script), Some(tls_config(names)))
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// A plain HTTP server on a port chosen beforehand (say, one that
    /// refused connections until now).
    pub fn http_at(
        port: u16,
        script: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Server {
        Server::start_at(port, Box::new(script), None)
    }

    fn start(script: Box<Script>, tls: Option<(Arc<rustls::ServerConfig>, String)>) -> Server {
        Server::start_at(0, script, tls)
    }

    fn start_at(
        port: u16,
        script: Box<Script>,
        tls: Option<(Arc<rustls::ServerConfig>, String)>,
    ) -> Server {
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("a free port on loopback");
        let addr = listener.local_addr().expect("the listener's address");
        let (tls, ca_pem) = tls.unzip();
        let url = match tls {
            Some(_) => format!("https://localhost:{}", addr.port()),
            None => format!("http://{addr}"),
        };
        let shared = Arc::new(Shared {
            state: Mutex::default(),
            changed: Condvar::new(),
            script,
            tls,
        });
        let accepting = Arc::clone(&shared);
        let acceptor = thread::Builder::new()
            .name(format!("test server {addr}"))
            .spawn(move || accept(&listener, &accepting))
            .expect("a thread for the test server");
        Server {
            url,
            addr,
            ca_pem,
            shared,
            acceptor: Some(acceptor),
        }
    }

    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The PEM certificate of the CA that signed an HTTPS server's
    /// certificate.
    pub fn ca_pem(&self) -> &str {
        self.ca_pem.as_deref().expect("an https server")
    }

    /// The requests read so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.lock().requests.clone()
    }

    /// How many requests so far were for `path` (any query).
    pub fn requests_to(&self, path: &str) -> usize {
        self.requests().iter().filter(|r| r.path() == path).count()
    }

    /// Waits until at least `count` requests were read (failing the test
    /// after `within`), and returns them.
    pub fn wait_for_requests(&self, count: usize, within: Duration) -> Vec<Request> {
        let deadline = Instant::now() + within;
        let mut state = self.shared.lock();
        while state.requests.len() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "{} requests after {within:?}, expected {count}",
                state.requests.len()
            );
            state = self.shared.wait(state, left);
        }
        state.requests.clone()
    }

    /// How many connections were accepted (an HTTPS one whether or not
    /// its handshake succeeded).
    pub fn connections(&self) -> usize {
        self.shared.lock().connections
    }

    /// The most requests that were in flight at once: read, and their
    /// answer not begun (a silent one stays in flight until its connection
    /// ends).
    pub fn most_in_flight(&self) -> usize {
        self.shared.lock().most_in_flight
    }

    /// Stops the server now, failing the test if a script panicked or a
    /// request was malformed (as dropping it does).
    pub fn finish(self) {}

    /// Stops accepting, ends every connection, waits for the threads, and
    /// returns what went wrong on them.
    fn stop(&mut self) -> Vec<String> {
        let Some(acceptor) = self.acceptor.take() else {
            return Vec::new();
        };
        {
            let mut state = self.shared.lock();
            state.stopping = true;
            for stream in state.open.values() {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
        self.shared.changed.notify_all();
        // Wakes the acceptor from accept(); it sees `stopping` and ends.
        let _ = TcpStream::connect(self.addr);
        let mut failures = Vec::new();
        if acceptor.join().is_err() {
            failures.push("the accepting thread panicked".to_string());
        }
        let threads = std::mem::take(&mut self.shared.lock().threads);
        for thread in threads {
            if let Err(panic) = thread.join() {
                failures.push(format!(
                    "a connection thread panicked: {}",
                    panic_message(&*panic)
                ));
            }
        }
        let mut state = self.shared.lock();
        state.failures.append(&mut failures);
        std::mem::take(&mut state.failures)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let failures = self.stop();
        if failures.is_empty() {
            return;
        }
        let report = format!("test server {}:\n{}", self.url, failures.join("\n"));
        if thread::panicking() {
            // Already failing: say it, without a panic that would abort.
            eprintln!("{report}");
        } else {
            panic!("{report}");
        }
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic is caught before it can poison the lock; should one
        // get through, what the state holds is still worth reporting.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'a>(&self, state: MutexGuard<'a, State>, at_most: Duration) -> MutexGuard<'a, State> {
        self.changed
            .wait_timeout(state, at_most)
            .unwrap_or_else(PoisonError::into_inner)
            .0
    }

    /// Sleeps for `pause`, or until the server stops: false then.
    fn sleep(&self, pause: Duration) -> bool {
        let deadline = Instant::now() + pause;
        let mut state = self.lock();
        loop {
            if state.stopping {
                return false;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            state = self.wait(state, left);
        }
    }

    fn fail(&self, problem: String) {
        self.lock().failures.push(problem);
    }

    /// Records a request, in flight from now.
    fn record(&self, read: Incoming, connection: usize) -> Request {
        let mut state = self.lock();
        let target_index = state
            .requests
            .iter()
            .filter(|earlier| earlier.target == read.target)
            .count();
        let request = Request {
            method: read.method,
            target: read.target,
            headers: read.headers,
            body: read.body,
            index: state.requests.len(),
            target_index,
            connection,
        };
        state.requests.push(request.clone());
        state.in_flight += 1;
        state.most_in_flight = state.most_in_flight.max(state.in_flight);
        self.changed.notify_all();
        request
    }
}

/// A recorded request's stay in flight, ended on the answer's first byte
/// or with the connection.
struct InFlight<'a> {
    shared: &'a Shared,
    ended: bool,
}

impl InFlight<'_> {
    fn end(&mut self) {
        if !self.ended {
            self.ended = true;
            self.shared.lock().in_flight -= 1;
        }
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.end();
    }
}

fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        let mut state = shared.lock();
        if state.stopping {
            return;
        }
        let Ok(stream) = stream else { continue };
        // Each write goes out at once: a drip is not held back by Nagle's
        // algorithm.
        let _ = stream.set_nodelay(true);
        let Ok(handle) = stream.try_clone() else {
            continue;
        };
        let n = state.connections;
        state.connections += 1;
        state.open.insert(n, handle);
        let serving = Arc::clone(shared);
        let thread = thread::Builder::new()
            .name(format!("test server connection {n}"))
            .spawn(move || serve(&serving, n, stream))
            .expect("a thread for the connection");
        state.threads.push(thread);
    }
}

/// How a connection ends.
enum End {
    /// Closed cleanly (after a TLS close_notify).
    Close,
    /// Reset.
    Reset,
    /// Dropped as it is: the client left, the server stops, or a script
    /// failed.
    Drop,
}

/// Serves connection `n` to its end.
fn serve(shared: &Shared, n: usize, tcp: TcpStream) {
    let stream = match &shared.tls {
        None => Stream::Plain(tcp),
        Some(config) => {
            let connection = rustls::ServerConnection::new(Arc::clone(config))
                .expect("a TLS connection from a valid configuration");
            Stream::Tls(Box::new(rustls::StreamOwned::new(connection, tcp)))
        }
    };
    let mut reader = BufReader::new(stream);
    let talk = panic::catch_unwind(AssertUnwindSafe(|| converse(shared, n, &mut reader)));
    let end = match talk {
        Ok(Ok(end)) => end,
        Ok(Err(problem)) => {
            shared.fail(format!("connection {n}: {problem}"));
            End::Drop
        }
        Err(panic) => {
            shared.fail(format!(
                "connection {n}: the script panicked: {}",
                panic_message(&*panic)
            ));
            End::Drop
        }
    };
    // The stopping server's handle goes first: the socket closes with the
    // last one.
    shared.lock().open.remove(&n);
    let mut stream = reader.into_inner();
    match end {
        End::Close => stream.close(),
        End::Reset => {
            let _ = socket2::SockRef::from(stream.tcp()).set_linger(Some(Duration::ZERO));
        }
        End::Drop => {}
    }
}

/// Reads requests and answers them as the script says, until the
/// connection is to end.
fn converse(shared: &Shared, n: usize, reader: &mut BufReader<Stream>) -> Result<End, String> {
    loop {
        let read = match read_request(reader) {
            Ok(Some(read)) => read,
            Ok(None) => return Ok(End::Drop),
            Err(problem) => {
                let _ = send(reader.get_mut(), &Reply::status(400).close().encode(true).0);
                return Err(problem);
            }
        };
        let request = shared.record(read, n);
        let mut in_flight = InFlight {
            shared,
            ended: false,
        };
        let reply = (shared.script)(&request);
        if reply.silent {
            // Until the client leaves, or the server shuts the socket.
            let _ = io::copy(reader, &mut io::sink());
            return Ok(End::Drop);
        }
        if !shared.sleep(reply.after) {
            return Ok(End::Drop);
        }
        in_flight.end();
        let client_closes = request
            .header("connection")
            .is_some_and(|value| value.eq_ignore_ascii_case("close"));
        if let Some((parts, hold)) = &reply.stream {
            return stream_events(shared, reader, &reply, parts, *hold);
        }
        let (mut head, body) = reply.encode(client_closes);
        let stream = reader.get_mut();
        match reply.drip {
            None => {
                head.extend_from_slice(&body);
                if send(stream, &head).is_err() {
                    return Ok(End::Drop);
                }
            }
            Some(gap) => {
                if send(stream, &head).is_err() {
                    return Ok(End::Drop);
                }
                for byte in &body {
                    if !shared.sleep(gap) || send(stream, &[*byte]).is_err() {
                        return Ok(End::Drop);
                    }
                }
            }
        }
        match reply.ending {
            Ending::KeepAlive if !client_closes => {}
            Ending::KeepAlive | Ending::Close | Ending::CutShort(_) => return Ok(End::Close),
            Ending::Reset(_) => {
                shared.sleep(BEFORE_RESET);
                return Ok(End::Reset);
            }
        }
    }
}

/// Sends a streamed answer: the head, then each part after its pause; then
/// holds the connection until the client leaves, or closes it.
fn stream_events(
    shared: &Shared,
    reader: &mut BufReader<Stream>,
    reply: &Reply,
    parts: &[Part],
    hold: bool,
) -> Result<End, String> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("connection: close\r\n\r\n");
    if send(reader.get_mut(), head.as_bytes()).is_err() {
        return Ok(End::Drop);
    }
    for (pause, bytes) in parts {
        if !shared.sleep(*pause) || send(reader.get_mut(), bytes).is_err() {
            return Ok(End::Drop);
        }
    }
    if hold {
        let _ = io::copy(reader, &mut io::sink());
        return Ok(End::Drop);
    }
    Ok(End::Close)
}

fn send(stream: &mut Stream, bytes: &[u8]) -> io::Result<()> {
    stream.write_all(bytes)?;
    stream.flush()
}

/// A request as read, before it is recorded.
struct Incoming {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// Reads one request: `None` if the connection ended (or failed) before a
/// whole one, an error if what came is not an HTTP/1.x request this server
/// can read.
fn read_request(reader: &mut BufReader<Stream>) -> Result<Option<Incoming>, String> {
    let mut lines = Vec::new();
    let mut size = 0;
    loop {
        let mut line = Vec::new();
        let limit = (MAX_HEAD + 1 - size) as u64;
        match reader.by_ref().take(limit).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(read) => size += read,
        }
        if size > MAX_HEAD {
            return Err(format!("a request head over {MAX_HEAD} bytes"));
        }
        let Some(line) = line.strip_suffix(b"\n") else {
            return Ok(None);
        };
        let Some(line) = line.strip_suffix(b"\r") else {
            return Err(format!(
                "a request line not ended by CRLF: {:?}",
                String::from_utf8_lossy(line)
            ));
        };
        if line.is_empty() {
            // An empty line before the request line is to be ignored.
            if lines.is_empty() {
                continue;
            }
            break;
        }
        match String::from_utf8(line.to_vec()) {
            Ok(line) => lines.push(line),
            Err(_) => return Err(format!("a request line not in UTF-8: {line:?}")),
        }
    }

    let request_line = &lines[0];
    let parts: Vec<&str> = request_line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(format!("a malformed request line: {request_line:?}"));
    };
    if method.is_empty() || target.is_empty() || !version.starts_with("HTTP/1.") {
        return Err(format!("a malformed request line: {request_line:?}"));
    }
    let mut headers = Vec::new();
    for line in &lines[1..] {
        match line.split_once(':') {
            Some((name, value))
                if !name.is_empty() && !name.contains(|c: char| c.is_ascii_whitespace()) =>
            {
                headers.push((name.to_string(), value.trim().to_string()));
            }
            _ => return Err(format!("a malformed header line: {line:?}")),
        }
    }
    let header = |wanted: &str| {
        headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted))
            .map(|(_, value)| value.as_str())
    };
    if header("transfer-encoding").is_some() {
        return Err("a request with a Transfer-Encoding, which this server does not read".into());
    }
    let length = match header("content-length") {
        None => 0,
        Some(value) => match value.parse::<usize>() {
            Ok(length) if length <= MAX_BODY => length,
            _ => return Err(format!("a request with content-length {value:?}")),
        },
    };
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return Ok(None);
    }
    Ok(Some(Incoming {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        body,
    }))
}

/// A connection, over TLS or not.
enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ServerConnection, TcpStream>>),
}

impl Stream {
    fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(tcp) => tcp,
            Stream::Tls(tls) => &tls.sock,
        }
    }

    /// Ends a TLS session properly (close_notify), so that the client sees
    /// a clean close.
    fn close(&mut self) {
        if let Stream::Tls(tls) = self {
            tls.conn.send_close_notify();
        }
        let _ = self.flush();
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.read(buf),
            Stream::Tls(tls) => tls.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(tcp) => tcp.write(buf),
            Stream::Tls(tls) => tls.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(tcp) => tcp.flush(),
            Stream::Tls(tls) => tls.flush(),
        }
    }
}

/// A server configuration with a certificate for `names`, and the PEM of
/// the CA, made for the occasion, that signed it.
fn tls_config(names: &[&str]) -> (Arc<rustls::ServerConfig>, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let names: Vec<String> = names.iter().map(|name| name.to_string()).collect();
    let leaf = CertificateParams::new(names)
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone()], key)
    .unwrap();
    (Arc::new(config), ca.pem())
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// The server itself, driven by hand over plain TCP.
#[cfg(test)]
mod tests {
    use super::*;

    /// Connects to `server`, sends `request` and reads until the server
    /// closes: what was read, and how the reading ended.
    fn exchange(server: &Server, request: &[u8]) -> (Vec<u8>, io::Result<usize>) {
        let mut client = TcpStream::connect(server.addr).unwrap();
        client
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        client.write_all(request).unwrap();
        let mut read = Vec::new();
        let ended = client.read_to_end(&mut read);
        (read, ended)
    }

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    #[test]
    fn requests_are_recorded_as_sent_and_answered_in_turn_on_one_connection() {
        let server = Server::http(|request| {
            Reply::status(200)
                .header("x-index", &request.index.to_string())
                .body(request.body.clone())
        });
        let (read, ended) = exchange(
            &server,
            b"POST /v2/task/a/?x=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello\
              GET /v2/task/a/?x=1 HTTP/1.1\r\nconnection: close\r\n\r\n",
        );
        ended.unwrap();
        assert_eq!(
            text(&read),
            "HTTP/1.1 200 OK\r\nx-index: 0\r\ncontent-length: 5\r\n\r\nhello\
             HTTP/1.1 200 OK\r\nx-index: 1\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
        );
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        let (first, second) = (&requests[0], &requests[1]);
        assert_eq!(first.method, "POST");
        assert_eq!(first.target, "/v2/task/a/?x=1");
        assert_eq!(first.path(), "/v2/task/a/");
        assert_eq!(
            first.headers,
            [
                ("Host".to_string(), "t".to_string()),
                ("Content-Length".to_string(), "5".to_string())
            ]
        );
        assert_eq!(first.header("content-length"), Some("5"));
        assert_eq!(first.body, b"hello");
        assert_eq!(second.method, "GET");
        assert!(second.body.is_empty());
        assert_eq!(
            (first.index, first.target_index, first.connection),
            (0, 0, 0)
        );
        assert_eq!(
            (second.index, second.target_index, second.connection),
            (1, 1, 0)
        );
        assert_eq!(server.connections(), 1);
        server.finish();
    }

    #[test]
    #[should_panic(expected = "connection 0: the script panicked: no answer for /x")]
    fn a_script_that_panics_fails_the_test() {
        let server = Server::http(|request| panic!("no answer for {}", request.target));
        let (read, _) = exchange(&server, b"GET /x HTTP/1.1\r\n\r\n");
        assert!(read.is_empty(), "{}", text(&read));
        // Dropping the server fails the test.
    }

    #[test]
    #[should_panic(expected = "connection 0: a malformed request line: \"GET /x\"")]
    fn a_malformed_request_fails_the_test() {
        let server = Server::http(|_| Reply::status(200));
        let (read, _) = exchange(&server, b"GET /x\r\n\r\n");
        assert!(text(&read).starts_with("HTTP/1.1 400 Bad Request\r\n"));
        server.finish();
    }

    #[test]
    fn cut_short_promises_more_than_it_sends_then_closes() {
        let server = Server::http(|_| Reply::status(200).body("abc").cut_short(2));
        let (read, ended) = exchange(&server, b"GET / HTTP/1.1\r\n\r\n");
        ended.unwrap();
        assert_eq!(
            text(&read),
            "HTTP/1.1 200 OK\r\ncontent-length: 5\r\nconnection: close\r\n\r\nabc"
        );
    }

    #[test]
    fn reset_sends_part_of_the_answer_then_resets() {
        let server = Server::http(|_| Reply::status(200).body("abcdef").reset(4));
        let (read, ended) = exchange(&server, b"GET / HTTP/1.1\r\n\r\n");
        let error = ended.expect_err("a reset, not a clean close");
        assert_eq!(error.kind(), io::ErrorKind::ConnectionReset, "{error}");
        assert!(text(&read).ends_with("\r\n\r\nab"), "{}", text(&read));
    }

    #[test]
    fn drip_and_after_take_their_time() {
        let server = Server::http(|_| {
            Reply::status(200)
                .body("abcd")
                .drip(Duration::from_millis(50))
                .after(Duration::from_millis(100))
                .close()
        });
        let started = Instant::now();
        let (read, ended) = exchange(&server, b"GET / HTTP/1.1\r\n\r\n");
        ended.unwrap();
        assert!(text(&read).ends_with("\r\n\r\nabcd"), "{}", text(&read));
        assert!(started.elapsed() >= Duration::from_millis(300));
    }

    #[test]
    fn events_stream_without_a_length_then_close() {
        let server = Server::http(|_| {
            Reply::events(
                vec![
                    (Duration::ZERO, "data: 1\n\n".into()),
                    (Duration::from_millis(100), "data: 2\n\n".into()),
                ],
                false,
            )
        });
        let started = Instant::now();
        let (read, ended) = exchange(&server, b"GET / HTTP/1.1\r\n\r\n");
        ended.unwrap();
        let read = text(&read);
        assert!(read.contains("content-type: text/event-stream"), "{read}");
        assert!(!read.contains("content-length"), "{read}");
        assert!(read.ends_with("\r\n\r\ndata: 1\n\ndata: 2\n\n"), "{read}");
        assert!(started.elapsed() >= Duration::from_millis(100));
    }

    #[test]
    fn a_silent_reply_holds_the_connection_until_the_server_stops() {
        let server = Server::http(|_| Reply::silent());
        let mut client = TcpStream::connect(server.addr).unwrap();
        client.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        server.wait_for_requests(1, Duration::from_secs(10));
        client
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut buf = [0; 16];
        let waited = client.read(&mut buf).expect_err("no answer");
        assert!(
            matches!(
                waited.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
            ),
            "{waited}"
        );
        assert_eq!(server.most_in_flight(), 1);
        server.finish();
        client
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        assert_eq!(client.read(&mut buf).unwrap(), 0, "closed at the stop");
    }
}
