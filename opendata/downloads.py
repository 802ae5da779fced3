"""CSV downloads of any filtered list, from the same FilterSets and public querysets as the pages.

UTF-8 with a byte-order mark, so that spreadsheet programs read accents right;
one header row of stable column names (listed in the README); streamed, a
chunk of rows at a time, so memory stays flat whatever the size.

A column of the records' translated text (`title`) holds it in the answer's
language, or in English where that language has none; after the other columns
come that text's columns in every language, English first (`title_en`,
`title_ar`, `title_zh_hans`, `title_fr`, `title_ru`, `title_es`), empty where a
language has no text.

No cell starts a formula: a text cell that begins with `=`, `+`, `-`, `@`, a tab
or a carriage return (`=HYPERLINK(…)`, `=cmd|…`), which a spreadsheet program
would run on opening, is given a leading apostrophe, as OWASP recommends
("CSV Injection"). Only the CSV files: the API gives the text as it is.
"""

import csv

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from hearings import statistics
from hearings.caching import current_version, public_page
from hearings.filters import AppearanceFilter, HearingFilter, OrganizationFilter, PersonFilter
from hearings.models import Appearance
from hearings.translated import every_language, languages
from opendata.multilingual import csv_columns, joined, shown, shown_joined, texts

CHUNK = 2000


class _Echo:
    """A file whose `write` returns what it was given, so csv.writer yields lines to stream."""

    def write(self, value):
        return value


# What makes a spreadsheet cell a formula (or a DDE command), after OWASP's "CSV Injection".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """`value` as a spreadsheet reads it as text: a leading apostrophe before a formula's first character."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def refused(filterset):
    """A plain-text 400 that says which filter was refused and why."""
    lines = [f"{name}: {' '.join(errors)}" for name, errors in filterset.form.errors.items()]
    heading = gettext("Bad filter values")
    return HttpResponse(heading + "\n" + "\n".join(lines) + "\n", status=400, content_type="text/plain")


def _file_name(name, filterset):
    """`hearings.csv`, or `hearings_stakeholder_group-trade-unions_year-2017.csv` for what was filtered."""
    parts = [name]
    for key, value in sorted(filterset.state().items()):
        values = value if isinstance(value, list) else [value]
        parts.append(slugify(f"{key}-{'-'.join(str(item) for item in values)}")[:60])
    return "_".join(parts)[:150] + ".csv"


