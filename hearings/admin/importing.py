"""The hearing import screen: upload a JSON file, see what it would do, confirm."""

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..importing import ImportFailed, import_hearings, read_file

MAX_IMPORT_BYTES = 5 * 1024 * 1024
# What the screen checks, and then imports, well within an app server's request time limit (about 5 s for
# 100 hearings of 15 speakers); a larger file goes through `manage.py import_hearings`, which has none.
MAX_SCREEN_HEARINGS = 100
SESSION_KEY = "hearings_import"


def too_many(name, count):
    return _(
        "%(name)s holds %(count)d hearings; this screen imports at most %(most)d at a time. Split the file, or "
        "import it with: manage.py import_hearings %(name)s"
    ) % {"name": name, "count": count, "most": MAX_SCREEN_HEARINGS}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("JSON file"),
        help_text=_("At most 5 MB, in UTF-8."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class HearingImportMixin:
    """An “Import hearings” screen on the hearing list. The checked file waits in the session for the confirmation.

    Confirming imports the same content again, validated again, inside one
    transaction: what the report showed is what is written, or nothing is.
    """

    import_template = "admin/hearings/import.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import hearings"),
            "subtitle": None,
        }
        form = ImportForm()
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request, context)
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                content = upload.read()
                try:
                    count = len(read_file(upload.name, content))
                    if count > MAX_SCREEN_HEARINGS:
                        raise ImportFailed([too_many(upload.name, count)])
                    report = import_hearings([(upload.name, content)], dry_run=True, user=request.user)
                except ImportFailed as failed:
                    context["errors"] = failed.errors
                else:
                    token = secrets.token_urlsafe(16)
                    request.session[SESSION_KEY] = {
                        "token": token,
                        "name": upload.name,
                        "content": content.decode("utf-8-sig"),
                    }
                    context.update(report=report, token=token, file_name=upload.name)
        context["form"] = form
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.import_template, context)

    def _confirm(self, request, context):
        waiting = request.session.get(SESSION_KEY) or {}
        here = reverse(f"{self.admin_site.name}:{self.model._meta.app_label}_{self.model._meta.model_name}_import")
        if not waiting or not secrets.compare_digest(str(waiting.get("token", "")), request.POST.get("confirm", "")):
            messages.error(request, _("This import was already done or has expired. Choose the file again."))
            return redirect(here)
        try:
            report = import_hearings([(waiting["name"], waiting["content"])], user=request.user)
        except ImportFailed as failed:
            # The records changed since the check (say, someone added a hearing with the same slug).
            context.update(errors=failed.errors, form=ImportForm())
            return TemplateResponse(request, self.import_template, context)
        finally:
            request.session.pop(SESSION_KEY, None)
        count = len(report.hearings)
        messages.success(
            request,
            ngettext(
                "%(count)d hearing imported as a draft from %(name)s.",
                "%(count)d hearings imported as drafts from %(name)s.",
                count,
            )
            % {"count": count, "name": waiting["name"]},
        )
        opts = self.model._meta
        changelist = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
        return redirect(f"{changelist}?status__exact=draft")
