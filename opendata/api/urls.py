from csp.decorators import csp_update
from django.urls import path
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

SWAGGER_UI_STYLE = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"

router = DefaultRouter()
router.register("hearings", views.HearingViewSet, basename="hearing")
router.register("people", views.PersonViewSet, basename="person")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("stakeholder-groups", views.StakeholderGroupViewSet, basename="stakeholdergroup")
router.register("processes", views.ProcessViewSet, basename="process")
router.register("venues", views.VenueViewSet, basename="venue")
router.register("appearances", views.AppearanceViewSet, basename="appearance")
router.register("statistics", views.StatisticsViewSet, basename="statistics")

urlpatterns = [
    # GET and HEAD only: the Swagger page has no answer to OPTIONS (Django REST framework's metadata would
    # render it with the page's template renderer, which has no template for it).
    path("schema/", require_safe(SpectacularAPIView.as_view()), name="schema"),
    # Swagger UI inserts one fixed inline style; its hash lets it in on this page alone.
    path(
        "docs/",
        csp_update({"style-src": [SWAGGER_UI_STYLE]})(
            require_safe(SpectacularSwaggerSplitView.as_view(url_name="api:schema"))
        ),
        name="docs",
    ),
    *router.urls,
]
