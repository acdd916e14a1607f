"""Every create, change and delete of a domain record keeps who, when and what changed."""

from django.apps import apps
from django.urls import reverse

from tests.factories import PartnershipFactory, UserFactory, member
from yjplan import services
from yjplan.permissions import Role
from yjplan.registry import registry

# Not domain records of a partnership, each for a reason:
NOT_DOMAIN_RECORDS = {
    "yjplan.documentjob",  # a job row: keeps its own requester and timings
    "yjplan.plantemplate",  # reference data loaded from fixtures/, versioned in git
    "yjplan.templateheading",  # reference data loaded from fixtures/, versioned in git
    "yjplan.sectionrevision",  # is itself the history of a section: never changed once written
    "yjplan.sectiondraft",  # an author's autosave scratch copy, replaced every few seconds
    "yjplan.dataversion",  # a cache counter bumped by every write (yjplan.cache), not a record
}


def test_every_hub_domain_model_is_audited_and_has_a_timeline():
    hub_models = NOT_DOMAIN_RECORDS ^ {
        m._meta.label_lower
        for m in apps.get_app_config("yjplan").get_models()
        if not m.__name__.startswith("Historical")
    }
    audited = {m.instance_type._meta.label_lower for m in apps.get_models() if m.__name__.startswith("Historical")}
    assert hub_models <= audited
    # every partnership record has a timeline page; a user spans partnerships, so theirs is in the admin
    assert hub_models - {"yjplan.user"} == set(registry.audited) & hub_models


def test_membership_timeline_shows_creation_changes_and_removal(client, db):
    partnership = PartnershipFactory()
    admin = member(partnership, Role.ADMIN, user=UserFactory(full_name="Ada Admin"))
    client.force_login(admin.user)
    client.post(
        reverse("member_add", kwargs={"slug": partnership.slug}),
        {"email": "kim@northshire.gov.uk", "full_name": "Kim Board", "roles": ["board"]},
    )
    kim = partnership.memberships.get(user__email="kim@northshire.gov.uk")
    client.post(reverse("member_edit", kwargs={"slug": partnership.slug, "pk": kim.pk}), {"roles": ["board", "chair"]})
    client.post(reverse("member_remove", kwargs={"slug": partnership.slug, "pk": kim.pk}))

    response = client.get(
        reverse("record_history", kwargs={"slug": partnership.slug, "label": "yjplan.membership", "pk": kim.pk})
    )
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [e.kind for e in entries] == ["Deleted", "Changed", "Created"]
    assert {e.who for e in entries} == {"Ada Admin"}
    assert [(c.field, c.old, c.new) for c in entries[1].changes] == [("Board chair", "No", "Yes")]


def test_history_of_another_partnership_s_record_is_404(client, db):
    own, other = PartnershipFactory(), PartnershipFactory()
    stranger = member(other, Role.VIEWER)
    client.force_login(member(own, Role.MANAGER).user)
    for label, pk in (
        ("yjplan.membership", stranger.pk),
        ("yjplan.partnership", other.pk),
        ("auth.group", 1),
        ("yjplan.nothing", 1),
    ):
        assert (
            client.get(reverse("record_history", kwargs={"slug": own.slug, "label": label, "pk": pk})).status_code
            == 404
        )


def test_history_page_query_count_is_fixed(client, db, query_guard):
    partnership = PartnershipFactory()
    client.force_login(member(partnership, Role.MANAGER).user)
    url = reverse(
        "record_history", kwargs={"slug": partnership.slug, "label": "yjplan.partnership", "pk": partnership.pk}
    )

    def edit(n):
        for i in range(n):
            services.partnership_update(
                partnership=partnership,
                data={
                    "name": f"Name {i}",
                    "nation": "england",
                    "region": "east",
                    "yot_family": "",
                    "police_force_area": "",
                },
            )

    query_guard.assert_fixed(client, url, add_rows=edit, limit=8)
