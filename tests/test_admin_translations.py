"""The records' text in six languages in the admin: English on the hearing screen whatever the editor's language,
the translation screen of a hearing, the table of how far each hearing is translated, and the records' six boxes."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from hearings.domain.record_text import column, languages
from hearings.models import Appearance, Hearing, Segment, StakeholderGroup
from tests.factories import (
    AppearanceFactory,
    HearingFactory,
    ProcessFactory,
    SegmentFactory,
    StakeholderGroupFactory,
)
from tests.support import form_data, hearing_admin_data

FRENCH = {"accept-language": "fr"}


def _translate_url(hearing, language="fr"):
    return reverse("admin:hearings_hearing_translate", args=[hearing.pk, language])


@pytest.fixture
def hearing(db):
    """A published hearing with a segment and a speaker, all in English."""
    hearing = HearingFactory(title="Third hearing", slug="third", summary="A whole-of-society approach.")
    segment = SegmentFactory(hearing=hearing, position=1, title="First panel", theme="Remittances")
    AppearanceFactory(
        segment=segment,
        person__name="Dennis Sinyolo",
        person__slug="dennis-sinyolo",
        position_title="Coordinator",
        summary="Teachers move too.",
    )
    return hearing


def _speaker(hearing):
    return Appearance.objects.get(segment__hearing=hearing)


def _posted(client, hearing, language="fr", headers=None, **changes):
    """The translation screen's form as a browser submits it, with `changes` typed into its boxes."""
    url = _translate_url(hearing, language)
    data = form_data(client.get(url, headers=headers).content.decode())
    data.update(changes)
    return url, data


def _key(record, name):
    return f"{type(record)._meta.model_name}-{record.pk}-{name}"


# --- The hearing screen edits English whatever the editor's language --------------------


def test_a_french_speaking_editor_saves_a_hearing_without_touching_its_english_text(editor_client, hearing):
    hearing.title_fr = "Troisième audition"
    hearing.save()
    segment = hearing.segments.get()
    segment.title_fr = "Premier panel"
    segment.save()
    speaker = _speaker(hearing)
    speaker.position_title_fr = "Coordinateur"
    speaker.save()
    url = reverse("admin:hearings_hearing_change", args=[hearing.pk])

    page = editor_client.get(url, headers=FRENCH).content.decode()
    assert 'lang="fr"' in page  # the admin speaks French…
    data = form_data(page)
    assert data["title_en"] == "Third hearing"  # …and the box holds the English title
    assert data["segments-0-title_en"] == "First panel"
    assert data["segments-0-appearances-0-position_title_en"] == "Coordinator"
    response = editor_client.post(url, data, headers=FRENCH)

    assert response.status_code == 302
    hearing = Hearing.objects.get(pk=hearing.pk)
    assert (hearing.title_en, hearing.title_fr) == ("Third hearing", "Troisième audition")
    with translation.override("en"):
        assert Hearing.objects.filter(title="Third hearing").exists()  # found by its English title in English
    assert Segment.objects.get().title_en == "First panel"
    assert _speaker(hearing).position_title_en == "Coordinator"


TRANSLATED = {
    "ar": ("جلسة الاستماع الثالثة", "الفريق الأول", "منسق"),
    "zh-hans": ("第三次听证会", "第一小组", "协调员"),
    "fr": ("Troisième audition", "Premier panel", "Coordinateur"),
    "ru": ("Третьи слушания", "Первая группа", "Координатор"),
    "es": ("Tercera audiencia", "Primer panel", "Coordinador"),
}


def _texts(hearing):
    """Every language's column of the hearing's title, its segment's title and its speaker's position."""
    hearing = Hearing.objects.get(pk=hearing.pk)
    segment, speaker = hearing.segments.get(), _speaker(hearing)
    return {
        code: (
            getattr(hearing, column("title", code)),
            getattr(segment, column("title", code)),
            getattr(speaker, column("position_title", code)),
        )
        for code in languages()
    }


