"""Every write the hub makes: keyword-only, validated, atomic; e-mail goes out after commit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from yjplan.models import LocalAuthority, Membership, Partnership, PopulationEstimate, User
from yjplan.permissions import Role


@dataclass
class Conflict(Exception):
    """Someone else saved the record after this form was opened: nothing was written."""

    record: Any
    theirs: dict
    yours: dict

    def __str__(self):
        return f"{self.record} was changed by someone else"


def is_stale(record, version: str | None) -> bool:
    """A form carries ``version``, the record's ``updated_at`` when it was opened; None means "do not check"."""
    return version is not None and version != (record.updated_at.isoformat() if record.updated_at else "")


def version_check(record, version: str | None, *, theirs: dict, yours: dict) -> None:
    """Raise ``Conflict`` (nothing written) when the record was saved by someone else after the form opened."""
    if is_stale(record, version):
        raise Conflict(record=record, theirs=theirs, yours=yours)


def email_send(*, to: list[str], subject: str, body: str) -> None:
    """Send after the transaction commits, by a Celery worker when one is configured."""
    from yjplan.tasks import send_email

    transaction.on_commit(lambda: send_email.delay(to=to, subject=subject, body=body))


def _invitation_link(user: User) -> str:
    from django.conf import settings

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL.rstrip("/") + reverse("password_reset_confirm", args=[uid, token])


@transaction.atomic
def membership_add(
    *,
    partnership: Partnership,
    email: str,
    full_name: str,
    roles: list[str],
    job_title: str = "",
    organisation: str = "",
    agency: str = "",
    added_by: User | None = None,
) -> Membership:
    if not roles:
        raise ValidationError({"roles": "Select at least one role"})
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        if not full_name.strip():
            raise ValidationError({"full_name": "Enter the person's full name"})
        user = User.objects.create_user(email=email, full_name=full_name.strip(), password=None)
    elif Membership.objects.filter(user=user, partnership=partnership).exists():
        raise ValidationError({"email": f"{email} is already a member of {partnership.name}"})
    membership = Membership(
        user=user, partnership=partnership, job_title=job_title, organisation=organisation, agency=agency
    )
    membership.set_roles(roles)
    membership.save()
    role_names = ", ".join(Role(r).label.lower() for r in roles)
    inviter = added_by.full_name if added_by else "The partnership administrator"
    if created:
        body = (
            f"{inviter} has added you to {partnership.name} on the youth justice plan service as {role_names}.\n\n"
            f"Set your password to sign in:\n{_invitation_link(user)}\n\n"
            "The link works once and expires in 2 hours. If it has expired, ask for a new one from the sign-in page."
        )
    else:
        body = (
            f"{inviter} has added you to {partnership.name} on the youth justice plan service as {role_names}.\n\n"
            "Sign in as usual and choose the partnership from the list."
        )
    email_send(to=[user.email], subject=f"You have been added to {partnership.name}", body=body)
    return membership


def _admins_left(partnership: Partnership, excluding: Membership) -> int:
    return Membership.objects.filter(partnership=partnership, is_admin=True).exclude(pk=excluding.pk).count()


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    roles: list[str],
    job_title: str,
    organisation: str,
    agency: str = "",
    version: str | None = None,
) -> Membership:
    membership = Membership.objects.select_for_update().select_related("user", "partnership").get(pk=membership.pk)
    if not roles:
        raise ValidationError({"roles": "Select at least one role"})
    if membership.is_admin and Role.ADMIN not in roles and _admins_left(membership.partnership, membership) == 0:
        raise ValidationError(
            {"roles": "A partnership must keep at least one partnership administrator: add another one first"}
        )
    if is_stale(membership, version):
        theirs = {
            "roles": ", ".join(r.label for r in membership.roles),
            "job_title": membership.job_title,
            "organisation": membership.organisation,
        }
        yours = {
            "roles": ", ".join(Role(r).label for r in roles),
            "job_title": job_title,
            "organisation": organisation,
        }
        raise Conflict(record=membership, theirs=theirs, yours=yours)
    membership.set_roles(roles)
    membership.job_title = job_title
    membership.organisation = organisation
    membership.agency = agency
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_admin and _admins_left(membership.partnership, membership) == 0:
        raise ValidationError("This is the partnership's only administrator: make someone else an administrator first")
    membership.delete()


PARTNERSHIP_FIELDS = ["name", "nation", "region", "yot_family", "police_force_area"]


@transaction.atomic
def partnership_update(*, partnership: Partnership, data: dict, version: str | None = None) -> Partnership:
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    version_check(
        partnership,
        version,
        theirs={f: getattr(partnership, f) for f in PARTNERSHIP_FIELDS},
        yours={f: data.get(f) for f in PARTNERSHIP_FIELDS},
    )
    for field in PARTNERSHIP_FIELDS:
        setattr(partnership, field, data[field])
    partnership.full_clean()
    partnership.save()
    return partnership


@transaction.atomic
def local_authority_add(*, partnership: Partnership, name: str, short_name: str) -> LocalAuthority:
    name, short_name = name.strip(), short_name.strip()
    councils = partnership.local_authorities
    if councils.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"{partnership.name} already has a council called {name}"})
    if councils.filter(short_name__iexact=short_name).exists():
        raise ValidationError({"short_name": f"Another council already uses the short name {short_name}"})
    council = LocalAuthority(partnership=partnership, name=name, short_name=short_name, position=councils.count())
    council.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            council.save()
    except IntegrityError:
        raise ValidationError({"name": f"{partnership.name} already has a council called {name}"}) from None
    return council


@transaction.atomic
def local_authority_remove(*, council: LocalAuthority) -> None:
    if council.partnership.local_authorities.count() <= 1:
        raise ValidationError("A partnership needs at least one constituent council")
    council.delete()


@transaction.atomic
def population_set(
    *, partnership: Partnership, year: int, population_10_17: int, source: str = ""
) -> PopulationEstimate:
    estimate, _ = PopulationEstimate.objects.select_for_update().get_or_create(
        partnership=partnership, year=year, defaults={"population_10_17": population_10_17}
    )
    estimate.population_10_17 = population_10_17
    estimate.source = source or estimate.source
    estimate.full_clean()
    estimate.save()
    return estimate
