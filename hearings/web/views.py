"""Public pages. Views stay thin: queries live in `selectors` and the models' querysets."""

import copy
import logging
import threading

from django.contrib import admin
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import DatabaseError, connection
from django.db.models import prefetch_related_objects
from django.db.utils import load_backend
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import page_not_found

from hearings.domain import record_text as translated
from hearings.models import Appearance, Hearing, Organization, Person, Process, StakeholderGroup
from hearings.pagecache.fragments import PageFragments
from hearings.pagecache.pages import counts_version, public_page
from hearings.pagecache.store import cache_status
from hearings.queries import selectors, statistics
from hearings.web import charts
from hearings.web.filters import KNOWN_PARAMETERS, HearingFilter, OrganizationFilter, PersonFilter
from hearings.web.middleware import from_accept_language

logger = logging.getLogger(__name__)

HEARINGS_PER_PAGE = 20
# The parts of a hearing's page kept under the hearing's version (`{% fragment %}` in its template).
HEARING_FRAGMENTS = ("structured", "body", "cite")
PEOPLE_PER_PAGE = 50


class CountedPaginator(Paginator):
    """A paginator told its count, so the count query can be shared with the facets."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


def paginate(request, queryset, per_page, *, count=None):
    """The requested page; a page number that is not a number or past the end is a 404."""
    paginator = Paginator(queryset, per_page) if count is None else CountedPaginator(queryset, per_page, count=count)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (PageNotAnInteger, EmptyPage):
        raise Http404(_("There is no such page.")) from None


def _public_or_preview(request, public, everything, slug):
    """The public record with this slug; for staff, also one the public does not see yet (a preview).

    Returns (record, is_preview). Anyone else gets a 404 for a record that is not public. Staff means
    whoever the admin lets in, so a staff password without the authenticator code it needs sees no draft.
    """
    record = public.filter(slug=slug).first()
    if record is not None:
        return record, False
    if admin.site.has_permission(request):
        return get_object_or_404(everything, slug=slug), True
    raise Http404


def _render(request, template, context, *, preview):
    """Render a page; a preview is marked, kept out of search engines and of every cache."""
    response = render(request, template, {**context, "preview": preview})
    if preview:
        patch_cache_control(response, private=True, no_store=True)
    return response


def filter_query(request):
    """The filters asked for, as the address gives them (in its order): what a page's filter fields and its
    links to the same selection show."""
    return [(name, request.GET.getlist(name)) for name in request.GET if name in KNOWN_PARAMETERS]


def _status(filterset):
    return 200 if filterset.is_valid() else 400


@require_safe
@public_page
def home(request):
    """The latest hearings, the stakeholder groups with their counts, and a search box.

    Template: hearings/home.html.
    """
    context = {"latest_hearings": Hearing.objects.public().with_listing_related()[:5]}
    context.update(_group_table("home"))
    return render(request, "hearings/home.html", context)


def _group_table(page):
    """The stakeholder groups' table of `page`: the public group tree and its counts, kept under the counts
    version (a group's name, place or use is counted); the tree is read only when the table is rendered."""
    shown = PageFragments(["groups"], f"{page}-group-table", counts_version())
    if not shown.missing:
        return {"fragments": shown}
    return {"fragments": shown, "group_rows": selectors.group_rows(version=counts_version())}


@require_safe
@public_page
def hearing_list(request):
    """Published hearings, filtered and faceted. Template: hearings/hearing_list.html."""
    filterset = HearingFilter(request.GET)
    context = {"filterset": filterset}
    facets = None
    if filterset.is_valid():
        version = counts_version(searched=filterset.searches_text())
        facets = selectors.hearing_facets(filterset, version=version)
        queryset = filterset.qs.with_listing_related().order_by("-date", "-ordinal", "-pk")
        context.update(facets=facets, page=paginate(request, queryset, HEARINGS_PER_PAGE, count=facets["count"]))
        # The filter fields show the facets' counts and the values asked for.
        context["fragments"] = PageFragments(["filters"], "hearing-filters", version, filter_query(request))
    if "fragments" not in context or context["fragments"].missing:
        filterset.offer_facets(facets)  # the choices of the filter fields, for rendering them
    return render(request, "hearings/hearing_list.html", context, status=_status(filterset))


@require_safe
@public_page
def hearing_detail(request, slug):
    """One published hearing with its segments and speakers. Template: hearings/hearing_detail.html."""
    hearing, preview = _public_or_preview(
        request, selectors.hearings_with_place(), selectors.hearings_with_place(Hearing.objects.all()), slug
    )
    previous, following = selectors.neighbours(hearing)
    context = {"hearing": hearing, "previous_hearing": previous, "next_hearing": following}
    # The parts that show the hearing's own records are kept under its version, for this address's host
    # (they hold absolute addresses); a preview keeps nothing. Its segments and speakers are read only
    # when a part has to be rendered.
    shown = (
        PageFragments.none()
        if preview
        else PageFragments(
            HEARING_FRAGMENTS, "hearing", hearing.pk, hearing.shown_token, request.scheme, request.get_host()
        )
    )
    if shown.missing:
        prefetch_related_objects([hearing], *selectors.detail_prefetches())
        segments = hearing.segments.all()
        context["untranslated"] = translated.untranslated(
            [hearing, *segments, *(appearance for segment in segments for appearance in segment.appearances.all())]
        )
        context["breakdown"] = statistics.hearing_breakdown(hearing)
    context["fragments"] = shown
    return _render(request, "hearings/hearing_detail.html", context, preview=preview)


@require_safe
@public_page
def person_list(request):
    """People who spoke at published hearings. Template: hearings/person_list.html."""
    filterset = PersonFilter(request.GET)
    context = {"filterset": filterset}
    if filterset.is_valid():
        people = filterset.qs.order_by("sort_name", "name", "pk")
        count = selectors.count(people, version=counts_version(searched=filterset.searches_text()))
        page = paginate(request, people, PEOPLE_PER_PAGE, count=count)
        latest = selectors.latest_appearances(page.object_list)
        context.update(page=page, rows=[(person, latest.get(person.pk)) for person in page.object_list])
        context["organization"] = filterset.form.cleaned_data.get("organization")
    filterset.offer_groups()
    return render(request, "hearings/person_list.html", context, status=_status(filterset))


@require_safe
@public_page
def person_detail(request, slug):
    """A person's public appearances across hearings. Template: hearings/person_detail.html."""
    person, preview = _public_or_preview(request, Person.objects.public(), Person.objects.all(), slug)
    appearances = selectors.appearances_with_context(Appearance.objects.all() if preview else None)
    appearances = appearances.filter(person=person).order_by("-segment__hearing__date", "position")
    context = {"person": person, "appearances": appearances}
    return _render(request, "hearings/person_detail.html", context, preview=preview)


@require_safe
@public_page
def organization_list(request):
    """Organizations someone spoke for at published hearings. Template: hearings/organization_list.html."""
    filterset = OrganizationFilter(request.GET)
    context = {"filterset": filterset}
    if filterset.is_valid():
        ordering = translated.in_language_order("name")
        queryset = filterset.qs.select_related("stakeholder_group").order_by(ordering, "pk")
        count = selectors.count(queryset, version=counts_version(searched=filterset.searches_text()))
        context["page"] = paginate(request, queryset, PEOPLE_PER_PAGE, count=count)
    filterset.offer_groups()
    return render(request, "hearings/organization_list.html", context, status=_status(filterset))


@require_safe
@public_page
def organization_detail(request, slug):
    """An organization and who spoke for it where. Template: hearings/organization_detail.html."""
    organizations = Organization.objects.select_related("stakeholder_group__parent")
    organization, preview = _public_or_preview(request, organizations.public(), organizations, slug)
    appearances = selectors.appearances_with_context(Appearance.objects.all() if preview else None)
    appearances = appearances.filter(organization=organization)
    count = selectors.count(appearances, version=counts_version())
    ordered = appearances.order_by("-segment__hearing__date", "segment__position", "position")
    page = paginate(request, ordered, 50, count=count)
    context = {"organization": organization, "page": page}
    return _render(request, "hearings/organization_detail.html", context, preview=preview)


@require_safe
@public_page
def stakeholdergroup_list(request):
    """The stakeholder types with their counts. Template: hearings/stakeholdergroup_list.html."""
    return render(request, "hearings/stakeholdergroup_list.html", _group_table("group-list"))


@require_safe
@public_page
def stakeholdergroup_detail(request, slug):
    """A stakeholder type: its latest hearings, organizations and people.

    Template: hearings/stakeholdergroup_detail.html.
    """
    group = get_object_or_404(StakeholderGroup.objects.public().select_related("parent"), slug=slug)
    # Its description, subgroups, organizations and people: kept under the counts version, which every
    # change to a group, organization or person moves, and every change to who spoke for whom.
    shown = PageFragments(["about", "members"], "group-page", group.pk, counts_version())
    context = {"group": group, "parent": group.parent, "hearings": selectors.group_hearings(group), "fragments": shown}
    if shown.missing:
        context.update(untranslated=translated.untranslated([group]), **selectors.group_members(group))
    return render(request, "hearings/stakeholdergroup_detail.html", context)


@require_safe
@public_page
def process_detail(request, slug):
    """A process and its published hearings. Template: hearings/process_detail.html."""
    process = get_object_or_404(Process.objects.public(), slug=slug)
    hearings = selectors.process_hearings(process)
    count = selectors.count(hearings, version=counts_version())
    page = paginate(request, hearings.order_by("date", "ordinal"), 50, count=count)
    context = {"process": process, "page": page, "untranslated": translated.untranslated([process])}
    return render(request, "hearings/process_detail.html", context)


HEALTH_TIMEOUT = 2.5


def _database_answers(settings_dict, alias):
    """Whether a fresh connection to the database runs `SELECT 1` within `HEALTH_TIMEOUT` seconds.

    In a thread of its own, so that a server that accepts connections but never
    answers makes the check fail in time instead of holding the worker.
    """
    answered = threading.Event()

    def check():
        params = copy.deepcopy(settings_dict)
        if params["ENGINE"] == "django.db.backends.postgresql":
            params.setdefault("OPTIONS", {})["connect_timeout"] = 2
        probe = load_backend(params["ENGINE"]).DatabaseWrapper(params, alias)
        try:
            with probe.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            answered.set()
        except DatabaseError:
            pass
        finally:
            probe.close()

    threading.Thread(target=check, name="healthz", daemon=True).start()
    return answered.wait(HEALTH_TIMEOUT)


@never_cache
@require_safe
def healthz(request):
    """200 while the database answers and pages render, 503 otherwise; the body says which components are degraded.

    A cache that does not answer leaves the site slower but up: still 200, with `"cache": "unavailable"`.
    """
    database = "ok" if _database_answers(connection.settings_dict, connection.alias) else "unavailable"
    components = {"database": database, "cache": cache_status(), "pages": _pages_render(request)}
    healthy = database == "ok" and components["pages"] == "ok"
    return JsonResponse(components, status=200 if healthy else 503)


def _pages_render(request):
    """ "ok" when a page can be rendered: its templates load and its static files have addresses.

    A release whose static files were collected without their manifest (collectstatic run with debug on)
    answers every page with a 500; a load balancer must see that here, not only on the pages.
    """
    try:
        render_to_string("404.html", request=request)
    except Exception:  # whatever keeps a page from rendering makes this release unhealthy
        logger.exception("pages cannot be rendered")
        return "unavailable"
    return "ok"


@require_safe
@public_page
def statistics_page(request):
    """Who spoke at the hearings the filters select: by stakeholder group, year, role, process and organization.

    Template: hearings/statistics.html. The same filters, and the same 400 for bad values, as the hearing list.
    """
    filterset = HearingFilter(request.GET)
    context = {"filterset": filterset}
    if not filterset.is_valid():
        filterset.offer_facets(None)
        return render(request, "hearings/statistics.html", context, status=400)
    # The filter fields and the numbers show the counts and the filters asked for, nothing else.
    version = counts_version(searched=filterset.searches_text())
    shown = PageFragments(["filters", "results"], "statistics", version, filter_query(request))
    if shown.missing:
        facets = selectors.hearing_facets(filterset, version=version)
        numbers = statistics.participation(filterset, version=version)
        context.update(numbers=numbers, charts=charts.statistics_charts(numbers, rtl=get_language_bidi()))
        filterset.offer_facets(facets)
    context["fragments"] = shown
    return render(request, "hearings/statistics.html", context)


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check (CSRF_FAILURE_VIEW): the site's own 403 page, which the CSP allows.

    Django's default page carries an inline style that the policy blocks. The reason stays in the log.
    """
    return render(request, "403_csrf.html", status=403)


def not_found(request, exception):
    """The 404 of an address nothing answers: the API's JSON under /api/, the site's page elsewhere."""
    if request.path_info.startswith("/api/"):
        with translation.override(from_accept_language(request)):
            return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)
