//! Proxies from the environment: SOCKS and HTTP `CONNECT` tunnels that
//! carry the request, and a proxy's failures told as the proxy's. The
//! proxies are the test's own, on 127.0.0.1 (`support::Relay`): they take
//! any destination (`api.beam.test`, `192.0.2.10`) to a local HTTPS
//! server, so that nothing leaves the machine.

use crate::support::{Beam, Relay, Reply, Run, Server, TOKEN, closed_port, task_json};

/// An HTTPS API with a certificate for `name`, and its CA as a file.
fn api_for(name: &str) -> (Server, tempfile::TempDir, std::path::PathBuf) {
    let server = Server::https_for(&[name], |_| Reply::json(task_json("COMPLETE")).close());
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, server.ca_pem()).unwrap();
    (server, dir, ca)
}

/// `status abc` against `api` through `proxy` named in `variable`.
fn through(api: &str, variable: &str, proxy: &str, ca: &std::path::Path) -> Run {
    Beam::new(api)
        .env(variable, proxy)
        .env("SSL_CERT_FILE", ca)
        .args(["--verbose", "status", "abc", "--json", "--retries", "0"])
        .run()
}

#[test]
fn socks_proxies_carry_the_request() {
    // socks5h and socks4a hand the name to the proxy; socks5 and socks4
    // resolve it first (here an address, so that no name is looked up).
    for (scheme, host) in [
        ("socks5h", "api.beam.test"),
        ("socks4a", "api.beam.test"),
        ("socks5", "192.0.2.10"),
        ("socks4", "192.0.2.10"),
    ] {
        let (server, _dir, ca) = api_for(host);
        let socks = Relay::socks(server.port());
        let proxy = format!("{scheme}://127.0.0.1:{}", socks.port());
        for variable in ["HTTPS_PROXY", "ALL_PROXY"] {
            let run = through(&format!("https://{host}"), variable, &proxy, &ca).code(0);
            assert_eq!(run.json()["status"], "COMPLETE", "{scheme}");
            assert!(
                run.stderr.contains(&format!(
                    "* through proxy 127.0.0.1:{} (from {variable})",
                    socks.port()
                )),
                "{scheme}: {}",
                run.stderr
            );
        }
        assert_eq!(
            socks.asked(),
            [format!("{host}:443"), format!("{host}:443")],
            "{scheme}"
        );
        assert!(
            server
                .requests()
                .iter()
                .all(|r| r.header("authorization") == Some(&format!("Bearer {TOKEN}"))),
            "the token went through the tunnel, to the API"
        );
    }
}

#[test]
fn an_http_proxy_tunnel_carries_the_request_and_shows_its_connect() {
    let (server, _dir, ca) = api_for("api.beam.test");
    let tunnel = Relay::connect(server.port());
    let proxy = format!("http://someone:pr0xy-secret@127.0.0.1:{}", tunnel.port());
    let run = through("https://api.beam.test", "HTTPS_PROXY", &proxy, &ca).code(0);
    assert_eq!(run.json()["status"], "COMPLETE");
    assert_eq!(tunnel.asked(), ["api.beam.test:443"]);
    for line in [
        "> CONNECT api.beam.test:443 HTTP/1.1",
        "> Host: api.beam.test:443",
        "> Proxy-Authorization: Basic ***",
        "< HTTP/1.1 200 Connection established",
        "> GET https://api.beam.test/v2/task/abc/",
        "> authorization: Bearer ***",
    ] {
        assert!(
            run.stderr.lines().any(|l| l == line),
            "{line}: {}",
            run.stderr
        );
    }
    assert!(!run.stderr.contains("pr0xy-secret"), "{}", run.stderr);
}

