from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from careers.content_pack import ContentPackError, content_pack_load


class Command(BaseCommand):
    help = (
        "Load the content pack (roles, modules, topics, project ideas) into the database. "
        "Validates the whole pack first; writes nothing when it has problems."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.BASE_DIR / "content"), help="Pack directory."
        )

    def handle(self, *args, path, **options):
        try:
            report = content_pack_load(path=path)
        except ContentPackError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} in {path}. Nothing was written."
            ) from None
        for line in report.lines():
            self.stdout.write(line)
