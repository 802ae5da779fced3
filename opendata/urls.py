"""Open-data addresses: outside any language prefix, as the URL contract in the README says."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from hearings.pagecache.pages import public_page

from . import akomantoso, calendar, citations, downloads, feeds, sitemaps, views

app_name = "opendata"

urlpatterns = [
    path("hearings.csv", downloads.hearings_csv, name="hearings_csv"),
    path("people.csv", downloads.people_csv, name="people_csv"),
    path("organizations.csv", downloads.organizations_csv, name="organizations_csv"),
    path("appearances.csv", downloads.appearances_csv, name="appearances_csv"),
    path("statistics.csv", downloads.statistics_csv, name="statistics_csv"),
    path("hearings.ics", calendar.hearings_ics, name="hearings_ics"),
    path("hearings/feed/", require_safe(public_page(feeds.HearingFeed())), name="hearings_feed"),
    path("sitemap.xml", require_safe(public_page(sitemap)), {"sitemaps": sitemaps.SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("hearings/<slug:slug>/akn.xml", akomantoso.hearing_akn, name="hearing_akn"),
    path("hearings/<slug:slug>/cite.bib", citations.hearing_bibtex, name="hearing_bibtex"),
    path("hearings/<slug:slug>/cite.ris", citations.hearing_ris, name="hearing_ris"),
]
