"""Importing hearings from JSON in the API's hearing-detail shape: dry run, all or nothing, matching, round trip."""

import concurrent.futures
import copy
import html
import io
import json
import re
import secrets
import socket
import struct
import threading
import time
import urllib.request
import zipfile

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from hearings.domain.publishing import publish_hearings
from hearings.models import Appearance, Hearing, Organization, Person, Process, Segment, StakeholderGroup
from tests.factories import OrganizationFactory, PersonFactory, ProcessFactory, StakeholderGroupFactory

THIRD = "gcm-third-hearing-2017-12-18"


def _counts():
    return {model.__name__: model._default_manager.count() for model in apps.get_app_config("hearings").get_models()}


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _run(*args):
    out = io.StringIO()
    call_command("import_hearings", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def vocabulary(db):
    civil = StakeholderGroupFactory(name="Civil society", slug="civil-society")
    return {
        "civil": civil,
        "person": PersonFactory(name="Miroslav Lajčák", slug="miroslav-lajcak"),
        "organization": OrganizationFactory(name="Migrant Forum in Asia", slug="mfa", stakeholder_group=civil),
        "process": ProcessFactory(name="A preparatory process", slug="a-process"),
    }


def _hearing(**changes):
    data = {
        "slug": "imported-hearing",
        "title": "An imported hearing",
        "process": {"slug": "a-process", "name": "A preparatory process"},
        "ordinal": 7,
        "date": "2018-02-20",
        "start_time": "10:00:00",
        "end_time": "13:00:00",
        "venue": {"slug": "trusteeship-council", "name": "Trusteeship Council Chamber", "city": "New York"},
        "convener": "The President of the General Assembly",
        "mandate": "",
        "summary": "A summary.",
        "participating_groups": [{"slug": "civil-society", "name": "Civil society"}],
        "links": [{"kind": "webcast", "title": "Webcast", "url": "https://example.org/webcast"}],
        "segments": [
            {
                "order": 1,
                "kind": "opening",
                "title": "Opening",
                "theme": "",
                "summary": "",
                "appearances": [
                    # Matched by folded name: no slug, capitals, no accents.
                    {"order": 1, "person": {"name": "MIROSLAV LAJCAK"}, "role": "speaker", "position": "President"},
                    {
                        "order": 2,
                        "person": {"slug": "new-speaker", "name": "New Speaker", "honorific_prefix": "Ms."},
                        "role": "panelist",
                        "position": "Director",
                        "organization": {
                            "slug": "mfa",
                            "name": "Migrant Forum in Asia",
                            "short_name": "MFA",
                            "stakeholder_group": {"slug": "civil-society"},
                        },
                        "summary": "Spoke of recruitment fees.",
                    },
                ],
            }
        ],
    }
    data.update(changes)
    return data


def test_dry_run_reports_what_would_happen_and_writes_nothing(vocabulary, tmp_path):
    before = _counts()
    out = _run(_write(tmp_path, "one.json", _hearing()), "--dry-run")

    assert _counts() == before
    assert not Version.objects.exists()
    assert "imported-hearing" in out
    assert re.search(r"matched\s+person: Miroslav Lajčák", out)
    assert re.search(r"created\s+person: New Speaker", out)
    assert re.search(r"completed\s+organization: Migrant Forum in Asia \(MFA\) \(short_name\)", out)
    assert re.search(r"created\s+venue:", out)
    assert "Dry run: nothing was written." in out


@pytest.mark.parametrize("language", ["en", "fr"])
def test_import_creates_a_draft_hearing_whole_with_a_revision_naming_the_file(vocabulary, tmp_path, language):
    with translation.override(language):
        _run(_write(tmp_path, "hearings.json", [_hearing()]))

    hearing = Hearing.objects.get(slug="imported-hearing")
    assert hearing.status == Hearing.Status.DRAFT
    assert (hearing.title_en, hearing.title_fr) == ("An imported hearing", None)
    assert hearing.venue.name == "Trusteeship Council Chamber"
    assert list(hearing.participating_groups.all()) == [vocabulary["civil"]]
    speakers = Appearance.objects.filter(segment__hearing=hearing).order_by("position")
    assert [a.person for a in speakers] == [vocabulary["person"], Person.objects.get(slug="new-speaker")]
    assert speakers[1].organization == vocabulary["organization"]
    # A matched record is completed, never overwritten.
    vocabulary["organization"].refresh_from_db()
    assert vocabulary["organization"].short_name == "MFA"
    assert vocabulary["organization"].name == "Migrant Forum in Asia"
    revision = Version.objects.get_for_object(hearing).get().revision
    assert (
        revision.comment == {"en": "Imported from hearings.json", "fr": "Importé à partir de hearings.json"}[language]
    )
    # Drafts are not public, and the search index knows the new speaker.
    assert Client().get(hearing.get_absolute_url()).status_code == 404
    assert list(Hearing.objects.search("recruitment fees")) == [hearing]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"date": "2017-13-45"}, r"hearing 2 “second”: date: .*invalid date"),
        ({"participating_groups": ["no-such-group"]}, r"hearing 2 “second”, participating group 1: .*no-such-group"),
        ({"ordinal": 7}, r"hearing 2 “second”: record: .*already has a hearing with this number"),
        ({"slug": "imported-hearing"}, r"hearing 2 “imported-hearing”: slug: .*already exists"),
        ({"end_time": "09:00:00"}, r"hearing 2 “second”"),
        ({"segments": [{"order": 1, "kind": "no-such-kind"}]}, r"segment 1: kind: .*not a valid choice"),
        ({"segments": "not a list"}, r"segments: expected a list"),
        ({"date": ["2018"]}, r"hearing 2 “second”"),
    ],
)
def test_one_invalid_record_stops_the_whole_file_and_names_it(vocabulary, tmp_path, change, expected):
    second = _hearing(**{"slug": "second", "ordinal": 8, **change})
    before = _counts()
    with pytest.raises(CommandError, match=expected):
        _run(_write(tmp_path, "two.json", [_hearing(), second]))
    assert _counts() == before
    assert not Version.objects.exists()


def test_the_same_person_twice_in_one_role_in_a_segment_is_refused(vocabulary, tmp_path):
    data = _hearing()
    twice = copy.deepcopy(data["segments"][0]["appearances"][0])
    twice["order"] = 3
    data["segments"][0]["appearances"].append(twice)
    with pytest.raises(CommandError, match=r"segment 1, speaker 3: record: This person already has this role"):
        _run(_write(tmp_path, "twice.json", data))
    assert not Hearing.objects.exists()


@pytest.mark.parametrize("content", [b"not json", b"\xff\xfe", b"[]", b"[1, 2]", b'"text"'])
def test_a_file_that_is_not_hearings_json_is_refused(vocabulary, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=r"bad\.json"):
        _run(str(path))
    assert not Hearing.objects.exists()


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"missing\.json"):
        _run(str(tmp_path / "missing.json"))


