"""Rules for requests and responses beyond the views: the admin's bad addresses, HEAD."""

import functools
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
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
            # A download streamed for GET: HEAD gets its headers alone, and, like GET, no Content-Length
            # (an empty non-streaming answer would be given "Content-Length: 0", an empty file).
            response.close()
            head = StreamingHttpResponse(iter(()), status=response.status_code)
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


class NotModifiedMiddleware:
    """A 304 carries no Content-Length: CommonMiddleware would give it "0", the length of its empty body,
    where HTTP allows only the length of the 200 it stands for (RFC 9110, 8.6). Listed before CommonMiddleware,
    so that it sees the answer after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 304 and response.has_header("Content-Length"):
            del response["Content-Length"]
        return response


class UnprefixedLanguageMiddleware:
    """The language of the addresses without a language prefix, other than the English pages.

    Django's LocaleMiddleware gives every address outside `i18n_patterns` the
    default language. Open-data answers (the API, the downloads, the feed, the
    calendar) follow a `lang` parameter (one of LANGUAGES; another value is a
    400), else the Accept-Language header, and say so with `Content-Language`
    and `Vary: Accept-Language`; the page cache keys on the language, so each
    language is cached apart. The admin follows the editor's browser (or the
    language cookie), as Django's admin does without language prefixes.
    """

    OPEN_DATA = {"opendata", "api"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        names = set(match.app_names) if match else set()
        if names & self.OPEN_DATA:
            asked = request.GET.get("lang")
            if asked is not None:
                language = _supported(asked)
                if language is None:
                    codes = ", ".join(code for code, _name in settings.LANGUAGES)
                    message = f"Unknown language: lang must be one of {codes}"
                    if "api" in names:  # the API answers in JSON, its errors too
                        return JsonResponse({"lang": [message]}, status=400)
                    return HttpResponse(message + "\n", status=400, content_type="text/plain")
            else:
                language = from_accept_language(request)
        elif "admin" in names or request.path_info.startswith(_admin_prefix()):
            language = translation.get_language_from_request(request, check_path=False)
        else:
            return None
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None


def from_accept_language(request):
    """The first language of the Accept-Language header that the site speaks; English otherwise (no cookie)."""
    for code in accepted_languages(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        language = _supported(code)
        if language is not None:
            return language
    return settings.LANGUAGE_CODE


def accepted_languages(header):
    """The language ranges of an Accept-Language header, most wanted first (RFC 9110, section 12.5.4).

    Django parses the header only inside `get_language_from_request()`, which
    also reads the language cookie; the site's pages follow the header alone.
    A range with a malformed or zero weight is left out, as is the whole
    header when it is too long to be one a browser sends.
    """
    if len(header) > 1000:
        return []
    weighted = []
    for position, item in enumerate(header.split(",")):
        code, _semicolon, parameters = item.partition(";")
        code = code.strip()
        quality = 1.0
        name, _equals, value = parameters.strip().partition("=")
        if parameters.strip():
            if name.strip().lower() != "q":
                continue
            try:
                quality = float(value)
            except ValueError:
                continue
            if not 0 < quality <= 1:
                continue
        if code:
            weighted.append((-quality, position, code))
    return [code for _quality, _position, code in sorted(weighted)]


def _supported(code):
    try:
        return translation.get_supported_language_variant(code.strip().lower())
    except (LookupError, AttributeError):
        return None
