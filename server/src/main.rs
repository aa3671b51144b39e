//! The `mahir` command: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    mahir::cli::run(mahir::cli::Cli::parse())
}
