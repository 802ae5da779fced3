"""A hearing as an OASIS Akoma Ntoso 3.0 `debateReport`: `/hearings/<slug>/akn.xml`.

FRBR identification of the work (the hearing), its expression in the answer's
language (`eng@`, `fra@`, …: the text in that language, English where it has
none) and this XML manifestation; the references (the people who spoke, their organizations
and roles, the General Assembly); in the report's `mainBody` (a `debateReport`
has no `debateBody`), one `debateSection` per segment with its heading, and in
it one `speech` per speaker, by the person, as the role, with what they said.
Written with the standard library; validated against the OASIS schema by the tests.
"""

import xml.etree.ElementTree as ET

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from hearings.models import Appearance
from hearings.pagecache.pages import public_page
from hearings.queries import selectors

NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
# The site's languages as Akoma Ntoso names an expression's language: ISO 639-2 (terminology) codes.
EXPRESSION_LANGUAGES = {"ar": "ara", "zh-hans": "zho", "en": "eng", "fr": "fra", "ru": "rus", "es": "spa"}
ET.register_namespace("", NAMESPACE)


def _tag(name):
    return f"{{{NAMESPACE}}}{name}"


def _add(parent, element_name, text=None, **attributes):
    element = ET.SubElement(
        parent, _tag(element_name), {key.rstrip("_"): str(value) for key, value in attributes.items()}
    )
    if text is not None:
        element.text = text
    return element


def _frbr(parent, element_name, this, uri, date, date_name, author, extra=()):
    element = _add(parent, element_name)
    _add(element, "FRBRthis", value=this)
    _add(element, "FRBRuri", value=uri)
    _add(element, "FRBRdate", date=date, name=date_name)
    _add(element, "FRBRauthor", href=author)
    for tag, attributes in extra:
        _add(element, tag, **attributes)
    return element


def debate_report(hearing, page_url):
    """The `akomaNtoso` element of a hearing prefetched as for its page."""
    work = f"/akn/un/debateReport/{hearing.date.isoformat()}/{hearing.slug}"
    language = EXPRESSION_LANGUAGES.get(translation.get_language(), "eng")
    expression = f"{work}/{language}@"
    today = timezone.localdate().isoformat()

    root = ET.Element(_tag("akomaNtoso"))
    report = _add(root, "debateReport", name="hearing")
    meta = _add(report, "meta")
    identification = _add(meta, "identification", source="#hearings-records")
    _frbr(identification, "FRBRWork", f"{work}/!main", work, hearing.date.isoformat(), "hearing", "#unga",
          [("FRBRcountry", {"value": "un"}), ("FRBRname", {"value": hearing.title})])  # fmt: skip
    _frbr(identification, "FRBRExpression", f"{expression}/!main", expression, hearing.updated.date().isoformat(),
          "version", "#hearings-records", [("FRBRlanguage", {"language": language})])  # fmt: skip
    _frbr(identification, "FRBRManifestation", f"{expression}/!main.xml", f"{expression}/.akn", today,
          "generation", "#hearings-records")  # fmt: skip

    references = _add(meta, "references", source="#hearings-records")
    _add(references, "TLCOrganization", eId="hearings-records", href=page_url, showAs="Hearings records")
    _add(references, "TLCOrganization", eId="unga", href="/ontology/organization/un/generalAssembly",
         showAs="United Nations General Assembly")  # fmt: skip
    appearances = [appearance for segment in hearing.segments.all() for appearance in segment.appearances.all()]
    people, organizations, roles = {}, {}, {}
    for appearance in appearances:
        people.setdefault(appearance.person.slug, appearance.person.name)
        if appearance.organization is not None:
            organizations.setdefault(appearance.organization.slug, appearance.organization.name)
        roles.setdefault(appearance.role, Appearance.Role(appearance.role).label)
    for slug, name in people.items():
        _add(references, "TLCPerson", eId=f"person-{slug}", href=f"/ontology/person/{slug}", showAs=name)
    for slug, name in organizations.items():
        _add(references, "TLCOrganization", eId=f"organization-{slug}", href=f"/ontology/organization/{slug}",
             showAs=name)  # fmt: skip
    for role, label in roles.items():
        _add(references, "TLCRole", eId=f"role-{role}", href=f"/ontology/role/{role}", showAs=str(label))

    preface = _add(report, "preface")
    title = _add(preface, "p", class_="title")
    _add(title, "docTitle", hearing.title)
    date = _add(preface, "p")
    _add(date, "docDate", hearing.date.isoformat(), date=hearing.date.isoformat())
    process = _add(preface, "p")
    _add(process, "docProponent", hearing.process.name)

    body = _add(report, "mainBody")
    if not hearing.segments.all():
        # The record has no segments yet: the body holds the hearing's summary, which the schema wants non-empty.
        content = _add(_add(body, "hcontainer", eId="summary", name="summary"), "content")
        _add(content, "p", " ".join(hearing.summary.split()))
    for number, segment in enumerate(hearing.segments.all(), start=1):
        section = _add(body, "debateSection", eId=f"dbsect_{number}", name=slugify(segment.kind) or "segment")
        _add(section, "heading", str(segment))
        if segment.theme:
            _add(section, "subheading", segment.theme)
        for appearance in segment.appearances.all():
            speech = _add(section, "speech", by=f"#person-{appearance.person.slug}", as_=f"#role-{appearance.role}")
            speaker = ", ".join(
                part
                for part in (appearance.person.name, appearance.position_title,
                             appearance.organization.name if appearance.organization else "")
                if part
            )  # fmt: skip
            _add(speech, "from", speaker)
            for paragraph in (appearance.summary or "").split("\n\n"):
                _add(speech, "p", paragraph.strip())
        if segment.summary:
            # A narrative is one run of text: the summary's paragraphs, one after the other.
            _add(section, "narrative", " ".join(segment.summary.split()))
    return root


@require_safe
@public_page
def hearing_akn(request, slug):
    """One published hearing in Akoma Ntoso 3.0."""
    hearing = get_object_or_404(selectors.hearings_for_detail(), slug=slug)
    root = debate_report(hearing, request.build_absolute_uri(hearing.get_absolute_url()))
    content = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(content, content_type="application/akn+xml; charset=utf-8")
