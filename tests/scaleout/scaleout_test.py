#!/usr/bin/env python3
"""Scale-out: three `telpolicy serve` behind nginx, under load, while each one reloads good and broken rules.

    tests/scaleout/scaleout_test.py --binary build/bin/telpolicy \
        --plugins build/lib/telpolicy/plugins --rules build/share/telpolicy/rules [--duration 6]

Each backend listens on a free loopback port with its own copy of the rules folder and its own admin
token (two from --admin-token-file, one from TELPOLICY_ADMIN_TOKEN). nginx (Debian's nginx-light)
runs in the foreground with its prefix, configuration, pid and logs in a temporary folder, and spreads
the requests over the three through kept-alive upstream connections. wrk (tests/scaleout/wrk-post.lua)
posts decisions through nginx for --duration seconds (concurrent Python clients when wrk is missing)
while every backend reloads several times, alternating a good edit of its rules copy (200, applied,
and the edit shows in its decisions) and a broken one (422, the old rules kept, still serving).
Passes when every request got 200 with a well-formed decision, every backend took traffic, and every
reload answered as it should. Everything started is stopped, and the folder removed, even on failure.
"""
from __future__ import annotations

import argparse
import ctypes
import http.client
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
LISTENING = re.compile(rb"^telpolicy: listening on http://127\.0\.0\.1:(\d+)\s*$")
# The good edit: a marker appended to the note of rules/us.yaml that counts of more than 999 user
# numbers get; a request for 1200 numbers then shows which edit a backend uses.
NOTE_ANCHOR = "If you are trying to get more than 999"
NOTE_REQUEST = b'{"country":"US","action":"port_in","number_type":"user","count":1200}'
CHECK_REQUEST = b'{"country":"US","action":"port_in","number_type":"toll_free","numbers":["+18002345678"]}'
BROKEN_TAIL = "\n# scale-out test: a broken edit\nrules: [this is not closed\n"


class Failure(Exception):
    pass


def log(message: str) -> None:
    print(f"scaleout: {message}", flush=True)


