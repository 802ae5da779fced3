import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from hearings import demo
from hearings.domain.maintenance import analyze


class Command(BaseCommand):
    help = (
        "Create made-up hearings, with their segments, speakers, people, organizations and venues, for "
        "demonstration and load tests. Every generated row has a slug starting with 'demo-'; the hearings sit in "
        f"the process '{demo.PROCESS_NAME}' and their titles start with '{demo.TITLE_PREFIX}'. Speakers are "
        "spread over the existing stakeholder groups (a small 'demo-' taxonomy is created only when there is "
        "none). The same --seed and --hearings give the same records over the same groups. "
        "When generated data is present the command refuses to run: remove it with --delete, or replace it "
        "with --delete --hearings N. "
        "--delete removes generated rows only, never seeded or edited ones; a generated person, organization, "
        "venue or group that an editor has since used elsewhere is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hearings",
            type=int,
            metavar="N",
            help=f"How many hearings to generate (1 to {demo.MAX_HEARINGS}).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator (default: 1).")
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Delete all generated data first; with --hearings, generate a new set afterwards.",
        )

    def handle(self, *, hearings, seed, delete, verbosity, **options):
        if hearings is None and not delete:
            raise CommandError("Give --hearings N to generate data, --delete to remove it, or both.")
        if hearings is not None and not 1 <= hearings <= demo.MAX_HEARINGS:
            raise CommandError(f"--hearings must be between 1 and {demo.MAX_HEARINGS}.")
        with transaction.atomic():
            if delete:
                deleted, kept = demo.delete_generated()
                self.stdout.write(f"Deleted {deleted}." if deleted else "No generated data to delete.")
                if kept:
                    self.stderr.write(
                        f"Kept generated rows that other records now use: {kept}. "
                        "Reassign those records to remove them."
                    )
            if hearings is not None:
                self.generate(hearings, seed, verbosity)
        # Outside the transaction: the planner must see the new rows, not the tables as they were.
        analyze()

    def generate(self, hearings, seed, verbosity):
        # Straight to the real stderr: tqdm redraws its line with carriage returns, which the
        # command's wrapped stream would break into new lines. It stays quiet when not a terminal.
        with tqdm(
            total=hearings, unit="hearing", desc="Generating", file=sys.stderr, disable=None if verbosity else True
        ) as bar:
            try:
                counts = demo.generate(hearings=hearings, seed=seed, progress=bar.update)
            except demo.DemoDataExists as exists:
                raise CommandError(
                    f"Generated data is already present ({exists}). "
                    "Run with --delete to remove it, or with --delete --hearings N to replace it."
                ) from exists
        self.stdout.write(self.style.SUCCESS(f"Generated {counts} (seed {seed})."))
