
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'beam-task' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'beam-task'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'beam-task' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token [default: the token in the config file]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Config-file context (section) to take the token from [default: default]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ~/.beam/config.ini]')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s API')
            [CompletionResult]::new('--app-url', '--app-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s workspace API (list, result)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace to list and read tasks in [default: the token''s own]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the status of one or more tasks')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until tasks finish, then show their status')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel tasks, then read them until they show as stopped')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the workspace''s tasks, newest first')
            [CompletionResult]::new('result', 'result', [CompletionResultType]::ParameterValue, 'Print what a task returned, as JSON')
            [CompletionResult]::new('download', 'download', [CompletionResultType]::ParameterValue, 'Save the output files of finished tasks')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a task''s output lines; with -f, until the task ends')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'beam-task;status' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Run a jq filter on each task and print its results, one a line: strings raw, anything else as compact JSON (implies --json)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'How many tasks to fetch at once')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'How many tasks to fetch at once')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Further tries for each request after a connection error, a timeout, 429, 500, 502, 503 or 504 [default: 3; with --wait: 10 in a row for each task, as for `beam-task wait`]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (e.g. 90s, 10m, 2h, 1h30m) [default: no limit]')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Poll at this fixed interval instead of the adaptive one (1 s growing to 10 s); at least 100ms')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token [default: the token in the config file]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Config-file context (section) to take the token from [default: default]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ~/.beam/config.ini]')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s API')
            [CompletionResult]::new('--app-url', '--app-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s workspace API (list, result)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace to list and read tasks in [default: the token''s own]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --output json')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Shorthand for --output raw')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code says it all')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code says it all')
            [CompletionResult]::new('--exit-zero', '--exit-zero', [CompletionResultType]::ParameterName, 'Exit 0 whenever every task was fetched, whatever its status')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until every task finishes, like `beam-task wait`')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop as soon as any task ends in a non-COMPLETE status')
            [CompletionResult]::new('--poll', '--poll', [CompletionResultType]::ParameterName, 'Poll the task API instead of listening to each task''s subscribe stream (--interval polls too)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'beam-task;wait' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Run a jq filter on each task and print its results, one a line: strings raw, anything else as compact JSON (implies --json)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'How many tasks to fetch at once')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'How many tasks to fetch at once')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Further tries of a task after transient failures in a row (a connection error, a timeout, 429, 5xx), 0.5 s, 1 s, 2 s, ... up to 30 s apart: the default rides out an outage of 2 minutes or more [default: 10]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (e.g. 90s, 10m, 2h, 1h30m) [default: no limit]')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Poll at this fixed interval instead of the adaptive one (1 s growing to 10 s); at least 100ms')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token [default: the token in the config file]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Config-file context (section) to take the token from [default: default]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ~/.beam/config.ini]')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s API')
            [CompletionResult]::new('--app-url', '--app-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s workspace API (list, result)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace to list and read tasks in [default: the token''s own]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --output json')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Shorthand for --output raw')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code says it all')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code says it all')
            [CompletionResult]::new('--exit-zero', '--exit-zero', [CompletionResultType]::ParameterName, 'Exit 0 whenever every task was fetched, whatever its status')
            [CompletionResult]::new('--fail-fast', '--fail-fast', [CompletionResultType]::ParameterName, 'Stop as soon as any task ends in a non-COMPLETE status')
            [CompletionResult]::new('--poll', '--poll', [CompletionResultType]::ParameterName, 'Poll the task API instead of listening to each task''s subscribe stream (--interval polls too)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'beam-task;cancel' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Run a jq filter on each task and print its results, one a line: strings raw, anything else as compact JSON (implies --json)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'How many tasks to fetch at once')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'How many tasks to fetch at once')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Further tries for each request after a connection error, a timeout, 429, 500, 502, 503 or 504')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to keep reading tasks that still run after the cancel')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token [default: the token in the config file]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Config-file context (section) to take the token from [default: default]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ~/.beam/config.ini]')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s API')
            [CompletionResult]::new('--app-url', '--app-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s workspace API (list, result)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace to list and read tasks in [default: the token''s own]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --output json')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Shorthand for --output raw')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code says it all')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code says it all')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Read the tasks and show which would be cancelled; cancel nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'beam-task;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only tasks with this status (repeat it, or separate with commas)')
            [CompletionResult]::new('--stub', '--stub', [CompletionResultType]::ParameterName, 'Only tasks of this stub (repeat it, or separate with commas)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only tasks created at or after WHEN: a duration back from now (90m, 6h, 7d), an RFC 3339 time, or a local date (2026-11-28: from its start)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only tasks created at or before WHEN, as for --since (a date: to its end)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many tasks to list, newest first')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Run a jq filter on each task and print its results, one a line: strings raw, anything else as compact JSON (implies --json)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token [default: the token in the config file]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Config-file context (section) to take the token from [default: default]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ~/.beam/config.ini]')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s API')
            [CompletionResult]::new('--app-url', '--app-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s workspace API (list, result)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace to list and read tasks in [default: the token''s own]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List every matching task')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Shorthand for --output json')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code says it all')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code says it all')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'beam-task;result' {
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Run a jq filter on the result and print its results, one a line: strings raw, anything else as compact JSON')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token [default: the token in the config file]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Config-file context (section) to take the token from [default: default]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ~/.beam/config.ini]')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s API')
            [CompletionResult]::new('--app-url', '--app-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s workspace API (list, result)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace to list and read tasks in [default: the token''s own]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'beam-task;download' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Folder to save into, created if missing [default: the current folder]; with several tasks (or IDs from stdin), a subfolder per task')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Folder to save into, created if missing [default: the current folder]; with several tasks (or IDs from stdin), a subfolder per task')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Run a jq filter on each file''s {"task", "name", "path", "bytes", "saved"} and print its results, one a line: strings raw, anything else as compact JSON (implies --json)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'How many files to download (and tasks to read) at once')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'How many files to download (and tasks to read) at once')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Further tries for each request after a connection error, a timeout, a body cut short, 429, 500, 502, 503 or 504')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token [default: the token in the config file]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Config-file context (section) to take the token from [default: default]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ~/.beam/config.ini]')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s API')
            [CompletionResult]::new('--app-url', '--app-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s workspace API (list, result)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace to list and read tasks in [default: the token''s own]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace files that already exist (a symbolic link is replaced itself, never followed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the files as a JSON array of {"task", "name", "path", "bytes", "saved"} instead of one path a line')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout, and no progress or notes on stderr; the exit code says it all')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout, and no progress or notes on stderr; the exit code says it all')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'beam-task;logs' {
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'Only the last N lines (0: none; with -f, only new ones)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only lines written at or after WHEN: a duration back from now (10m, 6h, 7d), an RFC 3339 time, or a local date (from its start)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Run a jq filter on each log record and print its results, one a line: strings raw, anything else as compact JSON (implies --json)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With -f: give up after this long (e.g. 90s, 10m, 2h; exit 124) [default: no limit]')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token [default: the token in the config file]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Config-file context (section) to take the token from [default: default]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ~/.beam/config.ini]')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s API')
            [CompletionResult]::new('--app-url', '--app-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s workspace API (list, result)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace to list and read tasks in [default: the token''s own]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'After the lines so far, print new ones as they come, until the task finishes (then its last lines, and its exit code)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'After the lines so far, print new ones as they come, until the task finishes (then its last lines, and its exit code)')
            [CompletionResult]::new('--timestamps', '--timestamps', [CompletionResultType]::ParameterName, 'Begin each line with its time (RFC 3339, UTC) and a space')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One log record per line, as JSON, as the API sent it (for jq -c)')
            [CompletionResult]::new('--exit-zero', '--exit-zero', [CompletionResultType]::ParameterName, 'Exit 0 whenever the lines were read, whatever the task''s status')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code says it all')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing on stdout; the exit code says it all')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'beam-task;completions' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token [default: the token in the config file]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Config-file context (section) to take the token from [default: default]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ~/.beam/config.ini]')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s API')
            [CompletionResult]::new('--app-url', '--app-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s workspace API (list, result)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace to list and read tasks in [default: the token''s own]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'beam-task;man' {
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'API token [default: the token in the config file]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Config-file context (section) to take the token from [default: default]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file [default: ~/.beam/config.ini]')
            [CompletionResult]::new('--api-url', '--api-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s API')
            [CompletionResult]::new('--app-url', '--app-url', [CompletionResultType]::ParameterName, 'Base URL of Beam''s workspace API (list, result)')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Workspace to list and read tasks in [default: the token''s own]')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color the output')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Bound on each whole request, connection included (e.g. 30s, 2m); on a download, on the wait for the answer and each silence in the file')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print each request and response line on stderr (the token as ***)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'beam-task;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show the status of one or more tasks')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until tasks finish, then show their status')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel tasks, then read them until they show as stopped')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the workspace''s tasks, newest first')
            [CompletionResult]::new('result', 'result', [CompletionResultType]::ParameterValue, 'Print what a task returned, as JSON')
            [CompletionResult]::new('download', 'download', [CompletionResultType]::ParameterValue, 'Save the output files of finished tasks')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a task''s output lines; with -f, until the task ends')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the completion script for a shell')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'beam-task;help;status' {
            break
        }
        'beam-task;help;wait' {
            break
        }
        'beam-task;help;cancel' {
            break
        }
        'beam-task;help;list' {
            break
        }
        'beam-task;help;result' {
            break
        }
        'beam-task;help;download' {
            break
        }
        'beam-task;help;logs' {
            break
        }
        'beam-task;help;completions' {
            break
        }
        'beam-task;help;man' {
            break
        }
        'beam-task;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
