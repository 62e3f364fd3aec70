#!/usr/bin/env python3
"""Turns one bench/run.sh result directory into a Markdown table (stdout): one row per load, one column
per server, plus netserver's ratios to the plain Netty and asyncio peers (and of its vertx engine to its direct
engine, when the run has both), and what the run held equal.

Each metric is its own median over the rounds (harness.summarize), with the lowest and highest round in
brackets. Directories written before run.sh kept those medians (one JSON per server and load holding its
median-throughput round) are summarized again from their rounds/ files, so they read the same way.

  bench/report.py DIRECTORY
"""
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402 (next to this file)

PEERS = ["textbook", "asyncio", "netty", "netserver", "netserver-vertx"]
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
    """The summary of each (load, server), the start time, and whether old results were re-summarized."""
    results, start, resummarized = {}, None, False
    for path in glob.glob(os.path.join(directory, "*.json")):
        r = harness.read_json(path)
        if r.get("mode") == "start":
            start = r
            continue
        if "load" not in r or "label" not in r:
            continue  # netserver.json (its configuration), run.json
        load, peer = r["load"], r["label"]
        if load != "hold" and "medians" not in r:
            rounds = harness.round_files(os.path.join(directory, "rounds"), peer, load)
            if rounds:
                r = harness.summarize([harness.read_json(p) for p in rounds])
                resummarized = True
        results[(load, peer)] = r
    return results, start, resummarized


def _short(v):
    return f"{v / 1000:.1f}k" if v >= 1000 else f"{v:.0f}"


def metric(r, name, fmt, scale=1.0, unit="", spread_fmt=None):
    """A metric's median with its lowest and highest round, e.g. "5.73 ms (5.12–6.64)"."""
    m = r.get("medians", {}).get(name)
    if m is None:
        return None
    spread_fmt = spread_fmt or fmt
    text = fmt(m["median"] / scale) + unit
    if len(m["values"]) > 1:
        text += f" ({spread_fmt(m['min'] / scale)}–{spread_fmt(m['max'] / scale)})"
    return text


def load_cell(r):
    if r.get("failed"):
        return "failed"
    lines = []
    rate = metric(r, "throughputPerSecond", lambda v: f"{v:,.0f}", unit="/s", spread_fmt=_short)
    if rate is None:  # a single old result: its throughput and the other rounds' throughputs
        rounds = r.get("roundThroughputs", [])
        spread = f" ({_short(min(rounds))}–{_short(max(rounds))})" if len(rounds) > 1 else ""
        lines.append(f"{r.get('throughputPerSecond', 0):,.0f}/s{spread}")
        p99 = (r.get("latencyMicros") or {}).get("p99")
        lines.append("p99 -" if p99 is None else f"p99 {p99 / 1000:.2f} ms")
    else:
        lines.append(rate)
        for name, label in (("p50Micros", "p50"), ("p99Micros", "p99")):
            v = metric(r, name, lambda v: f"{v:.2f}", 1000, " ms")
            if v is not None:
                lines.append(f"{label} {v}")
        cpu = metric(r, "serverCpuMicrosPerOp", lambda v: f"{v:.1f}", unit=" µs/op")
        if cpu is not None:
            lines.append(f"cpu {cpu}")
    flags = []
    # errors and losses are totals: of every round (of the one round, in a single old result)
    over = f" in {r['rounds']} rounds" if r.get("rounds", 1) > 1 else ""
    if r.get("serverDied"):
        rounds = r.get("serverDiedRounds")
        flags.append("**server died**" + (f" in {rounds} of {r['rounds']} rounds" if rounds else ""))
    errors = r.get("errors", 0)
    if errors:
        flags.append(f"**{errors} err**{over}")
    if r.get("lost"):
        flags.append(f"{r['lost']} lost{over}")
    if r.get("failedRounds"):
        flags.append(f"**{r['failedRounds']} round(s) failed**")
    if flags:
        lines.append(", ".join(flags))
    return "<br>".join(lines)


def hold_cell(r):
    if r.get("failed") or "serverKiBPerConnection" not in r:
        return "failed"
    lines = [f"{r['serverKiBPerConnection']:.1f} KiB/conn"]
    samples = r.get("serverRssSamples")
    before, during = r.get("serverRssBeforeKiB", 0) / 1024, r.get("serverRssKiB", 0) / 1024
    if samples:
        lines.append(f"RSS {before:.1f} → {during:.1f} MiB ({samples['heldMinKiB'] / 1024:.1f}–"
                     f"{samples['heldMaxKiB'] / 1024:.1f}, {samples['held']} samples)")
    else:
        lines.append(f"RSS {before:.1f} → {during:.1f} MiB (one sample each)")
    lines.append(f"{r.get('held', 0)} held")
    connect = r.get("latencyMicros") or {}
    if "p99" in connect:
        # a connect near 1 s or 3 s is a SYN retransmitted: a full accept queue
        lines.append(f"connect p99 {connect['p99'] / 1000:.1f} ms, p99.9 {connect.get('p999', 0) / 1000:.1f} ms")
    if r.get("failed") or r.get("errors"):
        lines.append(f"**{r.get('errors', 0)} err**")
    return "<br>".join(lines)


