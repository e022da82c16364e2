//! `beam-task download` against a local Beam (mockito, or the scriptable
//! server where the answers change from read to read) and a local storage
//! host (`support::Server`), which records every request: a download never
//! carries the token.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{Beam, Reply, Server, TOKEN, mock_task, task_json};

/// A task body with `status` and these outputs: (name, url, expires_in).
fn task_with(status: &str, outputs: &[(&str, &str, i64)]) -> String {
    let mut task: Value = serde_json::from_str(&task_json(status)).unwrap();
    task["outputs"] = outputs
        .iter()
        .map(|(name, url, expires_in)| json!({"name": name, "url": url, "expires_in": expires_in}))
        .collect();
    task.to_string()
}

/// A storage host that serves `files[i]` at `/files/{i}` (any query).
fn storage(files: &[&[u8]]) -> Server {
    let files: Vec<Vec<u8>> = files.iter().map(|f| f.to_vec()).collect();
    Server::http(move |request| file_reply(&files, request.path()))
}

fn file_reply(files: &[Vec<u8>], path: &str) -> Reply {
    let index: usize = path
        .strip_prefix("/files/")
        .and_then(|i| i.parse().ok())
        .unwrap_or_else(|| panic!("not a file's path: {path}"));
    Reply::status(200)
        .header("content-type", "application/octet-stream")
        .body(files[index].clone())
}

/// The pre-signed link of file `index` on `storage`, signed `sig`.
fn link(storage: &Server, index: usize, sig: &str) -> String {
    format!("{}/files/{index}?X-Amz-Signature={sig}", storage.url())
}

/// A local Beam answering each (id, body) at every read.
fn api(tasks: &[(&str, String)]) -> mockito::ServerGuard {
    let mut server = mockito::Server::new();
    for (id, body) in tasks {
        server
            .mock("GET", format!("/v2/task/{id}/").as_str())
            .match_header("authorization", format!("Bearer {TOKEN}").as_str())
            .with_header("content-type", "application/json")
            .with_body(body)
            .expect_at_least(0)
            .create();
    }
    server
}

/// A task body with `status` and one output, `name`: file `index` of
/// `storage`, behind a link that lives an hour.
fn only(status: &str, storage: &Server, index: usize, name: &str) -> String {
    task_with(status, &[(name, &link(storage, index, "s"), 3600)])
}

/// A local Beam whose task `t1` is COMPLETE with one output, `name`: the
/// first file of `storage`.
fn single(storage: &Server, name: &str) -> mockito::ServerGuard {
    api(&[("t1", only("COMPLETE", storage, 0, name))])
}

/// `beam-task download ARGS -d DIR` against `api`.
fn download(api: &str, dir: &Path, args: &[&str]) -> Beam {
    Beam::new(api).args(["download"]).args(args).arg_dir(dir)
}

trait DirArg {
    fn arg_dir(self, dir: &Path) -> Beam;
}

impl DirArg for Beam {
    fn arg_dir(self, dir: &Path) -> Beam {
        self.args([std::ffi::OsStr::new("-d"), dir.as_os_str()])
    }
}

/// Every path under `dir`, relative, sorted; links are listed, not
/// followed.
fn listing(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let relative = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if std::fs::symlink_metadata(&path).unwrap().is_dir() {
                folders.push(path);
            }
            found.push(relative);
        }
    }
    found.sort();
    found
}

/// No request to the storage host carried an `Authorization` header.
fn assert_no_token(storage: &Server) {
    let requests = storage.requests();
    assert!(!requests.is_empty(), "the storage host was asked nothing");
    for request in requests {
        assert_eq!(request.header("authorization"), None, "{request:?}");
        assert!(!format!("{request:?}").contains(TOKEN), "{request:?}");
    }
}

fn error_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("error:")).collect()
}

#[test]
fn outputs_are_saved_under_their_names_without_the_token() {
    let files = storage(&[b"png bytes", b"{\"answer\": 42}\n"]);
    let api = api(&[(
        "t1",
        task_with(
            "COMPLETE",
            &[
                ("result.png", &link(&files, 0, "a"), 3600),
                ("answer.json", &link(&files, 1, "b"), 3600),
            ],
        ),
    )]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let run = download(&api.url(), &out, &["t1"]).run().code(0);
    assert_eq!(std::fs::read(out.join("result.png")).unwrap(), b"png bytes");
    assert_eq!(
        std::fs::read(out.join("answer.json")).unwrap(),
        b"{\"answer\": 42}\n"
    );
    assert_eq!(
        listing(dir.path()),
        ["results", "results/answer.json", "results/result.png"]
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            out.join("answer.json").to_str().unwrap(),
            out.join("result.png").to_str().unwrap()
        ],
        "the paths, by name"
    );
    assert_no_token(&files);
    let targets: Vec<String> = files.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(targets.len(), 2);
    for target in targets {
        assert!(
            target.contains("X-Amz-Signature="),
            "the link as sent: {target}"
        );
    }
    // Not a terminal: one line per saved file, for logs.
    assert!(run.stderr.contains("saved "), "{}", run.stderr);
}

#[test]
fn without_dir_files_go_to_the_current_folder_and_paths_are_bare_names() {
    let files = storage(&[b"abc"]);
    let api = single(&files, "a.txt");
    let beam = Beam::shell(&api.url(), "sh", "beam-task download t1 && cat a.txt");
    let run = beam.run().code(0);
    assert_eq!(run.stdout, "a.txt\nabc");
}

