"""People and organizations imported from CSV or spreadsheet files in the admin (django-import-export).

A row is matched as the hearing import matches: by slug, then by folded name
(“LAJČÁK” is “Lajčák”, and the stored spelling stays); a row that matches
nothing is a new record. An empty cell never erases what the records hold; a new record without a slug gets one
made from its name. Rows are validated as the admin validates a form, and each
error is shown on its row; the admin shows the whole result (new, changed,
unchanged, errors) before anything is written.

An organization's `name` and `short_name` are its English text, whatever
language the editor's screen is in; `name_fr`, `short_name_fr`, … (`_ar`,
`_zh_hans`, `_fr`, `_ru`, `_es`) are the other languages', and a blank cell
keeps those too.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Q, TextField
from django.utils.translation import gettext
from import_export import fields, resources, widgets

from .models import Organization, Person, StakeholderGroup
from .text import ascii_slug, fold
from .translated import SOURCE_LANGUAGE, column, languages


class GroupWidget(widgets.ForeignKeyWidget):
    """A stakeholder group given by its slug or its name."""

    def __init__(self):
        super().__init__(StakeholderGroup, field="slug")

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip() if isinstance(value, str) else value
        if not value:
            return None
        by_name = Q()
        for language in languages():  # a group's name in any of its languages: "Trade unions", "Syndicats"
            by_name |= Q(**{f"{column('name', language)}__iexact": value})
        found = StakeholderGroup.objects.filter(slug=value).first() or (
            StakeholderGroup.objects.filter(by_name).order_by("pk").first()
        )
        if found is None:
            raise ValueError(gettext("“%(name)s” is not one of the stakeholder groups.") % {"name": value})
        return found


class EnglishField(fields.Field):
    """A translated field under its plain name: its English text, read and written."""

    def get_value(self, instance):
        return getattr(instance, column(self.attribute, SOURCE_LANGUAGE))


def _english_name(obj):
    return getattr(obj, column("name", SOURCE_LANGUAGE), None) or obj.name


def _takes_blank_text(model, attribute):
    try:
        model_field = model._meta.get_field(attribute)
    except FieldDoesNotExist:
        return False
    return isinstance(model_field, CharField | TextField) and not model_field.null


class MatchedRecordResource(resources.ModelResource):
    """Rows matched by slug, then folded name; blank cells keep the stored value."""

    # The columns a file must have (their cells may be blank): the admin's import form refuses a file without
    # one, naming it, before the library reads the rows.
    required_columns = ("slug", "name")

    def get_instance(self, instance_loader, row):
        model = self._meta.model
        slug = str(row.get("slug") or "").strip()
        if slug:
            found = model.objects.filter(slug=slug).first()
            if found is not None:
                return found
        name = str(row.get("name") or "").strip()
        if not name:
            return None
        wanted = fold(name)
        candidates = model.objects.search(name).order_by("pk")
        return next((obj for obj in candidates if fold(_english_name(obj)) == wanted), None)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        value = row.get(field.column_name)
        if instance.pk is not None and (value is None or (isinstance(value, str) and not value.strip())):
            return
        if instance.pk is None and value is None and _takes_blank_text(self._meta.model, field.attribute):
            # An empty XLSX cell (or a formula's, which openpyxl reads without its value) is None where a CSV
            # cell is "": a new record's text is then empty, as the model's own default, not a NOT NULL error.
            setattr(instance, field.attribute, "")
            return
        if instance.pk is not None and field.attribute == "name" and fold(str(value)) == fold(_english_name(instance)):
            # The same name written otherwise (capitals, no accents): the stored spelling stays.
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.slug:
            instance.slug = ascii_slug(_english_name(instance))
        self.complete(instance)

    def complete(self, instance):
        pass


class PersonResource(MatchedRecordResource):
    class Meta:
        model = Person
        fields = ("slug", "name", "sort_name", "honorific_prefix", "other_names", "biography")
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def complete(self, instance):
        if not instance.sort_name:
            # Sorted by the name as written until an editor gives the sort form (“Lajčák, Miroslav”).
            instance.sort_name = instance.name


ORGANIZATION_TRANSLATIONS = tuple(
    column(name, language) for name in ("name", "short_name") for language in languages() if language != SOURCE_LANGUAGE
)


class OrganizationResource(MatchedRecordResource):
    name = EnglishField(attribute="name", column_name="name", widget=widgets.CharWidget())
    short_name = EnglishField(attribute="short_name", column_name="short_name", widget=widgets.CharWidget())
    stakeholder_group = fields.Field(
        attribute="stakeholder_group", column_name="stakeholder_group", widget=GroupWidget()
    )

    class Meta:
        model = Organization
        fields = ("slug", "name", "short_name", "stakeholder_group", "country", "website", *ORGANIZATION_TRANSLATIONS)
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
