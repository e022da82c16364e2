//! What the run is asked to do: the arguments and the environment turned
//! into settings once, and the token found from its sources.

pub mod ini;
pub mod settings;
pub mod token;