def die_with_parent() -> None:
    """Runs in each child before exec: if this script is killed (a ctest timeout), its children go too."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_call(port: int, method: str, path: str, body: bytes | None = None,
              headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        all_headers = {"Content-Type": "application/json"} if body is not None else {}
        all_headers.update(headers or {})
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def is_decision(value: object) -> bool:
    return (isinstance(value, dict) and isinstance(value.get("allowed"), bool)
            and isinstance(value.get("violations"), list) and isinstance(value.get("matched_rules"), list)
            and value["allowed"] == (len(value["violations"]) == 0))


def stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM, wait: float = 10) -> int | None:
    """Stops one process we started; returns its exit status, or None when it had to be killed."""
    if process is None:
        return None
    if process.poll() is not None:
        return process.returncode
    process.send_signal(sig)
    try:
        return process.wait(wait)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


class Backend:
    def __init__(self, index: int, args: argparse.Namespace, work: Path, token_from_env: bool):
        self.index = index
        self.args = args
        self.rules_dir = work / f"rules-{index}"
        self.rules_file = self.rules_dir / "us.yaml"
        self.token = secrets.token_urlsafe(24)
        self.token_file = work / f"admin-token-{index}"
        self.token_from_env = token_from_env
        self.stderr_path = work / f"backend-{index}.stderr"
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.original = ""
        self.reloads: list[str] = []     # what each reload answered, for the report
        self.current_mark = ""           # the edit the backend's rules in use carry

    def start(self) -> None:
        shutil.copytree(self.args.rules, self.rules_dir)
        self.original = self.rules_file.read_text(encoding="utf-8")
        if NOTE_ANCHOR not in self.original:
            raise Failure(f"{self.rules_file}: the note this test edits ({NOTE_ANCHOR!r}…) is gone; update the test")
        command = [self.args.binary, "--plugins", self.args.plugins, "--rules", str(self.rules_dir),
                   "serve", "--listen", "127.0.0.1:0", "--threads", "2"]
        env = dict(os.environ)
        env.pop("TELPOLICY_ADMIN_TOKEN", None)
        if self.token_from_env:
            env["TELPOLICY_ADMIN_TOKEN"] = self.token
        else:
            fd = os.open(self.token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(self.token + "\n")
            command += ["--admin-token-file", str(self.token_file)]
        with open(self.stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, env=env,
                                            preexec_fn=die_with_parent)
        self.port = self._read_port(deadline=time.monotonic() + 20)
        log(f"backend {self.index} on 127.0.0.1:{self.port} (admin token from "
            f"{'TELPOLICY_ADMIN_TOKEN' if self.token_from_env else '--admin-token-file'})")

    def _read_port(self, deadline: float) -> int:
        assert self.process and self.process.stdout
        out = self.process.stdout
        seen = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([out], [], [], 0.2)
            if ready:
                chunk = os.read(out.fileno(), 4096)
                if not chunk:
                    break
                seen += chunk
                for line in seen.splitlines():
                    match = LISTENING.match(line)
                    if match:
                        return int(match.group(1))
            elif self.process.poll() is not None:
                break
        raise Failure(f"backend {self.index} printed no 'telpolicy: listening on' line "
                      f"(exit {self.process.poll()}); stdout: {seen!r}; stderr: {self.stderr_tail()}")

    def stderr_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.stderr_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def decide(self, body: bytes) -> dict:
        status, _, reply = http_call(self.port, "POST", "/v1/decisions", body)
        if status != 200:
            raise Failure(f"backend {self.index}: POST /v1/decisions answered {status}: {reply[:300]!r}")
        decision = json.loads(reply)
        if not is_decision(decision):
            raise Failure(f"backend {self.index}: not a decision: {reply[:300]!r}")
        return decision

    def reload(self, token: str | None) -> tuple[int, bytes]:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        status, _, reply = http_call(self.port, "POST", "/v1/reload", b"", headers, timeout=30)
        return status, reply

    # The edits are written as a whole new file, renamed into place, as editors and ConfigMaps do.
    def _write_rules(self, text: str) -> None:
        temporary = self.rules_dir / ".us.yaml.new"
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, self.rules_file)

    def good_reload(self, mark: str) -> None:
        self._write_rules(self.original.replace(NOTE_ANCHOR, f"{NOTE_ANCHOR} [{mark}]", 1))
        status, reply = self.reload(self.token)
        self.reloads.append(f"good {mark}: {status}")
        if status != 200:
            raise Failure(f"backend {self.index}: reload after a good edit answered {status}: {reply[:500]!r}")
        answer = json.loads(reply)
        if answer.get("applied") is not True or str(answer.get("revision", "")) == "":
            raise Failure(f"backend {self.index}: reload after a good edit: {answer}")
        self.current_mark = mark
        self.check_serving("after a good reload")

    def broken_reload(self, mark: str) -> None:
        self._write_rules(self.original + BROKEN_TAIL)
        status, reply = self.reload(self.token)
        self.reloads.append(f"broken {mark}: {status}")
        if status != 422:
            raise Failure(f"backend {self.index}: reload after a broken edit answered {status}, not 422: "
                          f"{reply[:500]!r}")
        self.check_serving("after a refused reload (the old rules must stay in use)")

    def check_serving(self, when: str) -> None:
        if not self.alive():
            raise Failure(f"backend {self.index} exited {when}: {self.stderr_tail()}")
        status, _, _ = http_call(self.port, "GET", "/readyz")
        if status != 200:
            raise Failure(f"backend {self.index}: /readyz answered {status} {when}")
        decision = self.decide(CHECK_REQUEST)
        if not decision["allowed"] or decision.get("mailbox") != "ptn@microsoft.com":
            raise Failure(f"backend {self.index}: wrong toll-free port-in decision {when}: {decision}")
        notes = " ".join(self.decide(NOTE_REQUEST).get("notes", []))
        expected = f"[{self.current_mark}]" if self.current_mark else NOTE_ANCHOR
        if expected not in notes:
            raise Failure(f"backend {self.index}: the rules in use are not the expected ones {when}: "
                          f"notes {notes!r} lack {expected!r}")


class Nginx:
    def __init__(self, work: Path, backends: list[Backend], nginx: str):
        self.prefix = work / "nginx"
        self.nginx = nginx
        self.backends = backends
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        for sub in ("logs", "temp"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        p = self.prefix
        servers = "\n".join(f"    server 127.0.0.1:{b.port} max_fails=0;" for b in self.backends)
        # Workers run as the user that starts nginx when it is root (nginx would switch to nobody,
        # who cannot write the temporary folder).
        user = "user root;\n" if os.geteuid() == 0 else ""
        config = f"""# Written by tests/scaleout/scaleout_test.py
{user}daemon off;
worker_processes 2;
pid {p}/nginx.pid;
error_log {p}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  log_format upstreams '$status $upstream_addr $upstream_status';
  access_log {p}/logs/access.log upstreams buffer=64k flush=1s;
  client_body_temp_path {p}/temp/client_body;
  proxy_temp_path {p}/temp/proxy;
  fastcgi_temp_path {p}/temp/fastcgi;
  uwsgi_temp_path {p}/temp/uwsgi;
  scgi_temp_path {p}/temp/scgi;
  upstream telpolicy {{
{servers}
    keepalive 32;
    # Below the backends' idle timeout (30 s), so that nginx never reuses a connection they close.
    keepalive_timeout 20s;
  }}
  server {{
    listen 127.0.0.1:{self.port};
    location / {{
      proxy_pass http://telpolicy;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
}}
"""
        conf = p / "nginx.conf"
        conf.write_text(config)
        base = [self.nginx, "-p", str(p), "-c", str(conf), "-e", str(p / "logs" / "error.log")]
        checked = subprocess.run(base + ["-t"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise Failure(f"nginx -t refused the configuration:\n{checked.stderr}")
        self.process = subprocess.Popen(base, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        preexec_fn=die_with_parent)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failure(f"nginx exited ({self.process.returncode}): "
                              f"{self.process.stderr.read().decode(errors='replace') if self.process.stderr else ''}")
            try:
                status, _, _ = http_call(self.port, "GET", "/healthz", timeout=2)
                if status == 200:
                    log(f"nginx on 127.0.0.1:{self.port}, upstream {', '.join(str(b.port) for b in self.backends)}")
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise Failure("nginx did not answer /healthz within 10 s")

    def stop(self) -> int | None:
        return stop(self.process, signal.SIGQUIT)  # graceful: workers finish and flush the access log

    def upstream_counts(self) -> tuple[Counter, Counter]:
        """Requests per backend address, and per status, from the access log."""
        per_backend: Counter = Counter()
        per_status: Counter = Counter()
        log_file = self.prefix / "logs" / "access.log"
        if log_file.exists():
            for line in log_file.read_text(errors="replace").splitlines():
                parts = line.split()
                if len(parts) >= 2:
                    per_status[parts[0]] += 1
                    per_backend[parts[1]] += 1
        return per_backend, per_status

    def errors(self) -> list[str]:
        log_file = self.prefix / "logs" / "error.log"
        if not log_file.exists():
            return []
        return [line for line in log_file.read_text(errors="replace").splitlines()
                if re.search(r"\[(error|crit|alert|emerg)\]", line)]


class WrkLoad:
    def __init__(self, url: str, duration: float, connections: int, wrk: str):
        self.command = [wrk, "-t2", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "5s",
                        "-s", str(HERE / "wrk-post.lua"), url]
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log("load: " + " ".join(self.command))
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, preexec_fn=die_with_parent)

    def finish(self) -> list[str]:
        """Waits for wrk and returns the problems its report shows."""
        assert self.process
        output, _ = self.process.communicate(timeout=120)
        print(output, flush=True)
        problems = []
        if self.process.returncode != 0:
            problems.append(f"wrk exited {self.process.returncode}")
        if "Socket errors" in output:
            problems.append("wrk saw socket errors: " + re.search(r"Socket errors:.*", output).group(0))
        if "Non-2xx or 3xx responses" in output:
            problems.append("wrk saw error responses: " + re.search(r"Non-2xx or 3xx responses:.*", output).group(0))
        summary = re.search(r"^wrk-post: responses=(\d+) non200=(\d+) malformed=(\d+) no_decision_id=(\d+) "
                            r"first_bad=(.*)$", output, re.M)
        total = re.search(r"(\d+) requests in", output)
        if not summary or not total:
            problems.append("wrk's report lacks its summary lines")
            return problems
        responses, non200, malformed, no_id = (int(summary.group(i)) for i in range(1, 5))
        if non200 or malformed:
            problems.append(f"{non200} answers were not 200 and {malformed} not a well-formed decision; "
                            f"first: {summary.group(5)}")
        if no_id:
            problems.append(f"{no_id} decisions came without a Decision-Id header")
        if responses < 100:
            problems.append(f"only {responses} responses: the load never ran")
        self.responses = responses
        return problems

    def stop(self) -> None:
        stop(self.process, signal.SIGINT)


class PythonLoad:
    """Concurrent keep-alive clients, when wrk is not installed."""

    def __init__(self, port: int, duration: float, connections: int):
        self.port, self.duration, self.connections = port, duration, connections
        self.statuses: Counter = Counter()
        self.problems: list[str] = []
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []
        bodies = re.findall(r"'(\{.*\})'", (HERE / "wrk-post.lua").read_text())
        self.bodies = [b.encode() for b in bodies]

    def _client(self) -> None:
        deadline = time.monotonic() + self.duration
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        i = 0
        while time.monotonic() < deadline:
            body = self.bodies[i % len(self.bodies)]
            i += 1
            try:
                connection.request("POST", "/v1/decisions", body=body, headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                reply = response.read()
                ok = response.status == 200 and is_decision(json.loads(reply))
                with self.lock:
                    self.statuses[response.status] += 1
                    if not ok and len(self.problems) < 5:
                        self.problems.append(f"HTTP {response.status}: {reply[:200]!r}")
            except (OSError, http.client.HTTPException, ValueError) as error:
                with self.lock:
                    self.statuses["socket error"] += 1
                    if len(self.problems) < 5:
                        self.problems.append(f"{type(error).__name__}: {error}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.close()

    def start(self) -> None:
        log(f"load: {self.connections} Python clients for {self.duration:g} s (no wrk)")
        self.threads = [threading.Thread(target=self._client, daemon=True) for _ in range(self.connections)]
        for t in self.threads:
            t.start()

    def finish(self) -> list[str]:
        for t in self.threads:
            t.join(self.duration + 30)
        self.responses = sum(self.statuses.values())
        log(f"load: {dict(self.statuses)}")
        problems = list(self.problems)
        if self.responses < 100:
            problems.append(f"only {self.responses} responses: the load never ran")
        return problems

    def stop(self) -> None:
        pass


def run(args: argparse.Namespace, work: Path) -> list[str]:
    backends = [Backend(i, args, work, token_from_env=(i == 2)) for i in range(3)]
    nginx = Nginx(work, backends, args.nginx)
    load = None
    problems: list[str] = []
    try:
        for backend in backends:
            backend.start()
        # The admin endpoint wants the right token.
        b0 = backends[0]
        for token, what in ((None, "no token"), ("wrong-" + b0.token, "a wrong token")):
            status, reply = b0.reload(token)
            if status != 401:
                problems.append(f"POST /v1/reload with {what} answered {status}, not 401: {reply[:200]!r}")
        for backend in backends:
            backend.check_serving("at start")
        nginx.start()

        if args.wrk:
            load = WrkLoad(f"http://127.0.0.1:{nginx.port}/v1/decisions", args.duration, args.connections, args.wrk)
        else:
            load = PythonLoad(nginx.port, args.duration, args.connections)
        started = time.monotonic()
        load.start()
        time.sleep(min(0.5, args.duration / 10))
        # Each backend, in turn: a good edit, a broken one, and so on, spread over the load.
        steps = args.rounds * len(backends)
        interval = args.duration * 0.8 / steps
        for step in range(steps):
            backend = backends[step % len(backends)]
            round_number = step // len(backends)
            mark = f"scale-out edit {round_number}"
            if round_number % 2 == 0:
                backend.good_reload(mark)
            else:
                backend.broken_reload(mark)
            time.sleep(max(0.0, started + (step + 1) * interval - time.monotonic()))
        problems += load.finish()
        for backend in backends:
            backend.check_serving("after the load")
            log(f"backend {backend.index}: reloads {'; '.join(backend.reloads)}")

        stopped = nginx.stop()
        per_backend, per_status = nginx.upstream_counts()
        log(f"through nginx: {dict(per_backend)}; statuses {dict(per_status)}")
        for backend in backends:
            if per_backend[f"127.0.0.1:{backend.port}"] == 0:
                problems.append(f"backend {backend.index} (port {backend.port}) got no request through nginx")
        # 499: wrk closed connections with requests in flight when its time was up; never more than
        # one a connection.
        if set(per_status) - {"200", "499"} or per_status["499"] > args.connections:
            problems.append(f"nginx answered other statuses than 200: {dict(per_status)}")
        problems += [f"nginx: {line}" for line in nginx.errors()[:5]]
        if stopped != 0:
            problems.append(f"nginx exited {stopped}")
        for backend in backends:
            code = stop(backend.process)
            if code != 0:
                problems.append(f"backend {backend.index} did not stop cleanly on SIGTERM (exit {code}): "
                                f"{backend.stderr_tail()}")
    except Failure as failure:
        problems.append(str(failure))
    finally:
        if load:
            load.stop()
        nginx.stop()
        for backend in backends:
            stop(backend.process, wait=5)
        if problems:
            for backend in backends:
                tail = backend.stderr_tail()
                if tail:
                    log(f"--- backend {backend.index} stderr (last lines)\n{tail}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", required=True, help="the telpolicy command")
    parser.add_argument("--plugins", required=True, help="the plugin folder")
    parser.add_argument("--rules", required=True, help="the rules folder, copied once per backend")
    parser.add_argument("--duration", type=float, default=6, help="seconds of load (default 6)")
    parser.add_argument("--connections", type=int, default=24, help="concurrent connections to nginx")
    parser.add_argument("--rounds", type=int, default=4, help="reloads per backend, good and broken in turn")
    parser.add_argument("--load", choices=("wrk", "python"), default="wrk",
                        help="wrk (default, when installed) or concurrent Python clients")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, configuration)")
    args = parser.parse_args()
    args.binary = str(Path(args.binary).resolve())
    args.nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)
    if not args.nginx:
        print("scaleout: nginx is missing: apt-get install -y nginx-light", file=sys.stderr)
        return 1
    args.wrk = shutil.which("wrk") if args.load == "wrk" else None
    if args.load == "wrk" and not args.wrk:
        log("wrk is missing (apt-get install -y wrk): using Python clients instead")

    # A ctest timeout or ^C still stops every process (the finally blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    work = Path(tempfile.mkdtemp(prefix="telpolicy-scaleout-"))
    try:
        problems = run(args, work)
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if problems:
        for problem in problems:
            print(f"scaleout: FAIL: {problem}", file=sys.stderr)
        return 1
    log("PASS: every request through nginx got 200 and a decision, while each backend reloaded good and broken rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
