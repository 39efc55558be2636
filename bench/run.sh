#!/usr/bin/env bash
# Benchmarks `hoidap check` and `hoidap build` (and Hugo on the same archive) on generated
# archives, and prints Markdown tables for BENCHMARKS.md.
#
# Usage: bench/run.sh [SIZE...]            default sizes: 1000 10000 100000
# Environment:
#   BENCH_DIR   where corpora and outputs go (default: a new folder under $TMPDIR)
#   RUNS        runs per measurement, the median is reported (default 3)
#   CHECK_RUNS  runs of `hoidap check` (default RUNS): its first run after the machine sat
#               idle re-reads the content from disk (see BENCHMARKS.md), so take 5 at 100,000
#   SEED        generator seed (default 1)
#   HUGO        0 to skip Hugo (default: run it when `hugo` is installed)
#   PLACES      where corpora and outputs go, measured in turn: "disk" (BENCH_DIR), "tmpfs"
#               (TMPFS_DIR, default a new folder under /dev/shm) or "disk tmpfs" (default disk)
#   COMPACT     1 to drop the page cache and compact memory before measuring (needs root): on a
#               machine that has run builds for hours, huge-page faults stall in compaction and
#               a build's system time doubles (see BENCHMARKS.md, ninth round)
#
# On the benchmark machine, creating a file or folder on ext4 costs far more than on a tmpfs
# (see BENCHMARKS.md), so absolute figures are taken on tmpfs; ratios to Hugo are fair on
# either, as both write to the same place.
#
# "build" starts from an empty output folder and no search index, as in CI on a fresh
# clone; "rebuild" builds again over the last build (unchanged content), as on a machine that
# keeps its output (hoidap then writes over the previous output, see docs/publishing.md).
# On disk, every fresh build (hoidap's and Hugo's) writes to a new folder under BENCH_DIR/out,
# and the script never removes them (remove BENCH_DIR when done, not between two runs of this
# script): on ext4 without a journal, as on the benchmark machine, creating a file scans
# past the inodes deleted in the last minutes, so a build right after `rm -rf` of the last
# output paid for the benchmark's own deletion, more with every run (the system time of a
# 10,000-record build grew from 1.4 s to 6 s over five runs).
# On tmpfs, where a deletion costs the next build nothing and every output is held in
# memory, the outputs of earlier runs are removed before each fresh build.
# Every run's wall, user and system seconds and peak KiB, with its command, are appended to
# runs.log in BENCH_DIR (or TMPFS_DIR; the tables give medians).
# Needs /usr/bin/time (Debian: apt-get install time) and, for the comparison, hugo.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$PWD
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 100000)
RUNS=${RUNS:-3}
SEED=${SEED:-1}
PLACES=${PLACES:-disk}
HUGO=${HUGO:-$(command -v hugo >/dev/null && echo 1 || echo 0)}
for place in $PLACES; do
    case $place in
        disk | tmpfs) ;;
        *)
            echo "PLACES: disk and/or tmpfs, not $place" >&2
            exit 2
            ;;
    esac
done
# The folder of a place, made once.
declare -A work_of
work_in() {
    if [ -z "${work_of[$1]:-}" ]; then
        case $1 in
            disk) work_of[disk]=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/hoidap-bench.XXXXXX")} ;;
            tmpfs) work_of[tmpfs]=${TMPFS_DIR:-$(mktemp -d /dev/shm/hoidap-bench.XXXXXX)} ;;
        esac
        mkdir -p "${work_of[$1]}"
    fi
    work=${work_of[$1]}
}

cargo build --release --quiet --bin hoidap --example generate
if [ "${COMPACT:-0}" = 1 ]; then
    sync
    if ! { echo 3 >/proc/sys/vm/drop_caches && echo 1 >/proc/sys/vm/compact_memory; } 2>/dev/null; then
        echo "COMPACT=1: cannot write /proc/sys/vm (not root?)" >&2
        exit 2
    fi
fi
target=${CARGO_TARGET_DIR:-$repo/target}
hoidap=$target/release/hoidap
generate=$target/release/examples/generate

echo "## Machine"
echo
echo "- cores: $(nproc); CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "- memory: $(free -h | awk '/^Mem:/ {print $2}'); kernel $(uname -r)"
echo "- load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- hoidap $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet || echo ' (with uncommitted changes)'); $(rustc --version)"
[ "$HUGO" = 1 ] && echo "- $(hugo version | cut -d' ' -f1-2)"
echo "- runs per figure: $RUNS (median by wall time); seed $SEED"
for place in $PLACES; do
    work_in "$place"
    echo "- $place: corpora and outputs in $work ($(df --output=fstype "$work" | tail -1))"
done
echo

