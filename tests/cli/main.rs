//! The integration tests: the built `beam-task` run as a user runs it,
//! against local servers only. One test binary (cargo's target `cli`), a
//! module per command or concern, so that the test code and its
//! dependencies (mockito, rustls, ...) are compiled and linked once.
//!
//! `cargo test --test cli status::` runs one module's tests.

mod support;

mod architecture;
mod batch;
mod cancel;
mod completions;
mod config;
mod download;
mod durations;
mod jq;
mod list;
mod live;
mod logs;
mod proxies;
mod readme;
mod resilience;
mod signals;
mod status;
mod stdout;
mod subscribe;
mod terminal;
mod view;
mod wait;
