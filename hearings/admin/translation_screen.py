"""Translating a hearing: one screen per language for the whole hearing, and how far each hearing is translated.

The hearing screen edits the English text. A translator opens
`<hearing>/translate/<language>/`: every English text of the hearing, its
segments and its speakers, in order, each beside a box for its translation.
Saving writes the changed translations only, in one transaction and one
revision, and is refused when the hearing changed since the screen was opened.
"""

import hashlib
from dataclasses import dataclass, field

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from hearings.admin.forms import MultilineTextField
from hearings.admin.multilingual import language_attrs
from hearings.domain import changes
from hearings.domain.languages import TRANSLATIONS
from hearings.domain.record_text import (
    COMPLETE,
    MISSING,
    PARTIAL,
    SOURCE_LANGUAGE,
    column,
    completeness,
    language_name,
    translated_fields,
)
from hearings.models import Appearance, Hearing, Segment

STATES = {
    COMPLETE: _("complete"),
    PARTIAL: _("partial"),
    MISSING: _("missing"),
}


# --- A hearing's records and where each stands ----------------------------------


def _columns(model):
    return [column(name, code) for name in translated_fields(model) for code in (SOURCE_LANGUAGE, *TRANSLATIONS)]


def with_parts(hearings):
    """`hearings` with their segments and speakers prefetched: what `completeness()` reads, in three queries."""
    appearances = Appearance.objects.only("pk", "segment_id", *_columns(Appearance)).order_by("position", "pk")
    segments = Segment.objects.only("pk", "hearing_id", *_columns(Segment)).order_by("position", "pk")
    return hearings.prefetch_related(
        Prefetch("segments", queryset=segments), Prefetch("segments__appearances", queryset=appearances)
    )


def records_of(hearing):
    """The hearing, then each segment followed by its speakers, in their order (from prefetched rows if any)."""
    records = [hearing]
    for segment in hearing.segments.all():
        records.append(segment)
        records.extend(segment.appearances.all())
    return records


@dataclass
class LanguageState:
    """How far a hearing is translated into one language, and where to translate it."""

    code: str
    name: str
    state: str
    done: int
    total: int
    url: str

    @property
    def state_label(self):
        return STATES[self.state]

    @property
    def counts(self):
        return ngettext("%(done)d of %(total)d text", "%(done)d of %(total)d texts", self.total) % {
            "done": self.done,
            "total": self.total,
        }


def translate_url(hearing_id, code):
    return reverse("admin:hearings_hearing_translate", args=(quote(hearing_id), code))


def language_states(hearing, records=None):
    """One `LanguageState` per language the hearing is translated into."""
    records = records_of(hearing) if records is None else records
    found = []
    for code in TRANSLATIONS:
        state, done, total = completeness(records, code)
        found.append(LanguageState(code, language_name(code), state, done, total, translate_url(hearing.pk, code)))
    return found


# --- The translation screen's form ------------------------------------------------


@dataclass
class TextToTranslate:
    """One text to translate: the English, and the bound field of its translation."""

    label: str
    source: str
    field: forms.BoundField
    long: bool


@dataclass
class Part:
    """A heading of the screen (the hearing, a segment, a speaker) and its texts."""

    heading: str
    level: int
    texts: list = field(default_factory=list)


def _key(record, name):
    return f"{type(record)._meta.model_name}-{record.pk}-{name}"


def _in_screen_order(model):
    """The model's translated fields in the order its screen shows them (its fields' order)."""
    order = [f.name for f in model._meta.fields]
    return sorted(translated_fields(model), key=order.index)


def fingerprint(records, language):
    """What the screen was made from: the hearing's rows, their English text and their text in `language`.

    A save is refused when any of it changed since (an English text edited, a
    speaker added or removed, another editor's translation into the same
    language); a translation into another language meanwhile does not stand in
    the way.
    """
    digest = hashlib.sha256()
    for record in records:
        texts = [
            (getattr(record, column(name, SOURCE_LANGUAGE)), getattr(record, column(name, language)))
            for name in translated_fields(type(record))
        ]
        digest.update(repr((type(record)._meta.model_name, record.pk, texts)).encode())
    return digest.hexdigest()