# Runs a command RUNS times under /usr/bin/time; sets wall, cpu (user+sys), rss_mb of the
# median run. `before` is evaluated before each run; an argument @OUT@ becomes "$out".
measure() {
    local before=$1
    shift
    local rows=()
    for _ in $(seq "$RUNS"); do
        eval "$before"
        local args=("${@//@OUT@/$out}")
        /usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" "${args[@]}" >"$work/cmd.log" 2>&1 || {
            echo "failed: $*" >&2
            tail -20 "$work/cmd.log" >&2
            exit 1
        }
        rows+=("$(cat "$work/time.txt")")
        echo "$(cat "$work/time.txt")  ${args[*]}" >>"$work/runs.log"
    done
    read -r wall user sys rss < <(printf '%s\n' "${rows[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
    cpu=$(awk "BEGIN { printf \"%.2f\", $user + $sys }")
    rss_mb=$((rss / 1024))
}

# Files and bytes under a folder; the search payload is the part under search/.
count() {
    files=$(find "$1" -type f | wc -l)
    bytes=$(du -sb "$1" | cut -f1)
}

# A new, empty output folder in $out (see above).
outputs=0
out=
new_output() {
    if [ "$place" = tmpfs ] && [ -d "$work/out" ]; then
        find "$work/out" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
    fi
    # Names never come back, so a second run of the script into the same BENCH_DIR does not
    # build over the first one's output (nor its kept previous output).
    while :; do
        outputs=$((outputs + 1))
        out=$work/out/$1-$outputs
        [ -e "$out" ] || [ -e "$work/out/.$1-$outputs.hoidap-previous" ] || break
    done
}

mib() { awk "BEGIN { printf \"%.1f\", $1 / 1048576 }"; }

declare -a hoidap_rows check_rows hugo_rows
declare -A hoidap_wall hoidap_cpu
for place in $PLACES; do
    work_in "$place"
    for n in "${sizes[@]}"; do
        site=$work/site-$n
        if [ ! -f "$site/site.toml" ]; then
            "$generate" --records "$n" --seed "$SEED" --out "$site" >/dev/null
        fi
        content_mb=$(mib "$(du -sb "$site/content" | cut -f1)")

        RUNS=${CHECK_RUNS:-$RUNS} measure ":" "$hoidap" check --root "$site"
        check_rows+=("| $n | $place | $content_mb MiB | $wall s | $cpu s | $rss_mb MiB |")

        measure "new_output hoidap-$n; rm -rf '$site/.hoidap'" "$hoidap" build --root "$site" --output @OUT@
        fresh="$wall s | $cpu s ($sys s) | $rss_mb MiB"
        fresh_wall=$wall
        fresh_cpu=$cpu
        measure ":" "$hoidap" build --root "$site" --output "$out"
        rebuild="$wall s | $cpu s ($sys s)"
        count "$out"
        search_files=$(find "$out/search" -type f 2>/dev/null | wc -l)
        search_mb=$(mib "$(du -sb "$out/search" 2>/dev/null | cut -f1 || echo 0)")
        hoidap_rows+=("| $n | $place | $fresh | $rebuild | $files | $(mib "$bytes") MiB | $search_files files, $search_mb MiB |")
        hoidap_wall[$place-$n]=$fresh_wall
        hoidap_cpu[$place-$n]=$fresh_cpu

        if [ "$HUGO" = 1 ]; then
            hsite=$work/hugo-$n
            [ -f "$hsite/config.toml" ] || bench/hugo.sh "$site" "$hsite" >/dev/null
            measure "new_output hugo-$n; rm -rf '$hsite/resources'" hugo --source "$hsite" --quiet --destination @OUT@
            count "$out"
            ratio=$(awk "BEGIN { printf \"%.1f\", $wall / ${hoidap_wall[$place-$n]} }")
            cpu_ratio=$(awk "BEGIN { printf \"%.1f\", $cpu / ${hoidap_cpu[$place-$n]} }")
            hugo_rows+=("| $n | $place | $wall s | $cpu s | $rss_mb MiB | $files | $(mib "$bytes") MiB | ${ratio}× | ${cpu_ratio}× |")
        fi
    done
done

echo "## hoidap check"
echo
echo "| records | on | content | wall | CPU | peak RSS |"
echo "|---:|---|---:|---:|---:|---:|"
printf '%s\n' "${check_rows[@]}"
echo
echo "## hoidap build (every page, feed, export and the static search index; hoidap search and serve write the tantivy index when they need it)"
echo
echo "| records | on | build: wall | CPU (system) | peak RSS | rebuild: wall | CPU (system) | files | bytes | static search |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${hoidap_rows[@]}"
if [ "$HUGO" = 1 ]; then
    echo
    echo "## Hugo on the same archive (bench/hugo.sh)"
    echo
    echo "| records | on | wall | CPU | peak RSS | files | bytes | Hugo / hoidap, wall | Hugo / hoidap, CPU |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${hugo_rows[@]}"
fi

echo
for place in $PLACES; do
    echo "Outputs on $place are in ${work_of[$place]}/out; remove them when done (see the top of this script)."
done
