//! The release and a site's CI fit together: `hoidap --version` names the commit; the
//! workflow `hoidap init` writes is the one docs/publishing.md shows, and its install step,
//! run here against a release packed as the release workflow packs it, installs the binary
//! and refuses one whose checksum is wrong; `cargo binstall` looks for the archives the
//! release workflow uploads.

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_hoidap");
const VERSION: &str = env!("CARGO_PKG_VERSION");
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");
/// The binary the workflow of a site downloads (GitHub's Linux runners are x86_64).
const LINUX: &str = "x86_64-unknown-linux-musl";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn yaml(source: &str) -> Value {
    serde_saphyr::from_str(source).unwrap_or_else(|e| panic!("not YAML: {e}"))
}

/// The `run` script of the step with this name in a job.
fn step_script<'a>(workflow: &'a Value, job: &str, name: &str) -> &'a str {
    workflow["jobs"][job]["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("no steps in job {job}"))
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step {name:?} in job {job}"))
}

/// The commit this crate's own checkout is at, as build.rs finds it; `None` from a source
/// archive without git history.
fn expected_commit() -> Option<String> {
    if let Some(commit) = option_env!("HOIDAP_COMMIT").map(str::trim)
        && !commit.is_empty()
    {
        return Some(commit.to_string());
    }
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(args)
            .current_dir(repo())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| text(&out.stdout).trim().to_string())
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != repo().canonicalize().ok()? {
        return None;
    }
    git(&["rev-parse", "--short=12", "HEAD"])
}

#[test]
fn version_names_the_commit() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(out.status.success());
    let commit = match expected_commit() {
        Some(commit) => {
            assert_eq!(commit.len(), 12, "{commit}");
            format!("commit {commit}")
        }
        None => "commit unknown: built without git".to_string(),
    };
    assert_eq!(
        text(&out.stdout).trim(),
        format!("hoidap {VERSION} ({commit})")
    );
}

/// The fenced YAML blocks of a Markdown file.
fn yaml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match current.as_mut() {
            None if line.trim_start() == "```yaml" => current = Some(String::new()),
            None => {}
            Some(_) if line.trim_start() == "```" => blocks.extend(current.take()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    blocks
}

#[test]
fn the_workflow_init_writes_is_the_one_the_docs_show() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = Command::new(BIN).arg("init").arg(&site).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(site.join(".github/workflows/hoidap.yml")).unwrap();
    assert_eq!(written, hoidap::scaffold::github_workflow());

    let docs = std::fs::read_to_string(repo().join("docs/publishing.md")).unwrap();
    let shown: Vec<String> = yaml_blocks(&docs)
        .into_iter()
        .filter(|b| b.contains("actions/deploy-pages"))
        .collect();
    assert_eq!(shown.len(), 1, "docs/publishing.md shows the workflow once");
    assert_eq!(
        shown[0], written,
        "docs/publishing.md must show the workflow `hoidap init` writes"
    );

    // No compiling where a site's CI runs, and the version is this one.
    let workflow = yaml(&written);
    let install = step_script(&workflow, "site", "Install hoidap");
    assert!(!written.contains("cargo "), "{written}");
    assert!(install.contains("sha256sum --check"), "{install}");
    assert_eq!(workflow["env"]["HOIDAP_VERSION"], VERSION);
    assert_eq!(workflow["env"]["HOIDAP_REPOSITORY"], REPOSITORY);
    let gitlab = yaml_blocks(&docs)
        .into_iter()
        .find(|b| b.contains("CI_PAGES_URL"))
        .expect("the GitLab example");
    assert!(!gitlab.contains("cargo "), "{gitlab}");
    assert!(gitlab.contains("sha256sum -c"), "{gitlab}");
    assert!(
        gitlab.contains(&format!("HOIDAP_VERSION: \"{VERSION}\"")),
        "{gitlab}"
    );
}

