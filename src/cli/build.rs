//! `hoidap build`: check, then build the site beside the last good output and swap it in.

use super::exit;
use super::report;
use hoidap::build::{self, BuildOptions};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site and how problems are reported, as for `check`.
    #[command(flatten)]
    pub check: super::check::Args,
    /// Output folder (default: public/ inside the site).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Base URL to build for, instead of site.toml's base_url.
    #[arg(long)]
    pub base_url: Option<String>,
    /// The date the build counts as today (YYYY-MM-DD), for reproducible statistics.
    #[arg(long)]
    pub today: Option<jiff::civil::Date>,
}

pub fn run(args: Args) -> u8 {
    // The time the user waited, loading and checking the content included.
    let started = std::time::Instant::now();
    let check = &args.check;
    let root = &check.site.root;
    let (site, problems) = match build::check_site(root) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::FAILURE;
        }
    };
    if !problems.is_empty() {
        report::print(&problems, root, check.format);
    }
    let Some(site) = super::check::accepted(site, &problems, check.deny_warnings) else {
        eprintln!("nothing was written: the previous output is unchanged");
        return exit::CONTENT;
    };
    let options = BuildOptions {
        output: args.output,
        base_url: args.base_url,
        today: args.today,
    };
    match build::build(&site, &options) {
        Ok(r) => {
            eprintln!(
                "built {} pages ({} files, {:.1} MiB) from {} records into {} in {:.2} s",
                r.pages,
                r.files,
                r.bytes as f64 / 1_048_576.0,
                r.records,
                r.output.display(),
                started.elapsed().as_secs_f64()
            );
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {e}\nnothing was written: the previous output is unchanged");
            exit::FAILURE
        }
    }
}