def _main(html):
    return html[html.index("<main") : html.index("</main>")]


def _translate_third():
    """The third hearing, its first segment and speaker, its process and venue in French and Arabic too."""
    third = Hearing.objects.get(slug=THIRD)
    third.title_fr, third.title_ar = "Troisième audition", "الجلسة الثالثة"
    third.summary_fr = "Une approche mobilisant toute la société."
    third.save()
    segment = third.segments.exclude(title="").order_by("position").first()
    segment.title_fr, segment.title_ar = "Première table ronde", "حلقة النقاش الأولى"
    segment.save()
    appearance = Appearance.objects.filter(segment=segment).exclude(position_title="").order_by("position").first()
    appearance.position_title_fr = "Présidence"
    appearance.save()
    for record in (third.process, third.venue):
        record.name_fr, record.name_ar = f"{record.name} (fr)", f"{record.name} (ar)"
        record.save()


def test_round_trip_export_then_import_into_an_empty_database_gives_the_same_page(seeded, tmp_path):
    _translate_third()
    slugs = list(Hearing.objects.public().values_list("slug", flat=True))
    exported = [Client().get(reverse("api:hearing-detail", args=[slug])).json() for slug in slugs]
    pages_before = {slug: _main(Client().get(f"/hearings/{slug}/").content.decode()) for slug in slugs}

    # Empty the records, keeping the stakeholder groups (the vocabulary every database has).
    Hearing.objects.all().delete()
    for model in (Organization, Person, Process, apps.get_model("hearings", "Venue")):
        model.objects.all().delete()
    assert not Segment.objects.exists()

    _run(_write(tmp_path, "all.json", exported))
    publish_hearings(hearings=Hearing.objects.all())

    assert THIRD in pages_before
    for slug, page_before in pages_before.items():
        assert _main(Client().get(f"/hearings/{slug}/").content.decode()) == page_before, slug
    assert StakeholderGroup.objects.exists()
    # The translations came back with the rest: the export of the imported hearing is the export of the original.
    [third] = [hearing for hearing in exported if hearing["slug"] == THIRD]
    assert sorted(third["translations"]) == ["ar", "en", "fr"]
    assert Client().get(reverse("api:hearing-detail", args=[THIRD])).json() == third
    assert Hearing.objects.get(slug=THIRD).segments.exclude(title="").order_by("position").first().title_ar == (
        "حلقة النقاش الأولى"
    )


# --- The admin screen -------------------------------------------------------------


def test_admin_upload_shows_the_dry_run_then_confirm_imports(editor_client, vocabulary):
    url = reverse("admin:hearings_hearing_import")
    assert url in editor_client.get(reverse("admin:hearings_hearing_changelist")).content.decode()
    upload = SimpleUploadedFile("upload.json", json.dumps(_hearing()).encode(), content_type="application/json")

    checked = editor_client.post(url, {"file": upload})
    assert checked.status_code == 200
    page = checked.content.decode()
    assert "An imported hearing" in page and "New Speaker" in page
    assert not Hearing.objects.exists()

    token = re.search(r'name="confirm" value="([^"]+)"', page).group(1)
    done = editor_client.post(url, {"confirm": token})
    assert done.status_code == 302
    hearing = Hearing.objects.get(slug="imported-hearing")
    assert hearing.status == Hearing.Status.DRAFT
    assert Version.objects.get_for_object(hearing).get().revision.comment == "Imported from upload.json"

    # The same confirmation twice imports nothing more.
    again = editor_client.post(url, {"confirm": token}, follow=True)
    assert "already done or has expired" in again.content.decode()
    assert Hearing.objects.count() == 1


def test_admin_upload_with_errors_lists_them_escaped_and_writes_nothing(editor_client, vocabulary):
    url = reverse("admin:hearings_hearing_import")
    bad = _hearing(slug="<script>x</script>", date="2017-13-45")
    upload = SimpleUploadedFile("bad.json", json.dumps(bad).encode(), content_type="application/json")
    response = editor_client.post(url, {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in page and "invalid date" in page
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert not Hearing.objects.exists()


def test_admin_import_is_refused_to_staff_who_cannot_add_hearings(client, db):
    from tests.factories import StaffUserFactory

    client.force_login(StaffUserFactory())
    assert client.get(reverse("admin:hearings_hearing_import")).status_code == 403


# --- People and organizations from CSV or spreadsheet files ----------------------------


def _check_spreadsheet(client, model, name, content, content_type="text/csv", format_index=0):
    """Upload a file to the import screen: the page showing each row's outcome, before anything is written."""
    url = reverse(f"admin:hearings_{model}_import")
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(url, {"import_file": upload, "format": str(format_index), "resource": "0"}).content.decode()


def _confirm_spreadsheet(client, model, page):
    """Press “Confirm import” on the checked page; None when the page offers no confirmation (errors)."""
    if "process_import" not in page:
        return None
    confirm = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.split("process_import")[1]))
    confirm.pop("csrfmiddlewaretoken", None)
    return client.post(reverse(f"admin:hearings_{model}_process_import"), confirm)


def _spreadsheet_import(client, model, name, content, content_type="text/csv", format_index=0):
    page = _check_spreadsheet(client, model, name, content, content_type, format_index)
    return page, _confirm_spreadsheet(client, model, page)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_people_from_csv_are_matched_by_slug_then_folded_name_and_blank_cells_keep_values(editor_client, db, language):
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language  # the columns mean the same in any language
    arbour = PersonFactory(name="Louise Arbour", slug="louise-arbour", biography="Special Representative.")
    lajcak = PersonFactory(name="Miroslav Lajčák", slug="miroslav-lajcak")
    csv = (
        b"slug,name,sort_name,honorific_prefix,biography\n"
        b"louise-arbour,Louise Arbour,,,\n"
        b",MIROSLAV LAJCAK,,H.E.,President of the General Assembly.\n"
        b',Tendayi Bloom,"Bloom, Tendayi",Ms.,\n'
    )
    page = _check_spreadsheet(editor_client, "person", "people.csv", csv)
    assert not Person.objects.filter(name="Tendayi Bloom").exists()  # nothing written by the check
    assert {"en": "New", "fr": "Nouveau"}[language] in page and "Tendayi Bloom" in page
    assert _confirm_spreadsheet(editor_client, "person", page).status_code == 302

    arbour.refresh_from_db()
    lajcak.refresh_from_db()
    assert arbour.biography == "Special Representative."  # a blank cell keeps the value
    assert (lajcak.slug, lajcak.name, lajcak.honorific_prefix) == ("miroslav-lajcak", "Miroslav Lajčák", "H.E.")
    bloom = Person.objects.get(name="Tendayi Bloom")
    assert (bloom.slug, bloom.sort_name) == ("tendayi-bloom", "Bloom, Tendayi")
    assert list(Person.objects.search("tendayi")) == [bloom]
    assert (
        Version.objects.get_for_object(bloom).get().revision.comment
        == {
            "en": "Imported from people.csv",
            "fr": "Importé à partir de people.csv",
        }[language]
    )
    assert Person.objects.count() == 3


