"""Benchmark of the public pages under the production server, against a trivial Django view.

`make bench` runs it. For each database size it builds (once, then reuses) a
SQLite database with the seed records plus generated hearings, starts gunicorn
with the production settings and one worker per core, and drives it with wrk
from a separate process. Every page is measured cached (one URL again and
again) and uncached (every request carries a query parameter of its own, so no
page cache can answer), and set against a view that does nothing, measured in
the same run. SQL queries per request are counted in-process with Django's test
client on the same database.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".bench"
PYTHON = sys.executable

PUBLIC_PAGES = ["home", "list", "list_group", "list_q", "hearing", "person", "group"]
PAGES = [*PUBLIC_PAGES, "admin", "static"]
LABELS = {
    "trivial": "trivial view",
    "home": "home",
    "list": "hearing list",
    "list_group": "list by group",
    "list_q": "list with q",
    "hearing": "hearing page",
    "person": "person page",
    "group": "group page",
    "admin": "admin changelist",
    "static": "static file",
}
SINGLE_RUN = ("trivial", "admin", "static")
TARGETS = {"max_queries": 10, "growth": 1.5, "uncached_ratio": 0.05, "cached_ratio": 0.80}

UNCACHED_LUA = """
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  counter = counter + 1
  return wrk.format("GET", "{path}{sep}_bench=" .. tid .. "-" .. counter)
end
"""

# Run inside Django against the benchmark database: picks the URLs, logs an editor
# in for the admin, and counts the queries each page runs, uncached and cached.
PROBE = r"""
import json, sys
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hearings.models import Hearing, Person, StakeholderGroup

hearings = Hearing.objects.published().filter(slug__startswith="demo-").order_by("date")
hearing = hearings[hearings.count() // 2]
person = (
    Person.objects.public().filter(slug__startswith="demo-")
    .annotate(n=Count("appearances")).order_by("-n", "pk").first()
)
group = StakeholderGroup.objects.annotate(n=Count("children")).order_by("-n", "position").first()
urls = {
    "trivial": "/bench/trivial",
    "home": "/",
    "list": "/hearings/",
    "list_group": f"/hearings/?stakeholder_group={group.slug}",
    "list_q": "/hearings/?q=remittances",
    "hearing": hearing.get_absolute_url(),
    "person": person.get_absolute_url(),
    "group": group.get_absolute_url(),
    "admin": "/admin/hearings/hearing/",
    "static": "/static/" + staticfiles_storage.stored_name("css/site.css"),
}
User = get_user_model()
user, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True, "is_superuser": True})
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
queries = {}
for name, url in urls.items():
    if name in ("trivial", "static"):
        queries[name] = [0, 0]
        continue
    counts = []
    cache.clear()
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(captured))
    queries[name] = counts
cache.clear()
print(json.dumps({"urls": urls, "queries": queries, "cookie": client.cookies["sessionid"].value,
                  "hearings": Hearing.objects.count()}))
