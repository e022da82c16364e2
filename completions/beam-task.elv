
use builtin;
use str;

set edit:completion:arg-completer[beam-task] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'beam-task'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'beam-task'= {
            cand --token 'API token [default: the token in the config file]'
            cand --context 'Config-file context (section) to take the token from [default: default]'
            cand --config 'Config file [default: ~/.beam/config.ini]'
            cand --api-url 'Base URL of Beam''s API'
            cand --app-url 'Base URL of Beam''s workspace API (list, result)'
            cand --workspace 'Workspace to list and read tasks in [default: the token''s own]'
            cand --color 'When to color the output'
            cand --request-timeout 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file'
            cand -v 'Print each request and response line on stderr (the token as ***)'
            cand --verbose 'Print each request and response line on stderr (the token as ***)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Show the status of one or more tasks'
            cand wait 'Wait until tasks finish, then show their status'
            cand cancel 'Cancel tasks, then read them until they show as stopped'
            cand list 'List the workspace''s tasks, newest first'
            cand result 'Print what a task returned, as JSON'
            cand download 'Save the output files of finished tasks'
            cand logs 'Print a task''s output lines; with -f, until the task ends'
            cand completions 'Print the completion script for a shell'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'beam-task;status'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --jq 'Run a jq filter on each task and print its results, one a line: strings raw, anything else as compact JSON (implies --json)'
            cand -j 'How many tasks to fetch at once'
            cand --jobs 'How many tasks to fetch at once'
            cand --retries 'Further tries for each request after a connection error, a timeout, 429, 500, 502, 503 or 504 [default: 3; with --wait: 10 in a row for each task, as for `beam-task wait`]'
            cand --timeout 'Give up after this long (e.g. 90s, 10m, 2h, 1h30m) [default: no limit]'
            cand --interval 'Poll at this fixed interval instead of the adaptive one (1 s growing to 10 s); at least 100ms'
            cand --token 'API token [default: the token in the config file]'
            cand --context 'Config-file context (section) to take the token from [default: default]'
            cand --config 'Config file [default: ~/.beam/config.ini]'
            cand --api-url 'Base URL of Beam''s API'
            cand --app-url 'Base URL of Beam''s workspace API (list, result)'
            cand --workspace 'Workspace to list and read tasks in [default: the token''s own]'
            cand --color 'When to color the output'
            cand --request-timeout 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file'
            cand --json 'Shorthand for --output json'
            cand --raw 'Shorthand for --output raw'
            cand -q 'Print nothing on stdout; the exit code says it all'
            cand --quiet 'Print nothing on stdout; the exit code says it all'
            cand --exit-zero 'Exit 0 whenever every task was fetched, whatever its status'
            cand --wait 'Wait until every task finishes, like `beam-task wait`'
            cand --fail-fast 'Stop as soon as any task ends in a non-COMPLETE status'
            cand --poll 'Poll the task API instead of listening to each task''s subscribe stream (--interval polls too)'
            cand -v 'Print each request and response line on stderr (the token as ***)'
            cand --verbose 'Print each request and response line on stderr (the token as ***)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'beam-task;wait'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --jq 'Run a jq filter on each task and print its results, one a line: strings raw, anything else as compact JSON (implies --json)'
            cand -j 'How many tasks to fetch at once'
            cand --jobs 'How many tasks to fetch at once'
            cand --retries 'Further tries of a task after transient failures in a row (a connection error, a timeout, 429, 5xx), 0.5 s, 1 s, 2 s, ... up to 30 s apart: the default rides out an outage of 2 minutes or more [default: 10]'
            cand --timeout 'Give up after this long (e.g. 90s, 10m, 2h, 1h30m) [default: no limit]'
            cand --interval 'Poll at this fixed interval instead of the adaptive one (1 s growing to 10 s); at least 100ms'
            cand --token 'API token [default: the token in the config file]'
            cand --context 'Config-file context (section) to take the token from [default: default]'
            cand --config 'Config file [default: ~/.beam/config.ini]'
            cand --api-url 'Base URL of Beam''s API'
            cand --app-url 'Base URL of Beam''s workspace API (list, result)'
            cand --workspace 'Workspace to list and read tasks in [default: the token''s own]'
            cand --color 'When to color the output'
            cand --request-timeout 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file'
            cand --json 'Shorthand for --output json'
            cand --raw 'Shorthand for --output raw'
            cand -q 'Print nothing on stdout; the exit code says it all'
            cand --quiet 'Print nothing on stdout; the exit code says it all'
            cand --exit-zero 'Exit 0 whenever every task was fetched, whatever its status'
            cand --fail-fast 'Stop as soon as any task ends in a non-COMPLETE status'
            cand --poll 'Poll the task API instead of listening to each task''s subscribe stream (--interval polls too)'
            cand -v 'Print each request and response line on stderr (the token as ***)'
            cand --verbose 'Print each request and response line on stderr (the token as ***)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'beam-task;cancel'= {
            cand -o 'Output format'
            cand --output 'Output format'
            cand --jq 'Run a jq filter on each task and print its results, one a line: strings raw, anything else as compact JSON (implies --json)'
            cand -j 'How many tasks to fetch at once'
            cand --jobs 'How many tasks to fetch at once'
            cand --retries 'Further tries for each request after a connection error, a timeout, 429, 500, 502, 503 or 504'
            cand --timeout 'How long to keep reading tasks that still run after the cancel'
            cand --token 'API token [default: the token in the config file]'
            cand --context 'Config-file context (section) to take the token from [default: default]'
            cand --config 'Config file [default: ~/.beam/config.ini]'
            cand --api-url 'Base URL of Beam''s API'
            cand --app-url 'Base URL of Beam''s workspace API (list, result)'
            cand --workspace 'Workspace to list and read tasks in [default: the token''s own]'
            cand --color 'When to color the output'
            cand --request-timeout 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file'
            cand --json 'Shorthand for --output json'
            cand --raw 'Shorthand for --output raw'
            cand -q 'Print nothing on stdout; the exit code says it all'
            cand --quiet 'Print nothing on stdout; the exit code says it all'
            cand --dry-run 'Read the tasks and show which would be cancelled; cancel nothing'
            cand -v 'Print each request and response line on stderr (the token as ***)'
            cand --verbose 'Print each request and response line on stderr (the token as ***)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'beam-task;list'= {
            cand --status 'Only tasks with this status (repeat it, or separate with commas)'
            cand --stub 'Only tasks of this stub (repeat it, or separate with commas)'
            cand --since 'Only tasks created at or after WHEN: a duration back from now (90m, 6h, 7d), an RFC 3339 time, or a local date (2026-11-28: from its start)'
            cand --until 'Only tasks created at or before WHEN, as for --since (a date: to its end)'
            cand --limit 'How many tasks to list, newest first'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --jq 'Run a jq filter on each task and print its results, one a line: strings raw, anything else as compact JSON (implies --json)'
            cand --token 'API token [default: the token in the config file]'
            cand --context 'Config-file context (section) to take the token from [default: default]'
            cand --config 'Config file [default: ~/.beam/config.ini]'
            cand --api-url 'Base URL of Beam''s API'
            cand --app-url 'Base URL of Beam''s workspace API (list, result)'
            cand --workspace 'Workspace to list and read tasks in [default: the token''s own]'
            cand --color 'When to color the output'
            cand --request-timeout 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file'
            cand --all 'List every matching task'
            cand --json 'Shorthand for --output json'
            cand -q 'Print nothing on stdout; the exit code says it all'
            cand --quiet 'Print nothing on stdout; the exit code says it all'
            cand -v 'Print each request and response line on stderr (the token as ***)'
            cand --verbose 'Print each request and response line on stderr (the token as ***)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'beam-task;result'= {
            cand --jq 'Run a jq filter on the result and print its results, one a line: strings raw, anything else as compact JSON'
            cand --token 'API token [default: the token in the config file]'
            cand --context 'Config-file context (section) to take the token from [default: default]'
            cand --config 'Config file [default: ~/.beam/config.ini]'
            cand --api-url 'Base URL of Beam''s API'
            cand --app-url 'Base URL of Beam''s workspace API (list, result)'
            cand --workspace 'Workspace to list and read tasks in [default: the token''s own]'
            cand --color 'When to color the output'
            cand --request-timeout 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file'
            cand -v 'Print each request and response line on stderr (the token as ***)'
            cand --verbose 'Print each request and response line on stderr (the token as ***)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'beam-task;download'= {
            cand -d 'Folder to save into, created if missing [default: the current folder]; with several tasks (or IDs from stdin), a subfolder per task'
            cand --dir 'Folder to save into, created if missing [default: the current folder]; with several tasks (or IDs from stdin), a subfolder per task'
            cand --jq 'Run a jq filter on each file''s {"task", "name", "path", "bytes", "saved"} and print its results, one a line: strings raw, anything else as compact JSON (implies --json)'
            cand -j 'How many files to download (and tasks to read) at once'
            cand --jobs 'How many files to download (and tasks to read) at once'
            cand --retries 'Further tries for each request after a connection error, a timeout, a body cut short, 429, 500, 502, 503 or 504'
            cand --token 'API token [default: the token in the config file]'
            cand --context 'Config-file context (section) to take the token from [default: default]'
            cand --config 'Config file [default: ~/.beam/config.ini]'
            cand --api-url 'Base URL of Beam''s API'
            cand --app-url 'Base URL of Beam''s workspace API (list, result)'
            cand --workspace 'Workspace to list and read tasks in [default: the token''s own]'
            cand --color 'When to color the output'
            cand --request-timeout 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file'
            cand --force 'Replace files that already exist (a symbolic link is replaced itself, never followed)'
            cand --json 'Print the files as a JSON array of {"task", "name", "path", "bytes", "saved"} instead of one path a line'
            cand -q 'Print nothing on stdout, and no progress or notes on stderr; the exit code says it all'
            cand --quiet 'Print nothing on stdout, and no progress or notes on stderr; the exit code says it all'
            cand -v 'Print each request and response line on stderr (the token as ***)'
            cand --verbose 'Print each request and response line on stderr (the token as ***)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'beam-task;logs'= {
            cand --tail 'Only the last N lines (0: none; with -f, only new ones)'
            cand --since 'Only lines written at or after WHEN: a duration back from now (10m, 6h, 7d), an RFC 3339 time, or a local date (from its start)'
            cand --jq 'Run a jq filter on each log record and print its results, one a line: strings raw, anything else as compact JSON (implies --json)'
            cand --timeout 'With -f: give up after this long (e.g. 90s, 10m, 2h; exit 124) [default: no limit]'
            cand --token 'API token [default: the token in the config file]'
            cand --context 'Config-file context (section) to take the token from [default: default]'
            cand --config 'Config file [default: ~/.beam/config.ini]'
            cand --api-url 'Base URL of Beam''s API'
            cand --app-url 'Base URL of Beam''s workspace API (list, result)'
            cand --workspace 'Workspace to list and read tasks in [default: the token''s own]'
            cand --color 'When to color the output'
            cand --request-timeout 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file'
            cand -f 'After the lines so far, print new ones as they come, until the task finishes (then its last lines, and its exit code)'
            cand --follow 'After the lines so far, print new ones as they come, until the task finishes (then its last lines, and its exit code)'
            cand --timestamps 'Begin each line with its time (RFC 3339, UTC) and a space'
            cand --json 'One log record per line, as JSON, as the API sent it (for jq -c)'
            cand --exit-zero 'Exit 0 whenever the lines were read, whatever the task''s status'
            cand -q 'Print nothing on stdout; the exit code says it all'
            cand --quiet 'Print nothing on stdout; the exit code says it all'
            cand -v 'Print each request and response line on stderr (the token as ***)'
            cand --verbose 'Print each request and response line on stderr (the token as ***)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'beam-task;completions'= {
            cand --token 'API token [default: the token in the config file]'
            cand --context 'Config-file context (section) to take the token from [default: default]'
            cand --config 'Config file [default: ~/.beam/config.ini]'
            cand --api-url 'Base URL of Beam''s API'
            cand --app-url 'Base URL of Beam''s workspace API (list, result)'
            cand --workspace 'Workspace to list and read tasks in [default: the token''s own]'
            cand --color 'When to color the output'
            cand --request-timeout 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file'
            cand -v 'Print each request and response line on stderr (the token as ***)'
            cand --verbose 'Print each request and response line on stderr (the token as ***)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'beam-task;man'= {
            cand --token 'API token [default: the token in the config file]'
            cand --context 'Config-file context (section) to take the token from [default: default]'
            cand --config 'Config file [default: ~/.beam/config.ini]'
            cand --api-url 'Base URL of Beam''s API'
            cand --app-url 'Base URL of Beam''s workspace API (list, result)'
            cand --workspace 'Workspace to list and read tasks in [default: the token''s own]'
            cand --color 'When to color the output'
            cand --request-timeout 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file'
            cand -v 'Print each request and response line on stderr (the token as ***)'
            cand --verbose 'Print each request and response line on stderr (the token as ***)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'beam-task;help'= {
            cand status 'Show the status of one or more tasks'
            cand wait 'Wait until tasks finish, then show their status'
            cand cancel 'Cancel tasks, then read them until they show as stopped'
            cand list 'List the workspace''s tasks, newest first'
            cand result 'Print what a task returned, as JSON'
            cand download 'Save the output files of finished tasks'
            cand logs 'Print a task''s output lines; with -f, until the task ends'
            cand completions 'Print the completion script for a shell'
            cand man 'Print the man page (roff)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'beam-task;help;status'= {
        }
        &'beam-task;help;wait'= {
        }
        &'beam-task;help;cancel'= {
        }
        &'beam-task;help;list'= {
        }
        &'beam-task;help;result'= {
        }
        &'beam-task;help;download'= {
        }
        &'beam-task;help;logs'= {
        }
        &'beam-task;help;completions'= {
        }
        &'beam-task;help;man'= {
        }
        &'beam-task;help;help'= {
        }
    ]
    $completions[$command]
}
