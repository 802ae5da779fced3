"""Settings read from the environment: safe development defaults, production refusals.

`config/settings.py` is evaluated afresh with a chosen environment (`load_settings`
in tests/support.py), so these tests see exactly what a process started with that
environment would see.
"""

import os
import runpy
import secrets
import subprocess
import sys

import pytest
from django.core.cache import CacheHandler
from django.core.exceptions import ImproperlyConfigured

from tests.support import BASE_DIR, PRODUCTION_ENV, is_configuration, load_settings


def run_manage(*args, **env):
    """Run manage.py in a fresh process with only `env` set among the configuration variables."""
    process_env = {name: value for name, value in os.environ.items() if not is_configuration(name)}
    process_env.pop("DJANGO_SETTINGS_MODULE", None)
    process_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=process_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_development_needs_no_configuration(monkeypatch):
    config = load_settings(monkeypatch)

    assert config["DEBUG"] is True
    assert config["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    assert config["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert config["DATABASES"]["default"]["NAME"] == str(BASE_DIR / "db.sqlite3")
    assert config["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert config["SECURE_SSL_REDIRECT"] is False
    assert config["SECURE_HSTS_SECONDS"] == 0
    assert config["SESSION_COOKIE_SECURE"] is False
    assert config["STORAGES"]["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_production_settings_refuse_to_start_without_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off"):
        load_settings(monkeypatch, DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="hearings.example.org")


def test_manage_py_with_debug_off_and_no_secret_key_exits_and_says_why():
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="hearings.example.org")

    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_production_settings_pass_check_deploy_without_a_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_defaults_are_secure(monkeypatch):
    config = load_settings(monkeypatch, **PRODUCTION_ENV)

    assert config["DEBUG"] is False
    assert config["ALLOWED_HOSTS"] == ["hearings.example.org"]
    assert config["SECURE_SSL_REDIRECT"] is True
    assert config["SECURE_HSTS_SECONDS"] == 31536000
    assert config["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert config["SECURE_HSTS_PRELOAD"] is True
    assert "SECURE_PROXY_SSL_HEADER" not in config
    for cookie in ("SESSION", "CSRF", "LANGUAGE"):
        assert config[f"{cookie}_COOKIE_SECURE"] is True
        assert config[f"{cookie}_COOKIE_HTTPONLY"] is True
    assert config["X_FRAME_OPTIONS"] == "DENY"
    assert config["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_content_security_policy_allows_no_inline_code(monkeypatch):
    directives = load_settings(monkeypatch, **PRODUCTION_ENV)["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert [source for sources in directives.values() for source in sources if "'unsafe-" in source] == []


def test_csp_report_uri_comes_from_the_environment(monkeypatch):
    config = load_settings(monkeypatch, DJANGO_CSP_REPORT_URI="https://reports.example.org/csp")

    assert config["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["report-uri"] == ["https://reports.example.org/csp"]


def test_secure_settings_can_be_tuned_from_the_environment(monkeypatch):
    config = load_settings(
        monkeypatch,
        **PRODUCTION_ENV,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="600",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        DJANGO_SECURE_HSTS_PRELOAD="off",
        DJANGO_SECRET_KEY_FALLBACKS="old-key-1, old-key-2",
    )

    assert config["SECURE_SSL_REDIRECT"] is False
    assert config["SECURE_HSTS_SECONDS"] == 600
    assert config["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert config["SECURE_HSTS_PRELOAD"] is False
    assert config["SECRET_KEY_FALLBACKS"] == ["old-key-1", "old-key-2"]


@pytest.mark.parametrize("header", ["X-Forwarded-Proto", "x-forwarded-proto", "HTTP_X_FORWARDED_PROTO"])
def test_proxy_ssl_header_accepts_the_header_name_or_the_meta_key(monkeypatch, header):
    config = load_settings(monkeypatch, **PRODUCTION_ENV, DJANGO_SECURE_PROXY_SSL_HEADER=header)

    assert config["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_host_and_origin_lists_are_comma_separated(monkeypatch):
    config = load_settings(
        monkeypatch,
        **{**PRODUCTION_ENV, "DJANGO_ALLOWED_HOSTS": "hearings.example.org, www.hearings.example.org"},
        DJANGO_CSRF_TRUSTED_ORIGINS="https://hearings.example.org,https://www.hearings.example.org",
    )

    assert config["ALLOWED_HOSTS"] == ["hearings.example.org", "www.hearings.example.org"]
    assert config["CSRF_TRUSTED_ORIGINS"] == ["https://hearings.example.org", "https://www.hearings.example.org"]


def test_database_url_selects_postgresql_with_persistent_connections(monkeypatch):
    config = load_settings(
        monkeypatch, DATABASE_URL="postgres://hearings:secret@db.internal:5433/hearings", DJANGO_CONN_MAX_AGE="300"
    )

    database = config["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["HOST"], database["PORT"]) == (
        "hearings",
        "hearings",
        "db.internal",
        5433,
    )
    assert database["CONN_MAX_AGE"] == 300
    assert database["CONN_HEALTH_CHECKS"] is True


def test_cache_url_selects_redis(monkeypatch):
    config = load_settings(
        monkeypatch,
        CACHE_URL="redis://cache.internal:6379/1",
        CACHE_KEY_PREFIX="staging",
        CACHE_TIMEOUT="60",
        CACHE_SOCKET_TIMEOUT="0.5",
    )

    assert config["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/1",
        "KEY_PREFIX": "staging",
        "TIMEOUT": 60,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


def test_postgresql_connections_have_a_connect_and_a_statement_timeout(monkeypatch):
    config = load_settings(
        monkeypatch,
        DATABASE_URL="postgres://hearings@db.internal:5432/hearings",
        DJANGO_DB_CONNECT_TIMEOUT="3",
        DJANGO_DB_STATEMENT_TIMEOUT="12.5",
    )

    database = config["DATABASES"]["default"]
    assert database["OPTIONS"] == {"connect_timeout": 3, "options": "-c statement_timeout=12500"}
    assert database["CONN_HEALTH_CHECKS"] is True


def test_unknown_cache_url_is_refused(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must start with"):
        load_settings(monkeypatch, CACHE_URL="memcached://127.0.0.1:11211")


def test_redis_cache_is_shared_between_app_servers(monkeypatch):
    """Two cache clients built from the same CACHE_URL, as two app servers would, see each other's entries."""
    config = load_settings(monkeypatch, CACHE_URL="redis://127.0.0.1:6379/0", CACHE_KEY_PREFIX=secrets.token_hex(8))
    first = CacheHandler(config["CACHES"])["default"]
    second = CacheHandler(config["CACHES"])["default"]

    try:
        first.set("shared", "written by the first app server")
        assert second.get("shared") == "written by the first app server"
    finally:
        first.delete("shared")
        first.close()
        second.close()


def test_logging_in_production_goes_to_stdout(monkeypatch):
    config = load_settings(monkeypatch, **PRODUCTION_ENV)

    handlers = config["LOGGING"]["handlers"]
    assert config["LOGGING"]["root"]["handlers"] == ["console"]
    assert handlers["console"]["stream"] == "ext://sys.stdout"


def test_gunicorn_config_reads_the_environment_and_logs_to_stdout(monkeypatch):
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:8000")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.2")

    config = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))

    assert config["wsgi_app"] == "config.wsgi:application"
    assert (config["bind"], config["workers"], config["forwarded_allow_ips"]) == (["0.0.0.0:8000"], 3, "10.0.0.2")
    assert (config["accesslog"], config["errorlog"]) == ("-", "-")
    streams = {handler["stream"] for handler in config["logconfig_dict"]["handlers"].values()}
    assert streams == {"ext://sys.stdout"}
    assert {logger["handlers"][0] for logger in config["logconfig_dict"]["loggers"].values()} == {"stdout"}
