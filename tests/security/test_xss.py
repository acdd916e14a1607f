"""XSS: every payload through every free-text field of every form (stored) and through query strings
(reflected); every page a person or the public can reach is then read with an HTML parser and must hold
no live markup from a payload. Rich text, the print HTML of documents and the public JSON as well."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from tests.security.forms import forms_in
from tests.security.payloads import MARKER, PAYLOADS, TEMPLATE_PRODUCT, live_injections
from tests.yjplan.test_authorization_matrix import FILL, GLOBAL_URLS, PARTNERSHIP_URLS, _url
from yjplan.permissions import Role
from yjplan.richtext import sanitise

# Forms not posted by the generic walk: they sign out, delete or only start a PDF render (no free text).
NOT_POSTED = {"logout", "document_request", "rendition_new", "council_remove", "item_remove", "section_delete"}
ROUNDS = 2  # each free-text field gets a different payload in each round


def _role_for(expect):
    """The role that may use the page (the manager when allowed): object-level 403s are avoided."""
    order = [Role.MANAGER, Role.ADMIN, Role.FINANCE, Role.CHAIR, Role.BOARD, Role.VIEWER]
    for role in order:
        if role in expect.allowed and expect.overrides.get(role, 200) < 400:
            return role
    return None


def _html_pages():
    for name, expect in sorted(PARTNERSHIP_URLS.items()):
        if expect.method == "get" and expect.content_type == "text/html" and _role_for(expect):
            yield name, expect


def _url_name(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return match.view_name


def _assert_inert(response, where: str, seen: dict):
    assert response.status_code < 500, f"{where} answered {response.status_code}"
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    html = response.content.decode()
    found = live_injections(html)
    assert found == [], f"{where}: {found}"
    seen["pages"] += 1
    seen["with_payload"] += MARKER in html


def test_every_payload_is_detected_when_rendered_raw():
    """The checker itself: each payload, pasted unescaped into text or an attribute, is reported."""
    raw_only = [p for p in PAYLOADS if "\uff1c" not in p and "{{" not in p]
    for payload in raw_only:
        in_text = live_injections(f"<p>{payload}</p>")
        in_attribute = live_injections(f"<input value=\"{payload}\"><input value='{payload}'>")
        assert in_text or in_attribute, payload
    assert live_injections(f"<p>{TEMPLATE_PRODUCT} {MARKER}</p>")
    assert live_injections('<a href="javascript:alert(1)">x</a>')
    assert live_injections('<a href=" java\tscript:alert(1)">x</a>')
    assert live_injections(f'<script type="application/json">"{MARKER}"</script>') == []


def test_stored_payloads_in_every_form_are_inert(world, client):
    """Post every form with payloads, then read every page as each role and the public pages."""
    seen = {"pages": 0, "with_payload": 0}
    forms_done: set = set()
    fields_done: set = set()
    posts = 0
    payload_uses = dict.fromkeys(PAYLOADS, 0)
    for name, expect in _html_pages():
        client.force_login(world["members"][_role_for(expect)].user)
        url = _url(name, expect, world)
        response = client.get(url, expect.data)
        _assert_inert(response, url, seen)
        for form in forms_in(response.content.decode(), url):
            target = _url_name(form.action)
            if form.signature in forms_done or target is None or target in NOT_POSTED or not form.text_fields():
                continue
            forms_done.add(form.signature)
            for round_ in range(ROUNDS):
                payloads = {}
                for i, field in enumerate(form.text_fields()):
                    payload = PAYLOADS[(len(fields_done) + i * 7 + round_ * 13) % len(PAYLOADS)]
                    if field.type == "url" and round_ == 0:
                        payload = f"javascript:alert('{MARKER}')"
                    payloads[field.name] = payload
                    payload_uses[payload] = payload_uses.get(payload, 0) + 1
                    fields_done.add((target, field.name))
                data = form.data(payloads)
                if form.method == "post":
                    response = client.post(form.action, data, follow=True)
                else:
                    response = client.get(form.action, data, follow=True)
                posts += 1
                _assert_inert(response, f"{form.method.upper()} {form.action} ({target})", seen)

    for role in (Role.MANAGER, Role.VIEWER):  # who edits, and who only reads (other roles share templates)
        client.force_login(world["members"][role].user)
        for name, expect in PARTNERSHIP_URLS.items():
            if expect.method == "get" and role in expect.allowed and expect.overrides.get(role, 200) < 400:
                _assert_inert(client.get(_url(name, expect, world), expect.data), f"{name} as {role}", seen)
    client.logout()
    for name, (anonymous, _member, kwargs) in GLOBAL_URLS.items():
        if anonymous == 200:
            url = reverse(name, kwargs={k: (FILL[v](world) if v in FILL else v) for k, v in kwargs.items()} or None)
            _assert_inert(client.get(url), url, seen)

    # The walk reached the forms it should (a form lost from the walk shows up here).
    assert len(forms_done) >= 40, sorted(forms_done)
    assert len(fields_done) >= 100
    assert all(uses > 0 for uses in payload_uses.values()), payload_uses
    assert seen["with_payload"] >= 40, "payloads should be stored and shown back"
    print(
        f"\n{len(PAYLOADS)} payloads; {len(forms_done)} forms, {len(fields_done)} fields, {posts} submissions; "
        f"{seen['pages']} pages read, {seen['with_payload']} showing a payload"
    )


REFLECTED_PARAMS = ("q", "search", "page", "sort", "order", "status", "next", "year", "lead", "priority", "area", "tab")


def test_reflected_payloads_in_query_strings_are_inert(world, client):
    """Every page, with payloads in common parameters and in every field of its own GET forms."""
    seen = {"pages": 0, "with_payload": 0}
    for index, (name, expect) in enumerate(_html_pages()):
        client.force_login(world["members"][_role_for(expect)].user)
        url = _url(name, expect, world)
        page = client.get(url, expect.data)
        names = set(REFLECTED_PARAMS)
        for form in forms_in(page.content.decode(), url):
            if form.method == "get":
                names |= {f.name for f in form.fields}
        query = {n: PAYLOADS[(index * 5 + i) % len(PAYLOADS)] for i, n in enumerate(sorted(names))}
        _assert_inert(client.get(f"{url}?{urlencode(query)}"), f"{name}?{query}", seen)
    client.logout()
    for payload in PAYLOADS:
        _assert_inert(client.get(reverse("login"), {"next": payload}), f"login?next={payload}", seen)
        response = client.get(f"/no-such-page/{payload}/")
        assert response.status_code == 404
        _assert_inert(response, "404 page", seen)
    assert seen["pages"] >= len(list(_html_pages()))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rich_text_sanitiser_output_is_inert(payload):
    for allow_blocks in (False, True):
        clean = sanitise(payload, allow_blocks=allow_blocks)
        assert live_injections(f"<div>{clean}</div>") == [], clean
        assert "<script" not in clean.lower() and "<svg" not in clean.lower() and "<iframe" not in clean.lower()