class TranslationForm(forms.Form):
    """The translations into one language of every English text of a hearing, its segments and its speakers.

    A text without English is left out: there is nothing to translate. An
    emptied box removes the translation (NULL); a box the POST does not carry is
    left as it is.
    """

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, records, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = records
        self.language = language
        self.entries = []  # (record, field name, form field key)
        self.fields["loaded_version"].initial = fingerprint(records, language)
        attrs = language_attrs(language)
        for record in records:
            for name in _in_screen_order(type(record)):
                source = getattr(record, column(name, SOURCE_LANGUAGE)) or ""
                if not source:
                    continue
                key = _key(record, name)
                model_field = type(record)._meta.get_field(column(name, language))
                long = model_field.get_internal_type() == "TextField"
                widget_attrs = {**attrs, "aria-describedby": f"id_{key}-source"}
                if long:
                    formfield = MultilineTextField(
                        required=False, widget=forms.Textarea(attrs={**widget_attrs, "rows": 6})
                    )
                else:
                    formfield = forms.CharField(
                        required=False,
                        max_length=model_field.max_length,
                        widget=forms.TextInput(attrs={**widget_attrs, "class": "vTextField"}),
                    )
                formfield.label = capfirst(type(record)._meta.get_field(name).verbose_name)
                formfield.initial = getattr(record, column(name, language)) or ""
                self.fields[key] = formfield
                self.entries.append((record, name, key))

    def full_clean(self):
        super().full_clean()
        # A box sent back with an error is described by its message too, after the English text.
        for key in self.errors:
            if key in self.fields and key != "loaded_version":
                widget = self.fields[key].widget
                widget.attrs["aria-describedby"] = f"id_{key}-source id_{key}-error"

    def is_stale(self):
        posted = self.data.get("loaded_version")
        return bool(posted) and posted != self.fields["loaded_version"].initial

    def parts(self):
        """The screen's headings and texts, in the hearing's order."""
        entries = {}
        for record, name, key in self.entries:
            entries.setdefault((type(record), record.pk), []).append(
                TextToTranslate(
                    self.fields[key].label,
                    getattr(record, column(name, SOURCE_LANGUAGE)),
                    self[key],
                    isinstance(self.fields[key].widget, forms.Textarea),
                )
            )
        found = []
        for record in self.records:
            texts = entries.get((type(record), record.pk), [])
            if isinstance(record, Hearing):
                found.append(Part(gettext("Hearing"), 2, texts))
            elif isinstance(record, Segment):
                heading = record.title_en or record.get_kind_display()
                found.append(Part(gettext("Segment: %(name)s") % {"name": heading}, 2, texts))
            else:
                found.append(
                    Part(
                        gettext("%(person)s, %(role)s")
                        % {"person": record.person.name, "role": record.get_role_display()},
                        3,
                        texts,
                    )
                )
        return found

    def changed_records(self):
        """{record: [columns whose translation changed]}, the new values set on the records."""
        changed = {}
        for record, name, key in self.entries:
            if key not in self.data:
                continue
            value = self.cleaned_data[key] or None
            name_in_language = column(name, self.language)
            if value != getattr(record, name_in_language):
                setattr(record, name_in_language, value)
                changed.setdefault(record, []).append(name_in_language)
        return changed


# --- The admin's views ----------------------------------------------------------------