@pytest.mark.parametrize("language", ["en", "fr"])
def test_organizations_from_a_spreadsheet_with_an_unknown_group_show_the_row_error_and_write_nothing(
    editor_client, db, language
):
    from openpyxl import Workbook

    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language

    StakeholderGroupFactory(name="Civil society", slug="civil-society")
    book = Workbook()
    sheet = book.active
    sheet.append(["slug", "name", "short_name", "stakeholder_group"])
    sheet.append(["", "Migrant Forum in Asia", "MFA", "Civil society"])
    sheet.append(["", "Nowhere Institute", "", "no-such-group"])
    stream = io.BytesIO()
    book.save(stream)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    page, done = _spreadsheet_import(editor_client, "organization", "orgs.xlsx", stream.getvalue(), xlsx, 1)
    assert done is None
    with translation.override(language):
        refused = translation.gettext("“%(name)s” is not one of the stakeholder groups.") % {"name": "no-such-group"}
    assert refused in html.unescape(page)
    assert not Organization.objects.exists()

    sheet.delete_rows(3)
    stream = io.BytesIO()
    book.save(stream)
    page, done = _spreadsheet_import(editor_client, "organization", "orgs.xlsx", stream.getvalue(), xlsx, 1)
    assert done.status_code == 302
    organization = Organization.objects.get()
    assert (organization.slug, organization.stakeholder_group.slug) == ("migrant-forum-in-asia", "civil-society")
    assert (organization.name_en, organization.name_fr, organization.short_name_en) == (
        "Migrant Forum in Asia",
        None,
        "MFA",
    )


def test_a_refused_hearing_still_reports_the_errors_of_its_groups_and_speakers(vocabulary, tmp_path):
    ProcessFactory(name="Other", slug="other")
    data = _hearing(date="2017-13-45", participating_groups=["martians"])
    data["segments"][0]["appearances"][1]["organization"]["stakeholder_group"] = {"slug": "venusians"}
    with pytest.raises(CommandError) as refused:
        _run(_write(tmp_path, "many.json", data))
    message = str(refused.value)
    assert "date:" in message and "martians" in message and "venusians" in message


def test_the_admin_screen_sends_a_large_file_to_the_command(editor_client, vocabulary):
    hearings = [_hearing(slug=f"h-{n}", ordinal=n) for n in range(1, 102)]
    upload = SimpleUploadedFile("big.json", json.dumps(hearings).encode(), content_type="application/json")
    page = editor_client.post(reverse("admin:hearings_hearing_import"), {"file": upload}).content.decode()
    assert "holds 101 hearings" in page and "manage.py import_hearings big.json" in page
    assert not Hearing.objects.exists()


# --- Translations -------------------------------------------------------------------


def _translated_hearing():
    data = _hearing(
        translations={
            "en": {"title": "An imported hearing", "summary": "A summary."},
            "fr": {"title": "Une audition importée", "summary": "Un résumé."},
            "ar": {"title": "جلسة مستوردة"},
        },
        process={
            "slug": "a-process",
            "name": "A preparatory process",
            "short_name": "APP",
            "translations": {"fr": {"name": "Un processus préparatoire", "short_name": "PPP"}},
        },
        venue={
            "slug": "trusteeship-council",
            "name": "Trusteeship Council Chamber",
            "city": "New York",
            "translations": {"fr": {"name": "Salle du Conseil de tutelle", "city": "New York"}},
        },
    )
    segment = data["segments"][0]
    segment["translations"] = {"fr": {"title": "Ouverture"}}
    speaker = segment["appearances"][1]
    speaker["translations"] = {"fr": {"position": "Directrice", "summary": "A parlé des frais de recrutement."}}
    # Matched by its English name written otherwise, whatever language the import speaks.
    speaker["organization"] = {"name": "MIGRANT FORUM IN ASIA", "translations": {"fr": {"name": "FMA"}}}
    return data


def test_import_takes_the_translations_in_any_language_and_completes_matched_records(vocabulary, tmp_path):
    process = vocabulary["process"]
    process.name_fr = "Le processus tel que les éditeurs l'ont traduit"
    process.save()
    organization = vocabulary["organization"]
    organization.name_fr = "Forum des migrants d'Asie"
    organization.save()

    with translation.override("fr"):
        out = _run(_write(tmp_path, "fr.json", _translated_hearing()))

    hearing = Hearing.objects.get(slug="imported-hearing")
    assert Hearing.objects.filter(title="An imported hearing").exists()  # the plain column: English
    assert (hearing.title_en, hearing.title_fr, hearing.title_ar, hearing.title_es) == (
        "An imported hearing", "Une audition importée", "جلسة مستوردة", None
    )  # fmt: skip
    assert (hearing.summary_en, hearing.summary_fr, hearing.summary_ar) == ("A summary.", "Un résumé.", None)
    segment = hearing.segments.get()
    assert (segment.title_en, segment.title_fr) == ("Opening", "Ouverture")
    speaker = Appearance.objects.get(segment=segment, person__slug="new-speaker")
    assert (speaker.position_title_en, speaker.position_title_fr, speaker.summary_fr) == (
        "Director", "Directrice", "A parlé des frais de recrutement."
    )  # fmt: skip
    assert speaker.organization == organization
    venue = hearing.venue
    assert (venue.name_en, venue.name_fr, venue.city_en, venue.city_fr) == (
        "Trusteeship Council Chamber", "Salle du Conseil de tutelle", "New York", "New York"
    )  # fmt: skip
    # Matched records: only what they lack is filled, in English as in the other languages.
    process.refresh_from_db()
    assert (process.name_en, process.name_fr, process.short_name_en, process.short_name_fr) == (
        "A preparatory process", "Le processus tel que les éditeurs l'ont traduit", "APP", "PPP"
    )  # fmt: skip
    organization.refresh_from_db()
    assert (organization.name_en, organization.name_fr) == ("Migrant Forum in Asia", "Forum des migrants d'Asie")
    assert re.search(r"short_name, short_name_fr", out)


