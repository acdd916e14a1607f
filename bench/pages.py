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
]
