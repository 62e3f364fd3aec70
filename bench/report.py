#!/usr/bin/env python3
"""Turns one bench/run.sh result directory into a Markdown table (stdout): one row per load, one column
per server, plus netserver's ratios to the plain Netty and asyncio peers (and of its vertx engine to its direct
engine, when the run has both), and what the run held equal.

Each metric is its own median over the rounds (harness.summarize), with the lowest and highest round in
brackets. Directories written before run.sh kept those medians (one JSON per server and load holding its
median-throughput round) are summarized again from their rounds/ files, so they read the same way.

A scaling series (bench/run.sh scaling) adds a second table, one row per point (greet-c500, udp-s8,
hold-c50000), with each server's rate, p99 and errors, netserver's ratio to the Netty peer and the issue's
targets, a line per server saying where its rate peaked, and a chart of the same against concurrency,
written next to the results as scaling.svg (no dependency: SVG by hand).

  bench/report.py DIRECTORY
"""
import glob
import json
import math
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402 (next to this file)

PEERS = ["textbook", "asyncio", "netty", "mmsg", "netserver", "netserver-vertx", "netserver-jdk", "netserver-openssl",
         "haproxy"]
LOADS = ["greet", "echo", "stream", "udp64", "udp1400", "hold", "tls-greet", "tls-stream"]
# The ratio columns, (this, other, heading), each shown when the run has both servers.
RATIOS = [
    ("netserver", "netty", "netserver / netty"),
    ("netserver", "asyncio", "netserver / asyncio"),
    ("netserver", "mmsg", "direct / mmsg (C)"),
    ("netserver-vertx", "netserver", "vertx engine / direct"),
    ("netserver-jdk", "haproxy", "netserver-jdk / haproxy"),
    ("netserver-openssl", "haproxy", "netserver-openssl / haproxy"),
    ("netserver-openssl", "netserver-jdk", "openssl / jdk"),
]
# The issues' targets for a ratio column, per load: reported against, never asserted.
RATIO_TARGETS = {
    ("netserver", "mmsg"): {"udp64": 0.9},
    ("netserver-jdk", "haproxy"): {"tls-greet": 1.3, "tls-stream": 0.9},
    ("netserver-openssl", "haproxy"): {"tls-greet": 1.3, "tls-stream": 0.9},
}
LOAD_TEXT = {
    "greet": "greet, 50 conn",
    "echo": "echo 64 B, 50 conn",
    "stream": "stream 16 KiB, 8 x 8",
    "udp64": "udp 64 B, 8 x 16",
    "udp1400": "udp 1400 B, 8 x 16",
    "hold": "hold idle conn",
    "tls-greet": "TLS greet (handshakes), 50 conn",
    "tls-stream": "TLS stream 16 KiB, 8 x 8",
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
        if not load.startswith("hold") and "medians" not in r:
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
    target = RATIO_TARGETS.get((this, other), {}).get(load)
    mark = "" if target is None else f" ({'✓' if rate >= target else '✗'} ≥{target}x)"
    return f"{rate:.2f}x{mark}" + ("" if cpu is None else f"<br>cpu/op {cpu:.2f}x")


def run_notes(directory, peers=None):
    """What the run held equal, from run.json (written by bench/run.sh since it records it); the
    configurations of the servers in peers only (all when None), and of the netserver behind haproxy."""
    path = os.path.join(directory, "run.json")
    if not os.path.exists(path):
        return []
    run = harness.read_json(path)
    notes = []
    settings = run.get("settings", {})
    if settings:
        notes.append(f"Rounds: {settings['rounds']} per server and load, each {settings['durationSeconds']} s "
                     f"measured after {settings['roundWarmupSeconds']} s of warm-up, in a rotating order "
                     f"(order.txt); before them {settings['warmupSeconds']} s of each load unmeasured"
                     + (" (scaling: of each mode's first point only). " if settings.get("series") == "scaling" else ". ")
                     + ("" if settings.get("series") == "tls" else
                        f"Hold: {settings['holdConnections']} connections for {settings['holdSeconds']} s. "
                        if settings.get("series") != "scaling" else
                        f"Hold: each point's connections for {settings['holdSeconds']} s, from one 127.0.0.x source "
                        f"address per {settings.get('sourceSpread', 20000):,}; descriptor limit {settings.get('fileDescriptorLimit')}. ")
                     + f"{settings['cores']} cores, started {settings['started']}.")
    for key in sorted(k for k in run if k.startswith("holdFitted-")):
        f = run[key]
        notes.append(f"**Hold at {f['asked']:,} could not run here:** the descriptor limit was {f['fileDescriptorLimit']:,} "
                     f"and could not be raised (no CAP_SYS_RESOURCE), so that point held {f['held']:,} connections.")
    backlog = run.get("backlog")
    if backlog:
        queues = sorted({q for qs in backlog["listening"].values() for q in qs}, key=str)
        notes.append(f"Listen backlog: {backlog['asked']} for every server (net.core.somaxconn "
                     f"{backlog['somaxconn']}); read back with ss from every TCP listener: "
                     f"{', '.join(str(q) for q in queues)}.")
    if "maxDatagramBytes" in run and settings.get("series") != "tls":
        m = run["maxDatagramBytes"]
        notes.append(f"UDP: the largest datagram echoed is {m} bytes for netserver, asyncio and Netty (larger "
                     f"ones dropped); netserver and the Netty peer read into {m + 1}-byte slots, "
                     f"{min(16, max(1, 262144 // (m + 1)))} per recvmmsg, up to 16 reads per wake-up"
                     + (f"; the C peer mmsg (one thread) the same {m + 1}-byte slots, 64 per recvmmsg and per sendmmsg."
                        if peers is None or "mmsg" in peers else "."))
    tls, haproxy = run.get("tls"), run.get("haproxy")
    if tls:
        notes.append(f"TLS: one {tls['key']} certificate ({tls['certificate']}) for every TLS server; the client: "
                     f"{tls['clientTransport']}.")
    if haproxy:
        threads = haproxy.get("threads")
        notes.append(f"haproxy: {haproxy['version']} terminating TLS ({haproxy['config']}"
                     + (f", {threads} thread{'s' if threads != 1 else ''}" if threads else "")
                     + ") in front of a netserver (haproxy-backend) in plain TCP on loopback; its cpu and "
                     "RSS are both processes'.")
    for key in sorted(k for k in run if k.startswith("netserverConfig")):
        who = key[len("netserverConfig-"):] if key != "netserverConfig" else "netserver"
        who = "netserver-vertx" if who == "vertx" else who  # named by its engine
        if peers is not None and who not in peers and not (who == "haproxy-backend" and "haproxy" in peers):
            continue
        conf = run[key]
        changes = "; ".join(conf["changes"]) or "none"
        notes.append(f"{who} ran on {conf['base']} with these changes: {changes}.")
    return notes


# A scaling series' point: mode and concurrency (connections; udp: sending sockets).
POINT = re.compile(r"^(greet|echo|hold)-c(\d+)$|^(udp)-s(\d+)$")
KINDS = ["greet", "echo", "udp", "hold"]
KIND_TEXT = {"greet": "greet", "echo": "echo 64 B", "udp": "udp 64 B, 16 out per socket", "hold": "hold idle"}
COLORS = {"mmsg": "#9467bd", "netserver": "#d62728", "netserver-vertx": "#ff7f0e", "netty": "#1f77b4", "asyncio": "#2ca02c",
          "textbook": "#7f7f7f"}
# The targets, reported against, never asserted.
TARGET_RATIO = 0.95
TARGET_KIB_PER_CONN = 2.0


def point(load):
    m = POINT.match(load)
    if not m:
        return None
    return (m.group(1), int(m.group(2))) if m.group(1) else (m.group(3), int(m.group(4)))


def scaling_points(results):
    """kind -> sorted concurrencies, for the loads of a scaling series."""
    points = {}
    for load, _ in results:
        p = point(load)
        if p:
            points.setdefault(p[0], set()).add(p[1])
    return {k: sorted(v) for k, v in points.items()}


def load_name(kind, n):
    return f"{kind}-s{n}" if kind == "udp" else f"{kind}-c{n}"


def values(r, kind):
    """(rate or KiB/conn, p99 ms, errors) of one result; None where it failed."""
    if r is None or r.get("failed"):
        return None
    if kind == "hold":
        return (r.get("serverKiBPerConnection"), (r.get("latencyMicros") or {}).get("p99", 0) / 1000,
                r.get("errors", 0) + max(0, r.get("connections", 0) - (r.get("held") or 0)))
    return (r.get("throughputPerSecond"), (r.get("latencyMicros") or {}).get("p99", 0) / 1000,
            r.get("errors", 0) + r.get("lost", 0))


def scaling_cell(r, kind):
    v = values(r, kind)
    if v is None:
        return "failed"
    if kind == "hold":
        text = "-" if v[0] is None else f"{v[0]:.2f} KiB/conn"
        text += f"<br>{r.get('held', 0):,} held<br>connect p99 {v[1]:.1f} ms"
    else:
        text = f"{v[0]:,.0f}/s<br>p99 {v[1]:.2f} ms"
    if v[2]:
        text += f"<br>**{v[2]:,} err**" if kind != "udp" else f"<br>**{v[2]:,} err/lost**"
    if r.get("serverDied"):
        text += "<br>**server died**"
    return text


def targets(results, kind, n):
    """The issue's targets for netserver's direct engine at one point: met, missed, or unknown (-)."""
    me, netty = results.get((load_name(kind, n), "netserver")), results.get((load_name(kind, n), "netty"))
    v = values(me, kind)
    if v is None:
        return "-"
    notes = ["0 err ✓" if not v[2] else f"{v[2]:,} err ✗"]
    if kind == "hold":
        if v[0] is not None:
            notes.append(f"≤{TARGET_KIB_PER_CONN:g} KiB {'✓' if v[0] <= TARGET_KIB_PER_CONN else '✗'}")
    else:
        w = values(netty, kind)
        if w and w[0] and v[0] is not None:
            notes.append(f"≥{TARGET_RATIO}x netty {'✓' if v[0] / w[0] >= TARGET_RATIO else '✗'}")
    return ", ".join(notes)


def scaling_table(results, peers, points):
    mmsg = "mmsg" in peers  # the C UDP echo: direct's ratio to it on the udp points
    out = ["| point | " + " | ".join(peers) + " | netserver / netty |" + (" direct / mmsg (C) |" if mmsg else "")
           + " targets (direct) |",
           "|---|" + "---|" * (len(peers) + 2 + mmsg)]
    for kind in KINDS:
        for n in points.get(kind, []):
            load = load_name(kind, n)
            cells = [scaling_cell(results.get((load, p)), kind) if (load, p) in results else "-" for p in peers]
            ratio_text = "-"
            a, b = values(results.get((load, "netserver")), kind), values(results.get((load, "netty")), kind)
            if a and b and a[0] and b[0]:
                ratio_text = f"{a[0] / b[0]:.2f}x"
            what = f"{n:,} socket{'s' if n != 1 else ''}" if kind == "udp" else f"{n:,} conn"
            if mmsg:
                c = values(results.get((load, "mmsg")), kind)
                ratio_text += " | " + (f"{a[0] / c[0]:.2f}x" if a and c and a[0] and c[0] else "-")
            out.append(f"| {KIND_TEXT[kind]}, {what} | " + " | ".join(cells) + f" | {ratio_text} | {targets(results, kind, n)} |")
    out.append("")
    out.append("Rate: the median over the rounds of completed exchanges, round trips or datagrams per second; p99 "
               "likewise; err: errors over all rounds (udp: errors and datagrams lost). hold: the server's RSS "
               "growth per held connection, the connections still up at the end, and the time to connect; its "
               "err counts connections that failed or dropped. Ratios of the medians; in hold lower is better.")
    out.append("")
    for kind in ("greet", "echo", "udp"):
        for p in peers:
            series = [(n, values(results.get((load_name(kind, n), p)), kind)) for n in points.get(kind, [])]
            series = [(n, v) for n, v in series if v and v[0]]
            if len(series) < 2:
                continue
            best_n, best = max(series, key=lambda nv: nv[1][0])
            last_n, last = series[-1]
            out.append(f"- {kind}, {p}: peak {best[0]:,.0f}/s at {best_n:,}; at {last_n:,}: {last[0]:,.0f}/s "
                       f"({last[0] / best[0]:.2f} of the peak), p99 {last[1]:.1f} ms"
                       + (f", {last[2]:,} err" if last[2] else ""))
    return out


def scaling_svg(results, peers, points, path, title):
    """One SVG: a column per mode, rows rate (hold: KiB per connection), p99 (hold: connect p99) and errors,
    against concurrency on a log scale; a line per server."""
    kinds = [k for k in KINDS if k in points]
    rows = [("rate /s", "KiB / conn", True), ("p99 ms", "connect p99 ms", True), ("errors", "errors", False)]
    pw, ph, ml, mt, gap = 260, 170, 60, 60, 40
    width = ml + len(kinds) * (pw + gap)
    height = mt + len(rows) * (ph + gap) + 30
    el = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
          f'<rect width="{width}" height="{height}" fill="white"/>',
          f'<text x="{ml}" y="20" font-size="14" font-weight="bold">{title}</text>']
    for i, p in enumerate(peers):
        x = ml + i * 150
        el.append(f'<line x1="{x}" y1="36" x2="{x + 20}" y2="36" stroke="{COLORS.get(p, "#000")}" stroke-width="2"/>'
                  f'<text x="{x + 25}" y="40">{p}</text>')
    for c, kind in enumerate(kinds):
        ns = points[kind]
        for r, (label, hold_label, log_y) in enumerate(rows):
            x0, y0 = ml + c * (pw + gap), mt + r * (ph + gap)
            data = {}
            for p in peers:
                pts = [(n, values(results.get((load_name(kind, n), p)), kind)) for n in ns]
                # a zero has no place on a log scale (a point with nothing completed): left out, the table has it
                data[p] = [(n, v[r]) for n, v in pts if v is not None and v[r] is not None and (v[r] > 0 or not log_y)]
            ys = [y for d in data.values() for _, y in d if (y > 0 or not log_y)]
            if log_y:
                lo, hi = (min(ys), max(ys)) if ys else (1, 10)
                lo, hi = 10 ** math.floor(math.log10(lo)), 10 ** math.ceil(math.log10(hi))
                hi = hi * 10 if hi == lo else hi
                fy = lambda y, lo=lo, hi=hi: y0 + ph - (math.log10(max(y, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * ph
                ticks = [10 ** e for e in range(int(math.log10(lo)), int(math.log10(hi)) + 1)]
            else:
                hi = max(ys + [1])
                fy = lambda y, hi=hi: y0 + ph - y / hi * ph
                ticks = [0, hi]
            nlo, nhi = min(ns), max(ns)
            span = math.log10(nhi) - math.log10(nlo) or 1
            fx = lambda n, nlo=nlo, span=span: x0 + (math.log10(n) - math.log10(nlo)) / span * pw
            el.append(f'<rect x="{x0}" y="{y0}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>')
            el.append(f'<text x="{x0}" y="{y0 - 6}" font-weight="bold">{KIND_TEXT[kind]}: {hold_label if kind == "hold" else label}</text>')
            for t in ticks:
                el.append(f'<line x1="{x0}" y1="{fy(t):.1f}" x2="{x0 + pw}" y2="{fy(t):.1f}" stroke="#eee"/>'
                          f'<text x="{x0 - 4}" y="{fy(t) + 4:.1f}" text-anchor="end">{_short(t) if t >= 1 else f"{t:g}"}</text>')
            for n in ns:
                el.append(f'<text x="{fx(n):.1f}" y="{y0 + ph + 14}" text-anchor="middle">{_short(n)}</text>')
            for p, d in data.items():
                if not d:
                    continue
                color = COLORS.get(p, "#000")
                path_d = " ".join(f"{'M' if i == 0 else 'L'}{fx(n):.1f},{fy(y):.1f}" for i, (n, y) in enumerate(d))
                el.append(f'<path d="{path_d}" fill="none" stroke="{color}" stroke-width="2"/>')
                el.extend(f'<circle cx="{fx(n):.1f}" cy="{fy(y):.1f}" r="3" fill="{color}"/>' for n, y in d)
    el.append(f'<text x="{ml}" y="{height - 8}">x: concurrent connections (udp: sending sockets), log scale; rate and p99 on log scales; '
              'each point the median over the rounds</text>')
    el.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(el) + "\n")


def main(directory):
    results, start, resummarized = load_results(directory)
    peers = [p for p in PEERS if any(k[1] == p for k in results)]
    loads = [l for l in LOADS if any(k[0] == l for k in results)]
    points = scaling_points(results)
    if points:
        peers = [p for p in PEERS if any(k[1] == p for k in results)]
        out = ["## Scaling series", ""] + scaling_table(results, peers, points) + [""]
        out.extend(run_notes(directory, peers))
        scaling_svg(results, peers, points, os.path.join(directory, "scaling.svg"),
                    f"netserver and peers against concurrency, loopback, {os.cpu_count()} cores")
        out.append("Chart: scaling.svg.")
        if not loads:
            print("\n".join(out))
            return
        print("\n".join(out) + "\n")
    ratios = [(this, other, heading) for this, other, heading in RATIOS if this in peers and other in peers]
    out = ["| load | " + " | ".join(peers + [heading for _, _, heading in ratios]) + " |",
           "|---|" + "---|" * (len(peers) + len(ratios))]
    for load in loads:
        cells = []
        for p in peers:
            r = results.get((load, p))
            cells.append("-" if r is None else hold_cell(r) if load == "hold" else load_cell(r))
        for this, other, _ in ratios:
            cells.append(ratio_cell(results, load, other, this))
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
    out.extend(run_notes(directory, peers))
    if start:
        out.append(f"netserver start to listening: {start['startMillis']} ms (JVM start included).")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
