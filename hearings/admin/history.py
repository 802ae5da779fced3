"""History on every record screen: revisions, comparing two, reverting, recovering, and refusing stale forms."""

import contextlib

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

from hearings.domain.history import RECORD_MODELS, compare


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
    # Newest first, by the revision's date (then its order of saving): the history and the recover list.
    history_latest_first = True
    history_order_by_date = True

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
        # segment's speakers would be missed). Our models are registered by `hearings.domain.history.register()`, from
        # ready(), with what their revisions hold; here we only check that the screen's model is one of them.
        if model not in RECORD_MODELS:
            raise ImproperlyConfigured(
                f"{model.__name__} keeps no history: add it to hearings.domain.history.RECORD_MODELS."
            )

    def create_revision(self, request):
        # VersionAdmin opens a revision, and with it a transaction, around its add, change and list screens,
        # reading them too; on SQLite each is a write lock that every other request waits for. Its documented
        # options have no switch for this: this public method is where all its views open their revision.
        # Only a POST can save, so only a POST has one.
        if request.method == "POST":
            return super().create_revision(request)
        return contextlib.nullcontext()

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
        # django-reversion lists the revisions; our template lets two of them be chosen (by revision) to compare.
        opts = self.model._meta
        context = {
            "compare_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_compare", args=(object_id,)
            ),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        """Two revisions of one record side by side: which fields changed, which rows were added, removed, changed.

        `from` and `to` are the ids of two revisions of the history list, in either order.
        """
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
        # The record's version in each of the two revisions; a revision that does not hold it is not found.
        versions = self._versions(str(obj.pk))
        older, newer = sorted(
            (get_object_or_404(versions, revision_id=int(value)) for value in chosen),
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
