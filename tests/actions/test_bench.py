"""The bench generator gives the bench partnership 150 actions and 1,500 updates; the tracker stays cheap."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action, Priority, ProgressUpdate
from bench.generate import generate
from tests.pages import without_tokens
from yjplan.models import Membership


@pytest.mark.django_db
def test_bench_tracker_data_and_query_count(client):
    bench = generate(count=1)[0]
    assert Priority.objects.filter(partnership=bench).count() == 10
    assert Action.objects.filter(partnership=bench).count() == 150
    assert ProgressUpdate.objects.filter(partnership=bench).count() == 1500
    assert Action.objects.filter(partnership=bench, latest_update__isnull=True).count() == 0
    assert ProgressUpdate.history.count() == 1500
    manager = Membership.objects.get(user__email=f"manager@{bench.slug}.bench")
    client.force_login(manager.user)
    url = f"/p/{bench.slug}/actions/"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["data"]["count"] == 150  # rendered (a cache miss)
    assert len(queries.captured_queries) <= 12
    with CaptureQueriesContext(connection) as queries:
        cached = client.get(url)
    assert cached.context is None  # the whole page was kept: no template rendered
    assert without_tokens(cached) == without_tokens(response)
    assert len(queries.captured_queries) == 2  # the user, and the membership with the data version
