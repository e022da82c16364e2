//! What the tool prints about itself: completion scripts (the ones committed
//! in `completions/` are the ones `beam-task completions <shell>` prints now,
//! and they complete), the man page and the version.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

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

fn generated(shell: &str) -> String {
    let output = Command::cargo_bin("beam-task")
        .unwrap()
        .args(["completions", shell])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
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
    Command::cargo_bin("beam-task")
        .unwrap()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("tcsh"));
}

#[test]
fn man_prints_a_roff_page() {
    let output = Command::cargo_bin("beam-task")
        .unwrap()
        .arg("man")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains(".TH BEAM-TASK 1"), "{page}");
    assert!(page.contains(".SH \"EXIT STATUS\""), "{page}");
}

#[test]
fn man_is_hidden_from_the_help() {
    Command::cargo_bin("beam-task")
        .unwrap()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicates::str::contains("completions"))
        .stdout(predicates::str::contains("  man").not());
}

#[test]
fn version_flag_prints_the_version() {
    Command::cargo_bin("beam-task")
        .unwrap()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("beam-task {}\n", env!("CARGO_PKG_VERSION")));
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
