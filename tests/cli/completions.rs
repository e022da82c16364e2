//! What the tool prints about itself: help, usage errors, completion
//! scripts (the ones committed in `completions/` are the ones `beam-task
//! completions <shell>` prints now, and they complete), the man page and
//! the version.

use std::path::Path;

use crate::support::{Beam, Run};

/// Each shell and the file its script is committed as.
const SCRIPTS: [(&str, &str); 5] = [
    ("bash", "beam-task.bash"),
    ("zsh", "_beam-task"),
    ("fish", "beam-task.fish"),
    ("elvish", "beam-task.elv"),
    ("powershell", "_beam-task.ps1"),
];

fn committed(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("completions")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `beam-task ARGS`, in the isolated environment of every test (no API is
/// asked here).
fn beam(args: &[&str]) -> Run {
    Beam::new("http://127.0.0.1:9").args(args).run()
}

fn generated(shell: &str) -> String {
    beam(&["completions", shell]).code(0).stdout
}

#[test]
fn committed_completion_scripts_are_up_to_date() {
    let stale: Vec<String> = SCRIPTS
        .iter()
        .filter(|(shell, file)| generated(shell) != committed(file))
        .map(|(shell, file)| {
            format!("completions/{file} (cargo run -- completions {shell} > completions/{file})")
        })
        .collect();
    assert!(
        stale.is_empty(),
        "out of date: {}\nrefresh them all with scripts/refresh-completions, then commit",
        stale.join(", ")
    );
}

#[test]
fn completions_rejects_an_unknown_shell() {
    let run = beam(&["completions", "tcsh"]).code(2);
    assert!(run.stderr.contains("tcsh"), "{}", run.stderr);
}

#[test]
fn man_prints_a_roff_page() {
    let page = beam(&["man"]).code(0).stdout;
    assert!(page.contains(".TH BEAM-TASK 1"), "{page}");
    assert!(page.contains(".SH \"EXIT STATUS\""), "{page}");
}

#[test]
fn man_is_listed_in_the_help() {
    let help = beam(&["--help"]).code(0).stdout;
    assert!(help.contains("\n  completions  "), "{help}");
    assert!(
        help.contains("\n  man          Print the man page"),
        "{help}"
    );
}

/// Help names each variable without a dangling `=` while it is unset, and
/// without its value while it is set.
#[test]
fn help_names_the_variables_without_their_values() {
    let help = |beam: Beam| beam.args(["status", "--help"]).run().code(0).stdout;
    let unset = help(
        Beam::new("http://127.0.0.1:9")
            .env_remove("BEAM_API_URL")
            .env_remove("BEAM_APP_URL")
            .env_remove("BEAM_TOKEN"),
    );
    for name in [
        "BEAM_TOKEN",
        "BEAM_CONFIG_CONTEXT",
        "BEAM_CONFIG_PATH",
        "BEAM_API_URL",
        "BEAM_APP_URL",
        "BEAM_WORKSPACE",
    ] {
        assert!(
            unset.contains(&format!("[env: {name}]")),
            "{name}:\n{unset}"
        );
    }
    assert!(!unset.contains("=]"), "{unset}");
    let set = help(Beam::new("http://127.0.0.1:9").env("BEAM_WORKSPACE", "ws-secret-name"));
    assert!(set.contains("[env: BEAM_WORKSPACE]"), "{set}");
    assert!(!set.contains("ws-secret-name"), "{set}");
    assert!(!set.contains("127.0.0.1"), "{set}");
}

/// A usage error shows the command's general usage, not the arguments
/// given (which, with BEAM_TOKEN and BEAM_API_URL set, read as if
/// `--token <TOKEN> --api-url <URL>` were required).
#[test]
fn a_conflict_shows_the_general_usage_line() {
    let run = Beam::new("http://127.0.0.1:9")
        .args(["status", "--json", "--raw", "abc"])
        .run()
        .code(2);
    assert!(
        run.stderr
            .contains("the argument '--json' cannot be used with '--raw'"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("\nUsage: beam-task status [OPTIONS] <ID>...\n"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("--token"), "{}", run.stderr);
}

/// The man page's synopses say that a command takes several IDs, and name
/// its options as help does.
#[test]
fn the_man_page_synopses_are_the_usage_lines() {
    let page = beam(&["man"]).code(0).stdout;
    for synopsis in [
        "\\fBbeam\\-task\\fR [OPTIONS] <COMMAND>\n",
        "\\fBbeam\\-task status\\fR [OPTIONS] <ID>...\n",
        "\\fBbeam\\-task wait\\fR [OPTIONS] <ID>...\n",
        "\\fBbeam\\-task cancel\\fR [OPTIONS] <ID>...\n",
        "\\fBbeam\\-task result\\fR [OPTIONS] <ID>\n",
    ] {
        assert!(page.contains(synopsis), "{synopsis} in:\n{page}");
    }
}

#[test]
fn version_flag_prints_the_version() {
    let run = beam(&["--version"]).code(0);
    assert_eq!(
        run.stdout,
        format!("beam-task {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// Runs the committed bash script's completion function for `words`, the
/// last one being the word under the cursor, and returns the candidates.
#[cfg(unix)]
fn bash_candidates(words: &[&str]) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/beam-task.bash");
    let program = r#"
        source "$1"; shift
        COMP_WORDS=("$@")
        COMP_CWORD=$(( $# - 1 ))
        _beam__task beam-task "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
        printf '%s\n' "${COMPREPLY[@]}"
    "#;
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(program)
        .arg("bash")
        .arg(script)
        .args(words)
        .output()
        .expect("bash runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[cfg(unix)]
#[test]
fn bash_completes_subcommand_names() {
    assert_eq!(bash_candidates(&["beam-task", "st"]), ["status"]);
}

#[cfg(unix)]
#[test]
fn bash_completes_the_options_of_a_subcommand() {
    assert_eq!(
        bash_candidates(&["beam-task", "status", "--exit"]),
        ["--exit-zero"]
    );
}

#[cfg(unix)]
#[test]
fn bash_completes_the_shells_of_completions() {
    let shells = bash_candidates(&["beam-task", "completions", "z"]);
    assert_eq!(shells, ["zsh"]);
}
