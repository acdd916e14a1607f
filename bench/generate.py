"""A large, realistic, deterministic data set for the benchmark: 154 partnerships, as many as England
and Wales have (132 English, 22 Welsh), each with its councils, three years of 10–17 population and
16 members.

``generate()`` creates the ``Partnership`` rows, then calls every entry of ``GENERATORS`` in order with
``(partnerships, rng)``: the saved partnerships (each carries its ``bench`` spec: place names and
councils) and one ``random.Random`` shared by all. A later issue adds its records by appending a
generator to ``GENERATORS``, for example::

    def budget_lines(partnerships, rng):
        bulk(BudgetLine, [BudgetLine(partnership=p, ...) for p in partnerships for ...])

    GENERATORS.append(budget_lines)

Use ``bulk()`` (bulk_create, with history rows for audited models) rather than ``save()``: the set has
hundreds of thousands of rows. Generating is idempotent: it does nothing when the first partnership
exists. ``bench.run`` rebuilds its database by itself when this module or a generator's module changes
(see ``fingerprint()``).
"""

import hashlib
import inspect
import random
import sys
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from yjplan.models import LocalAuthority, Membership, Nation, Partnership, PopulationEstimate, Region, User
from yjplan.permissions import Role

COUNT = 154
SEED = 2024
PASSWORD = "bench-password"
POPULATION_YEARS = (2021, 2022, 2023)
SERVICE_NAMES = ["Youth Justice Service", "Youth Offending Service", "Youth Offending Team"]

