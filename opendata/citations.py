"""How to cite a hearing: a formatted reference, BibTeX and RIS, from the hearing's public record.

A hearing is cited as the General Assembly's event, convened by whoever the
record names, at its permanent address on this site.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from hearings.models import Hearing
from hearings.pagecache.pages import public_page

AUTHOR = "United Nations General Assembly"


def _place(hearing):
    return hearing.venue.city if hearing.venue and hearing.venue.city else ""


def reference(hearing, url):
    """The reference as a reader would copy it (Chicago-like): author, “title”, process, place and date, address."""
    parts = [f"{AUTHOR}.", f"“{hearing.title}.”", f"{hearing.process.name}."]
    when = f"{hearing.date.day} {hearing.date.strftime('%B %Y')}"
    parts.append(f"{_place(hearing)}, {when}." if _place(hearing) else f"{when}.")
    parts.append(url)
    return " ".join(parts)


# LaTeX's text-mode commands for the characters BibTeX or LaTeX would read as markup. Braces become commands
# rather than `\{`: BibTeX counts every brace, escaped or not, so a lone `\}` ends the field early.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "%": r"\%", "&": r"\&",
    "$": r"\$", "#": r"\#", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}  # fmt: skip


def _bibtex(text):
    """Text as BibTeX reads it literally: its special characters escaped, so no title can break the entry."""
    return "".join(_BIBTEX_ESCAPES.get(character, character) for character in text or "")


# BibTeX's month macros, which styles print as the month's name in their own language ("July").
BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex(hearing, url):
    """The BibTeX entry (`@misc`) of the hearing.

    The title (like the author, a name) in braces of its own, so that styles keep its capitals ("NGOs"); the
    month as BibTeX's bare macro (`jul`, not `{jul}`, which styles print as it stands).
    """
    fields = [
        ("author", "{{" + _bibtex(AUTHOR) + "}}"),
        ("title", "{{" + _bibtex(hearing.title) + "}}"),
        ("howpublished", _braced(hearing.process.name)),
        ("address", _braced(_place(hearing))),
        ("year", _braced(str(hearing.date.year))),
        ("month", BIBTEX_MONTHS[hearing.date.month - 1]),
        ("day", _braced(str(hearing.date.day))),
        ("note", _braced(hearing.convener)),
        ("url", "{" + url + "}"),
    ]
    body = ",\n".join(f"  {name} = {value}" for name, value in fields if value)
    return f"@misc{{{hearing.slug},\n{body}\n}}\n"


def _braced(text):
    """`{text}` escaped, or "" (no field) for no text."""
    return "{" + _bibtex(text) + "}" if text else ""


def ris(hearing, url):
    """The RIS record of the hearing (type HEAR), one tag a line, as reference managers import it."""
    fields = [
        ("TY", "HEAR"),
        ("AU", AUTHOR),
        ("TI", hearing.title),
        ("T2", hearing.process.name),
        ("PY", hearing.date.year),
        ("DA", hearing.date.strftime("%Y/%m/%d")),
        ("CY", _place(hearing)),
        ("PB", hearing.convener),
        ("AB", hearing.summary),
        ("UR", url),
    ]
    lines = [f"{tag}  - {' '.join(str(value).split())}" for tag, value in fields if value]
    return "\r\n".join([*lines, "ER  - ", ""])


def _cited_hearing(request, slug):
    hearing = get_object_or_404(Hearing.objects.public().select_related("process", "venue"), slug=slug)
    return hearing, request.build_absolute_uri(hearing.get_absolute_url())


@require_safe
@public_page
def hearing_bibtex(request, slug):
    hearing, url = _cited_hearing(request, slug)
    response = HttpResponse(bibtex(hearing, url), content_type="application/x-bibtex; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{hearing.slug}.bib"'
    return response


@require_safe
@public_page
def hearing_ris(request, slug):
    hearing, url = _cited_hearing(request, slug)
    response = HttpResponse(ris(hearing, url), content_type="application/x-research-info-systems; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{hearing.slug}.ris"'
    return response
