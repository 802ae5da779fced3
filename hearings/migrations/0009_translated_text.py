
from django.db import migrations, models

# The text of the records so far is English: it becomes each translated field's English column.
TRANSLATED = {
    "hearing": ("title", "summary", "convener", "mandate"),
    "segment": ("title", "theme", "summary"),
    "appearance": ("position_title", "summary"),
    "stakeholdergroup": ("name", "description"),
    "process": ("name", "short_name", "mandate", "description"),
    "venue": ("name", "site", "city", "country"),
    "organization": ("name", "short_name"),
}


def copy_to_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("hearings", model_name)
        model.objects.update(**{f"{field}_en": models.F(field) for field in fields})


def copy_from_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("hearings", model_name)
        model.objects.update(**{field: models.F(f"{field}_en") for field in fields})


class Migration(migrations.Migration):

    dependencies = [
        ('hearings', '0008_group_index_names'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='organization',
            name='organization_name',
        ),
        migrations.AddField(
            model_name='appearance',
            name='position_title_ar',
            field=models.CharField(blank=True, help_text='The title the person held at this hearing, as the source gives it: “Chairperson”.', max_length=300, null=True, verbose_name='position at the time'),
        ),
        migrations.AddField(
            model_name='appearance',
            name='position_title_en',
            field=models.CharField(blank=True, help_text='The title the person held at this hearing, as the source gives it: “Chairperson”.', max_length=300, null=True, verbose_name='position at the time'),
        ),
        migrations.AddField(
            model_name='appearance',
            name='position_title_es',
            field=models.CharField(blank=True, help_text='The title the person held at this hearing, as the source gives it: “Chairperson”.', max_length=300, null=True, verbose_name='position at the time'),
        ),
        migrations.AddField(
            model_name='appearance',
            name='position_title_fr',
            field=models.CharField(blank=True, help_text='The title the person held at this hearing, as the source gives it: “Chairperson”.', max_length=300, null=True, verbose_name='position at the time'),
        ),
        migrations.AddField(
            model_name='appearance',
            name='position_title_ru',
            field=models.CharField(blank=True, help_text='The title the person held at this hearing, as the source gives it: “Chairperson”.', max_length=300, null=True, verbose_name='position at the time'),
        ),
        migrations.AddField(
            model_name='appearance',
            name='position_title_zh_hans',
            field=models.CharField(blank=True, help_text='The title the person held at this hearing, as the source gives it: “Chairperson”.', max_length=300, null=True, verbose_name='position at the time'),
        ),
        migrations.AddField(
            model_name='appearance',
            name='summary_ar',
            field=models.TextField(blank=True, null=True, verbose_name='what they said'),
        ),
        migrations.AddField(
            model_name='appearance',
            name='summary_en',
            field=models.TextField(blank=True, null=True, verbose_name='what they said'),
        ),
        migrations.AddField(
            model_name='appearance',
            name='summary_es',
            field=models.TextField(blank=True, null=True, verbose_name='what they said'),
        ),
        migrations.AddField(
            model_name='appearance',
            name='summary_fr',
            field=models.TextField(blank=True, null=True, verbose_name='what they said'),
        ),
        migrations.AddField(
            model_name='appearance',
            name='summary_ru',
            field=models.TextField(blank=True, null=True, verbose_name='what they said'),
        ),
        migrations.AddField(
            model_name='appearance',
            name='summary_zh_hans',
            field=models.TextField(blank=True, null=True, verbose_name='what they said'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='convener_ar',
            field=models.CharField(blank=True, help_text='Who convened or organized the hearing.', max_length=300, null=True, verbose_name='convener'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='convener_en',
            field=models.CharField(blank=True, help_text='Who convened or organized the hearing.', max_length=300, null=True, verbose_name='convener'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='convener_es',
            field=models.CharField(blank=True, help_text='Who convened or organized the hearing.', max_length=300, null=True, verbose_name='convener'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='convener_fr',
            field=models.CharField(blank=True, help_text='Who convened or organized the hearing.', max_length=300, null=True, verbose_name='convener'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='convener_ru',
            field=models.CharField(blank=True, help_text='Who convened or organized the hearing.', max_length=300, null=True, verbose_name='convener'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='convener_zh_hans',
            field=models.CharField(blank=True, help_text='Who convened or organized the hearing.', max_length=300, null=True, verbose_name='convener'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='mandate_ar',
            field=models.CharField(blank=True, help_text='For example “paragraph 30 of General Assembly resolution 71/280”.', max_length=300, null=True, verbose_name='mandate'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='mandate_en',
            field=models.CharField(blank=True, help_text='For example “paragraph 30 of General Assembly resolution 71/280”.', max_length=300, null=True, verbose_name='mandate'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='mandate_es',
            field=models.CharField(blank=True, help_text='For example “paragraph 30 of General Assembly resolution 71/280”.', max_length=300, null=True, verbose_name='mandate'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='mandate_fr',
            field=models.CharField(blank=True, help_text='For example “paragraph 30 of General Assembly resolution 71/280”.', max_length=300, null=True, verbose_name='mandate'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='mandate_ru',
            field=models.CharField(blank=True, help_text='For example “paragraph 30 of General Assembly resolution 71/280”.', max_length=300, null=True, verbose_name='mandate'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='mandate_zh_hans',
            field=models.CharField(blank=True, help_text='For example “paragraph 30 of General Assembly resolution 71/280”.', max_length=300, null=True, verbose_name='mandate'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='summary_ar',
            field=models.TextField(blank=True, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='summary_en',
            field=models.TextField(blank=True, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='summary_es',
            field=models.TextField(blank=True, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='summary_fr',
            field=models.TextField(blank=True, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='summary_ru',
            field=models.TextField(blank=True, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='summary_zh_hans',
            field=models.TextField(blank=True, null=True, verbose_name='summary'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='title_ar',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='title_en',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='title_es',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='title_fr',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='title_ru',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='hearing',
            name='title_zh_hans',
            field=models.CharField(max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='organization',
            name='name_ar',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='organization',
            name='name_en',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='organization',
            name='name_es',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='organization',
            name='name_fr',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='organization',
            name='name_ru',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='organization',
            name='name_zh_hans',
            field=models.CharField(max_length=300, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='organization',
            name='short_name_ar',
            field=models.CharField(blank=True, max_length=50, null=True, verbose_name='short name or acronym'),
        ),
        migrations.AddField(
            model_name='organization',
            name='short_name_en',
            field=models.CharField(blank=True, max_length=50, null=True, verbose_name='short name or acronym'),
        ),
        migrations.AddField(
            model_name='organization',
            name='short_name_es',
            field=models.CharField(blank=True, max_length=50, null=True, verbose_name='short name or acronym'),
        ),
        migrations.AddField(
            model_name='organization',
            name='short_name_fr',
            field=models.CharField(blank=True, max_length=50, null=True, verbose_name='short name or acronym'),
        ),
        migrations.AddField(
            model_name='organization',
            name='short_name_ru',
            field=models.CharField(blank=True, max_length=50, null=True, verbose_name='short name or acronym'),
        ),
        migrations.AddField(
            model_name='organization',
            name='short_name_zh_hans',
            field=models.CharField(blank=True, max_length=50, null=True, verbose_name='short name or acronym'),
        ),
        migrations.AddField(
            model_name='process',
            name='description_ar',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='process',
            name='description_en',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='process',
            name='description_es',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='process',
            name='description_fr',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='process',
            name='description_ru',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='process',
            name='description_zh_hans',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='process',
            name='mandate_ar',
            field=models.CharField(blank=True, help_text='The decision that set up the process.', max_length=300, null=True, verbose_name='mandate'),
        ),
        migrations.AddField(
            model_name='process',
            name='mandate_en',
            field=models.CharField(blank=True, help_text='The decision that set up the process.', max_length=300, null=True, verbose_name='mandate'),
        ),
        migrations.AddField(
            model_name='process',
            name='mandate_es',
            field=models.CharField(blank=True, help_text='The decision that set up the process.', max_length=300, null=True, verbose_name='mandate'),
        ),
        migrations.AddField(
            model_name='process',
            name='mandate_fr',
            field=models.CharField(blank=True, help_text='The decision that set up the process.', max_length=300, null=True, verbose_name='mandate'),
        ),
        migrations.AddField(
            model_name='process',
            name='mandate_ru',
            field=models.CharField(blank=True, help_text='The decision that set up the process.', max_length=300, null=True, verbose_name='mandate'),
        ),
        migrations.AddField(
            model_name='process',
            name='mandate_zh_hans',
            field=models.CharField(blank=True, help_text='The decision that set up the process.', max_length=300, null=True, verbose_name='mandate'),
        ),
        migrations.AddField(
            model_name='process',
            name='name_ar',
            field=models.CharField(max_length=300, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='process',
            name='name_en',
            field=models.CharField(max_length=300, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='process',
            name='name_es',
            field=models.CharField(max_length=300, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='process',
            name='name_fr',
            field=models.CharField(max_length=300, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='process',
            name='name_ru',
            field=models.CharField(max_length=300, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='process',
            name='name_zh_hans',
            field=models.CharField(max_length=300, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='process',
            name='short_name_ar',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='short name'),
        ),
        migrations.AddField(
            model_name='process',
            name='short_name_en',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='short name'),
        ),
        migrations.AddField(
            model_name='process',
            name='short_name_es',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='short name'),
        ),
        migrations.AddField(
            model_name='process',
            name='short_name_fr',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='short name'),
        ),
        migrations.AddField(
            model_name='process',
            name='short_name_ru',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='short name'),
        ),
        migrations.AddField(
            model_name='process',
            name='short_name_zh_hans',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='short name'),
        ),
        migrations.AddField(
            model_name='segment',
            name='summary_ar',
            field=models.TextField(blank=True, null=True, verbose_name='summary of the discussion'),
        ),
        migrations.AddField(
            model_name='segment',
            name='summary_en',
            field=models.TextField(blank=True, null=True, verbose_name='summary of the discussion'),
        ),
        migrations.AddField(
            model_name='segment',
            name='summary_es',
            field=models.TextField(blank=True, null=True, verbose_name='summary of the discussion'),
        ),
        migrations.AddField(
            model_name='segment',
            name='summary_fr',
            field=models.TextField(blank=True, null=True, verbose_name='summary of the discussion'),
        ),
        migrations.AddField(
            model_name='segment',
            name='summary_ru',
            field=models.TextField(blank=True, null=True, verbose_name='summary of the discussion'),
        ),
        migrations.AddField(
            model_name='segment',
            name='summary_zh_hans',
            field=models.TextField(blank=True, null=True, verbose_name='summary of the discussion'),
        ),
        migrations.AddField(
            model_name='segment',
            name='theme_ar',
            field=models.CharField(blank=True, max_length=500, null=True, verbose_name='theme'),
        ),
        migrations.AddField(
            model_name='segment',
            name='theme_en',
            field=models.CharField(blank=True, max_length=500, null=True, verbose_name='theme'),
        ),
        migrations.AddField(
            model_name='segment',
            name='theme_es',
            field=models.CharField(blank=True, max_length=500, null=True, verbose_name='theme'),
        ),
        migrations.AddField(
            model_name='segment',
            name='theme_fr',
            field=models.CharField(blank=True, max_length=500, null=True, verbose_name='theme'),
        ),
        migrations.AddField(
            model_name='segment',
            name='theme_ru',
            field=models.CharField(blank=True, max_length=500, null=True, verbose_name='theme'),
        ),
        migrations.AddField(
            model_name='segment',
            name='theme_zh_hans',
            field=models.CharField(blank=True, max_length=500, null=True, verbose_name='theme'),
        ),
        migrations.AddField(
            model_name='segment',
            name='title_ar',
            field=models.CharField(blank=True, help_text='For example “First panel”.', max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='segment',
            name='title_en',
            field=models.CharField(blank=True, help_text='For example “First panel”.', max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='segment',
            name='title_es',
            field=models.CharField(blank=True, help_text='For example “First panel”.', max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='segment',
            name='title_fr',
            field=models.CharField(blank=True, help_text='For example “First panel”.', max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='segment',
            name='title_ru',
            field=models.CharField(blank=True, help_text='For example “First panel”.', max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='segment',
            name='title_zh_hans',
            field=models.CharField(blank=True, help_text='For example “First panel”.', max_length=300, null=True, verbose_name='title'),
        ),
        migrations.AddField(
            model_name='stakeholdergroup',
            name='description_ar',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='stakeholdergroup',
            name='description_en',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='stakeholdergroup',
            name='description_es',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='stakeholdergroup',
            name='description_fr',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='stakeholdergroup',
            name='description_ru',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='stakeholdergroup',
            name='description_zh_hans',
            field=models.TextField(blank=True, null=True, verbose_name='description'),
        ),
        migrations.AddField(
            model_name='stakeholdergroup',
            name='name_ar',
            field=models.CharField(max_length=200, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='stakeholdergroup',
            name='name_en',
            field=models.CharField(max_length=200, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='stakeholdergroup',
            name='name_es',
            field=models.CharField(max_length=200, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='stakeholdergroup',
            name='name_fr',
            field=models.CharField(max_length=200, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='stakeholdergroup',
            name='name_ru',
            field=models.CharField(max_length=200, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='stakeholdergroup',
            name='name_zh_hans',
            field=models.CharField(max_length=200, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='venue',
            name='city_ar',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='city'),
        ),
        migrations.AddField(
            model_name='venue',
            name='city_en',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='city'),
        ),
        migrations.AddField(
            model_name='venue',
            name='city_es',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='city'),
        ),
        migrations.AddField(
            model_name='venue',
            name='city_fr',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='city'),
        ),
        migrations.AddField(
            model_name='venue',
            name='city_ru',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='city'),
        ),
        migrations.AddField(
            model_name='venue',
            name='city_zh_hans',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='city'),
        ),
        migrations.AddField(
            model_name='venue',
            name='country_ar',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='country'),
        ),
        migrations.AddField(
            model_name='venue',
            name='country_en',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='country'),
        ),
        migrations.AddField(
            model_name='venue',
            name='country_es',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='country'),
        ),
        migrations.AddField(
            model_name='venue',
            name='country_fr',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='country'),
        ),
        migrations.AddField(
            model_name='venue',
            name='country_ru',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='country'),
        ),
        migrations.AddField(
            model_name='venue',
            name='country_zh_hans',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='country'),
        ),
        migrations.AddField(
            model_name='venue',
            name='name_ar',
            field=models.CharField(help_text='For example “Trusteeship Chamber”.', max_length=200, null=True, verbose_name='room'),
        ),
        migrations.AddField(
            model_name='venue',
            name='name_en',
            field=models.CharField(help_text='For example “Trusteeship Chamber”.', max_length=200, null=True, verbose_name='room'),
        ),
        migrations.AddField(
            model_name='venue',
            name='name_es',
            field=models.CharField(help_text='For example “Trusteeship Chamber”.', max_length=200, null=True, verbose_name='room'),
        ),
        migrations.AddField(
            model_name='venue',
            name='name_fr',
            field=models.CharField(help_text='For example “Trusteeship Chamber”.', max_length=200, null=True, verbose_name='room'),
        ),
        migrations.AddField(
            model_name='venue',
            name='name_ru',
            field=models.CharField(help_text='For example “Trusteeship Chamber”.', max_length=200, null=True, verbose_name='room'),
        ),
        migrations.AddField(
            model_name='venue',
            name='name_zh_hans',
            field=models.CharField(help_text='For example “Trusteeship Chamber”.', max_length=200, null=True, verbose_name='room'),
        ),
        migrations.AddField(
            model_name='venue',
            name='site_ar',
            field=models.CharField(blank=True, help_text='“United Nations Headquarters”.', max_length=200, null=True, verbose_name='site'),
        ),
        migrations.AddField(
            model_name='venue',
            name='site_en',
            field=models.CharField(blank=True, help_text='“United Nations Headquarters”.', max_length=200, null=True, verbose_name='site'),
        ),
        migrations.AddField(
            model_name='venue',
            name='site_es',
            field=models.CharField(blank=True, help_text='“United Nations Headquarters”.', max_length=200, null=True, verbose_name='site'),
        ),
        migrations.AddField(
            model_name='venue',
            name='site_fr',
            field=models.CharField(blank=True, help_text='“United Nations Headquarters”.', max_length=200, null=True, verbose_name='site'),
        ),
        migrations.AddField(
            model_name='venue',
            name='site_ru',
            field=models.CharField(blank=True, help_text='“United Nations Headquarters”.', max_length=200, null=True, verbose_name='site'),
        ),
        migrations.AddField(
            model_name='venue',
            name='site_zh_hans',
            field=models.CharField(blank=True, help_text='“United Nations Headquarters”.', max_length=200, null=True, verbose_name='site'),
        ),
        migrations.AddIndex(
            model_name='organization',
            index=models.Index(models.F('name'), name='organization_name'),
        ),
        migrations.RunPython(copy_to_english, copy_from_english),
    ]
