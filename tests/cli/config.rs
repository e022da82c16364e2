//! Where the token comes from, and what happens when it is missing.

use crate::support::{Beam, Reply, Server, TOKEN, mock_task, task_json};

/// A server that answers task `t1` only to `token`.
fn server_for_token(token: &str) -> (mockito::ServerGuard, mockito::Mock) {
    let mut server = mockito::Server::new();
    let mock = server
        .mock("GET", "/v2/task/t1/")
        .match_header("authorization", format!("Bearer {token}").as_str())
        .with_body(task_json("COMPLETE"))
        .expect(1)
        .create();
    (server, mock)
}

const FILE_TOKEN: &str = "file-token-1111";
const STAGING_TOKEN: &str = "staging-token-2222";

fn config_text() -> String {
    format!(
        "# written by beam configure\n\
         [default]\n\
         token = {FILE_TOKEN}\n\
         gateway_host = gateway.beam.cloud\n\
         gateway_port = 443\n\
         \n\
         ; a second context\n\
         [staging]\n\
         token = \"{STAGING_TOKEN}\"\n\
         \n\
         [inherits]\n\
         gateway_host = other\n"
    )
}

#[test]
fn flag_token_beats_env_and_file() {
    let (server, mock) = server_for_token("flag-token-3333");
    let beam = Beam::new(&server.url());
    beam.config_file(&config_text());
    beam.args(["status", "t1", "--token", "flag-token-3333"])
        .run()
        .code(0);
    mock.assert();
}

#[test]
fn env_token_beats_file() {
    let (server, mock) = server_for_token(TOKEN);
    let beam = Beam::new(&server.url());
    beam.config_file(&config_text());
    beam.args(["status", "t1"]).run().code(0);
    mock.assert();
}

#[test]
fn file_token_of_default_context_is_used_without_flag_or_env() {
    let (server, mock) = server_for_token(FILE_TOKEN);
    let beam = Beam::new(&server.url()).env_remove("BEAM_TOKEN");
    beam.config_file(&config_text());
    let run = beam.args(["status", "t1"]).run().code(0);
    mock.assert();
    assert!(!run.stdout.contains(FILE_TOKEN) && !run.stderr.contains(FILE_TOKEN));
}

#[test]
fn context_flag_and_env_pick_a_section_and_quotes_are_trimmed() {
    for how in ["flag", "env"] {
        let (server, mock) = server_for_token(STAGING_TOKEN);
        let mut beam = Beam::new(&server.url()).env_remove("BEAM_TOKEN");
        beam.config_file(&config_text());
        beam = match how {
            "flag" => beam.args(["status", "t1", "--context", "staging"]),
            _ => beam
                .env("BEAM_CONFIG_CONTEXT", "staging")
                .args(["status", "t1"]),
        };
        beam.run().code(0);
        mock.assert();
    }
}

#[test]
fn context_without_token_inherits_the_default_token() {
    let (server, mock) = server_for_token(FILE_TOKEN);
    let beam = Beam::new(&server.url()).env_remove("BEAM_TOKEN");
    beam.config_file(&config_text());
    beam.args(["status", "t1", "--context", "inherits"])
        .run()
        .code(0);
    mock.assert();
}

#[test]
fn config_path_from_flag_and_env() {
    for how in ["flag", "env"] {
        let (server, mock) = server_for_token(FILE_TOKEN);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.ini");
        std::fs::write(&path, config_text()).unwrap();
        let beam = Beam::new(&server.url()).env_remove("BEAM_TOKEN");
        let beam = match how {
            "flag" => beam.args(["status", "t1", "--config"]).args([&path]),
            _ => beam.env("BEAM_CONFIG_PATH", &path).args(["status", "t1"]),
        };
        beam.run().code(0);
        mock.assert();
    }
}

