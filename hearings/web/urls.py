from django.urls import path

from hearings.web import views

app_name = "hearings"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("hearings/", views.hearing_list, name="hearing_list"),
    path("hearings/<slug:slug>/", views.hearing_detail, name="hearing_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("stakeholder-groups/", views.stakeholdergroup_list, name="stakeholdergroup_list"),
    path("stakeholder-groups/<slug:slug>/", views.stakeholdergroup_detail, name="stakeholdergroup_detail"),
    path("processes/<slug:slug>/", views.process_detail, name="process_detail"),
    path("statistics/", views.statistics_page, name="statistics"),
]
