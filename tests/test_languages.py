"""The six UN languages: every public page in each, with its language and direction, its interface translated
in full, links to its other versions; English at the addresses it always had; open data in the language asked."""

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser.support import public_pages

LANGUAGES = [code for code, _name in settings.LANGUAGES]
OTHERS = [code for code in LANGUAGES if code != "en"]
DIRECTION = {"ar": "rtl"}
LOCALE = Path(settings.LOCALE_PATHS[0])
NAVIGATION = ["Hearings", "People", "Organizations", "Stakeholder groups", "Statistics"]


def catalog(language):
    """The committed catalog of `language`: {English text: translation}, for singular entries."""
    folder = {"zh-hans": "zh_Hans"}.get(language, language)
    entries = polib.pofile(str(LOCALE / folder / "LC_MESSAGES" / "django.po"))
    return {entry.msgid: entry.msgstr for entry in entries if entry.msgstr and not entry.msgid_plural}


class _Interface(HTMLParser):
    """Text a reader sees or hears in the page's language: text nodes and the labelling attributes.

    Text inside an element marked with another language (the switcher's language names) is left out.
    """

    ATTRIBUTES = ("aria-label", "placeholder", "title", "alt", "value")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language, self.texts, self.skip, self.langs = language, [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag not in self.VOID:
            self.langs.append(dict(attrs).get("lang"))
        if self._elsewhere():
            return
        for name, value in attrs:
            if name in self.ATTRIBUTES and value and not (tag == "input" and dict(attrs).get("type") == "hidden"):
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag not in self.VOID and self.langs:
            self.langs.pop()

    def handle_data(self, data):
        if not self.skip and data.strip() and not self._elsewhere():
            self.texts.append(" ".join(data.split()))

    def _elsewhere(self):
        marked = [lang for lang in self.langs if lang]
        return bool(marked) and marked[-1] != self.language


def interface_texts(html, language):
    parser = _Interface(language)
    parser.feed(html)
    return parser.texts


def localized(path, language):
    return path if language == "en" else f"/{language}{path}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_speaks_the_language_with_its_direction(seeded, language):
    translations = catalog(language) if language != "en" else {}
    english_left = {}
    for name, path, status in public_pages():
        response = Client().get(localized(path, language))
        assert response.status_code == status, (name, language)
        html = response.content.decode()
        assert f'<html lang="{language}" dir="{DIRECTION.get(language, "ltr")}">' in html, (name, language)
        assert response["Content-Language"] == language
        if language == "en":
            continue
        for english in NAVIGATION:
            assert f">{translations[english]}</a>" in html, (name, language, english)
        # No interface text left in English: a whole text that is an English string of the catalog whose
        # translation differs (names, titles and summaries of the records are not in the catalog).
        left = [
            text
            for text in interface_texts(html, language)
            if text in translations and translations[text].strip() != text
        ]
        if left:
            english_left[name] = left
    assert english_left == {}


def test_english_keeps_its_addresses_and_has_no_prefix(seeded):
    assert Client().get("/hearings/").status_code == 200
    assert Client().get("/en/hearings/").status_code == 404
    assert Client().get("/fr/hearings/").status_code == 200
    assert Client().get("/de/hearings/").status_code == 404


def test_each_page_links_its_versions_in_every_language_itself_included_with_filters_kept(seeded):
    html = Client().get("/fr/hearings/?year=2017&stakeholder_group=civil-society").content.decode()
    alternates = {
        hreflang: unescape(href)
        for hreflang, href in re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    }
    query = "?year=2017&stakeholder_group=civil-society"
    assert alternates == {
        "ar": f"http://testserver/ar/hearings/{query}",
        "zh-Hans": f"http://testserver/zh-hans/hearings/{query}",
        "fr": f"http://testserver/fr/hearings/{query}",
        "en": f"http://testserver/hearings/{query}",
        "x-default": f"http://testserver/hearings/{query}",
        "ru": f"http://testserver/ru/hearings/{query}",
        "es": f"http://testserver/es/hearings/{query}",
    }
    assert f'<link rel="canonical" href="http://testserver/fr/hearings/{query.replace("&", "&amp;")}">' in html
    switcher = html[html.index('class="language-switcher"') : html.index("</nav>", html.index("language-switcher"))]
    assert [(unescape(href), lang) for href, lang in re.findall(r'<a href="([^"]+)" lang="([^"]+)"', switcher)] == [
        (f"/ar/hearings/{query}", "ar"),
        (f"/zh-hans/hearings/{query}", "zh-hans"),
        (f"/hearings/{query}", "en"),
        (f"/fr/hearings/{query}", "fr"),
        (f"/ru/hearings/{query}", "ru"),
        (f"/es/hearings/{query}", "es"),
    ]
    assert 'lang="fr" hreflang="fr" dir="ltr" aria-current="true">français</a>' in switcher
    assert 'lang="ar" hreflang="ar" dir="rtl">العربيّة</a>' in switcher


def test_the_sitemap_lists_every_language_version(seeded):
    xml = Client().get("/sitemap.xml").content.decode()
    hearing = "/hearings/gcm-third-hearing-2017-12-18/"
    for language in OTHERS:
        assert f"<loc>http://testserver/{language}{hearing}</loc>" in xml
    assert f'hreflang="x-default" href="http://testserver{hearing}"' in xml


def test_dates_are_written_the_way_each_language_writes_them(seeded):
    page = "/hearings/gcm-third-hearing-2017-12-18/"
    expected = {
        "en": "18 December 2017",
        "fr": "18 décembre 2017",
        "es": "18 de diciembre de 2017",
        "ru": "18 декабря 2017 г.",  # noqa: RUF001 (the Russian abbreviation of "year")
        "zh-hans": "2017年12月18日",
    }
    for language, date in expected.items():
        assert date in Client().get(localized(page, language)).content.decode(), language


def test_each_language_is_cached_apart(seeded):
    english = Client().get("/hearings/").content.decode()
    french = Client().get("/fr/hearings/").content.decode()
    assert english != french
    assert '<html lang="en"' in Client().get("/hearings/").content.decode()


def test_open_data_follows_lang_or_accept_language(seeded):
    feed = Client().get("/hearings/feed/", {"lang": "fr"})
    assert feed["Content-Language"] == "fr"
    assert catalog("fr")["Hearings records: published hearings"] in feed.content.decode()
    by_header = Client().get("/hearings/feed/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert by_header["Content-Language"] == "es"
    assert "Accept-Language" in by_header["Vary"]
    refused = Client().get("/hearings.csv", {"year": "x", "lang": "ru"})
    assert refused.status_code == 400
    assert refused.content.decode().startswith(catalog("ru")["Bad filter values"])
    unknown = Client().get("/api/hearings/", {"lang": "tlh"})
    assert (unknown.status_code, unknown["Content-Type"]) == (400, "application/json")
    assert "lang" in unknown.json()
    assert Client().get("/api/hearings/", HTTP_ACCEPT_LANGUAGE="tlh")["Content-Language"] == "en"
    missing = Client().get("/api/hearings/no-such-hearing/", HTTP_ACCEPT_LANGUAGE="fr")
    assert (missing.status_code, missing["Content-Language"]) == (404, "fr")
    assert missing.json()["detail"] != "Not found." and "Hearing" not in missing.json()["detail"]
    chinese = Client().get("/api/hearings/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert chinese["Content-Language"] == "zh-hans"


def test_the_admin_speaks_the_editors_language(editor_client):
    page = editor_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in page
    assert catalog("fr")["Hearings records"] in page


def _po(*entries):
    catalog = polib.POFile()
    for msgid, msgstr, flags in entries:
        catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=list(flags)))
    return catalog


def test_the_catalog_check_names_missing_unused_untranslated_and_fuzzy_strings(tmp_path):
    from hearings.management.commands.check_catalogs import Command

    committed = _po(
        ("Hearings", "Auditions", ()),
        ("People", "", ()),
        ("Old text", "Ancien", ()),
        ("Draft", "Brouillon", ("fuzzy",)),
    )
    fresh = _po(("Hearings", "", ()), ("People", "", ()), ("Draft", "", ()), ("Statistics", "", ()))
    problems = Command()._compare("fr", committed, fresh)
    assert problems == [
        "fr: not in the catalog (run make messages): 'Statistics'",
        "fr: no longer used by the code (run make messages): 'Old text'",
        "fr: untranslated: 'People'",
        "fr: fuzzy: 'Draft'",
    ]
    # A compiled catalog that says something else than its .po is refused; the real ones match theirs.
    mo = tmp_path / "django.mo"
    _po(("Hearings", "Audiences", ())).save_as_mofile(str(mo))
    assert Command()._compiled("fr", _po(("Hearings", "Auditions", ())), mo) != []
    for language in OTHERS:
        folder = {"zh-hans": "zh_Hans"}.get(language, language)
        po_path = LOCALE / folder / "LC_MESSAGES" / "django.po"
        assert Command()._compiled(language, polib.pofile(str(po_path)), po_path.with_suffix(".mo")) == []


def test_an_unknown_api_address_is_a_json_404_in_the_readers_language(db):
    response = Client().get("/api/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="es")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert response.json() == {"detail": catalog("es")["Not found."]}
    assert Client().get("/no-such-page/").status_code == 404
    assert "text/html" in Client().get("/no-such-page/")["Content-Type"]


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("en;q=0.1, ar", "ar"),
        ("es;q=0, ru", "ru"),  # a weight of 0 means "not this one"
        ("de, zh-Hans;q=0.5", "zh-hans"),
        ("x;q=abc, es", "es"),
        ("*", "en"),
        ("fr;" + "q=0.5," * 400, "en"),  # longer than any browser sends
    ],
)
def test_the_accept_language_header_is_read_by_its_weights(db, header, language):
    response = Client().get("/api/hearings/", headers={"accept-language": header})
    assert response.status_code == 200
    assert response["Content-Language"] == language
