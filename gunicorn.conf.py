"""gunicorn settings for Hearings records: `gunicorn` in the project folder reads this file.

Every value can be changed from the environment, so one file serves every app
server; see the README's configuration table.
"""

import multiprocessing
import os

wsgi_app = "config.wsgi:application"

# Behind a reverse proxy on another machine, bind to an address the proxy can
# reach (GUNICORN_BIND=0.0.0.0:8000) and let only the proxy reach it.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Synchronous workers: the pages are short database reads. WEB_CONCURRENCY is
# the name most platforms set.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then, staggered, so a slow leak never takes every
# worker down at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
# Spread over half the range, so that workers started together are not all replaced in the same second.
max_requests_jitter = max_requests // 2

# The longest request line (method, path and query string) taken, in bytes: gunicorn's default, named because
# the API schema documents the 414 that a longer one gets (opendata/api/schema.py).
limit_request_line = 4094

# Addresses of the proxies whose X-Forwarded-* headers gunicorn trusts.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs, access and error alike, go to stdout for the process manager to collect.
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# GUNICORN_ACCESS_LOG=off silences the access log (the benchmark does, to measure the pages alone).
access_log_enabled = os.environ.get("GUNICORN_ACCESS_LOG", "on").lower() not in {"off", "0", "false", "no"}
accesslog = "-" if access_log_enabled else None
errorlog = "-"
access_log_format = '%(h)s "%({x-forwarded-for}i)s" %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "generic", "stream": "ext://sys.stdout"}},
    "root": {"level": "INFO", "handlers": ["stdout"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {
            "level": "INFO" if access_log_enabled else "WARNING",
            "handlers": ["stdout"],
            "propagate": False,
        },
    },
}