#[test]
fn several_tasks_get_a_folder_each_and_so_do_ids_from_stdin() {
    let files = storage(&[b"one", b"two"]);
    let api = api(&[
        ("t1", only("COMPLETE", &files, 0, "out.txt")),
        ("t2", only("COMPLETE", &files, 1, "out.txt")),
    ]);
    let dir = tempfile::tempdir().unwrap();
    download(&api.url(), dir.path(), &["t1", "t2"])
        .run()
        .code(0);
    assert_eq!(
        listing(dir.path()),
        ["t1", "t1/out.txt", "t2", "t2/out.txt"]
    );
    assert_eq!(
        std::fs::read(dir.path().join("t2/out.txt")).unwrap(),
        b"two"
    );

    let from_stdin = tempfile::tempdir().unwrap();
    download(&api.url(), from_stdin.path(), &["-"])
        .stdin("t1\n")
        .run()
        .code(0);
    assert_eq!(listing(from_stdin.path()), ["t1", "t1/out.txt"]);
}

#[test]
fn json_lists_task_name_path_bytes_and_whether_saved() {
    let files = storage(&[b"12345"]);
    let api = single(&files, "a.bin");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.bin").to_string_lossy().into_owned();
    let run = download(&api.url(), dir.path(), &["t1", "--json"])
        .run()
        .code(0);
    assert_eq!(
        run.json(),
        json!([{"task": "t1", "name": "a.bin", "path": path, "bytes": 5, "saved": true}])
    );
    let again = download(&api.url(), dir.path(), &["t1", "--json"])
        .run()
        .code(0);
    assert_eq!(
        again.json(),
        json!([{"task": "t1", "name": "a.bin", "path": path, "bytes": 5, "saved": false}])
    );
}

/// `--json` is an array whatever happens, `[]` when the run fails before
/// any file is shown: `jq length` always works.
#[test]
fn json_is_an_empty_array_when_there_is_no_token() {
    let api = mockito::Server::new();
    let dir = tempfile::tempdir().unwrap();
    for ids in [&["a", "b"][..], &["a"]] {
        let run = download(&api.url(), dir.path(), ids)
            .args(["--json"])
            .env_remove("BEAM_TOKEN")
            .run()
            .code(78);
        assert_eq!(run.stdout, "[]\n", "{ids:?}");
    }
    for quiet in ["-q", "--quiet"] {
        let run = download(&api.url(), dir.path(), &["a", "b", "--json", quiet])
            .env_remove("BEAM_TOKEN")
            .run()
            .code(78);
        assert_eq!(run.stdout, "", "{quiet}");
    }
    let run = download(&api.url(), dir.path(), &["a", "b"])
        .env_remove("BEAM_TOKEN")
        .run()
        .code(78);
    assert_eq!(run.stdout, "", "no --json: no path, nothing");
}

#[test]
fn json_is_an_empty_array_when_the_folder_cannot_be_created() {
    let files = storage(&[b"x", b"y"]);
    let api = api(&[
        ("t1", only("COMPLETE", &files, 0, "a")),
        ("t2", only("COMPLETE", &files, 1, "b")),
    ]);
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let run = download(&api.url(), &file, &["t1", "t2", "--json"])
        .run()
        .code(73);
    assert_eq!(run.stdout, "[]\n");
    assert_eq!(error_lines(&run.stderr).len(), 1, "{}", run.stderr);
}

/// A file that fails, and a task that is not there, after the array was
/// opened: it is closed all the same.
#[test]
fn json_stays_valid_when_tasks_fail_after_the_array_was_opened() {
    let files = Server::http(|request| match request.path() {
        "/files/0" => Reply::status(200).body("ok"),
        _ => Reply::status(502),
    });
    let mut api = api(&[
        ("t1", only("COMPLETE", &files, 0, "a")),
        ("t2", only("COMPLETE", &files, 1, "b")),
    ]);
    mock_task(&mut api, "gone", 404, r#"{"message":""}"#);
    let dir = tempfile::tempdir().unwrap();
    let run = download(
        &api.url(),
        dir.path(),
        &["t1", "t2", "gone", "--json", "--retries", "0"],
    )
    .run()
    .code(69);
    let path = dir.path().join("t1/a").to_string_lossy().into_owned();
    assert_eq!(
        run.json(),
        json!([{"task": "t1", "name": "a", "path": path, "bytes": 2, "saved": true}])
    );
    assert_eq!(error_lines(&run.stderr).len(), 2, "{}", run.stderr);
}

#[test]
fn quiet_prints_nothing_on_stdout_and_no_progress() {
    let files = storage(&[b"x"]);
    let api = single(&files, "a");
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1", "-q"])
        .run()
        .code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "");
    assert!(dir.path().join("a").is_file());
}

