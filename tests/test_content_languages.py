"""The records' own text in six languages: a page shows the reader's language where editors gave it, and the English
text otherwise, marked as English with a note; search, filters and counts work alike in every language."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from hearings.domain import record_text as translated
from hearings.models import Hearing, Organization, StakeholderGroup
from hearings.pagecache.store import recent_pages
from tests.factories import AppearanceFactory, HearingFactory, SegmentFactory

LANGUAGES = [code for code, _name in settings.LANGUAGES]
OTHERS = [code for code in LANGUAGES if code != "en"]
MISSING_NOTE = "This record has not been translated into this language yet"
PARTIAL_NOTE = "Parts of this record have not been translated into this language yet"


class _Texts(HTMLParser):
    """Every text node of a page's main content with the language it is marked as (the nearest `lang`)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.langs, self.found, self.in_main = [], [], False

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.langs.append(dict(attrs).get("lang"))
        self.in_main = self.in_main or tag == "main"

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.langs:
            self.langs.pop()
        self.in_main = self.in_main and tag != "main"

    def handle_data(self, data):
        if data.strip() and self.in_main:
            marked = [lang for lang in self.langs if lang]
            self.found.append((" ".join(data.split()), marked[-1] if marked else None))


def texts(response):
    parser = _Texts()
    parser.feed(response.content.decode())
    return parser.found


def language_of(response, text):
    """The language the page marks `text` with (the first text node that holds it)."""
    for node, lang in texts(response):
        if text in node:
            return lang
    raise AssertionError(f"{text!r} is not on the page")


@pytest.fixture
def hearing(db):
    """A published hearing entered in English, its title, summary, segment theme and speaker translated into French."""
    appearance = AppearanceFactory(
        segment__hearing__title="Hearing on remittances",
        segment__hearing__title_fr="Audition sur les envois de fonds",
        segment__hearing__summary="Speakers discussed the cost of sending money home.",
        segment__hearing__summary_fr="Les orateurs ont débattu du coût des envois de fonds.",
        segment__hearing__convener="President of the General Assembly",
        segment__hearing__slug="remittances",
        segment__title="First panel",
        segment__theme="Costs of remittances",
        segment__theme_fr="Coût des envois de fonds",
        position_title="Economist",
        summary="She asked for cheaper transfers.",
        organization__name="World Bank",
        organization__name_fr="Banque mondiale",
        organization__stakeholder_group__name="UN system",
        organization__stakeholder_group__name_fr="Système des Nations Unies",
        organization__stakeholder_group__slug="un-system",
    )
    return appearance.segment.hearing


def test_a_page_in_french_shows_the_french_text_editors_gave(hearing):
    page = Client().get("/fr/hearings/remittances/")

    assert page.status_code == 200
    assert language_of(page, "Audition sur les envois de fonds") == "fr"  # the page's own: <html lang="fr">
    assert language_of(page, "Les orateurs ont débattu du coût des envois de fonds.") == "fr"
    assert language_of(page, "Coût des envois de fonds") == "fr"
    assert language_of(page, "Banque mondiale") == "fr"
    assert language_of(page, "Système des Nations Unies") == "fr"
    assert "Hearing on remittances" not in page.content.decode()
    assert "<p>Les orateurs ont débattu du coût des envois de fonds.</p>" in page.content.decode()


def test_text_without_a_french_translation_shows_in_english_marked_as_english_with_a_note(hearing):
    page = Client().get("/fr/hearings/remittances/")
    body = page.content.decode()

    assert language_of(page, "President of the General Assembly") == "en"
    assert language_of(page, "First panel") == "en"
    assert language_of(page, "Economist") == "en"
    assert language_of(page, "She asked for cheaper transfers.") == "en"
    assert '<div lang="en" dir="ltr"><p>She asked for cheaper transfers.</p></div>' in body
    assert body.count('class="note note--language"') == 1
    assert translation.gettext(PARTIAL_NOTE) not in ("", None)
    with translation.override("fr"):
        assert translation.gettext(PARTIAL_NOTE + ": they are shown in English.") in body


def test_a_hearing_with_no_translation_at_all_says_so_and_is_wholly_marked_english(hearing):
    page = Client().get("/ar/hearings/remittances/")
    body = page.content.decode()

    assert language_of(page, "Hearing on remittances") == "en"
    assert language_of(page, "Speakers discussed the cost of sending money home.") == "en"
    assert language_of(page, "World Bank") == "en"
    with translation.override("ar"):
        assert translation.gettext(MISSING_NOTE + ": its text is shown in English.") in body