@pytest.mark.parametrize(
    ("where", "translations", "expected"),
    [
        ("hearing", {"de": {"title": "Eine Anhörung"}}, r"“imported-hearing”: translations\.de: “de” is not one of"),
        ("hearing", {"fr": {"headline": "Titre"}}, r"translations\.fr\.headline: not a translated field .*title"),
        ("hearing", {"fr": {"title": ["Titre"]}}, r"translations\.fr\.title: expected text"),
        ("hearing", {"en": {"title": "Une audition"}}, r"translations\.en\.title: differs from “title”"),
        ("hearing", ["fr"], r"“imported-hearing”: translations: expected an object"),
        ("segment", {"fr": {"name": "Ouverture"}}, r"segment 1: translations\.fr\.name: not a translated field"),
        (
            "speaker",
            {"fr": {"position_title": "Directrice"}},
            r"segment 1, speaker 2: translations\.fr\.position_title",
        ),
        ("process", {"xx": {"name": "?"}}, r"“imported-hearing”: process: translations\.xx: “xx” is not one of"),
    ],
)
def test_translations_of_an_unknown_language_or_field_stop_the_import(vocabulary, tmp_path, where, translations,
                                                                       expected):  # fmt: skip
    data = _hearing()
    target = {
        "hearing": data,
        "segment": data["segments"][0],
        "speaker": data["segments"][0]["appearances"][1],
        "process": data["process"],
    }[where]
    target["translations"] = translations
    with pytest.raises(CommandError, match=expected):
        _run(_write(tmp_path, "bad.json", data))
    assert not Hearing.objects.exists()


def test_organizations_spreadsheet_columns_in_other_languages_keep_values_when_blank(editor_client, db):
    civil = StakeholderGroupFactory(name="Civil society", slug="civil-society")
    known = OrganizationFactory(name="Migrant Forum in Asia", slug="mfa", stakeholder_group=civil)
    known.name_fr, known.name_ar = "Forum des migrants d'Asie", "منتدى المهاجرين في آسيا"
    known.save()
    csv = (
        "slug,name,name_fr,name_ar,short_name,short_name_fr,stakeholder_group\n"
        ",MIGRANT FORUM IN ASIA,,,MFA,FMA,civil-society\n"
        ",Education International,Internationale de l'Éducation,,EI,IE,civil-society\n"
    ).encode()
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"  # the editor's screens in French: the columns mean the same
    page, done = _spreadsheet_import(editor_client, "organization", "orgs.csv", csv)
    assert done.status_code == 302, page

    known.refresh_from_db()
    assert (known.name_en, known.name_fr, known.name_ar, known.short_name_en, known.short_name_fr) == (
        "Migrant Forum in Asia", "Forum des migrants d'Asie", "منتدى المهاجرين في آسيا", "MFA", "FMA"
    )  # fmt: skip
    created = Organization.objects.get(slug="education-international")
    assert (created.name_en, created.name_fr, created.short_name_en, created.short_name_fr) == (
        "Education International", "Internationale de l'Éducation", "EI", "IE"
    )  # fmt: skip


def test_an_organizations_names_travel_with_an_exported_hearing_and_a_french_export_is_refused(seeded, tmp_path):
    speaker = Appearance.objects.filter(segment__hearing__slug=THIRD, organization__isnull=False).first()
    organization = speaker.organization
    organization.name_fr = "Nom français de l'organisation"
    organization.save()
    english = Client().get(reverse("api:hearing-detail", args=[THIRD])).json()
    french = Client().get(reverse("api:hearing-detail", args=[THIRD]), {"lang": "fr"}).json()
    Hearing.objects.all().delete()
    Organization.objects.filter(pk=organization.pk).delete()

    with pytest.raises(CommandError, match="lang=en"):
        _run(_write(tmp_path, "french.json", french))
    assert not Organization.objects.filter(slug=organization.slug).exists()

    _run(_write(tmp_path, "english.json", english))
    imported = Organization.objects.get(slug=organization.slug)
    assert (imported.name_en, imported.name_fr) == (organization.name_en, "Nom français de l'organisation")


# --- Limits: a file over them is refused whole, with a message, before it is read ----------------------------


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _admin_import(client, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/json")
    response = client.post(reverse("admin:hearings_hearing_import"), {"file": upload})
    assert response.status_code == 200
    return response.content.decode()


def test_a_json_file_nested_100000_deep_is_refused_by_the_command_and_the_screen(editor_client, tmp_path):
    deep = ("[" * 100_000 + "]" * 100_000).encode()
    path = tmp_path / "deep.json"
    path.write_bytes(deep)
    with pytest.raises(CommandError, match=r"deep\.json: the JSON is nested more than 16 levels deep"):
        _run(str(path))
    assert "deep.json: the JSON is nested more than 16 levels deep" in _admin_import(editor_client, "deep.json", deep)
    assert not Hearing.objects.exists()


def test_the_nesting_of_a_hearing_file_is_counted_outside_its_strings(vocabulary, tmp_path, settings):
    settings.HEARING_IMPORT_MAX_DEPTH = 9  # what the hearing of `_hearing` needs, its organization's group included
    _run(_write(tmp_path, "brackets.json", [_hearing(summary="[[[[[[[[[[{{{{{{{{ \\" + '"[[[[[[[[[[')]))
    assert Hearing.objects.get().summary.startswith("[[[[")
    data = _hearing()
    data["segments"][0]["appearances"][1]["organization"]["stakeholder_group"] = {"slug": {"deeper": ["still"]}}
    with pytest.raises(CommandError, match=r"nested more than 9 levels deep"):
        _run(_write(tmp_path, "deeper.json", [data]))


@pytest.mark.parametrize(
    ("key", "item", "expected"),
    [
        ("participating_groups", '"g"', r"holds 1,000,001 records \(hearings, segments, speakers"),
        ("segments", "{}", r"holds 1,000,002 JSON objects and lists; a file may hold at most 30,000"),
        ("links", "{}", r"holds 1,000,002 JSON objects and lists"),
    ],
)
def test_a_hearing_with_a_million_records_is_refused_at_once(editor_client, key, item, expected):
    content = f'{{"slug": "huge", "title": "Huge", "{key}": [{",".join([item] * 1_000_000)}]}}'.encode()
    started = time.monotonic()
    page = _admin_import(editor_client, "huge.json", content)
    elapsed = time.monotonic() - started

    assert re.search(expected, page)
    assert "manage.py import_hearings huge.json" in page
    assert len(page) < 20_000
    assert elapsed < 5  # it was about 20 s and 1 GB
    assert not Hearing.objects.exists()


def test_a_million_speakers_in_one_segment_are_refused_by_the_command(db, tmp_path):
    segment = '{"order": 1, "kind": "opening", "appearances": [' + ",".join(['"x"'] * 1_000_000) + "]}"
    path = tmp_path / "speakers.json"
    path.write_text('{"slug": "huge", "segments": [' + segment + "]}")
    with pytest.raises(CommandError, match=r"speakers\.json holds 1,000,002 records .* at most 100,000 .*Split"):
        _run(str(path))


def test_the_record_limit_counts_hearings_segments_speakers_links_and_groups(vocabulary, tmp_path, settings):
    settings.HEARING_IMPORT_COMMAND_MAX_RECORDS = 6  # the hearing, its link, group, segment and two speakers
    _run(_write(tmp_path, "six.json", _hearing()), "--dry-run")
    settings.HEARING_IMPORT_COMMAND_MAX_RECORDS = 5
    with pytest.raises(CommandError, match=r"six\.json holds 6 records .* at most 5 are imported"):
        _run(_write(tmp_path, "six.json", _hearing()))


def test_the_command_takes_more_than_the_screen_within_its_own_limits(editor_client, vocabulary, tmp_path, settings):
    settings.HEARING_IMPORT_MAX_HEARINGS = 1
    two = [_hearing(), _hearing(slug="second", ordinal=8)]
    page = _admin_import(editor_client, "two.json", json.dumps(two).encode())
    assert "two.json holds 2 hearings; at most 1 are imported at a time." in page
    assert not Hearing.objects.exists()

    _run(_write(tmp_path, "two.json", two))
    assert Hearing.objects.count() == 2

    settings.HEARING_IMPORT_COMMAND_MAX_BYTES = 100
    with pytest.raises(CommandError, match=r"large\.json is .* a file may be at most 100\xa0bytes"):
        _run(_write(tmp_path, "large.json", _hearing(slug="third", ordinal=9)))
    assert Hearing.objects.count() == 2


def test_the_screen_refuses_a_file_over_its_size_before_reading_it(editor_client, settings):
    settings.HEARING_IMPORT_MAX_BYTES = 1000
    page = _admin_import(editor_client, "big.json", b"[" + b" " * 1000 + b"]")
    assert "big.json is 1002\xa0bytes; a file may be at most 1000\xa0bytes." in html.unescape(page)


def test_an_import_shows_its_first_hundred_errors_and_counts_the_rest(editor_client, vocabulary, tmp_path):
    data = _hearing()
    data["segments"][0]["appearances"] = ["not a speaker"] * 250
    with pytest.raises(CommandError) as refused:
        _run(_write(tmp_path, "errors.json", data))
    lines = str(refused.value).splitlines()[1:]
    assert len(lines) == 101
    assert lines[0].endswith("segment 1, speaker 1: expected an object.")
    assert lines[-1] == "  … and 150 more errors."

    page = _admin_import(editor_client, "errors.json", json.dumps(data).encode())
    assert page.count("expected an object.") == 100 and "… and 150 more errors." in page
    editor_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    page = _admin_import(editor_client, "errors.json", json.dumps(data).encode())
    assert "… et 150 autres erreurs." in page


def test_the_error_count_is_a_setting(vocabulary, tmp_path, settings):
    settings.IMPORT_MAX_ERRORS = 2
    data = _hearing(date="2017-13-45", participating_groups=["martians", "venusians"])
    with pytest.raises(CommandError) as refused:
        _run(_write(tmp_path, "three.json", data))
    assert str(refused.value).splitlines()[-1] == "  … and 1 more error."


def _workbook(*rows):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _rezip(content, **members):
    """The XLSX workbook `content` with some of its members' text replaced: `sheet="…"` for the first sheet."""
    names = {"sheet": "xl/worksheets/sheet1.xml"}
    replaced = {names[key]: value.encode() for key, value in members.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replaced.get(info.filename, source.read(info.filename)))
    return out.getvalue()


def _check_workbook(client, content, model="organization"):
    started = time.monotonic()
    page = _check_spreadsheet(client, model, "book.xlsx", content, XLSX, 1)
    assert time.monotonic() - started < 5
    assert "Traceback" not in page and "process_import" not in page
    return html.unescape(page)


SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>'
)


