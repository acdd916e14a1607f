"""Write docs/permissions.md from the capability table in yjplan/permissions.py."""

from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand

from yjplan.permissions import permissions_markdown


class Command(BaseCommand):
    help = "Regenerate docs/permissions.md from yjplan.permissions.CAPABILITIES."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "docs" / "permissions.md"
        path.write_text(permissions_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
