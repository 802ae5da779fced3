"""The read API: Django REST framework over the public querysets, filtered by the pages' own FilterSets.

JSON only, so that an address always answers the same bytes: its answers are
cached and given ETags under the data version like the pages (`public_page`),
and anonymous clients are throttled in the shared cache before any of that.
"""

import functools
import re

from django.conf import settings
from django.core.validators import slug_re
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_safe
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.helpers import forced_singular_serializer
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.mixins import ListModelMixin
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.viewsets import GenericViewSet, ReadOnlyModelViewSet

from hearings.models import Appearance, Hearing, Organization, Person, Process, StakeholderGroup, Venue
from hearings.pagecache import fragments
from hearings.pagecache.pages import counts_version, public_page
from hearings.pagecache.store import CacheBreaker
from hearings.queries import selectors, statistics
from hearings.web.filters import AppearanceFilter, HearingFilter, OrganizationFilter, PersonFilter

from . import serializers

PAGE_SIZE_ERROR = "Enter a whole number of 1 or more."


class ApiPagination(PageNumberPagination):
    """50 a page, or `page_size` (a whole number of 1 or more; above 200, 200). Another `page_size` is a 400.

    Django REST framework answers a `page_size` that is not a positive number with the default size, which
    would hide the client's mistake (`page_size=abc` gives 50 rows) and break the schema's promise.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request, paginator):
        # An empty `page` is no page number (a 404, as `page=abc` is), not the first page.
        return request.query_params.get(self.page_query_param, 1)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not re.fullmatch(r"0*[1-9][0-9]*", value):
            raise ValidationError({self.page_size_query_param: [PAGE_SIZE_ERROR]})
        return min(int(value), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        bounds = {
            self.page_query_param: {"minimum": 1},
            self.page_size_query_param: {"minimum": 1, "default": self.page_size},
        }
        descriptions = {
            self.page_query_param: "A page number from 1; past the last page is a 404.",
            self.page_size_query_param: (
                f"Results a page, {self.page_size} by default; above {self.max_page_size}, {self.max_page_size}. "
                "Not a whole number of 1 or more: a 400."
            ),
        }
        return [
            {
                **parameter,
                "description": descriptions[parameter["name"]],
                "schema": {**parameter["schema"], **bounds[parameter["name"]]},
            }
            for parameter in super().get_schema_operation_parameters(view)
        ]


class AnonymousThrottle(AnonRateThrottle):
    """`API_ANON_RATE` requests per client address, counted in the shared cache; a failing cache lets all through."""

    breaker = CacheBreaker(pause=settings.CACHE_FAILURE_PAUSE)

    def get_rate(self):
        return settings.API_ANON_RATE

    def allow_request(self, request, view):
        return self.breaker.call(super().allow_request, request, view, default=True)


def throttled(view):
    """Refuse anonymous clients past their rate with a 429 and a Retry-After, before the page cache answers."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.API_ANON_RATE and not request.user.is_authenticated:
            throttle = AnonymousThrottle()
            if not throttle.allow_request(request, None):
                wait = int(throttle.wait() or 1)
                response = JsonResponse({"detail": f"Request was throttled. Expected available in {wait} seconds."})
                response.status_code = 429
                response["Retry-After"] = str(wait)
                return response
        return view(request, *args, **kwargs)

    return wrapper


class PublicEndpoint(GenericViewSet):
    """A read-only endpoint over public records, cached like the pages."""

    lookup_field = "slug"
    renderer_classes = [JSONRenderer]
    pagination_class = ApiPagination
    filter_backends = [DjangoFilterBackend]
    throttle_classes = []  # see `throttled`: it runs before the page cache

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return throttled(require_safe(public_page(super().as_view(actions, **initkwargs))))


class PublicViewSet(PublicEndpoint, ReadOnlyModelViewSet):
    """A list and a detail by slug."""

    # Any text reaches the view, so that a malformed slug gets the API's JSON 404, not the site's HTML one.
    lookup_value_regex = "[^/]+"

    def get_object(self):
        if not slug_re.fullmatch(self.kwargs["slug"]):
            raise NotFound
        try:
            return super().get_object()
        except Http404:
            raise NotFound from None  # its message in the reader's language, not Django's English one