def test_english_pages_carry_no_language_note_and_no_english_marks(hearing):
    page = Client().get("/hearings/remittances/")
    body = page.content.decode()

    assert "note--language" not in body
    assert ('<span lang="en" dir="ltr">' in body, '<div lang="en" dir="ltr">' in body) == (False, False)
    assert language_of(page, "Hearing on remittances") == "en"


def test_a_fully_translated_hearing_has_no_note(hearing):
    segment = hearing.segments.get()
    appearance = segment.appearances.get()
    Hearing.objects.filter(pk=hearing.pk).update(convener_fr="Président de l'Assemblée générale")
    segment.title_fr = "Première table ronde"
    segment.save()
    appearance.position_title_fr, appearance.summary_fr = "Économiste", "Elle a demandé des transferts moins chers."
    appearance.save()

    page = Client().get("/fr/hearings/remittances/")

    assert "note--language" not in page.content.decode()
    assert language_of(page, "Première table ronde") == "fr"


def test_the_hearing_list_and_other_pages_show_each_language_with_the_english_marked(hearing):
    french = Client().get("/fr/hearings/")
    spanish = Client().get("/es/hearings/")

    assert language_of(french, "Audition sur les envois de fonds") == "fr"
    assert language_of(spanish, "Hearing on remittances") == "en"
    group_page = Client().get("/fr/stakeholder-groups/un-system/")
    assert language_of(group_page, "Système des Nations Unies") == "fr"
    organization = Organization.objects.get()
    assert language_of(Client().get(f"/es/organizations/{organization.slug}/"), "World Bank") == "en"


def test_a_record_is_found_by_any_of_its_translations_accents_and_case_aside(hearing):
    for path in ("/hearings/", "/fr/hearings/", "/ru/hearings/"):
        assert "remittances/" in Client().get(path, {"q": "AUDITION sur les ENVOIS"}).content.decode()
        assert "remittances/" in Client().get(path, {"q": "debattu du cout"}).content.decode()
    assert "remittances/" not in Client().get("/fr/hearings/", {"q": "audition zorrillo"}).content.decode()
    organizations = Client().get("/organizations/", {"q": "banque MONDIALE"}).content.decode()
    assert f"/organizations/{Organization.objects.get().slug}/" in organizations


def test_a_translation_added_later_is_found_and_shown_at_once(hearing):
    Client().get("/fr/hearings/remittances/")  # cached
    segment = hearing.segments.get()
    segment.summary_en, segment.summary_fr = "Debate on electronic remittance", "Débat sur la remise électronique"
    segment.save()

    assert "Débat sur la remise électronique" in Client().get("/fr/hearings/remittances/").content.decode()
    assert "remittances/" in Client().get("/hearings/", {"q": "remise electronique"}).content.decode()


def test_the_stakeholder_filter_selects_the_same_hearings_in_every_language(hearing):
    HearingFactory(title="Unrelated hearing", slug="unrelated")
    for language in LANGUAGES:
        prefix = "" if language == "en" else f"/{language}"
        body = Client().get(f"{prefix}/hearings/", {"stakeholder_group": "un-system"}).content.decode()
        assert ("/hearings/remittances/" in body, "/hearings/unrelated/" in body) == (True, False), language
    french_filter = Client().get("/fr/hearings/").content.decode()
    assert "Système des Nations Unies" in french_filter


def test_the_seed_groups_are_named_in_all_six_languages(seeded):
    for group in StakeholderGroup.objects.all():
        names = {language: getattr(group, translated.column("name", language)) for language in LANGUAGES}
        assert all(names.values()), names
        assert len(set(names.values())) == len(LANGUAGES), names
    civil_society = StakeholderGroup.objects.get(slug="civil-society")
    assert (civil_society.name_fr, civil_society.name_es, civil_society.name_zh_hans) == (
        "Société civile",
        "Sociedad civil",
        "民间社会",
    )
    assert "Société civile" in Client().get("/fr/stakeholder-groups/").content.decode()


def test_the_seed_summaries_stay_english_only(seeded):
    for hearing in Hearing.objects.all():
        assert translated.translations(hearing).keys() <= {"en"}


def test_drafts_translations_show_nowhere_public(hearing):
    draft = HearingFactory(
        title="Draft hearing", title_fr="Audition brouillon Zorrillo", slug="draft", status=Hearing.Status.DRAFT
    )
    SegmentFactory(hearing=draft, summary_fr="Zorrillo secret")
    for path in ("/fr/hearings/", "/fr/hearings/?q=zorrillo", "/fr/statistics/"):
        assert "Zorrillo" not in Client().get(path).content.decode()
    assert Client().get("/fr/hearings/draft/").status_code == 404


