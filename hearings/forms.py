"""Admin forms: ASCII slugs made on the server, and constraint messages in inline formsets."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db.models import UniqueConstraint
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from nested_admin.formsets import NestedInlineFormSet
from unidecode import unidecode


def ascii_slug(text, max_length=200):
    """“Miroslav Lajčák” gives “miroslav-lajcak”: transliterated, lower-case, at most `max_length` long."""
    return slugify(unidecode(text or ""))[:max_length].strip("-")


def _is_valid_slug(value):
    try:
        validate_slug(value)
    except ValidationError:
        return False
    return True


class SlugFromNameForm(forms.ModelForm):
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
            source = " ".join(str(cleaned_data.get(name) or "") for name in self.slug_source).strip()
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


class HearingForm(SlugFromNameForm):
    slug_source = ("title",)


class VenueForm(SlugFromNameForm):
    slug_source = ("name", "city")


class ConstraintMessageFormSet(NestedInlineFormSet):
    """Duplicates among the forms of one inline name the model constraint's own message.

    Django's formset already compares the new rows with each other (the
    database cannot, as they are not saved yet); this only replaces its
    generic message with the constraint's.
    """

    def get_unique_error_message(self, unique_check):
        wanted = set(unique_check) - {self.fk.name}
        for constraint in self.model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and set(constraint.fields) - {self.fk.name} == wanted:
                return constraint.violation_error_message
        return super().get_unique_error_message(unique_check)
