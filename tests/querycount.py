"""A page's query count must not grow with its rows: the guard every page test can use.

def test_members_page_queries(query_guard, ...):
    query_guard.assert_fixed(client, url, add_rows=lambda n: [member(p, Role.VIEWER) for _ in range(n)])
"""

from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


class QueryGuard:
    def count(self, client, url: str) -> tuple[int, list[str]]:
        """The page's queries with nothing cached (``yjplan.cache``): what its selectors really cost."""
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]

    def assert_fixed(
        self, client, url: str, *, add_rows: Callable[[int], object], rows: int = 15, limit: int | None = None
    ):
        client.get(url)  # warm caches that are filled once per process (content types, sessions)
        before, _ = self.count(client, url)
        add_rows(rows)
        after, sql = self.count(client, url)
        detail = "\n".join(sql)
        assert after == before, f"{url}: {before} queries before adding {rows} rows, {after} after:\n{detail}"
        if limit is not None:
            assert after <= limit, f"{url}: {after} queries, more than the budget of {limit}:\n{detail}"
        return after
