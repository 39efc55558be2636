//! `hoidap serve`: the live preview on 127.0.0.1, rebuilt on every change.

use super::report::{self, Format};
use super::{SiteArgs, exit};
use hoidap::serve::{self, Event, Redone, ServeOptions};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The port to listen on (0 picks a free one). The preview listens on 127.0.0.1 only.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the preview in the web browser.
    #[arg(long)]
    pub open: bool,
}

pub fn run(args: Args) -> u8 {
    let root: PathBuf = args.site.root.clone();
    let open = args.open;
    let report_root = root.clone();
    let reporter: serve::Reporter = Arc::new(move |event: Event| match event {
        Event::Listening { url } => {
            eprintln!("serving the preview at {url} (Ctrl-C stops it)");
            if open {
                open_browser(url);
            }
        }
        Event::Problems { problems } => report::print(problems, &report_root, Format::Human),
        Event::Built {
            pages,
            records,
            reread,
            checked,
            elapsed,
            redone: Redone::Everything { why },
        } => eprintln!(
            "rebuilt in {} ms, every page ({why}): read {reread} of {records} record files, checked in {} ms, {pages} pages",
            elapsed.as_millis(),
            checked.as_millis()
        ),
        Event::Built {
            pages,
            records,
            reread,
            checked,
            elapsed,
            redone: Redone::Pages { records: changed },
        } => eprintln!(
            "{pages} pages and feeds re-rendered in {} ms: {changed} record(s) changed; read {reread} of {records} record files, checked in {} ms",
            elapsed.as_millis(),
            checked.as_millis()
        ),
        Event::Kept { errors } => eprintln!(
            "{errors} error(s): still serving the last good build; fix the files and save"
        ),
        Event::Failed { message } => eprintln!("error: {message}"),
    });
    let options = ServeOptions {
        root,
        port: args.port,
    };
    match serve::run(&options, reporter) {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("error: {e}");
            exit::FAILURE
        }
    }
}

/// Asks the system to open `url`; prints it to open by hand when that is not possible.
fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let opened = command
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok();
    if !opened {
        eprintln!("open {url} in your web browser");
    }
}
