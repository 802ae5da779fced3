"""People and organizations imported from CSV or spreadsheet files in the admin (django-import-export).

A row is matched as the hearing import matches: by slug, then by folded name
(“LAJČÁK” is “Lajčák”, and the stored spelling stays); a row that matches
nothing is a new record. An empty cell never erases what the records hold; a new record without a slug gets one
made from its name. Rows are validated as the admin validates a form, and each
error is shown on its row; the admin shows the whole result (new, changed,
unchanged, errors) before anything is written.
"""

from import_export import fields, resources, widgets

from .forms import ascii_slug
from .models import Organization, Person, StakeholderGroup
from .text import fold


class GroupWidget(widgets.ForeignKeyWidget):
    """A stakeholder group given by its slug or its name."""

    def __init__(self):
        super().__init__(StakeholderGroup, field="slug")

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip() if isinstance(value, str) else value
        if not value:
            return None
        found = StakeholderGroup.objects.filter(slug=value).first() or (
            StakeholderGroup.objects.filter(name__iexact=value).order_by("pk").first()
        )
        if found is None:
            raise ValueError(f"“{value}” is not one of the stakeholder groups.")
        return found


class MatchedRecordResource(resources.ModelResource):
    """Rows matched by slug, then folded name; blank cells keep the stored value."""

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
        return next((obj for obj in model.objects.search(name).order_by("pk") if fold(obj.name) == wanted), None)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        value = row.get(field.column_name)
        if instance.pk is not None and (value is None or (isinstance(value, str) and not value.strip())):
            return
        if instance.pk is not None and field.attribute == "name" and fold(str(value)) == fold(instance.name):
            # The same name written otherwise (capitals, no accents): the stored spelling stays.
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.slug:
            instance.slug = ascii_slug(instance.name)
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


class OrganizationResource(MatchedRecordResource):
    stakeholder_group = fields.Field(
        attribute="stakeholder_group", column_name="stakeholder_group", widget=GroupWidget()
    )

    class Meta:
        model = Organization
        fields = ("slug", "name", "short_name", "stakeholder_group", "country", "website")
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
