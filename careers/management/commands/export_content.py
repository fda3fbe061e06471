from django.conf import settings
from django.core.management.base import BaseCommand

from careers.content_pack import content_pack_export


class Command(BaseCommand):
    help = "Write the database's content (not archived) as a content pack."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.BASE_DIR / "content"), help="Pack directory."
        )

    def handle(self, *args, path, **options):
        written = content_pack_export(path=path)
        self.stdout.write(f"Wrote {len(written)} files to {path}.")
