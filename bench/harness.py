#!/usr/bin/env python3
"""The steps of bench/run.sh that are easier in Python, one subcommand each, and the median rule that
report.py shares.

  harness.py order N ROUNDS                     the servers' order in each round, as indices
  harness.py netserver-conf BASE OUT RUN_JSON GREET_PORT ECHO_PORT UDP_PORT BACKLOG [TRANSPORT] [ENGINE] [label=NAME]
                            [tls=CERT:KEY:PROVIDER]
                                                netserver's configuration for the run (prints maxDatagramBytes);
                                                with ENGINE, every listener that has an engine key on that engine;
                                                with tls, a tls object on every TCP listener (that TLS provider);
                                                recorded in RUN_JSON under netserverConfig-NAME (default: the engine)
  harness.py backlogs RUN_JSON BACKLOG PEER:PORT...   each TCP listener's accept queue, read with ss
  harness.py sample PID[,PID...] FILE           the processes' CPU time and RSS (summed) every 0.1 s, until killed
  harness.py round JSON SAMPLES LOAD EXIT_CODE SERVER_DIED   a round's result + the server's CPU in it
  harness.py hold JSON SAMPLES EXIT_CODE [LOAD] a hold's result + the server's RSS per held connection
                                                (LOAD: hold, or a scaling point such as hold-c50000)
  harness.py summarize OUT PEER LOAD            one server's rounds of one load: each metric's median
"""
import datetime
import glob
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time

SAMPLE_SECONDS = 0.1
# The listener kinds whose configuration has an "engine" key (docs/CONFIGURATION.md).
ENGINE_KINDS = ("tcp", "udp")
# After the last connection is open the server may still be accepting: RSS is sampled from then on.
HOLD_SETTLE_SECONDS = 2.0
# The server at rest before a hold: the last this many seconds before the load generator started.
BASELINE_SECONDS = 2.0


def williams(n):
    """The rows of a Williams design for n servers: a Latin square (each server once in each position)
    in which each server runs right after each other server equally often: once over the n rows for an
    even n; for an odd n, twice over 2n rows (each row followed by its mirror image)."""
    seq, low, high = [0], 1, n - 1
    while len(seq) < n:
        seq.append(low)
        low += 1
        if len(seq) < n:
            seq.append(high)
            high -= 1
    rows = [[(s + i) % n for s in seq] for i in range(n)]
    if n % 2:
        rows = [r for row in rows for r in (row, row[::-1])]
    return rows


def order(n, rounds):
    rows = williams(n)
    return [rows[r % len(rows)] for r in range(rounds)]


def note(run_json, key, value):
    """Records one fact about the run in run.json (the run's configuration, for the report)."""
    facts = {}
    if os.path.exists(run_json):
        with open(run_json) as f:
            facts = json.load(f)
    facts[key] = value
    write_json(run_json, facts)


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def read_json(path):
    with open(path) as f:
        return json.load(f)


