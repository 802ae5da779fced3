"""People and organizations imported from CSV or spreadsheet files in the admin (django-import-export).

A row is matched as the hearing import matches (`hearings.domain.matching`): by slug,
then by folded name (“LAJČÁK” is “Lajčák”, and the stored spelling stays); a
row that matches nothing is a new record. An empty cell never erases what the
records hold; a new record without a slug gets one made from its name, and a
new person without a sort name is sorted by the name as written. Rows are
validated as the admin validates a form, and each error is shown on its row;
the admin shows the whole result (new, changed, unchanged, errors) before
anything is written.

An organization's `name` and `short_name` are its English text, whatever
language the editor's screen is in; `name_fr`, `short_name_fr`, … (`_ar`,
`_zh_hans`, `_fr`, `_ru`, `_es`) are the other languages', and a blank cell
keeps those too.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, TextField
from django.utils.translation import gettext
from import_export import fields, resources, widgets

from hearings.domain import matching
from hearings.domain.record_text import SOURCE_LANGUAGE, column, languages
from hearings.models import Organization, Person, StakeholderGroup


class GroupWidget(widgets.ForeignKeyWidget):
    """A stakeholder group given by its slug or its name (in any of its languages: "Trade unions", "Syndicats")."""

    def __init__(self):
        super().__init__(StakeholderGroup, field="slug")

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip() if isinstance(value, str) else value
        if not value:
            return None
        found = matching.find(StakeholderGroup, slug=value, name=value)
        if found is None:
            raise ValueError(gettext("“%(name)s” is not one of the stakeholder groups.") % {"name": value})
        return found


def english_field(name):
    """A translated field under its plain name as the column: its English text, read and written."""
    return fields.Field(attribute=column(name, SOURCE_LANGUAGE), column_name=name, widget=widgets.CharWidget())


def _takes_blank_text(model, attribute):
    try:
        model_field = model._meta.get_field(attribute)
    except FieldDoesNotExist:
        return False
    return isinstance(model_field, CharField | TextField) and not model_field.null


class MatchedRecordResource(resources.ModelResource):
    """Rows matched by slug, then folded name (`hearings.domain.matching`); blank cells keep the stored value."""

    # The columns a file must have (their cells may be blank): the admin's import form refuses a file without
    # one, naming it, before the library reads the rows.
    required_columns = ("slug", "name")

    def get_instance(self, instance_loader, row):
        return matching.find(
            self.get_queryset().model,
            slug=str(row.get("slug") or "").strip(),
            name=str(row.get("name") or "").strip(),
        )

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        value = row.get(field.column_name)
        if instance.pk is not None and (value is None or (isinstance(value, str) and not value.strip())):
            return
        if instance.pk is None and value is None and _takes_blank_text(type(instance), field.attribute):
            # An empty XLSX cell (or a formula's, which openpyxl reads without its value) is None where a CSV
            # cell is "": a new record's text is then empty, as the model's own default, not a NOT NULL error.
            setattr(instance, field.attribute, "")
            return
        if instance.pk is not None and field.column_name == "name" and matching.same_name(instance, value):
            # The same name written otherwise (capitals, no accents): the stored spelling stays.
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.pk is None:
            matching.complete_new(instance)


class PersonResource(MatchedRecordResource):
    class Meta:
        model = Person
        fields = ("slug", "name", "sort_name", "honorific_prefix", "other_names", "biography")
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


ORGANIZATION_TRANSLATIONS = tuple(
    column(name, language) for name in ("name", "short_name") for language in languages() if language != SOURCE_LANGUAGE
)


class OrganizationResource(MatchedRecordResource):
    name = english_field("name")
    short_name = english_field("short_name")
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
