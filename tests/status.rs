//! `beam-task status` against a local mock of Beam's API.

mod common;

use common::{Beam, TOKEN, fixture, mock_task, task_json};

#[test]
fn seed_example_prints_a_card_and_exits_0() {
    let mut server = mockito::Server::new();
    let mock = mock_task(&mut server, "abc", 200, &fixture("seed_complete.json"));
    let run = Beam::new(&server.url())
        .args(["status", "abc"])
        .run()
        .code(0);
    mock.assert();
    assert!(run.stdout.contains("✓ COMPLETE"), "{}", run.stdout);
    assert!(run.stdout.contains("endpoint/deployment/app:squared"));
    assert!(run.stdout.contains("2024-07-22 14:02:28 UTC"));
    assert!(
        run.stdout
            .contains("endpoint-d327e987-759d-493e-b3e4-005774bcf998-8b747792")
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn request_sends_bearer_token_accept_and_user_agent() {
    let mut server = mockito::Server::new();
    let mock = server
        .mock("GET", "/v2/task/abc/")
        .match_header("authorization", format!("Bearer {TOKEN}").as_str())
        .match_header("accept", "application/json")
        .match_header(
            "user-agent",
            format!("beam-task/{}", env!("CARGO_PKG_VERSION")).as_str(),
        )
        .with_body(task_json("COMPLETE"))
        .create();
    Beam::new(&server.url())
        .args(["status", "abc"])
        .run()
        .code(0);
    mock.assert();
}
