from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from accounts.tasks import dispatch_schedule


class Command(BaseCommand):
    help = (
        "Run the background worker (django-tasks-db's db_worker) after making sure the "
        "weekly-email dispatch is scheduled. Run as many as you like: tasks are claimed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument(
            "--worker-id", default=None, help="Unique per worker (default: random)."
        )

    def handle(self, *, batch, interval, worker_id, verbosity, **options):
        dispatch_schedule()
        call_command(
            "db_worker",
            queue_name="default",
            interval=interval,
            batch=batch,
            reload=False,
            startup_delay=not batch,
            worker_id=worker_id or get_random_string(32),
            verbosity=verbosity,
        )
