//! newsdesk: turns raw newspaper page dumps into routed, tagged articles.
//!
//! The crate has two rooms:
//! - [`core`]: the pure, synchronous pipeline (decode → split → tag → route).
//!   It imports neither tokio nor async-nats and is tested on files.
//! - the edge: [`settings`], [`telemetry`], [`bus`] (NATS/JetStream), [`app`]
//!   (the service loop and each page's outcome) and [`cli`] (the binary's
//!   subcommands).

pub mod app;
pub mod bus;
pub mod cli;
pub mod core;
pub mod settings;
pub mod telemetry;
