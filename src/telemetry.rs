//! Telemetry: tracing to stderr, human-readable or JSON.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::settings::LogFormat;

/// The level of async-nats's own events (one line per connection attempt,
/// repeating what newsdesk logs with the URL and the reason) unless the
/// filter names async_nats itself.
const ASYNC_NATS_LEVEL: &str = "async_nats=warn";

/// Installs the global subscriber. `level` is an `EnvFilter` directive;
/// `RUST_LOG`, when set, wins. Colours only when stderr is a terminal.
/// Calling it twice is harmless.
pub fn init(format: LogFormat, level: &str) {
    let level = if level.contains("async_nats") { level.to_string() } else { format!("{level},{ASYNC_NATS_LEVEL}") };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match format {
        LogFormat::Human => builder.try_init(),
        LogFormat::Json => builder.json().with_current_span(true).flatten_event(true).try_init(),
    };
}

/// The log filter of a command: the service commands log at the configured
/// level; client commands only warnings and errors unless asked (`-v`: the
/// configured level, `-vv`: debug).
pub fn command_level(service: bool, verbose: u8, configured: &str) -> String {
    match (service, verbose) {
        (true, 0) | (false, 1) => configured.to_string(),
        (false, 0) => "warn".to_string(),
        _ => "debug".to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn client_commands_are_quiet_unless_asked() {
        assert_eq!(super::command_level(false, 0, "info"), "warn");
        assert_eq!(super::command_level(false, 1, "info"), "info");
        assert_eq!(super::command_level(false, 2, "info"), "debug");
        assert_eq!(super::command_level(true, 0, "newsdesk=debug"), "newsdesk=debug");
        assert_eq!(super::command_level(true, 1, "info"), "debug");
    }
}