def test_the_english_text_is_written_and_found_by_its_own_column_whatever_language_is_active(hearing):
    with translation.override("fr"):
        hearing.refresh_from_db()
        assert hearing.title == "Audition sur les envois de fonds"  # the plain name reads the active language
        hearing.summary_en = "New English summary."
        hearing.save()
        created = HearingFactory(title_en="Made while French was active", slug="made-in-french")
        assert Hearing.objects.filter(title_en="Hearing on remittances").exists()
    hearing.refresh_from_db()
    created.refresh_from_db()
    assert (hearing.summary_en, hearing.summary_fr) == (
        "New English summary.",
        "Les orateurs ont débattu du coût des envois de fonds.",
    )
    assert (created.title_en, created.title_fr) == ("Made while French was active", None)
    assert Hearing.objects.filter(title="Hearing on remittances").exists()


def _queries(path):
    cache.clear()
    recent_pages.clear()
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.parametrize("path", ["/hearings/", "/hearings/remittances/", "/stakeholder-groups/", "/organizations/"])
def test_every_language_takes_as_many_queries_as_english(hearing, path):
    english = _queries(path)
    for language in OTHERS:
        assert _queries(f"/{language}{path}") == english, language


def test_organizations_are_listed_in_the_order_of_their_names_in_the_readers_language(hearing):
    from tests.factories import OrganizationFactory

    for name, french in (("Amnesty", None), ("Zeta Union", "Alliance Zeta")):
        AppearanceFactory(segment=hearing.segments.get(), organization=OrganizationFactory(name=name, name_fr=french))

    def order(path):
        body = Client().get(path).content.decode()
        names = ["Amnesty", "World Bank", "Banque mondiale", "Zeta Union", "Alliance Zeta"]
        return sorted((body.index(name), name) for name in names if name in body.split("<main", 1)[1])

    assert [name for _at, name in order("/organizations/")] == ["Amnesty", "World Bank", "Zeta Union"]
    assert [name for _at, name in order("/fr/organizations/")] == ["Alliance Zeta", "Amnesty", "Banque mondiale"]


def test_statistics_name_groups_in_the_readers_language_and_mark_english_names(hearing):
    page = Client().get("/fr/statistics/")

    assert language_of(page, "Système des Nations Unies") == "fr"
    process_link = (
        f'href="/fr/processes/{hearing.process.slug}/"><span lang="en" dir="ltr">{hearing.process.name}</span></a>'
    )
    assert process_link in page.content.decode()
    assert language_of(page, "Banque mondiale") == "fr"
    assert language_of(Client().get("/fr/hearings/remittances/"), "Système des Nations Unies") == "fr"


def test_a_raw_save_in_another_language_keeps_the_english_text_in_the_plain_column(hearing):
    """A revision's revert and `loaddata` save rows raw, past `save()`: the plain column still takes English."""
    from django.core import serializers

    group = StakeholderGroup.objects.get(slug="un-system")
    with translation.override("fr"):
        data = serializers.serialize("json", [group])
        for restored in serializers.deserialize("json", data):
            restored.save()
        group.refresh_from_db()
        group.save_base(raw=True)

    assert list(StakeholderGroup.objects.values_list("name", "name_en", "name_fr")) == [
        ("UN system", "UN system", "Système des Nations Unies")
    ]
    assert not StakeholderGroup.objects.filter(name="Système des Nations Unies").exists()


def test_removing_an_english_text_removes_its_translations_from_every_page(hearing):
    segment = hearing.segments.get()
    segment.theme = ""
    segment.save()

    segment.refresh_from_db()
    assert (segment.theme_en, segment.theme_fr) == ("", None)
    assert "Coût des envois de fonds" not in Client().get("/fr/hearings/remittances/").content.decode()


def test_an_organization_spreadsheet_names_its_group_in_any_language(hearing):
    from hearings.domain.spreadsheets import GroupWidget

    group = StakeholderGroup.objects.get(slug="un-system")
    assert [GroupWidget().clean(name) for name in ("un-system", "UN SYSTEM", "système des nations unies")] == [
        group
    ] * 3
    with translation.override("fr"), pytest.raises(ValueError, match="ne fait pas partie des groupes"):
        GroupWidget().clean("Nobody")


def test_a_venue_wholly_in_english_is_one_english_run_on_a_right_to_left_page(hearing):
    from tests.factories import VenueFactory

    Hearing.objects.filter(pk=hearing.pk).update(
        venue=VenueFactory(name="Trusteeship Chamber", site="United Nations Headquarters", city="New York")
    )
    body = Client().get("/ar/hearings/remittances/").content.decode()

    assert '<span lang="en" dir="ltr">Trusteeship Chamber, United Nations Headquarters, New York</span>' in body
