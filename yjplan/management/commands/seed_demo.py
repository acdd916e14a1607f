"""Load reference data and the three demo partnerships. Safe to run again: it changes nothing twice."""

import json
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from yjplan.models import LocalAuthority, Membership, Partnership, PopulationEstimate, User
from yjplan.permissions import Role

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_FILE = FIXTURES / "demo" / "partnerships.json"


def demo_seeders():
    """Each app may have ``demo.py`` with ``seed(partnerships, stdout)``; the hub's runs last: it uses the spokes'."""
    configs = sorted(apps.get_app_configs(), key=lambda c: c.name == "yjplan")
    for config in configs:
        if not config.path.startswith(str(settings.BASE_DIR)):
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        yield module.seed


def demo_email(role: str, slug: str) -> str:
    return f"{role}@{slug}.demo"


class Command(BaseCommand):
    help = "Load reference data from fixtures/ and create the demo partnerships and users."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when any partnership exists.")

    def handle(self, *args, force=False, if_empty=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to load demo data with DEBUG=0. Add --force if you really mean it.")
        if if_empty and Partnership.objects.exists():
            self.stdout.write("The database already has partnerships: demo data not loaded.")
            return
        self.load_reference_data()
        spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        with transaction.atomic():
            partnerships = [self.seed_partnership(p, spec["password"]) for p in spec["partnerships"]]
            self.seed_multi(spec["multi"], partnerships, spec["password"])
        by_slug = {p.slug: p for p in partnerships}
        for seed in demo_seeders():
            seed(partnerships=by_slug, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(partnerships)} partnerships."))

    def load_reference_data(self):
        for path in sorted((FIXTURES / "reference").glob("*.json")):
            call_command("loaddata", str(path), verbosity=0)

    def user(self, email: str, full_name: str, password: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, full_name=full_name, password=password)
        elif user.full_name != full_name:
            user.full_name = full_name
            user.save(update_fields=["full_name"])
        return user

    def seed_partnership(self, data: dict, password: str) -> Partnership:
        fields = {k: data[k] for k in ("name", "nation", "region", "yot_family", "police_force_area")}
        partnership = Partnership.objects.filter(slug=data["slug"]).first()
        if partnership is None:
            partnership = Partnership.objects.create(slug=data["slug"], **fields)
        for position, council in enumerate(data["councils"]):
            LocalAuthority.objects.get_or_create(
                partnership=partnership,
                name=council["name"],
                defaults={"short_name": council["short_name"], "position": position},
            )
        for pop in data["populations"]:
            PopulationEstimate.objects.get_or_create(
                partnership=partnership,
                year=pop["year"],
                defaults={"population_10_17": pop["population_10_17"], "source": pop["source"]},
            )
        for role, person in data["users"].items():
            user = self.user(demo_email(role, data["slug"]), person["full_name"], password)
            membership = Membership.objects.filter(user=user, partnership=partnership).first()
            if membership is None:
                membership = Membership(
                    user=user,
                    partnership=partnership,
                    job_title=person["job_title"],
                    organisation=person["organisation"],
                    agency=person.get("agency", ""),
                )
                membership.set_roles([Role(role)])
                membership.save()
        return partnership

    def seed_multi(self, data: dict, partnerships: list[Partnership], password: str) -> None:
        user = self.user(data["email"], data["full_name"], password)
        for partnership in partnerships:
            if not Membership.objects.filter(user=user, partnership=partnership).exists():
                membership = Membership(user=user, partnership=partnership, job_title=data["job_title"])
                membership.set_roles([Role(data["role"])])
                membership.save()
