//! `hoidap check`: every problem in the content, in one run.

use super::report::{self, Format};
use super::{SiteArgs, exit};
use hoidap::build;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub site: SiteArgs,
    /// How to print problems.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

pub fn run(args: Args) -> u8 {
    let root = &args.site.root;
    match build::check_site(root) {
        Ok((site, problems)) => {
            report::print(&problems, root, args.format);
            let failed = site.is_none() || (args.deny_warnings && !problems.is_empty());
            if failed {
                exit::CONTENT
            } else {
                if args.format == Format::Human && problems.is_empty() {
                    let records = site.map_or(0, |s| s.archive.records.len());
                    eprintln!("checked {records} records: no problems");
                }
                exit::OK
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::FAILURE
        }
    }
}
