//! Shell completion scripts and the man page, generated from the clap
//! definition in `cli.rs` so that they cannot drift from it.

use std::io;

use clap_complete::Shell;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, roman};

use crate::cli;
use crate::exit_codes::{HelpTable, help};

/// The name the completion scripts complete.
const BIN_NAME: &str = "beam-task";

/// The completion script for `shell`.
pub fn completion_script(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cli::command_with_help(), BIN_NAME, &mut script);
    match shell {
        Shell::Bash => respell_bash_case_labels(&String::from_utf8_lossy(&script)).into_bytes(),
        _ => script,
    }
}

/// clap_complete 4.6 spells the bash `case` labels of a hyphenated binary's
/// subcommands (`beam__subcmd__task__subcmd__status`) unlike the state its
/// dispatch loop sets (`beam__task__subcmd__status`), so that
/// `beam-task status --<TAB>` completes nothing (clap-rs/clap#6421). This
/// respells the labels; once clap is fixed it changes nothing.
fn respell_bash_case_labels(script: &str) -> String {
    let wrong = format!("{}__subcmd__", BIN_NAME.replace('-', "__subcmd__"));
    let right = format!("{}__subcmd__", BIN_NAME.replace('-', "__"));
    script.replace(&wrong, &right)
}

/// One roff page for the whole tool: the global options, then a section
/// for each visible subcommand (its synopsis and its own options), then the
/// exit codes.
pub fn man_page() -> io::Result<Vec<u8>> {
    let mut cli = cli::command_with_help().disable_help_subcommand(true);
    cli.build();
    let man = Man::new(cli.clone()).title(BIN_NAME.to_uppercase());

    // Every roff chunk starts with the same preamble; the page needs it once.
    let mut page = Roff::new().render();
    page += &chunk(|w| man.render_title(w))?;
    page += &chunk(|w| man.render_name_section(w))?;
    page += &chunk(|w| man.render_synopsis_section(w))?;
    page += &chunk(|w| man.render_description_section(w))?;
    page += &chunk(|w| man.render_options_section(w))?;
    for subcommand in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
        page += &subcommand_section(subcommand)?;
    }
    page += &exit_status_section()?;
    page += &chunk(|w| man.render_version_section(w))?;
    Ok(page.into_bytes())
}

