"""The records' English text stays English, and every path gives the same rows, whatever language is active.

The admin speaks each editor's language and public pages the reader's, so any
of the six can be active while records are saved, refreshed, reverted,
imported, loaded from a fixture, matched or filtered. Each test runs once per
language and checks every column of every translated model.
"""

import io
import json

import pytest
import reversion
from django.apps import apps
from django.core.management import call_command
from django.utils import translation
from reversion.models import Version

from hearings.domain import matching
from hearings.domain.languages import RECORD_LANGUAGES, SOURCE_LANGUAGE
from hearings.domain.record_text import TRANSLATED_FIELDS, column, english
from hearings.management.commands.load_seed import seed_paths
from hearings.models import Hearing, Organization, Person, Process, StakeholderGroup, Venue

MODELS = [apps.get_model(label) for label in TRANSLATED_FIELDS]


def _columns(model):
    return [column(name, language) for name in TRANSLATED_FIELDS[model._meta.label] for language in RECORD_LANGUAGES]


def _state():
    """Every translated column of every record, read in English: what the database holds."""
    with translation.override(SOURCE_LANGUAGE):
        return {
            model._meta.label: sorted(model._base_manager.values_list("pk", *_columns(model)).order_by("pk"))
            for model in MODELS
        }


def _seed_in_english():
    with translation.override(SOURCE_LANGUAGE):
        call_command("load_seed", stdout=io.StringIO())


@pytest.fixture(params=RECORD_LANGUAGES)
def language(request, db):
    return request.param


def test_the_seed_loads_the_same_in_every_language(language):
    with translation.override(language):
        call_command("load_seed", stdout=io.StringIO())
    loaded = _state()
    [hearing] = [row for row in loaded["hearings.Hearing"] if row[0] == Hearing.objects.get(ordinal=3).pk]
    fixture = {
        record["fields"]["slug"]: record["fields"]
        for path in seed_paths()
        for record in json.loads(path.read_text(encoding="utf-8"))
        if record["model"] == "hearings.hearing"
    }
    with translation.override(SOURCE_LANGUAGE):
        third = Hearing.objects.get(ordinal=3)
    assert third.title_en == fixture[third.slug]["title_en"]
    assert all(third.title_en != other for other in hearing[2:7])  # no other language holds the English text

    # The same as loading it in English, column for column.
    Hearing.objects.all().delete()
    for model in (Organization, Person, Process, Venue):
        model.objects.all().delete()
    StakeholderGroup.objects.update(parent=None)
    StakeholderGroup.objects.all().delete()
    _seed_in_english()
    assert _without_keys(_state()) == _without_keys(loaded)


def _without_keys(state):
    return {label: sorted(row[1:] for row in rows) for label, rows in state.items()}


def test_load_save_and_refresh_keep_every_column_in_every_language(language):
    _seed_in_english()
    before = _state()
    with translation.override(language):
        for model in MODELS:
            for record in model.objects.all():
                record.save()
                record.refresh_from_db()
                record.save()
    assert _state() == before


def test_english_is_found_by_both_managers_in_every_language(language):
    _seed_in_english()
    with translation.override(SOURCE_LANGUAGE):
        group = StakeholderGroup.objects.get(slug="member-states")
        organization = Organization.objects.exclude(name_fr=None).first() or Organization.objects.first()
    with translation.override(language):
        for model, record, field in ((StakeholderGroup, group, "name"), (Organization, organization, "name")):
            lookup = {english(field): getattr(record, english(field))}
            assert list(model.objects.filter(**lookup)) == [record]
            assert list(model._base_manager.filter(**lookup)) == [record]
            # The plain name means the active language's column, the same through either manager.
            plain = {field: getattr(record, field)}
            assert set(model.objects.filter(**plain)) == set(model._base_manager.filter(**plain))
            # values() agree too.
            assert list(model.objects.filter(pk=record.pk).values(english(field))) == list(
                model._base_manager.filter(pk=record.pk).values(english(field))
            )


def test_a_revision_reverted_in_any_language_restores_every_column(language):
    _seed_in_english()
    with translation.override(SOURCE_LANGUAGE):
        hearing = Hearing.objects.get(ordinal=3)
        hearing.title_fr = "Troisième audition"
        with reversion.create_revision():
            hearing.save()
    before = _state()
    with translation.override(language):
        hearing = Hearing.objects.get(pk=hearing.pk)
        hearing.title_en, hearing.title_fr = "Changed title", None
        hearing.save()
        Version.objects.get_for_object(hearing).first().revision.revert()
    assert _state() == before


def test_an_organization_is_matched_by_its_english_name_in_every_language(language):
    _seed_in_english()
    with translation.override(SOURCE_LANGUAGE):
        organization = Organization.objects.order_by("pk").first()
        organization.name_fr = "Un autre nom"
        organization.save()
    with translation.override(language):
        assert matching.find(Organization, name=organization.name_en.upper()) == organization
        assert matching.find(Process, name=Process.objects.first().name_en) == Process.objects.first()


def test_a_hearing_file_imports_the_same_in_every_language(language, tmp_path):
    _seed_in_english()
    with translation.override(SOURCE_LANGUAGE):
        third = Hearing.objects.get(ordinal=3)
        third.title_fr = "Troisième audition"
        third.save()
    exported = tmp_path / "third.json"
    call_command("export_hearings", third.slug, "--output", str(exported), stdout=io.StringIO())
    before = _state()
    third.delete()
    with translation.override(language):
        call_command("import_hearings", str(exported), stdout=io.StringIO())
    # Every column of every record as it was (the hearing and its parts have new keys).
    assert _without_keys(_state()) == _without_keys(before)
