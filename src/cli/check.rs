//! `hoidap check`: every problem in the content, in one run.

use super::report::{self, Format};
use super::{SiteArgs, exit};
use hoidap::build::{self, Site};
use hoidap::diagnostics::Diagnostic;

#[derive(Debug, clap::Args)]
// No argument group: `build` flattens these same options into its own.
#[group(skip)]
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

/// The site, if its content may be published: no errors, and no warnings under `--deny-warnings`.
pub fn accepted(site: Option<Site>, problems: &[Diagnostic], deny_warnings: bool) -> Option<Site> {
    site.filter(|_| !refused(problems, deny_warnings))
}

/// Whether the problems stop the content from being published.
fn refused(problems: &[Diagnostic], deny_warnings: bool) -> bool {
    problems.iter().any(Diagnostic::is_error) || (deny_warnings && !problems.is_empty())
}

pub fn run(args: Args) -> u8 {
    let root = &args.site.root;
    match build::check_content(root) {
        Ok(report) => {
            let problems = &report.problems;
            report::print(problems, root, args.format);
            if refused(problems, args.deny_warnings) {
                return exit::CONTENT;
            }
            if args.format == Format::Human && problems.is_empty() {
                eprintln!("checked {} records: no problems", report.records);
            }
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::FAILURE
        }
    }
}
