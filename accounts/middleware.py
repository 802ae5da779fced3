import functools
import time

from django.conf import settings
from django.urls import reverse

# The session is written again at most this often: its end moves on by minutes, not by every admin request
# (each write is a database transaction, and on SQLite a lock every app server waits for).
RENEW_EVERY = 60
RENEWED_KEY = "_renewed"


class AdminSessionRenewalMiddleware:
    """Staff sessions end SESSION_COOKIE_AGE seconds after the last admin request, not after the first sign-in.

    An admin request of a signed-in user saves the session again when it was
    last saved more than a minute ago, which moves its expiry and the cookie's
    on (so the idle limit holds to within a minute). Public pages never touch
    the session: they are cached and shared, so they must not set cookies
    (hence no SESSION_SAVE_EVERY_REQUEST, which would for a signed-in editor).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(_admin_prefix()) and request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(RENEWED_KEY, 0) >= min(RENEW_EVERY, settings.SESSION_COOKIE_AGE):
                request.session[RENEWED_KEY] = now
        return response


@functools.cache
def _admin_prefix():
    return reverse("admin:index")