/// `-q` silences notes as it does in every command (a file already there,
/// a task without outputs, one not finished, one whose outputs are saved
/// all the same); errors still go to stderr.
#[test]
fn quiet_silences_notes_but_not_errors() {
    let files = storage(&[b"kept", b"log"]);
    let mut api = api(&[
        ("there", only("COMPLETE", &files, 0, "a.txt")),
        ("empty", task_json("COMPLETE")),
        ("failed", only("FAILED", &files, 1, "log.txt")),
        ("running", only("RUNNING", &files, 1, "log.txt")),
    ]);
    mock_task(&mut api, "gone", 404, r#"{"message":""}"#);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("there")).unwrap();
    std::fs::write(dir.path().join("there/a.txt"), "old").unwrap();
    let ids = ["there", "empty", "failed", "running", "gone"];
    let loud = download(&api.url(), dir.path(), &ids).run().code(66);
    for note in [
        "already there",
        "has no outputs",
        "saved all the same",
        "wait for it first",
    ] {
        assert!(loud.stderr.contains(note), "{note}: {}", loud.stderr);
    }
    std::fs::remove_file(dir.path().join("failed/log.txt")).unwrap();
    let quiet = download(&api.url(), dir.path(), &ids)
        .args(["-q"])
        .run()
        .code(66);
    assert_eq!(
        quiet.stderr,
        "error: task gone not found\n\
         hint: check the ID, and that the token belongs to the task's workspace\n"
    );
    assert_eq!(quiet.stdout, "");
    assert_eq!(
        std::fs::read(dir.path().join("failed/log.txt")).unwrap(),
        b"log"
    );
}

#[test]
fn files_download_jobs_at_a_time() {
    let names = ["a", "b", "c", "d", "e", "f"];
    for jobs in [1, 3] {
        // Each answer waits a moment, so that the requests overlap if they
        // can.
        let files = Server::http(|_| {
            Reply::status(200)
                .body("x")
                .after(Duration::from_millis(200))
        });
        let links: Vec<String> = (0..names.len()).map(|i| link(&files, i, "s")).collect();
        let outputs: Vec<(&str, &str, i64)> = names
            .iter()
            .zip(&links)
            .map(|(name, url)| (*name, url.as_str(), 3600))
            .collect();
        let api = api(&[("t1", task_with("COMPLETE", &outputs))]);
        let dir = tempfile::tempdir().unwrap();
        download(&api.url(), dir.path(), &["t1", "--jobs", &jobs.to_string()])
            .run()
            .code(0);
        assert_eq!(listing(dir.path()), names);
        assert_eq!(files.most_in_flight(), jobs, "--jobs {jobs}");
    }
}

// Names from the server are untrusted.

#[test]
fn hostile_names_are_refused_one_error_each_and_nothing_leaves_the_folder() {
    let hostile = [
        "../../x",
        "a/b",
        "..",
        ".",
        "",
        "a\nb",
        "a\\b",
        "/etc/passwd",
        "nul\0",
        "\u{1b}[31mred",
    ];
    let files = storage(&[b"good"]);
    let mut outputs: Vec<(&str, String, i64)> = hostile
        .iter()
        .map(|name| (*name, link(&files, 0, "never-asked"), 3600))
        .collect();
    outputs.push(("good.txt", link(&files, 0, "good"), 3600));
    let outputs: Vec<(&str, &str, i64)> = outputs
        .iter()
        .map(|(name, url, expires)| (*name, url.as_str(), *expires))
        .collect();
    let api = api(&[("t1", task_with("COMPLETE", &outputs))]);
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("a").join("b").join("out");
    let run = download(&api.url(), &dir, &["t1"]).run().code(76);
    assert_eq!(
        listing(root.path()),
        ["a", "a/b", "a/b/out", "a/b/out/good.txt"],
        "nothing but the good file, and only in the folder"
    );
    let errors = error_lines(&run.stderr);
    assert_eq!(errors.len(), hostile.len(), "{}", run.stderr);
    for line in &errors {
        assert!(line.contains("refused"), "{line}");
        assert!(
            !line.contains('\u{1b}'),
            "no escape reaches the terminal: {line:?}"
        );
    }
    assert!(
        run.stderr.contains(r#""a\nb""#),
        "the name shown escaped: {}",
        run.stderr
    );
    assert!(run.stderr.contains(r#""../../x""#), "{}", run.stderr);
    assert_eq!(files.requests().len(), 1, "only the good file is asked for");
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
}

#[test]
fn a_name_given_twice_is_saved_once_and_the_second_refused() {
    let files = storage(&[b"first", b"second"]);
    let api = api(&[(
        "t1",
        task_with(
            "COMPLETE",
            &[
                ("a.txt", &link(&files, 0, "s"), 3600),
                ("a.txt", &link(&files, 1, "s"), 3600),
            ],
        ),
    )]);
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1"]).run().code(76);
    assert_eq!(std::fs::read(dir.path().join("a.txt")).unwrap(), b"first");
    assert!(run.stderr.contains("same name"), "{}", run.stderr);
}

#[test]
fn an_output_without_a_link_or_with_a_clear_text_link_exits_76_asking_nothing() {
    let mut task: Value = serde_json::from_str(&task_with(
        "COMPLETE",
        &[("b.txt", "http://files.example.com/b?sig=1", 3600)],
    ))
    .unwrap();
    task["outputs"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "a.txt"}));
    let api = api(&[("t1", task.to_string())]);
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1"]).run().code(76);
    assert!(
        run.stderr
            .contains(r#"output "a.txt": the task gives it no link"#),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("clear text"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("sig=1"),
        "the signature is never shown: {}",
        run.stderr
    );
    assert!(listing(dir.path()).is_empty());
}

// Existing files and symbolic links.

#[test]
fn an_existing_file_is_kept_with_a_note_unless_force() {
    let files = storage(&[b"new"]);
    let api = single(&files, "a.txt");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.txt");
    std::fs::write(&path, "old").unwrap();
    let run = download(&api.url(), dir.path(), &["t1"]).run().code(0);
    assert_eq!(std::fs::read(&path).unwrap(), b"old");
    assert!(run.stderr.contains("already there"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(
        run.stdout.trim(),
        path.to_str().unwrap(),
        "it counts as present"
    );
    assert!(files.requests().is_empty(), "nothing downloaded");

    let run = download(&api.url(), dir.path(), &["t1", "--force"])
        .run()
        .code(0);
    assert_eq!(std::fs::read(&path).unwrap(), b"new");
    assert!(!run.stderr.contains("already there"), "{}", run.stderr);
    assert_eq!(listing(dir.path()), ["a.txt"]);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_never_followed_and_force_replaces_the_link_itself() {
    let files = storage(&[b"downloaded"]);
    let api = single(&files, "a.txt");
    let root = tempfile::tempdir().unwrap();
    let outside = root.path().join("outside.txt");
    std::fs::write(&outside, "precious").unwrap();
    let dir = root.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("a.txt")).unwrap();

    let run = download(&api.url(), &dir, &["t1"]).run().code(0);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(std::fs::read(&outside).unwrap(), b"precious");
    assert!(
        std::fs::symlink_metadata(dir.join("a.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );

    download(&api.url(), &dir, &["t1", "--force"]).run().code(0);
    assert_eq!(
        std::fs::read(&outside).unwrap(),
        b"precious",
        "the target is untouched"
    );
    let meta = std::fs::symlink_metadata(dir.join("a.txt")).unwrap();
    assert!(meta.is_file(), "the link itself was replaced");
    assert_eq!(std::fs::read(dir.join("a.txt")).unwrap(), b"downloaded");
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_place_of_a_task_folder_is_not_followed_73() {
    let files = storage(&[b"x", b"y"]);
    let api = api(&[
        ("t1", only("COMPLETE", &files, 0, "a.txt")),
        ("t2", only("COMPLETE", &files, 1, "a.txt")),
    ]);
    let root = tempfile::tempdir().unwrap();
    let elsewhere = root.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let dir = root.path().join("out");
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join("t1")).unwrap();
    let run = download(&api.url(), &dir, &["t1", "t2"]).run().code(73);
    assert!(
        listing(&elsewhere).is_empty(),
        "nothing written through the link"
    );
    assert_eq!(error_lines(&run.stderr).len(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(std::fs::read(dir.join("t2/a.txt")).unwrap(), b"y");
}

#[test]
fn a_folder_that_cannot_be_created_exits_73_once() {
    let files = storage(&[b"x", b"y"]);
    let api = api(&[(
        "t1",
        task_with(
            "COMPLETE",
            &[
                ("a", &link(&files, 0, "s"), 3600),
                ("b", &link(&files, 1, "s"), 3600),
            ],
        ),
    )]);
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    for dir in [file.clone(), file.join("below")] {
        let run = download(&api.url(), &dir, &["t1"]).run().code(73);
        let errors = error_lines(&run.stderr);
        assert_eq!(errors.len(), 1, "{}", run.stderr);
        assert!(errors[0].contains("cannot create"), "{}", run.stderr);
    }
    assert!(files.requests().is_empty());
}

#[test]
fn a_file_that_cannot_be_written_exits_73() {
    let files = storage(&[b"x"]);
    let api = api(&[("a", only("COMPLETE", &files, 0, "f"))]);
    let dir = tempfile::tempdir().unwrap();
    // A folder with the output's name is in the way of --force's rename.
    std::fs::create_dir_all(dir.path().join("f/inside")).unwrap();
    let run = download(&api.url(), dir.path(), &["a", "--force"])
        .run()
        .code(73);
    assert!(run.stderr.contains("cannot create"), "{}", run.stderr);
    assert_eq!(
        listing(dir.path()),
        ["f", "f/inside"],
        "no temporary file left"
    );
}

// Expired links.

/// A storage host that refuses links signed `old` with `status` and
/// `body`, and serves the others.
fn expiring_storage(files: &[&[u8]], status: u16, body: &'static str) -> Server {
    let files: Vec<Vec<u8>> = files.iter().map(|f| f.to_vec()).collect();
    Server::http(move |request| {
        if request.target.ends_with("=old") {
            Reply::status(status).body(body)
        } else {
            file_reply(&files, request.path())
        }
    })
}

/// A local Beam whose first read of `t1` gives links signed `old` (living
/// `first_life` seconds), and every later read fresh links signed `new`,
/// the outputs in the reverse order.
fn refreshing_api(storage: &Server, first_life: i64) -> Server {
    let (old_a, old_b) = (link(storage, 0, "old"), link(storage, 1, "old"));
    let (new_a, new_b) = (link(storage, 0, "new"), link(storage, 1, "new"));
    Server::http(move |request| {
        assert_eq!(request.path(), "/v2/task/t1/");
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        let body = if request.target_index == 0 {
            task_with(
                "COMPLETE",
                &[("a.txt", &old_a, first_life), ("b.txt", &old_b, first_life)],
            )
        } else {
            task_with(
                "COMPLETE",
                &[("b.txt", &new_b, 3600), ("a.txt", &new_a, 3600)],
            )
        };
        Reply::json(body)
    })
}

#[test]
fn expired_links_are_refreshed_once_from_the_task_and_matched_by_name() {
    let s3 = "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>";
    let gateway = r#"{"error":"invalid output id"}"#;
    for (status, body) in [(403, s3), (400, gateway), (404, "")] {
        let files = expiring_storage(&[b"AAA", b"BBB"], status, body);
        let api = refreshing_api(&files, 3600);
        let dir = tempfile::tempdir().unwrap();
        download(&api.url(), dir.path(), &["t1"]).run().code(0);
        assert_eq!(
            std::fs::read(dir.path().join("a.txt")).unwrap(),
            b"AAA",
            "{status}"
        );
        assert_eq!(
            std::fs::read(dir.path().join("b.txt")).unwrap(),
            b"BBB",
            "{status}"
        );
        assert_eq!(
            api.requests().len(),
            2,
            "{status}: one read, one more for both files"
        );
        assert_no_token(&files);
    }
}

#[test]
fn a_link_past_its_expires_in_is_refreshed_before_it_is_used() {
    let files = expiring_storage(&[b"AAA", b"BBB"], 403, "");
    let api = refreshing_api(&files, 0);
    let dir = tempfile::tempdir().unwrap();
    download(&api.url(), dir.path(), &["t1"]).run().code(0);
    assert_eq!(std::fs::read(dir.path().join("b.txt")).unwrap(), b"BBB");
    let asked: Vec<String> = files.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(
        asked.iter().all(|t| t.ends_with("=new")),
        "old links unused: {asked:?}"
    );
}

#[test]
fn a_link_refused_even_when_fresh_exits_69_after_one_refresh() {
    let files = Server::http(|_| {
        Reply::status(403).body("<Error><Message>Request has expired</Message></Error>")
    });
    let api = refreshing_api(&files, 3600);
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1"]).run().code(69);
    assert_eq!(api.requests().len(), 2, "the task is read again once");
    assert_eq!(
        files.requests().len(),
        4,
        "each file: the old link, then the fresh one"
    );
    let errors = error_lines(&run.stderr);
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(errors[0].contains("a.txt"), "{}", errors[0]);
    assert!(errors[0].contains("Request has expired"), "{}", errors[0]);
    assert!(
        errors[0].contains("even with a fresh link"),
        "{}",
        errors[0]
    );
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

// Bodies cut short, stalls, timeouts.

#[test]
fn a_body_cut_short_is_retried_and_then_exits_69_leaving_nothing() {
    let once = Server::http(|request| match request.index {
        0 => Reply::status(200).body("par").cut_short(100),
        _ => Reply::status(200).body("whole file"),
    });
    let api = single(&once, "f");
    let dir = tempfile::tempdir().unwrap();
    download(&api.url(), dir.path(), &["t1"]).run().code(0);
    assert_eq!(std::fs::read(dir.path().join("f")).unwrap(), b"whole file");
    assert_eq!(once.requests().len(), 2);

    let always = Server::http(|_| Reply::status(200).body("par").cut_short(100));
    let api = single(&always, "f");
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1", "--retries", "2"])
        .run()
        .code(69);
    assert_eq!(always.requests().len(), 3, "the first try and two more");
    assert!(
        run.stderr.contains("before the answer was complete"),
        "{}",
        run.stderr
    );
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[test]
fn a_reset_mid_body_and_a_503_are_retried() {
    let files = Server::http(|request| match request.index {
        0 => Reply::status(200).body(vec![7u8; 50_000]).reset(20_000),
        1 => Reply::status(503),
        _ => Reply::status(200).body(vec![7u8; 50_000]),
    });
    let api = single(&files, "f");
    let dir = tempfile::tempdir().unwrap();
    download(&api.url(), dir.path(), &["t1"]).run().code(0);
    assert_eq!(
        std::fs::read(dir.path().join("f")).unwrap(),
        vec![7u8; 50_000]
    );
    assert_eq!(files.requests().len(), 3);
}

#[test]
fn the_request_timeout_does_not_cut_a_download_that_keeps_coming() {
    // At a clock scale of 0.1, the request timeout of 1 s is 100 ms: 40
    // bytes, one each 10 ms, take four times that.
    let files = Server::http(|_| {
        Reply::status(200)
            .body("0123456789012345678901234567890123456789")
            .drip(Duration::from_millis(10))
    });
    let api = single(&files, "f");
    let dir = tempfile::tempdir().unwrap();
    download(&api.url(), dir.path(), &["t1", "--retries", "0"])
        .env("BEAM_TASK_TIME_SCALE", "0.1")
        .args(["--request-timeout", "1s"])
        .run()
        .code(0);
    assert_eq!(std::fs::read(dir.path().join("f")).unwrap().len(), 40);
}

#[test]
fn a_download_that_stalls_is_cut_off_at_the_request_timeout() {
    let files = Server::http(|_| Reply::status(200).body("abc").drip(Duration::from_secs(5)));
    let api = single(&files, "f");
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1", "--retries", "0"])
        .args(["--request-timeout", "1s"])
        .run()
        .code(69);
    assert!(
        run.stderr.contains("sent nothing for 1 s"),
        "{}",
        run.stderr
    );
    assert!(listing(dir.path()).is_empty());
}

#[test]
fn a_file_over_the_api_size_limit_is_streamed_whole() {
    let big: Vec<u8> = (0..12 * 1024 * 1024)
        .map(|i: u32| (i % 251) as u8)
        .collect();
    let files = storage(&[&big]);
    let api = single(&files, "big");
    let dir = tempfile::tempdir().unwrap();
    download(&api.url(), dir.path(), &["t1", "-q"])
        .run()
        .code(0);
    assert!(std::fs::read(dir.path().join("big")).unwrap() == big);
}

// Exit codes.

#[test]
fn an_unfinished_task_is_not_downloaded_and_exits_8() {
    let files = storage(&[b"x"]);
    let api = api(&[("t1", only("RUNNING", &files, 0, "a"))]);
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), &dir.path().join("new"), &["t1"])
        .run()
        .code(8);
    assert!(run.stderr.contains("wait for it first"), "{}", run.stderr);
    assert!(files.requests().is_empty());
    assert!(
        listing(dir.path()).is_empty(),
        "not even the folder is made"
    );
}

#[test]
fn a_failed_tasks_outputs_are_saved_and_it_exits_with_its_status() {
    let files = storage(&[b"log"]);
    for (status, code) in [
        ("FAILED", 10),
        ("ERROR", 10),
        ("CANCELLED", 11),
        ("TIMEOUT", 12),
    ] {
        let api = api(&[("t1", only(status, &files, 0, "log.txt"))]);
        let dir = tempfile::tempdir().unwrap();
        let run = download(&api.url(), dir.path(), &["t1"]).run().code(code);
        assert!(run.stderr.contains("saved all the same"), "{}", run.stderr);
        assert_eq!(
            std::fs::read(dir.path().join("log.txt")).unwrap(),
            b"log",
            "{status}"
        );
    }
}

#[test]
fn a_task_without_outputs_is_a_note_not_an_error() {
    let api = api(&[("t1", task_json("COMPLETE"))]);
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1"]).run().code(0);
    assert!(
        run.stderr.contains("task t1 has no outputs"),
        "{}",
        run.stderr
    );
    assert!(error_lines(&run.stderr).is_empty());
}

#[test]
fn failures_outrank_statuses_and_the_first_in_order_wins() {
    let files = Server::http(|_| Reply::status(502));
    let mut api = api(&[
        ("t1", task_with("FAILED", &[])),
        ("t2", only("COMPLETE", &files, 0, "f")),
    ]);
    mock_task(&mut api, "gone", 404, r#"{"message":""}"#);
    let dir = tempfile::tempdir().unwrap();
    let run = download(
        &api.url(),
        dir.path(),
        &["t1", "t2", "gone", "--retries", "0"],
    )
    .run()
    .code(69);
    let errors = error_lines(&run.stderr);
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].contains("t2"),
        "in the order given: {}",
        run.stderr
    );
    assert!(errors[1].contains("gone"), "{}", run.stderr);
}

// Redirects: followed here, hop by hop, each checked as a link is.

/// A local Beam whose task `t1` is COMPLETE with one output, `a`, behind
/// `url`.
fn behind(url: &str) -> mockito::ServerGuard {
    api(&[("t1", task_with("COMPLETE", &[("a", url, 3600)]))])
}

#[test]
fn a_redirect_is_followed_hop_by_hop_each_shown_by_verbose() {
    let files = Server::http(|request| match request.path() {
        "/hop" => Reply::status(302).header("location", "/files/0?X-Amz-Signature=second"),
        "/files/0" => Reply::status(200).body("moved bytes"),
        path => panic!("not asked for: {path}"),
    });
    let api = behind(&format!("{}/hop?X-Amz-Signature=first", files.url()));
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1", "-v"])
        .run()
        .code(0);
    assert_eq!(std::fs::read(dir.path().join("a")).unwrap(), b"moved bytes");
    let targets: Vec<String> = files.requests().iter().map(|r| r.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/hop?X-Amz-Signature=first",
            "/files/0?X-Amz-Signature=second"
        ]
    );
    assert_no_token(&files);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let position = |line: &str| {
        lines
            .iter()
            .position(|l| *l == line)
            .unwrap_or_else(|| panic!("no {line:?} in:\n{}", run.stderr))
    };
    let first = position(&format!("> GET {}/hop?…", files.url()));
    let redirect = position("< HTTP/1.1 302 Found");
    let location = position("< location: /files/0?…");
    let next = position(&format!("> GET {}/files/0?…", files.url()));
    assert!(first < redirect && redirect < location && location < next);
    assert!(!run.stderr.contains("Signature"), "{}", run.stderr);
}

/// 192.0.2.10 (TEST-NET-1) is never connected to: the redirect is refused
/// before.
#[test]
fn a_redirect_to_plain_http_on_another_host_is_refused_76_and_not_followed() {
    let files = Server::http(|request| match request.path() {
        "/hop" => {
            Reply::status(302).header("location", "http://192.0.2.10/plain?X-Amz-Signature=second")
        }
        path => panic!("not asked for: {path}"),
    });
    let api = behind(&format!("{}/hop?X-Amz-Signature=first", files.url()));
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1", "-v", "--retries", "0"])
        .args(["--request-timeout", "2s"])
        .run()
        .code(76);
    assert_eq!(files.requests().len(), 1, "not retried");
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
    let host = files.url().trim_start_matches("http://").to_string();
    let errors = error_lines(&run.stderr);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].contains(&format!("{host} redirected to a link that is not usable")),
        "{}",
        run.stderr
    );
    assert!(
        errors[0].contains("plain http to 192.0.2.10"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("< HTTP/1.1 302 Found"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("> GET http://192.0.2.10"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Signature"), "{}", run.stderr);
}

/// The redirect leads to another host, which has a proxy: that hop goes
/// through it (the first, on loopback, never does). 192.0.2.10 is an IP
/// literal: nothing is looked up, and the proxy is the only host connected
/// to.
#[test]
fn each_hop_of_a_redirect_goes_through_its_own_host_s_proxy() {
    let proxy = Server::http(|_| Reply::status(502).close());
    let files = Server::http(|request| match request.path() {
        "/hop" => {
            Reply::status(307).header("location", "https://192.0.2.10/a?X-Amz-Signature=second")
        }
        path => panic!("not asked for: {path}"),
    });
    let api = behind(&format!("{}/hop?X-Amz-Signature=first", files.url()));
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1", "-v", "--retries", "0"])
        .args(["--request-timeout", "2s"])
        .env("HTTPS_PROXY", proxy.url())
        .run()
        .code(69);
    assert_eq!(files.requests().len(), 1, "{}", run.stderr);
    let tunnels = proxy.requests();
    assert_eq!(tunnels.len(), 1, "{}", run.stderr);
    assert_eq!(tunnels[0].method, "CONNECT");
    assert_eq!(tunnels[0].target, "192.0.2.10:443");
    let lines: Vec<&str> = run.stderr.lines().collect();
    let first = lines
        .iter()
        .position(|l| *l == format!("> GET {}/hop?…", files.url()))
        .unwrap_or_else(|| panic!("the first hop: {}", run.stderr));
    assert!(
        !lines[first - 1].starts_with("* through proxy"),
        "the loopback hop is direct: {}",
        run.stderr
    );
    let next = lines
        .iter()
        .position(|l| *l == "> GET https://192.0.2.10/a?…")
        .unwrap_or_else(|| panic!("the second hop: {}", run.stderr));
    assert!(
        lines[next - 1].starts_with("* through proxy 127.0.0.1"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("Signature"), "{}", run.stderr);
}

#[test]
fn a_link_that_redirects_more_than_five_times_exits_69() {
    let files = Server::http(|request| {
        let hop: usize = request
            .path()
            .strip_prefix("/hop/")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("not asked for: {}", request.target));
        Reply::status(301).header("location", &format!("/hop/{}?sig=s", hop + 1))
    });
    let api = behind(&format!("{}/hop/0?sig=s", files.url()));
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1", "--retries", "0"])
        .run()
        .code(69);
    assert_eq!(files.requests().len(), 6, "the link and 5 redirects");
    assert!(
        run.stderr.contains("redirected more than 5 times"),
        "{}",
        run.stderr
    );
    assert!(listing(dir.path()).is_empty());
}

// Proxies and TLS: the same rules as the API's, per host.

#[test]
fn an_https_link_goes_through_https_proxy_without_the_token() {
    let proxy = Server::http(|_| Reply::status(502).close());
    let api = api(&[(
        "t1",
        task_with(
            "COMPLETE",
            &[("a", "https://files.beam.test/a?X-Amz-Signature=s", 3600)],
        ),
    )]);
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1", "--retries", "0", "-v"])
        .env("HTTPS_PROXY", proxy.url())
        .run()
        .code(69);
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1, "{}", run.stderr);
    assert_eq!(requests[0].method, "CONNECT");
    assert_eq!(requests[0].target, "files.beam.test:443");
    assert!(!format!("{requests:?}").contains(TOKEN));
    assert!(
        run.stderr.contains("through proxy 127.0.0.1"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("X-Amz-Signature"), "{}", run.stderr);
    // NO_PROXY is not tried here: with no proxy, files.beam.test would be
    // looked up, and no test looks up a host name (proxy.rs's unit tests
    // cover NO_PROXY for a link's host).
}

#[test]
fn an_https_storage_host_is_verified_and_ssl_cert_file_adds_its_ca() {
    let files = Server::https(|_| Reply::status(200).body("secure"));
    let api = api(&[(
        "t1",
        task_with(
            "COMPLETE",
            &[("a", &format!("{}/files/0?sig=s", files.url()), 3600)],
        ),
    )]);
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1"]).run().code(69);
    assert!(run.stderr.contains("TLS"), "{}", run.stderr);
    assert!(listing(dir.path()).is_empty());

    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, files.ca_pem()).unwrap();
    let out = dir.path().join("out");
    download(&api.url(), &out, &["t1"])
        .env("SSL_CERT_FILE", &ca)
        .run()
        .code(0);
    assert_eq!(std::fs::read(out.join("a")).unwrap(), b"secure");
}

// In a terminal (script(1) gives the command a pseudo-terminal).

#[cfg(target_os = "linux")]
#[test]
fn a_terminal_shows_a_bar_per_file_and_a_total() {
    let files = Server::http(|_| {
        Reply::status(200)
            .body(vec![b'x'; 40])
            .drip(Duration::from_millis(20))
    });
    let api = single(&files, "a.bin");
    let run = Beam::shell(
        &api.url(),
        "sh",
        "script -qec 'stty cols 120; beam-task download t1 -d out' /dev/null",
    )
    .run()
    .code(0);
    assert!(run.stdout.contains("a.bin"), "{:?}", run.stdout);
    assert!(run.stdout.contains("total"), "{:?}", run.stdout);
    assert!(run.stdout.contains("1/1 files"), "{:?}", run.stdout);
    assert!(
        !run.stdout.contains("0 B/0 B"),
        "no total before the size is known: {:?}",
        run.stdout
    );
}

/// `TERM=dumb` takes no cursor movement: one plain line per saved file, as
/// for a wait, and no escape at all.
#[cfg(target_os = "linux")]
#[test]
fn a_dumb_terminal_gets_a_line_per_saved_file_and_no_escape() {
    let files = storage(&[b"0123456789"]);
    let api = single(&files, "a.bin");
    let run = Beam::shell(
        &api.url(),
        "sh",
        "script -qec 'stty cols 120; TERM=dumb beam-task download t1 -d out' /dev/null",
    )
    .run()
    .code(0);
    assert!(
        run.stdout.contains("saved out/a.bin (10 B)\r\n"),
        "{:?}",
        run.stdout
    );
    assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
}

/// Ctrl-C in the middle of a download: exit 130, and neither the file nor
/// a temporary file is left.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_mid_download_leaves_no_partial_or_temporary_file() {
    // 1000 bytes, one each 20 ms: 20 s, far longer than the test.
    let files = Server::http(|_| {
        Reply::status(200)
            .body(vec![b'x'; 1000])
            .drip(Duration::from_millis(20))
    });
    let api = single(&files, "big.bin");
    // The folder is the test's own: the temp HOME goes with the run.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let pid_file = dir.path().join("pid");
    let script = format!(
        "script -qec 'stty cols 120; echo $$ > {}; exec beam-task download t1 -d {}' /dev/null",
        pid_file.display(),
        out.display()
    );
    let started = Beam::shell(&api.url(), "sh", &script).spawn();
    files.wait_for_requests(1, Duration::from_secs(30));
    // The temporary file is there, being written.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !listing(&out).iter().any(|name| name.ends_with(".part")) {
        assert!(
            std::time::Instant::now() < deadline,
            "no temporary file appeared"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let killed = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {}", pid.trim())])
        .status()
        .unwrap();
    assert!(killed.success());
    let run = started.finish().code(130);
    assert!(listing(&out).is_empty(), "left behind: {:?}", listing(&out));
    assert!(
        !run.stdout.contains("big.bin\r\n"),
        "no path printed: {:?}",
        run.stdout
    );
}

/// `-v` shows a link's request as it goes out: every header the storage
/// host receives, and no other.
#[test]
fn verbose_shows_a_link_s_request_headers_as_sent() {
    let files = Server::http(|_| Reply::status(200).body("bytes"));
    let api = behind(&format!("{}/files/0?X-Amz-Signature=s", files.url()));
    let dir = tempfile::tempdir().unwrap();
    let run = download(&api.url(), dir.path(), &["t1", "-v"])
        .run()
        .code(0);
    let received = &files.requests()[0];
    let shown: Vec<&str> = run
        .stderr
        .lines()
        .skip_while(|line| !line.starts_with(&format!("> GET {}/files/0", files.url())))
        .skip(1)
        .take_while(|line| line.starts_with("> "))
        .collect();
    assert_eq!(shown.len(), received.headers.len(), "{}", run.stderr);
    for (name, value) in &received.headers {
        let line = format!("> {}: {value}", name.to_ascii_lowercase());
        assert!(shown.contains(&line.as_str()), "{line} in {shown:?}");
    }
    assert!(received.header("authorization").is_none());
}

/// `download --json` ended by `signal` once `a.txt` is saved and while
/// `b.bin` is under way (one file at a time, by name).
#[cfg(unix)]
fn interrupt_json_mid_second_file(signal: &str, dir: &Path) -> crate::support::Run {
    // b.bin's 1000 bytes come one each 20 ms: far longer than the test.
    let files = Server::http(|request| match request.path() {
        "/files/0" => Reply::status(200).body("first"),
        _ => Reply::status(200)
            .body(vec![b'x'; 1000])
            .drip(Duration::from_millis(20)),
    });
    let outputs = [
        ("a.txt", link(&files, 0, "s"), 3600),
        ("b.bin", link(&files, 1, "s"), 3600),
    ];
    let outputs: Vec<(&str, &str, i64)> = outputs
        .iter()
        .map(|(name, url, life)| (*name, url.as_str(), *life))
        .collect();
    let api = api(&[("t1", task_with("COMPLETE", &outputs))]);
    let started = download(&api.url(), dir, &["t1", "--json", "--jobs", "1"]).spawn_in_own_group();
    // a.txt was renamed to its name before b.bin was asked for.
    files.wait_for_requests(2, Duration::from_secs(30));
    started.signal_group(signal);
    started.finish()
}

#[cfg(unix)]
#[test]
fn json_interrupted_mid_download_is_a_whole_array_of_the_files_saved() {
    for (signal, number) in [("INT", 2), ("TERM", 15)] {
        let folder = tempfile::tempdir().unwrap();
        let dir = folder.path().to_path_buf();
        let run = interrupt_json_mid_second_file(signal, &dir);
        assert_eq!(run.signal, Some(number), "{signal}: {run:#?}");
        let path = dir.join("a.txt").to_string_lossy().into_owned();
        assert_eq!(
            run.json(),
            json!([{"task": "t1", "name": "a.txt", "path": path, "bytes": 5, "saved": true}]),
            "{signal}: {run:#?}"
        );
        assert_eq!(listing(&dir), ["a.txt"], "{signal}");
    }
}
