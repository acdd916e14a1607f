"""The authorization matrix: every URL pattern × anonymous, each role, own vs another partnership.

The list of URL patterns comes from the resolver, so a new URL without an expectation here fails
``test_every_url_pattern_has_an_expectation``. For partnership pages the rule is:

* anonymous → redirect to the sign-in page;
* a member holding one of the ``allowed`` roles → ``ok`` (200, or the redirect a POST answers);
* a member without one of them → 403;
* a member of *another* partnership (with every role) → 404.
"""

import importlib
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from yjplan.models import LocalAuthority
from yjplan.permissions import ALL_ROLES, Role, roles_with

ROLES = list(Role)


@dataclass
class Expect:
    allowed: frozenset  # roles that may use it
    kwargs: dict = field(default_factory=dict)  # extra URL kwargs; "{membership}" etc. filled per case
    method: str = "get"
    ok: int = 200
    data: dict = field(default_factory=dict)
    content_type: str = "text/html"
    # object-level rules (e.g. a board member may update only the actions they lead): the view declares
    # ``declared`` and ``overrides`` gives the status each role gets in the test world
    declared: str | None = None
    overrides: dict = field(default_factory=dict)


def _members(cap):
    return roles_with(cap)


# Partnership-scoped URLs (all take ``slug``).
PARTNERSHIP_URLS: dict[str, Expect] = {
    "dashboard": Expect(ALL_ROLES),
    "partnership_detail": Expect(ALL_ROLES),
    "partnership_edit": Expect(_members("partnership.edit")),
    "council_add": Expect(_members("partnership.edit")),
    "council_remove": Expect(_members("partnership.edit"), kwargs={"pk": "{council}"}, method="post", ok=302),
    "population_edit": Expect(_members("partnership.edit")),
    "members": Expect(_members("members.manage")),
    "member_add": Expect(_members("members.manage")),
    "member_edit": Expect(_members("members.manage"), kwargs={"pk": "{membership}"}),
    "member_remove": Expect(_members("members.manage"), kwargs={"pk": "{membership}"}),
    "record_history": Expect(ALL_ROLES, kwargs={"label": "yjplan.partnership", "pk": "{partnership}"}),
    "document_request": Expect(ALL_ROLES, kwargs={"kind": "yjplan.partnership_summary"}, method="post", ok=302),
    "document_detail": Expect(ALL_ROLES, kwargs={"pk": "{document}"}),
    "document_download": Expect(ALL_ROLES, kwargs={"pk": "{document}"}, content_type="application/pdf"),
}

# Each spoke lists its own pages in tests/<spoke>/authz.py (the plan's in tests/yjplan/plan_*authz.py):
# PARTNERSHIP_URLS (namespaced names, e.g. "budgets:year"), optionally GLOBAL_URLS (public pages:
# name -> (anonymous status, member status, kwargs)), and FILL: placeholders such as "{budget_year}" mapped
# to a function of the test world (a dict with "own", "other", "members", "outsider", "target") that creates
# the record and returns its pk (or the value of the URL kwarg).
AUTHZ_MODULES = (
    "tests.yjplan.plan_authz",
    "tests.yjplan.plan_signoff_authz",
    "tests.budgets.authz",
    "tests.performance.authz",
    "tests.performance.authz_capability",
    "tests.performance.authz_standards",
    "tests.actions.authz",
    "tests.boards.authz",
)
FILL = {
    "{membership}": lambda world: world["target"].pk,
    "{partnership}": lambda world: world["own"].pk,
    "{document}": lambda world: _document(world).pk,
    "{council}": lambda world: _extra_council(world).pk,
}
_EXTRA_GLOBAL = {}
for _name in AUTHZ_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as _error:
        if not _name.startswith(_error.name or "-"):
            raise
        continue
    PARTNERSHIP_URLS.update(_module.PARTNERSHIP_URLS)
    FILL.update(getattr(_module, "FILL", {}))
    _EXTRA_GLOBAL.update(getattr(_module, "GLOBAL_URLS", {}))

# URLs outside any partnership: (anonymous status, signed-in member status)
GLOBAL_URLS: dict[str, tuple[int, int, dict]] = {
    "home": (302, 302, {}),
    "partnership_choose": (302, 200, {}),
    "accessibility": (200, 200, {}),
    "healthz": (200, 200, {}),
    "login": (200, 302, {}),  # a signed-in person is sent on to their home
    "logout": (405, 405, {}),  # sign-out is POST only
    "password_change": (302, 200, {}),
    "password_change_done": (302, 200, {}),
    "password_reset": (200, 200, {}),
    "password_reset_done": (200, 200, {}),
    "password_reset_confirm": (200, 200, {"uidb64": "MQ", "token": "set-password"}),
    "password_reset_complete": (200, 200, {}),
}

GLOBAL_URLS.update(_EXTRA_GLOBAL)

# The site's own admin: staff only; everyone else is sent to its sign-in page.
ADMIN_SPECIAL = {"admin:login": 200}