"""


def log(message):
    print(message, file=sys.stderr, flush=True)


def environment(database, **extra):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "off",
    }
    env.update(extra)
    return env


def manage(env, *args, capture=False):
    command = [PYTHON, str(ROOT / "manage.py"), *args]
    if capture:
        return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    subprocess.run(command, env=env, cwd=ROOT, check=True)
    return ""


def build_database(hearings, seed):
    """A database with the seed records and `hearings` generated ones; reused while it is complete."""
    DATA.mkdir(exist_ok=True)
    database = DATA / f"hearings-{hearings}.sqlite3"
    marker = database.with_suffix(".ready")
    if database.exists() and marker.exists() and marker.read_text() == str(seed):
        # Kept from an earlier run: bring its schema up to the code's.
        manage(environment(database, BENCH_SECRET_KEY="build"), "migrate", "--noinput", "--verbosity", "0")
        return database
    for path in (database, marker, Path(f"{database}-wal"), Path(f"{database}-shm")):
        path.unlink(missing_ok=True)
    env = environment(database, BENCH_SECRET_KEY="build")
    log(f"Building {database.name}: migrate, seed, {hearings} generated hearings")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_seed")
    started = time.perf_counter()
    manage(env, "generate_demo_data", "--hearings", str(hearings), "--seed", str(seed))
    log(f"  generated {hearings} hearings in {time.perf_counter() - started:.1f} s")
    marker.write_text(str(seed))
    return database


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cache_url():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return "redis://127.0.0.1:6379/15"
    except OSError:
        pass
    return "locmem://"


class Server:
    """gunicorn with the production settings, one worker per core."""

    def __init__(self, env, workers):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [
            str(Path(PYTHON).with_name("gunicorn")),
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--max-requests",
            "0",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 30 s")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}


def parse_wrk(output):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latencies = {}
    for percent, value, unit in re.findall(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M):
        latencies[percent] = float(value) * UNITS[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": rps,
        "p50": latencies.get("50"),
        "p99": latencies.get("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


def run_wrk(base, path, *, uncached, duration, connections, cookie=None):
    command = ["wrk", "--latency", "-t2", f"-c{connections}", f"-d{duration}s"]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    with tempfile.TemporaryDirectory() as folder:
        if uncached:
            script = Path(folder) / "uncached.lua"
            script.write_text(UNCACHED_LUA.replace("{path}", path).replace("{sep}", "&" if "?" in path else "?"))
            command += ["-s", str(script)]
        command.append(base + path)
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return parse_wrk(output)


def measure(hearings, *, seed, duration, connections, modes):
    database = build_database(hearings, seed)
    env = environment(database, CACHE_URL=cache_url(), CACHE_KEY_PREFIX=f"bench-{hearings}-{secrets.token_hex(4)}")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    probe = json.loads(manage(env, "shell", "--command", PROBE, capture=True).strip().splitlines()[-1])
    server = Server(env, workers=os.cpu_count() or 1)
    results = {"hearings": probe["hearings"], "queries": probe["queries"], "urls": probe["urls"], "runs": {}}
    try:
        for name in ["trivial", *PAGES]:
            if name not in probe["urls"]:
                continue
            path = probe["urls"][name]
            cookie = probe["cookie"] if name == "admin" else None
            # The trivial view, the admin and static files are never page-cached: one run each is enough.
            for mode in ("single",) if name in SINGLE_RUN else modes:
                uncached = mode == "uncached"
                # Warm up: the first requests fill the page cache and the workers' imports.
                run_wrk(server.base, path, uncached=False, duration=1, connections=connections, cookie=cookie)
                log(f"  {hearings} hearings, {LABELS[name]}, {mode}")
                results["runs"][(name, mode)] = run_wrk(
                    server.base, path, uncached=uncached, duration=duration, connections=connections, cookie=cookie
                )
    finally:
        server.stop()
    return results


def table(big, small):
    trivial = big["runs"][("trivial", "single")]["rps"]
    small_trivial = small["runs"][("trivial", "single")]["rps"]
    lines = []
    header = (
        f"{'page':<17} {'mode':<9} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'queries':>7} "
        f"{'vs trivial':>10} {'cost 10k/100':>12}  verdict"
    )
    lines.append(header)
    lines.append("-" * len(header))
    failures = []
    lines.append(
        f"{LABELS['trivial']:<17} {'-':<9} {trivial:>8.0f} {big['runs'][('trivial', 'single')]['p50']:>7.2f} "
        f"{big['runs'][('trivial', 'single')]['p99']:>7.2f} {0:>7} {'100.0%':>10} {'':>12}"
    )
    for name in PAGES:
        for mode in ("single", "cached", "uncached"):
            run = big["runs"].get((name, mode))
            if run is None:
                continue
            uncached_queries, cached_queries = big["queries"][name]
            queries = cached_queries if mode == "cached" else uncached_queries
            ratio = run["rps"] / trivial
            growth = ""
            verdict = []
            if name in PUBLIC_PAGES:
                small_queries = small["queries"][name][0 if mode == "uncached" else 1]
                if queries > TARGETS["max_queries"] or queries != small_queries:
                    verdict.append(f"queries {small_queries}->{queries}")
                if mode == "uncached":
                    small_run = small["runs"].get((name, "uncached"))
                    if small_run:
                        # Cost per request, each set against the trivial view of its own run.
                        cost = (trivial / run["rps"]) / (small_trivial / small_run["rps"])
                        growth = f"{cost:.2f}x"
                        if cost > TARGETS["growth"]:
                            verdict.append(f"grows {cost:.2f}x")
                    if ratio < TARGETS["uncached_ratio"]:
                        verdict.append("below 5%")
                elif ratio < TARGETS["cached_ratio"]:
                    verdict.append("below 80%")
            if run["errors"] or run["socket_errors"]:
                verdict.append(f"errors {run['errors']} {run['socket_errors']}")
            failures.extend(f"{LABELS[name]} {mode}: {item}" for item in verdict)
            shown_mode = "-" if mode == "single" else mode
            lines.append(
                f"{LABELS[name]:<17} {shown_mode:<9} {run['rps']:>8.0f} "
                f"{run['p50'] or 0:>7.2f} {run['p99'] or 0:>7.2f} {queries:>7} {ratio:>10.1%} {growth:>12}  "
                f"{'; '.join(verdict) or 'ok'}"
            )
    return "\n".join(lines), failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hearings", type=int, default=10_000, help="generated hearings in the large database")
    parser.add_argument("--small", type=int, default=100, help="generated hearings in the small database")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: `apt-get install wrk` (make bench does it)")

    big = measure(
        args.hearings,
        seed=args.seed,
        duration=args.duration,
        connections=args.connections,
        modes=("cached", "uncached"),
    )
    small = measure(
        args.small, seed=args.seed, duration=args.duration, connections=args.connections, modes=("uncached",)
    )
    text, failures = table(big, small)
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    print(
        f"\nHearings records benchmark: {big['hearings']} hearings (uncached cost set against {small['hearings']}), "
        f"gunicorn with {os.cpu_count()} workers, wrk {args.connections} connections x {args.duration} s, "
        f"{os.cpu_count()} cores ({cpu}), SQLite, cache {cache_url()}\n"
    )
    print(text)
    print()
    print("Targets: at most 10 queries on every public page, the same at both sizes; uncached cost at the large size")
    print("at most 1.5x the small; uncached at least 5% of the trivial view; cached at least 80%.")
    if failures:
        print("Missed: " + "; ".join(failures))
    else:
        print("All targets met.")
    if args.json:
        serializable = {
            size: {**result, "runs": {f"{name}:{mode}": run for (name, mode), run in result["runs"].items()}}
            for size, result in (("large", big), ("small", small))
        }
        args.json.write_text(json.dumps(serializable, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
