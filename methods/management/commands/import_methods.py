"""`manage.py import_methods FILE`: create or replace methods (by slug) from a JSON document."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from methods.library import LibraryError, load_library, read_library_file, summarize


class Command(BaseCommand):
    help = (
        "Import an intervisie-methods JSON document. A method with the same slug is replaced; "
        "nothing is imported when the document has any problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The JSON document, e.g. from export_methods.")
        parser.add_argument(
            "--builtin",
            action="store_true",
            help="Mark the methods as shipped with Intervisie (to refresh the built-in library).",
        )

    def handle(self, *args: Any, file: str, builtin: bool, **options: Any) -> None:
        try:
            data = read_library_file(file)
            load_library(data, builtin=builtin)
        except LibraryError as error:
            problems = "\n".join(f"  - {problem}" for problem in error.errors)
            count = len(error.errors)
            raise CommandError(
                f"{file}: {count} problem{'s' * (count != 1)}, nothing was imported:\n{problems}"
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Imported {summarize(data)}"))
