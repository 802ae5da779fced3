"""The admin site: sign-in with an authenticator code, and a page where staff add their authenticator app."""

from django.contrib import admin, messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from . import twofactor
from .forms import AdminLoginForm, ConfirmDeviceForm


class HearingsAdminSite(admin.AdminSite):
    login_form = AdminLoginForm
    login_template = "accounts/login.html"

    def has_permission(self, request):
        """Active staff who passed as many factors as their account asks (see `accounts.twofactor`)."""
        return super().has_permission(request) and twofactor.is_satisfied(request)

    def login(self, request, extra_context=None):
        if twofactor.needs_enrolment(request):
            return HttpResponseRedirect(reverse("admin:two_factor", current_app=self.name))
        return super().login(request, extra_context)

    def get_urls(self):
        return [path("two-factor/", self.two_factor, name="two_factor"), *super().get_urls()]

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def two_factor(self, request):
        """Add an authenticator app: its key as text and as a QR code, then a first code to confirm it.

        Open to staff who passed every factor their account has, and to staff
        with no authenticator yet (who must enrol first when ADMIN_REQUIRE_2FA).
        Without an existing device's code, a password alone can never replace it.
        """
        if not request.user.is_authenticated or not twofactor.may_enrol(request):
            return HttpResponseRedirect(
                f"{reverse('admin:login', current_app=self.name)}?next={reverse('admin:two_factor')}"
            )
        if request.method == "POST" and "sign_out" in request.POST:
            logout(request)
            return HttpResponseRedirect(reverse("admin:login", current_app=self.name))
        device = twofactor.pending_device(request.user)
        form = ConfirmDeviceForm(request.POST if request.method == "POST" else None, device=device)
        if form.is_valid():
            twofactor.confirm(request, device)
            messages.success(request, _("Your authenticator app is set up. Sign in with its code from now on."))
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        context = {
            **self.each_context(request),
            "title": _("Two-factor sign-in"),
            "subtitle": None,
            "form": form,
            "secret": twofactor.secret(device),
            "config_url": device.config_url,
            "qr_svg": mark_safe(  # segno's own SVG: the key and the title are escaped by it
                twofactor.qr_code(device).svg_inline(
                    scale=5, light="#fff", border=4, title=_("QR code of the key for your authenticator app")
                )
            ),
            "has_device": twofactor.confirmed_device(request.user) is not None,
            "must_enrol": twofactor.needs_enrolment(request),
        }
        return TemplateResponse(request, "accounts/two_factor.html", context)