/// What `render` writes, without the preamble.
fn chunk(render: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> io::Result<String> {
    let mut bytes = Vec::new();
    render(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    let preamble = Roff::new().render();
    Ok(text.strip_prefix(&preamble).unwrap_or(&text).to_string())
}

/// A `.SH` section named after the subcommand (`BEAM-TASK STATUS`), with its
/// synopsis and options as `.SS` subsections. The global options, which
/// clap copies into every subcommand, are left to the main OPTIONS section.
fn subcommand_section(subcommand: &clap::Command) -> io::Result<String> {
    let name = subcommand
        .get_bin_name()
        .unwrap_or_else(|| subcommand.get_name());
    let mut heading = Roff::new();
    heading.control("SH", [name.to_uppercase().as_str()]);
    if let Some(about) = subcommand
        .get_long_about()
        .or_else(|| subcommand.get_about())
    {
        heading.text([roman(about.to_string())]);
    }

    let own_options = subcommand.clone().mut_args(|arg| {
        let global = arg.is_global_set();
        arg.hide(global)
    });
    let man = Man::new(own_options);
    let synopsis = chunk(|w| man.render_synopsis_section(w))?;
    let options = chunk(|w| man.render_options_section(w))?;
    Ok(chunk(|w| heading.to_writer(w))? + &demote_sections(&(synopsis + &options)))
}

/// Turns `.SH` headings into `.SS` so that a subcommand's sections nest
/// under its own heading. The roff writer escapes a text line that starts
/// with a dot, so only real headings match.
fn demote_sections(roff: &str) -> String {
    roff.lines()
        .map(|line| match line.strip_prefix(".SH ") {
            Some(title) => format!(".SS {title}\n"),
            None => format!("{line}\n"),
        })
        .collect()
}

/// The exit-code table from `--help`, kept as preformatted lines so that its
/// columns stay aligned.
fn exit_status_section() -> io::Result<String> {
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    roff.control("nf", []);
    for line in help(HelpTable::General).lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
    chunk(|w| roff.to_writer(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> String {
        String::from_utf8(man_page().unwrap()).unwrap()
    }

    /// Roff escapes each `-` as `\-`.
    fn roff_escaped(text: &str) -> String {
        text.replace('-', "\\-")
    }

    #[test]
    fn man_page_has_a_section_for_every_visible_subcommand() {
        let page = page();
        for subcommand in cli::command().get_subcommands() {
            let heading = format!(".SH \"BEAM-TASK {}\"", subcommand.get_name().to_uppercase());
            assert_eq!(
                page.contains(&heading),
                !subcommand.is_hide_set(),
                "{heading} in:\n{page}"
            );
        }
    }

    #[test]
    fn man_page_documents_every_option() {
        let page = page();
        let cli = cli::command();
        let subcommands = cli.get_subcommands().filter(|s| !s.is_hide_set());
        for command in std::iter::once(&cli).chain(subcommands) {
            for long in command.get_arguments().filter_map(|a| a.get_long()) {
                let option = roff_escaped(&format!("--{long}"));
                assert!(page.contains(&option), "{option} missing in:\n{page}");
            }
        }
    }

    #[test]
    fn subcommand_sections_leave_global_options_to_the_main_section() {
        let page = page();
        let first_subcommand = page.find(".SH \"BEAM-TASK ").unwrap();
        let exit_status = page.find(".SH \"EXIT STATUS\"").unwrap();
        let subcommand_sections = &page[first_subcommand..exit_status];
        let cli = cli::command();
        let globals: Vec<_> = cli
            .get_arguments()
            .filter(|a| a.is_global_set())
            .filter_map(|a| a.get_long())
            .collect();
        assert!(globals.contains(&"token"), "{globals:?}");
        for long in globals {
            let option = format!("\\fB{}\\fR", roff_escaped(&format!("--{long}")));
            assert!(page[..first_subcommand].contains(&option), "{option}");
            assert!(
                !subcommand_sections.contains(&option),
                "{option} repeated in:\n{subcommand_sections}"
            );
        }
    }

    #[test]
    fn man_page_has_the_exit_code_table() {
        let page = page();
        assert!(page.contains(".SH \"EXIT STATUS\""), "{page}");
        for line in help(HelpTable::General)
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let roff_line = roff_escaped(line);
            assert!(page.contains(&roff_line), "{roff_line} missing in:\n{page}");
        }
    }

    #[test]
    fn demoting_turns_only_headings_into_subsections() {
        let roff = ".SH SYNOPSIS\n\\&.SH not a heading\n.TP\n";
        assert_eq!(
            demote_sections(roff),
            ".SS SYNOPSIS\n\\&.SH not a heading\n.TP\n"
        );
    }

    #[test]
    fn bash_script_has_a_case_for_every_state_it_dispatches_to() {
        let script = String::from_utf8(completion_script(Shell::Bash)).unwrap();
        let states: Vec<&str> = script
            .lines()
            .filter_map(|line| line.trim().strip_prefix("cmd=\""))
            .filter_map(|rest| rest.strip_suffix('"'))
            .filter(|state| !state.is_empty())
            .collect();
        assert!(states.contains(&"beam__task__subcmd__status"), "{states:?}");
        for state in states {
            let label = format!("\n        {state})\n");
            assert!(script.contains(&label), "no case for {state}");
        }
    }

    #[test]
    fn every_shell_gets_a_script_that_names_the_binary() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::Elvish,
            Shell::PowerShell,
        ] {
            let script = String::from_utf8(completion_script(shell)).unwrap();
            assert!(script.contains("beam-task"), "{shell}: {script}");
            assert!(script.contains("status"), "{shell}: {script}");
        }
    }
}