def netserver_conf(base, out, run_json, greet_port, echo_port, udp_port, backlog, transport=None, engine=None,
                   label=None, tls=None):
    """netserver's shipped configuration with only what the benchmark must change: loopback, the run's
    ports, the one backlog every server gets (and a transport, if asked; an engine for every listener, for
    the second netserver column; TLS on the TCP listeners, (cert, key, provider), for the TLS series). Every
    change is recorded, under the label's name, else the engine's, when one is given."""
    conf = read_json(base)
    ports = {("tcp", "greeting"): greet_port, ("tcp", "echo"): echo_port, ("udp", "echo"): udp_port}
    changes, seen, max_datagram = [], set(), None

    def change(where, listener, key, value, why):
        old = listener.get(key, "(default)")
        if old != value:
            listener[key] = value
            changes.append(f"{where}.{key}: {old} -> {value} ({why})")

    for kind in ("tcp", "udp"):
        for i, listener in enumerate(conf.get(kind, [])):
            key = (kind, listener.get("protocol"))
            where = f"{kind}[{i}] ({listener.get('name', '?')})"
            if key not in ports or key in seen:
                sys.exit(f"harness.py: {base}: {where}: one {kind} listener per protocol of "
                         f"{sorted(p for k, p in ports if k == kind)} expected")
            seen.add(key)
            change(where, listener, "host", "127.0.0.1", "loopback only, as every server here")
            change(where, listener, "port", ports[key], "a free port: all servers run at once")
            if kind == "tcp":
                change(where, listener, "backlog", backlog, "the one backlog every server gets")
                most = int(os.environ.get("HOLD_MOST", "0"))
                limits = listener.get("limits", {})
                if most > limits.get("maxConnections", 10000) > 0:
                    change(where + ".limits", limits, "maxConnections", 0,
                           f"the series holds {most:,} connections; no peer has a limit")
                    listener["limits"] = limits
            if engine and kind in ENGINE_KINDS:
                change(where, listener, "engine", engine, "this column's engine")
            if tls and kind == "tcp":
                cert, key, provider = tls
                if listener.get("engine") == "direct":
                    change(where, listener, "engine", "vertx", "TLS runs on the vertx engine")
                change(where, listener, "tls", {"certPath": cert, "keyPath": key, "provider": provider},
                       f"TLS terminated by netserver, {provider} provider; a certificate made for the run")
            if kind == "udp":
                max_datagram = listener.get("maxDatagramBytes")
    admin = conf.get("admin")
    if isinstance(admin, dict):
        change("admin", admin, "port", 0, "an ephemeral port: two netservers run at once")
    if set(ports) - seen:
        sys.exit(f"harness.py: {base}: no listener for {sorted(set(ports) - seen)}")
    if not isinstance(max_datagram, int):
        sys.exit(f"harness.py: {base}: the udp echo listener must state maxDatagramBytes "
                 "(the peers get the same value)")
    if transport and conf.get("transport", "(default)") != transport:
        changes.append(f"transport: {conf.get('transport', '(default)')} -> {transport} (NETSERVER_TRANSPORT)")
        conf["transport"] = transport
    write_json(out, conf)
    name = label or engine
    note(run_json, "netserverConfig" + (f"-{name}" if name else ""), {"base": base, "changes": changes})
    note(run_json, "maxDatagramBytes", max_datagram)
    print(max_datagram)


def backlogs(run_json, backlog, listeners):
    """Reads each TCP listener's accept queue limit (ss's Send-Q of a listening socket) into run.json;
    warns when one differs from the backlog asked for."""
    somaxconn = int(open("/proc/sys/net/core/somaxconn").read())
    expected = min(backlog, somaxconn)  # the kernel caps every listen() at somaxconn
    seen = {}
    for item in listeners:
        peer, port = item.rsplit(":", 1)
        try:
            out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True,
                                 timeout=10).stdout.split()
            queue = int(out[2]) if len(out) > 2 else None
        except (OSError, subprocess.SubprocessError, ValueError):
            queue = None
        seen.setdefault(peer, []).append(queue)
        if queue != expected:
            print(f"bench/run.sh: {peer} port {port} listens with a backlog of {queue}, not {expected}",
                  file=sys.stderr)
    note(run_json, "backlog", {"asked": backlog, "somaxconn": somaxconn, "listening": seen})


def sample(pids, path):
    """Appends "unix-time cpu-seconds rss-kib" lines, summed over the processes (a server made of two, such
    as HAProxy and the netserver behind it), until one of them is gone or this one is stopped."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    hz = os.sysconf("SC_CLK_TCK")
    with open(path, "w") as out:
        while True:
            cpu, rss = 0.0, 0
            try:
                for pid in pids:
                    with open(f"/proc/{pid}/stat") as f:
                        stat = f.read()
                    with open(f"/proc/{pid}/status") as f:
                        found = re.search(r"^VmRSS:\s+(\d+)", f.read(), re.M)
                    if found is None:  # a zombie: exited, not yet reaped
                        raise OSError(f"{pid} exited")
                    fields = stat[stat.rindex(")") + 2:].split()  # from field 3 (state) on
                    cpu += (int(fields[11]) + int(fields[12])) / hz  # utime + stime
                    rss += int(found.group(1))
            except OSError:
                break
            out.write(f"{time.time():.3f} {cpu:.2f} {rss}\n")
            out.flush()
            time.sleep(SAMPLE_SECONDS)


def read_samples(path):
    samples = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3:
                    samples.append((float(parts[0]), float(parts[1]), int(parts[2])))
    return samples


def epoch(instant):
    """An Instant's text (2026-11-27T01:09:52.194295370Z) as unix time."""
    m = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z", instant)
    if not m:
        raise ValueError(f"not an instant: {instant}")
    whole = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return whole.timestamp() + float("0." + (m.group(2) or "0"))


