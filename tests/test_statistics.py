"""Participation statistics: every number on the page, in the CSV, in the API and in the charts' labels agrees
with records built with known totals; drafts never count; a fixed number of queries; bad filters are a 400."""

import csv
import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hearings.models import Appearance, Hearing
from tests.factories import (
    AppearanceFactory,
    HearingFactory,
    OrganizationFactory,
    PersonFactory,
    ProcessFactory,
    SegmentFactory,
    StakeholderGroupFactory,
)

STATISTICS = reverse("hearings:statistics")
CSV = reverse("opendata:statistics_csv")
API = reverse("api:statistics-list")


@pytest.fixture
def known(db):
    """Two published hearings and a draft, with these totals (the draft's speakers must count nowhere):

    2017, process A: segment 1: Ana (panelist, union), Ben (moderator, NGO); segment 2: Ana again (panelist,
    union), Cleo (speaker, no organization). 2018, process B: Dan (panelist, State), Ben (panelist, NGO).
    """
    civil = StakeholderGroupFactory(name="Civil society", slug="civil-society", position=1)
    unions = StakeholderGroupFactory(name="Trade unions", slug="trade-unions", parent=civil, position=1)
    ngos = StakeholderGroupFactory(name="NGOs", slug="ngos", parent=civil, position=2)
    states = StakeholderGroupFactory(name="Member States", slug="member-states", position=2)
    StakeholderGroupFactory(name="Academia", slug="academia", position=3)  # nobody speaks for it
    union = OrganizationFactory(name="Building Workers", slug="building-workers", stakeholder_group=unions)
    ngo = OrganizationFactory(name="Migrants Forum", slug="migrants-forum", stakeholder_group=ngos)
    state = OrganizationFactory(name="Mission of Mexico", slug="mission-of-mexico", stakeholder_group=states)
    ana, ben, cleo, dan = (PersonFactory(name=name) for name in ("Ana Alpha", "Ben Beta", "Cleo Gamma", "Dan Delta"))
    process_a = ProcessFactory(name="Process A", slug="process-a")
    process_b = ProcessFactory(name="Process B", slug="process-b")

    first = HearingFactory(process=process_a, date=datetime.date(2017, 12, 18), title="First", slug="first")
    one, two = SegmentFactory(hearing=first, position=1), SegmentFactory(hearing=first, position=2)
    AppearanceFactory(segment=one, person=ana, organization=union, role="panelist", position=1)
    AppearanceFactory(segment=one, person=ben, organization=ngo, role="moderator", position=2)
    AppearanceFactory(segment=two, person=ana, organization=union, role="panelist", position=1)
    AppearanceFactory(segment=two, person=cleo, organization=None, role="speaker", position=2)
    second = HearingFactory(process=process_b, date=datetime.date(2018, 2, 20), title="Second", slug="second")
    three = SegmentFactory(hearing=second, position=1)
    AppearanceFactory(segment=three, person=dan, organization=state, role="panelist", position=1)
    AppearanceFactory(segment=three, person=ben, organization=ngo, role="panelist", position=2)

    draft = HearingFactory(
        process=process_a, date=datetime.date(2018, 5, 1), title="Draft", slug="draft", status=Hearing.Status.DRAFT
    )
    secret = SegmentFactory(hearing=draft, position=1)
    for person, organization in ((ana, union), (dan, state), (PersonFactory(name="Eve Secret"), None)):
        AppearanceFactory(segment=secret, person=person, organization=organization, role="chair")
    return {"first": first, "second": second}


