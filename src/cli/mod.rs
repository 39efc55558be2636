//! The `hoidap` command line: one file per subcommand, each a thin layer over the library.

mod build;
mod check;
mod import;
mod init;
mod new;
mod report;
mod search;
mod serve;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Publish government question-and-answer records as a fast, searchable static website.
// The version names the commit it was built from (build.rs).
#[derive(Debug, Parser)]
#[command(name = "hoidap", version = env!("HOIDAP_VERSION"), about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the content, then build the site into the output folder.
    Build(build::Args),
    /// Check the content and report every problem, without building.
    Check(check::Args),
    /// Search the archive from the command line.
    Search(search::Args),
    /// Build, serve on 127.0.0.1 and rebuild on every change (live preview).
    Serve(serve::Args),
    /// Create a new site that builds at once.
    Init(init::Args),
    /// Write a new record with the next free id.
    New(new::Args),
    /// Import records from a CSV spreadsheet.
    Import(import::Args),
}

/// Options every command that reads a site shares.
#[derive(Debug, Clone, clap::Args)]
pub struct SiteArgs {
    /// The site folder (holding site.toml); the current folder by default.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Exit codes: 0 clean, 1 content errors, 2 usage or I/O failure.
pub mod exit {
    pub const OK: u8 = 0;
    pub const CONTENT: u8 = 1;
    pub const FAILURE: u8 = 2;
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Search(args) => search::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Init(args) => init::run(args),
        Command::New(args) => new::run(args),
        Command::Import(args) => import::run(args),
    };
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
