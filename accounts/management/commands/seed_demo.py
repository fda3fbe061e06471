from django.core.management.base import BaseCommand, CommandError

from accounts.demo import demo_learner_build
from accounts.models import User
from careers.models import Role


class Command(BaseCommand):
    help = (
        "Create a demo learner (Prompt Engineer, several weeks of progress, a note, two "
        "portfolio projects) on the loaded content pack. Does nothing if the email exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default="ada@example.com")
        parser.add_argument("--password", default="correct-horse-battery-staple")
        parser.add_argument("--handle", default="ada", help="Public page handle ('' for none).")

    def handle(self, *args, email, password, handle, **options):
        if User.objects.filter(email__iexact=email).exists():
            self.stdout.write(f"{email} already exists; nothing changed.")
            return
        if not Role.objects.filter(slug="prompt-engineer").exists():
            raise CommandError("Load the content pack first: manage.py load_content content")
        demo_learner_build(email=email, password=password, handle=handle or None)
        self.stdout.write(f"Created the demo learner {email} (password: {password}).")
