"""Where an uncached public page spends its time: each page rendered in-process, with cProfile.

`make profile` runs it against the benchmark's large SQLite database (build it with `make bench` first,
or name another with --database-url). Every request misses the page cache (a query parameter of its own).
With `--cache dummy://` (the default) nothing is kept either, so what is timed is a page rendered from
scratch, its counts included; with `--cache locmem://` its counts and the fragments of its records are
kept after the first request, as between edits on a server. For each page it prints the milliseconds per
request and, with --top, the functions that take the most time.

    .venv/bin/python bench/pageprofile.py --pages hearing,list --top 25
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=f"sqlite:///{ROOT / '.bench' / 'hearings-10000.sqlite3'}")
    parser.add_argument("--pages", default="", help="comma-separated page names (default: every public page)")
    parser.add_argument("--requests", type=int, default=50, help="requests per page")
    parser.add_argument("--top", type=int, default=0, help="print this many functions by their own time")
    parser.add_argument("--sort", default="tottime", help="pstats sort key for --top (tottime, cumulative)")
    parser.add_argument("--cache", default="dummy://", help="CACHE_URL: dummy:// renders every fragment too")
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="profile",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_LOG_LEVEL="WARNING",
        API_ANON_RATE="off",
        CACHE_URL=args.cache,
    )
    if args.cache == "dummy://":
        # Nothing kept in the process's memory either.
        os.environ.update(PAGE_MEMORY_CACHE_SIZE="0", FRAGMENT_MEMORY_CACHE_SIZE="0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from bench.run import PUBLIC_PAGES, page_urls

    urls = page_urls()
    names = [name for name in (args.pages.split(",") if args.pages else PUBLIC_PAGES) if name]
    client = Client(HTTP_HOST="127.0.0.1")
    for name in names:
        url = urls[name]
        separator = "&" if "?" in url else "?"
        for number in range(3):  # warm up: imports, templates, connections
            assert client.get(f"{url}{separator}_profile=w{number}").status_code == 200, url
        profiler = cProfile.Profile() if args.top else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        for number in range(args.requests):
            response = client.get(f"{url}{separator}_profile={number}")
        if profiler:
            profiler.disable()
        elapsed = (time.perf_counter() - started) / args.requests * 1000
        print(f"{name:<18} {elapsed:7.2f} ms  {len(response.content):>7} bytes  {url}")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
