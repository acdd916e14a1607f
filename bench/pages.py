"""The pages ``make bench`` loads: ``(name, path, role)``, each later issue appending its own.

``path`` is a template filled with ``slug`` (the first generated partnership, ``bench_slug()``), or a
callable taking that ``Partnership`` and returning the path (for a record's page, e.g. its first action).
``role`` is whose session loads it (``<role>@<slug>.bench``); ``None`` loads it signed out.
The first entry is the baseline every ratio is taken against.
"""

PAGES = [
    ("baseline", "/healthz/", None),
    ("sign-in page", "/accounts/login/", None),
    ("home dashboard", "/p/{slug}/", "manager"),
    ("action tracker (150 actions, 1,500 updates)", "/p/{slug}/actions/", "manager"),
]

from boards.bench import PAGES as BOARD_PAGES  # noqa: E402

PAGES += BOARD_PAGES

from performance.bench import PAGES as PERFORMANCE_PAGES  # noqa: E402

PAGES += PERFORMANCE_PAGES

from performance.capability.bench import PAGES as CAPABILITY_PAGES  # noqa: E402

PAGES += CAPABILITY_PAGES

from performance.standards.bench import PAGES as STANDARDS_PAGES  # noqa: E402

PAGES += STANDARDS_PAGES

from budgets.bench import PAGES as BUDGET_PAGES  # noqa: E402

PAGES += BUDGET_PAGES

from yjplan.bench import PAGES as PLAN_PAGES  # noqa: E402

PAGES += PLAN_PAGES