def url_patterns() -> dict[str, list[str]]:
    """Every named URL pattern in the project, with the names of its parameters."""
    found = {}

    def walk(patterns, namespace=None, params=()):
        for p in patterns:
            regex = p.pattern.regex
            own = tuple(regex.groupindex) or tuple(f"#{i}" for i in range(regex.groups))
            if isinstance(p, URLResolver):
                ns = p.namespace
                walk(p.url_patterns, f"{namespace}:{ns}" if namespace and ns else (ns or namespace), params + own)
            elif isinstance(p, URLPattern):
                if p.name is None and namespace == "admin":
                    continue  # the admin's unnamed "<id>/" redirect to the change page, checked through it
                assert p.name, f"URL pattern {p.pattern} has no name: give it one and an expectation"
                found[f"{namespace}:{p.name}" if namespace else p.name] = list(params + own)

    walk(get_resolver().url_patterns)
    return found


def all_url_names() -> list[str]:
    return list(url_patterns())


def test_every_url_pattern_has_an_expectation():
    known = set(PARTNERSHIP_URLS) | set(GLOBAL_URLS)
    missing = [n for n in all_url_names() if n not in known and not n.startswith("admin:")]
    assert missing == [], f"URL patterns without an authorization expectation: {missing}"


def test_views_declare_the_capability_the_matrix_expects():
    """The roles in this matrix are the roles of the capability each view declares."""
    from django.urls import resolve

    mismatches = []
    for name, expect in PARTNERSHIP_URLS.items():
        kwargs = {"slug": "x", **{k: (1 if str(v).startswith("{") else v) for k, v in expect.kwargs.items()}}
        view = resolve(reverse(name, kwargs=kwargs)).func
        capability = getattr(view, "capability", None)
        if capability is None:
            mismatches.append(f"{name}: view declares no capability")
        elif expect.declared is not None:
            if capability != expect.declared:
                mismatches.append(f"{name}: declares {capability!r}, expected {expect.declared!r}")
        elif roles_with(capability) != expect.allowed:
            mismatches.append(f"{name}: declares {capability!r}")
    assert mismatches == []


def _extra_council(world):
    n = LocalAuthority.objects.count()
    return LocalAuthority.objects.create(partnership=world["own"], name=f"Extra council {n}", short_name=f"Extra {n}")


def _url(name, expect, world):
    kwargs = {"slug": world["own"].slug}
    for key, value in expect.kwargs.items():
        kwargs[key] = FILL[value](world) if value in FILL else value
    return reverse(name, kwargs=kwargs)


def _document(world):
    """A finished document of the partnership (made once per world, in-process)."""
    if "document" not in world:
        from yjplan.documents import document_render, document_request

        job = document_request(partnership=world["own"], kind="yjplan.partnership_summary")
        world["document"] = document_render(job_id=job.pk)
    return world["document"]


def _call(client, expect, url):
    return client.post(url, expect.data) if expect.method == "post" else client.get(url, expect.data)


@pytest.mark.parametrize("name", sorted(PARTNERSHIP_URLS))
def test_partnership_url_matrix(name, world, client):
    expect = PARTNERSHIP_URLS[name]
    results = {}
    url = _url(name, expect, world)
    response = _call(client, expect, url)
    results["anonymous"] = response.status_code
    assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name
    for role in ROLES:
        client.force_login(world["members"][role].user)
        response = _call(client, expect, _url(name, expect, world))
        results[role.value] = response.status_code
    client.force_login(world["outsider"].user)
    results["other partnership"] = _call(client, expect, _url(name, expect, world)).status_code

    expected = {"anonymous": 302, "other partnership": 404}
    expected.update({role.value: (expect.ok if role in expect.allowed else 403) for role in ROLES})
    expected.update({Role(role).value: status for role, status in expect.overrides.items()})
    assert results == expected


@pytest.mark.parametrize("name", sorted(GLOBAL_URLS))
def test_global_url_matrix(name, world, client):
    anonymous, signed_in, kwargs = GLOBAL_URLS[name]
    kwargs = {k: (FILL[v](world) if v in FILL else v) for k, v in kwargs.items()}
    url = reverse(name, kwargs=kwargs or None)
    assert client.get(url).status_code == anonymous
    client.force_login(world["members"][Role.VIEWER].user)
    assert client.get(url).status_code == signed_in


def test_admin_is_for_staff_only(world, client):
    """Every admin URL sends anonymous people and partnership members (not staff) to the admin sign-in."""
    patterns = {n: params for n, params in url_patterns().items() if n.startswith("admin:")}
    names = list(patterns)
    assert "admin:index" in names

    checked = 0
    for who in (None, world["members"][Role.ADMIN].user):
        if who is not None:
            client.force_login(who)
        for name, params in patterns.items():
            if any(p.startswith("#") for p in params):
                url = reverse(name, args=["1"] * len(params))
            else:
                url = reverse(name, kwargs={p: ("yjplan" if p == "app_label" else "1") for p in params})
            status = client.get(url).status_code
            expected = ADMIN_SPECIAL.get(name, 302)
            if name == "admin:login" and who is not None:
                expected = 200  # a signed-in non-staff member sees the admin sign-in form again
            assert status == expected, f"{name} {url} answered {status} to {who or 'anonymous'}"
            checked += 1
    assert checked == 2 * len(names)