def ratio(results, load, a, b, key):
    ra, rb = results.get((load, a)), results.get((load, b))
    if not ra or not rb or ra.get("failed") or rb.get("failed"):
        return None
    va, vb = ra.get(key), rb.get(key)
    if key == "serverCpuMicrosPerOp" and (va is None or vb is None):
        va, vb = harness.cpu_per_op(ra), harness.cpu_per_op(rb)
    return None if not va or not vb else va / vb


def ratio_cell(results, load, other, this="netserver"):
    if load == "hold":
        v = ratio(results, load, this, other, "serverKiBPerConnection")
        return "-" if v is None else f"{v:.2f}x"
    rate = ratio(results, load, this, other, "throughputPerSecond")
    cpu = ratio(results, load, this, other, "serverCpuMicrosPerOp")
    if rate is None:
        return "-"
    return f"{rate:.2f}x" + ("" if cpu is None else f"<br>cpu/op {cpu:.2f}x")


def run_notes(directory):
    """What the run held equal, from run.json (written by bench/run.sh since it records it)."""
    path = os.path.join(directory, "run.json")
    if not os.path.exists(path):
        return []
    run = harness.read_json(path)
    notes = []
    settings = run.get("settings", {})
    if settings:
        notes.append(f"Rounds: {settings['rounds']} per server and load, each {settings['durationSeconds']} s "
                     f"measured after {settings['roundWarmupSeconds']} s of warm-up, in a rotating order "
                     f"(order.txt); before them {settings['warmupSeconds']} s of each load unmeasured. "
                     f"Hold: {settings['holdConnections']} connections for {settings['holdSeconds']} s. "
                     f"{settings['cores']} cores, started {settings['started']}.")
    backlog = run.get("backlog")
    if backlog:
        queues = sorted({q for qs in backlog["listening"].values() for q in qs}, key=str)
        notes.append(f"Listen backlog: {backlog['asked']} for every server (net.core.somaxconn "
                     f"{backlog['somaxconn']}); read back with ss from every TCP listener: "
                     f"{', '.join(str(q) for q in queues)}.")
    if "maxDatagramBytes" in run:
        m = run["maxDatagramBytes"]
        notes.append(f"UDP: the largest datagram echoed is {m} bytes for netserver, asyncio and Netty (larger "
                     f"ones dropped); netserver and the Netty peer read into {m + 1}-byte slots, "
                     f"{min(16, max(1, 262144 // (m + 1)))} per recvmmsg, up to 16 reads per wake-up.")
    for key, who in (("netserverConfig", "netserver"), ("netserverConfig-vertx", "netserver-vertx")):
        conf = run.get(key)
        if conf:
            changes = "; ".join(conf["changes"]) or "none"
            notes.append(f"{who} ran on {conf['base']} with these changes: {changes}.")
    return notes


def main(directory):
    results, start, resummarized = load_results(directory)
    peers = [p for p in PEERS if any(k[1] == p for k in results)]
    loads = [l for l in LOADS if any(k[0] == l for k in results)]
    engines = "netserver-vertx" in peers
    out = ["| load | " + " | ".join(peers) + " | netserver / netty | netserver / asyncio |"
           + (" vertx engine / direct |" if engines else ""),
           "|---|" + "---|" * (len(peers) + 2 + engines)]
    for load in loads:
        cells = []
        for p in peers:
            r = results.get((load, p))
            cells.append("-" if r is None else hold_cell(r) if load == "hold" else load_cell(r))
        cells.append(ratio_cell(results, load, "netty"))
        cells.append(ratio_cell(results, load, "asyncio"))
        if engines:
            cells.append(ratio_cell(results, load, "netserver", "netserver-vertx"))
        out.append(f"| {LOAD_TEXT.get(load, load)} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("Each figure is its own median over the rounds, with the lowest and highest round in brackets. "
               "Throughput: completed exchanges (greet), round trips (echo), messages (stream, udp) per second "
               "after warm-up; p50, p99: latency of one exchange/message; cpu: the server's CPU time (user + "
               "system, from /proc) per exchange/message. Ratios: of the medians; cpu/op below 1 means "
               "netserver spent less CPU per operation. hold: the server's RSS growth per held connection "
               "(median of its samples while held, less the median at rest just before), and the time to "
               "connect; in the ratio columns, lower is better for hold.")
    if resummarized:
        out.append("These results predate the per-metric medians: each metric's median was taken here from "
                   "the rounds/ files, and the server's CPU there is over each round's warm-up and "
                   "measurement, divided by the measured rate.")
    out.extend(run_notes(directory))
    if start:
        out.append(f"netserver start to listening: {start['startMillis']} ms (JVM start included).")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