@pytest.mark.parametrize("language", ["en", "ar", "zh-hans", "fr", "ru", "es"])
def test_the_hearing_screen_saves_english_into_the_english_columns_whatever_the_admin_speaks(
    editor_client, hearing, language
):
    segment, speaker = hearing.segments.get(), _speaker(hearing)
    for code, (title, segment_title, position) in TRANSLATED.items():
        setattr(hearing, column("title", code), title)
        setattr(segment, column("title", code), segment_title)
        setattr(speaker, column("position_title", code), position)
    hearing.save()
    segment.save()
    speaker.save()
    before = _texts(hearing)
    url = reverse("admin:hearings_hearing_change", args=[hearing.pk])
    headers = {"accept-language": language}

    page = editor_client.get(url, headers=headers).content.decode()
    assert f'lang="{language}"' in page
    title_box = page[page.index('<input type="text" name="title_en"') :].split(">", 1)[0]
    assert 'lang="en"' in title_box and 'value="Third hearing"' in title_box
    data = form_data(page)
    data["title_en"] = "Third hearing (corrected)"
    data["segments-0-title_en"] = "First panel (corrected)"
    data["segments-0-appearances-0-position_title_en"] = "Coordinator (corrected)"
    response = editor_client.post(url, data, headers=headers)

    assert response.status_code == 302
    after = _texts(hearing)
    assert after.pop("en") == ("Third hearing (corrected)", "First panel (corrected)", "Coordinator (corrected)")
    assert after == {code: texts for code, texts in before.items() if code != "en"}


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_a_hearing_added_in_any_language_has_its_english_text_and_slug_from_it(editor_client, language):
    process = ProcessFactory()
    data = hearing_admin_data(process=process.pk, title_en="Fourth hearing", date="2018-02-12", convener_en="PGA")

    response = editor_client.post(reverse("admin:hearings_hearing_add"), data, headers={"accept-language": language})

    assert response.status_code == 302
    hearing = Hearing.objects.get()
    assert (hearing.slug, hearing.title_en, hearing.convener_en) == ("fourth-hearing", "Fourth hearing", "PGA")
    assert [getattr(hearing, column("title", code)) for code in languages()[1:]] == [None] * 5


def test_the_hearing_screen_labels_the_english_boxes_as_the_fields(editor_client, hearing):
    page = editor_client.get(reverse("admin:hearings_hearing_change", args=[hearing.pk])).content.decode()

    assert '<label class="required" for="id_title_en">Title:</label>' in page
    assert "[en]" not in page


def test_the_hearing_screen_shows_each_language_with_its_state_and_link(editor_client, hearing):
    hearing.title_fr = "Troisième audition"
    hearing.save()

    page = editor_client.get(reverse("admin:hearings_hearing_change", args=[hearing.pk])).content.decode()

    assert _translate_url(hearing, "fr") in page
    assert _translate_url(hearing, "zh-hans") in page
    assert "1 of 6 texts" in page
    assert "partial" in page and "missing" in page


# --- The translation screen ---------------------------------------------------------------------


def test_translations_saved_on_the_screen_show_on_the_french_public_page(editor_client, hearing):
    segment, speaker = hearing.segments.get(), _speaker(hearing)
    url, data = _posted(
        editor_client,
        hearing,
        **{
            _key(hearing, "title"): "Troisième audition",
            _key(segment, "theme"): "Envois de fonds",
            _key(speaker, "position_title"): "Coordinateur",
            _key(speaker, "summary"): "Les enseignants migrent aussi.",
        },
    )

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert response["Location"] == url
    assert "4 texts in French saved." in editor_client.get(url).content.decode()
    page = Client().get("/fr/hearings/third/").content.decode()
    for text in ("Troisième audition", "Envois de fonds", "Coordinateur", "Les enseignants migrent aussi."):
        assert text in page
    assert Hearing.objects.filter(pk=hearing.pk, title_en="Third hearing").exists()
    with translation.override("en"):
        assert Hearing.objects.filter(pk=hearing.pk, title="Third hearing").exists()


def test_the_screen_shows_each_english_text_beside_its_box(editor_client, hearing):
    speaker = _speaker(hearing)

    page = editor_client.get(_translate_url(hearing, "ar")).content.decode()

    key = _key(speaker, "summary")
    assert f'id="id_{key}-source" lang="en"' in page
    assert "Teachers move too." in page
    assert f'<label for="id_{key}">' in page
    textarea = page[page.index(f'<textarea name="{key}"') :].split(">", 1)[0]
    assert 'lang="ar"' in textarea and 'dir="rtl"' in textarea and f'aria-describedby="id_{key}-source"' in textarea
    assert "Dennis Sinyolo" in page and "First panel" in page
    # A text without English (the segment's summary) has nothing to translate.
    assert _key(hearing.segments.get(), "summary") not in page


def test_emptying_a_box_removes_the_translation(editor_client, hearing):
    hearing.title_fr = "Troisième audition"
    hearing.save()
    url, data = _posted(editor_client, hearing, **{_key(hearing, "title"): ""})

    assert editor_client.post(url, data).status_code == 302

    hearing.refresh_from_db()
    assert hearing.title_fr is None
    assert "Troisième audition" not in Client().get("/fr/hearings/third/").content.decode()


