"""Benchmark of the public pages under the production server, against a trivial Django view.

`make bench` runs it. For each database size it builds (once, then reuses) a
SQLite database with the seed records plus generated hearings, or a PostgreSQL
one when DATABASE_URL (or --database-url) names a PostgreSQL server, starts gunicorn
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
from urllib.parse import unquote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".bench"
PYTHON = sys.executable
# Those dj-database-url reads as PostgreSQL.
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")

PUBLIC_PAGES = [
    "home", "list", "list_group", "list_q", "hearing", "person", "group", "statistics", "statistics_group",
    "api_list", "api_hearing", "list_fr", "hearing_fr", "organizations_fr", "list_ar", "hearing_ar",
]  # fmt: skip
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
    "statistics": "statistics, all hearings",
    "statistics_group": "statistics, one group",
    "api_list": "API hearing list",
    "api_hearing": "API hearing",
    "list_fr": "hearing list, French",
    "hearing_fr": "hearing page, French",
    "organizations_fr": "organization list, French",
    "list_ar": "hearing list, Arabic",
    "hearing_ar": "hearing page, Arabic",
    "admin": "admin changelist",
    "static": "static file",
}
SINGLE_RUN = ("trivial", "admin", "static")
TARGETS = {"max_queries": 10, "growth": 1.3, "uncached_ratio": 0.10, "cached_ratio": 0.85, "after_edit_ratio": 0.10}
# Edits of an unrelated hearing per page for the "after edit" row; the median view is reported.
AFTER_EDIT_VIEWS = 5

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
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from bench.run import page_urls
from hearings.models import Hearing

urls = page_urls()
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

# The first view of each page after an edit to a hearing it does not show (the oldest published one): its
# title corrected (the data version moves: the page is made again, from the other hearings' fragments and
# the counts as they were kept), or one of its speakers' role changed (the counts are made again too).
import statistics, time
from bench.run import AFTER_EDIT_VIEWS, PUBLIC_PAGES
from hearings.models import Appearance
visitor = Client(HTTP_HOST="127.0.0.1")
unrelated = Hearing.objects.published().filter(slug__startswith="demo-").order_by("date", "pk").first()
speaker = Appearance.objects.filter(segment__hearing=unrelated).order_by("pk").first()
original_title, original_role = unrelated.title_en, speaker.role
other_role = next(role for role in Appearance.Role.values if role != original_role)

def retitle(number):
    unrelated.title_en = f"{original_title} ({number + 1})"
    unrelated.save()

def change_role(number):
    speaker.role = other_role if number % 2 == 0 else original_role
    speaker.save()

after_edit = {"edited": {}, "recounted": {}}
try:
    for mode, edit in (("edited", retitle), ("recounted", change_role)):
        for name in ["trivial", *PUBLIC_PAGES]:
            url = urls[name]
            assert visitor.get(url).status_code == 200, url
            spent = []
            for number in range(AFTER_EDIT_VIEWS):
                edit(number)
                started = time.perf_counter()
                response = visitor.get(url)
                spent.append(time.perf_counter() - started)
                assert response.status_code == 200, url
            after_edit[mode][name] = statistics.median(spent) * 1000
finally:
    unrelated.title_en = original_title
    unrelated.save()
    speaker.role = original_role
    speaker.save()
cache.clear()
print(json.dumps({"urls": urls, "queries": queries, "cookie": client.cookies["sessionid"].value,
                  "hearings": Hearing.objects.count(), "after_edit": after_edit}))
"""


