"""Helpers that several test modules share: the admin's hearing POST, and settings evaluated from an environment."""

import os
import runpy
import secrets
from html.parser import HTMLParser
from pathlib import Path

from hearings.models import Hearing

BASE_DIR = Path(__file__).resolve().parent.parent
SETTINGS_FILE = BASE_DIR / "config" / "settings.py"


# --- The admin's hearing screen -------------------------------------------------


def _management_form(prefix, rows):
    return {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(sum(1 for row in rows if row.get("id"))),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _inline_forms(prefix, rows, fk_name, parent_id):
    data = _management_form(prefix, rows)
    for index, row in enumerate(rows):
        form = f"{prefix}-{index}"
        data[f"{form}-id"] = ""
        data[f"{form}-{fk_name}"] = "" if parent_id is None else str(parent_id)
        for key, value in row.items():
            if key == "appearances":
                continue
            if key == "DELETE":
                if value:
                    data[f"{form}-DELETE"] = "on"
                continue
            if key == "position" and value is not None:
                value = int(value) - 1  # the screen shows each row's order less one (see HearingPartForm)
            data[f"{form}-{key}"] = "" if value is None else str(value)
    return data


def hearing_admin_data(hearing=None, *, links=(), groups=(), segments=(), **fields):
    """The POST the hearing screen sends, with every inline and nested inline management form.

    Prefixes are those of the rendered page: `links`, `hearingparticipation_set`,
    `segments`, and `segments-<n>-appearances` under each segment (the
    `segments-empty-appearances` template is posted too, as a browser does).
    Rows with an "id" are existing records and must come first; rows are
    dicts of field values, a segment's with an "appearances" list; a row's
    "position" is the order to store, posted as the screen posts it.
    """
    data = {"status": Hearing.Status.DRAFT, "ordinal": "", "start_time": "", "end_time": "", "venue": ""}
    data.update({"convener_en": "", "mandate_en": "", "summary_en": "", "slug": ""})
    data.update({key: "" if value is None else str(value) for key, value in fields.items()})
    hearing_id = hearing.pk if hearing is not None else None
    data.update(_inline_forms("links", list(links), "hearing", hearing_id))
    data.update(_inline_forms("hearingparticipation_set", list(groups), "hearing", hearing_id))
    data.update(_inline_forms("segments", list(segments), "hearing", hearing_id))
    data.update(_management_form("segments-empty-appearances", []))
    for index, segment in enumerate(segments):
        data.update(
            _inline_forms(f"segments-{index}-appearances", segment.get("appearances", []), "segment", segment.get("id"))
        )
    return data


class _FormReader(HTMLParser):
    """What a browser would submit for the page's first <form method="post"> other than the admin's log-out button."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data, self.in_form, self.done = {}, False, False
        self.select, self.textarea, self.option = None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.done:
            return
        if tag == "form" and (attrs.get("method") or "").lower() == "post" and attrs.get("id") != "logout-form":
            self.in_form = True
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "image", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self.select:
            self.option = attrs.get("value", "")
            if "selected" in attrs:
                self.data[self.select] = self.option
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = ""

    def handle_data(self, text):
        if self.textarea:
            self.data[self.textarea] += text

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            if self.textarea and self.data[self.textarea].startswith("\n"):
                self.data[self.textarea] = self.data[self.textarea][1:]
            self.textarea = None
        elif tag == "form" and self.in_form:
            self.in_form, self.done = False, True


def form_data(html):
    """What submitting the page's form as it is would POST: typed values, checked boxes, selected options."""
    reader = _FormReader()
    reader.feed(html)
    return reader.data


# --- Settings read from the environment -------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "hearings.example.org",
}


def is_configuration(name):
    """Whether the environment variable `name` is one that config/settings.py reads."""
    return (name.startswith(("DJANGO_", "CACHE_", "AXES_")) and name != "DJANGO_SETTINGS_MODULE") or name in {
        "DATABASE_URL",
        "ADMIN_REQUIRE_2FA",
        "SESSION_IDLE_HOURS",
    }


def load_settings(monkeypatch, **env):
    """Evaluate config/settings.py with only `env` set among the variables it reads."""
    for name in list(os.environ):
        if is_configuration(name):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))
