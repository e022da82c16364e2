//! The request path: one way to ask any host, over the checked endpoint,
//! its proxy and trust store, with retries and failures classified.

pub mod auth;
pub mod endpoint;
pub mod pool;
pub mod proxy;
pub mod request;
pub mod sse;
pub mod tls;