def _csv_response(request, name, filterset, header, rows):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows(request):
            yield writer.writerow([spreadsheet_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(name, filterset)}"'
    return response


def _url(request, obj):
    return request.build_absolute_uri(obj.get_absolute_url())


HEARING_TRANSLATED = ["title", "process", "venue", "convener", "mandate"]
HEARING_COLUMNS = [
    "slug", "title", "process", "process_slug", "ordinal", "date", "start_time", "end_time", "venue",
    "convener", "mandate", "participating_groups", "segments", "appearances", "url",
    *csv_columns(HEARING_TRANSLATED),
]  # fmt: skip
VENUE_PARTS = ("name", "site", "city")  # as the venue's name reads: "Trusteeship Chamber, New York"


@require_safe
@public_page
def hearings_csv(request):
    """Published hearings, filtered like /hearings/, one row each."""
    filterset = HearingFilter(request.GET)
    if not filterset.is_valid():
        return refused(filterset)
    language = translation.get_language()
    no_venue = [""] * len(languages())

    def rows(request):
        counted = Appearance.objects.filter(segment__hearing=OuterRef("pk")).order_by().values("segment__hearing")
        hearings = (
            filterset.qs.select_related("process", "venue")
            .prefetch_related("participating_groups")
            .annotate(
                segment_total=Count("segments", distinct=True),
                appearance_total=Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")[:1]), 0),
            )
            .order_by("-date", "-ordinal", "-pk")
        )
        for hearing in hearings.iterator(chunk_size=CHUNK):
            venue = hearing.venue
            title, process, convener, mandate = (
                texts(hearing, "title"),
                texts(hearing.process, "name"),
                texts(hearing, "convener"),
                texts(hearing, "mandate"),
            )
            yield [
                hearing.slug,
                shown(title, language),
                shown(process, language),
                hearing.process.slug,
                hearing.ordinal or "",
                hearing.date.isoformat(),
                hearing.start_time.isoformat("minutes") if hearing.start_time else "",
                hearing.end_time.isoformat("minutes") if hearing.end_time else "",
                shown_joined(venue, VENUE_PARTS, language) if venue else "",
                shown(convener, language),
                shown(mandate, language),
                ";".join(group.slug for group in hearing.participating_groups.all()),
                hearing.segment_total,
                hearing.appearance_total,
                _url(request, hearing),
                *title,
                *process,
                *(joined(venue, VENUE_PARTS) if venue else no_venue),
                *convener,
                *mandate,
            ]

    return _csv_response(request, "hearings", filterset, HEARING_COLUMNS, rows)


PERSON_COLUMNS = ["slug", "name", "sort_name", "honorific_prefix", "other_names", "appearances", "url"]


@require_safe
@public_page
def people_csv(request):
    """People who spoke at published hearings, filtered like /people/, one row each."""
    filterset = PersonFilter(request.GET)
    if not filterset.is_valid():
        return refused(filterset)

    def rows(request):
        counted = Appearance.objects.public().filter(person=OuterRef("pk")).order_by().values("person")
        people = filterset.qs.annotate(
            appearance_total=Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")[:1]), 0)
        ).order_by("sort_name", "name", "pk")
        for person in people.iterator(chunk_size=CHUNK):
            yield [
                person.slug,
                person.name,
                person.sort_name,
                person.honorific_prefix,
                ";".join(person.other_names_list),
                person.appearance_total,
                _url(request, person),
            ]

    return _csv_response(request, "people", filterset, PERSON_COLUMNS, rows)


ORGANIZATION_TRANSLATED = ["name", "short_name", "stakeholder_group"]
ORGANIZATION_COLUMNS = [
    "slug", "name", "short_name", "stakeholder_group", "stakeholder_group_slug", "country", "website", "url",
    *csv_columns(ORGANIZATION_TRANSLATED),
]  # fmt: skip


@require_safe
@public_page
def organizations_csv(request):
    """Organizations someone spoke for at published hearings, filtered like /organizations/, one row each."""
    filterset = OrganizationFilter(request.GET)
    if not filterset.is_valid():
        return refused(filterset)
    language = translation.get_language()

    def rows(request):
        organizations = filterset.qs.select_related("stakeholder_group").order_by("name", "pk")
        for organization in organizations.iterator(chunk_size=CHUNK):
            name, short_name, group = (
                texts(organization, "name"),
                texts(organization, "short_name"),
                texts(organization.stakeholder_group, "name"),
            )
            yield [
                organization.slug,
                shown(name, language),
                shown(short_name, language),
                shown(group, language),
                organization.stakeholder_group.slug,
                organization.country,
                organization.website,
                _url(request, organization),
                *name,
                *short_name,
                *group,
            ]

    return _csv_response(request, "organizations", filterset, ORGANIZATION_COLUMNS, rows)


APPEARANCE_FIELDS = [
    "segment__hearing__slug", "segment__hearing__title", "segment__hearing__date", "segment__hearing__process__slug",
    "segment__position", "segment__kind", "segment__title", "position", "person__slug", "person__name", "role",
    "position_title", "organization__slug", "organization__name", "organization__stakeholder_group__slug",
    "organization__stakeholder_group__name",
]  # fmt: skip
APPEARANCE_TRANSLATED = ["hearing_title", "segment_title", "position", "organization_name", "stakeholder_group"]
APPEARANCE_COLUMNS = [
    "hearing_slug", "hearing_title", "date", "process_slug", "segment_position", "segment_kind", "segment_title",
    "speaking_order", "person_slug", "person_name", "role", "position", "organization_slug", "organization_name",
    "stakeholder_group_slug", "stakeholder_group", "hearing_url", *csv_columns(APPEARANCE_TRANSLATED),
]  # fmt: skip


def _in_every_language(model, paths):
    """`paths` with each translated one in every language's column, and each path's place in a row of them."""
    expanded, places = [], []
    for path in paths:
        columns = every_language(model, [path])
        places.append((slice(len(expanded), len(expanded) + len(columns)), len(columns) > 1))
        expanded.extend(columns)
    return expanded, places


@require_safe
@public_page
def appearances_csv(request):
    """One row per person per segment of the published hearings: who spoke where, for whom, in which role."""
    filterset = AppearanceFilter(request.GET)
    if not filterset.is_valid():
        return refused(filterset)
    language = translation.get_language()
    paths, places = _in_every_language(Appearance, APPEARANCE_FIELDS)

    def rows(request):
        appearances = filterset.qs.order_by(
            "-segment__hearing__date", "segment__hearing__pk", "segment__position", "position", "pk"
        ).values_list(*paths)
        last_slug, hearing_url = None, ""
        for row in appearances.iterator(chunk_size=CHUNK):
            if row[0] != last_slug:
                last_slug = row[0]
                hearing_url = request.build_absolute_uri(reverse("hearings:hearing_detail", kwargs={"slug": last_slug}))
            cells, every_text = [], []
            for place, translated in places:
                values = ["" if value is None else value for value in row[place]]
                if translated:
                    cells.append(shown(values, language))
                    every_text.extend(values)
                else:
                    cells.extend(values)
            cells[2] = cells[2].isoformat()
            yield [*cells, hearing_url, *every_text]

    return _csv_response(request, "appearances", filterset, APPEARANCE_COLUMNS, rows)


STATISTICS_COLUMNS = ["section", "key", "label", "parent", "series", "series_label", "measure", "value"]


@require_safe
@public_page
def statistics_csv(request):
    """The numbers of /statistics/ for the same filters, one number per row (a long table any tool can pivot).

    Sections: totals, groups (subgroups included in their parent), years, roles, processes, organizations.
    """
    filterset = HearingFilter(request.GET)
    if not filterset.is_valid():
        return refused(filterset)
    numbers = statistics.participation(filterset, version=current_version())

    def rows(request):
        for measure, value in numbers["totals"].items():
            yield ["totals", "", "", "", "", "", measure, value]
        for row in numbers["groups"]:
            label = statistics.group_label(row["name"])
            for measure in ("appearances", "speakers", "share"):
                yield ["groups", row["slug"], label, row["parent"] or "", "", "", measure, row[measure]]
        series_names = {row["slug"]: statistics.group_label(row["name"]) for row in numbers["series"]}
        for row in numbers["years"]:
            yield ["years", row["year"], row["year"], "", "", "", "appearances", row["appearances"]]
            yield ["years", row["year"], row["year"], "", "", "", "speakers", row["speakers"]]
            for key, values in row["series"].items():
                for measure, value in values.items():
                    yield ["years", row["year"], row["year"], "", key, series_names.get(key, ""), measure, value]
        for row in numbers["roles"]:
            label = statistics.role_label(row["role"])
            yield ["roles", row["role"], label, "", "", "", "appearances", row["appearances"]]
            for key, values in row["series"].items():
                yield [
                    "roles",
                    row["role"],
                    label,
                    "",
                    key,
                    series_names.get(key, ""),
                    "appearances",
                    values["appearances"],
                ]
        for row in numbers["processes"]:
            yield ["processes", row["slug"], row["name"], "", "", "", "hearings", row["hearings"]]
        for row in numbers["organizations"]:
            for measure in ("appearances", "speakers"):
                group = (row["group"], row["group_name"])
                yield ["organizations", row["slug"], row["name"], "", *group, measure, row[measure]]

    return _csv_response(request, "statistics", filterset, STATISTICS_COLUMNS, rows)
