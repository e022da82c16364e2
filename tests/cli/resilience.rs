//! Resilience and security: retries, timeouts, hostile answers, and the
//! token's safety. Local servers only: mockito for ordinary answers, the
//! scriptable test server (`support::Server`) for the misbehaving ones
//! mockito cannot make.
//!
//! Every run goes through `Beam::run`, which fails the test if the token
//! appears anywhere in stdout or stderr; most runs here are `--verbose`.

use std::io::Write;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use crate::support::{Beam, Reply, Server, TOKEN, closed_port, mock_task, task_json};
use mockito::Matcher;

/// The seed task, as an answer that closes its connection.
fn complete() -> Reply {
    Reply::json(task_json("COMPLETE")).close()
}

fn error_lines(stderr: &str) -> usize {
    stderr.lines().filter(|l| l.starts_with("error:")).count()
}

// Retries and timeouts.

#[test]
fn a_silent_server_is_cut_off_at_the_request_timeout_and_retried_then_exits_69() {
    let server = Server::http(|_| Reply::silent());
    let run = Beam::new(&server.url())
        .args(["--verbose", "--request-timeout", "1s"])
        .args(["status", "abc", "--retries", "1"])
        .run()
        .code(69);
    assert!(run.stderr.contains("timed out after 1 s"), "{}", run.stderr);
    assert_eq!(server.requests().len(), 2, "a timeout is retried");
}

#[test]
fn a_slow_drip_is_cut_off_at_the_request_timeout() {
    // Each byte comes well within any per-read timeout; only a bound on the
    // whole request stops this.
    let server = Server::http(|_| complete().drip(Duration::from_millis(50)));
    let run = Beam::new(&server.url())
        .args(["--verbose", "--request-timeout", "1s"])
        .args(["status", "abc", "--retries", "0"])
        .run()
        .code(69);
    assert!(run.stderr.contains("timed out after 1 s"), "{}", run.stderr);
}

/// A body cut short by a reset on the first request, whole on the next.
fn reset_once_server() -> Server {
    Server::http(|request| match request.index {
        0 => complete().reset(200),
        _ => complete(),
    })
}

#[test]
fn a_connection_reset_mid_body_is_retried_as_transient() {
    let server = reset_once_server();
    let run = Beam::new(&server.url())
        .args(["--verbose", "status", "abc"])
        .run()
        .code(0);
    assert_eq!(server.requests().len(), 2);
    assert!(run.stderr.contains("retrying"), "{}", run.stderr);

    let server = reset_once_server();
    let run = Beam::new(&server.url())
        .args(["--verbose", "status", "abc", "--retries", "0"])
        .run()
        .code(69);
    assert!(
        run.stderr
            .contains("closed the connection before the answer was complete"),
        "{}",
        run.stderr
    );
    assert_eq!(error_lines(&run.stderr), 1, "{}", run.stderr);
}

#[test]
fn a_truncated_body_is_retried_as_transient() {
    let server = Server::http(|request| match request.index {
        // Promises more than it sends, then closes cleanly.
        0 => Reply::status(200)
            .body(task_json("COMPLETE"))
            .cut_short(100),
        _ => complete(),
    });
    let run = Beam::new(&server.url())
        .args(["--verbose", "status", "abc"])
        .run()
        .code(0);
    assert_eq!(server.requests().len(), 2);
    assert!(run.stdout.contains("COMPLETE"), "{}", run.stdout);
}

#[test]
fn statuses_429_500_502_503_504_are_retried() {
    for status in [429, 500, 502, 503, 504] {
        let mut server = mockito::Server::new();
        let mock = server
            .mock("GET", "/v2/task/abc/")
            .with_status(status)
            .expect(3)
            .create();
        Beam::new(&server.url())
            .args(["--verbose", "status", "abc", "--retries", "2"])
            .run()
            .code(69);
        mock.assert();
    }
}