def cpu_at(samples, t):
    """The process's CPU seconds at time t, interpolated between samples; None outside them."""
    for (t0, c0, _), (t1, c1, _) in zip(samples, samples[1:]):
        if t0 <= t <= t1:
            return c0 if t1 == t0 else c0 + (c1 - c0) * (t - t0) / (t1 - t0)
    return None


def annotate_round(path, samples_path, load, exit_code, died):
    """Adds the server's side to a round's result: its CPU time within the measured interval (from the
    load generator's start time plus its warm-up, to within the sampling interval and the generator's
    own start-up, a few tens of milliseconds), per second and per exchange/message."""
    r = read_json(path)
    r["load"] = load
    r["exitCode"] = exit_code
    if died:
        r["serverDied"] = True
    samples = read_samples(samples_path)
    if samples and "startedAt" in r and "measuredSeconds" in r:
        start = epoch(r["startedAt"]) + r.get("warmupSeconds", 0)
        end = start + r["measuredSeconds"]
        c0, c1 = cpu_at(samples, start), cpu_at(samples, end)
        if c0 is not None and c1 is not None and r["measuredSeconds"] > 0:
            cpu = c1 - c0
            r["serverCpuSeconds"] = round(cpu, 3)
            r["serverCpuCores"] = round(cpu / r["measuredSeconds"], 3)
            if r.get("exchanges"):
                r["serverCpuMicrosPerOp"] = round(cpu * 1e6 / r["exchanges"], 2)
        window = [rss for t, _, rss in samples if start <= t <= end]
        if window:
            r["serverRssKiB"] = int(statistics.median(window))
    write_json(path, r)


def annotate_hold(path, samples_path, exit_code, load="hold"):
    """Adds the server's memory to a hold's result: the median of its RSS samples while the connections
    were held, less the median at rest just before, per held connection."""
    r = read_json(path)
    r["load"] = load
    r["exitCode"] = exit_code
    samples = read_samples(samples_path)
    if samples and "startedAt" in r:
        started = epoch(r["startedAt"])
        base = [rss for t, _, rss in samples if started - BASELINE_SECONDS <= t < started]
        held_from = started + r.get("openSeconds", 0) + HOLD_SETTLE_SECONDS
        held_to = started + r.get("measuredSeconds", 0)
        held = [rss for t, _, rss in samples if held_from <= t <= held_to]
        if base and held:
            before, during = statistics.median(base), statistics.median(held)
            r["serverRssBeforeKiB"] = int(before)
            r["serverRssKiB"] = int(during)
            r["serverRssSamples"] = {"before": len(base), "held": len(held), "heldMinKiB": min(held),
                                     "heldMaxKiB": max(held)}
            r["serverKiBPerConnection"] = round((during - before) / max(int(r.get("held") or 0), 1), 2)
    write_json(path, r)


def cpu_per_op(r):
    if "serverCpuMicrosPerOp" in r:
        return r["serverCpuMicrosPerOp"]
    # results from before run.sh sampled the server: its CPU over warm-up and measurement, per second
    cores, rate = r.get("serverCpuCores"), r.get("throughputPerSecond")
    return None if cores is None or not rate else cores / rate * 1e6


METRICS = {
    "throughputPerSecond": lambda r: r.get("throughputPerSecond"),
    "p50Micros": lambda r: (r.get("latencyMicros") or {}).get("p50"),
    "p99Micros": lambda r: (r.get("latencyMicros") or {}).get("p99"),
    "serverCpuMicrosPerOp": cpu_per_op,
    "serverCpuCores": lambda r: r.get("serverCpuCores"),
}