class _Tables(HTMLParser):
    """Each <table>'s caption and its rows as lists of cell texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.cell, self.row, self.in_caption = [], None, None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1]["rows"].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.in_caption:
            self.tables[-1]["caption"] += data
        elif self.cell is not None:
            self.cell += data


def tables(html):
    parser = _Tables()
    parser.feed(html)
    return {" ".join(table["caption"].split()): table["rows"][1:] for table in parser.tables}


def chart_labels(html, chart_id):
    svg = html[html.index(f'aria-labelledby="{chart_id}-title') :]
    svg = svg[: svg.index("</svg>")]
    return [text.strip() for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_every_number_on_the_page_agrees_with_the_records(known):
    response = Client().get(STATISTICS)
    assert response.status_code == 200
    html = response.content.decode()
    found = tables(html)

    assert re.findall(r"<dt>([^<]+)</dt><dd>(?:<a[^>]*>)?(\d+)", html) == [
        ("Hearings", "2"),
        ("Segments", "3"),
        ("Appearances", "6"),
        ("People", "4"),
        ("Organizations", "3"),
    ]
    assert found["Appearances and speakers by stakeholder group (subgroups included in their parent)"] == [
        ["Civil society", "4", "66.7 %", "2"],
        ["Trade unions", "2", "33.3 %", "1"],
        ["NGOs", "2", "33.3 %", "1"],
        ["Member States", "1", "16.7 %", "1"],
        ["No organization given", "1", "16.7 %", "1"],
    ]
    assert found["Appearances and speakers by year, and appearances by stakeholder group"] == [
        ["2017", "4", "3", "3", "0", "1"],
        ["2018", "2", "2", "1", "1", "0"],
    ]
    assert found["Appearances by role and stakeholder group"] == [
        ["Speaker", "1", "0", "0", "1"],
        ["Moderator", "1", "1", "0", "0"],
        ["Panelist", "4", "3", "1", "0"],
    ]
    assert found["Hearings by process"] == [["Process A", "1"], ["Process B", "1"]]
    assert found["Organizations by appearances, at most ten"] == [
        ["Building Workers", "Trade unions", "2", "1"],
        ["Migrants Forum", "NGOs", "2", "1"],
        ["Mission of Mexico", "Member States", "1", "1"],
    ]
    # The charts' labels: each group with its number, subgroups under their parent.
    assert chart_labels(html, "chart-groups") == [
        "Civil society", "4", "Trade unions", "2", "NGOs", "2", "Member States", "1", "No organization given", "1",
    ]  # fmt: skip
    years = chart_labels(html, "chart-years")
    assert years[:3] == ["Civil society", "Member States", "No organization given"]  # the legend
    assert years[3:] == ["2017", "4", "2018", "2"]
    assert "Eve Secret" not in html and "Academia" not in html.split("<h1>")[1].split("</form>")[1]


def test_the_csv_has_the_same_numbers(known):
    response = Client().get(CSV, {"year": "2017"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="statistics_year-2017.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    values = {(row["section"], row["key"], row["series"], row["measure"]): row["value"] for row in rows}
    assert values[("totals", "", "", "hearings")] == "1"
    assert values[("totals", "", "", "appearances")] == "4"
    assert values[("totals", "", "", "people")] == "3"
    assert values[("groups", "civil-society", "", "appearances")] == "3"
    assert values[("groups", "civil-society", "", "speakers")] == "2"
    assert values[("groups", "no-organization", "", "appearances")] == "1"
    assert values[("groups", "trade-unions", "", "appearances")] == "2"
    assert next(row for row in rows if row["key"] == "trade-unions")["parent"] == "civil-society"
    assert values[("years", "2017", "civil-society", "speakers")] == "2"
    assert values[("roles", "panelist", "civil-society", "appearances")] == "2"
    assert values[("organizations", "building-workers", "trade-unions", "appearances")] == "2"
    assert not any(row["key"] == "member-states" for row in rows)  # it spoke only in 2018


def test_the_api_has_the_same_numbers(known):
    data = Client().get(API).json()
    assert data["totals"] == {"hearings": 2, "segments": 3, "appearances": 6, "people": 4, "organizations": 3}
    by_slug = {row["slug"]: row for row in data["groups"]}
    assert (by_slug["civil-society"]["appearances"], by_slug["civil-society"]["speakers"]) == (4, 2)
    assert by_slug["no-organization"] == {
        "slug": "no-organization",
        "name": None,
        "parent": None,
        "depth": 0,
        "appearances": 1,
        "speakers": 1,
        "share": 16.7,
    }
    assert [row["year"] for row in data["years"]] == [2017, 2018]
    assert data["years"][0]["series"]["civil-society"] == {"appearances": 3, "speakers": 2}


@pytest.mark.parametrize(
    "query",
    [{"stakeholder_group": "no-such-group"}, {"year": "20x7"}, {"date_after": "2017-13-45"}, {"process": "nope"}],
)
def test_bad_filter_values_are_a_400_everywhere(known, query):
    page = Client().get(STATISTICS, query)
    assert page.status_code == 400
    assert "These filters cannot be applied" in page.content.decode()
    refused = Client().get(CSV, query)
    assert (refused.status_code, refused["Content-Type"]) == (400, "text/plain")
    api = Client().get(API, query)
    assert api.status_code == 400 and api["Content-Type"] == "application/json"


def test_filters_select_the_hearings_counted(known):
    data = Client().get(API, {"stakeholder_group": "member-states"}).json()
    assert data["totals"]["hearings"] == 1
    assert data["totals"]["appearances"] == 2  # every speaker of that hearing, not only the State
    data = Client().get(API, {"q": "Cleo Gamma"}).json()
    assert data["totals"] == {"hearings": 1, "segments": 2, "appearances": 4, "people": 3, "organizations": 2}


def _statistics_queries():
    Client().get(reverse("hearings:home"))  # the data version exists
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(STATISTICS)
    count = len(queries)
    assert response.status_code == 200
    return count


def test_the_page_runs_the_same_number_of_queries_for_1_and_30_hearings(db):
    group = StakeholderGroupFactory(name="Civil society")
    child = StakeholderGroupFactory(name="Trade unions", parent=group)

    def add_hearing():
        segment = SegmentFactory(hearing=HearingFactory())
        for _ in range(3):
            AppearanceFactory(segment=segment, organization=OrganizationFactory(stakeholder_group=child))
        AppearanceFactory(segment=segment, organization=None)

    add_hearing()
    one = _statistics_queries()
    for _ in range(29):
        add_hearing()
    thirty = _statistics_queries()
    assert one == thirty
    assert one <= 20, one


def _counting(url):
    """The page, and whether answering it read the appearances (counted them), whatever else the database
    is asked (on PostgreSQL, a page made again also sets its statement timeout)."""
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200
    counted = any(Appearance._meta.db_table in query["sql"] for query in queries.captured_queries)
    return counted, response.content.decode()


def test_the_numbers_are_kept_until_what_they_count_changes(known, django_capture_on_commit_callbacks):
    assert _counting(STATISTICS)[0]  # nothing kept yet
    assert not _counting(STATISTICS)[0]

    # A corrected title: a new page, from the numbers as they were kept (nothing counts a title).
    second = Hearing.objects.get(slug="second")
    with django_capture_on_commit_callbacks(execute=True):  # the edit commits, as it would in the admin or a shell
        second.title_en = "Second, corrected"
        second.save()
    counted, before = _counting(STATISTICS)
    assert not counted

    # Another year: counted again, and the years table shows it.
    with django_capture_on_commit_callbacks(execute=True):
        second.date = datetime.date(2019, 2, 20)
        second.save()
    counted, after = _counting(STATISTICS)
    assert counted
    assert "2018" in before and "2019" not in before
    assert "2019" in after


def test_a_searched_selection_is_counted_again_when_a_text_changes(known, django_capture_on_commit_callbacks):
    url = STATISTICS + "?q=corrected"
    assert "No hearing matches these filters." in Client().get(url).content.decode()

    second = Hearing.objects.get(slug="second")
    with django_capture_on_commit_callbacks(execute=True):
        second.title_en = "Second, corrected"
        second.save()

    assert "No hearing matches these filters." not in Client().get(url).content.decode()


def test_each_hearing_page_breaks_its_speakers_down_by_group(known):
    html = Client().get(known["first"].get_absolute_url()).content.decode()
    found = tables(html)
    # Counted as /statistics/ counts: a subgroup in its parent too.
    assert found["Appearances at this hearing by the stakeholder group of the speaker's organization"] == [
        ["Civil society", "3", "75.0 %"],
        ["Trade unions", "2", "50.0 %"],
        ["NGOs", "1", "25.0 %"],
        ["No organization given", "1", "25.0 %"],
    ]
    assert 'class="depth-1"><th scope="row"><a href="/stakeholder-groups/trade-unions/">' in html


def test_the_hearing_list_and_group_pages_link_to_the_statistics_of_what_they_show(known):
    listing = Client().get(reverse("hearings:hearing_list"), {"year": "2017"}).content.decode()
    assert f'href="{STATISTICS}?year=2017"' in listing
    group = Client().get(reverse("hearings:stakeholdergroup_detail", args=["civil-society"])).content.decode()
    assert f'href="{STATISTICS}?stakeholder_group=civil-society"' in group


def test_charts_mirror_right_to_left(known):
    from hearings.web import charts

    items = [("Civil society", 4, 0), ("Trade unions", 2, 1)]
    ltr, rtl = charts.bar_chart(items), charts.bar_chart(items, rtl=True)
    for left, right in zip(ltr.marks, rtl.marks, strict=True):
        if left.width:
            assert right.x == pytest.approx(charts.WIDTH - left.x - left.width)
        else:
            assert right.x == pytest.approx(charts.WIDTH - left.x)
            assert (left.anchor, right.anchor) == ("start", "end")


def test_a_from_date_after_the_until_date_is_refused(known):
    query = {"date_after": "2018-01-01", "date_before": "2017-01-01"}
    for url in (STATISTICS, reverse("hearings:hearing_list")):
        response = Client().get(url, query)
        assert response.status_code == 400
        assert "This date is before the “From” date." in response.content.decode()
    assert "date_before" in Client().get(API, query).json()
    assert Client().get(STATISTICS, {"date_after": "2017-01-01", "date_before": "2017-01-01"}).status_code == 200
