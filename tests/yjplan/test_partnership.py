"""Partnership details, councils and the 10–17 population, with their history timelines."""

import pytest
from django.urls import reverse

from tests.factories import PartnershipFactory, UserFactory, member
from yjplan import services
from yjplan.models import LocalAuthority, PopulationEstimate
from yjplan.permissions import Role


@pytest.fixture
def joint(db):
    return PartnershipFactory(
        slug="joint", name="Eastshire and Westby YJS", councils=["Eastshire County Council", "Westby City Council"]
    )


@pytest.fixture
def manager_client(client, joint):
    client.force_login(member(joint, Role.MANAGER, user=UserFactory(full_name="Mo Manager")).user)
    return client


def test_edit_details_and_see_who_changed_what(manager_client, joint):
    url = reverse("partnership_edit", kwargs={"slug": "joint"})
    version = manager_client.get(url).context["form"].initial["version"]
    data = {"name": "Eastshire and Westby Youth Justice Service", "nation": "england", "region": "east"}
    response = manager_client.post(url, {**data, "yot_family": "Family 7", "police_force_area": "", "version": version})
    assert response.status_code == 302
    joint.refresh_from_db()
    assert (joint.name, joint.yot_family) == ("Eastshire and Westby Youth Justice Service", "Family 7")
    history = manager_client.get(
        reverse("record_history", kwargs={"slug": "joint", "label": "yjplan.partnership", "pk": joint.pk})
    )
    html = history.content.decode()
    assert "by Mo Manager" in html
    assert "Name: Eastshire and Westby YJS → Eastshire and Westby Youth Justice Service" in html
    assert "Yot family: Family 3 → Family 7" in html or "YOT family: Family 3 → Family 7" in html


def test_stale_partnership_edit_goes_to_the_conflict_page(manager_client, joint):
    url = reverse("partnership_edit", kwargs={"slug": "joint"})
    version = manager_client.get(url).context["form"].initial["version"]
    services.partnership_update(
        partnership=joint,
        data={
            "name": "Renamed by someone else",
            "nation": "england",
            "region": "east",
            "yot_family": "",
            "police_force_area": "",
        },
    )
    response = manager_client.post(
        url,
        {
            "name": "My name",
            "nation": "england",
            "region": "east",
            "yot_family": "",
            "police_force_area": "",
            "version": version,
        },
    )
    assert response.status_code == 409
    assert "Renamed by someone else" in response.content.decode()
    assert "My name" in response.content.decode()
    joint.refresh_from_db()
    assert joint.name == "Renamed by someone else"


def test_duplicate_partnership_name_is_refused(manager_client, joint):
    PartnershipFactory(name="Taken Youth Justice Service")
    response = manager_client.post(
        reverse("partnership_edit", kwargs={"slug": "joint"}),
        {"name": "taken youth justice service", "nation": "england", "region": "east"},
    )
    assert "Another partnership already has this name" in response.content.decode()


def test_councils_add_and_remove_keep_at_least_one(manager_client, joint):
    add = reverse("council_add", kwargs={"slug": "joint"})
    assert manager_client.post(add, {"name": "Northby Borough Council", "short_name": "Northby"}).status_code == 302
    duplicate = manager_client.post(add, {"name": "Northby Borough Council", "short_name": "Northby 2"})
    assert "already has a council called Northby Borough Council" in duplicate.content.decode()
    councils = list(LocalAuthority.objects.filter(partnership=joint).order_by("position"))
    assert [c.short_name for c in councils] == ["Eastshire", "Westby", "Northby"]
    for council in councils:
        manager_client.post(reverse("council_remove", kwargs={"slug": "joint", "pk": council.pk}))
    assert list(LocalAuthority.objects.filter(partnership=joint).values_list("short_name", flat=True)) == ["Northby"]
    page = manager_client.get(reverse("partnership_detail", kwargs={"slug": "joint"}), follow=True)
    assert "Northby Borough Council" in page.content.decode()


def test_council_of_another_partnership_cannot_be_removed(manager_client):
    stranger = PartnershipFactory(councils=["A Council", "B Council"])
    council = stranger.local_authorities.first()
    response = manager_client.post(reverse("council_remove", kwargs={"slug": "joint", "pk": council.pk}))
    assert response.status_code == 404
    assert LocalAuthority.objects.filter(pk=council.pk).exists()


@pytest.mark.parametrize(
    ("year", "population", "message"),
    [
        ("", "100", "Enter the year"),
        ("twenty", "100", "Year must be a number, like 2018"),
        ("1850", "100", "Year must be 1990 or later"),
        ("2019", "", "Enter the 10 to 17 population"),
        ("2019", "-5", "Population must be at least 1"),
        ("2019", "12.5", "Population must be a whole number, like 64200"),
        ("2019", "9,000,000", "Population must be 5,000,000 or fewer"),
    ],
)
def test_population_bad_input(manager_client, joint, year, population, message):
    response = manager_client.post(
        reverse("population_edit", kwargs={"slug": "joint"}), {"year": year, "population_10_17": population}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert PopulationEstimate.objects.filter(partnership=joint).count() == 0


def test_population_accepts_thousands_separators_and_replaces_a_year(manager_client, joint):
    url = reverse("population_edit", kwargs={"slug": "joint"})
    assert manager_client.post(url, {"year": "2019", "population_10_17": "64,200"}).status_code == 302
    assert manager_client.post(url, {"year": "2019", "population_10_17": "64,950"}).status_code == 302
    assert list(PopulationEstimate.objects.filter(partnership=joint).values_list("year", "population_10_17")) == [
        (2019, 64950)
    ]
    edit = manager_client.get(url + "?year=2019")
    assert edit.context["form"].initial == {"year": 2019, "population_10_17": 64950}
