//! The `newsdesk` binary: parses the command line and hands over to [`newsdesk::cli`].

use std::process::ExitCode;

fn main() -> ExitCode {
    newsdesk::cli::main()
}

/// The allocator: jemalloc, chosen by measurement (`newsdesk bench`, three
/// runs each, README "Performance"): against the system allocator slightly
/// more pages/s, less CPU a page and a lower p99 at a steady rate, at the
/// same peak RSS; mimalloc was faster still but doubled the peak RSS past the
/// 200 MB target, and its options that bring RSS down cost the speed.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
