"""CSV downloads of any filtered list, from the same FilterSets and public querysets as the pages.

UTF-8 with a byte-order mark, so that spreadsheet programs read accents right;
one header row of stable column names (listed in the README), which are the
read API's fields (`opendata.columns`); streamed, a chunk of rows at a time,
so memory stays flat whatever the size.

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

from hearings.models import Appearance
from hearings.pagecache.pages import counts_version, public_page
from hearings.queries import statistics
from hearings.web.filters import AppearanceFilter, HearingFilter, OrganizationFilter, PersonFilter
from opendata.api import serializers
from opendata.columns import CsvOnly, Joined, columns_of, header, record_row, value_paths, values_row

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


# Each download's columns: its serializer's fields (`opendata.columns`), but where it says otherwise.
HEARING_COLUMNS = columns_of(
    serializers.HearingSerializer,
    {
        "process": [CsvOnly("process", "process.name"), ("process_slug", "process")],
        "venue": [Joined("venue", "venue", ("name", "site", "city"))],  # as the venue's name reads
        "participating_groups": [
            "participating_groups",
            CsvOnly("segments", "segment_total"),
            CsvOnly("appearances", "appearance_total"),
        ],
    },
)


@require_safe
@public_page
def hearings_csv(request):
    """Published hearings, filtered like /hearings/, one row each."""
    filterset = HearingFilter(request.GET)
    if not filterset.is_valid():
        return refused(filterset)
    language = translation.get_language()

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
            yield record_row(HEARING_COLUMNS, hearing, language, request)

    return _csv_response(request, "hearings", filterset, header(HEARING_COLUMNS), rows)


PERSON_COLUMNS = columns_of(
    serializers.PersonSerializer,
    {"other_names": ["other_names", CsvOnly("appearances", "appearance_total")], "biography": []},
)


@require_safe
@public_page
def people_csv(request):
    """People who spoke at published hearings, filtered like /people/, one row each."""
    filterset = PersonFilter(request.GET)
    if not filterset.is_valid():
        return refused(filterset)
    language = translation.get_language()

    def rows(request):
        counted = Appearance.objects.public().filter(person=OuterRef("pk")).order_by().values("person")
        people = filterset.qs.annotate(
            appearance_total=Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")[:1]), 0)
        ).order_by("sort_name", "name", "pk")
        for person in people.iterator(chunk_size=CHUNK):
            yield record_row(PERSON_COLUMNS, person, language, request)

    return _csv_response(request, "people", filterset, header(PERSON_COLUMNS), rows)


ORGANIZATION_COLUMNS = columns_of(
    serializers.OrganizationSerializer,
    {
        "stakeholder_group": [
            ("stakeholder_group", "stakeholder_group.name"),
            ("stakeholder_group_slug", "stakeholder_group.slug"),
        ],
    },
)


@require_safe
@public_page
def organizations_csv(request):
    """Organizations someone spoke for at published hearings, filtered like /organizations/, one row each."""
    filterset = OrganizationFilter(request.GET)
    if not filterset.is_valid():
        return refused(filterset)
    language = translation.get_language()

    def rows(request):
        organizations = filterset.qs.select_related("stakeholder_group").order_by("name_en", "pk")
        for organization in organizations.iterator(chunk_size=CHUNK):
            yield record_row(ORGANIZATION_COLUMNS, organization, language, request)

    return _csv_response(request, "organizations", filterset, header(ORGANIZATION_COLUMNS), rows)


# The appearance's own fields (`AppearanceFieldsSerializer`) come after its hearing's and segment's; a field added
# there is a column here, of its own name. `hearing_url` is the hearing's page (the API's is its API address).
APPEARANCE_COLUMNS = columns_of(
    serializers.AppearanceSerializer,
    {
        "hearing": [("hearing_slug", "hearing"), CsvOnly("hearing_title", "segment.hearing.title")],
        "hearing_url": [],
        "process": [("process_slug", "process")],
        "segment_order": [("segment_position", "segment_order")],
        "order": [("speaking_order", "order")],
        "person": [("person_slug", "person.slug"), ("person_name", "person.name")],
        "organization": [
            ("organization_slug", "organization.slug"),
            ("organization_name", "organization.name"),
            ("stakeholder_group_slug", "organization.stakeholder_group.slug"),
            ("stakeholder_group", "organization.stakeholder_group.name"),
        ],
    },
)
APPEARANCE_HEADER = [
    *[column.name for column in APPEARANCE_COLUMNS],
    "hearing_url",
    *header(APPEARANCE_COLUMNS)[len(APPEARANCE_COLUMNS) :],
]
APPEARANCE_PATHS, APPEARANCE_PLACES = value_paths(Appearance, APPEARANCE_COLUMNS)
# Where a row has the hearing's slug, for its page's address.
HEARING_SLUG_AT = APPEARANCE_PATHS.index(
    next(column.path for column in APPEARANCE_COLUMNS if column.name == "hearing_slug")
)


@require_safe
@public_page
def appearances_csv(request):
    """One row per person per segment of the published hearings: who spoke where, for whom, in which role."""
    filterset = AppearanceFilter(request.GET)
    if not filterset.is_valid():
        return refused(filterset)
    language = translation.get_language()

    def rows(request):
        appearances = filterset.qs.order_by(
            "-segment__hearing__date", "segment__hearing__pk", "segment__position", "position", "pk"
        ).values_list(*APPEARANCE_PATHS)
        last_slug, hearing_url = None, ""
        for row in appearances.iterator(chunk_size=CHUNK):
            if row[HEARING_SLUG_AT] != last_slug:
                last_slug = row[HEARING_SLUG_AT]
                hearing_url = request.build_absolute_uri(reverse("hearings:hearing_detail", kwargs={"slug": last_slug}))
            cells, every_text = values_row(APPEARANCE_PLACES, row, language)
            yield [*cells, hearing_url, *every_text]

    return _csv_response(request, "appearances", filterset, APPEARANCE_HEADER, rows)


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
    numbers = statistics.participation(filterset, version=counts_version(searched=filterset.searches_text()))

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
