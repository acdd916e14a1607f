"""The bench generator's self-audits and example inspection, and the bench pages answering."""

import pytest

from bench.generate import generate
from performance.standards.bench import PAGES
from performance.standards.models import Inspection, Recommendation, StandardGrade, StandardsAudit
from yjplan.models import Membership


@pytest.mark.django_db
def test_generator_adds_audits_and_an_example_inspection_and_the_pages_load(client, query_guard):
    partnerships = generate(count=2)
    assert StandardsAudit.objects.count() == 2 * 4
    assert StandardGrade.objects.count() == 2 * 4 * 5
    assert StandardGrade.history.count() == StandardGrade.objects.count()
    assert set(Inspection.objects.values_list("title", flat=True)) == {
        "Example inspection (bench data, not a real inspection)"
    }
    assert Recommendation.objects.filter(action_reference="").count() == 2 * 4
    first = partnerships[0]
    for _, path, role in PAGES:
        url = path(first) if callable(path) else path.format(slug=first.slug)
        who = Membership.objects.filter(partnership=first, user__email=f"{role}@{first.slug}.bench").get()
        client.force_login(who.user)
        assert query_guard.count(client, url)[0] <= 12, url
