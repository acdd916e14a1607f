"""Partnership administrators add, change and remove members; nothing is lost when two edit at once."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PartnershipFactory, UserFactory, member
from yjplan import services
from yjplan.models import Membership, User
from yjplan.permissions import Role


@pytest.fixture
def northshire(db):
    return PartnershipFactory(slug="northshire", name="Northshire Youth Justice Service")


@pytest.fixture
def admin_client(client, northshire):
    admin = member(northshire, Role.ADMIN, user=UserFactory(full_name="Ada Admin"))
    client.force_login(admin.user)
    client.admin_membership = admin
    return client


def test_adding_a_new_person_creates_an_account_and_emails_a_set_password_link(
    admin_client, northshire, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("member_add", kwargs={"slug": "northshire"}),
            {"email": "New.Person@Northshire.gov.uk", "full_name": "New Person", "roles": ["board", "chair"]},
        )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new.person@northshire.gov.uk")
    assert membership.partnership == northshire
    assert [r.value for r in membership.roles] == ["board", "chair"]
    assert not membership.user.has_usable_password()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "You have been added to Northshire Youth Justice Service"
    assert "Ada Admin has added you to Northshire Youth Justice Service" in body
    assert "as board member, board chair" in body
    assert re.search(r"http://127\.0\.0\.1:8000/accounts/reset/\S+/\S+/", body)


def test_adding_an_existing_user_reuses_their_account(admin_client, northshire):
    other = PartnershipFactory()
    existing = member(other, Role.VIEWER, user=UserFactory(email="lead@region.gov.uk", full_name="Lee Lead"))
    services.membership_add(partnership=northshire, email="LEAD@region.gov.uk", full_name="", roles=["viewer"])
    assert User.objects.filter(email="lead@region.gov.uk").count() == 1
    assert set(existing.user.memberships.values_list("partnership__slug", flat=True)) == {other.slug, "northshire"}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "roles": ["viewer"]}, "email", "Enter an email address"),
        ({"email": "not-an-email", "roles": ["viewer"]}, "email", "Enter an email address in the correct format"),
        ({"email": "x@northshire.gov.uk", "full_name": "X"}, "roles", "Select at least one role"),
        ({"email": "x@northshire.gov.uk", "roles": ["viewer"]}, "full_name", "Enter the person&#x27;s full name"),
        ({"email": "x@northshire.gov.uk", "full_name": "X", "roles": ["emperor"]}, "roles", "Select a valid choice"),
    ],
)
def test_bad_member_input_names_the_field_and_saves_nothing(admin_client, data, field, message):
    before = Membership.objects.count()
    response = admin_client.post(reverse("member_add", kwargs={"slug": "northshire"}), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="#id_{field}' in html
    assert message in html
    assert Membership.objects.count() == before


def test_a_member_cannot_be_added_twice(admin_client, northshire):
    existing = member(northshire, Role.VIEWER)
    response = admin_client.post(
        reverse("member_add", kwargs={"slug": "northshire"}), {"email": existing.user.email, "roles": ["board"]}
    )
    assert f"{existing.user.email} is already a member of Northshire Youth Justice Service" in response.content.decode()


def test_change_roles_and_the_last_administrator_is_kept(admin_client, northshire):
    admin = admin_client.admin_membership
    url = reverse("member_edit", kwargs={"slug": "northshire", "pk": admin.pk})
    response = admin_client.post(url, {"roles": ["viewer"]})
    assert response.status_code == 200
    assert "A partnership must keep at least one partnership administrator" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_admin is True

    second = member(northshire, Role.ADMIN)
    response = admin_client.post(url, {"roles": ["viewer", "manager"], "job_title": "Head of Service"})
    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.is_admin, admin.is_viewer, admin.is_manager, admin.job_title) == (
        False,
        True,
        True,
        "Head of Service",
    )
    assert second.is_admin


def test_removing_a_member_and_the_last_administrator_guard(admin_client, northshire):
    viewer = member(northshire, Role.VIEWER)
    response = admin_client.post(reverse("member_remove", kwargs={"slug": "northshire", "pk": viewer.pk}))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    admin = admin_client.admin_membership
    response = admin_client.post(reverse("member_remove", kwargs={"slug": "northshire", "pk": admin.pk}))
    assert response.status_code == 200
    assert "the partnership&#x27;s only administrator" in response.content.decode()
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_membership_of_another_partnership_is_404(admin_client):
    stranger = member(PartnershipFactory(), Role.VIEWER)
    for name in ("member_edit", "member_remove"):
        assert admin_client.get(reverse(name, kwargs={"slug": "northshire", "pk": stranger.pk})).status_code == 404
    assert (
        admin_client.post(reverse("member_remove", kwargs={"slug": "northshire", "pk": stranger.pk})).status_code == 404
    )
    assert Membership.objects.filter(pk=stranger.pk).exists()


def test_two_admins_editing_the_same_member_get_a_conflict_page(admin_client, northshire):
    target = member(northshire, Role.VIEWER, job_title="Analyst")
    url = reverse("member_edit", kwargs={"slug": "northshire", "pk": target.pk})
    stale_version = admin_client.get(url).context["form"].initial["version"]
    # someone else saves first
    services.membership_update(membership=target, roles=["board"], job_title="Board member", organisation="Police")
    response = admin_client.post(url, {"roles": ["finance"], "job_title": "Finance lead", "version": stale_version})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this while you were editing" in html
    assert "Board member" in html
    assert "Finance lead" in html
    target.refresh_from_db()
    assert target.job_title == "Board member"
    assert target.roles == [Role.BOARD]
    # choosing "Save my version" posts the user's values with the current version, which then saves
    fresh = re.search(r'name="version" value="([^"]+)"', html).group(1)
    response = admin_client.post(url, {"roles": ["finance"], "job_title": "Finance lead", "version": fresh})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.job_title == "Finance lead"
    assert target.roles == [Role.FINANCE]


def test_services_validate_without_the_view(db):
    with pytest.raises(ValidationError) as error:
        services.membership_add(partnership=None, email="a@b.gov.uk", full_name="A", roles=[])
    assert error.value.message_dict == {"roles": ["Select at least one role"]}
