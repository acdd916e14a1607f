"""Users, partnerships (the tenant), their councils and population, memberships."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from yjplan.permissions import Role, has_capability


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_staff = models.BooleanField(default=False, help_text="Can sign in to the site's own admin.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def initials(self) -> str:
        return "".join(part[0] for part in self.full_name.split() if part[:1].isalpha()).upper()


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    WALES = "wales", "Wales"


class Region(models.TextChoices):
    NORTH_EAST = "north-east", "North East"
    NORTH_WEST = "north-west", "North West"
    YORKSHIRE = "yorkshire-humber", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east-midlands", "East Midlands"
    WEST_MIDLANDS = "west-midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south-east", "South East"
    SOUTH_WEST = "south-west", "South West"
    WALES = "wales", "Wales"


class Partnership(models.Model):
    """A Youth Offending Team / Youth Justice Service partnership: the tenant of every record."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True, help_text="Used in web addresses, e.g. warwickshire.")
    nation = models.CharField(max_length=10, choices=Nation.choices, default=Nation.ENGLAND)
    region = models.CharField(max_length=20, choices=Region.choices)
    yot_family = models.CharField(
        "YOT family", max_length=100, blank=True, help_text="The statistical comparator group the YJB places it in."
    )
    police_force_area = models.CharField("police force and PCC area", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_joint_service(self) -> bool:
        return len(self.local_authorities.all()) > 1


class LocalAuthority(models.Model):
    """A constituent council: adopts the plan and contributes to the budget separately."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="local_authorities")
    name = models.CharField(max_length=150, help_text="For example, Peterborough City Council.")
    short_name = models.CharField(max_length=60, help_text="As used in tables, for example Peterborough.")
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "constituent local authority"
        verbose_name_plural = "constituent local authorities"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="local_authority_unique_name"),
            models.UniqueConstraint(fields=["partnership", "short_name"], name="local_authority_unique_short_name"),
        ]

    def __str__(self):
        return self.name


class PopulationEstimate(models.Model):
    """The 10–17 population in a year: the denominator of the national rates."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField(
        help_text="Mid-year estimate year, e.g. 2018.",
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    population_10_17 = models.PositiveIntegerField(
        "10–17 population", validators=[MinValueValidator(1), MaxValueValidator(5_000_000)]
    )
    source = models.CharField(max_length=200, blank=True, default="ONS mid-year population estimates")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year"], name="population_unique_year")]

    def __str__(self):
        return f"{self.year}: {self.population_10_17:,}"


class AgencyType(models.TextChoices):
    """The partner agencies of a youth justice partnership (budget lines, board members, confirmations)."""

    LOCAL_AUTHORITY = "local_authority", "Local Authority"
    POLICE = "police", "Police"
    PCC = "pcc", "Police and Crime Commissioner"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health (ICB / CCG)"
    PUBLIC_HEALTH = "public_health", "Public Health"
    EDUCATION = "education", "Education"
    YJB = "yjb", "Youth Justice Board"
    WELSH_GOVERNMENT = "welsh_government", "Welsh Government"
    YOUTH_COURT = "youth_court", "Youth court panel"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


# The statutory partners of a youth offending team (Crime and Disorder Act 1998, s.39).
STATUTORY_AGENCIES = frozenset(
    {AgencyType.LOCAL_AUTHORITY, AgencyType.POLICE, AgencyType.PROBATION, AgencyType.HEALTH, AgencyType.EDUCATION}
)


ROLE_FIELDS = {
    Role.MANAGER: "is_manager",
    Role.FINANCE: "is_finance",
    Role.BOARD: "is_board",
    Role.CHAIR: "is_chair",
    Role.VIEWER: "is_viewer",
    Role.ADMIN: "is_admin",
}


class Membership(models.Model):
    """A person's place in a partnership, with one or more roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    job_title = models.CharField(max_length=150, blank=True)
    organisation = models.CharField(max_length=150, blank=True)
    agency = models.CharField(
        max_length=20, choices=AgencyType.choices, blank=True, help_text="The partner agency the person represents."
    )
    is_manager = models.BooleanField("YOS manager", default=False)
    is_finance = models.BooleanField("finance officer", default=False)
    is_board = models.BooleanField("board member", default=False)
    is_chair = models.BooleanField("board chair", default=False)
    is_viewer = models.BooleanField("viewer", default=False)
    is_admin = models.BooleanField("partnership administrator", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="membership_unique_user_partnership"),
            models.CheckConstraint(
                condition=Q(is_manager=True)
                | Q(is_finance=True)
                | Q(is_board=True)
                | Q(is_chair=True)
                | Q(is_viewer=True)
                | Q(is_admin=True),
                name="membership_has_a_role",
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.partnership}"

    @property
    def roles(self) -> list[Role]:
        return [role for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    def set_roles(self, roles) -> None:
        wanted = {Role(r) for r in roles}
        for role, field in ROLE_FIELDS.items():
            setattr(self, field, role in wanted)

    def can(self, capability: str) -> bool:
        return has_capability(self.roles, capability)


class DataVersion(models.Model):
    """A counter bumped after every committed write to a partnership's records (``yjplan.cache``).

    Cached page fragments carry it in their key, so a write makes them unreachable at once. It is read
    in the same query as the visitor's membership; a partnership never written to has no row (version 0).
    """

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, primary_key=True, related_name="data_version"
    )
    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.partnership_id}: {self.version}"
