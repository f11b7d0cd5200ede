//! Integration tests: one binary, real nats-server processes.

/// Real nats-servers, per-test settings, the in-process service, polling helpers.
mod harness;

/// The seed page end to end: published page in, topic subjects out.
mod pipeline;

/// Every kind of bad input lands on the dead-letter subject and is terminated.
mod bad_input;

/// Publishing the same page twice stores no duplicate article.
mod dedup;

/// Graceful shutdown leaves nothing unacknowledged and loses nothing.
mod shutdown;

/// Faults: a NATS restart mid-run.
mod faults;

/// Client commands: PDF pages in, input checks, quiet logs, a clean terminal.
mod client;

/// `verify` finds what a server lost and `replay` restores exactly that.
mod repair;

/// Transient failures retried with backoff then dead-lettered; slow pages hold up nothing.
mod poison;

/// Token, user/password, nkey, credentials file and TLS with client certificates.
mod security;

/// 10,000 pages at once: bounded memory, nothing dropped.
mod flood;

/// Existing streams and consumers that differ from the configuration.
mod drift;

/// Health, readiness, metrics and the NATS micro service.
mod ops;

/// The core's purity, checked on its source.
mod architecture;

/// The binary: parse, config, serve under SIGTERM, publish/tail and the demo.
mod cli;
