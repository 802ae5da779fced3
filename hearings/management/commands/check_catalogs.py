"""Fail when a translation catalog is out of step with the code.

    python manage.py check_catalogs

For each language in locale/: a string marked for translation in the code or
the templates that the catalog lacks (the catalog is stale: run `make
messages`), an entry the code no longer uses, an entry left untranslated or
fuzzy, and a compiled catalog (.mo) that does not hold what its .po says.
Needs GNU gettext's xgettext (Debian's `gettext`), as `makemessages` does.
"""

import shutil
import tempfile
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

# What `make messages` leaves out: tests, tools and generated files carry no interface text.
IGNORED = ["node_modules", "tests", "bench", "docs", "staticfiles", ".*"]


def _key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


class Command(BaseCommand):
    help = "Check that every catalog in locale/ is complete, current, translated in full and compiled."

    def handle(self, *args, **options):
        locale = Path(settings.LOCALE_PATHS[0])
        problems = []
        with tempfile.TemporaryDirectory() as scratch:
            fresh_locale = Path(scratch) / "locale"
            shutil.copytree(locale, fresh_locale)
            with override_settings(LOCALE_PATHS=[fresh_locale]):
                call_command("makemessages", all=True, ignore_patterns=IGNORED, no_obsolete=True, verbosity=0)
            for po_path in sorted(locale.glob("*/LC_MESSAGES/django.po")):
                language = po_path.parts[-3]
                committed = polib.pofile(str(po_path))
                fresh = polib.pofile(str(fresh_locale / po_path.relative_to(locale)))
                problems += self._compare(language, committed, fresh)
                problems += self._compiled(language, committed, po_path.with_suffix(".mo"))
        if problems:
            raise CommandError("Translation catalogs need work:\n" + "\n".join(f"  {line}" for line in problems))
        self.stdout.write(self.style.SUCCESS("Every catalog is current, translated in full and compiled."))

    def _compare(self, language, committed, fresh):
        problems = []
        committed_keys = {_key(entry) for entry in committed if not entry.obsolete}
        fresh_keys = {_key(entry) for entry in fresh if not entry.obsolete}
        for key in sorted(fresh_keys - committed_keys):
            problems.append(f"{language}: not in the catalog (run make messages): {key[1]!r}")
        for key in sorted(committed_keys - fresh_keys):
            problems.append(f"{language}: no longer used by the code (run make messages): {key[1]!r}")
        for entry in committed:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{language}: fuzzy: {entry.msgid!r}")
            elif not entry.translated():
                problems.append(f"{language}: untranslated: {entry.msgid!r}")
        return problems

    def _compiled(self, language, committed, mo_path):
        if not mo_path.exists():
            return [f"{language}: no compiled catalog {mo_path.name} (run make messages)"]
        compiled = {_key(entry): (entry.msgstr, dict(entry.msgstr_plural)) for entry in polib.mofile(str(mo_path))}
        expected = {
            _key(entry): (entry.msgstr, {int(n): text for n, text in entry.msgstr_plural.items()})
            for entry in committed
            if entry.translated() and not entry.obsolete and "fuzzy" not in entry.flags
        }
        if {key: value for key, value in compiled.items() if key[1]} != expected:
            return [f"{language}: {mo_path.name} does not match {mo_path.with_suffix('.po').name} (run make messages)"]
        return []
