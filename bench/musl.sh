#!/usr/bin/env bash
# Builds the static Linux binary the release workflow ships (x86_64, musl, profile `dist`),
# checks that it is static, and that it builds the repository's example site byte for byte as
# the default binary (`cargo build --release`, glibc) does. Prints its size for BENCHMARKS.md.
#
# Usage: bench/musl.sh
# As root, it also builds the example with the binary alone in an empty root folder
# (chroot), as a user without privileges, as the container runs it.
# Needs rustup (adds the x86_64-unknown-linux-musl target if missing) and a musl C compiler for
# mimalloc's C code: Debian's musl-tools, installed here with apt-get (as root) if missing.
# Not part of .ci/run: it is two more release builds (about 5 minutes each on 2 idle cores).
# SKIP_BUILD=1 checks the binaries the last run built, as they are.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$PWD
triple=x86_64-unknown-linux-musl
target=${CARGO_TARGET_DIR:-$repo/target}

if ! rustup target list --installed | grep -qx "$triple"; then
    rustup target add "$triple"
fi
if ! command -v musl-gcc >/dev/null; then
    if [ "$(id -u)" != 0 ]; then
        echo "musl-gcc not found: install Debian's musl-tools (apt-get install musl-tools)" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends musl-tools >/dev/null
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    start=$(date +%s)
    CC_x86_64_unknown_linux_musl=musl-gcc \
        cargo build --locked --profile dist --target "$triple" --bin hoidap
    echo "musl build: $(($(date +%s) - start)) s"
    start=$(date +%s)
    cargo build --locked --release --bin hoidap
    echo "default build: $(($(date +%s) - start)) s"
fi
musl=$target/$triple/dist/hoidap
gnu=$target/release/hoidap

echo
echo "== is it static?"
file "$musl"
file "$musl" | grep -q 'static-pie linked\|statically linked' || {
    echo "not static: $musl" >&2
    exit 1
}
# glibc's ldd says "statically linked" of a static PIE (exit 0), "not a dynamic executable"
# of other static binaries (exit 1); it lists libraries otherwise.
ldd_out=$(ldd "$musl" 2>&1 || true)
echo "ldd: $ldd_out"
if ! grep -qE 'statically linked|not a dynamic executable' <<<"$ldd_out" || grep -q '=>' <<<"$ldd_out"; then
    echo "ldd lists shared libraries: $musl is not static" >&2
    exit 1
fi
"$musl" --version

echo
echo "== does it build the example as the default binary does?"
work=$(mktemp -d "${TMPDIR:-/tmp}/hoidap-musl.XXXXXX")
trap 'rm -rf "$work"' EXIT
for which in gnu musl; do
    bin=${!which}
    # A fresh copy of the site for each, so neither reuses the other's search index.
    mkdir -p "$work/$which"
    cp -r site.toml content "$work/$which/"
    [ -d themes ] && cp -r themes "$work/$which/"
    /usr/bin/time -f "$which: %e s wall, %U s user, %S s system, %M KiB peak" \
        "$bin" build --root "$work/$which" --output "$work/out-$which" >/dev/null
done
diff -r "$work/out-gnu" "$work/out-musl"
echo "identical: $(find "$work/out-musl" -type f | wc -l) files"

if [ "$(id -u)" = 0 ]; then
    echo
    echo "== does it build a site alone in an empty root, as a user without privileges?"
    # As in the container (Dockerfile: the binary alone on an empty base, user 65532): no
    # /etc, /tmp, /dev nor /proc.
    root=$work/root
    mkdir -p "$root/usr/local/bin" "$root/site"
    chmod 755 "$work" "$root"
    cp "$musl" "$root/usr/local/bin/"
    cp -r site.toml content "$root/site/"
    [ -d themes ] && cp -r themes "$root/site/"
    chown -R 65532:65532 "$root/site"
    chroot --userspec=65532:65532 "$root" /usr/local/bin/hoidap build --root /site
    diff -r "$work/out-musl" "$root/site/public"
    echo "identical to the build above"
fi

echo
echo "== sizes"
size() { stat -c %s "$1"; }
mib() { awk "BEGIN { printf \"%.1f\", $1 / 1048576 }"; }
echo "musl, dist profile (stripped): $(size "$musl") bytes ($(mib "$(size "$musl")") MiB)"
echo "default, release profile (glibc, line tables): $(size "$gnu") bytes ($(mib "$(size "$gnu")") MiB)"
tar -czf "$work/hoidap.tar.gz" -C "$(dirname "$musl")" hoidap
echo "musl binary in a .tar.gz: $(size "$work/hoidap.tar.gz") bytes ($(mib "$(size "$work/hoidap.tar.gz")") MiB)"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1); load $(cut -d' ' -f1-3 /proc/loadavg); $(rustc --version)"
