//! `hoidap import FILE.csv`: records from a spreadsheet (see `docs/import.md`).

use hoidap::import::{self, Options, Outcome, Report};
use std::path::PathBuf;

/// Options of `hoidap import`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example, for the FAQ export of the National Public Service Portal:\n  \
    hoidap import faq.csv --map question=cauHoi --map answer=cauTraLoi --map agency=boNganh \\\n    \
    --map source=link --map asker=phanLoai --map asked=lastUpdated --map answered=lastUpdated \\\n    \
    --set topics=thu-tuc-hanh-chinh\n\nSee docs/import.md for every rule."
)]
pub struct Args {
    /// The spreadsheet, saved as CSV.
    pub file: PathBuf,
    #[command(flatten)]
    pub site: super::SiteArgs,
    /// Take FIELD from COLUMN (repeatable). Fields: id, title, asked, asker (kind),
    /// asker.name, asker.place, agency, topics, session, channel, status, answered,
    /// answered_by, source, aliases, question, answer. A column named like a field is
    /// mapped without this.
    #[arg(long = "map", value_name = "FIELD=COLUMN", value_parser = pair)]
    pub map: Vec<(String, String)>,
    /// Use VALUE where a row has no value for FIELD (repeatable); the report counts the rows.
    /// Lists (topics, aliases) are separated by commas.
    #[arg(long = "set", value_name = "FIELD=VALUE", value_parser = pair)]
    pub set: Vec<(String, String)>,
    /// An agency that was renamed: rows naming OLD go to NEW (a name or an id; repeatable).
    #[arg(long = "agency-alias", value_name = "OLD=NEW")]
    pub agency_alias: Vec<String>,
    /// A file of `OLD=NEW` lines, as --agency-alias (repeatable).
    #[arg(long = "agency-aliases", value_name = "FILE")]
    pub agency_aliases: Vec<PathBuf>,
    /// The folder for new records, relative to the site.
    #[arg(long, value_name = "DIR", default_value = import::DEFAULT_INTO)]
    pub into: PathBuf,
    /// Prefix of derived ids (default: the source URL's host name, or `q`).
    #[arg(long, value_name = "PREFIX")]
    pub id_prefix: Option<String>,
    /// The CSV separator: `,`, `;` or `tab` (default: guessed from the header row).
    #[arg(long, value_name = "CHAR", value_parser = delimiter)]
    pub delimiter: Option<u8>,
    /// The cells hold Markdown: keep them as they are (no escaping, no list repair).
    #[arg(long)]
    pub markdown: bool,
    /// Show what would happen, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// List unchanged rows too.
    #[arg(long, short)]
    pub verbose: bool,
}

fn pair(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .filter(|(a, _)| !a.is_empty())
        .ok_or_else(|| format!("{s:?} is not of the form FIELD=VALUE"))
}

fn delimiter(s: &str) -> Result<u8, String> {
    match s {
        "," | "comma" => Ok(b','),
        ";" | "semicolon" => Ok(b';'),
        "\t" | "tab" | "\\t" => Ok(b'\t'),
        _ => Err(format!("{s:?}: use `,`, `;` or `tab`")),
    }
}

pub fn run(args: Args) -> u8 {
    let options = Options {
        root: args.site.root,
        file: args.file,
        map: args.map,
        set: args.set,
        agency_aliases: args.agency_alias,
        agency_alias_files: args.agency_aliases,
        into: Some(args.into),
        id_prefix: args.id_prefix,
        delimiter: args.delimiter,
        markdown: args.markdown,
        dry_run: args.dry_run,
    };
    match import::import(&options) {
        Ok(report) => {
            print_report(&report, &options, args.verbose);
            if report.skipped() > 0 {
                super::exit::CONTENT
            } else {
                super::exit::OK
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            super::exit::FAILURE
        }
    }
}

fn print_report(report: &Report, options: &Options, verbose: bool) {
    let columns: Vec<String> = report
        .columns
        .iter()
        .map(|(f, c)| format!("{} ← {c}", f.name()))
        .collect();
    println!("columns: {}", columns.join(", "));
    for (field, value, rows) in &report.defaults_used {
        println!(
            "default: {} = {value} (used in {} rows)",
            field.name(),
            thousands(*rows)
        );
    }
    for row in &report.rows {
        let file = row.file.as_deref().unwrap_or("-");
        match &row.outcome {
            Outcome::Created => println!("row {}: created {file}", row.row),
            Outcome::Updated => println!("row {}: updated {file}", row.row),
            Outcome::Unchanged if verbose => println!("row {}: unchanged {file}", row.row),
            Outcome::Unchanged => {}
            Outcome::Skipped(why) => println!("row {}: skipped: {why}", row.row),
        }
    }
    for (file, id, name) in &report.added {
        println!("new entry in {file}: {id} ({name})");
    }
    for (note, rows) in &report.notes {
        println!("note: {note} ({} rows)", thousands(*rows));
    }
    println!(
        "{}: {} rows: {} created, {} updated, {} unchanged, {} skipped",
        options.file.display(),
        thousands(report.rows.len()),
        thousands(report.created()),
        thousands(report.updated()),
        thousands(report.unchanged()),
        thousands(report.skipped()),
    );
    if report.dry_run {
        println!("dry run: nothing was written");
    }
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
