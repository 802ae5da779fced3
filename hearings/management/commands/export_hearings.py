"""Export hearings to a JSON file that `import_hearings` (or the admin's *Import hearings*) takes back.

    python manage.py export_hearings [SLUG ...] [--output FILE]

Every hearing, drafts too, or those whose slugs are given, in the shape of the
read API's hearing detail with each text once per language: the plain fields
in English, `translations` holding the other languages
(`opendata.api.serializers.export_hearings`). Edit the file and import it back:
the import creates hearings and never changes one, so it is imported into
another database, or once the hearings it holds are deleted.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from hearings.models import Hearing
from hearings.queries import selectors
from opendata.api.serializers import export_hearings


class Command(BaseCommand):
    help = "Export hearings (drafts too) to JSON that import_hearings takes back, each text once per language."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG", help="the hearings to export (all when none is given)")
        parser.add_argument("--output", "-o", metavar="FILE", help="the file to write (the standard output if none)")

    def handle(self, *args, slugs, output, **options):
        hearings = Hearing.objects.all()
        if slugs:
            found = set(hearings.filter(slug__in=slugs).values_list("slug", flat=True))
            missing = [slug for slug in dict.fromkeys(slugs) if slug not in found]
            if missing:
                raise CommandError("No hearing with the slug: " + ", ".join(missing))
            hearings = hearings.filter(slug__in=slugs)
        hearings = selectors.hearings_for_detail(hearings.order_by("date", "ordinal", "pk"))
        data = export_hearings(hearings.defer(None).defer("search_text"))
        text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror or error}") from error
        self.stdout.write(self.style.SUCCESS(f"Exported {len(data)} hearings to {output}."))