#[test]
fn missing_context_exits_78_naming_context_and_file() {
    let beam = Beam::new("http://127.0.0.1:9").env_remove("BEAM_TOKEN");
    let path = beam.config_file(&config_text());
    let run = beam
        .args(["status", "t1", "--context", "prod"])
        .run()
        .code(78);
    assert!(run.stderr.contains("[prod]"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&path.display().to_string()),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("[staging]"),
        "lists what the file has: {}",
        run.stderr
    );
}

#[test]
fn no_token_anywhere_exits_78_naming_all_three_places() {
    let run = Beam::new("http://127.0.0.1:9")
        .env_remove("BEAM_TOKEN")
        .args(["status", "t1"])
        .run()
        .code(78);
    let first = run.stderr.lines().next().unwrap();
    assert!(first.starts_with("error: "), "{}", run.stderr);
    for place in ["--token", "BEAM_TOKEN", "~/.beam/config.ini"] {
        assert!(first.contains(place), "{place}: {first}");
    }
}

#[test]
fn default_context_without_token_exits_78_naming_context_and_file() {
    let beam = Beam::new("http://127.0.0.1:9").env_remove("BEAM_TOKEN");
    beam.config_file("[default]\ngateway_host = x\n");
    let run = beam.args(["status", "t1"]).run().code(78);
    assert!(
        run.stderr.contains(
            "no API token: none given with --token, in BEAM_TOKEN, \
             or in context [default] of ~/.beam/config.ini"
        ),
        "{}",
        run.stderr
    );
}

/// A config file elsewhere, and the arguments that name it in `how`.
fn named_config_file(beam: Beam, how: &str, text: &str) -> (Beam, tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.ini");
    std::fs::write(&path, text).unwrap();
    let beam = match how {
        "flag" => beam.args(["--config"]).args([&path]),
        _ => beam.env("BEAM_CONFIG_PATH", &path),
    };
    (beam, dir, path.display().to_string())
}

#[test]
fn named_config_file_without_token_is_the_file_named_in_the_message() {
    for how in ["flag", "env"] {
        let beam = Beam::new("http://127.0.0.1:9").env_remove("BEAM_TOKEN");
        // The default file has a token: it must not be read, nor named.
        beam.config_file(&config_text());
        let (beam, _dir, path) = named_config_file(beam, how, "[default]\ngateway_host = x\n");
        let run = beam.args(["status", "t1"]).run().code(78);
        let first = run.stderr.lines().next().unwrap();
        assert_eq!(
            first,
            format!(
                "error: no API token: none given with --token, in BEAM_TOKEN, \
                 or in context [default] of {path}"
            ),
            "{how}"
        );
        assert!(!run.stderr.contains("~/.beam"), "{how}: {}", run.stderr);
    }
}

#[test]
fn chosen_context_without_token_names_the_context_and_the_file() {
    let beam = Beam::new("http://127.0.0.1:9")
        .env_remove("BEAM_TOKEN")
        .args(["--context", "ci"]);
    let (beam, _dir, path) = named_config_file(
        beam,
        "flag",
        "[default]\ngateway_host = x\n[ci]\ngateway_port = 1\n",
    );
    let run = beam.args(["status", "t1"]).run().code(78);
    assert!(
        run.stderr
            .contains(&format!("or in context [ci] of {path}")),
        "{}",
        run.stderr
    );
}

#[test]
fn explicitly_chosen_default_context_that_the_file_lacks_exits_78_naming_it() {
    for how in ["flag", "env"] {
        let beam = Beam::new("http://127.0.0.1:9").env_remove("BEAM_TOKEN");
        let path = beam.config_file(&format!("[staging]\ntoken = {STAGING_TOKEN}\n"));
        let beam = match how {
            "flag" => beam.args(["--context", "default"]),
            _ => beam.env("BEAM_CONFIG_CONTEXT", "default"),
        };
        let run = beam.args(["status", "t1"]).run().code(78);
        assert_eq!(
            run.stderr,
            format!(
                "error: context [default] is not in {}\nhint: the file has: [staging]\n",
                path.display()
            ),
            "{how}"
        );
    }
}

