//! Duration options: values out of range are usage errors, never a panic.

use crate::support::Beam;

#[test]
fn durations_beyond_366_days_exit_2_before_any_request() {
    let mut server = mockito::Server::new();
    let any = server.mock("GET", mockito::Matcher::Any).expect(0).create();
    for args in [
        &["--request-timeout", "9223372036854775807s", "status", "x"][..],
        &["wait", "x", "--timeout", "9223372036854775807s"],
        &["wait", "x", "--interval", "8785h"],
    ] {
        let run = Beam::new(&server.url()).args(args).run().code(2);
        assert!(
            run.stderr
                .contains("the duration must be at most 366 days (8784h)"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("internal error"), "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    any.assert();
}
