import functools

from django.urls import reverse


class AdminSessionRenewalMiddleware:
    """Staff sessions end SESSION_COOKIE_AGE seconds after the last admin request, not after the first sign-in.

    Each admin request of a signed-in user saves the session again, which moves
    its expiry and the cookie's. Public pages never touch the session: they are
    cached and shared, so they must not set cookies (hence no
    SESSION_SAVE_EVERY_REQUEST, which would for a signed-in editor).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(_admin_prefix()) and request.user.is_authenticated:
            request.session.modified = True
        return response


@functools.cache
def _admin_prefix():
    return reverse("admin:index")