#[test]
fn implicit_default_context_that_the_file_lacks_is_no_token_naming_all_three_places() {
    let beam = Beam::new("http://127.0.0.1:9").env_remove("BEAM_TOKEN");
    beam.config_file(&format!("[staging]\ntoken = {STAGING_TOKEN}\n"));
    let run = beam.args(["status", "t1"]).run().code(78);
    assert_eq!(
        run.stderr,
        "error: no API token: none given with --token, in BEAM_TOKEN, \
         or in ~/.beam/config.ini, which has no [default] context\n\
         hint: choose a context with --context or BEAM_CONFIG_CONTEXT \
         (the file has: [staging])\n"
    );
}

#[test]
fn context_flag_beats_context_env() {
    let (server, mock) = server_for_token(STAGING_TOKEN);
    let beam = Beam::new(&server.url())
        .env_remove("BEAM_TOKEN")
        .env("BEAM_CONFIG_CONTEXT", "prod");
    beam.config_file(&config_text());
    beam.args(["status", "t1", "--context", "staging"])
        .run()
        .code(0);
    mock.assert();
}

#[test]
fn a_token_given_twice_in_a_context_exits_78_naming_the_duplicate() {
    let beam = Beam::new("http://127.0.0.1:9").env_remove("BEAM_TOKEN");
    let path = beam.config_file("[default]\ntoken = first-1111\ntoken = second-2222\n");
    let run = beam.args(["status", "t1"]).run().code(78);
    assert_eq!(
        run.stderr,
        format!(
            "error: cannot read config file {}: line 3: key `token` appears twice in [default] (first on line 2)\n",
            path.display()
        )
    );
}

#[test]
fn empty_env_token_falls_through_to_the_file() {
    let (server, mock) = server_for_token(FILE_TOKEN);
    let beam = Beam::new(&server.url()).env("BEAM_TOKEN", "");
    beam.config_file(&config_text());
    beam.args(["status", "t1"]).run().code(0);
    mock.assert();
}

