from django.core.management.base import BaseCommand

from hearings.domain.maintenance import analyze


class Command(BaseCommand):
    help = (
        "Refresh the database's query-planner statistics (ANALYZE). Run it after restoring a backup or loading "
        "many records at once; generate_demo_data runs it itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *, database, **options):
        analyze(database)
        self.stdout.write(self.style.SUCCESS("Planner statistics refreshed."))