def test_a_workbook_declaring_4_gb_unpacked_is_refused_from_its_central_directory_without_unpacking(editor_client):
    page = _check_workbook(editor_client, _bomb_workbook())
    assert "The workbook unpacks to 4.0\xa0GB; at most 20.0\xa0MB is read." in page
    assert not Organization.objects.exists()


def test_a_zip_bomb_workbook_is_refused_at_the_real_limits(editor_client):
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>slug</t></is></c></row>' + "<row/>" * 4_000_000
    bomb = _rezip(_workbook(("slug", "name")), sheet=SHEET.format(rows))
    assert len(bomb) < 100_000  # 24 MB once unpacked

    page = _check_workbook(editor_client, bomb)
    assert "The workbook unpacks to 22.9\xa0MB; at most 20.0\xa0MB is read." in page


def test_a_workbook_of_a_million_rows_in_few_bytes_is_refused_after_reading_one_more_than_allowed(editor_client):
    # One cell in the millionth row: openpyxl reads the rows before it as empty ones, as the library would.
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>slug</t></is></c></row><row r="1000000"><c r="A1000000"/></row>'
    page = _check_workbook(editor_client, _rezip(_workbook(("slug", "name")), sheet=SHEET.format(rows)))
    assert "The file holds more than 1,000 rows; at most 1,000 are imported at a time. Split the file." in page

    wide = '<row r="1"><c r="XFD1" t="inlineStr"><is><t>slug</t></is></c></row>'
    page = _check_workbook(editor_client, _rezip(_workbook(("slug", "name")), sheet=SHEET.format(wide)))
    assert "The file has more than 100 columns." in page


def test_the_row_limit_holds_for_csv_and_xlsx_and_is_a_setting(editor_client, settings, db):
    settings.SPREADSHEET_IMPORT_MAX_ROWS = 2
    StakeholderGroupFactory(name="Civil society", slug="civil-society")
    rows = [("slug", "name", "stakeholder_group"), *(("", f"Organization {n}", "civil-society") for n in range(3))]
    csv = "".join(",".join(row) + "\n" for row in rows).encode()
    for page in (_check_spreadsheet(editor_client, "organization", "o.csv", csv),
                 _check_spreadsheet(editor_client, "organization", "o.xlsx", _workbook(*rows), XLSX, 1)):  # fmt: skip
        assert "The file holds more than 2 rows" in page and "process_import" not in page
    page, done = _spreadsheet_import(editor_client, "organization", "o.csv", csv[: csv.rindex(b",Organization 2")])
    assert done.status_code == 302
    assert Organization.objects.count() == 2


def test_a_workbook_with_an_xml_entity_bomb_is_refused(editor_client):
    import openpyxl

    assert openpyxl.DEFUSEDXML is True  # openpyxl reads through defusedxml
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol%s;" % (n - 1 if n > 1 else "")) * 10}">' for n in range(1, 10)
    )
    laughs = f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>' + SHEET.format(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    )
    page = _check_workbook(editor_client, _rezip(_workbook(("slug", "name")), sheet=laughs))
    assert "The workbook declares XML entities or a document type, which a spreadsheet does not need" in page


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (("name", "short_name"), "The file has no “slug” column"),
        (("slug", "short_name"), "The file has no “name” column"),
        (("Slug ", "NAME"), "The file has no “slug”, “name” columns"),
    ],
)
def test_a_spreadsheet_without_a_column_it_needs_names_it_in_place_of_a_traceback(editor_client, db, header, expected):
    page = _check_workbook(editor_client, _workbook(header, ("x", "y")))
    assert expected in page
    assert "its first row must name at least these columns: slug, name." in page
    page = _check_spreadsheet(editor_client, "person", "people.csv", ",".join(header).encode() + b"\nx,y\n")
    assert expected in page and "Traceback" not in page


