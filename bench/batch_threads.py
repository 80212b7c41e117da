#!/usr/bin/env python3
"""eval --batch on every core against one thread (issue 16: "at least 1.8 times one thread on two
cores, output byte-identical to one thread", in constant memory).

    bench/batch_threads.py build-release/bin/telpolicy [--requests 1000000] [--runs 5]

Makes the requests with bench/make_requests.py (numbers on 80 % of the lines, 2 % invalid lines),
checks that every thread count writes the same bytes as one thread, then times `--threads 1` and
`--threads N` (N: 2, and the cores of this machine if more) alternately in one hyperfine run, and
prints the means, their ratio and each command's peak memory.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile


def digest_and_peak(command):
    """The MD5 of the command's output, and its peak resident memory (GNU time's %M) in KiB."""
    timed = subprocess.Popen(["/usr/bin/time", "-f", "%M", *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    md5 = hashlib.md5()
    for chunk in iter(lambda: timed.stdout.read(1 << 20), b""):
        md5.update(chunk)
    err = timed.stderr.read().decode()
    if timed.wait() != 0:
        sys.exit(f"{' '.join(command)} failed: {err}")
    return md5.hexdigest(), int(err.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("telpolicy")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    counts = sorted({1, 2, os.cpu_count() or 1})
    with tempfile.TemporaryDirectory() as work:
        requests = os.path.join(work, "requests.jsonl")
        with open(requests, "wb") as out:
            subprocess.run([sys.executable, os.path.join(here, "make_requests.py"), str(options.requests),
                            "--numbers", "0.8", "--invalid", "0.02", "--seed", "16"], stdout=out, check=True)
        commands = {n: [options.telpolicy, "eval", "--batch", "--threads", str(n), "--input", requests] for n in counts}
        measured = {n: digest_and_peak(command) for n, command in commands.items()}
        if len({digest for digest, _ in measured.values()}) != 1:
            sys.exit("the thread counts wrote different output: " + json.dumps(measured))
        report = os.path.join(work, "hyperfine.json")
        subprocess.run(["hyperfine", "-N", "--warmup", "1", "--runs", str(options.runs), "--output=null",
                        "--export-json", report, *[" ".join(commands[n]) for n in counts]], check=True,
                       stdout=subprocess.DEVNULL)
        with open(report) as text:
            means = [result["mean"] for result in json.load(text)["results"]]
    one = means[0]
    print(f"{options.requests:,} requests; output identical for threads {counts}")
    print("| threads | mean | requests a second | peak memory | speed-up over one thread |")
    print("|---|---|---|---|---|")
    for n, mean in zip(counts, means):
        print(f"| {n} | {mean:.3f} s | {options.requests / mean:,.0f} | {measured[n][1] / 1024:.1f} MiB | {one / mean:.2f} |")


if __name__ == "__main__":
    main()
