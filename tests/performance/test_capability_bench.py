"""The bench generator's self-assessments, and the bench pages answer with a bounded number of queries."""

import pytest
from django.test import Client

from bench.generate import generate
from performance.capability.bench import PAGES
from performance.capability.models import ActivityComment, ActivityResponse, Assessment, Gap
from yjplan.models import Membership


@pytest.mark.django_db
def test_generator_adds_three_years_of_assessments_and_the_pages_load(query_guard):
    partnerships = generate(count=2)
    assert Assessment.objects.count() == 2 * 3
    assert ActivityResponse.objects.count() == 2 * 3 * 30
    assert ActivityComment.objects.count() == 2 * 3 * 30 * 2
    assert Gap.objects.count() == 2 * 3 * 10
    assert ActivityResponse.history.count() == ActivityResponse.objects.count()
    first = partnerships[0]
    for name, path, role in PAGES:
        client = Client()
        client.force_login(Membership.objects.filter(partnership=first, **{f"is_{role}": True}).first().user)
        url = path(first) if callable(path) else path.format(slug=first.slug)
        count, _ = query_guard.count(client, url)
        assert count <= 16, name
