//! Showing problems: rustc-style snippets for people, JSON for tools, annotations for GitHub.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use hoidap::diagnostics::{Diagnostic, Severity};
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with the spot underlined (coloured on a terminal).
    #[default]
    Human,
    /// One JSON object per line: file, line, column, severity, code, message.
    Json,
    /// GitHub Actions workflow commands, shown on the lines of a pull request.
    Github,
}

/// Prints every problem and a closing count to stderr (human) or stdout (json, github).
pub fn print(problems: &[Diagnostic], root: &Path, format: Format) {
    match format {
        Format::Human => human(problems, root),
        Format::Json => {
            let mut out = std::io::stdout().lock();
            for d in problems {
                let _ = writeln!(out, "{}", serde_json::to_string(d).unwrap_or_default());
            }
        }
        Format::Github => {
            let mut out = std::io::stdout().lock();
            for d in problems {
                let _ = writeln!(out, "{}", github(d));
            }
        }
    }
}

fn human(problems: &[Diagnostic], root: &Path) {
    if problems.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut sources: HashMap<&str, Option<String>> = HashMap::new();
    let mut err = anstream::stderr().lock();
    for d in problems {
        let source = sources
            .entry(d.file.as_str())
            .or_insert_with(|| read_source(root, &d.file))
            .as_deref();
        let _ = writeln!(err, "{}\n", render_one(&renderer, d, source));
    }
    let errors = problems.iter().filter(|d| d.is_error()).count();
    let warnings = problems.len() - errors;
    let _ = writeln!(err, "{}", summary(errors, warnings));
}

pub fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

fn read_source(root: &Path, file: &str) -> Option<String> {
    let bytes = std::fs::read(root.join(file)).ok()?;
    hoidap::load::source::decode(bytes, file).ok()
}

fn render_one(renderer: &Renderer, d: &Diagnostic, source: Option<&str>) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.code);
    let location = format!("{}:{}:{}", d.file, d.line, d.column);
    let group = match (source, &d.span) {
        (Some(src), Some(span)) if span.end <= src.len() => {
            let span = if span.is_empty() {
                span.start..(span.start + 1).min(src.len())
            } else {
                span.clone()
            };
            title.element(
                Snippet::source(src)
                    .path(d.file.as_str())
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        }
        _ => {
            let place = if d.line == 0 {
                d.file.clone()
            } else {
                location
            };
            title.element(Level::NOTE.message(format!("in {place}")))
        }
    };
    let mut report = vec![group];
    if let Some(help) = &d.help {
        report.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    renderer.render(&report).to_string()
}

/// `::error file=…,line=…,col=…,title=…::message`, escaped as GitHub documents.
fn github(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let prop = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
            .replace(':', "%3A")
            .replace(',', "%2C")
    };
    let data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str(&format!(" ({h})"));
    }
    let mut props = format!("file={}", prop(&d.file));
    if d.line > 0 {
        props.push_str(&format!(",line={},col={}", d.line, d.column.max(1)));
    }
    props.push_str(&format!(",title={}", prop(&format!("hoidap {}", d.code))));
    format!("::{kind} {props}::{}", data(&message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_annotations_are_escaped() {
        let d = Diagnostic::at_line(
            Severity::Error,
            "E0231",
            "content/a,b.md",
            3,
            9,
            "unknown agency \"x\"\n100%".into(),
        );
        assert_eq!(
            github(&d),
            "::error file=content/a%2Cb.md,line=3,col=9,title=hoidap E0231::unknown agency \"x\"%0A100%25"
        );
    }

    #[test]
    fn snippets_underline_the_span() {
        let text = "---\nagency: so-xay-dng\n---\n";
        let d = Diagnostic::at_span(
            Severity::Error,
            "E0231",
            "content/a.md",
            text,
            12..22,
            "unknown agency".into(),
        )
        .with_help("did you mean `so-xay-dung`?");
        let out = render_one(&Renderer::plain(), &d, Some(text));
        assert!(out.contains("error[E0231]: unknown agency"), "{out}");
        assert!(out.contains("content/a.md:2:9"), "{out}");
        assert!(out.contains("^^^^^^^^^^"), "{out}");
        assert!(out.contains("help: did you mean"), "{out}");
    }
}
