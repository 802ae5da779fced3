from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def trivial(request):
    """The least a Django view can do: no database, no template."""
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *site_urlpatterns]
