"""Admin forms: ASCII slugs made on the server, stale saves refused, and the rows of the hearing screen."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db.models import Model, UniqueConstraint
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from nested_admin.formsets import NestedInlineFormSet

from hearings.domain.history import latest_revision
from hearings.domain.record_text import SOURCE_LANGUAGE, column, translated_fields
from hearings.domain.text import ascii_slug


def _is_valid_slug(value):
    try:
        validate_slug(value)
    except ValidationError:
        return False
    return True


class MultilineTextField(forms.CharField):
    """Text from a textarea with the line breaks the records keep: a browser sends each one as CR LF.

    Otherwise every save through a browser would change every multi-line text
    (a summary, a biography), and an unchanged row would look changed.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class StaleFormGuard(forms.ModelForm):
    """Refuses to save a form loaded from an older state of the record than the one the database holds.

    The form carries the record's `updated` time from when it was loaded. When
    another editor (or an import, a revert) has saved the record since, saving
    would silently undo their work: the form is refused with a message naming who
    changed it and when, and everything typed stays in the form. A form posted
    without the field (a script of its own) is not checked.
    """

    loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and getattr(self.instance, "updated", None) is not None:
            self.fields["loaded_version"].initial = self.instance.updated.isoformat()

    def clean(self):
        cleaned_data = super().clean()
        posted = self.data.get(self.add_prefix("loaded_version")) if self.is_bound else None
        initial = self.fields["loaded_version"].initial
        if posted and initial and posted != initial:
            raise ValidationError(self.stale_message(), code="stale")
        return cleaned_data

    def stale_message(self):
        revision = latest_revision(self.instance)
        when = formats.date_format(
            timezone.localtime(revision.date_created if revision else self.instance.updated), "DATETIME_FORMAT"
        )
        who = revision.user.get_username() if revision is not None and revision.user is not None else None
        values = {"name": self.instance._meta.verbose_name, "who": who, "when": when}
        if who:
            text = _(
                "This %(name)s was changed by %(who)s on %(when)s, after you opened it. Your changes are not "
                "saved, so that theirs are not lost; they are still in the form below. Open the %(name)s again "
                "in a new tab to see the current version (its history shows what changed), carry your changes "
                "over there and save."
            )
        else:
            text = _(
                "This %(name)s was changed on %(when)s, after you opened it. Your changes are not saved, so that "
                "the other changes are not lost; they are still in the form below. Open the %(name)s again in a "
                "new tab to see the current version (its history shows what changed), carry your changes over "
                "there and save."
            )
        return text % values


