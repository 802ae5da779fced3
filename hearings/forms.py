"""Admin forms: ASCII slugs made on the server, and constraint messages in inline formsets."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_slug
from django.db.models import UniqueConstraint
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from nested_admin.formsets import NestedInlineFormSet, mutable_querydict

from .text import ascii_slug
from .translated import SOURCE_LANGUAGE, column, translated_fields


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
        from .history import latest_revision

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
        if "slug" not in self.fields or "slug" in self._errors:
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


class HearingPartForm(forms.ModelForm):
    """A segment, speaker, link or participating group on the hearing screen.

    The records number rows from 1, as the seed, the import and the API do; the
    screen's drag and drop numbers them from 0. So the form shows each row's
    order less one and stores what comes back plus one: a save that moves
    nothing changes no row's order (and records no change), and a row moved
    by hand keeps the 1-based numbering.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("position")
        if field is not None:
            self.fields["position"] = forms.IntegerField(widget=field.widget, required=False, label=field.label)
            if self.instance.pk is not None:
                self.initial["position"] = self.instance.position - 1

    def clean_position(self):
        value = self.cleaned_data.get("position")
        return self.instance.position if value is None else max(value + 1, 0)


class PostedChoices:
    """The records that one foreign-key field names anywhere in a POSTed form, loaded in one query on first use.

    The hearing screen posts a field such as `person` once per row
    (`segments-0-appearances-3-person`); each row's field asks here instead of the database.
    """

    def __init__(self, queryset, values):
        self.queryset = queryset
        self.values = values
        self.found = None

    def get(self, value):
        if self.found is None:
            self.found = {str(obj.pk): obj for obj in self.queryset.filter(pk__in=self.values)}
        return self.found.get(str(value))


def posted_choices(request, field_name, queryset):
    """The `PostedChoices` of `field_name` in this request, shared by every row's field."""
    lookups = request.__dict__.setdefault("_posted_choices", {})
    key = (queryset.model, field_name)
    if key not in lookups:
        values = {
            value
            for name in request.POST
            if (name == field_name or name.endswith(f"-{field_name}")) and "__prefix__" not in name
            for value in request.POST.getlist(name)
            if value.isascii() and value.isdigit()
        }
        lookups[key] = PostedChoices(queryset, values)
    return lookups[key]


class PostedChoiceField(forms.ModelChoiceField):
    """A choice of record that looks the posted value up in the request's `PostedChoices`, when it has them."""

    posted = None

    def to_python(self, value):
        if self.posted is not None and value not in self.empty_values:
            found = self.posted.get(value)
            if found is not None:
                return found
        return super().to_python(value)


class VenueForm(SlugFromNameForm):
    slug_source = ("name", "city")


class ConstraintMessageFormSet(NestedInlineFormSet):
    """Duplicates among the forms of one inline name the model constraint's own message.

    Django's formset already compares the new rows with each other (the
    database cannot, as they are not saved yet); this only replaces its
    generic message with the constraint's.
    """

    def process_forms_pre_save(self, forms):
        """Number the rows 1, 2, 3… in the order the screen sent them, skipping deleted rows.

        django-nested-admin numbers them from 0; the records number from 1 (see `HearingPartForm`). A row
        already at its number is left alone, so a save that moves nothing changes no order.
        """
        sort_field = getattr(self, "sortable_field_name", None)
        if sort_field is None:
            return forms
        forms.sort(key=lambda form: getattr(form, "cleaned_data", {}).get(sort_field) or 0)
        number = 1
        for form in forms:
            if self._should_delete_form(form) or (not form._is_initial and not form.has_changed()):
                continue
            if getattr(form.instance, sort_field) != number:
                setattr(form.instance, sort_field, number)
                with mutable_querydict(form.data):
                    form.data[form.add_prefix(sort_field)] = str(number - 1)
                form.__dict__.pop("changed_data", None)
            number += 1
        return forms

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A table row's delete box sits under a "Delete?" heading, with no label of its own.
        delete = form.fields.get(DELETION_FIELD_NAME)
        if delete is not None:
            delete.widget.attrs.setdefault("aria-label", delete.label)
        # The row's id is checked against the rows the formset already loaded, not one query per row.
        name = self._pk_field.name
        field = form.fields.get(name)
        if isinstance(field, forms.ModelChoiceField) and not isinstance(field, PostedChoiceField):
            form.fields[name] = PostedChoiceField(
                field.queryset, initial=field.initial, required=False, widget=field.widget
            )
            form.fields[name].posted = _LoadedRows(self)

    def save_existing_objects(self, initial_forms=None, commit=True):
        # An unchanged row that is neither moved nor deleted is what the database holds: the nested
        # admin would still read it three times before deciding not to save it.
        if initial_forms:
            initial_forms = [form for form in initial_forms if self._should_delete_form(form) or form.has_changed()]
        return super().save_existing_objects(initial_forms, commit)

    def validate_unique(self):
        try:
            super().validate_unique()
        except ValidationError:
            self._name_duplicate_rows()
            raise

    def _name_duplicate_rows(self):
        """A duplicate row says which rule it breaks, not only “Please correct the duplicate values below.”

        Django's check takes the fields of the broken rule out of the row's cleaned data, which tells the rule.
        """
        generic = self.get_form_error()
        for form in self.forms:
            errors = (form._errors or {}).get(NON_FIELD_ERRORS)
            if errors is None or list(errors) != [generic]:
                continue
            for constraint in self.model._meta.constraints:
                fields = set(getattr(constraint, "fields", ())) - {self.fk.name}
                if isinstance(constraint, UniqueConstraint) and fields and not fields & form.cleaned_data.keys():
                    form._errors[NON_FIELD_ERRORS] = form.error_class(
                        [constraint.violation_error_message], error_class="nonfield", renderer=form.renderer
                    )
                    break

    def get_unique_error_message(self, unique_check):
        wanted = set(unique_check) - {self.fk.name}
        for constraint in self.model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and set(constraint.fields) - {self.fk.name} == wanted:
                return constraint.violation_error_message
        return super().get_unique_error_message(unique_check)


class _LoadedRows:
    """A formset's own rows, looked up by posted id (see `PostedChoices`)."""

    def __init__(self, formset):
        self.formset = formset

    def get(self, value):
        value = str(value)
        return self.formset._existing_object(int(value)) if value.isascii() and value.isdigit() else None
