"""Import hearings from JSON files in the read API's hearing-detail shape.

    python manage.py import_hearings FILE [FILE ...] [--dry-run]

Imported hearings are drafts. All or nothing: one invalid record stops the
whole import, which writes nothing, and every error names the file, the record
and the field. `--dry-run` reports what would be created, matched or completed
and changes nothing. A file is refused whole when it holds more than the
command's limits allow (`HEARING_IMPORT_COMMAND_MAX_*` in the settings: larger
than the admin screen's). See `hearings.domain.importing` and `hearings.domain.limits`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hearings.domain.importing import ImportFailed, import_hearings
from hearings.domain.limits import command_limits, too_large


class Command(BaseCommand):
    help = "Import hearings (as drafts) from JSON files shaped like the API's hearing detail."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="JSON file: one hearing object or a list of them")
        parser.add_argument("--dry-run", action="store_true", help="report what would be imported; write nothing")

    def handle(self, *args, files, dry_run, **options):
        limits = command_limits()
        contents = []
        for name in files:
            path = Path(name)
            try:
                size = path.stat().st_size
                if size > limits.bytes:  # refused before it is read
                    raise CommandError("Nothing was imported:\n  " + too_large(path.name, size, limits))
                contents.append((path.name, path.read_bytes()))
            except OSError as error:
                raise CommandError(f"{name}: {error.strerror or error}") from error
        try:
            report = import_hearings(contents, limits=limits, dry_run=dry_run)
        except ImportFailed as failed:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {error}" for error in failed.errors)
            ) from failed
        for hearing in report.hearings:
            self.stdout.write(
                f"{hearing.source}: {hearing.slug}: {hearing.title} — {hearing.segments} segments, "
                f"{hearing.speakers} speakers, {hearing.links} links, {hearing.groups} participating groups"
            )
            for record in hearing.records:
                detail = f" ({record.detail})" if record.detail else ""
                self.stdout.write(f"    {record.outcome:9} {record.kind}: {record.label}{detail}")
        verb = "Would import" if dry_run else "Imported"
        summary = (
            f"{verb} {len(report.hearings)} hearings as drafts; records created: {report.count('created')}, "
            f"matched: {report.count('matched')}, completed: {report.count('completed')}."
        )
        if dry_run:
            summary += " Dry run: nothing was written."
        self.stdout.write(self.style.SUCCESS(summary))