# Partnerships by region and police force area; "A + B" is a joint service of two councils.
R = Region
AREAS = [
    (
        R.NORTH_EAST,
        "Northumbria Police",
        "Newcastle upon Tyne; North Tyneside; Northumberland; Sunderland; Gateshead + South Tyneside",
    ),
    (R.NORTH_EAST, "Durham Constabulary", "County Durham; Darlington"),
    (R.NORTH_EAST, "Cleveland Police", "Middlesbrough; Hartlepool + Stockton-on-Tees"),
    (R.NORTH_WEST, "Cheshire Constabulary", "Cheshire East; Cheshire West and Chester; Halton + Warrington"),
    (R.NORTH_WEST, "Cumbria Constabulary", "Cumberland; Westmorland and Furness"),
    (R.NORTH_WEST, "Lancashire Constabulary", "Blackburn with Darwen; Blackpool; Lancashire"),
    (
        R.NORTH_WEST,
        "Greater Manchester Police",
        "Bolton; Bury; Manchester; Oldham; Rochdale; Salford; Stockport; Tameside; Trafford; Wigan",
    ),
    (R.NORTH_WEST, "Merseyside Police", "Knowsley; Liverpool; Sefton; St Helens; Wirral"),
    (
        R.YORKSHIRE,
        "Humberside Police",
        "East Riding of Yorkshire; Kingston upon Hull; North Lincolnshire + North East Lincolnshire",
    ),
    (R.YORKSHIRE, "North Yorkshire Police", "North Yorkshire; York"),
    (R.YORKSHIRE, "South Yorkshire Police", "Barnsley; Doncaster; Rotherham; Sheffield"),
    (R.YORKSHIRE, "West Yorkshire Police", "Bradford; Leeds; Wakefield; Calderdale + Kirklees"),
    (R.EAST_MIDLANDS, "Derbyshire Constabulary", "Derby; Derbyshire"),
    (R.EAST_MIDLANDS, "Leicestershire Police", "Leicester; Leicestershire + Rutland"),
    (R.EAST_MIDLANDS, "Lincolnshire Police", "Lincolnshire"),
    (R.EAST_MIDLANDS, "Northamptonshire Police", "North Northamptonshire + West Northamptonshire"),
    (R.EAST_MIDLANDS, "Nottinghamshire Police", "Nottingham; Nottinghamshire"),
    (R.WEST_MIDLANDS, "Staffordshire Police", "Staffordshire; Stoke-on-Trent"),
    (R.WEST_MIDLANDS, "Warwickshire Police", "Warwickshire"),
    (R.WEST_MIDLANDS, "West Mercia Police", "Herefordshire + Worcestershire; Shropshire + Telford and Wrekin"),
    (
        R.WEST_MIDLANDS,
        "West Midlands Police",
        "Birmingham; Coventry; Dudley; Sandwell; Solihull; Walsall; Wolverhampton",
    ),
    (R.EAST, "Bedfordshire Police", "Luton; Bedford + Central Bedfordshire"),
    (R.EAST, "Cambridgeshire Constabulary", "Cambridgeshire; Peterborough"),
    (R.EAST, "Essex Police", "Essex; Southend-on-Sea + Thurrock"),
    (R.EAST, "Hertfordshire Constabulary", "Hertfordshire"),
    (R.EAST, "Norfolk Constabulary", "Norfolk"),
    (R.EAST, "Suffolk Constabulary", "Suffolk"),
    (
        R.LONDON,
        "Metropolitan Police Service",
        "Barking and Dagenham; Barnet; Bexley; Brent; Bromley; Camden; "
        "Croydon; Ealing; Enfield; Greenwich; Hackney; Hammersmith and Fulham; Haringey; Harrow; Havering; "
        "Hillingdon; Hounslow; Islington; Kensington and Chelsea; Lambeth; Lewisham; Newham; Redbridge; Southwark; "
        "Tower Hamlets; Waltham Forest; Wandsworth; Westminster; Kingston upon Thames + Richmond upon Thames; "
        "Merton + Sutton",
    ),
    (R.SOUTH_EAST, "Hampshire and Isle of Wight Constabulary", "Hampshire; Isle of Wight; Portsmouth; Southampton"),
    (R.SOUTH_EAST, "Kent Police", "Kent; Medway"),
    (R.SOUTH_EAST, "Surrey Police", "Surrey"),
    (R.SOUTH_EAST, "Sussex Police", "Brighton and Hove; East Sussex; West Sussex"),
    (
        R.SOUTH_EAST,
        "Thames Valley Police",
        "Buckinghamshire; Milton Keynes; Oxfordshire; Slough; Bracknell Forest + Wokingham; Reading + West Berkshire",
    ),
    (
        R.SOUTH_WEST,
        "Avon and Somerset Police",
        "Bath and North East Somerset; North Somerset; Somerset; Bristol + South Gloucestershire",
    ),
    (R.SOUTH_WEST, "Devon and Cornwall Police", "Cornwall; Plymouth; Devon + Torbay"),
    (R.SOUTH_WEST, "Dorset Police", "Bournemouth, Christchurch and Poole; Dorset"),
    (R.SOUTH_WEST, "Gloucestershire Constabulary", "Gloucestershire"),
    (R.SOUTH_WEST, "Wiltshire Police", "Swindon; Wiltshire"),
    (R.WALES, "Dyfed-Powys Police", "Carmarthenshire; Ceredigion; Pembrokeshire; Powys"),
    (R.WALES, "Gwent Police", "Blaenau Gwent; Caerphilly; Monmouthshire; Newport; Torfaen"),
    (R.WALES, "North Wales Police", "Isle of Anglesey; Conwy; Denbighshire; Flintshire; Gwynedd; Wrexham"),
    (
        R.WALES,
        "South Wales Police",
        "Bridgend; Cardiff; Merthyr Tydfil; Neath Port Talbot; Rhondda Cynon Taf; Swansea; Vale of Glamorgan",
    ),
]
COUNTY_COUNCILS = (  # "<place> County Council"; the rest are "<place> Council" or "London Borough of <place>"
    "Cambridgeshire; Carmarthenshire; Ceredigion; Denbighshire; Derbyshire; Devon; East Sussex; Essex; Flintshire; "
    "Gloucestershire; Hampshire; Hertfordshire; Isle of Anglesey; Kent; Lancashire; Leicestershire; Lincolnshire; "
    "Monmouthshire; Norfolk; Nottinghamshire; Oxfordshire; Pembrokeshire; Powys; Staffordshire; Suffolk; Surrey; "
    "Warwickshire; West Sussex; Worcestershire"
)
FIRST_NAMES = (
    "Aisha Alex Amir Ben Bethan Chloe Claire Daniel Dylan Emma Fatima Gareth Grace Hannah Harriet Imran James "
    "Jessica Joanne Kate Leon Lucy Mark Megan Mohammed Nadia Nia Oliver Owen Priya Rachel Rhys Sam Sarah Simon "
    "Sophie Tom Yusuf Zara Zoe"
)
SURNAMES = (
    "Ahmed Bailey Bennett Brooks Campbell Carter Clarke Davies Edwards Evans Fletcher Green Hughes Hussain Jenkins "
    "Jones Khan Lewis Marsh Morgan Murphy Nash Owen Patel Price Reeve Roberts Shaw Singh Taylor Thomas Walker "
    "Ward Watson Whitfield Williams Wright Young"
)
# (job title, organisation) of each role's named user; {council} and {police} are filled in.
ROLE_PEOPLE = {
    Role.MANAGER: ("Head of Youth Justice Service", "{council}"),
    Role.FINANCE: ("Finance Business Partner", "{council}"),
    Role.BOARD: ("Head of Probation Delivery Unit", "Probation Service"),
    Role.CHAIR: ("Director of Children's Services", "{council}"),
    Role.VIEWER: ("YJB Oversight Manager", "Youth Justice Board"),
    Role.ADMIN: ("Business Support Manager", "{council}"),
}
# The ten further members of every partnership: mostly statutory partners on the board.
EXTRA_ROLES = [(Role.BOARD,)] * 5 + [
    (Role.VIEWER,),
    (Role.VIEWER,),
    (Role.MANAGER,),
    (Role.FINANCE,),
    (Role.MANAGER, Role.ADMIN),
]
BOARD_SEATS = [
    ("Superintendent", "{police}"),
    ("Head of Education Inclusion", "{council}"),
    ("Designated Nurse for Safeguarding", "NHS Integrated Care Board"),
    ("Head of Community Safety", "{council}"),
    ("Bench Chair", "Magistrates' Association"),
    ("Head of Early Help", "{council}"),
    ("Children's Services Manager", "Probation Service"),
    ("Consultant Psychologist", "Child and Adolescent Mental Health Services"),
]
EXTRA_TITLES = {
    Role.VIEWER: ("Performance Analyst", "{council}"),
    Role.MANAGER: ("Deputy Youth Justice Service Manager", "{council}"),
    Role.FINANCE: ("Senior Accountant", "{council}"),
    Role.ADMIN: ("Operations Manager", "{council}"),
}


