from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _

from . import twofactor

TOKEN_ERRORS = {
    "required": _("Enter the six-digit code your authenticator app shows for this site."),
    "invalid": _("That code is not right, or has expired. Enter the code your authenticator app shows now."),
    "throttled": _("Too many wrong codes: wait a minute, then enter the code your authenticator app shows."),
}


def _token_field(**kwargs):
    return forms.CharField(
        label=_("Authenticator code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
        **kwargs,
    )


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's sign-in: user name and password, then the authenticator's code for an account that has one."""

    otp_token = _token_field(
        required=False, help_text=_("Only if your account has an authenticator app: the code it shows now.")
    )

    def clean(self):
        cleaned_data = super().clean()  # the password; a locked-out or wrong one never reaches the code
        user = self.get_user()
        device = twofactor.confirmed_device(user) if user is not None else None
        if device is None:
            return cleaned_data
        token = "".join(cleaned_data.get("otp_token", "").split())
        problem = "required" if not token else twofactor.verify(device, token)
        if problem:
            if problem == "invalid":
                # A wrong code counts towards the sign-in lockout like a wrong password.
                user_login_failed.send(
                    sender=type(self), credentials={"username": user.get_username()}, request=self.request
                )
            raise forms.ValidationError(TOKEN_ERRORS[problem], code=problem)
        user.otp_device = device  # django-otp marks the session verified when the login completes
        return cleaned_data


class ConfirmDeviceForm(forms.Form):
    otp_token = _token_field(help_text=_("The six-digit code your authenticator app shows after adding the key."))

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_otp_token(self):
        token = "".join(self.cleaned_data["otp_token"].split())
        problem = twofactor.verify(self.device, token)
        if problem:
            raise forms.ValidationError(TOKEN_ERRORS[problem], code=problem)
        return token
