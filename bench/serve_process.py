"""`telpolicy serve` started for a benchmark on a free loopback port (shared by the bench scripts)."""
import re
import subprocess
import sys


def start_server(binary, threads, extra, who):
    """Starts `binary serve` with `threads` I/O threads and the `extra` arguments; returns the process
    and the port it listens on (serve prints its address on its first line). `who` names the
    calling script in the message when the server does not start."""
    process = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--threads", str(threads), *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    match = re.search(r":(\d+)$", line.strip())
    if not match:
        process.kill()
        sys.exit(f"{who}: the server did not start: {line!r}")
    return process, int(match.group(1))
