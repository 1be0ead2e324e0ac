//! The `entitle-server` binary: reads the configuration, sets up logging and serves until SIGINT/SIGTERM.

use std::process::ExitCode;

use clap::Parser;
use entitle_server::config::Config;

/// mimalloc rather than glibc's malloc: glibc raises its mmap threshold after the first argon2 block
/// (19 MiB) is freed and then keeps every later one on the heap, so a burst of sign-ins left the server
/// at 145 MB; mimalloc hands freed memory back to the system.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    entitle_server::telemetry::init();
    match entitle_server::serve(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One clear line for the operator, not a panic trace.
            eprintln!("entitle-server: {e}");
            ExitCode::FAILURE
        }
    }
}
