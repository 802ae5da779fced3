"""What the browser tests share: the browser's settings, the public page types, axe-core and the Nu Html Checker."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Headless, and without the background traffic a fresh profile starts (updates, sync, first-run pages):
# the tests need nothing but the live server.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Window heights for each tested width: a laptop, and a phone held upright.
VIEWPORT_HEIGHTS = {1280: 800, 375: 812}
PHONE_WIDTH_BELOW = 600

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
MISSING_TOOLS_HINT = "`make browser-deps` (which `make test` runs) installs it"

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR) / "docs" / "screenshots")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

SEED_HEARING = "gcm-third-hearing-2017-12-18"
SEED_PROCESS = "global-compact-for-migration-preparatory-process"


def public_pages():
    """(name, path, expected status) for each public page type, on the seed records, at their English addresses."""
    with translation.override(settings.LANGUAGE_CODE):
        return _public_pages()


def _public_pages():

    def url(name, slug=None, query=""):
        return reverse(f"hearings:{name}", kwargs={"slug": slug} if slug else None) + query

    return [
        ("home", url("home"), 200),
        ("hearing-list", url("hearing_list", query="?stakeholder_group=civil-society"), 200),
        ("hearing-detail", url("hearing_detail", SEED_HEARING), 200),
        ("person-list", url("person_list"), 200),
        ("person-detail", url("person_detail", "miroslav-lajcak"), 200),
        ("organization-list", url("organization_list"), 200),
        ("organization-detail", url("organization_detail", "education-international"), 200),
        ("stakeholder-group-list", url("stakeholdergroup_list"), 200),
        ("stakeholder-group-detail", url("stakeholdergroup_detail", "civil-society"), 200),
        ("process-detail", url("process_detail", SEED_PROCESS), 200),
        ("statistics", url("statistics"), 200),
        ("not-found", url("hearing_detail", "no-such-hearing"), 404),
    ]


# --- Focus --------------------------------------------------------------------

# What the focused element is, and the outline it is drawn with.
FOCUS = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        tag: element.tagName.toLowerCase(),
        id: element.id,
        type: element.type || "",
        value: element.value || "",
        text: (element.innerText || "").trim().slice(0, 60),
        checked: element.checked === true,
        outline: `${style.outlineStyle} ${style.outlineWidth}`,
    };
}"""


def visible_focus(focus):
    style, width = focus["outline"].split()
    return style != "none" and width != "0px"


def pages_in_every_language():
    """`public_pages()` in each of the site's languages: (name-language, path, expected status)."""
    return [
        (f"{name}-{code}", path if code == settings.LANGUAGE_CODE else f"/{code}{path}", status)
        for code, _language in settings.LANGUAGES
        for name, path, status in public_pages()
    ]


# --- axe-core -----------------------------------------------------------------


def run_axe(page):
    """The WCAG 2.1 A and AA violations axe-core finds in the page as it stands.

    axe must already be in the page: contexts add it with `add_init_script`,
    which the site's Content Security Policy does not block (an inline
    <script> would be refused, as it should be).
    """
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return results["violations"]


def describe_violations(violations):
    """One line per rule and up to five offending elements under it, for a failure message."""
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"][:5]:
            lines.append(f"      {' '.join(map(str, node['target']))}: {node['html'][:160]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"      … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


# --- The Nu Html Checker ------------------------------------------------------


def check_html(documents):
    """The Nu Html Checker's errors for each of `documents` ({name: html}), from one run of vnu.jar."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError(f"No `java` on PATH: the Nu Html Checker needs a Java runtime; {MISSING_TOOLS_HINT}.")
    if not VNU_JAR.exists():
        raise RuntimeError(f"{VNU_JAR} is missing; {MISSING_TOOLS_HINT}.")
    with tempfile.TemporaryDirectory(prefix="hearings-vnu-") as folder:
        files = []
        for name, html in documents.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(html, encoding="utf-8")
            files.append(str(path))
        completed = subprocess.run(
            [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    # vnu writes its report to stderr, and exits 1 when it found errors.
    try:
        messages = json.loads(completed.stderr)["messages"]
    except (json.JSONDecodeError, KeyError) as error:
        raise RuntimeError(
            f"vnu.jar exited {completed.returncode} without a JSON report:\n{completed.stdout}\n{completed.stderr}"
        ) from error
    errors = {name: [] for name in documents}
    for message in messages:
        # Messages name their file as a file: URL; the file name is the document's name.
        name = message.get("url", "?").rsplit("/", 1)[-1].removesuffix(".html")
        errors.setdefault(name, []).append(message)
    return errors


def describe_html_errors(errors):
    lines = []
    for name, messages in errors.items():
        for message in messages:
            where = f"line {message.get('lastLine', '?')}, column {message.get('firstColumn', '?')}"
            extract = message.get("extract", "").replace("\n", " ")
            lines.append(f"  {name}.html {where}: {message.get('message')}\n      {extract}")
    return "\n".join(lines)