class SlugFromNameForm(StaleFormGuard):
    """Fills an empty slug from `slug_source` and turns a non-ASCII one into ASCII.

    The admin's JavaScript does the same while the editor types, but a form
    posted without it (or a pasted “lajčák”) must still give an ASCII slug.
    A valid slug is kept as typed, so saving never moves an existing address.
    """

    slug_source = ("name",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is not None:
            slug.required = False
            # Non-ASCII input is turned into a slug in clean() instead of refused here.
            slug.validators = [v for v in slug.validators if v is not validate_slug]

    def clean(self):
        cleaned_data = super().clean()
        if "slug" not in self.fields or self.has_error("slug"):
            return cleaned_data
        slug = (cleaned_data.get("slug") or "").strip()
        max_length = self.fields["slug"].max_length or 200
        if not slug:
            source = " ".join(str(self.source_text(cleaned_data, name)) for name in self.slug_source).strip()
            if not source:
                # The source field's own "required" error says what is missing.
                return cleaned_data
            slug = ascii_slug(source, max_length)
        elif not _is_valid_slug(slug):
            slug = ascii_slug(slug, max_length)
        if not slug:
            self.add_error(
                "slug",
                _("A slug could not be made from this text. Enter one with plain letters, digits and hyphens."),
            )
            return cleaned_data
        cleaned_data["slug"] = slug
        return cleaned_data

    def source_text(self, cleaned_data, name):
        """The English text of `name`: its English column where the field is translated (`title_en`), else the
        field itself (a person's `name`)."""
        if name in translated_fields(type(self.instance)):
            name = column(name, SOURCE_LANGUAGE)
        return cleaned_data.get(name) or ""


class HearingForm(SlugFromNameForm):
    slug_source = ("title",)


class VenueForm(SlugFromNameForm):
    slug_source = ("name", "city")


class HearingPartForm(forms.ModelForm):
    """A segment, speaker, link or participating group on the hearing screen.

    The records number rows from 1, as the seed, the import and the open data
    (`order`, `speaking_order`) do; the screen numbers them from 0:
    django-nested-admin's drag and drop numbers the rows it sends from 0, and
    its save numbers again, from 0, each row whose number is not its place
    among the rows kept (it has no option for another start). So the form shows
    each row's number less one and saves the screen's number plus one: a save
    that moves nothing changes no row's number (and records no change), and a
    row moved by hand keeps the numbering from 1.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("position")
        if field is not None:
            # Sent by the screen, never typed: a row sent without it keeps its place.
            self.fields["position"] = forms.IntegerField(widget=field.widget, required=False, label=field.label)
            if self.instance.pk is not None:
                self.initial["position"] = self.instance.position - 1

    def clean_position(self):
        # The record's number, by which the formset puts the rows in order before it saves them.
        value = self.cleaned_data.get("position")
        return self.instance.position if value is None else max(value + 1, 0)

    def save(self, commit=True):
        if "position" in self.fields:
            # Where django-nested-admin's save numbered the row again, it wrote the number into the form's data.
            screen = self.fields["position"].clean(self["position"].data)
            if screen is not None:
                self.instance.position = max(screen + 1, 0)
        return super().save(commit)


class PostedChoices:
    """The records of one model that a POSTed screen names in one foreign-key field, in any of its rows
    (`segments-0-appearances-3-person`), loaded together in one query the first time a row asks."""

    def __init__(self, queryset, data, field_name):
        self.queryset = queryset
        self.data = data
        self.field_name = field_name

    @cached_property
    def found(self):
        values = {
            value
            for name in self.data
            if (name == self.field_name or name.endswith(f"-{self.field_name}")) and "__prefix__" not in name
            for value in self.data.getlist(name)
            if value.isascii() and value.isdigit()
        }
        return {str(obj.pk): obj for obj in self.queryset.filter(pk__in=values)}

    def get(self, value):
        return self.found.get(value)


class PostedChoiceField(forms.ModelChoiceField):
    """A choice of record that takes the posted record from `posted` (anything with `get(value)`, such as
    `PostedChoices`) when it is there, and asks the database as any choice field does otherwise."""

    posted = None

    def to_python(self, value):
        if self.posted is not None and value not in self.empty_values:
            found = self.posted.get(str(value))
            if found is not None:
                return found
        return super().to_python(value)


class HearingPartFormSet(NestedInlineFormSet):
    """The rows of one table or list of the hearing screen: segments, speakers, links, participating groups.

    Two rows that break one of the model's unique rules say which rule, in the
    rule's own words; each row's id is checked against the row the formset
    already loaded for it; a row neither changed nor deleted is not read again
    to be saved; each delete box has a name.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A table row's delete box sits under a "Delete?" heading, with no label of its own.
        delete = form.fields.get(DELETION_FIELD_NAME)
        if delete is not None:
            delete.widget.attrs.setdefault("aria-label", delete.label)
        # The posted id of an existing row names the row its form was made from: no query to find it again.
        name = self.model._meta.pk.name
        field = form.fields.get(name)
        if form.instance.pk is not None and type(field) is forms.ModelChoiceField:
            form.fields[name] = PostedChoiceField(
                field.queryset, initial=field.initial, required=False, widget=field.widget
            )
            form.fields[name].posted = {str(form.instance.pk): form.instance}

    def clean(self):
        messages = self.refuse_duplicates()
        try:
            super().clean()  # Django's own check, of the rows left and of any rule not seen here
        except ValidationError as error:
            messages.extend(error.error_list)
        if messages:
            raise ValidationError(messages)

    def refuse_duplicates(self):
        """Each row that repeats an earlier row's values of a unique rule gets the rule's own message
        (“This person already has this role in this segment.”), and so does the table, above it.

        Django's formset check would say “Please correct the duplicate values below.” on the row; the rows
        refused here are invalid already, so it passes them by. The parent's key is left out: all the rows
        share it, and a new parent has none yet.
        """
        messages = []
        rows = [form for form in self.forms if form.is_valid() and not form.cleaned_data.get(DELETION_FIELD_NAME)]
        for constraint in self.model._meta.constraints:
            if (
                not isinstance(constraint, UniqueConstraint)
                or not constraint.fields
                or constraint.condition is not None
            ):
                continue
            names = [name for name in constraint.fields if name != self.fk.name]
            seen = set()
            for form in rows:
                values = tuple(_comparable(form.cleaned_data.get(name)) for name in names)
                if not form.is_valid() or None in values:
                    continue
                if values in seen:
                    form.add_error(None, constraint.violation_error_message)
                    messages.append(constraint.violation_error_message)
                seen.add(values)
        return messages

    def get_saved_instance_for_form(self, form, commit, form_instances=None):
        # django-nested-admin reads each existing row it saves from the database twice before it asks whether the
        # row changed; a row neither changed (nor moved) nor deleted is what the database holds, and is passed by.
        if form in self.initial_forms and form not in self.deleted_forms and not form.has_changed():
            return None
        return super().get_saved_instance_for_form(form, commit, form_instances)


def _comparable(value):
    """A cleaned value as the rows are compared: a record by its key."""
    return value.pk if isinstance(value, Model) else value
