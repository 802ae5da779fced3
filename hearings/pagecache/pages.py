"""Whole-page caching for the public site, always current.

Every change to the records gives them a new data version (`DataVersion`, a
random token written by `changes` in the same transaction as the change). A
public page is cached in Django's cache under that version, the release, the
language and the full URL, so an edit makes every older copy unreachable at
once, in every worker and on every app server. The same key gives the ETag,
so a browser that already holds the current page gets a 304 without any
rendering. Costly counts are kept under the same version (`remembered`).

Django's CacheMiddleware expires pages by time, which would serve stale pages
after an edit; keying by the data version is what makes the cache safe here.
A cache that fails or hangs slows pages down to their uncached speed and no
further (`CacheBreaker`).
"""

import contextlib
import contextvars
import gzip
import hashlib
import zlib
from functools import wraps

import brotli
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from hearings.pagecache.store import cache_get, cache_set, recent_pages
from hearings.pagecache.timeout import public_statement_timeout
from hearings.pagecache.versions import version_keys

PAGE_TIMEOUT = 24 * 60 * 60


# The version keys of the public page being rendered, read once by `public_page`, for the view's costly counts.
_page_versions = contextvars.ContextVar("page_versions", default=None)


def _versions():
    versions = _page_versions.get()
    return version_keys() if versions is None else versions


def current_version():
    """The data version's key, for what shows the records' text (a search's counts, fragments of a page).

    The one `public_page` read for the page being rendered, so a page reads the
    version once; read now (one query) when a view runs outside `public_page`.
    """
    return _versions()[0]


def counts_version(*, searched=False):
    """The version key to keep a view's costly counts under (`remembered`).

    The counts version, which a corrected text leaves as it is; the data version for counts of a search
    (`searched`), since a text edit can change what a search finds.
    """
    data, counts = _versions()
    return data if searched else counts


@contextlib.contextmanager
def _rendered_under(versions):
    token = _page_versions.set(versions)
    try:
        yield
    finally:
        _page_versions.reset(token)


def _private(response):
    return "private" in response.get("Cache-Control", "")


# Headers that belong to one answer and are set again on each: the page's length (its encoding's), its ETag
# (per encoding), and the date. Everything else a view sets is kept with the page and sent with every copy.
_PER_ANSWER_HEADERS = {"content-length", "etag", "date", "content-encoding"}


# What a page may vary on and the cache still serve it: the language is part of the key (the address's
# prefix, `lang` or Accept-Language all end up as the active language), and the encoding is chosen per
# request from the copies kept. A page that varies on anything else (Cookie, Accept, …) is never kept.
_KEYED_VARY = {"accept-language", "accept-encoding"}


# Bodies shorter than this are sent as they are: compressing them saves nothing worth the work.
_MIN_COMPRESSED_SIZE = 200


_BROTLI_QUALITY = 5


def _vary(response):
    return {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}


def _cacheable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not _private(response)
        and _vary(response) <= _KEYED_VARY
    )


def accepted_encoding(request):
    """The encoding to answer in: "br" or "gzip" when the client accepts it (RFC 9110 q-values), else ""."""
    accepted = {}
    for item in request.headers.get("Accept-Encoding", "").split(","):
        name, _sep, parameters = item.strip().partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            key, _sep, value = parameter.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name:
            accepted[name.strip().lower()] = quality
    wildcard = accepted.get("*", 0.0)
    # The client's preferred one by q-value; between equals, Brotli, which compresses better.
    quality, _rank, encoding = max(
        (accepted.get(name, wildcard), rank, name) for rank, name in enumerate(("gzip", "br"))
    )
    return encoding if quality > 0 else ""


def _compress(content, encoding):
    if encoding == "br":
        return brotli.compress(content, quality=_BROTLI_QUALITY)
    return gzip.compress(content, compresslevel=6, mtime=0)  # mtime=0: the same bytes in every worker


def _with_encoding(bodies, encoding):
    """`bodies` ({"": as is, "br": …, "gzip": …}) with the body in `encoding` too, when it is worth compressing.

    Returns None when nothing was added: the body is already there, none is asked for, or it is too short.
    """
    if not encoding or encoding in bodies or len(bodies[""]) < _MIN_COMPRESSED_SIZE:
        return None
    return {**bodies, encoding: _compress(bodies[""], encoding)}