#[test]
fn malformed_config_file_exits_78() {
    let beam = Beam::new("http://127.0.0.1:9").env_remove("BEAM_TOKEN");
    beam.config_file("[default\ntoken = x\n");
    let run = beam.args(["status", "t1"]).run().code(78);
    assert!(run.stderr.contains("config file"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn named_config_file_that_does_not_exist_exits_78() {
    let run = Beam::new("http://127.0.0.1:9")
        .env_remove("BEAM_TOKEN")
        .args(["status", "t1", "--config", "/nonexistent/beam.ini"])
        .run()
        .code(78);
    assert!(
        run.stderr.contains("/nonexistent/beam.ini"),
        "{}",
        run.stderr
    );
}

#[test]
fn refused_token_exits_77_naming_its_source() {
    for (status, source, extra) in [
        (401, "BEAM_TOKEN", vec![]),
        (403, "--token", vec!["--token", "some-flag-token"]),
    ] {
        let mut server = mockito::Server::new();
        mock_task(&mut server, "t1", status, r#"{"message":"Unauthorized"}"#);
        let run = Beam::new(&server.url())
            .args(["status", "t1"])
            .args(extra)
            .run()
            .code(77);
        assert!(
            run.stderr.contains(&format!(
                "token from {source} (HTTP {status}): Unauthorized"
            )),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("some-flag-token"));
    }
}

#[test]
fn refused_file_token_names_the_file_and_context() {
    let mut server = mockito::Server::new();
    mock_task(&mut server, "t1", 401, "");
    let beam = Beam::new(&server.url()).env_remove("BEAM_TOKEN");
    let path = beam.config_file(&config_text());
    let run = beam
        .args(["status", "t1", "--context", "staging"])
        .run()
        .code(77);
    assert!(
        run.stderr
            .contains(&format!("context [staging] of {}", path.display())),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_api_url_exits_78() {
    for url in ["not a url", "ftp://x.example", "http://api.beam.cloud"] {
        let run = Beam::new(url).args(["status", "t1"]).run().code(78);
        assert!(run.stderr.contains("--api-url"), "{url}: {}", run.stderr);
    }
}

#[test]
fn api_url_with_a_password_is_refused_without_echoing_it() {
    let run = Beam::new("https://someone:hunter2-secret@api.beam.cloud")
        .args(["status", "t1"])
        .run()
        .code(78);
    assert!(run.stderr.contains("user or password"), "{}", run.stderr);
    assert!(!run.stderr.contains("hunter2-secret"), "{}", run.stderr);
}

// The environment as CI templates leave it.

/// A proxy that refuses every tunnel, recording what it was asked: a
/// request to a real host name ends there, on loopback.
fn refusing_proxy() -> Server {
    Server::http(|_| Reply::status(502).close())
}

#[test]
fn empty_environment_variables_count_as_unset() {
    let (server, mock) = server_for_token(FILE_TOKEN);
    let beam = Beam::new(&server.url())
        .env("BEAM_TOKEN", "")
        .env("BEAM_CONFIG_PATH", "")
        .env("BEAM_CONFIG_CONTEXT", "")
        .env("BEAM_WORKSPACE", "");
    // The default file, its default context.
    beam.config_file(&config_text());
    beam.args(["status", "t1"]).run().code(0);
    mock.assert();
}

/// An empty `BEAM_API_URL` or `BEAM_APP_URL` is the default URL, reached
/// here through a local proxy that refuses the tunnel.
#[test]
fn empty_url_variables_mean_the_default_urls() {
    for (variable, command, host) in [
        ("BEAM_API_URL", "status", "api.beam.cloud:443"),
        ("BEAM_APP_URL", "list", "app.beam.cloud:443"),
    ] {
        let proxy = refusing_proxy();
        let mut beam = Beam::new("http://127.0.0.1:9")
            .env(variable, "")
            .env("HTTPS_PROXY", proxy.url());
        beam = match command {
            "status" => beam.args(["status", "t1", "--retries", "0"]),
            _ => beam.args(["list"]),
        };
        let run = beam.run();
        assert_ne!(run.code, 78, "{variable}: {run:#?}");
        let requests = proxy.requests();
        assert!(!requests.is_empty(), "{variable}: {run:#?}");
        for request in requests {
            assert_eq!(request.target, host, "{variable}");
        }
    }
}

#[cfg(unix)]
fn not_utf8() -> std::ffi::OsString {
    use std::os::unix::ffi::OsStringExt;
    std::ffi::OsString::from_vec(b"abc\xff".to_vec())
}

#[cfg(unix)]
#[test]
fn a_token_that_is_not_utf8_exits_78_before_any_request() {
    let mut server = mockito::Server::new();
    let mock = server.mock("GET", "/v2/task/t1/").expect(0).create();
    let by_env = Beam::new(&server.url())
        .env("BEAM_TOKEN", not_utf8())
        .args(["status", "t1"])
        .run()
        .code(78);
    assert_eq!(
        by_env.stderr,
        "error: the token from BEAM_TOKEN contains control or non-ASCII characters\n"
    );
    let by_flag = Beam::new(&server.url())
        .args(["--token".into(), not_utf8(), "status".into(), "t1".into()])
        .run()
        .code(78);
    assert_eq!(
        by_flag.stderr,
        "error: the token from --token contains control or non-ASCII characters\n"
    );
    mock.assert();
}

#[cfg(unix)]
#[test]
fn a_variable_that_is_not_utf8_does_not_stop_a_command_that_does_not_use_it() {
    for variable in [
        "BEAM_TOKEN",
        "BEAM_API_URL",
        "BEAM_APP_URL",
        "BEAM_CONFIG_CONTEXT",
        "BEAM_CONFIG_PATH",
        "BEAM_WORKSPACE",
    ] {
        let run = Beam::new("http://127.0.0.1:9")
            .env(variable, not_utf8())
            .args(["completions", "bash"])
            .run();
        assert_eq!(run.code, 0, "{variable}: {}", run.stderr);
        assert!(run.stdout.contains("beam-task"), "{variable}");
    }
}

#[test]
fn a_token_with_white_space_exits_78_before_any_request() {
    let mut server = mockito::Server::new();
    let mock = server.mock("GET", "/v2/task/t1/").expect(0).create();
    for (token, says) in [
        ("   ", "is only white space"),
        ("\t", "is only white space"),
        ("abc def", "contains white space"),
        ("abc ", "contains white space"),
    ] {
        let run = Beam::new(&server.url())
            .env("BEAM_TOKEN", token)
            .args(["status", "t1"])
            .run()
            .code(78);
        assert_eq!(
            run.stderr,
            format!("error: the token from BEAM_TOKEN {says}\n"),
            "{token:?}"
        );
        let run = Beam::new(&server.url())
            .args(["--token", token, "status", "t1"])
            .run()
            .code(78);
        assert!(run.stderr.contains(says), "{token:?}: {}", run.stderr);
    }
    mock.assert();
}

// The config file's faults, told as the file's own.

/// `text` as `c.ini` in a temp folder, named with `--config`.
fn with_config_flag(text: &str) -> (Beam, tempfile::TempDir, String) {
    let beam = Beam::new("http://127.0.0.1:9").env_remove("BEAM_TOKEN");
    named_config_file(beam, "flag", text)
}

#[test]
fn a_line_that_is_no_key_value_exits_78_naming_the_file_and_the_line() {
    // `baz` alone once swallowed the `token` line after it.
    let (beam, _dir, path) = with_config_flag("[default]\nbaz\ntoken = abc\n");
    let run = beam.args(["status", "t1"]).run().code(78);
    assert_eq!(
        run.stderr,
        format!(
            "error: cannot read config file {path}: line 2: not a [section] header, \
             a `key = value` line, a comment or a blank line\n"
        )
    );
}

#[test]
fn config_parse_errors_are_plain_words_never_parser_debug_text() {
    for text in ["[default\ntoken = x\n", "[default]\n= x\n", "token\n"] {
        let (beam, _dir, path) = with_config_flag(text);
        let run = beam.args(["status", "t1"]).run().code(78);
        assert!(
            run.stderr
                .starts_with(&format!("error: cannot read config file {path}: line ")),
            "{text:?}: {}",
            run.stderr
        );
        for debug in ["Some(", "expecting", "[\"", "\\n"] {
            assert!(!run.stderr.contains(debug), "{text:?}: {}", run.stderr);
        }
        assert_eq!(run.stderr.lines().count(), 1, "{text:?}: {}", run.stderr);
    }
}

#[cfg(unix)]
#[test]
fn a_config_file_over_1_mib_is_refused_without_reading_it_all() {
    // /dev/zero never ends: read whole, it would fill the memory.
    let run = Beam::new("http://127.0.0.1:9")
        .env_remove("BEAM_TOKEN")
        .args(["--config", "/dev/zero", "status", "t1"])
        .run()
        .code(78);
    assert_eq!(
        run.stderr,
        "error: cannot read config file /dev/zero: it is larger than 1 MiB\n"
    );
}

#[test]
fn a_missing_default_config_file_is_said_not_to_exist() {
    let run = Beam::new("http://127.0.0.1:9")
        .env_remove("BEAM_TOKEN")
        .args(["status", "t1"])
        .run()
        .code(78);
    assert!(
        run.stderr.starts_with(
            "error: no API token: none given with --token, in BEAM_TOKEN, \
             or in ~/.beam/config.ini, which does not exist\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_empty_variable_still_shows_in_the_help_and_the_man_page() {
    for args in [&["status", "--help"][..], &["man"]] {
        let run = Beam::new("http://127.0.0.1:9")
            .env("BEAM_API_URL", "")
            .args(args)
            .run()
            .code(0);
        assert!(run.stdout.contains("BEAM_API_URL"), "{args:?}");
    }
}
