#!/usr/bin/env python3
"""Turns one bench/run.sh result directory into a Markdown table (stdout): one row per load, one column
group per peer, plus netserver's ratios to the plain Netty and asyncio peers and the issue's targets."""
import glob
import json
import os
import sys

PEERS = ["textbook", "asyncio", "netty", "netserver"]
LOADS = ["greet", "echo", "stream", "udp64", "udp1400", "hold"]
LOAD_TEXT = {
    "greet": "greet, 50 conn",
    "echo": "echo 64 B, 50 conn",
    "stream": "stream 16 KiB, 8 x 8",
    "udp64": "udp 64 B, 8 x 16",
    "udp1400": "udp 1400 B, 8 x 16",
    "hold": "hold idle conn",
}


def load_results(directory):
    results = {}
    start = None
    for path in glob.glob(os.path.join(directory, "*.json")):
        name = os.path.basename(path)
        if name == "netserver.json":
            continue
        with open(path) as f:
            r = json.load(f)
        if r.get("mode") == "start":
            start = r
            continue
        if "load" in r and "label" in r:
            results[(r["load"], r["label"])] = r
    return results, start


def fmt_rate(r):
    if r is None:
        return "-"
    if r.get("failed"):
        return "failed"
    if r.get("load") == "hold":
        return f"{r.get('held', 0)} held"
    v = r.get("throughputPerSecond", 0)
    rounds = r.get("roundThroughputs", [])
    spread = f" ({_short(min(rounds))}–{_short(max(rounds))})" if len(rounds) > 1 else ""
    return f"{v:,.0f}/s{spread}"


def _short(v):
    return f"{v / 1000:.1f}k" if v >= 1000 else f"{v:.0f}"


def fmt_p99(r):
    if r is None or r.get("failed") or r.get("load") == "hold":
        return "-"
    p99 = r.get("latencyMicros", {}).get("p99")
    return "-" if p99 is None else f"{p99 / 1000:.2f} ms"


def fmt_extra(r):
    if r is None or r.get("failed"):
        return "-"
    parts = []
    if r.get("serverDied"):
        parts.append("**server died**")
    elif r.get("load") == "hold":
        parts.append(f"{r.get('serverKiBPerConnection', 0):.1f} KiB/conn")
    else:
        cores = r.get('serverCpuCores', 0)
        rate = r.get('throughputPerSecond', 0)
        # server CPU per exchange/message: the server's efficiency, less noisy than its throughput when the
        # load generator is what limits the rate
        per_op = f", {cores / rate * 1e6:.1f} µs/op" if rate else ""
        parts.append(f"cpu {cores:.2f}{per_op}")
    errors = r.get("errors", 0) + r.get("failed", 0)
    if errors:
        parts.append(f"**{errors} err**")
    if r.get("lost"):
        parts.append(f"{r['lost']} lost")
    return ", ".join(parts)


def ratio(results, load, a, b):
    ra, rb = results.get((load, a)), results.get((load, b))
    if not ra or not rb or ra.get("failed") or rb.get("failed"):
        return None
    if load == "hold":
        ka, kb = ra.get("serverKiBPerConnection"), rb.get("serverKiBPerConnection")
        return None if not ka or not kb else ka / kb
    ta, tb = ra.get("throughputPerSecond", 0), rb.get("throughputPerSecond", 0)
    return None if not tb else ta / tb


def main(directory):
    results, start = load_results(directory)
    peers = [p for p in PEERS if any(k[1] == p for k in results)]
    loads = [l for l in LOADS if any(k[0] == l for k in results)]
    out = []
    out.append("| load | " + " | ".join(peers) + " | netserver / netty | netserver / asyncio |")
    out.append("|---|" + "---|" * (len(peers) + 2))
    for load in loads:
        cells = []
        for p in peers:
            r = results.get((load, p))
            cells.append(f"{fmt_rate(r)}<br>p99 {fmt_p99(r)}<br>{fmt_extra(r)}" if r else "-")
        vs_netty = ratio(results, load, "netserver", "netty")
        vs_asyncio = ratio(results, load, "netserver", "asyncio")
        cells.append("-" if vs_netty is None else f"{vs_netty:.2f}x")
        cells.append("-" if vs_asyncio is None else f"{vs_asyncio:.2f}x")
        out.append(f"| {LOAD_TEXT.get(load, load)} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Throughput: completed exchanges (greet), round trips (echo), messages (stream, udp) per second, "
               "after warm-up: the round with the median throughput (in brackets, the lowest and highest round); p99: latency of one exchange/message; cpu: server CPU in cores during the round, and per exchange/message; "
               "hold: server RSS growth per held connection (for hold the ratio column is memory, lower is better).")
    if start:
        out.append(f"netserver start to listening: {start['startMillis']} ms (JVM start included).")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