/// Serves the files under `root` over HTTP on 127.0.0.1 until the test ends; the base URL.
fn serve(root: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = String::new();
            let mut reader = BufReader::new(&stream);
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/");
            let file = (!path.contains(".."))
                .then(|| std::fs::read(root.join(path.trim_start_matches('/'))).ok())
                .flatten();
            let (status, body) = match file {
                Some(body) => ("200 OK", body),
                None => ("404 Not Found", b"not found".to_vec()),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    url
}

fn sh(script: &str, dir: &Path) -> Output {
    Command::new("sh")
        .args(["-c", script])
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Runs the install step as a GitHub runner would (`bash -e`), in a new runner folder.
fn install(script: &str, releases: &str, pinned: &str) -> (Output, tempfile::TempDir) {
    let runner = tempfile::tempdir().unwrap();
    let path_file = runner.path().join("github_path");
    std::fs::write(&path_file, "").unwrap();
    let out = Command::new("bash")
        .args(["-e", "-c", script])
        .env("HOIDAP_VERSION", VERSION)
        .env("HOIDAP_REPOSITORY", releases)
        .env("HOIDAP_SHA256", pinned)
        .env("RUNNER_TEMP", runner.path())
        .env("GITHUB_PATH", &path_file)
        .output()
        .unwrap();
    (out, runner)
}

#[cfg(unix)]
#[test]
fn the_install_step_of_the_workflow_installs_a_release_whose_checksum_matches() {
    for tool in ["bash", "curl", "tar", "sha256sum"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .unwrap();
        assert!(
            found.status.success(),
            "this test needs {tool} (as GitHub's runners have)"
        );
    }
    let workflow = yaml(&hoidap::scaffold::github_workflow());
    let script = step_script(&workflow, "site", "Install hoidap");

    // A release as .github/workflows/release.yml packs and checksums it, with a stand-in
    // for the binary (111 MB in a debug build: packing it would only slow the test down).
    let server_root = tempfile::tempdir().unwrap();
    let release = server_root
        .path()
        .join(format!("hoidap/releases/download/v{VERSION}"));
    let name = format!("hoidap-{VERSION}-{LINUX}");
    std::fs::create_dir_all(release.join(&name)).unwrap();
    let stand_in = release.join(&name).join("hoidap");
    std::fs::write(
        &stand_in,
        format!("#!/bin/sh\necho 'hoidap {VERSION} (stand-in)'\n"),
    )
    .unwrap();
    let mut mode = std::fs::metadata(&stand_in).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut mode, 0o755);
    std::fs::set_permissions(&stand_in, mode).unwrap();
    let pack = sh(
        &format!("tar -czf {name}.tar.gz {name} && sha256sum {name}.tar.gz > {name}.tar.gz.sha256"),
        &release,
    );
    assert!(pack.status.success(), "{}", text(&pack.stderr));
    let published = std::fs::read_to_string(release.join(format!("{name}.tar.gz.sha256"))).unwrap();
    let sha256 = published.split_whitespace().next().unwrap().to_string();
    let url = format!("{}/hoidap", serve(server_root.path()));

    for pinned in ["", sha256.as_str()] {
        let (out, runner) = install(script, &url, pinned);
        assert!(
            out.status.success(),
            "pinned {pinned:?}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        let path = std::fs::read_to_string(runner.path().join("github_path")).unwrap();
        let added = PathBuf::from(path.trim());
        assert_eq!(added, runner.path().join(&name));
        let version = Command::new(added.join("hoidap"))
            .arg("--version")
            .output()
            .unwrap();
        assert!(text(&version.stdout).starts_with(&format!("hoidap {VERSION} (")));
    }

    // A wrong checksum, pinned or published, stops the step before anything is installed.
    let wrong = format!("{:0>64}", "1");
    std::fs::write(
        release.join(format!("{name}.tar.gz.sha256")),
        format!("{wrong}  {name}.tar.gz\n"),
    )
    .unwrap();
    for pinned in [wrong.as_str(), ""] {
        let (out, runner) = install(script, &url, pinned);
        assert!(!out.status.success(), "pinned {pinned:?}: installed");
        assert!(
            text(&out.stderr).contains("FAILED") || text(&out.stdout).contains("FAILED"),
            "{}",
            text(&out.stderr)
        );
        let path = std::fs::read_to_string(runner.path().join("github_path")).unwrap();
        assert_eq!(path, "", "nothing is put on the PATH");
    }
    // A release that does not exist fails too.
    let (out, _runner) = install(script, &format!("{url}/missing"), "");
    assert!(!out.status.success());
}

#[test]
fn binstall_and_the_release_workflow_name_the_archives_alike() {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo().join("Cargo.toml")).unwrap()).unwrap();
    let binstall = &manifest["package"]["metadata"]["binstall"];
    let release =
        yaml(&std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap());
    let targets: Vec<&str> = release["jobs"]["binaries"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    for wanted in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&wanted), "{wanted} is not released");
    }
    for target in targets {
        let windows = target.contains("windows");
        let setting = |key: &str| {
            binstall
                .get("overrides")
                .and_then(|o| o.get(target))
                .and_then(|o| o.get(key))
                .or_else(|| binstall.get(key))
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("no {key} for {target}"))
                .replace("{ repo }", REPOSITORY)
                .replace("{ version }", VERSION)
                .replace("{ name }", "hoidap")
                .replace("{ bin }", "hoidap")
                .replace("{ target }", target)
                .replace("{ binary-ext }", if windows { ".exe" } else { "" })
        };
        let (ext, fmt) = if windows {
            ("zip", "zip")
        } else {
            ("tar.gz", "tgz")
        };
        let folder = format!("hoidap-{VERSION}-{target}");
        assert_eq!(
            setting("pkg-url"),
            format!("{REPOSITORY}/releases/download/v{VERSION}/{folder}.{ext}")
        );
        assert_eq!(setting("pkg-fmt"), fmt);
        let exe = if windows { ".exe" } else { "" };
        assert_eq!(setting("bin-dir"), format!("{folder}/hoidap{exe}"));
    }
    // The release workflow packs `hoidap-<version>-<target>/` into an archive of that name
    // and tags releases `v<version>`.
    let pack = step_script(&release, "binaries", "Pack and upload");
    for line in [
        r#"name="hoidap-${TAG#v}-$TARGET""#,
        r#"7z a -tzip "$name.zip" "$name""#,
        r#"tar -czf "$name.tar.gz" "$name""#,
    ] {
        assert!(pack.contains(line), "{line} not in {pack}");
    }
    // The workflow of a site downloads the Linux one, from the same place.
    let site = hoidap::scaffold::github_workflow();
    assert!(site.contains(&format!(
        r#"archive="hoidap-$HOIDAP_VERSION-{LINUX}.tar.gz""#
    )));
    assert!(
        site.contains(r#"url="$HOIDAP_REPOSITORY/releases/download/v$HOIDAP_VERSION/$archive""#)
    );
}
