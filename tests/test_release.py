"""The release in the page cache's keys covers everything that shapes an answer: a deployment that changes only
a serializer, a setting, a compiled catalog or an installed package serves nothing cached before it."""

import importlib.metadata
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from hearings.pagecache.release import release
from hearings.pagecache.store import recent_pages

SOURCE_FOLDERS = ["accounts", "config", "hearings", "locale", "opendata", "static", "templates"]


@pytest.fixture
def deployed(settings, tmp_path, monkeypatch):
    """A copy of the project's files as a deployment has them, which the release is worked out from."""
    monkeypatch.delenv("HEARINGS_RELEASE", raising=False)
    source = Path(django_settings.BASE_DIR)
    for folder in SOURCE_FOLDERS:
        shutil.copytree(source / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    settings.BASE_DIR = tmp_path
    release.cache_clear()
    yield tmp_path
    release.cache_clear()


def restart():
    """What a new process starts with: the release worked out again, nothing in its own memory."""
    release.cache_clear()
    recent_pages.clear()


@pytest.mark.parametrize(
    "changed",
    ["opendata/api/serializers.py", "opendata/downloads.py", "config/settings.py", "locale/fr/LC_MESSAGES/django.mo",
     "accounts/lockout.py", "templates/base.html", "static/css/site.css"],
)  # fmt: skip
def test_a_deployment_changing_any_file_that_shapes_answers_serves_nothing_cached_before(
    client, seeded, deployed, changed
):
    url = "/api/hearings/?lang=fr"
    before = client.get(url)
    assert client.get(url, headers={"If-None-Match": before["ETag"]}).status_code == 304

    with open(deployed / changed, "ab") as file:
        file.write(b"\n")
    restart()
    after = client.get(url, headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


def test_a_deployment_changing_only_an_installed_package_serves_nothing_cached_before(seeded, deployed, monkeypatch):
    before = release()
    installed = list(importlib.metadata.distributions())
    django = next(dist for dist in installed if dist.metadata["Name"] == "Django")

    class Upgraded:
        metadata = {"Name": "Django"}
        version = django.version + ".post1"

    monkeypatch.setattr(
        importlib.metadata, "distributions", lambda: [Upgraded if dist is django else dist for dist in installed]
    )
    restart()

    assert release() != before


def test_files_that_shape_no_answer_leave_the_release_as_it_is(seeded, deployed):
    before = release()
    (deployed / "hearings" / "notes.txt").write_text("an operator's notes")
    restart()

    assert release() == before


def test_a_configured_release_names_it(seeded, deployed, monkeypatch):
    monkeypatch.setenv("HEARINGS_RELEASE", "v1.2.3")
    restart()

    assert release() == "v1.2.3"
