from django.core.management.base import BaseCommand

from careers.content_pack.report import (
    content_report,
    pack_totals,
    question_report,
    question_report_lines,
    report_table,
)


class Command(BaseCommand):
    help = (
        "Per role: core-module hours, path hours with prerequisites, recommended hours, and "
        "over the path: topics without a resource, paper-only beginner topics, short "
        "descriptions, topics sharing a resource URL, and modules the path leaks into; then "
        "the question bank per module and topic, with the topics under their minimum."
    )

    def handle(self, *args, **options):
        for line in report_table(content_report()):
            self.stdout.write(line)
        totals = pack_totals()
        self.stdout.write("")
        self.stdout.write("Whole pack: " + ", ".join(f"{name}: {n}" for name, n in totals.items()))
        self.stdout.write("")
        self.stdout.write("Questions per module and topic:")
        for line in question_report_lines(question_report()):
            self.stdout.write(line)
