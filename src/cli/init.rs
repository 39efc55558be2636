//! `hoidap init`: a new site that builds and passes `hoidap check` at once.

use super::exit;
use hoidap::config::Language;
use hoidap::scaffold::{self, InitOptions};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Vi,
    En,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to create the site in; it must be new or empty.
    pub dir: PathBuf,
    /// The language of the interface and of the example files.
    #[arg(long, value_enum, default_value_t = Lang::Vi)]
    pub language: Lang,
    /// The site's title (a default in its language otherwise).
    #[arg(long)]
    pub title: Option<String>,
    /// The address the site will be published at (a placeholder otherwise).
    #[arg(long)]
    pub base_url: Option<String>,
}

pub fn run(args: Args) -> u8 {
    let options = InitOptions {
        language: match args.language {
            Lang::Vi => Language::Vi,
            Lang::En => Language::En,
        },
        title: args.title,
        base_url: args.base_url,
        today: jiff::ZonedDateTime::now().date(),
    };
    match scaffold::init(&args.dir, &options) {
        Ok(files) => {
            for f in &files {
                println!("{}", args.dir.join(f).display());
            }
            let dir = args.dir.display();
            eprintln!("created a new site in {dir}");
            eprintln!("next: `hoidap serve --root {dir}` to preview it, then edit site.toml");
            if options.base_url.is_none() {
                eprintln!(
                    "remember to set base_url in site.toml (now {})",
                    scaffold::PLACEHOLDER_BASE_URL
                );
            }
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::FAILURE
        }
    }
}
