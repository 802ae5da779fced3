"""The records' text in six languages in the admin: English on the hearing screen whatever the editor's language."""

import pytest
from django.urls import reverse

from hearings.models import Appearance, Hearing, Segment
from tests.factories import AppearanceFactory, HearingFactory, SegmentFactory
from tests.support import form_data

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
    assert data["title"] == "Third hearing"  # …and the box holds the English title
    assert data["segments-0-title"] == "First panel"
    assert data["segments-0-appearances-0-position_title"] == "Coordinator"
    response = editor_client.post(url, data, headers=FRENCH)

    assert response.status_code == 302
    hearing = Hearing.objects.get(pk=hearing.pk)
    assert (hearing.title_en, hearing.title_fr) == ("Third hearing", "Troisième audition")
    assert Hearing.objects.filter(title="Third hearing").exists()  # the plain column keeps English too
    assert Segment.objects.get().title_en == "First panel"
    assert _speaker(hearing).position_title_en == "Coordinator"
