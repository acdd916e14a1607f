"""The bench generator's figures, the bench dashboard's query count and the import benchmark."""

import pytest
from django.db import connection
from django.urls import reverse

from bench.generate import generate
from performance.bench import import_benchmark
from performance.models import ComparatorArea, Observation
from yjplan.models import Membership


@pytest.mark.django_db
def test_generator_adds_ten_years_of_key_indicators_and_eight_quarters_of_kpis(client, query_guard):
    partnerships = generate(count=2)
    assert ComparatorArea.objects.filter(partnership__isnull=False).count() == 2 * 3
    assert Observation.objects.count() == 2 * (6 * 10 * 5 + 23 * 8)
    assert Observation.history.count() == Observation.objects.count()
    manager = Membership.objects.filter(partnership=partnerships[0], is_manager=True).first()
    client.force_login(manager.user)
    url = reverse("performance:dashboard", kwargs={"slug": partnerships[0].slug})
    assert client.get(url).status_code == 200
    assert query_guard.count(client, url)[0] <= 10


@pytest.mark.django_db(transaction=False)
def test_import_benchmark(definitions):
    if connection.vendor != "postgresql":
        with pytest.raises(RuntimeError, match="run it on PostgreSQL"):
            import_benchmark(rows=100, repeat=1)
        return
    result = import_benchmark(rows=600, repeat=1)
    assert sorted(result) == ["copy_rows_per_s", "copy_seconds", "import_rows_per_s", "import_seconds", "ratio", "rows"]
    assert result["rows"] == 600
    assert Observation.objects.filter(partnership__slug="import-benchmark").count() == 0  # both rolled back
