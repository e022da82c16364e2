# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_beam_task_global_optspecs
    string join \n token= context= config= api-url= app-url= workspace= color= v/verbose request-timeout= h/help V/version
end

function __fish_beam_task_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_beam_task_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_beam_task_using_subcommand
    set -l cmd (__fish_beam_task_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c beam-task -n "__fish_beam_task_needs_command" -l token -d 'API token [default: the token in the config file]' -r
complete -c beam-task -n "__fish_beam_task_needs_command" -l context -d 'Config-file context (section) to take the token from [default: default]' -r
complete -c beam-task -n "__fish_beam_task_needs_command" -l config -d 'Config file [default: ~/.beam/config.ini]' -r -F
complete -c beam-task -n "__fish_beam_task_needs_command" -l api-url -d 'Base URL of Beam\'s API' -r
complete -c beam-task -n "__fish_beam_task_needs_command" -l app-url -d 'Base URL of Beam\'s workspace API (list, result)' -r
complete -c beam-task -n "__fish_beam_task_needs_command" -l workspace -d 'Workspace to list and read tasks in [default: the token\'s own]' -r
complete -c beam-task -n "__fish_beam_task_needs_command" -l color -d 'When to color the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c beam-task -n "__fish_beam_task_needs_command" -l request-timeout -d 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file' -r
complete -c beam-task -n "__fish_beam_task_needs_command" -s v -l verbose -d 'Print each request and response line on stderr (the token as ***)'
complete -c beam-task -n "__fish_beam_task_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c beam-task -n "__fish_beam_task_needs_command" -s V -l version -d 'Print version'
complete -c beam-task -n "__fish_beam_task_needs_command" -f -a "status" -d 'Show the status of one or more tasks'
complete -c beam-task -n "__fish_beam_task_needs_command" -f -a "wait" -d 'Wait until tasks finish, then show their status'
complete -c beam-task -n "__fish_beam_task_needs_command" -f -a "cancel" -d 'Cancel tasks, then read them until they show as stopped'
complete -c beam-task -n "__fish_beam_task_needs_command" -f -a "list" -d 'List the workspace\'s tasks, newest first'
complete -c beam-task -n "__fish_beam_task_needs_command" -f -a "result" -d 'Print what a task returned, as JSON'
complete -c beam-task -n "__fish_beam_task_needs_command" -f -a "download" -d 'Save the output files of finished tasks'
complete -c beam-task -n "__fish_beam_task_needs_command" -f -a "logs" -d 'Print a task\'s output lines; with -f, until the task ends'
complete -c beam-task -n "__fish_beam_task_needs_command" -f -a "completions" -d 'Print the completion script for a shell'
complete -c beam-task -n "__fish_beam_task_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c beam-task -n "__fish_beam_task_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -s o -l output -d 'Output format' -r -f -a "table\t'A card for one task, a table for several'
json\t'The task object as JSON (an array for several tasks)'
raw\t'Each response body exactly as received, one per line'"
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l jq -d 'Run a jq filter on each task and print its results, one a line: strings raw, anything else as compact JSON (implies --json)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -s j -l jobs -d 'How many tasks to fetch at once' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l retries -d 'Further tries for each request after a connection error, a timeout, 429, 500, 502, 503 or 504 [default: 3; with --wait: 10 in a row for each task, as for `beam-task wait`]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l timeout -d 'Give up after this long (e.g. 90s, 10m, 2h, 1h30m) [default: no limit]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l interval -d 'Poll at this fixed interval instead of the adaptive one (1 s growing to 10 s); at least 100ms' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l token -d 'API token [default: the token in the config file]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l context -d 'Config-file context (section) to take the token from [default: default]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l config -d 'Config file [default: ~/.beam/config.ini]' -r -F
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l api-url -d 'Base URL of Beam\'s API' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l app-url -d 'Base URL of Beam\'s workspace API (list, result)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l workspace -d 'Workspace to list and read tasks in [default: the token\'s own]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l color -d 'When to color the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l request-timeout -d 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l json -d 'Shorthand for --output json'
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l raw -d 'Shorthand for --output raw'
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -s q -l quiet -d 'Print nothing on stdout; the exit code says it all'
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l exit-zero -d 'Exit 0 whenever every task was fetched, whatever its status'
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l wait -d 'Wait until every task finishes, like `beam-task wait`'
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l fail-fast -d 'Stop as soon as any task ends in a non-COMPLETE status'
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -l poll -d 'Poll the task API instead of listening to each task\'s subscribe stream (--interval polls too)'
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -s v -l verbose -d 'Print each request and response line on stderr (the token as ***)'
complete -c beam-task -n "__fish_beam_task_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -s o -l output -d 'Output format' -r -f -a "table\t'A card for one task, a table for several'
json\t'The task object as JSON (an array for several tasks)'
raw\t'Each response body exactly as received, one per line'"
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l jq -d 'Run a jq filter on each task and print its results, one a line: strings raw, anything else as compact JSON (implies --json)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -s j -l jobs -d 'How many tasks to fetch at once' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l retries -d 'Further tries of a task after transient failures in a row (a connection error, a timeout, 429, 5xx), 0.5 s, 1 s, 2 s, ... up to 30 s apart: the default rides out an outage of 2 minutes or more [default: 10]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l timeout -d 'Give up after this long (e.g. 90s, 10m, 2h, 1h30m) [default: no limit]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l interval -d 'Poll at this fixed interval instead of the adaptive one (1 s growing to 10 s); at least 100ms' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l token -d 'API token [default: the token in the config file]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l context -d 'Config-file context (section) to take the token from [default: default]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l config -d 'Config file [default: ~/.beam/config.ini]' -r -F
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l api-url -d 'Base URL of Beam\'s API' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l app-url -d 'Base URL of Beam\'s workspace API (list, result)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l workspace -d 'Workspace to list and read tasks in [default: the token\'s own]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l color -d 'When to color the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l request-timeout -d 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l json -d 'Shorthand for --output json'
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l raw -d 'Shorthand for --output raw'
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -s q -l quiet -d 'Print nothing on stdout; the exit code says it all'
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l exit-zero -d 'Exit 0 whenever every task was fetched, whatever its status'
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l fail-fast -d 'Stop as soon as any task ends in a non-COMPLETE status'
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -l poll -d 'Poll the task API instead of listening to each task\'s subscribe stream (--interval polls too)'
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -s v -l verbose -d 'Print each request and response line on stderr (the token as ***)'
complete -c beam-task -n "__fish_beam_task_using_subcommand wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -s o -l output -d 'Output format' -r -f -a "table\t'A card for one task, a table for several'
json\t'The task object as JSON (an array for several tasks)'
raw\t'Each response body exactly as received, one per line'"
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l jq -d 'Run a jq filter on each task and print its results, one a line: strings raw, anything else as compact JSON (implies --json)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -s j -l jobs -d 'How many tasks to fetch at once' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l retries -d 'Further tries for each request after a connection error, a timeout, 429, 500, 502, 503 or 504' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l timeout -d 'How long to keep reading tasks that still run after the cancel' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l token -d 'API token [default: the token in the config file]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l context -d 'Config-file context (section) to take the token from [default: default]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l config -d 'Config file [default: ~/.beam/config.ini]' -r -F
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l api-url -d 'Base URL of Beam\'s API' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l app-url -d 'Base URL of Beam\'s workspace API (list, result)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l workspace -d 'Workspace to list and read tasks in [default: the token\'s own]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l color -d 'When to color the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l request-timeout -d 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l json -d 'Shorthand for --output json'
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l raw -d 'Shorthand for --output raw'
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -s q -l quiet -d 'Print nothing on stdout; the exit code says it all'
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -l dry-run -d 'Read the tasks and show which would be cancelled; cancel nothing'
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -s v -l verbose -d 'Print each request and response line on stderr (the token as ***)'
complete -c beam-task -n "__fish_beam_task_using_subcommand cancel" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l status -d 'Only tasks with this status (repeat it, or separate with commas)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l stub -d 'Only tasks of this stub (repeat it, or separate with commas)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l since -d 'Only tasks created at or after WHEN: a duration back from now (90m, 6h, 7d), an RFC 3339 time, or a local date (2026-11-28: from its start)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l until -d 'Only tasks created at or before WHEN, as for --since (a date: to its end)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l limit -d 'How many tasks to list, newest first' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -s o -l output -d 'Output format' -r -f -a "table\t'One row per task'
json\t'An array of the task objects as the API sent them'
ids\t'One task ID per line, for `status -`, `wait -` and `cancel -`'"
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l jq -d 'Run a jq filter on each task and print its results, one a line: strings raw, anything else as compact JSON (implies --json)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l token -d 'API token [default: the token in the config file]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l context -d 'Config-file context (section) to take the token from [default: default]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l config -d 'Config file [default: ~/.beam/config.ini]' -r -F
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l api-url -d 'Base URL of Beam\'s API' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l app-url -d 'Base URL of Beam\'s workspace API (list, result)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l workspace -d 'Workspace to list and read tasks in [default: the token\'s own]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l color -d 'When to color the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l request-timeout -d 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l all -d 'List every matching task'
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -l json -d 'Shorthand for --output json'
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -s q -l quiet -d 'Print nothing on stdout; the exit code says it all'
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -s v -l verbose -d 'Print each request and response line on stderr (the token as ***)'
complete -c beam-task -n "__fish_beam_task_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c beam-task -n "__fish_beam_task_using_subcommand result" -l jq -d 'Run a jq filter on the result and print its results, one a line: strings raw, anything else as compact JSON' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand result" -l token -d 'API token [default: the token in the config file]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand result" -l context -d 'Config-file context (section) to take the token from [default: default]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand result" -l config -d 'Config file [default: ~/.beam/config.ini]' -r -F
complete -c beam-task -n "__fish_beam_task_using_subcommand result" -l api-url -d 'Base URL of Beam\'s API' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand result" -l app-url -d 'Base URL of Beam\'s workspace API (list, result)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand result" -l workspace -d 'Workspace to list and read tasks in [default: the token\'s own]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand result" -l color -d 'When to color the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c beam-task -n "__fish_beam_task_using_subcommand result" -l request-timeout -d 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand result" -s v -l verbose -d 'Print each request and response line on stderr (the token as ***)'
complete -c beam-task -n "__fish_beam_task_using_subcommand result" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -s d -l dir -d 'Folder to save into, created if missing [default: the current folder]; with several tasks (or IDs from stdin), a subfolder per task' -r -F
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -l jq -d 'Run a jq filter on each file\'s {"task", "name", "path", "bytes", "saved"} and print its results, one a line: strings raw, anything else as compact JSON (implies --json)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -s j -l jobs -d 'How many files to download (and tasks to read) at once' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -l retries -d 'Further tries for each request after a connection error, a timeout, a body cut short, 429, 500, 502, 503 or 504' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -l token -d 'API token [default: the token in the config file]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -l context -d 'Config-file context (section) to take the token from [default: default]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -l config -d 'Config file [default: ~/.beam/config.ini]' -r -F
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -l api-url -d 'Base URL of Beam\'s API' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -l app-url -d 'Base URL of Beam\'s workspace API (list, result)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -l workspace -d 'Workspace to list and read tasks in [default: the token\'s own]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -l color -d 'When to color the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -l request-timeout -d 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -l force -d 'Replace files that already exist (a symbolic link is replaced itself, never followed)'
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -l json -d 'Print the files as a JSON array of {"task", "name", "path", "bytes", "saved"} instead of one path a line'
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -s q -l quiet -d 'Print nothing on stdout, and no progress or notes on stderr; the exit code says it all'
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -s v -l verbose -d 'Print each request and response line on stderr (the token as ***)'
complete -c beam-task -n "__fish_beam_task_using_subcommand download" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l tail -d 'Only the last N lines (0: none; with -f, only new ones)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l since -d 'Only lines written at or after WHEN: a duration back from now (10m, 6h, 7d), an RFC 3339 time, or a local date (from its start)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l jq -d 'Run a jq filter on each log record and print its results, one a line: strings raw, anything else as compact JSON (implies --json)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l timeout -d 'With -f: give up after this long (e.g. 90s, 10m, 2h; exit 124) [default: no limit]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l token -d 'API token [default: the token in the config file]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l context -d 'Config-file context (section) to take the token from [default: default]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l config -d 'Config file [default: ~/.beam/config.ini]' -r -F
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l api-url -d 'Base URL of Beam\'s API' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l app-url -d 'Base URL of Beam\'s workspace API (list, result)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l workspace -d 'Workspace to list and read tasks in [default: the token\'s own]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l color -d 'When to color the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l request-timeout -d 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -s f -l follow -d 'After the lines so far, print new ones as they come, until the task finishes (then its last lines, and its exit code)'
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l timestamps -d 'Begin each line with its time (RFC 3339, UTC) and a space'
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l json -d 'One log record per line, as JSON, as the API sent it (for jq -c)'
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -l exit-zero -d 'Exit 0 whenever the lines were read, whatever the task\'s status'
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -s q -l quiet -d 'Print nothing on stdout; the exit code says it all'
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -s v -l verbose -d 'Print each request and response line on stderr (the token as ***)'
complete -c beam-task -n "__fish_beam_task_using_subcommand logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c beam-task -n "__fish_beam_task_using_subcommand completions" -l token -d 'API token [default: the token in the config file]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand completions" -l context -d 'Config-file context (section) to take the token from [default: default]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand completions" -l config -d 'Config file [default: ~/.beam/config.ini]' -r -F
complete -c beam-task -n "__fish_beam_task_using_subcommand completions" -l api-url -d 'Base URL of Beam\'s API' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand completions" -l app-url -d 'Base URL of Beam\'s workspace API (list, result)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand completions" -l workspace -d 'Workspace to list and read tasks in [default: the token\'s own]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand completions" -l color -d 'When to color the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c beam-task -n "__fish_beam_task_using_subcommand completions" -l request-timeout -d 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand completions" -s v -l verbose -d 'Print each request and response line on stderr (the token as ***)'
complete -c beam-task -n "__fish_beam_task_using_subcommand completions" -s h -l help -d 'Print help'
complete -c beam-task -n "__fish_beam_task_using_subcommand man" -l token -d 'API token [default: the token in the config file]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand man" -l context -d 'Config-file context (section) to take the token from [default: default]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand man" -l config -d 'Config file [default: ~/.beam/config.ini]' -r -F
complete -c beam-task -n "__fish_beam_task_using_subcommand man" -l api-url -d 'Base URL of Beam\'s API' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand man" -l app-url -d 'Base URL of Beam\'s workspace API (list, result)' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand man" -l workspace -d 'Workspace to list and read tasks in [default: the token\'s own]' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand man" -l color -d 'When to color the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c beam-task -n "__fish_beam_task_using_subcommand man" -l request-timeout -d 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file' -r
complete -c beam-task -n "__fish_beam_task_using_subcommand man" -s v -l verbose -d 'Print each request and response line on stderr (the token as ***)'
complete -c beam-task -n "__fish_beam_task_using_subcommand man" -s h -l help -d 'Print help'
complete -c beam-task -n "__fish_beam_task_using_subcommand help; and not __fish_seen_subcommand_from status wait cancel list result download logs completions man help" -f -a "status" -d 'Show the status of one or more tasks'
complete -c beam-task -n "__fish_beam_task_using_subcommand help; and not __fish_seen_subcommand_from status wait cancel list result download logs completions man help" -f -a "wait" -d 'Wait until tasks finish, then show their status'
complete -c beam-task -n "__fish_beam_task_using_subcommand help; and not __fish_seen_subcommand_from status wait cancel list result download logs completions man help" -f -a "cancel" -d 'Cancel tasks, then read them until they show as stopped'
complete -c beam-task -n "__fish_beam_task_using_subcommand help; and not __fish_seen_subcommand_from status wait cancel list result download logs completions man help" -f -a "list" -d 'List the workspace\'s tasks, newest first'
complete -c beam-task -n "__fish_beam_task_using_subcommand help; and not __fish_seen_subcommand_from status wait cancel list result download logs completions man help" -f -a "result" -d 'Print what a task returned, as JSON'
complete -c beam-task -n "__fish_beam_task_using_subcommand help; and not __fish_seen_subcommand_from status wait cancel list result download logs completions man help" -f -a "download" -d 'Save the output files of finished tasks'
complete -c beam-task -n "__fish_beam_task_using_subcommand help; and not __fish_seen_subcommand_from status wait cancel list result download logs completions man help" -f -a "logs" -d 'Print a task\'s output lines; with -f, until the task ends'
complete -c beam-task -n "__fish_beam_task_using_subcommand help; and not __fish_seen_subcommand_from status wait cancel list result download logs completions man help" -f -a "completions" -d 'Print the completion script for a shell'
complete -c beam-task -n "__fish_beam_task_using_subcommand help; and not __fish_seen_subcommand_from status wait cancel list result download logs completions man help" -f -a "man" -d 'Print the man page (roff)'
complete -c beam-task -n "__fish_beam_task_using_subcommand help; and not __fish_seen_subcommand_from status wait cancel list result download logs completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
