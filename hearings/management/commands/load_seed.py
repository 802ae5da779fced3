"""Load the seed records in fixtures/ and rebuild the derived data they feed.

    python manage.py load_seed

The fixtures use natural keys (slugs; a segment is its hearing's slug and its
position, an appearance its segment, person slug and role), so loading adds the
records that are missing and updates the seed's own records in place: loading
twice changes nothing, and records with other keys, such as those editors
entered, are left as they are, as are the translations editors added to seed
records in the languages the fixtures do not give.
"""

import contextlib
import json

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models.signals import pre_save

from hearings.domain import changes, history
from hearings.domain.languages import TRANSLATIONS
from hearings.domain.record_text import column, translated_fields

# Order matters: later files refer to groups, people and organizations of earlier ones.
SEED_FIXTURES = ["stakeholder_groups.json", "gcm_third_hearing.json", "gcm_other_hearings.json"]


def seed_paths():
    return [settings.BASE_DIR / "fixtures" / name for name in SEED_FIXTURES]


def read_records(paths):
    return [record for path in paths for record in json.loads(path.read_text(encoding="utf-8"))]


class Command(BaseCommand):
    help = "Load the seed records (stakeholder groups, Global Compact for Migration hearings) from fixtures/."

    def handle(self, *args, **options):
        paths = seed_paths()
        records = read_records(paths)
        models = {apps.get_model(record["model"]) for record in records}
        before = {model: model._default_manager.count() for model in models}

        # The loaded rows' search text, the group index of their hearings (and of every hearing under a
        # group the seed moves) and the data version follow once, at the end, like any other write.
        with (
            changes.atomic() as applied,
            history.loaded_revision(", ".join(path.name for path in paths)),
            keeping_translations(),
        ):
            call_command("loaddata", *paths, verbosity=0)

        added = sum(model._default_manager.count() - count for model, count in before.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(records)} seed records from {len(paths)} fixtures: "
                f"{added} added, {len(records) - added} already present and brought up to date. "
                f"Rebuilt the search and group index of {applied.hearings} hearings."
            )
        )


@contextlib.contextmanager
def keeping_translations():
    """Translations editors added to seed records outlive a new load: a seed record's row is written whole,
    and a language its fixture does not give (the seed's summaries are English only) keeps the text it has."""

    def keep(sender, instance, raw=False, **kwargs):
        fields = translated_fields(sender)
        if not (raw and fields and instance.pk is not None):
            return
        others = [column(name, language) for name in fields for language in TRANSLATIONS]
        current = sender._base_manager.filter(pk=instance.pk).values(*others).first() or {}
        for name, value in current.items():
            if value is not None and getattr(instance, name) is None:
                setattr(instance, name, value)

    pre_save.connect(keep, weak=False, dispatch_uid="load-seed-keeps-translations")
    try:
        yield
    finally:
        pre_save.disconnect(dispatch_uid="load-seed-keeps-translations")
