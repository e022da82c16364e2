//! The request path: one way to ask any host, over the checked endpoint,
//! its proxy and trust store, with retries and failures classified.

pub mod auth;
pub mod classify;
pub mod client;
pub mod endpoint;
pub mod link;
pub mod pool;
pub mod proxy;
pub mod redirect;
pub mod retry;
pub mod sse;
pub mod stream;
pub mod tls;
