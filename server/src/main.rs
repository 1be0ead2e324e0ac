//! The `entitle-server` binary: reads the configuration, sets up logging and serves until SIGINT/SIGTERM.

use std::process::ExitCode;

use clap::Parser;
use entitle_server::config::Config;

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