def page_urls():
    """The address of each measured page in the benchmark database (run inside Django)."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db.models import Count

    from hearings.models import Hearing, Person, StakeholderGroup

    hearings = Hearing.objects.published().filter(slug__startswith="demo-").order_by("date")
    hearing = hearings[hearings.count() // 2]
    person = (
        Person.objects.public().filter(slug__startswith="demo-")
        .annotate(n=Count("appearances")).order_by("-n", "pk").first()
    )  # fmt: skip
    group = StakeholderGroup.objects.annotate(n=Count("children")).order_by("-n", "position").first()
    return {
        "trivial": "/bench/trivial",
        "home": "/",
        "list": "/hearings/",
        "list_group": f"/hearings/?stakeholder_group={group.slug}",
        "list_q": "/hearings/?q=remittances",
        "hearing": hearing.get_absolute_url(),
        "person": person.get_absolute_url(),
        "group": group.get_absolute_url(),
        "statistics": "/statistics/",
        "statistics_group": f"/statistics/?stakeholder_group={group.slug}",
        "api_list": "/api/hearings/",
        "api_hearing": f"/api/hearings/{hearing.slug}/",
        "list_fr": "/fr/hearings/",
        "hearing_fr": "/fr" + hearing.get_absolute_url(),
        "organizations_fr": "/fr/organizations/",
        "list_ar": "/ar/hearings/",
        "hearing_ar": "/ar" + hearing.get_absolute_url(),
        "admin": "/admin/hearings/hearing/",
        "static": "/static/" + staticfiles_storage.stored_name("css/site.css"),
    }


def log(message):
    print(message, file=sys.stderr, flush=True)


def environment(database_url, **extra):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        # wrk sends everything from one address: the API's throttle would answer 429s.
        "API_ANON_RATE": "off",
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


def fill_database(database_url, name, hearings, seed):
    env = environment(database_url, BENCH_SECRET_KEY="build")
    log(f"Building {name}: migrate, seed, {hearings} generated hearings")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_seed")
    started = time.perf_counter()
    manage(env, "generate_demo_data", "--hearings", str(hearings), "--seed", str(seed))
    log(f"  generated {hearings} hearings in {time.perf_counter() - started:.1f} s")


def migrate_kept(database_url):
    # Kept from an earlier run: bring its schema up to the code's.
    manage(environment(database_url, BENCH_SECRET_KEY="build"), "migrate", "--noinput", "--verbosity", "0")


class SQLite:
    """One SQLite file per size in .bench/, the default."""

    def describe(self):
        return "SQLite"

    def build(self, hearings, seed):
        """A database with the seed records and `hearings` generated ones; reused while it is complete."""
        DATA.mkdir(exist_ok=True)
        database = DATA / f"hearings-{hearings}.sqlite3"
        marker = database.with_suffix(".ready")
        database_url = f"sqlite:///{database}"
        if database.exists() and marker.exists() and marker.read_text() == str(seed):
            migrate_kept(database_url)
            return database_url
        for path in (database, marker, Path(f"{database}-wal"), Path(f"{database}-shm")):
            path.unlink(missing_ok=True)
        fill_database(database_url, database.name, hearings, seed)
        marker.write_text(str(seed))
        return database_url


class PostgreSQL:
    """One database per size, `<name>_bench_<hearings>`, on the server `url` names; `<name>` is the URL's database.

    The marker is the database's comment, so it cannot outlive the database or lose it: "building" from
    its creation, the seed once complete. A database marked otherwise is dropped and built again; one
    without the mark is someone else's, and is left alone.
    """

    MARK = "hearings benchmark"

    def __init__(self, url):
        self.url = urlsplit(url)
        self.prefix = unquote(self.url.path.lstrip("/")) or "hearings"
        self.names = []
        with self.connect("postgres") as connection:
            self.version = connection.info.parameter_status("server_version").split()[0]
        self.label = f"PostgreSQL {self.version} at {self.url.hostname or 'localhost'}:{self.url.port or 5432}"

    def describe(self):
        return f"{self.label} ({', '.join(self.names)})"

    def database_url(self, name):
        return urlunsplit(self.url._replace(path=f"/{name}"))

    def connect(self, name):
        # libpq reads only the postgres:// and postgresql:// schemes, not dj-database-url's aliases.
        return psycopg.connect(urlunsplit(self.url._replace(scheme="postgresql", path=f"/{name}")), autocommit=True)

    def build(self, hearings, seed):
        name = f"{self.prefix}_bench_{hearings}"
        if name not in self.names:
            self.names.append(name)
        database_url = self.database_url(name)
        ready = f"{self.MARK}: seed {seed}"
        with self.connect("postgres") as connection:
            row = connection.execute(
                "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = %s",
                [name],
            ).fetchone()
            if row and row[0] == ready:
                migrate_kept(database_url)
                return database_url
            if row:
                if not row[0].startswith(self.MARK):
                    sys.exit(
                        f"{name} exists on {self.label} but the benchmark did not build it: drop it, or name "
                        "another database in DATABASE_URL"
                    )
                log(f"Dropping {name}, marked {row[0]!r}, to build it again")
                connection.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            self.mark(connection, name, f"{self.MARK}: building")
        fill_database(database_url, name, hearings, seed)
        with self.connect(name) as connection:
            # The planner's statistics, and the generated rows moved out of the GIN indexes' pending
            # lists, so that the first measurements do not wait for autovacuum to get there.
            connection.execute("VACUUM ANALYZE")
        with self.connect("postgres") as connection:
            self.mark(connection, name, ready)
        return database_url

    @staticmethod
    def mark(connection, name, text):
        connection.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(text)))


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


def measure(databases, hearings, *, seed, duration, connections, modes):
    database_url = databases.build(hearings, seed)
    env = environment(database_url, CACHE_URL=cache_url(), CACHE_KEY_PREFIX=f"bench-{hearings}-{secrets.token_hex(4)}")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    probe = json.loads(manage(env, "shell", "--command", PROBE, capture=True).strip().splitlines()[-1])
    server = Server(env, workers=os.cpu_count() or 1)
    results = {
        "hearings": probe["hearings"],
        "queries": probe["queries"],
        "urls": probe["urls"],
        "after_edit": probe["after_edit"],
        "runs": {},
    }
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
                        verdict.append(f"below {TARGETS['uncached_ratio']:.0%}")
                elif ratio < TARGETS["cached_ratio"]:
                    verdict.append(f"below {TARGETS['cached_ratio']:.0%}")
            if run["errors"] or run["socket_errors"]:
                verdict.append(f"errors {run['errors']} {run['socket_errors']}")
            failures.extend(f"{LABELS[name]} {mode}: {item}" for item in verdict)
            shown_mode = "-" if mode == "single" else mode
            lines.append(
                f"{LABELS[name]:<17} {shown_mode:<9} {run['rps']:>8.0f} "
                f"{run['p50'] or 0:>7.2f} {run['p99'] or 0:>7.2f} {queries:>7} {ratio:>10.1%} {growth:>12}  "
                f"{'; '.join(verdict) or 'ok'}"
            )
        for mode, views in big.get("after_edit", {}).items():
            if name not in views:
                continue
            # In-process, one view at a time: set against the trivial view measured the same way.
            milliseconds = views[name]
            ratio = views["trivial"] / milliseconds
            verdict = [] if ratio >= TARGETS["after_edit_ratio"] else [f"below {TARGETS['after_edit_ratio']:.0%}"]
            failures.extend(f"{LABELS[name]} {mode}: {item}" for item in verdict)
            lines.append(
                f"{LABELS[name]:<17} {mode:<9} {'-':>8} {milliseconds:>7.2f} {'-':>7} {'-':>7} {ratio:>10.1%} "
                f"{'':>12}  {'; '.join(verdict) or 'ok'}"
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
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL server to build the databases on, as <name>_bench_<hearings> (default: DATABASE_URL "
        "when it names PostgreSQL, else SQLite files in .bench/)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: `apt-get install wrk` (make bench does it)")
    scheme = urlsplit(args.database_url).scheme
    if scheme in POSTGRES_SCHEMES:
        databases = PostgreSQL(args.database_url)
    elif scheme in ("", "sqlite"):
        databases = SQLite()
    else:
        sys.exit(f"The benchmark runs on SQLite or PostgreSQL, not {scheme}.")

    big = measure(
        databases,
        args.hearings,
        seed=args.seed,
        duration=args.duration,
        connections=args.connections,
        modes=("cached", "uncached"),
    )
    small = measure(
        databases, args.small, seed=args.seed, duration=args.duration, connections=args.connections, modes=("uncached",)
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
        f"{os.cpu_count()} cores ({cpu}), {databases.describe()}, cache {cache_url()}\n"
    )
    print(text)
    print()
    print("Modes: cached, the same address again; uncached, an address of its own per request (no page is kept")
    print("for it; the fragments of its records and its counts are); edited and recounted, the first view after")
    print("an edit to a hearing the page does not show, its title corrected (the page is made again) or a")
    print("speaker's role changed (its counts too), in-process, one view at a time, p50 the median ms.")
    print(
        f"Targets: at most {TARGETS['max_queries']} queries on every public page, the same at both sizes; uncached "
        f"cost at the large size at most {TARGETS['growth']}x the small; uncached at least "
        f"{TARGETS['uncached_ratio']:.0%} of the trivial view, edited {TARGETS['after_edit_ratio']:.0%}; "
        f"cached at least {TARGETS['cached_ratio']:.0%}."
    )
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
