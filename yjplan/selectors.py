"""Reads for the hub's views and blocks, each with a fixed number of queries."""

from django.db.models import Count, Prefetch, Q

from yjplan.history import timeline
from yjplan.models import LocalAuthority, Membership, Partnership, PopulationEstimate, User
from yjplan.permissions import Role


def membership_for_slug(*, user, slug: str) -> Membership | None:
    """The visitor's membership, with the partnership and its data version (``yjplan.cache``): one query."""
    return (
        Membership.objects.select_related("partnership", "partnership__data_version", "user")
        .filter(user=user, partnership__slug=slug)
        .first()
    )


def memberships_for_user(*, user) -> list[Membership]:
    return list(Membership.objects.select_related("partnership").filter(user=user).order_by("partnership__name"))


def partnership_members(*, partnership: Partnership) -> list[Membership]:
    return list(Membership.objects.select_related("user").filter(partnership=partnership).order_by("user__full_name"))


def membership_in_partnership(*, partnership: Partnership, pk) -> Membership | None:
    return Membership.objects.select_related("user").filter(partnership=partnership, pk=pk).first()


def partnership_detail(*, slug: str) -> Partnership:
    return Partnership.objects.prefetch_related(
        Prefetch("local_authorities", queryset=LocalAuthority.objects.order_by("position", "name")),
        Prefetch("populations", queryset=PopulationEstimate.objects.order_by("-year")),
    ).get(slug=slug)


def partnership_overview(*, partnership: Partnership) -> dict:
    """Councils, latest 10–17 population and members per role: the hub's own tile and block."""
    councils = list(partnership.local_authorities.order_by("position", "name").values("name", "short_name"))
    populations = list(partnership.populations.order_by("-year").values("year", "population_10_17")[:3])
    role_counts = Membership.objects.filter(partnership=partnership).aggregate(
        members=Count("id"),
        **{role.value: Count("id", filter=Q(**{f"is_{role.value}": True})) for role in Role},
    )
    return {
        "name": partnership.name,
        "nation": partnership.get_nation_display(),
        "region": partnership.get_region_display(),
        "yot_family": partnership.yot_family,
        "police_force_area": partnership.police_force_area,
        "councils": councils,
        "populations": populations,
        "members": role_counts.pop("members"),
        "roles": [{"role": Role(key).label, "count": count} for key, count in role_counts.items()],
    }


def user_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def record_history(*, partnership: Partnership, audited, pk: int) -> dict | None:
    """A record's timeline, newest first, and the record as it is now (or was when deleted).

    None when the record has no history in this partnership (another partnership's record included).
    Queries: the history, then one per related model named in it, plus what the record's ``str`` reads.
    """
    history_model = audited.model.history.model
    if audited.partnership_field == "id":
        scope = {} if pk == partnership.id else {"pk__in": []}
    else:
        scope = {f"{audited.partnership_field}_id": partnership.id}
    records = list(
        history_model.objects.filter(id=pk, **scope)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    if not records:
        return None
    parent = audited.partnership_field.split("__")[0]
    entries = timeline(
        records,
        hidden=audited.hidden,
        skip=frozenset() if parent == "id" else {parent},
        formatters=audited.formatters,
    )
    return {"entries": entries, "record": records[0].instance, "deleted": records[0].history_type == "-"}