#[test]
fn retries_default_to_three_further_tries() {
    let mut server = mockito::Server::new();
    let mock = server
        .mock("GET", "/v2/task/abc/")
        .with_status(503)
        .expect(4)
        .create();
    Beam::new(&server.url())
        .args(["status", "abc"])
        .run()
        .code(69);
    mock.assert();
}

#[test]
fn other_statuses_are_never_retried() {
    for (status, code) in [(400, 76), (401, 77), (403, 77), (404, 66), (501, 69)] {
        let mut server = mockito::Server::new();
        let mock = server
            .mock("GET", "/v2/task/abc/")
            .with_status(status)
            .expect(1)
            .create();
        let run = Beam::new(&server.url())
            .args(["--verbose", "status", "abc"])
            .run()
            .code(code);
        mock.assert();
        assert!(!run.stderr.contains("retrying"), "{}", run.stderr);
    }
}

/// 429 with `retry_after` on the first request, the task on the next.
fn rate_limited_once(retry_after: String) -> Server {
    Server::http(move |request| match request.index {
        0 => Reply::status(429)
            .header("retry-after", &retry_after)
            .close(),
        _ => complete(),
    })
}

#[test]
fn retry_after_in_seconds_is_waited_for() {
    let server = rate_limited_once("3".into());
    let started = Instant::now();
    Beam::new(&server.url())
        .env("BEAM_TASK_TIME_SCALE", "0.1")
        .args(["--verbose", "status", "abc"])
        .run()
        .code(0);
    // At this scale the first backoff is 75 ms at the most; only the
    // server's Retry-After (300 ms) can account for this much.
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn retry_after_as_an_http_date_is_waited_for() {
    let at = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3);
    let date = at.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let server = rate_limited_once(date);
    let started = Instant::now();
    Beam::new(&server.url())
        .env("BEAM_TASK_TIME_SCALE", "0.1")
        .args(["status", "abc"])
        .run()
        .code(0);
    // HTTP dates have whole seconds: "in 3 s" may mean a little over 2 s,
    // 200 ms at this scale; the backoff alone is 75 ms at the most.
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn retry_after_beyond_60_s_exits_69_at_once_saying_when_to_come_back() {
    let in_an_hour = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1))
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    for (retry_after, says) in [
        ("120", "come back in 120 s"),
        (&in_an_hour, "come back in 3"),
    ] {
        let mut server = mockito::Server::new();
        let mock = server
            .mock("GET", "/v2/task/abc/")
            .with_status(503)
            .with_header("retry-after", retry_after)
            .expect(1)
            .create();
        let run = Beam::new(&server.url())
            .args(["--verbose", "status", "abc"])
            .run()
            .code(69);
        mock.assert();
        assert!(run.stderr.contains(says), "{}", run.stderr);
        assert!(run.stderr.contains("HTTP 503"), "{}", run.stderr);
    }
}