def test_a_screen_opened_before_another_change_is_refused_with_the_input_kept(editor_client, hearing):
    url, data = _posted(editor_client, hearing, **{_key(hearing, "title"): "Troisième audition"})
    segment = hearing.segments.get()
    segment.theme_fr = "Envois de fonds (un autre traducteur)"
    segment.save()

    response = editor_client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "This hearing was changed after you opened this screen." in page
    assert 'value="Troisième audition"' in page
    hearing.refresh_from_db()
    assert hearing.title_fr is None
    assert Segment.objects.get().theme_fr == "Envois de fonds (un autre traducteur)"


def test_a_translation_is_one_revision_and_reverting_to_it_restores_it(editor_client, hearing):
    url, data = _posted(editor_client, hearing, **{_key(hearing, "title"): "Troisième audition"})
    editor_client.post(url, data)
    translated = Version.objects.get_for_object(hearing).select_related("revision__user").first()
    assert translated.revision.comment == "Translated into French"
    assert translated.revision.user.is_staff
    url, data = _posted(editor_client, hearing, **{_key(hearing, "title"): ""})
    editor_client.post(url, data)
    assert Hearing.objects.get(pk=hearing.pk).title_fr is None

    revert_url = reverse("admin:hearings_hearing_revision", args=[hearing.pk, translated.pk])
    response = editor_client.post(revert_url, form_data(editor_client.get(revert_url).content.decode()))

    assert response.status_code == 302
    hearing.refresh_from_db()
    assert (hearing.title_en, hearing.title_fr) == ("Third hearing", "Troisième audition")


def test_an_unchanged_screen_saves_nothing(editor_client, hearing):
    url, data = _posted(editor_client, hearing)
    updated = hearing.updated

    assert editor_client.post(url, data).status_code == 302

    assert Hearing.objects.get(pk=hearing.pk).updated == updated
    assert not Version.objects.get_for_object(hearing).exists()


def test_an_unknown_language_has_no_screen(editor_client, hearing):
    assert editor_client.get(_translate_url(hearing, "de")).status_code == 404
    assert editor_client.get(_translate_url(hearing, "en")).status_code == 404
    assert editor_client.get(reverse("admin:hearings_hearing_translate", args=[999999, "fr"])).status_code == 404


def test_the_screen_asks_an_anonymous_visitor_to_sign_in(hearing):
    response = Client().get(_translate_url(hearing))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_text_longer_than_the_field_is_a_form_error(editor_client, hearing):
    url, data = _posted(editor_client, hearing, **{_key(hearing, "title"): "x" * 301})

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "at most 300 characters" in response.content.decode()
    assert Hearing.objects.get(pk=hearing.pk).title_fr is None


# --- How far each hearing is translated -----------------------------------------------------------


def test_states_are_worked_out_from_the_texts(editor_client, hearing):
    segment, speaker = hearing.segments.get(), _speaker(hearing)
    for record, name in [(hearing, "title"), (hearing, "summary"), (segment, "title"), (segment, "theme")]:
        setattr(record, f"{name}_fr", f"{name} en français")
        record.save()
    speaker.position_title_fr, speaker.summary_fr = "Coordinateur", "Les enseignants migrent aussi."
    speaker.save()
    hearing.title_es = "Tercera audiencia"
    hearing.save()
    draft = HearingFactory(title="A draft", status=Hearing.Status.DRAFT)

    response = editor_client.get(reverse("admin:hearings_hearing_translations"))

    rows = {
        row["hearing"].pk: {s.code: (s.state, s.done, s.total) for s in row["states"]}
        for row in response.context["rows"]
    }
    assert rows[hearing.pk]["fr"] == ("complete", 6, 6)
    assert rows[hearing.pk]["es"] == ("partial", 1, 6)
    assert rows[hearing.pk]["ar"] == ("missing", 0, 6)
    assert rows[draft.pk]["fr"] == ("missing", 0, 1)  # drafts are listed too
    page = response.content.decode()
    assert "6 of 6 texts" in page and _translate_url(hearing, "es") in page

    partial = editor_client.get(reverse("admin:hearings_hearing_translations"), {"language": "es", "state": "partial"})
    assert [row["hearing"] for row in partial.context["rows"]] == [hearing]
    drafts = editor_client.get(reverse("admin:hearings_hearing_translations"), {"status": "draft"})
    assert [row["hearing"] for row in drafts.context["rows"]] == [draft]


def test_the_hearing_list_links_to_the_translations(editor_client, hearing):
    page = editor_client.get(reverse("admin:hearings_hearing_changelist")).content.decode()

    assert reverse("admin:hearings_hearing_translations") in page


