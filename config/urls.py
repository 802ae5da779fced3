from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

# The public pages in six languages: English at the addresses without a prefix (every address cited so far
# keeps working), the other five under theirs. Open data and the admin carry no prefix: their language comes
# from a `lang` parameter or the Accept-Language header (`hearings.web.middleware.UnprefixedLanguageMiddleware`).
handler404 = "hearings.web.views.not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    path("api/", include("opendata.api.urls")),
    path("", include("opendata.urls")),
    *i18n_patterns(path("", include("hearings.web.urls")), prefix_default_language=False),
]
