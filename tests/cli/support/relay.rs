//! Proxies on 127.0.0.1 for the tests: a SOCKS server (versions 4, 4a and
//! 5, no authentication) and an HTTP `CONNECT` proxy. Each records the
//! destination it was asked for and relays the connection to one local
//! port, whatever the destination: a request to `api.beam.test` or
//! `192.0.2.10` ends on loopback, and nothing leaves the machine. A SOCKS5
//! server may instead answer every `CONNECT` with a chosen failure.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

/// A running proxy; it stops taking connections when dropped.
pub struct Relay {
    port: u16,
    asked: Arc<Mutex<Vec<String>>>,
}

impl Relay {
    /// A SOCKS 4, 4a and 5 server relaying to `127.0.0.1:to`.
    pub fn socks(to: u16) -> Relay {
        Relay::start(Some(to), |client| socks_handshake(client, SOCKS5_SUCCEEDED))
    }

    /// A SOCKS5 server that answers every `CONNECT` with `reply` (2, not
    /// allowed by its rules; 5, the host refused), and closes.
    pub fn socks_replying(reply: u8) -> Relay {
        Relay::start(None, move |client| socks_handshake(client, reply))
    }

    /// An HTTP proxy that opens every `CONNECT` tunnel to `127.0.0.1:to`.
    pub fn connect(to: u16) -> Relay {
        Relay::start(Some(to), connect_handshake)
    }

    /// Records each destination `handshake` reads, and relays the
    /// connection to `127.0.0.1:to` (or closes it, without `to`).
    fn start(
        to: Option<u16>,
        handshake: impl Fn(&mut BufReader<TcpStream>) -> io::Result<String> + Send + Sync + 'static,
    ) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on loopback");
        let port = listener.local_addr().unwrap().port();
        let asked = Arc::new(Mutex::new(Vec::new()));
        let recording = Arc::clone(&asked);
        let handshake = Arc::new(handshake);
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let recording = Arc::clone(&recording);
                let handshake = Arc::clone(&handshake);
                thread::spawn(move || {
                    let mut client = BufReader::new(client);
                    let Ok(destination) = handshake(&mut client) else {
                        return;
                    };
                    recording.lock().unwrap().push(destination);
                    if let Some(to) = to
                        && let Ok(server) = TcpStream::connect(("127.0.0.1", to))
                    {
                        relay(client, server);
                    }
                });
            }
        });
        Relay { port, asked }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The destinations asked for, as `host:port`, in order.
    pub fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

/// Copies both ways until either side closes.
fn relay(client: BufReader<TcpStream>, server: TcpStream) {
    // Bytes the handshake read ahead go first.
    let ahead = client.buffer().to_vec();
    let client = client.into_inner();
    let (mut client_in, mut server_out) =
        (client.try_clone().unwrap(), server.try_clone().unwrap());
    let _ = server_out.write_all(&ahead);
    let upstream = thread::spawn(move || {
        let _ = io::copy(&mut client_in, &mut server_out);
        let _ = server_out.shutdown(Shutdown::Write);
    });
    let (mut server_in, mut client_out) = (server, client);
    let _ = io::copy(&mut server_in, &mut client_out);
    let _ = client_out.shutdown(Shutdown::Write);
    let _ = upstream.join();
}

fn bytes<const N: usize>(stream: &mut impl Read) -> io::Result<[u8; N]> {
    let mut buf = [0; N];
    stream.read_exact(&mut buf)?;
    Ok(buf)
}

/// Up to a NUL byte, which is dropped.
fn until_nul(stream: &mut BufReader<TcpStream>) -> io::Result<String> {
    let mut text = Vec::new();
    stream.read_until(0, &mut text)?;
    text.pop();
    Ok(String::from_utf8_lossy(&text).into_owned())
}

/// A SOCKS5 reply: the connection is made.
const SOCKS5_SUCCEEDED: u8 = 0;

/// A SOCKS CONNECT, answered as granted (SOCKS 4) or with `reply` (SOCKS
/// 5): the destination asked for.
fn socks_handshake(stream: &mut BufReader<TcpStream>, reply: u8) -> io::Result<String> {
    match bytes::<1>(stream)?[0] {
        4 => {
            let [command, port_high, port_low] = bytes::<3>(stream)?;
            let ip = bytes::<4>(stream)?;
            let _user = until_nul(stream)?;
            let port = u16::from_be_bytes([port_high, port_low]);
            // 0.0.0.x (x > 0): SOCKS4a, the host name follows.
            let host = if ip[..3] == [0, 0, 0] && ip[3] != 0 {
                until_nul(stream)?
            } else {
                std::net::Ipv4Addr::from(ip).to_string()
            };
            assert_eq!(command, 1, "CONNECT");
            stream.get_mut().write_all(&[0, 90, 0, 0, 0, 0, 0, 0])?;
            Ok(format!("{host}:{port}"))
        }
        5 => {
            let [methods] = bytes::<1>(stream)?;
            let mut offered = vec![0; usize::from(methods)];
            stream.read_exact(&mut offered)?;
            assert!(offered.contains(&0), "no authentication is offered");
            stream.get_mut().write_all(&[5, 0])?;
            let [_, command, _, kind] = bytes::<4>(stream)?;
            assert_eq!(command, 1, "CONNECT");
            let host = match kind {
                1 => std::net::Ipv4Addr::from(bytes::<4>(stream)?).to_string(),
                3 => {
                    let [length] = bytes::<1>(stream)?;
                    let mut name = vec![0; usize::from(length)];
                    stream.read_exact(&mut name)?;
                    String::from_utf8_lossy(&name).into_owned()
                }
                4 => format!("[{}]", std::net::Ipv6Addr::from(bytes::<16>(stream)?)),
                other => panic!("address kind {other}"),
            };
            let port = u16::from_be_bytes(bytes::<2>(stream)?);
            stream
                .get_mut()
                .write_all(&[5, reply, 0, 1, 127, 0, 0, 1, 0, 0])?;
            Ok(format!("{host}:{port}"))
        }
        other => panic!("SOCKS version {other}"),
    }
}

/// `CONNECT host:port HTTP/1.1`, answered 200: the destination asked for.
fn connect_handshake(stream: &mut BufReader<TcpStream>) -> io::Result<String> {
    let mut request_line = String::new();
    stream.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        stream.read_line(&mut header)?;
        if header.trim().is_empty() {
            break;
        }
    }
    let destination = request_line
        .strip_prefix("CONNECT ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_default()
        .to_string();
    stream
        .get_mut()
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
    Ok(destination)
}
