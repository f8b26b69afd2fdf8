"""`manage.py export_methods [-o FILE] [--slug S ...]`: the method library as JSON."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from methods.library import dump_library, summarize
from methods.models import Method


class Command(BaseCommand):
    help = "Export methods with their steps as an intervisie-methods JSON document."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="Write to this file instead of stdout.")
        parser.add_argument(
            "--slug",
            dest="slugs",
            nargs="+",
            action="extend",
            default=[],
            metavar="SLUG",
            help="Export only these methods (default: all).",
        )

    def handle(self, *args: Any, output: str | None, slugs: list[str], **options: Any) -> None:
        methods = Method.objects.order_by("pk")
        if slugs:
            methods = methods.filter(slug__in=slugs)
            if unknown := sorted(set(slugs) - {method.slug for method in methods}):
                raise CommandError(f"No method with slug: {', '.join(unknown)}")
        data = dump_library(methods)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stderr.write(f"Exported {summarize(data)} to {output}")
