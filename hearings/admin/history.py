"""History on every record screen: revisions, comparing two, reverting, recovering, and refusing stale forms."""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from ..history import RECORD_MODELS, compare


class HistoryMixin(VersionAdmin):
    """django-reversion's history, revert and recover screens, plus a comparison of any two revisions.

    Reverting and recovering are writes like any other: their derived data and
    the data version move once, at the end (`changes.atomic()`), so the public
    pages show the result at once. A form loaded before someone else saved the
    record is refused (see `forms.StaleFormGuard`); the change form is read
    `FOR UPDATE` on a POST, so two saves at the same moment cannot both pass.
    """

    object_history_template = "admin/hearings/object_history.html"
    compare_template = "admin/hearings/compare.html"
    history_latest_first = True

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "loaded_version"]}), *rest]

    def get_object(self, request, object_id, from_field=None):
        if request.method == "POST" and connection.in_atomic_block and connection.features.has_select_for_update:
            # Held until the save commits: another editor's save waits, then finds the record moved on.
            queryset = self.get_queryset(request).select_for_update(of=("self",))
            field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
            try:
                return queryset.get(**{field.name: field.to_python(object_id)})
            except (self.model.DoesNotExist, ValidationError, ValueError):
                return None
        return super().get_object(request, object_id, from_field)

    def reversion_register(self, model, **options):
        # VersionAdmin registers the model of each screen it is built for, following the screen's inlines, when
        # the admin is autodiscovered: before HearingsConfig.ready(), and with one level of inlines only (a
        # segment's speakers would be missed). Our models are registered by `hearings.history.register()`, from
        # ready(), with what their revisions hold; here we only check that the screen's model is one of them.
        if model not in RECORD_MODELS:
            raise ImproperlyConfigured(f"{model.__name__} keeps no history: add it to hearings.history.RECORD_MODELS.")

    # django-reversion opens a revision, and with it a transaction, around every view of a record, reading ones
    # too; on SQLite each is a write lock that every other request waits for. Only a POST can save.
    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "POST":
            return super().add_view(request, form_url, extra_context)
        return super(VersionAdmin, self).add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            return super().change_view(request, object_id, form_url, extra_context)
        return super(VersionAdmin, self).change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":
            return super().changelist_view(request, extra_context)
        context = {"has_change_permission": self.has_change_permission(request), **(extra_context or {})}
        return super(VersionAdmin, self).changelist_view(request, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        with self._changes(request):
            return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        with self._changes(request):
            return super().recover_view(request, version_id, extra_context)

    def _versions(self, object_id):
        return Version.objects.get_for_object_reference(self.model, object_id).select_related(
            "revision", "revision__user"
        )

    def history_view(self, request, object_id, extra_context=None):
        object_id = unquote(object_id)
        versions = list(self._versions(object_id).order_by("-revision__date_created", "-pk"))
        opts = self.model._meta
        rows = [
            {
                "version": version,
                "revision": version.revision,
                "url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                    args=(quote(version.object_id), version.pk),
                ),
                "compare_from": index == 1,
                "compare_to": index == 0,
            }
            for index, version in enumerate(versions)
        ]
        context = {
            "action_list": rows,
            "compare_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_compare", args=(quote(object_id),)
            ),
        }
        context.update(extra_context or {})
        # Django's own view checks permissions, finds the object (or says it does not exist) and renders.
        return super(VersionAdmin, self).history_view(request, quote(object_id), context)

    def compare_view(self, request, object_id):
        """Two revisions of one record side by side: which fields changed, which rows were added, removed, changed."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(_("This record does not exist."))
        history_url = reverse(
            f"{self.admin_site.name}:{self.model._meta.app_label}_{self.model._meta.model_name}_history",
            args=(quote(object_id),),
        )
        chosen = [request.GET.get("from", ""), request.GET.get("to", "")]
        if not all(value.isascii() and value.isdigit() and len(value) < 12 for value in chosen):
            messages.error(request, _("Choose two revisions to compare."))
            return redirect(history_url)
        versions = self._versions(str(obj.pk))
        older, newer = sorted(
            (get_object_or_404(versions, pk=int(value)) for value in chosen),
            key=lambda version: (version.revision.date_created, version.pk),
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "title": _("Compare revisions of “%(name)s”") % {"name": obj},
            "subtitle": None,
            "older": older,
            "newer": newer,
            "comparison": compare(self.model, older, newer),
            "history_url": history_url,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.compare_template, context)
