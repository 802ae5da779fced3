"""Public pages (placeholder until the public site lands)."""

from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("")


home = healthz = hearing_list = hearing_detail = person_list = person_detail = _todo
organization_list = organization_detail = stakeholdergroup_list = stakeholdergroup_detail = process_detail = _todo
