//! Embeds the default theme in the binary, so `hoidap init` sites and sites without a
//! `themes/` folder build with it; and names the commit the binary was built from, for
//! `hoidap --version`.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    // Read when the script runs, not when it is compiled: a compiled build script may be
    // reused for a copy of these sources in another folder.
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let manifest = manifest.as_path();
    embed_theme(manifest);
    let version = env!("CARGO_PKG_VERSION");
    let commit = match commit(manifest) {
        Some(commit) => format!("commit {commit}"),
        None => "commit unknown: built without git".to_string(),
    };
    println!("cargo:rustc-env=HOIDAP_VERSION={version} ({commit})");
    wrap_memcpy();
}

/// The static Linux binary (x86_64 musl, optimised) copies short runs of bytes itself
/// (src/memcpy.rs): the linker sends `memcpy` and `memmove` there, and the cfg
/// `hoidap_wrap_memcpy` compiles the wrappers, so both follow this one decision. Never
/// unoptimised: a block copy there might itself become a call to `memcpy`.
fn wrap_memcpy() {
    println!("cargo:rustc-check-cfg=cfg(hoidap_wrap_memcpy)");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_ENV") == "musl"
        && var("CARGO_CFG_TARGET_ARCH") == "x86_64"
        && var("OPT_LEVEL") != "0"
    {
        println!("cargo:rustc-cfg=hoidap_wrap_memcpy");
        println!("cargo:rustc-link-arg-bin=hoidap=-Wl,--wrap=memcpy,--wrap=memmove");
    }
}

fn embed_theme(manifest: &Path) {
    let root = manifest.join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut out = String::from("pub static FILES: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={abs}");
        writeln!(out, "    ({rel:?}, include_bytes!({abs:?})),").unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("default_theme.rs");
    std::fs::write(dest, out).unwrap();
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, path.to_string_lossy().into_owned()));
        }
    }
}

/// The commit checked out in this crate's own git repository (12 hex digits), or
/// `HOIDAP_COMMIT` when set (a build from a source archive that knows its commit, such as
/// the container build). `None` without either: a build from a crate tarball, or from
/// sources unpacked inside some other repository, has no commit of its own.
fn commit(manifest: &Path) -> Option<String> {
    println!("cargo:rerun-if-env-changed=HOIDAP_COMMIT");
    if let Ok(commit) = std::env::var("HOIDAP_COMMIT") {
        let commit = commit.trim();
        if !commit.is_empty() {
            return Some(commit.to_string());
        }
    }
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(manifest)
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    if top.canonicalize().ok()? != manifest.canonicalize().ok()? {
        return None;
    }
    let commit = git(&["rev-parse", "--short=12", "HEAD"])?;
    // Run again when HEAD moves: a checkout changes HEAD, a commit the branch's ref, which
    // lives in its own file or, once packed, in packed-refs (a commit then writes a new
    // file into the ref's folder).
    let mut watch = vec![git(&["rev-parse", "--git-path", "HEAD"])?];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        let file = git(&["rev-parse", "--git-path", &branch])?;
        if manifest.join(&file).exists() {
            watch.push(file);
        } else if let Some(folder) = Path::new(&file).parent() {
            watch.push(folder.to_string_lossy().into_owned());
        }
        watch.push(git(&["rev-parse", "--git-path", "packed-refs"])?);
    }
    for path in watch {
        let path = manifest.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    Some(commit)
}
