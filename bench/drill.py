"""Failure drills against a production-mode server: `make drill`.

Runs gunicorn (4 workers, production settings) on PostgreSQL with generated
hearings and a Redis of its own on a free port, reaching PostgreSQL through a
small TCP relay of its own so that a database that "accepts connections but
never answers" can be staged. Then, each under load from a separate thread
pool: the cache up, the cache refusing (Redis stopped), the cache hanging
(Redis frozen), the app's database connections killed, the database hanging,
and a restore (pg_dump, an edit, pg_restore, an unrelated edit). Prints one
table and exits non-zero when a 5xx appears where none may (every cache drill,
the restore) or when the restore serves a page cached before it, or /healthz
takes more than 3 s to say 503 while the database hangs.

Everything runs on loopback; every request loop is bounded in time and count.
"""

import argparse
import concurrent.futures
import os
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
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MAX_REQUESTS = 20_000
REQUEST_TIMEOUT = 5


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class Relay:
    """A TCP relay to PostgreSQL that can be frozen: connections are accepted, nothing is passed on."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.frozen = threading.Event()
        self.stopped = threading.Event()
        self.server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        self.server.settimeout(0.2)
        while not self.stopped.is_set():
            try:
                client, _ = self.server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self.pipe, args=(client,), daemon=True).start()

    def pipe(self, client):
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        sockets = [client, upstream]
        try:
            while not self.stopped.is_set():
                readable, _, _ = select.select(sockets, [], [], 0.2)
                if self.frozen.is_set():
                    continue  # hold whatever arrived: the database "does not answer"
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is client else client).sendall(data)
        except OSError:
            return
        finally:
            client.close()
            upstream.close()

    def stop(self):
        self.stopped.set()
        self.server.close()


class Load:
    """Requests from a thread pool for a while, over a mix of cached and uncached public pages."""

    def __init__(self, base, paths):
        self.base = base
        self.paths = paths

    def run(self, seconds, concurrency=16, during=None):
        deadline = time.monotonic() + seconds
        results = []
        lock = threading.Lock()
        counter = iter(range(MAX_REQUESTS))

        def worker(number):
            while time.monotonic() < deadline:
                with lock:
                    index = next(counter, None)
                if index is None:
                    return
                path = self.paths[index % len(self.paths)]
                if index % 3 == 0:  # one request in three bypasses the page cache
                    path += ("&" if "?" in path else "?") + f"_drill={number}-{index}"
                results.append(fetch(self.base + path))

        with concurrent.futures.ThreadPoolExecutor(concurrency + 1) as pool:
            workers = [pool.submit(worker, number) for number in range(concurrency)]
            if during is not None:
                pool.submit(during, deadline)
            for future in workers:
                future.result()
        return results


def fetch(url):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (TimeoutError, urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        status = "timeout" if isinstance(reason, TimeoutError) or "timed out" in str(reason) else "error"
    return status, time.monotonic() - started


def summary(name, results, *, no_5xx):
    statuses = [status for status, _ in results]
    latencies = sorted(seconds for _, seconds in results)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else 0
    row = {
        "name": name,
        "requests": len(results),
        "non_2xx": sum(1 for status in statuses if not (isinstance(status, int) and 200 <= status < 300)),
        "5xx": sum(1 for status in statuses if isinstance(status, int) and status >= 500),
        "timeouts": statuses.count("timeout") + statuses.count("error"),
        "p99": p99,
        "no_5xx": no_5xx,
    }
    row["ok"] = not no_5xx or (row["5xx"] == 0 and row["timeouts"] == 0)
    return row


class Drill:
    def __init__(self, options):
        self.options = options
        server = urlsplit(options.database_url)
        self.pg_host, self.pg_port = server.hostname or "127.0.0.1", server.port or 5432
        self.database = options.database
        self.admin_url = urlunsplit(server._replace(path="/postgres"))
        self.relay = Relay(self.pg_host, self.pg_port)
        relayed = server._replace(netloc=f"{server.username or 'postgres'}@127.0.0.1:{self.relay.port}")
        self.app_database_url = urlunsplit(relayed._replace(path=f"/{self.database}"))
        self.direct_database_url = urlunsplit(server._replace(path=f"/{self.database}"))
        self.redis_port = free_port()
        self.redis = None
        self.gunicorn = None
        self.work = Path(tempfile.mkdtemp(prefix="hearings-drill-"))
        self.env = {
            **os.environ,
            "DATABASE_URL": self.direct_database_url,
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_LOG_LEVEL": "ERROR",
            "GUNICORN_ACCESS_LOG": "off",
            "HEARINGS_RELEASE": "drill",
        }

    # Services

    def psql(self, sql, database="postgres"):
        url = urlunsplit(urlsplit(self.admin_url)._replace(path=f"/{database}"))
        subprocess.run(["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", url, "-c", sql], check=True, capture_output=True)

    def manage(self, *args, capture=False):
        result = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *args], env=self.env, cwd=ROOT, check=True, capture_output=True, text=True
        )
        return result.stdout if capture else ""

    def prepare_database(self):
        log(f"Database {self.database}: migrate, seed, {self.options.hearings} generated hearings")
        self.psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        self.psql(f'CREATE DATABASE "{self.database}"')
        self.manage("migrate", "--noinput")
        self.manage("load_seed")
        self.manage("generate_demo_data", "--hearings", str(self.options.hearings))
        self.manage("collectstatic", "--noinput", "--verbosity", "0")

    def start_redis(self):
        self.redis = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.redis_port)

    def stop_redis(self):
        if self.redis is not None:
            self.redis.send_signal(signal.SIGCONT)
            self.redis.terminate()
            self.redis.wait(10)
            self.redis = None

    def start_gunicorn(self):
        self.port = free_port()
        env = {**self.env, "DATABASE_URL": self.app_database_url, "WEB_CONCURRENCY": "4"}
        env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        self.gunicorn = subprocess.Popen(
            [str(Path(PYTHON).with_name("gunicorn"))],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(self.work / "gunicorn.log", "w"),  # noqa: SIM115 (closed with the process)
            start_new_session=True,
        )
        wait_for_port(self.port)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            if fetch(self.base + "/healthz")[0] == 200:
                return
            time.sleep(0.2)
        raise RuntimeError("gunicorn does not answer /healthz")

    def stop(self):
        if self.gunicorn is not None:
            os.killpg(self.gunicorn.pid, signal.SIGTERM)
            self.gunicorn.wait(30)
        self.stop_redis()
        self.relay.stop()
        if not self.options.keep:
            self.psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        shutil.rmtree(self.work, ignore_errors=True)

    def paths(self):
        found = self.manage(
            "shell",
            "-c",
            "from hearings.models import Hearing, Person, StakeholderGroup as G\n"
            "h = Hearing.objects.public().order_by('pk')[20]\n"
            "p = Person.objects.public().order_by('pk')[20]\n"
            "g = G.objects.public().exclude(parent=None).first()\n"
            "print(h.get_absolute_url(), p.get_absolute_url(), g.slug, g.get_absolute_url())",
            capture=True,
        )
        hearing, person, group_slug, group = found.strip().splitlines()[-1].split()
        return ["/", "/hearings/", f"/hearings/?stakeholder_group={group_slug}", "/hearings/?q=migration",
                hearing, person, group, "/people/", "/organizations/", "/healthz"]  # fmt: skip

    # Drills

    def run(self):
        seconds = self.options.seconds
        rows = []
        self.prepare_database()
        self.start_redis()
        self.start_gunicorn()
        load = Load(self.base, self.paths())

        log("cache up")
        rows.append(summary("cache up", load.run(seconds), no_5xx=True))

        log("cache refusing (Redis stopped)")
        self.stop_redis()
        rows.append(summary("cache refusing", load.run(seconds), no_5xx=True))

        log("cache hanging (Redis frozen)")
        self.start_redis()
        time.sleep(self.options.pause + 1)  # past the site's pause after the refusals
        self.redis.send_signal(signal.SIGSTOP)
        rows.append(summary("cache hanging", load.run(seconds), no_5xx=True))
        self.redis.send_signal(signal.SIGCONT)

        log("database connections killed every second")

        def kill_connections(deadline):
            while time.monotonic() < deadline:
                time.sleep(1)
                self.psql(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    f"WHERE datname = '{self.database}' AND pid <> pg_backend_pid()"
                )

        rows.append(summary("db connections killed", load.run(seconds, during=kill_connections), no_5xx=False))
        after = load.run(min(seconds, 3))
        rows.append(summary("after the kills", after, no_5xx=True))

        log("database hanging (accepts, never answers)")
        self.relay.frozen.set()
        started = time.monotonic()
        health = fetch(self.base + "/healthz")
        health_seconds = time.monotonic() - started
        hanging = load.run(min(seconds, 6), concurrency=4)
        self.relay.frozen.clear()
        row = summary("db hanging", hanging, no_5xx=False)
        row["note"] = f"/healthz {health[0]} in {health_seconds:.1f} s"
        row["ok"] = health[0] == 503 and health_seconds <= 3
        rows.append(row)
        # Workers blocked on the frozen relay are replaced by gunicorn's timeout; wait for a healthy answer.
        for _ in range(60):
            if fetch(self.base + "/healthz")[0] == 200:
                break
            time.sleep(1)

        log("restore, then an unrelated edit")
        rows.append(self.restore_drill(load))
        return rows

    def restore_drill(self, load):
        dump = self.work / "backup.dump"
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", self.direct_database_url], check=True)
        slug = self.manage(
            "shell",
            "-c",
            "from hearings.models import Hearing\n"
            "h = Hearing.objects.public().order_by('pk')[5]\n"
            "h.title = 'Title written after the backup'\nh.save()\nprint(h.slug)",
            capture=True,
        )
        slug = slug.strip().splitlines()[-1]
        url = f"{self.base}/hearings/{slug}/"
        before = urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT).read().decode()
        subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={self.direct_database_url}", str(dump)],
            check=True,
            capture_output=True,
        )
        self.manage("analyze_database")
        self.manage(
            "shell", "-c", "from hearings.models import Venue\nv = Venue.objects.order_by('pk').first()\nv.save()"
        )
        results = load.run(min(self.options.seconds, 3))
        after = urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT).read().decode()
        row = summary("restore, then an edit", results, no_5xx=True)
        stale = "Title written after the backup" in after
        row["note"] = "stale page served" if stale else "restored page served"
        row["ok"] = row["ok"] and "Title written after the backup" in before and not stale
        return row


def print_table(rows):
    print()
    print(f"{'drill':<24} {'requests':>8} {'non-2xx':>8} {'5xx':>6} {'timeouts':>8} {'p99 ms':>8}  verdict")
    print("-" * 80)
    for row in rows:
        verdict = "ok" if row["ok"] else "FAILED"
        note = f"  ({row['note']})" if row.get("note") else ""
        print(
            f"{row['name']:<24} {row['requests']:>8} {row['non_2xx']:>8} {row['5xx']:>6} {row['timeouts']:>8} "
            f"{row['p99']:>8.0f}  {verdict}{note}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hearings", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10, help="load per drill, in seconds")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DRILL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server the drill may create a database on",
    )
    parser.add_argument("--database", default="hearings_drill")
    parser.add_argument("--keep", action="store_true", help="keep the drill's database afterwards")
    options = parser.parse_args()
    options.pause = float(os.environ.get("CACHE_FAILURE_PAUSE", "5"))
    drill = Drill(options)
    try:
        rows = drill.run()
    finally:
        drill.stop()
    print_table(rows)
    failed = [row["name"] for row in rows if not row["ok"]]
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
