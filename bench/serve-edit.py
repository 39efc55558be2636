#!/usr/bin/env python3
"""Times `hoidap serve` from saving a record's answer to the new page being served.

Starts the preview on a site, waits for the first build and for the search index (so that
no background work is running), then edits the answers of --edits answered records one after
another: for each, the clock starts just before the file is written and stops when a GET of
the record's page returns the new text (polled every 2 ms). Prints each time with the line
the preview printed for it, then the median and the maximum. With --structural it finally
moves one record to another agency and times the full rebuild that follows. The edited files
are written back as they were when the preview has stopped.

Usage: bench/serve-edit.py --hoidap target/release/hoidap --site DIR [--edits 10] [--structural]
                           [--during-index]
Standard library only.
"""

import argparse
import os
import re
import statistics
import subprocess
import threading
import time
import urllib.request


def start(hoidap, site):
    proc = subprocess.Popen(
        [hoidap, "serve", "--root", site, "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    lines = []
    ready = threading.Event()
    url = []

    def read():
        for line in proc.stderr:
            lines.append(line.rstrip("\n"))
            m = re.search(r"serving the preview at (\S+)", line)
            if m:
                url.append(m.group(1))
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(3600):
        raise SystemExit("serve did not start")
    return proc, url[0], lines


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""


def wait_for(url, text, limit=600):
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if text in get(url):
            return time.perf_counter() - started
        time.sleep(0.002)
    raise SystemExit(f"{text!r} not served at {url} within {limit} s")


def answered_records(site, count):
    files = []
    for folder, _, names in os.walk(os.path.join(site, "content", "records")):
        files += [os.path.join(folder, n) for n in names if n.endswith(".md")]
    files.sort()
    picked = []
    step = max(1, len(files) // (count * 3))
    for path in files[::step]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if "status: answered" in text and "<!-- answer -->" in text:
            picked.append(path)
        if len(picked) == count:
            break
    return picked


def said_by(lines, seen, limit=10):
    """Waits for the preview's line about a rebuild, then a little for any that follow."""
    started = time.perf_counter()
    while len(lines) == seen and time.perf_counter() - started < limit:
        time.sleep(0.01)
    time.sleep(0.3)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        kb = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    return kb / 1024


def record_id(path):
    with open(path, encoding="utf-8") as f:
        m = re.search(r'^id: "?([^"\n]+)"?$', f.read(), re.M)
    return m.group(1)


# The text of every file before this run edited it, written back at the end.
originals = {}


def save(path, text):
    if path not in originals:
        with open(path, encoding="utf-8") as f:
            originals[path] = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def restore():
    for path, text in originals.items():
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hoidap", required=True)
    ap.add_argument("--site", required=True)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--structural", action="store_true")
    ap.add_argument(
        "--during-index",
        action="store_true",
        help="edit at once, without waiting for the search index (builds before the second round of issue 8 wrote it after serving the pages; now the build writes it first)",
    )
    args = ap.parse_args()

    t = time.perf_counter()
    proc, url, lines = start(args.hoidap, args.site)
    print(f"first build and start: {time.perf_counter() - t:.1f} s")
    stamp = os.path.join(args.site, ".hoidap", "search-index", "stamp")
    while not args.during_index and not os.path.exists(stamp):
        time.sleep(0.2)
    if not args.during_index:
        print(f"search index written: {time.perf_counter() - t:.1f} s")
        time.sleep(1)
    try:
        times = []
        for k, path in enumerate(answered_records(args.site, args.edits)):
            rid = record_id(path)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            marker = f"Sửa lần {k} lúc {time.time():.0f}."
            seen = len(lines)
            started = time.perf_counter()
            save(path, text.rstrip("\n") + f"\n\n{marker}\n")
            wait_for(f"{url}records/{rid}/", marker)
            took = time.perf_counter() - started
            times.append(took)
            said_by(lines, seen)
            said = " | ".join(lines[seen:])
            print(f"{rid}: {took * 1000:.0f} ms   [{said}]")
        print(f"resident memory of the preview: {rss_mib(proc.pid):.0f} MiB")
        print(
            f"save → served, {len(times)} edits: median {statistics.median(times) * 1000:.0f} ms, "
            f"max {max(times) * 1000:.0f} ms"
        )
        if args.structural:
            path = answered_records(args.site, 1)[0]
            rid = record_id(path)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            agency = re.search(r"^agency: (\S+)$", text, re.M).group(1)
            page = get(f"{url}records/{rid}/")
            with open(os.path.join(args.site, "content", "agencies.yaml"), encoding="utf-8") as f:
                ids = re.findall(r"^- id: (\S+)$", f.read(), re.M)
            other = next(i for i in ids if f"/agencies/{i}/" not in page)
            seen = len(lines)
            started = time.perf_counter()
            save(path, text.replace(f"agency: {agency}", f"agency: {other}", 1))
            wait_for(f"{url}records/{rid}/", f"/agencies/{other}/")
            took = time.perf_counter() - started
            said_by(lines, seen, limit=600)
            print(f"structural edit (agency) → served: {took:.2f} s   [{' | '.join(lines[seen:])}]")
    finally:
        proc.terminate()
        proc.wait()
        restore()


if __name__ == "__main__":
    main()
