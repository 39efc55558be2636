//! `hoidap new`: a pending record with the next free id, its front matter filled in.

use super::{SiteArgs, exit};
use hoidap::scaffold::record::{self, NewRecord};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The record's title: a one-line summary of the question.
    pub title: String,
    /// The id of the agency that answers (from content/agencies.yaml).
    #[arg(long)]
    pub agency: String,
    /// A topic id (from content/topics.yaml); repeat for several topics.
    #[arg(long = "topic", required = true)]
    pub topics: Vec<String>,
    /// The id of a dialogue session (from content/sessions.yaml).
    #[arg(long)]
    pub session: Option<String>,
    /// The date the question was received, YYYY-MM-DD (today by default).
    #[arg(long)]
    pub asked: Option<jiff::civil::Date>,
    #[command(flatten)]
    pub site: SiteArgs,
}

pub fn run(args: Args) -> u8 {
    let new = NewRecord {
        title: args.title,
        agency: args.agency,
        topics: args.topics,
        session: args.session,
        asked: args
            .asked
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date()),
    };
    match record::write(&args.site.root, &new) {
        Ok(written) => {
            println!("{}", written.path.display());
            eprintln!(
                "wrote record {} (pending): replace the placeholder line with the question",
                written.id
            );
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::FAILURE
        }
    }
}
