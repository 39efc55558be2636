//! Writes a synthetic archive for benchmarks:
//!
//! ```text
//! cargo run --release --example generate -- --records 10000 --out /some/dir [--seed 1]
//! ```

mod corpus;

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;

/// Write a deterministic synthetic hoidap site of N records.
#[derive(Debug, Parser)]
struct Args {
    /// How many records.
    #[arg(long)]
    records: usize,
    /// The folder to write the site into (created if missing; should be empty).
    #[arg(long)]
    out: PathBuf,
    /// The random seed: the same seed and count give byte-identical files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let opts = corpus::Options {
        records: args.records,
        seed: args.seed,
    };
    match corpus::generate(opts, &args.out) {
        Ok(summary) => {
            let [answered, pending, forwarded, declined] = summary.by_status;
            println!(
                "{} records, {} files, {} bytes: {answered} answered, {pending} pending, \
                 {forwarded} forwarded, {declined} declined",
                summary.records, summary.files, summary.bytes
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate: {}: {e}", args.out.display());
            ExitCode::from(2)
        }
    }
}