def summarize(rounds):
    """One server's rounds of one load, each metric summarized on its own: the median over the rounds
    that produced a result, with the lowest and highest and every value (in round order). The top-level
    fields are those medians, so `bench chart` reads a summary like a single result."""
    done = [r for r in rounds if not r.get("failed")]
    first = (done or rounds or [{}])[0]
    s = {key: first[key] for key in ("tool", "mode", "label", "load", "connections", "size", "window")
         if key in first}
    s["rounds"] = len(rounds)
    s["failedRounds"] = len(rounds) - len(done)
    if not done:
        s["failed"] = True
        return s
    medians = {}
    for name, get in METRICS.items():
        values = [get(r) for r in done]
        values = [v for v in values if v is not None]
        if values:
            medians[name] = {"median": round(statistics.median(values), 2), "min": min(values),
                             "max": max(values), "values": values}
    s["medians"] = medians
    if "throughputPerSecond" in medians:
        s["throughputPerSecond"] = medians["throughputPerSecond"]["median"]
    s["latencyMicros"] = {p: medians[f"{p}Micros"]["median"] for p in ("p50", "p99") if f"{p}Micros" in medians}
    for name in ("serverCpuMicrosPerOp", "serverCpuCores"):
        if name in medians:
            s[name] = medians[name]["median"]
    s["errors"] = sum(r.get("errors", 0) for r in done)
    s["lost"] = sum(r.get("lost", 0) for r in done)
    died = sum(1 for r in done if r.get("serverDied"))
    if died:
        s["serverDied"] = True
        s["serverDiedRounds"] = died
    s["exitCodes"] = [r.get("exitCode") for r in done]
    return s


def round_files(directory, peer, load):
    """The round files of one server and load, in round order (r2 before r10)."""
    paths = glob.glob(os.path.join(directory, f"{peer}-{load}-r*.json"))
    return sorted(paths, key=lambda p: int(re.search(r"-r(\d+)\.json$", p).group(1)))


def summarize_files(out, peer, load):
    rounds = [read_json(p) for p in round_files(os.path.join(out, "rounds"), peer, load)]
    s = summarize(rounds)
    write_json(os.path.join(out, f"{peer}-{load}.json"), s)
    m = s.get("medians", {})

    def spread(name, scale, fmt):
        v = m.get(name)
        return "-" if not v else f"{fmt.format(v['median'] / scale)} ({fmt.format(v['min'] / scale)}-{fmt.format(v['max'] / scale)})"

    print(f"{spread('throughputPerSecond', 1, '{:,.0f}')}/s, p99 {spread('p99Micros', 1000, '{:.2f}')} ms, "
          f"cpu {spread('serverCpuMicrosPerOp', 1, '{:.1f}')} us/op"
          + (f", server died in {s['serverDiedRounds']} round(s)" if s.get("serverDied") else "")
          + (f", {s['failedRounds']} round(s) failed" if s.get("failedRounds") else ""))


def main(argv):
    if not argv:
        sys.exit(__doc__)
    command, args = argv[0], argv[1:]
    if command == "order":
        for row in order(int(args[0]), int(args[1])):
            print(*row)
    elif command == "netserver-conf":
        named = dict(a.split("=", 1) for a in args[9:])
        unknown = set(named) - {"label", "tls"}
        if unknown:
            sys.exit(f"harness.py netserver-conf: unknown {sorted(unknown)} (label=NAME, tls=CERT:KEY:PROVIDER)")
        netserver_conf(args[0], args[1], args[2], int(args[3]), int(args[4]), int(args[5]), int(args[6]),
                       args[7] if len(args) > 7 and args[7] else None, args[8] if len(args) > 8 and args[8] else None,
                       named.get("label"), tuple(named["tls"].split(":")) if named.get("tls") else None)
    elif command == "backlogs":
        backlogs(args[0], int(args[1]), args[2:])
    elif command == "note":
        note(args[0], args[1], json.loads(args[2]))
    elif command == "sample":
        sample([int(p) for p in args[0].split(",")], args[1])
    elif command == "round":
        annotate_round(args[0], args[1], args[2], int(args[3]), args[4] == "true")
    elif command == "hold":
        annotate_hold(args[0], args[1], int(args[2]), args[3] if len(args) > 3 else "hold")
    elif command == "summarize":
        summarize_files(args[0], args[1], args[2])
    else:
        sys.exit(f"harness.py: unknown command {command}\n{__doc__}")


if __name__ == "__main__":
    main(sys.argv[1:])
