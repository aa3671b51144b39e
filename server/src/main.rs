//! The `mahir` command: parses the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc hands freed memory back to the system: each password hash borrows 19 MiB, which
/// glibc's allocator would otherwise keep resident long after the login.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    mahir::cli::run(mahir::cli::Cli::parse())
}