def _hearings_with_parts(count):
    for _ in range(count):
        segment = SegmentFactory(title="Panel", theme="Theme")
        AppearanceFactory(segment=segment, position_title="Chair", summary="Said things.")
        AppearanceFactory(segment=segment, position_title="Member")
        SegmentFactory(hearing=segment.hearing, title="Closing")


def _queries_for_the_table(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:hearings_hearing_translations"))
    assert response.status_code == 200
    return len(response.context["rows"]), len(queries.captured_queries)


def test_the_translations_table_reads_as_many_queries_for_20_hearings_as_for_one(editor_client):
    _hearings_with_parts(1)
    editor_client.get(reverse("admin:hearings_hearing_translations"))  # the session and the user's permissions

    one = _queries_for_the_table(editor_client)
    _hearings_with_parts(19)
    twenty = _queries_for_the_table(editor_client)

    assert one[0] == 1 and twenty[0] == 20
    assert twenty[1] == one[1]


# --- Groups, processes, venues, organizations: six boxes per text -------------------------------


def test_a_group_keeps_its_name_in_each_language(editor_client, records):
    unions = StakeholderGroup.objects.get(slug="trade-unions")
    url = reverse("admin:hearings_stakeholdergroup_change", args=[unions.pk])
    page = editor_client.get(url, headers=FRENCH).content.decode()
    data = form_data(page)
    assert data["name_en"] == "Trade unions" and data["name_fr"] == ""
    assert 'for="id_name_fr"' in page and 'for="id_name_ar"' in page
    name_ar = page[page.index('name="name_ar"') - 200 :].split("<input", 1)[1].split(">", 1)[0]
    assert 'dir="rtl"' in name_ar and 'lang="ar"' in name_ar
    assert "cdn" not in page.lower() and "jquery-ui" not in page.lower()

    data["name_fr"] = "Syndicats"
    response = editor_client.post(url, data, headers=FRENCH)

    assert response.status_code == 302
    unions.refresh_from_db()
    assert (unions.name_en, unions.name_fr) == ("Trade unions", "Syndicats")
    assert StakeholderGroup.objects.filter(name_en="Trade unions").exists()
    assert "Syndicats" in Client().get("/fr/stakeholder-groups/").content.decode()
    assert "Syndicats" not in Client().get("/stakeholder-groups/").content.decode()


def test_a_record_needs_its_english_name_and_labels_name_the_language(editor_client):
    url = reverse("admin:hearings_process_add")
    page = editor_client.get(url).content.decode()
    assert "Name (French)" in page and "Name (English)" in page

    response = editor_client.post(url, {"name_fr": "Pacte mondial", "slug": "gcm"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_the_records_lists_and_searches_keep_working(editor_client, records):
    StakeholderGroupFactory(name="Indigenous peoples", slug="indigenous").__class__.objects.filter(
        slug="indigenous"
    ).update(name_fr="Peuples autochtones")
    for name in ("stakeholdergroup", "process", "venue", "organization"):
        assert editor_client.get(reverse(f"admin:hearings_{name}_changelist")).status_code == 200
    found = editor_client.get(reverse("admin:hearings_stakeholdergroup_changelist"), {"q": "autochtones"})
    assert [group.slug for group in found.context["cl"].result_list] == ["indigenous"]
    autocomplete = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "hearings", "model_name": "hearingparticipation", "field_name": "group", "term": "trade"},
    )
    assert [item["text"] for item in autocomplete.json()["results"]] == ["Trade unions"]


def test_the_admin_index_links_to_the_translations(editor_client):
    page = editor_client.get(reverse("admin:index")).content.decode()

    assert reverse("admin:hearings_hearing_translations") in page


def test_translators_of_two_languages_do_not_stand_in_each_others_way(editor_client, hearing):
    french_url, french = _posted(editor_client, hearing, "fr", **{_key(hearing, "title"): "Troisième audition"})
    arabic_url, arabic = _posted(editor_client, hearing, "ar", **{_key(hearing, "title"): "جلسة الاستماع الثالثة"})

    assert editor_client.post(french_url, french).status_code == 302
    assert editor_client.post(arabic_url, arabic).status_code == 302

    hearing.refresh_from_db()
    assert (hearing.title_fr, hearing.title_ar) == ("Troisième audition", "جلسة الاستماع الثالثة")


def test_an_english_text_changed_meanwhile_refuses_the_translation(editor_client, hearing):
    url, data = _posted(editor_client, hearing, "es", **{_key(hearing, "title"): "Tercera audiencia"})
    segment = hearing.segments.get()
    segment.theme = "A theme rewritten in English"
    segment.save()

    response = editor_client.post(url, data)

    assert response.status_code == 200
    hearing.refresh_from_db()
    assert hearing.title_es is None