@pytest.mark.parametrize(
    ("name", "content", "format_index", "expected"),
    [
        ("book.xlsx", b"PK\x03\x04 not really", 1, "The file is not an XLSX workbook."),
        ("people.csv", b"slug,name\n\xff\xfe,x\n", 0, "The file is not a CSV file in UTF-8."),
        ("people.csv", b"\n", 0, "The first row of the file is empty: it must name the columns."),
        ("people.csv", b'slug,name\n"' + b"x" * 200_000 + b'",y\n', 0, "The file could not be read as CSV"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_with_a_message(editor_client, db, name, content, format_index,
                                                                   expected):  # fmt: skip
    page = _check_spreadsheet(editor_client, "person", name, content, XLSX, format_index)
    assert expected in html.unescape(page) and "Traceback" not in page
    assert not Person.objects.exists()


def test_a_spreadsheet_over_the_size_limit_is_refused_before_it_is_read(editor_client, db, settings):
    settings.SPREADSHEET_IMPORT_MAX_BYTES = 100
    page = _check_spreadsheet(editor_client, "person", "people.csv", b"slug,name\n" + b",Someone\n" * 20)
    assert "The file is 190\xa0bytes; at most 100\xa0bytes is imported at a time." in html.unescape(page)


def _bomb_workbook():
    """A workbook whose central directory says its sheet unpacks to 4 GB."""
    content = bytearray(_workbook(("slug", "name"), ("", "Migrant Forum in Asia")))
    # The central directory's record of the sheet: its uncompressed size, 24 bytes after the signature, says 4 GB.
    # The member itself is unchanged, so reading it would fail otherwise (a CRC or a size error), not this way.
    entry = next(
        match.start()
        for match in re.finditer(rb"PK\x01\x02", content)
        if b"xl/worksheets/sheet1.xml" in content[match.start() : match.start() + 80]
    )
    struct.pack_into("<I", content, entry + 24, 0xFFFF_FFFF)
    return bytes(content)


def _multipart(fields, name, filename, content):
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_the_server_answers_other_requests_while_hostile_files_are_refused(live_server, client, records, settings):
    from tests.factories import StaffUserFactory

    client.force_login(StaffUserFactory(is_superuser=True))
    session = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    def post(path, fields, name, filename, content):
        """The admin form at `path` posted with a file, as a browser would, through the live server."""
        with urllib.request.urlopen(urllib.request.Request(live_server.url + path, headers={"Cookie": session})) as got:
            csrf = got.headers["Set-Cookie"].split("csrftoken=")[1].split(";")[0]
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', got.read().decode()).group(1)
        body, content_type = _multipart({"csrfmiddlewaretoken": token, **fields}, name, filename, content)
        headers = {"Cookie": f"{session}; csrftoken={csrf}", "Content-Type": content_type}
        started = time.monotonic()
        with urllib.request.urlopen(urllib.request.Request(live_server.url + path, body, headers), timeout=30) as sent:
            return sent.status, html.unescape(sent.read().decode()), time.monotonic() - started

    hearings, organizations = reverse("admin:hearings_hearing_import"), reverse("admin:hearings_organization_import")
    million = '{"slug": "huge", "participating_groups": [' + ",".join(['"g"'] * 1_000_000) + "]}"
    hostile = [
        (hearings, {}, "file", "deep.json", b"[" * 100_000 + b"]" * 100_000, "nested more than 16 levels deep"),
        (hearings, {}, "file", "huge.json", million.encode(), "huge.json holds 1,000,001 records"),
        (organizations, {"format": "1", "resource": "0"}, "import_file", "bomb.xlsx", _bomb_workbook(),
         "The workbook unpacks to 4.0\xa0GB"),
    ]  # fmt: skip
    pages = ["/", "/hearings/", reverse("hearings:hearing_detail", args=["third"]), "/people/", "/organizations/"]
    done = threading.Event()
    answered = []

    def visitor():
        while not done.is_set():
            for page in pages:
                started = time.monotonic()
                with urllib.request.urlopen(live_server.url + page, timeout=10) as response:
                    answered.append((page, response.status, time.monotonic() - started))

    if connection.vendor == "sqlite":
        # pytest-django's live server shares the test's one in-memory SQLite connection with its threads, so
        # requests cannot overlap there: each refusal is followed by a visitor's round of the pages.
        results = []
        for attack in hostile:
            results.append(post(*attack[:5]))
            for page in pages:
                started = time.monotonic()
                with urllib.request.urlopen(live_server.url + page, timeout=10) as response:
                    answered.append((page, response.status, time.monotonic() - started))
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(hostile) + 2) as pool:
            visitors = [pool.submit(visitor) for _ in range(2)]
            refusals = [pool.submit(post, *attack[:5]) for attack in hostile]
            try:
                results = [refusal.result(timeout=60) for refusal in refusals]
            finally:
                done.set()  # whatever happened to the posts, the visitors stop, so the pool can end
            for finished in visitors:
                finished.result(timeout=30)

    for attack, (status, page, elapsed) in zip(hostile, results, strict=True):
        filename, expected = attack[3], attack[5]
        assert (filename, status) == (filename, 200)
        assert expected in page, filename
        assert elapsed < 10, filename
    assert answered and {status for _page, status, _elapsed in answered} == {200}
    assert max(elapsed for _page, _status, elapsed in answered) < 10
    assert not Organization.objects.filter(name="Migrant Forum in Asia").exists()


def _with(data, path, value):
    """`data` with the value at `path` (keys and list indexes) replaced."""
    data = copy.deepcopy(data)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return data


WRONG_KINDS = [
    (["links"], ["x"], "link 1: expected an object."),
    (["ordinal"], 1e999, "ordinal: expected a whole number or null."),
    (["segments", 0, "order"], 1e999, "segment 1: order: expected a whole number or null."),
    (["segments", 0, "appearances", 0, "order"], 10**30, "segment 1, speaker 1: order: expected a whole number"),
    (["title"], "\ud800", "title: the text holds a character that is not valid Unicode."),
    (["segments", 0, "appearances", 0, "person"], {"slug": ["x"]}, "segment 1, speaker 1: person: expected a slug"),
    (["segments", 0, "appearances", 0, "person"], {"name": 5}, "segment 1, speaker 1: person: expected a slug"),
    (["segments", 0, "appearances", 1, "organization"], {"name": ["x"]}, "speaker 2: organization: expected"),
    (["process"], {"slug": "p", "name": 5}, "process: expected a slug"),
    (["venue"], {"name": {"a": 1}}, "venue: expected"),
    (["participating_groups"], [["civil-society"]], "participating group 1: expected a slug"),
    (["translations"], {"fr": {"title": 5}}, "translations.fr.title: expected text or null."),
]


@pytest.mark.parametrize(("path", "value", "expected"), WRONG_KINDS)
def test_a_value_of_the_wrong_kind_is_an_error_naming_its_place_on_the_screen_and_in_the_command(
    editor_client, vocabulary, tmp_path, path, value, expected
):
    data = _with(_hearing(), path, value)
    # 1e999 as written in the file (Python would write Infinity), a lone surrogate as its bytes.
    content = json.dumps(data).replace("Infinity", "1e999").encode("utf-8", "surrogatepass")

    page = _admin_import(editor_client, "kinds.json", content)
    (tmp_path / "kinds.json").write_bytes(content)
    with pytest.raises(CommandError) as refused:
        _run(str(tmp_path / "kinds.json"))

    assert expected in html.unescape(page)
    assert expected in str(refused.value)
    assert not Hearing.objects.exists()


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_numbers_that_json_does_not_have_are_refused(editor_client, vocabulary, constant):
    content = json.dumps(_hearing()).replace('"ordinal": 7', f'"ordinal": {constant}').encode()

    page = _admin_import(editor_client, "constants.json", content)

    assert f"{constant} is not a JSON value" in html.unescape(page)
    assert not Hearing.objects.exists()


def test_a_file_of_unterminated_strings_full_of_escaped_quotes_is_refused_at_once(editor_client, vocabulary):
    # Each quote could start a string: a scan that tried each one to the end would take minutes on this file.
    content = ('"' + '\\"' * 1_000_000).encode()

    assert "not a JSON file in UTF-8" in _admin_import(editor_client, "quotes.json", content)


def test_new_people_from_an_xlsx_with_blank_cells_are_created_with_empty_text(editor_client, db):
    # openpyxl reads an empty cell as None where a CSV cell is "".
    book = _workbook(
        ("slug", "name", "sort_name", "honorific_prefix", "other_names", "biography"),
        ("tendayi-bloom", "Tendayi Bloom", None, None, None, None),
    )
    page, confirmed = _spreadsheet_import(editor_client, "person", "people.xlsx", book, XLSX, 1)

    assert "NOT NULL" not in page and "Line number" not in page
    assert confirmed.status_code == 302
    bloom = Person.objects.get(slug="tendayi-bloom")
    assert (bloom.name, bloom.sort_name, bloom.biography, bloom.honorific_prefix) == (
        "Tendayi Bloom",
        "Tendayi Bloom",
        "",
        "",
    )


@pytest.mark.parametrize("member", ["xl/workbook.xml", "[Content_Types].xml", "xl/styles.xml", "docProps/app.xml"])
def test_a_document_type_in_any_part_of_a_workbook_is_refused(editor_client, member):
    # openpyxl reads these parts with lxml where that is installed, not through defusedxml.
    book = _workbook(("slug", "name"), ("a", "A"))
    with zipfile.ZipFile(io.BytesIO(book)) as source:
        original = source.read(member).decode()
    declaration, _sep, rest = original.partition("?>")
    hostile = f'{declaration}?><!DOCTYPE x [<!ENTITY b "bomb">]>{rest}'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, hostile if info.filename == member else source.read(info.filename))

    page = _check_workbook(editor_client, out.getvalue())

    assert "The workbook declares XML entities or a document type, which a spreadsheet does not need" in page
    assert not Organization.objects.exists()


# --- The export: what an editor edits and imports back --------------------------------------------------------


def _texts_given_twice(data, path=""):
    """The places where a record's `translations` repeat the English text the plain fields give."""
    if isinstance(data, list):
        return [place for n, item in enumerate(data) for place in _texts_given_twice(item, f"{path}[{n}]")]
    if not isinstance(data, dict):
        return []
    places = [f"{path}.translations.en"] if "en" in (data.get("translations") or {}) else []
    return places + [place for key, value in data.items() for place in _texts_given_twice(value, f"{path}.{key}")]


def _empty_the_records():
    """Delete the hearings and what they refer to, keeping the stakeholder groups (every database's vocabulary)."""
    Hearing.objects.all().delete()
    for model in (Organization, Person, Process, apps.get_model("hearings", "Venue")):
        model.objects.all().delete()


def _translate_an_organization():
    speaker = Appearance.objects.filter(segment__hearing__slug=THIRD, organization__isnull=False).first()
    speaker.organization.name_fr = "Nom français de l'organisation"
    speaker.organization.save()
    return speaker.organization


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_exported_hearing_edited_in_english_imports_back_changed_with_every_translation(seeded, tmp_path, language):
    _translate_third()
    organization = _translate_an_organization()
    exported = tmp_path / "third.json"
    call_command("export_hearings", THIRD, "--output", str(exported), stdout=io.StringIO())
    [third] = json.loads(exported.read_text(encoding="utf-8"))

    # Each text once per language: the plain fields are the English text, `translations` the other languages.
    assert _texts_given_twice(third) == []
    assert (third["title"], sorted(third["translations"])) == (Hearing.objects.get(slug=THIRD).title_en, ["ar", "fr"])
    third["title"] = "The third hearing, as an editor corrected it"
    exported.write_text(json.dumps([third]), encoding="utf-8")
    _empty_the_records()

    with translation.override(language):
        _run(str(exported))

    hearing = Hearing.objects.get(slug=THIRD)
    assert (hearing.title_en, hearing.title_fr, hearing.title_ar, hearing.status) == (
        "The third hearing, as an editor corrected it", "Troisième audition", "الجلسة الثالثة", Hearing.Status.DRAFT
    )  # fmt: skip
    imported = Organization.objects.get(slug=organization.slug)
    assert (imported.name_en, imported.name_fr) == (organization.name_en, "Nom français de l'organisation")
    # Every text came back, in every language: the imported hearing's export is the edited file.
    call_command("export_hearings", THIRD, "--output", str(tmp_path / "again.json"), stdout=io.StringIO())
    assert json.loads((tmp_path / "again.json").read_text(encoding="utf-8")) == [third]


def test_an_export_in_any_language_of_the_admin_gives_the_english_text_in_the_plain_fields(seeded, tmp_path):
    _translate_third()
    with translation.override("fr"):
        out = io.StringIO()
        call_command("export_hearings", THIRD, stdout=out)
    [third] = json.loads(out.getvalue())

    assert third["title"] == Hearing.objects.get(slug=THIRD).title_en
    assert third["translations"]["fr"]["title"] == "Troisième audition"
    segment = next(segment for segment in third["segments"] if segment["translations"])
    assert segment["translations"]["fr"]["title"] == "Première table ronde"


def test_the_export_command_names_the_slugs_it_does_not_know(seeded, tmp_path):
    with pytest.raises(CommandError, match="No hearing with the slug: no-such-hearing"):
        call_command("export_hearings", THIRD, "no-such-hearing", stdout=io.StringIO())


def test_the_hearing_list_exports_the_chosen_hearings_drafts_too_for_the_import_screen(editor_client, seeded):
    _translate_third()
    changelist = reverse("admin:hearings_hearing_changelist")
    Hearing.objects.filter(slug=THIRD).update(status=Hearing.Status.DRAFT)
    chosen = list(Hearing.objects.order_by("date").values_list("pk", flat=True))
    third_pk = Hearing.objects.get(slug=THIRD).pk

    def export(pks):
        return editor_client.post(changelist, {"action": "export_json", "_selected_action": pks, "index": 0})

    one = export([third_pk])
    with CaptureQueriesContext(connection) as few:
        export([third_pk])
    with CaptureQueriesContext(connection) as many:
        response = export(chosen)
    assert len(many) == len(few)  # however many hearings are chosen
    assert (one.status_code, response["Content-Type"]) == (200, "application/json; charset=utf-8")
    assert response["Content-Disposition"] == 'attachment; filename="hearings.json"'
    exported = json.loads(response.content)
    assert len(exported) == len(chosen) and THIRD in {hearing["slug"] for hearing in exported}
    assert _texts_given_twice(exported) == []

    [third] = [hearing for hearing in exported if hearing["slug"] == THIRD]
    third["title"] = "Third hearing, corrected"
    _empty_the_records()
    upload = SimpleUploadedFile("hearings.json", json.dumps([third]).encode(), content_type="application/json")
    url = reverse("admin:hearings_hearing_import")
    page = editor_client.post(url, {"file": upload}).content.decode()
    token = re.search(r'name="confirm" value="([^"]+)"', page).group(1)
    assert editor_client.post(url, {"confirm": token}).status_code == 302
    assert (Hearing.objects.get(slug=THIRD).title_en, Hearing.objects.get(slug=THIRD).title_fr) == (
        "Third hearing, corrected",
        "Troisième audition",
    )


def test_an_api_answer_edited_in_one_place_of_its_english_text_is_refused_with_a_clear_message(seeded, tmp_path):
    # The read API gives the English text twice (the plain fields and `translations.en`), as its clients expect.
    _translate_third()
    third = Client().get(reverse("api:hearing-detail", args=[THIRD])).json()
    third["title"] = "Changed in one place only"
    Hearing.objects.all().delete()

    with pytest.raises(CommandError, match=r"translations\.en\.title: differs from “title”, which gives the English"):
        _run(_write(tmp_path, "api.json", third))
    assert not Hearing.objects.exists()


# --- The file waiting between the check and the confirmation ------------------------------------------------


def _check(client, data, name="upload.json"):
    upload = SimpleUploadedFile(name, json.dumps(data).encode(), content_type="application/json")
    page = client.post(reverse("admin:hearings_hearing_import"), {"file": upload}).content.decode()
    return re.search(r'name="confirm" value="([^"]+)"', page).group(1)


def test_the_checked_file_waits_in_the_cache_not_the_session_and_only_its_uploader_confirms_it(
    editor_client, vocabulary
):
    from django.core.cache import cache

    from tests.factories import StaffUserFactory

    token = _check(editor_client, _hearing())
    assert "hearings_import" not in editor_client.session
    assert all(len(str(value)) < 1000 for value in editor_client.session.values())
    other = Client()
    other.force_login(StaffUserFactory(groups=["Editors"]))
    refused = other.post(reverse("admin:hearings_hearing_import"), {"confirm": token}, follow=True)
    assert "already done or has expired" in refused.content.decode()
    assert not Hearing.objects.exists()

    assert editor_client.post(reverse("admin:hearings_hearing_import"), {"confirm": token}).status_code == 302
    assert Hearing.objects.get().slug == "imported-hearing"
    cache.clear()  # nothing else was kept: the confirmation took the file out
    again = editor_client.post(reverse("admin:hearings_hearing_import"), {"confirm": token}, follow=True)
    assert "already done or has expired" in again.content.decode()


@pytest.mark.parametrize("token", ["", "not a token", "x" * 100, "../../etc/passwd"])
def test_a_confirmation_without_a_waiting_file_asks_for_the_file_again(editor_client, vocabulary, token):
    response = editor_client.post(reverse("admin:hearings_hearing_import"), {"confirm": token}, follow=True)

    assert (response.status_code, "already done or has expired" in response.content.decode()) == (200, True)
    assert not Hearing.objects.exists()


def test_with_the_cache_down_the_check_still_answers_and_the_confirmation_asks_for_the_file_again(
    editor_client, vocabulary, settings, caplog
):
    from hearings.pagecache.store import breaker

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there: the cache refuses
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    token = _check(editor_client, _hearing())
    assert breaker.available is False
    breaker.closed_until = 0.0
    response = editor_client.post(reverse("admin:hearings_hearing_import"), {"confirm": token}, follow=True)

    assert (response.status_code, "already done or has expired" in response.content.decode()) == (200, True)
    assert not Hearing.objects.exists()


# --- One matching for both imports ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_both_imports_match_by_slug_then_name_as_one_module_does(db, language):
    from hearings.domain import matching
    from hearings.models import Venue

    civil = StakeholderGroupFactory(name="Civil society", slug="civil-society")
    civil.name_fr = "Société civile"
    civil.save()
    lajcak = PersonFactory(name="Miroslav Lajčák", slug="miroslav-lajcak")
    process = ProcessFactory(name="A preparatory process", slug="a-process")
    with translation.override(language):
        assert matching.find(Person, slug="miroslav-lajcak", name="Someone else") == lajcak
        assert matching.find(Person, slug="no-such", name="MIROSLAV LAJCAK") == lajcak
        assert matching.find(Person, name="Miroslav") is None
        assert matching.find(Process, name="A preparatory process") == process
        assert matching.find(Process, name="a preparatory process") is None  # processes and venues as written
        assert matching.find(StakeholderGroup, name="société civile") == civil
        assert matching.find(StakeholderGroup, name="civil society") == civil

        person, venue = Person(name="Tendayi Bloom"), Venue(name_en="Trusteeship Chamber", city_en="New York")
        matching.complete_new(person)
        matching.complete_new(venue)
    assert (person.slug, person.sort_name, venue.slug) == (
        "tendayi-bloom", "Tendayi Bloom", "trusteeship-chamber-new-york"
    )  # fmt: skip


def test_the_import_reads_the_read_apis_fields_under_their_names(db):
    from opendata.api import serializers

    # The model's `position` is the speaking order, the API's `order`; the API's `position` is the job title.
    assert serializers.own_fields(serializers.SegmentAppearanceSerializer) == {
        "order": "position", "role": "role", "position": "position_title", "summary": "summary"
    }  # fmt: skip
    assert serializers.translated_names(serializers.SegmentAppearanceSerializer) == {
        "position": "position_title",
        "summary": "summary",
    }
    # The hearing detail's speakers and the researchers' table list an appearance's own fields once.
    shared = serializers.AppearanceFieldsSerializer.Meta.fields
    for serializer in (serializers.SegmentAppearanceSerializer, serializers.AppearanceSerializer):
        names = list(serializer().fields)
        assert [name for name in names if name in shared] == shared
