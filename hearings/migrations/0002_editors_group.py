"""The "Editors" group: staff in it can enter, correct and publish hearings, and nothing else."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Editors"
ACTIONS = ("add", "change", "delete", "view")
# Derived data, rebuilt from the records; nobody edits it.
NOT_EDITED = {"hearinggroupindex"}


def create_editors_group(apps, schema_editor):
    using = schema_editor.connection.alias
    # Permissions are normally made after all migrations (post_migrate); the group needs them now.
    create_permissions(global_apps.get_app_config("hearings"), verbosity=0, using=using, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    model_names = [
        model._meta.model_name
        for model in apps.get_app_config("hearings").get_models()
        if model._meta.model_name not in NOT_EDITED
    ]
    codenames = [f"{action}_{name}" for name in model_names for action in ACTIONS]
    permissions = Permission.objects.using(using).filter(content_type__app_label="hearings", codename__in=codenames)
    group, _created = Group.objects.using(using).get_or_create(name=GROUP_NAME)
    group.permissions.add(*permissions)


def delete_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hearings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_editors_group, delete_editors_group),
    ]