@dataclass(frozen=True)
class Spec:
    """What a generated partnership is built from: its place, nation, region and councils."""

    place: str
    region: str
    police: str
    councils: tuple[str, ...]
    suffix: str

    @property
    def nation(self) -> str:
        return Nation.WALES if self.region == Region.WALES else Nation.ENGLAND

    @property
    def name(self) -> str:
        return f"{self.place} {self.suffix}"

    @property
    def slug(self) -> str:
        return slugify(self.place)


def council_name(place: str, region: str) -> str:
    if region == Region.LONDON:
        return f"London Borough of {place}"
    if place.startswith("County "):  # County Durham
        return f"{place.removeprefix('County ')} County Council"
    return f"{place} County Council" if place in COUNTY_COUNCILS.split("; ") else f"{place} Council"


def partnership_specs(count: int = COUNT, seed: int = SEED) -> list[Spec]:
    """The first ``count`` of the 154 partnerships: the same ones, in the same order, for any count.

    Places are shuffled; every seventh is Welsh, so any prefix keeps the nations' proportion (132:22).
    """
    rng = random.Random(seed)
    english, welsh = [], []
    for region, police, entries in AREAS:
        for entry in entries.split("; "):
            councils = tuple(entry.split(" + "))
            place = (", " if " and " in entry else " and ").join(councils)  # "Shropshire, Telford and Wrekin"
            spec = Spec(place, region, police, councils, rng.choices(SERVICE_NAMES, [6, 2, 1])[0])
            (welsh if spec.nation == Nation.WALES else english).append(spec)
    rng.shuffle(english)
    rng.shuffle(welsh)
    if count > len(english) + len(welsh):
        raise ValueError(f"At most {len(english) + len(welsh)} partnerships can be generated")
    return [welsh.pop() if index % 7 == 6 else english.pop() for index in range(count)]


def bench_slug() -> str:
    """The partnership the benchmark's pages use: the first generated."""
    return partnership_specs(1)[0].slug


def bulk(model, objs: list, batch_size: int = 2000) -> list:
    """``bulk_create`` in batches; audited models get their "created" history rows too."""
    if hasattr(model._meta, "simple_history_manager_attribute"):
        return bulk_create_with_history(objs, model, batch_size=batch_size)
    return model.objects.bulk_create(objs, batch_size=batch_size)