class HearingTranslationsMixin:
    """The translation screen of a hearing in each language, the hearings' translation table, and the
    hearing screen's "Translations" box."""

    translate_template = "admin/hearings/hearing/translate.html"
    translations_template = "admin/hearings/hearing/translations.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("translations/", view(self.translations_view), name="hearings_hearing_translations"),
            path(
                "<path:object_id>/translate/<str:language>/",
                view(self.translate_view),
                name="hearings_hearing_translate",
            ),
            *super().get_urls(),
        ]

    @staticmethod
    def _hearing_with_parts(object_id, *, lock=False):
        hearings = Hearing.objects.select_related("process")
        if lock and connection.features.has_select_for_update:
            # Held until the save commits: another save waits, then finds the hearing moved on.
            hearings = hearings.select_for_update(of=("self",))
        try:
            hearing = hearings.get(pk=int(object_id))
        except (Hearing.DoesNotExist, ValueError, OverflowError):
            return None, []
        segments = list(hearing.segments.order_by("position", "pk"))
        speakers = {}
        for appearance in (
            Appearance.objects.filter(segment__hearing=hearing).select_related("person").order_by("position", "pk")
        ):
            speakers.setdefault(appearance.segment_id, []).append(appearance)
        records = [hearing]
        for segment in segments:
            records.append(segment)
            records.extend(speakers.get(segment.pk, []))
        return hearing, records

    def translate_view(self, request, object_id, language):
        if language not in TRANSLATIONS:
            raise Http404(gettext("There is no translation screen for this language."))
        if not self.has_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        if request.method == "POST":
            with changes.atomic(), reversion.create_revision():
                return self._translate(request, object_id, language)
        return self._translate(request, object_id, language)

    def _translate(self, request, object_id, language):
        post = request.method == "POST"
        hearing, records = self._hearing_with_parts(object_id, lock=post)
        if hearing is None:
            raise Http404(gettext("This record does not exist."))
        if not self.has_change_permission(request, hearing):
            raise PermissionDenied
        form = TranslationForm(request.POST if post else None, records=records, language=language)
        stale = False
        if post:
            stale = form.is_stale()
            if form.is_valid() and not stale:
                changed = form.changed_records()
                for record, columns in changed.items():
                    record.save(update_fields=[*columns, *(["updated"] if isinstance(record, Hearing) else [])])
                name = language_name(language)
                if changed:
                    reversion.add_to_revision(hearing)
                    reversion.set_user(request.user)
                    reversion.set_comment(gettext("Translated into %(language)s") % {"language": name})
                    count = sum(len(columns) for columns in changed.values())
                    self.message_user(
                        request,
                        ngettext(
                            "%(count)d text in %(language)s saved.", "%(count)d texts in %(language)s saved.", count
                        )
                        % {"count": count, "language": name},
                        messages.SUCCESS,
                    )
                else:
                    self.message_user(request, gettext("No translation changed."), messages.INFO)
                return redirect(request.path)
        if stale:
            messages.error(
                request,
                gettext(
                    "This hearing was changed after you opened this screen. Your translations are not saved, so "
                    "that the other changes are not lost; they are still in the form below. Open this screen again "
                    "in a new tab to see the current version, carry your translations over there and save."
                ),
            )
        elif form.errors:
            messages.error(request, gettext("Please correct the errors below."))
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "object": hearing,
            "title": gettext("Translate “%(hearing)s” into %(language)s")
            % {"hearing": hearing.title_en, "language": language_name(language)},
            "subtitle": None,
            "language": language,
            "language_name": language_name(language),
            "form": form,
            "parts": form.parts(),
            "states": language_states(hearing, records),
            "change_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=(quote(hearing.pk),)),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.translate_template, context)

    def translations_view(self, request):
        """Each hearing (drafts too), newest first, and how far it is translated into each language."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        hearings = Hearing.objects.select_related("process").order_by("-date", "-ordinal", "pk")
        status = request.GET.get("status", "")
        if status in Hearing.Status.values:
            hearings = hearings.filter(status=status)
        else:
            status = ""
        language = request.GET.get("language", "")
        state = request.GET.get("state", "")
        if language in TRANSLATIONS and state in STATES:
            # States are worked out from the texts, so every hearing of the status is read (in three queries).
            kept = [
                hearing.pk
                for hearing in with_parts(hearings.select_related(None).only("pk", *_columns(Hearing)))
                if completeness(records_of(hearing), language)[0] == state
            ]
            hearings = hearings.filter(pk__in=kept)
        else:
            language = state = ""
        # The page's hearings, segments and speakers in three queries, however many hearings the page shows.
        paginator = Paginator(with_parts(hearings), self.list_per_page)
        page = paginator.get_page(request.GET.get("p"))
        rows = [{"hearing": hearing, "states": language_states(hearing)} for hearing in page]
        query = request.GET.copy()
        query.pop("p", None)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": gettext("Translations of the hearings"),
            "subtitle": None,
            "rows": rows,
            "page": page,
            "paginator": paginator,
            "query": query.urlencode(),
            "languages": [(code, language_name(code)) for code in TRANSLATIONS],
            "statuses": Hearing.Status.choices,
            "states": list(STATES.items()),
            "chosen": {"status": status, "language": language, "state": state},
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.translations_template, context)

    @admin.display(description=_("translations"))
    def translations(self, obj):
        """The hearing screen's box: each language's state, linking to its translation screen."""
        if obj is None or obj.pk is None:
            return _("Save the hearing first.")
        _hearing, records = self._hearing_with_parts(obj.pk)
        if not records:
            return "—"
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>: <span class="translation-state translation-{}">{}</span> ({})</li>',
            (
                (state.url, state.name, state.state, state.state_label, state.counts)
                for state in language_states(obj, records)
            ),
        )
        return format_html(
            '<p class="translations-note">{}</p><ul class="translation-states">{}</ul>',
            _("This screen edits the English text. Each language is translated on its own screen."),
            items,
        )