#[test]
fn a_body_over_10_mb_exits_76() {
    let padding = "x".repeat(10 * 1024 * 1024);
    let body = format!(r#"{{"status":"COMPLETE","padding":"{padding}"}}"#);
    let mut server = mockito::Server::new();
    mock_task(&mut server, "abc", 200, &body);
    let run = Beam::new(&server.url())
        .args(["--verbose", "status", "abc"])
        .run()
        .code(76);
    assert!(run.stderr.contains("larger than 10 MB"), "{}", run.stderr);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn a_gzip_body_that_inflates_past_10_mb_exits_76() {
    let inflated = format!(
        r#"{{"status":"COMPLETE","padding":"{}"}}"#,
        " ".repeat(11 * 1024 * 1024)
    );
    let mut server = mockito::Server::new();
    server
        .mock("GET", "/v2/task/abc/")
        .with_header("content-encoding", "gzip")
        .with_body(gzip(inflated.as_bytes()))
        .create();
    let run = Beam::new(&server.url())
        .args(["status", "abc"])
        .run()
        .code(76);
    assert!(run.stderr.contains("larger than 10 MB"), "{}", run.stderr);
}

// Hostile or broken answers.

#[test]
fn broken_200_answers_exit_76_with_one_error_line() {
    for (body, says) in [
        ("<html><body>Maintenance</body></html>", "not JSON"),
        ("", "empty"),
        ("  \n", "empty"),
        ("[1, 2]", "not an object"),
        ("\"COMPLETE\"", "not an object"),
        ("null", "not an object"),
        ("{}", "no \"status\""),
        (r#"{"status": null}"#, "null, not a string"),
        (r#"{"status": 3}"#, "a number, not a string"),
        (
            r#"{"status": {"name": "COMPLETE"}}"#,
            "an object, not a string",
        ),
        (r#"{"status": "COMPLETE""#, "not JSON"),
    ] {
        let mut server = mockito::Server::new();
        mock_task(&mut server, "abc", 200, body);
        let run = Beam::new(&server.url())
            .args(["--verbose", "status", "abc"])
            .run()
            .code(76);
        assert!(run.stderr.contains(says), "{body:?}: {}", run.stderr);
        assert_eq!(error_lines(&run.stderr), 1, "{body:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{body:?}: {}", run.stdout);
    }
}

#[test]
fn deeply_nested_json_exits_76() {
    let depth = 100_000;
    let body = format!(
        r#"{{"status":"COMPLETE","deep":{}{}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let mut server = mockito::Server::new();
    mock_task(&mut server, "abc", 200, &body);
    let run = Beam::new(&server.url())
        .args(["status", "abc"])
        .run()
        .code(76);
    assert!(run.stderr.contains("not JSON"), "{}", run.stderr);
}

#[test]
fn valid_json_with_a_wrong_or_missing_content_type_is_accepted() {
    let mut server = mockito::Server::new();
    server
        .mock("GET", "/v2/task/abc/")
        .with_header("content-type", "text/html; charset=latin1")
        .with_body(task_json("COMPLETE"))
        .create();
    let run = Beam::new(&server.url())
        .args(["status", "abc", "--json"])
        .run()
        .code(0);
    assert_eq!(run.json()["status"], "COMPLETE");

    let bare = Server::http(|_| Reply::status(200).body(task_json("RUNNING")).close());
    let run = Beam::new(&bare.url())
        .args(["--verbose", "status", "abc", "--json"])
        .run()
        .code(8);
    assert_eq!(run.json()["status"], "RUNNING");
    assert!(!run.stderr.contains("content-type"), "{}", run.stderr);
}

#[test]
fn a_gzip_encoded_body_is_accepted() {
    let body = task_json("COMPLETE");
    let mut server = mockito::Server::new();
    let mock = server
        .mock("GET", "/v2/task/abc/")
        .match_header("accept-encoding", Matcher::Regex("gzip".into()))
        .with_header("content-type", "application/json")
        .with_header("content-encoding", "gzip")
        .with_body(gzip(body.as_bytes()))
        .create();
    let run = Beam::new(&server.url())
        .args(["status", "abc", "--raw"])
        .run()
        .code(0);
    mock.assert();
    assert_eq!(run.stdout.trim_end(), body.trim_end());
}

#[test]
fn a_redirect_to_another_host_is_followed_without_the_token() {
    let mut elsewhere = mockito::Server::new();
    let landing = elsewhere
        .mock("GET", "/v2/task/abc/")
        .match_header("authorization", Matcher::Missing)
        .with_header("content-type", "application/json")
        .with_body(task_json("COMPLETE"))
        .create();
    let mut api = mockito::Server::new();
    let redirect = api
        .mock("GET", "/v2/task/abc/")
        .match_header("authorization", format!("Bearer {TOKEN}").as_str())
        .with_status(302)
        .with_header("location", &format!("{}/v2/task/abc/", elsewhere.url()))
        .create();
    Beam::new(&api.url())
        .args(["--verbose", "status", "abc"])
        .run()
        .code(0);
    redirect.assert();
    landing.assert();
}

#[test]
fn a_json_error_body_shows_its_message() {
    let mut server = mockito::Server::new();
    mock_task(
        &mut server,
        "abc",
        500,
        r#"{"message": "database\nis down"}"#,
    );
    let run = Beam::new(&server.url())
        .args(["--verbose", "status", "abc", "--retries", "0"])
        .run()
        .code(69);
    assert!(
        run.stderr.contains(
            "error: task abc: the API answered HTTP 500 Internal Server Error: database is down"
        ),
        "{}",
        run.stderr
    );

    let mut server = mockito::Server::new();
    mock_task(&mut server, "abc", 401, r#"{"message": "Unauthorized"}"#);
    let run = Beam::new(&server.url())
        .args(["status", "abc"])
        .run()
        .code(77);
    assert!(
        run.stderr.contains(
            "error: task abc: the API refused the token from BEAM_TOKEN (HTTP 401): Unauthorized"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_html_error_body_shows_the_status_line_not_the_page() {
    let page = "<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1>\n<p>nginx</p></body></html>";
    let mut server = mockito::Server::new();
    server
        .mock("GET", "/v2/task/abc/")
        .with_status(502)
        .with_header("content-type", "text/html")
        .with_body(page)
        .create();
    let run = Beam::new(&server.url())
        .args(["status", "abc", "--retries", "0"])
        .run()
        .code(69);
    assert_eq!(
        run.stderr.trim_end(),
        "error: task abc: the API answered HTTP 502 Bad Gateway"
    );
}

#[test]
fn escape_sequences_from_the_server_do_not_reach_the_terminal() {
    let mut server = mockito::Server::new();
    mock_task(
        &mut server,
        "abc",
        200,
        r#"{"status":"FAILED","failure_reason":"boom\u001b]52;c;ZXZpbA==\u0007","stub":{"name":"a\u001b[2Jb"}}"#,
    );
    let run = Beam::new(&server.url())
        .args(["status", "abc"])
        .run()
        .code(10);
    assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
    assert!(run.stdout.contains("boom\u{fffd}]52;c;ZXZpbA==\u{fffd}"));

    let mut server = mockito::Server::new();
    mock_task(&mut server, "abc", 404, r#"{"message":"gone\u001b[31m"}"#);
    let run = Beam::new(&server.url())
        .args(["status", "abc"])
        .run()
        .code(66);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
}

// The token.

#[test]
fn verbose_shows_the_request_with_the_token_as_stars() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "abc", 200, &task_json("COMPLETE"));
    let run = Beam::new(&server.url())
        .args(["--verbose", "status", "abc"])
        .run()
        .code(0);
    assert!(
        run.stderr.contains("> authorization: Bearer ***"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("< HTTP/1.1 200"), "{}", run.stderr);
}

#[test]
fn a_server_that_echoes_the_token_has_it_masked() {
    let mut server = mockito::Server::new();
    server
        .mock("GET", "/v2/task/abc/")
        .with_status(401)
        .with_header("x-echo", &format!("Bearer {TOKEN}"))
        .with_body(format!(r#"{{"message": "token {TOKEN} is revoked"}}"#))
        .create();
    let run = Beam::new(&server.url())
        .args(["--verbose", "status", "abc"])
        .run()
        .code(77);
    assert!(
        run.stderr.contains("token *** is revoked"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("x-echo: Bearer ***"), "{}", run.stderr);
}

#[test]
fn plain_http_to_another_host_exits_78_before_any_request() {
    // Were the URL let through, the request would land on this local
    // "proxy" rather than on the network.
    let proxy = Server::http(|_| complete());
    for url in ["http://api.beam.cloud", "http://10.1.2.3:8080"] {
        let run = Beam::new(url)
            .env("HTTP_PROXY", proxy.url())
            .args(["--verbose", "status", "abc"])
            .run()
            .code(78);
        assert!(run.stderr.contains("clear text"), "{}", run.stderr);
    }
    assert!(proxy.requests().is_empty());
}

/// `::ffff:127.0.0.1` is 127.0.0.1 written as IPv6 (IPv4-mapped): plain
/// http to it is let through, as to loopback, and never proxied.
#[test]
fn plain_http_to_an_ipv4_mapped_loopback_address_reaches_it_unproxied() {
    let api = Server::http(|_| complete());
    let proxy = Server::http(|_| complete());
    let url = format!("http://[::ffff:127.0.0.1]:{}", api.port());
    Beam::new(&url)
        .env("HTTP_PROXY", proxy.url())
        .args(["status", "abc"])
        .run()
        .code(0);
    assert_eq!(api.requests().len(), 1);
    assert!(proxy.requests().is_empty());
}

#[test]
fn a_token_with_control_characters_exits_78_before_any_request() {
    let mut server = mockito::Server::new();
    let mock = server.mock("GET", "/v2/task/abc/").expect(0).create();
    for token in [
        format!("{TOKEN}\r\nX-Injected: 1"),
        format!("{TOKEN}\u{1}"),
        format!("{TOKEN}\n"),
    ] {
        let run = Beam::new(&server.url())
            .args(["--verbose", "--token", &token, "status", "abc"])
            .run()
            .code(78);
        assert!(
            run.stderr.contains("--token contains control"),
            "{}",
            run.stderr
        );
        let run = Beam::new(&server.url())
            .env("BEAM_TOKEN", &token)
            .args(["status", "abc"])
            .run()
            .code(78);
        assert!(run.stderr.contains("BEAM_TOKEN contains"), "{}", run.stderr);
    }
    mock.assert();
}

/// Only an https API reads the trust store (plain http to loopback needs
/// none): the port here is closed, so a request would exit 69, not 78.
#[test]
fn a_bad_ssl_cert_file_exits_78_before_any_request() {
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pem");
    let certless = dir.path().join("certless.pem");
    std::fs::write(&certless, "# no certificate here\n").unwrap();
    for (file, says) in [
        (&missing, "cannot read SSL_CERT_FILE"),
        (&certless, "holds no PEM certificate"),
    ] {
        let run = Beam::new(&format!("https://{closed}"))
            .env("SSL_CERT_FILE", file)
            .args(["status", "abc"])
            .run()
            .code(78);
        assert!(run.stderr.contains(says), "{}", run.stderr);
    }
}

// TLS, against a local HTTPS server whose CA only a test knows.

#[test]
fn https_certificates_are_verified_and_ssl_cert_file_adds_a_ca() {
    let server = Server::https(|_| complete());
    let url = server.url();

    let run = Beam::new(&url)
        .args(["--verbose", "status", "abc"])
        .run()
        .code(69);
    assert!(run.stderr.contains("TLS"), "{}", run.stderr);
    assert_eq!(server.connections(), 1, "TLS failures are not retried");

    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, server.ca_pem()).unwrap();
    let run = Beam::new(&url)
        .env("SSL_CERT_FILE", &ca_file)
        .args(["--verbose", "status", "abc"])
        .run()
        .code(0);
    assert!(run.stdout.contains("COMPLETE"), "{}", run.stdout);
}

/// `SSL_CERT_DIR` takes the place of the system's certificate directories,
/// as with OpenSSL: a CA found there is trusted.
#[test]
fn ssl_cert_dir_is_read_as_the_system_store() {
    let server = Server::https(|_| complete());
    let url = server.url();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("other.pem"), "# not a certificate\n").unwrap();
    std::fs::write(dir.path().join("test-ca.pem"), server.ca_pem()).unwrap();
    let run = Beam::new(&url)
        .env("SSL_CERT_DIR", dir.path())
        .args(["status", "abc"])
        .run()
        .code(0);
    assert!(run.stdout.contains("COMPLETE"), "{}", run.stdout);
}

/// A plain-http (loopback) API reads no trust store, but a redirect to
/// https is still verified, with the bundled roots: an unknown CA is a TLS
/// failure (69), not a crash.
#[test]
fn a_redirect_from_http_to_https_verifies_with_the_bundled_roots() {
    let tls = Server::https(|_| complete());
    let mut api = mockito::Server::new();
    let redirect = api
        .mock("GET", "/v2/task/abc/")
        .with_status(302)
        .with_header("location", &format!("{}/v2/task/abc/", tls.url()))
        .create();
    let run = Beam::new(&api.url()).args(["status", "abc"]).run().code(69);
    assert!(run.stderr.contains("TLS"), "{}", run.stderr);
    redirect.assert();
    assert_eq!(tls.connections(), 1);
}

// Proxies.

#[test]
fn https_goes_through_https_proxy_as_a_tunnel() {
    let proxy = Server::http(|_| Reply::status(502).close());
    let run = Beam::new("https://api.beam.test")
        .env("HTTPS_PROXY", proxy.url())
        .args(["--verbose", "status", "abc", "--retries", "0"])
        .run()
        .code(69);
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1, "{}", run.stderr);
    assert_eq!(
        (requests[0].method.as_str(), requests[0].target.as_str()),
        ("CONNECT", "api.beam.test:443"),
        "{:?}",
        requests[0]
    );
    assert!(
        !format!("{:?}", requests[0]).contains(TOKEN),
        "the proxy never sees the token"
    );
    assert!(
        run.stderr.contains("through proxy 127.0.0.1"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_loopback_api_is_never_proxied() {
    let proxy = Server::http(|_| Reply::status(502).close());
    let mut server = mockito::Server::new();
    let mock = mock_task(&mut server, "abc", 200, &task_json("COMPLETE"));
    Beam::new(&server.url())
        .env("HTTP_PROXY", proxy.url())
        .env("http_proxy", proxy.url())
        .env("ALL_PROXY", proxy.url())
        .args(["status", "abc"])
        .run()
        .code(0);
    mock.assert();
    assert!(proxy.requests().is_empty());
}

#[test]
fn a_bad_proxy_variable_exits_78_without_showing_it() {
    let run = Beam::new("https://api.beam.test")
        .env("HTTPS_PROXY", "gopher://user:hunter2@proxy")
        .args(["status", "abc"])
        .run()
        .code(78);
    assert!(
        run.stderr.contains("HTTPS_PROXY is not a proxy URL"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
}

/// The one-minute limit on Retry-After holds for every status that asks to
/// be tried again, in a one-shot check and in a wait alike.
#[test]
fn retry_after_beyond_a_minute_is_final_for_any_5xx_and_429() {
    for status in [429, 501, 503, 520] {
        for command in ["status", "wait"] {
            let mut server = mockito::Server::new();
            let limited = server
                .mock("GET", "/v2/task/abc/")
                .with_status(status)
                .with_header("retry-after", "3600")
                .expect(1)
                .create();
            let run = Beam::new(&server.url())
                .args([command, "abc"])
                .run()
                .code(69);
            limited.assert();
            assert!(
                run.stderr.contains("come back in 3600 s"),
                "{status} {command}: {}",
                run.stderr
            );
        }
    }
}

// Answers at the edges.

#[test]
fn a_body_that_claims_gzip_but_is_not_exits_76_at_once() {
    let server = Server::http(|_| {
        Reply::json(task_json("COMPLETE"))
            .header("content-encoding", "gzip")
            .close()
    });
    let run = Beam::new(&server.url())
        .args(["status", "abc"])
        .run()
        .code(76);
    assert_eq!(server.requests().len(), 1, "not retried");
    assert!(
        run.stderr
            .contains("the response says it is gzip-encoded, but it is not"),
        "{}",
        run.stderr
    );
    assert_eq!(error_lines(&run.stderr), 1, "{}", run.stderr);
}

#[test]
fn a_retry_after_too_large_for_a_number_exits_69_at_once() {
    for command in ["status", "wait"] {
        let server = Server::http(|_| {
            Reply::status(503)
                .header("retry-after", "99999999999999999999999")
                .close()
        });
        let run = Beam::new(&server.url())
            .args([command, "abc"])
            .run()
            .code(69);
        // (A wait also asks for the workspace its streams would need.)
        let tries = server
            .requests()
            .iter()
            .filter(|r| r.path() == "/v2/task/abc/")
            .count();
        assert_eq!(tries, 1, "{command}: not retried");
        assert!(run.stderr.contains("come back after"), "{}", run.stderr);
    }
}

#[test]
fn after_a_redirect_an_error_names_the_host_that_failed() {
    let port = closed_port();
    let server = Server::http(move |_| {
        Reply::status(302)
            .header("location", &format!("http://127.0.0.1:{port}/v2/task/abc/"))
            .close()
    });
    let run = Beam::new(&server.url())
        .args(["status", "abc", "--retries", "0"])
        .run()
        .code(69);
    assert!(
        run.stderr
            .contains(&format!("connection to 127.0.0.1:{port} failed")),
        "{}",
        run.stderr
    );
    let api = server.url().trim_start_matches("http://").to_string();
    assert!(!run.stderr.contains(&api), "{}", run.stderr);
}

#[test]
fn a_redirect_to_a_scheme_other_than_http_exits_76_at_once() {
    for location in ["ftp://files.example/v2/task/abc/", "file:///etc/passwd"] {
        let server = Server::http(move |_| Reply::status(301).header("location", location).close());
        let run = Beam::new(&server.url())
            .args(["status", "abc"])
            .run()
            .code(76);
        assert_eq!(server.requests().len(), 1, "{location}: not retried");
        assert!(
            run.stderr.contains("only http and https are followed"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn verbose_shows_each_redirect_answer_and_the_next_request_without_the_token() {
    let server = Server::http(|request| match request.path() {
        "/v2/task/abc/" => Reply::status(302).header("location", "/moved/abc/").close(),
        _ => complete(),
    });
    let run = Beam::new(&server.url())
        .args(["--verbose", "status", "abc"])
        .run()
        .code(0);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let redirect = lines
        .iter()
        .position(|l| l.starts_with("< HTTP/1.1 302"))
        .expect("the redirect's status line");
    let next = lines
        .iter()
        .position(|l| *l == format!("> GET {}/moved/abc/", server.url()))
        .expect("the request it led to");
    assert!(redirect < next, "{}", run.stderr);
    assert!(
        !lines[next..]
            .iter()
            .any(|l| l.starts_with("> authorization")),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests()[1].header("authorization"), None);
}

/// Every header the server received is in `-v`, as it was received, and
/// nothing else is (the token as `***`).
#[test]
fn verbose_shows_the_request_headers_as_sent() {
    let server = Server::http(|_| complete());
    let run = Beam::new(&server.url())
        .args(["--verbose", "status", "abc"])
        .run()
        .code(0);
    let mut shown: Vec<String> = run
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("> "))
        .filter(|l| !l.starts_with("GET "))
        .map(str::to_string)
        .collect();
    let mut sent: Vec<String> = server.requests()[0]
        .headers
        .iter()
        .map(|(name, value)| {
            let value = value.replace(TOKEN, "***");
            format!("{}: {value}", name.to_ascii_lowercase())
        })
        .collect();
    shown.sort();
    sent.sort();
    assert_eq!(shown, sent);
    for name in [
        "host:",
        "accept-encoding:",
        "user-agent:",
        "authorization: Bearer ***",
    ] {
        assert!(
            shown.iter().any(|l| l.starts_with(name)),
            "{name}: {shown:?}"
        );
    }
}
