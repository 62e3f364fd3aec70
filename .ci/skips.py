#!/usr/bin/env python3
"""Fails the CI run when a test was skipped that is not on the allow-list below, or when no test ran.

Reads the JUnit XML reports that `mvn -B verify` leaves (Surefire: unit and VertxExtension tests; Failsafe: the
packaged-jar ITs). A skip that is not listed here means a tool the tests need is missing, or a test quietly
stopped testing: both must be seen, not hidden behind a green build.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

# class#method -> why it may skip on a CI machine. Keep it short; each entry is a behaviour not checked there.
ALLOWED = {
    # CI runs as root, who can read a file whatever its permission bits; the message for an unreadable
    # configuration is tested wherever the tests run as another user.
    "dev.netserver.config.ConfigLoaderTest#unreadableFile":
        "root reads any file",
    # Tests the NIO fallback of a configured transport that cannot load; io_uring loads on CI's kernel.
    "dev.netserver.sockopts.ListenerCheckTest#unavailableTransportFallsBackToNio":
        "io_uring loads here",
    # Runs on the direct engine; skipped on the vertx engine, which cannot report a client's half-close (Vert.x
    # 5.0.7's NetServer never sets ALLOW_HALF_CLOSURE: the FIN closes the NetSocket): docs/DESIGN.md, Engines.
    "dev.netserver.tcp.GreetingServerTest#halfCloseWithPartialLine":
        "vertx engine: no half-close in Vert.x 5.0.7",
}


def main():
    reports = sorted(glob.glob("target/surefire-reports/TEST-*.xml") + glob.glob("target/failsafe-reports/TEST-*.xml"))
    ran = 0
    unexpected = []
    for report in reports:
        # the class from the report's name (TEST-<class>.xml): the testcase's classname is its @DisplayName
        test_class = os.path.basename(report)[len("TEST-"):-len(".xml")]
        for case in ET.parse(report).getroot().iter("testcase"):
            ran += 1
            skipped = case.find("skipped")
            if skipped is None:
                continue
            # parameterized tests are reported as method(args)[n]: the allow-list names the method
            name = test_class + "#" + case.get("name", "?").split("(")[0].split("[")[0]
            if name not in ALLOWED:
                unexpected.append(f"{name}: {skipped.get('message') or 'skipped'}")
    if ran == 0:
        print(".ci/skips.py: no test reports under target/: no test ran", file=sys.stderr)
        return 1
    if unexpected:
        print(f".ci/skips.py: {len(unexpected)} test(s) skipped that must run on CI (see .ci/skips.py):", file=sys.stderr)
        for line in unexpected:
            print("  " + line, file=sys.stderr)
        return 1
    print(f".ci/skips.py: {ran} tests reported, no unexpected skip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