def _compressed_stream(chunks, encoding):
    """A streamed body compressed chunk by chunk, as it is sent."""
    if encoding == "br":
        compressor = brotli.Compressor(quality=_BROTLI_QUALITY)
        compress, finish = compressor.process, compressor.finish
    else:
        compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: the gzip container
        compress, finish = compressor.compress, compressor.flush
    for chunk in chunks:
        data = compress(chunk)
        if data:
            yield data
    yield finish()


def _under_public_timeout(chunks):
    with public_statement_timeout():
        yield from chunks


def _answer(status, headers, bodies, encoding):
    """An answer from a kept page: the same status and headers as the first, the body in `encoding`."""
    if encoding not in bodies:
        encoding = ""
    response = HttpResponse(bodies[encoding], status=status)
    for name, value in headers:
        response[name] = value
    if encoding:
        response["Content-Encoding"] = encoding
    return response


def public_page(view):
    """Serve the view's 200 responses from the cache and answer conditional requests with a 304.

    Each kept page holds the view's status, headers and body, and the body compressed in each encoding
    (gzip, Brotli) a client has asked for, compressed when first asked for and kept with the page: a copy
    from the cache is the same answer as the first, and costs no compression work once kept. Public
    pages hold nothing secret (no CSRF token, no session), so compressing them exposes nothing (BREACH);
    the admin and staff previews are not compressed here. For views that answer GET and HEAD only
    (`require_safe`).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        versions = version_keys()
        version = versions[0]
        identity = "|".join(
            [version, get_language() or "", request.scheme, request.get_host(), request.get_full_path()]
        )
        digest = hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()
        encoding = accepted_encoding(request)
        # Each encoding of a page is a representation of its own, with its own ETag.
        etag = f'"{digest}-{encoding}"' if encoding else f'"{digest}"'
        # No Last-Modified: two edits within one second would make If-Modified-Since answer a stale 304.
        # "If-None-Match: *" matches any existing page, which only the view can tell: let it answer.
        if request.headers.get("If-None-Match", "").strip() != "*":
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                # What the 200 would carry for caches to go on with (RFC 9110, 15.4.5).
                not_modified["ETag"] = etag
                patch_cache_control(not_modified, no_cache=True, public=True)
                patch_vary_headers(not_modified, ["Accept-Encoding"])
                return not_modified

        key = f"page:{digest}"
        cached = recent_pages.get(key)
        if cached is None:
            cached = cache_get(key)
            if cached is not None:
                recent_pages.set(key, cached)
        kept = cached is not None  # a kept page's headers hold its Cache-Control already
        if cached is not None:
            status, headers, bodies = cached
            more = _with_encoding(bodies, encoding)
            if more is not None:
                # The first client to ask for this encoding: compressed once, and kept with the others.
                cached = (status, headers, more)
                cache_set(key, cached, PAGE_TIMEOUT)
                recent_pages.set(key, cached)
                bodies = more
            response = _answer(status, headers, bodies, encoding)
        else:
            # Views keep their own costly counts under the versions read here (`counts_version`, `remembered`).
            with public_statement_timeout(), _rendered_under(versions):
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()  # a TemplateResponse (the sitemap's) is kept rendered
            if _private(response):
                # A staff preview of a draft: never kept, never shared, not compressed.
                return response
            if _cacheable(response):
                kept = True
                patch_vary_headers(response, ["Accept-Encoding"])
                patch_cache_control(response, no_cache=True, public=True)  # kept with the page (below)
                headers = [(name, value) for name, value in response.items() if name.lower() not in _PER_ANSWER_HEADERS]
                bodies = {"": response.content}
                entry = (response.status_code, headers, _with_encoding(bodies, encoding) or bodies)
                cache_set(key, entry, PAGE_TIMEOUT)
                recent_pages.set(key, entry)
                response = _answer(*entry, encoding)
            elif response.status_code == 200 and response.streaming:
                # A download streamed as it is read (never kept). Its rows are read while it is sent, after the
                # view has returned: under the public statement timeout too, and compressed on the way.
                response.streaming_content = _under_public_timeout(response.streaming_content)
                patch_vary_headers(response, ["Accept-Encoding"])
                if encoding:
                    response.streaming_content = _compressed_stream(response.streaming_content, encoding)
                    response["Content-Encoding"] = encoding
        if response.status_code == 200:
            response["ETag"] = etag
            if not kept:
                # Browsers and proxies may keep the page but must ask again; the ETag makes asking cheap.
                patch_cache_control(response, no_cache=True, public=True)
        return response

    # Marks the addresses served through the page cache, so that tests can find every one of them.
    wrapper.served_from_page_cache = True
    return wrapper
