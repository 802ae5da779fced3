"""The import screens: hearings from a JSON file (upload, see what it would do, confirm) and back out to one; the
form of the people and organizations import (CSV or XLSX, django-import-export).

Both imports keep the uploaded file between the check and the confirmation in
one store: django-import-export's `CacheStorage`, in Django's cache (shared by
the app servers when `CACHE_URL` names a Redis), under a random name, for a day
at most. The spreadsheet import has it as `IMPORT_EXPORT_TMP_STORAGE_CLASS`.
"""

import json
import re
import secrets

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.formats import base_formats
from import_export.forms import ImportForm as ImportExportForm
from import_export.tmp_storages import CacheStorage

from hearings.domain.importing import ImportFailed, import_hearings
from hearings.domain.limits import check_spreadsheet, number, screen_limits, too_large
from hearings.pagecache.store import breaker
from hearings.queries import selectors
from opendata.api.serializers import export_hearings

TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # as `secrets.token_urlsafe` makes them


def waiting_file(user, token):
    """The checked file of `user` waiting for its confirmation under `token`: only its uploader can confirm it.
    Read and written through the cache's breaker (`hearings.pagecache`), as every use of the cache."""
    return CacheStorage(name=f"hearing-import-{user.pk}-{token}")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("JSON file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limits = screen_limits()
        self.fields["file"].help_text = _(
            "In UTF-8; at most %(size)s, %(hearings)s hearings and %(records)s records (hearings, segments, "
            "speakers, links and participating groups)."
        ) % {
            "size": filesizeformat(limits.bytes),
            "hearings": number(limits.hearings),
            "records": number(limits.records),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limits = screen_limits()
        if upload.size > limits.bytes:
            raise forms.ValidationError(too_large(upload.name, upload.size, limits))
        return upload


class HearingImportMixin:
    """An “Import hearings” screen on the hearing list, and an action exporting the chosen hearings to a file it
    imports back. The checked file waits in the cache for the confirmation (`waiting_file`).

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
                    report = import_hearings(
                        [(upload.name, content)], limits=screen_limits(), dry_run=True, user=request.user
                    )
                except ImportFailed as failed:
                    context["errors"] = failed.errors
                else:
                    token = secrets.token_urlsafe(16)
                    # A cache that fails keeps nothing: the confirmation then says to choose the file again.
                    breaker.call(waiting_file(request.user, token).save, {"name": upload.name, "content": content})
                    context.update(report=report, token=token, file_name=upload.name)
        context["form"] = form
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.import_template, context)

    def _confirm(self, request, context):
        here = reverse(f"{self.admin_site.name}:{self.model._meta.app_label}_{self.model._meta.model_name}_import")
        token = request.POST.get("confirm", "")
        waiting = waiting_file(request.user, token) if TOKEN.fullmatch(token) else None
        upload = breaker.call(waiting.read) if waiting is not None else None
        if not upload:
            messages.error(request, _("This import was already done or has expired. Choose the file again."))
            return redirect(here)
        name = upload["name"]
        try:
            report = import_hearings([(name, upload["content"])], limits=screen_limits(), user=request.user)
        except ImportFailed as failed:
            # The records changed since the check (say, someone added a hearing with the same slug).
            context.update(errors=failed.errors, form=ImportForm())
            return TemplateResponse(request, self.import_template, context)
        finally:
            breaker.call(waiting.remove)
        count = len(report.hearings)
        messages.success(
            request,
            ngettext(
                "%(count)d hearing imported as a draft from %(name)s.",
                "%(count)d hearings imported as drafts from %(name)s.",
                count,
            )
            % {"count": count, "name": name},
        )
        opts = self.model._meta
        changelist = reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_changelist")
        return redirect(f"{changelist}?status__exact=draft")

    @admin.action(description=_("Export selected hearings (JSON)"), permissions=["view"])
    def export_json(self, request, queryset):
        """The chosen hearings, drafts too, as a file to edit and import back (`export_hearings`). The import
        creates hearings and never changes one: the file is imported once they are deleted, or elsewhere."""
        hearings = selectors.hearings_for_detail(queryset).defer(None).defer("search_text")
        content = json.dumps(export_hearings(hearings, request=request), cls=DjangoJSONEncoder, ensure_ascii=False)
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="hearings.json"'
        return response


class SpreadsheetImportForm(ImportExportForm):
    """django-import-export's import form, refusing a file over the limits or without the columns its rows need.

    The checks read the upload once, at most a row beyond the row limit, before
    the library reads the whole file (`hearings.domain.limits.check_spreadsheet`).
    """

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.import_formats = formats
        self.resource_classes = resources
        self.fields["import_file"].help_text = _(
            "CSV in UTF-8 or XLSX; at most %(size)s (an XLSX workbook at most %(unpacked)s unpacked) and %(rows)s rows."
        ) % {
            "size": filesizeformat(settings.SPREADSHEET_IMPORT_MAX_BYTES),
            "unpacked": filesizeformat(settings.SPREADSHEET_IMPORT_MAX_UNPACKED_BYTES),
            "rows": number(settings.SPREADSHEET_IMPORT_MAX_ROWS),
        }

    def clean(self):
        cleaned_data = super().clean()
        upload, chosen = cleaned_data.get("import_file"), cleaned_data.get("format")
        if upload is None or chosen in (None, ""):
            return cleaned_data
        if upload.size > settings.SPREADSHEET_IMPORT_MAX_BYTES:
            self.add_error(
                "import_file",
                _("The file is %(size)s; at most %(most)s is imported at a time. Split the file.")
                % {"size": filesizeformat(upload.size), "most": filesizeformat(settings.SPREADSHEET_IMPORT_MAX_BYTES)},
            )
            return cleaned_data
        input_format = self.import_formats[int(chosen)]
        resource = self.resource_classes[int(cleaned_data.get("resource") or 0)]
        content = upload.read()
        upload.seek(0)
        try:
            check_spreadsheet(
                content, xlsx=issubclass(input_format, base_formats.XLSX), columns=resource.required_columns
            )
        except forms.ValidationError as error:
            self.add_error("import_file", error)
        return cleaned_data