class HearingViewSet(PublicViewSet):
    """Published hearings, newest first; the detail nests the segments and who spoke in them, in order."""

    filterset_class = HearingFilter

    def get_queryset(self):
        # Their related rows are read by `serialized`, for the hearings whose answer is not kept.
        if self.action == "retrieve":
            # As the page has it, with the process's description too: the answer carries it in every language.
            return selectors.hearings_with_place().defer(None).defer("search_text")
        return (
            Hearing.objects.public()
            .select_related("process", "venue")
            .defer("search_text")
            .order_by("-date", "-ordinal", "-pk")
        )

    def serialized(self, hearings, name, prefetches):
        """Each hearing as the serializer gives it, kept as a fragment under the hearing's version.

        Only the hearings whose data is not kept have their related rows read and are serialized. The
        data holds absolute addresses and text in the active language: the key holds the host and language.
        """
        scheme, host = self.request.scheme, self.request.get_host()
        return fragments.kept_for(
            hearings,
            name,
            lambda hearing: (hearing.pk, hearing.shown_token, scheme, host),
            lambda missing: self.get_serializer(missing, many=True).data,
            prefetches,
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.serialized(list(page), "api-hearing-row", ["participating_groups"]))

    def retrieve(self, request, *args, **kwargs):
        [data] = self.serialized([self.get_object()], "api-hearing", selectors.detail_prefetches())
        return Response(data)

    def get_serializer_class(self):
        return serializers.HearingDetailSerializer if self.action == "retrieve" else serializers.HearingSerializer


class PersonViewSet(PublicViewSet):
    """People who spoke at published hearings, by sort name."""

    filterset_class = PersonFilter
    serializer_class = serializers.PersonSerializer

    def get_queryset(self):
        return Person.objects.public().defer("search_text").order_by("sort_name", "name", "pk")


class OrganizationViewSet(PublicViewSet):
    """Organizations someone spoke for at published hearings, by name."""

    filterset_class = OrganizationFilter
    serializer_class = serializers.OrganizationSerializer

    def get_queryset(self):
        return (
            Organization.objects.public()
            .select_related("stakeholder_group")
            .defer("search_text")
            .order_by("name_en", "pk")
        )


class StakeholderGroupViewSet(PublicViewSet):
    """The public stakeholder groups in display order, each with its parent and children."""

    serializer_class = serializers.StakeholderGroupSerializer
    filter_backends = []
    pagination_class = None

    def get_queryset(self):
        return StakeholderGroup.objects.public().select_related("parent").order_by("position", "name_en", "pk")

    def get_serializer_context(self):
        children = {}
        for parent_id, slug in StakeholderGroup.objects.public().exclude(parent=None).values_list("parent", "slug"):
            children.setdefault(parent_id, []).append(slug)
        return {**super().get_serializer_context(), "children": children}


class ProcessViewSet(PublicViewSet):
    """Processes with a published hearing."""

    serializer_class = serializers.ProcessSerializer
    filter_backends = []

    def get_queryset(self):
        return Process.objects.public().order_by("name_en", "pk")


class VenueViewSet(PublicViewSet):
    """Venues of published hearings."""

    serializer_class = serializers.VenueSerializer
    filter_backends = []

    def get_queryset(self):
        return Venue.objects.public().order_by("city_en", "site_en", "name_en", "pk")


class AppearanceViewSet(PublicEndpoint, ListModelMixin):
    """One row per person per segment of the published hearings, newest hearing first, in speaking order."""

    filterset_class = AppearanceFilter
    serializer_class = serializers.AppearanceSerializer

    def get_queryset(self):
        return (
            Appearance.objects.public()
            .select_related("segment__hearing__process", "person", "organization__stakeholder_group")
            .defer("segment__hearing__search_text", "person__search_text", "organization__search_text")
            .order_by("-segment__hearing__date", "segment__hearing__pk", "segment__position", "position", "pk")
        )


class StatisticsViewSet(PublicEndpoint):
    """Participation in the published hearings the filters select: the numbers of /statistics/.

    By stakeholder group (subgroups counted in their parent), by year and by
    role (per top-level group), hearings by process, the ten organizations that
    spoke most often, and totals. The same filters as /api/hearings/.
    """

    filterset_class = HearingFilter
    serializer_class = serializers.StatisticsSerializer
    pagination_class = None

    def get_queryset(self):
        return Hearing.objects.public()

    # Its list address answers one object, a summary of the selection, not a list of them.
    @extend_schema(
        operation_id="statistics_retrieve", responses=forced_singular_serializer(serializers.StatisticsSerializer)
    )
    def list(self, request):
        self.filter_queryset(self.get_queryset())  # a filter value that is refused is a 400, as on every list
        filterset = HearingFilter(request.GET, queryset=self.get_queryset())
        filterset.is_valid()
        numbers = statistics.participation(filterset, version=counts_version(searched=filterset.searches_text()))
        return Response(self.get_serializer(numbers).data)