#[test]
fn a_proxy_url_with_an_invalid_port_or_no_host_exits_78_naming_the_variable() {
    // Port 99999 used to become port 80, with the credentials.
    let listener = Server::http(|_| Reply::status(502).close());
    for (value, says) in [
        ("http://user:hunter2@127.0.0.1:99999", "has an invalid port"),
        ("http://127.0.0.1:65536", "has an invalid port"),
        ("http://127.0.0.1:abc", "has an invalid port"),
        ("http://:3128", "is not a proxy URL: it names no host"),
        (
            "socks5h://user:hunter2@:1080",
            "is not a proxy URL: it names no host",
        ),
    ] {
        let run = Beam::new("https://api.beam.test")
            .env("HTTPS_PROXY", value)
            .args(["status", "abc"])
            .run()
            .code(78);
        assert!(
            run.stderr
                .starts_with(&format!("error: HTTPS_PROXY {says}")),
            "{value}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
    }
    assert!(listener.requests().is_empty());
}

#[test]
fn a_proxy_that_cannot_be_reached_is_named_with_its_variable() {
    for scheme in ["http", "socks5h"] {
        let port = closed_port();
        let run = Beam::new("https://api.beam.test")
            .env("HTTPS_PROXY", format!("{scheme}://127.0.0.1:{port}"))
            .args(["status", "abc", "--retries", "0"])
            .run()
            .code(69);
        assert!(
            run.stderr.contains(&format!(
                "could not connect to the proxy 127.0.0.1:{port} (from HTTPS_PROXY): Connection refused"
            )),
            "{scheme}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("api.beam.test"), "{}", run.stderr);
    }
}

#[test]
fn a_proxy_asking_for_credentials_exits_78_at_once() {
    let proxy = Server::http(|_| {
        Reply::status(407)
            .header("proxy-authenticate", "Basic realm=\"corp\"")
            .close()
    });
    let value = proxy.url().replace("http://", "http://me:wrong-pass@");
    for command in ["status", "wait"] {
        let run = Beam::new("https://api.beam.test")
            .env("HTTPS_PROXY", &value)
            .args([command, "abc"])
            .run()
            .code(78);
        assert!(
            run.stderr.contains(
                "asks for credentials, or refused them: give them in HTTPS_PROXY as \
                 http://user:password@host:port"
            ),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("wrong-pass"), "{}", run.stderr);
    }
    // status: one CONNECT; wait: one for its poll and, unless the exit
    // outruns that thread, one for the workspace its streams would need;
    // none retried.
    let connects = proxy.requests().len();
    assert!(
        (2..=3).contains(&connects),
        "{connects} CONNECTs: none retried"
    );
}

#[test]
fn a_proxy_refusing_the_tunnel_exits_69_at_once_with_its_status_line() {
    for (status, line) in [
        (403, "HTTP/1.1 403 Forbidden"),
        (503, "HTTP/1.1 503 Service Unavailable"),
    ] {
        for command in ["status", "wait"] {
            let proxy = Server::http(move |_| Reply::status(status).close());
            let run = Beam::new("https://api.beam.test")
                .env("HTTPS_PROXY", proxy.url())
                .args([command, "abc"])
                .run()
                .code(69);
            // wait also asks, on a thread of its own that the exit may
            // outrun, for the workspace its streams would need.
            let most = if command == "wait" { 2 } else { 1 };
            let tunnels = proxy.requests().len();
            assert!(
                (1..=most).contains(&tunnels),
                "{command} {status}: {tunnels} tunnels, none retried"
            );
            assert!(
                run.stderr.contains(&format!(
                    "the proxy {} (from HTTPS_PROXY) refused the tunnel to api.beam.test: {line}",
                    proxy.url().trim_start_matches("http://")
                )),
                "{}",
                run.stderr
            );
        }
    }
}

/// `status abc --retries 2` through a SOCKS5 proxy (from ALL_PROXY) that
/// answers every `CONNECT` with `reply`: it exits 69, and its error says
/// `the SOCKS proxy 127.0.0.1:PORT (from ALL_PROXY) {says}`. Returns how
/// many connections the proxy was asked for.
fn through_socks_replying(reply: u8, says: &str) -> usize {
    let socks = Relay::socks_replying(reply);
    let run = Beam::new("https://api.beam.test")
        .env("ALL_PROXY", format!("socks5h://127.0.0.1:{}", socks.port()))
        .args(["status", "abc", "--retries", "2"])
        .run()
        .code(69);
    let proxy = format!("127.0.0.1:{} (from ALL_PROXY)", socks.port());
    assert!(
        run.stderr
            .contains(&format!("the SOCKS proxy {proxy} {says}")),
        "{}",
        run.stderr
    );
    socks.asked().len()
}

#[test]
fn a_socks_proxy_refusing_by_its_rules_exits_69_at_once_naming_the_reply() {
    let attempts = through_socks_replying(
        2,
        "refused the connection to api.beam.test: connection not allowed by its rules \
         (SOCKS reply 2)",
    );
    assert_eq!(attempts, 1, "not retried");
}

#[test]
fn a_host_refusing_the_socks_proxy_s_connection_is_retried() {
    let attempts = through_socks_replying(
        5,
        "could not connect to api.beam.test: connection refused (SOCKS reply 5)",
    );
    assert_eq!(attempts, 3, "--retries 2");
}
