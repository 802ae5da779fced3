"""Rules for requests and responses beyond the views: the admin's bad addresses, HEAD."""

import functools
import logging

from django.http import HttpResponse
from django.urls import reverse
from django.views.defaults import bad_request

logger = logging.getLogger(__name__)


class HardeningMiddleware:
    """Refuse query strings with NUL bytes (which PostgreSQL cannot store or compare) with a 400, and send
    HEAD responses without a body, as HTTP wants and gunicorn expects.

    The public filter forms already answer NUL bytes with their own 400 and form
    errors; this covers the admin's filters and search.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(_admin_prefix()) and _has_nul(request.GET):
            logger.warning("refused an admin address with a NUL byte: %s", request.path_info)
            return bad_request(request, exception=None)
        response = self.get_response(request)
        if request.method == "HEAD" and response.streaming:
            # A download streamed for GET: HEAD gets its headers alone.
            response.close()
            head = HttpResponse(status=response.status_code)
            for name, value in response.items():
                head[name] = value
            return head
        if request.method == "HEAD" and response.content:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response


@functools.cache
def _admin_prefix():
    return reverse("admin:index")


def _has_nul(query):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())
