#!/usr/bin/env python3
"""Per-decision cost from Python: the telpolicy module in-process against `telpolicy serve` over
keep-alive HTTP on loopback, measured side by side in one run.

Starts `telpolicy serve` on a free loopback port, then measures in alternation (HTTP, evaluate,
evaluate_json, evaluate_batch, HTTP, ...), so that a machine whose load changes affects each alike,
N decisions of one US request each way, and prints the median microseconds a decision of each and
the ratio HTTP / module. Both sides end with what a Python caller uses: a dict (HTTP: the body read
and json.loads'd; evaluate, evaluate_batch) or the decision's text (HTTP: the body; evaluate_json).
Run it with the interpreter the module was built for (Debian's /usr/bin/python3):

  /usr/bin/python3 bench/python_vs_http.py --binary build/bin/telpolicy \\
      --module-dir build/lib/python3.11/dist-packages [--count 20000] [--rounds 5] [--plugins DIR --rules DIR]
"""
import argparse
import http.client
import json
import statistics
import sys
import time
from pathlib import Path

from serve_process import start_server

ROOT = Path(__file__).resolve().parent.parent
REQUEST = {"country": "US", "action": "port_in", "number_type": "user"}
BODY = json.dumps(REQUEST, separators=(",", ":")).encode()
HEADERS = {"Content-Type": "application/json"}


def http_post(connection):
    connection.request("POST", "/v1/decisions", BODY, HEADERS)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        sys.exit(f"python_vs_http: HTTP {response.status}: {body[:200]!r}")
    return body


def timed(function, count):
    """Microseconds a decision."""
    start = time.perf_counter()
    function(count)
    return (time.perf_counter() - start) / count * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(ROOT / "build" / "bin" / "telpolicy"))
    parser.add_argument("--module-dir", required=True, help="the folder holding the built telpolicy module")
    parser.add_argument("--count", type=int, default=20000, help="decisions per measurement")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="server threads (one client: one is enough)")
    parser.add_argument("--plugins", help="plugin folder for both (default: each finds its own bundle)")
    parser.add_argument("--rules", help="rules folder for both (default: each finds its own)")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(args.module_dir).resolve()))
    import telpolicy

    engine = telpolicy.Engine(args.plugins, args.rules)
    folders = [*(["--plugins", args.plugins] if args.plugins else []), *(["--rules", args.rules] if args.rules else [])]
    process, port = start_server(args.binary, args.threads, folders, "python_vs_http")
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port)
        over_http = json.loads(http_post(connection))
        in_process = engine.evaluate(REQUEST)
        # The service's body is the contract's decision; it may carry fields of its own beside it.
        mismatched = [key for key, value in in_process.items() if over_http.get(key) != value]
        if mismatched:
            sys.exit(f"python_vs_http: HTTP and the module disagree on {mismatched}: {over_http} / {in_process}")

        def http_dicts(count):
            for _ in range(count):
                json.loads(http_post(connection))

        def http_texts(count):
            for _ in range(count):
                http_post(connection)

        def module_dicts(count):
            evaluate = engine.evaluate
            for _ in range(count):
                evaluate(REQUEST)

        def module_texts(count):
            evaluate_json = engine.evaluate_json
            text = BODY.decode()
            for _ in range(count):
                evaluate_json(text)

        # Lists of 256, each dropped before the next, as the other loops drop each decision: keeping
        # thousands of decisions alive costs the allocator more than deciding them, however they are made.
        batch = [REQUEST] * 256

        def module_batch(count):
            evaluate_batch = engine.evaluate_batch
            for _ in range(count // len(batch)):
                evaluate_batch(batch)
            evaluate_batch(batch[:count % len(batch)])

        methods = [
            ("HTTP keep-alive POST /v1/decisions, json.loads of the body", http_dicts),
            ("HTTP keep-alive POST /v1/decisions, body only", http_texts),
            ("engine.evaluate(dict) -> dict", module_dicts),
            ("engine.evaluate_json(str) -> str", module_texts),
            ("engine.evaluate_batch(list of 256) -> list, per decision", module_batch),
        ]
        for _, function in methods:
            function(min(1000, args.count))  # warm up: caches, the server's connection, branch predictors
        results = {name: [] for name, _ in methods}
        for _ in range(args.rounds):
            for name, function in methods:
                results[name].append(timed(function, args.count))
        connection.close()
    finally:
        process.terminate()
        process.wait()

    medians = {name: statistics.median(runs) for name, runs in results.items()}
    http_dict = medians[methods[0][0]]
    http_text = medians[methods[1][0]]
    print(f"{args.count} decisions of {BODY.decode()} per measurement, median of {args.rounds} rounds "
          f"(Python {sys.version.split()[0]}, telpolicy {telpolicy.__version__})")
    print("| how | µs a decision | HTTP / this |")
    print("|---|---|---|")
    for name, _ in methods:
        baseline = http_text if name == "engine.evaluate_json(str) -> str" or "body only" in name else http_dict
        print(f"| {name} | {medians[name]:.2f} | {baseline / medians[name]:.1f} |")


if __name__ == "__main__":
    main()
