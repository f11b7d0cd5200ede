//! The `newsdesk` binary: parses the command line and hands over to [`newsdesk::cli`].

use std::process::ExitCode;

fn main() -> ExitCode {
    newsdesk::cli::main()
}