def hub(partnerships: list[Partnership], rng: random.Random) -> None:
    """Councils, 10–17 population for three years, and 16 members: one user per role, ten more."""
    councils, populations, users, members = [], [], [], []
    password = make_password(PASSWORD)  # hashed once: hashing thousands of passwords takes minutes
    first_names, surnames = FIRST_NAMES.split(), SURNAMES.split()

    def person(partnership, email: str, title: str, organisation: str, *member_roles: Role) -> None:
        spec = partnership.bench
        organisation = organisation.format(council=council_name(spec.councils[0], spec.region), police=spec.police)
        full_name = f"{rng.choice(first_names)} {rng.choice(surnames)}"
        users.append(User(email=email, full_name=full_name, password=password))
        members.append((email, partnership, title, organisation, member_roles))

    for partnership in partnerships:
        spec = partnership.bench
        for position, place in enumerate(spec.councils):
            councils.append(
                LocalAuthority(
                    partnership=partnership,
                    name=council_name(place, spec.region),
                    short_name=place,
                    position=position,
                )
            )
        population = round(5000 * 24 ** rng.random())  # log-uniform, 5,000 to 120,000
        for year in POPULATION_YEARS:
            populations.append(PopulationEstimate(partnership=partnership, year=year, population_10_17=population))
            population = min(120_000, max(5000, round(population * rng.uniform(0.98, 1.03))))
        for role, (title, organisation) in ROLE_PEOPLE.items():
            person(partnership, f"{role.value}@{partnership.slug}.bench", title, organisation, role)
        seats = rng.sample(BOARD_SEATS, len(BOARD_SEATS))
        for number, member_roles in enumerate(EXTRA_ROLES, start=1):
            title, organisation = seats.pop() if member_roles[0] == Role.BOARD else EXTRA_TITLES[member_roles[-1]]
            person(partnership, f"member-{number:02d}@{partnership.slug}.bench", title, organisation, *member_roles)

    bulk(LocalAuthority, councils)
    bulk(PopulationEstimate, populations)
    by_email = {user.email: user for user in bulk(User, users)}
    memberships = []
    for email, partnership, title, organisation, member_roles in members:
        membership = Membership(
            user=by_email[email], partnership=partnership, job_title=title, organisation=organisation
        )
        membership.set_roles(member_roles)
        memberships.append(membership)
    bulk(Membership, memberships)


# Every feature's generator, in order; each takes (partnerships, rng). The hub's comes first.
GENERATORS = [hub]

from actions.bench import generate_tracker  # noqa: E402  (the actions spoke: 150 actions, 1,500 updates)

GENERATORS.append(generate_tracker)

from boards.bench import generate_boards  # noqa: E402  (the boards spoke: a board, a year or two of meetings)

GENERATORS.append(generate_boards)

from performance.bench import generate_observations  # noqa: E402  (performance: 10 years of key indicators)

GENERATORS.append(generate_observations)

from performance.capability.bench import generate_assessments  # noqa: E402  (self-assessments: 3 years)

GENERATORS.append(generate_assessments)

from performance.standards.bench import generate_standards  # noqa: E402  (4 self-audits, an example inspection)

GENERATORS.append(generate_standards)

from budgets.bench import generate_budgets  # noqa: E402  (the budgets spoke: five years of lines)

GENERATORS.append(generate_budgets)


def generate(count: int = COUNT, seed: int = SEED) -> list[Partnership]:
    """Create the data set; return the new partnerships, or [] when it exists already."""
    specs = partnership_specs(count, seed)
    if Partnership.objects.filter(slug=specs[0].slug).exists():
        return []
    rng = random.Random(seed)
    with transaction.atomic():
        partnerships = bulk(
            Partnership,
            [
                Partnership(
                    name=spec.name,
                    slug=spec.slug,
                    nation=spec.nation,
                    region=spec.region,
                    yot_family=f"{spec.councils[0]} YOT family",
                    police_force_area=spec.police,
                )
                for spec in specs
            ],
        )
        by_slug = {spec.slug: spec for spec in specs}
        for partnership in partnerships:
            partnership.bench = by_slug[partnership.slug]
        for generator in GENERATORS:
            generator(partnerships, rng)
    return partnerships


def fingerprint(count: int = COUNT, seed: int = SEED) -> str:
    """Changes whenever this module or any generator's module changes: ``bench.run`` then rebuilds."""
    digest = hashlib.sha256(f"{count}:{seed}".encode())
    for name in sorted({__name__} | {g.__module__ for g in GENERATORS}):
        digest.update(inspect.getsource(sys.modules[name]).encode())
    return digest.hexdigest()[:16]


from yjplan.bench import generate_plans  # noqa: E402

GENERATORS.append(generate_plans)
