"""Page fragments cached per partnership and thrown away by every committed write (ADR 014).

Each partnership has a data version (``DataVersion``), read in the same query as the visitor's
membership. Any save or delete of one of our models, and any change to a many-to-many relation, bumps
the version of the partnership it belongs to once the transaction commits; a model that cannot be tied
to one partnership (reference data) bumps every partnership. Bulk writes that send no signals
(``bulk_create``, ``QuerySet.update``) call ``partnership_changed`` themselves.

A fragment's key holds the partnership, its version, the visitor's membership, the day, the address,
the code's fingerprint and the fragment's own vary-on values: a write, another partnership, another
member (so another role) or a new release never reaches an old fragment. Reading before a write commits
and storing after it files the old page under the old version, which nobody asks for again.
"""

import hashlib
import logging
import re
from collections.abc import Callable
from functools import cache as memoize
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import mark_safe

from yjplan.models import DataVersion, Membership, Partnership, User

log = logging.getLogger(__name__)

TIMEOUT = 600
OWN_APPS = {"yjplan", "budgets", "performance", "actions", "boards"}
# Rows that change no page a fragment holds: print jobs moving through their states, reminder e-mails sent.
IGNORED = {"yjplan.documentjob", "yjplan.dataversion", "actions.reminderdigest"}
ALL = None  # "every partnership"


# --- The version ---------------------------------------------------------------------------


def version_of(partnership: Partnership) -> int:
    """The partnership's data version (no query when it came through ``membership_for_slug``)."""
    try:
        return partnership.data_version.version
    except DataVersion.DoesNotExist:
        return 0


def _bump(ids, using: str) -> None:
    table = connections[using].ops.quote_name(DataVersion._meta.db_table)
    source = connections[using].ops.quote_name(Partnership._meta.db_table)
    where, params = ("WHERE id = %s", [ids]) if ids is not ALL else ("WHERE 1 = 1", [])
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (partnership_id, version) SELECT id, 1 FROM {source} {where} "  # noqa: S608
            f"ON CONFLICT (partnership_id) DO UPDATE SET version = {table}.version + 1",
            params,
        )


def partnership_changed(partnership, *, using: str = "default") -> None:
    """Bump the version of ``partnership`` (a Partnership, its pk, or ``ALL``) when the transaction commits."""
    target = partnership if partnership is ALL or isinstance(partnership, int) else partnership.pk
    transaction.on_commit(lambda: _bump(target, using), using=using, robust=True)


# --- Which partnership a row belongs to ---------------------------------------------------


@memoize
def _path(model, depth: int = 0) -> list[str] | None:
    """The attribute path from a row to its partnership's id (its own ``partnership``, the audit registry's
    path, or the first foreign key whose row has one), or None when there is none."""
    from yjplan.registry import registry

    fields = model._meta.concrete_fields
    if any(f.name == "partnership" for f in fields):
        return ["partnership_id"]
    audited = registry.audited.get(model._meta.label_lower)
    if audited is not None and "__" in audited.partnership_field:
        *steps, last = audited.partnership_field.split("__")
        return [*steps, f"{last}_id"]
    if depth < 3:
        for field in fields:
            target = field.related_model if field.many_to_one or field.one_to_one else None
            if target is not None and target is not model and target._meta.app_label in OWN_APPS:
                rest = _path(target, depth + 1)
                if rest is not None:
                    return [field.name, *rest]
    return None


def _is_tracked(model) -> bool:
    meta = model._meta
    return (
        meta.app_label in OWN_APPS
        and meta.label_lower not in IGNORED
        and not hasattr(model, "instance_type")  # django-simple-history's historical rows
    )


def _owners(instance):
    """The pk of the partnership ``instance`` belongs to, a list of pks, or ``ALL``."""
    if isinstance(instance, Partnership):
        return instance.pk
    if isinstance(instance, User):
        return list(Membership.objects.filter(user_id=instance.pk).values_list("partnership_id", flat=True))
    path = _path(type(instance))
    if path is None:
        return ALL
    value = instance
    for step in path:
        if value is None:  # a row tied to no partnership: it may show in any of them
            return ALL
        try:
            value = getattr(value, step)
        except ObjectDoesNotExist:  # its parent went in the same cascade, and bumped for itself
            return []
    return ALL if value is None else value


def _changed(instance, using: str) -> None:
    owners = _owners(instance)
    for owner in owners if isinstance(owners, list) else [owners]:
        partnership_changed(owner, using=using)


def _on_save(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
    if raw or not _is_tracked(sender):
        return
    if sender is User and update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    _changed(instance, using)


def _on_delete(sender, instance, using="default", **kwargs):
    if _is_tracked(sender) and sender is not Partnership:
        _changed(instance, using)


def _on_m2m(sender, instance, action, using="default", **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and _is_tracked(type(instance)):
        _changed(instance, using)


def connect() -> None:
    post_save.connect(_on_save, dispatch_uid="yjplan.cache.save")
    post_delete.connect(_on_delete, dispatch_uid="yjplan.cache.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="yjplan.cache.m2m")


# --- Fragments -----------------------------------------------------------------------------


@memoize
def code_fingerprint() -> str:
    """Changes with any template or Python file of ours: a release never serves an older release's HTML."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in ["templates", *sorted(OWN_APPS)]:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".html", ".py") and "migrations" not in path.parts:
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def fragment_key(request, name: str, vary: tuple = ()) -> str:
    partnership, membership = request.partnership, request.membership
    raw = "|".join(
        str(v)
        for v in (
            code_fingerprint(),
            partnership.pk,
            version_of(partnership),
            membership.pk,
            timezone.localdate(),
            request.get_full_path(),
            *vary,
        )
    )
    return f"yjplan.fragment.{name}.{partnership.pk}." + hashlib.sha256(raw.encode()).hexdigest()


# Rendered in place of the CSRF token inside a fragment, and swapped for the visitor's own on the way out.
CSRF_PLACEHOLDER = "yjplan-csrf-token-placeholder"


_TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def cacheable(request, html: str) -> bool:
    """A real CSRF token or a CSP nonce belongs to one session or one response: such HTML is never shared."""
    nonce = getattr(request, "_csp_nonce", None)
    if any(token != CSRF_PLACEHOLDER for token in _TOKEN_INPUT.findall(html)) or (
        isinstance(nonce, str) and nonce and nonce in html
    ):
        log.warning("Not cached: it holds a CSRF token or a CSP nonce (%s)", request.path)
        return False
    return True


def fragment(request, name: str, render: Callable[[], str], vary: tuple = (), timeout: int = TIMEOUT) -> str:
    """The HTML ``render()`` makes (from our own templates: it is marked safe), from the cache when the
    partnership's data has not changed since."""
    key = fragment_key(request, name, vary)
    html = cache.get(key)
    if html is None:
        html = render()
        if cacheable(request, html):
            cache.set(key, html, timeout)
    return mark_safe(html)  # noqa: S308 - escaped by the templates that made it


def lazy(function: Callable, *args, **kwargs) -> Callable[[], object]:
    """A template variable computed on first use only: a cached fragment then costs no query at all."""

    @memoize
    def value():
        return function(*args, **kwargs)

    return value


# --- Whole pages ---------------------------------------------------------------------------

# The CSP nonce of the response that rendered a page, stored in its place and swapped for each visitor's own.
NONCE_PLACEHOLDER = "yjplan-csp-nonce-placeholder"


def rendering_page(request) -> bool:
    """True while ``cached_page`` renders a page to keep: the context processor then gives the placeholder
    as ``csrf_token``, so no visitor's token is stored."""
    return getattr(request, "_rendering_cached_page", False)


def _fill(request, html: str) -> str:
    """The visitor's own CSRF token and this response's CSP nonce in place of the placeholders."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    if NONCE_PLACEHOLDER in html:
        html = html.replace(NONCE_PLACEHOLDER, str(request.csp_nonce))
    return html


def _is_html(response) -> bool:
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")


def _keepable(request, response) -> str | None:
    """The page to keep, with placeholders for what belongs to one visitor or one response, or None when
    the response must not be kept: not a plain 200 HTML page, a cookie or an attachment of its own, a
    message the view added (shown once), or a real CSRF token in it (rendered without the placeholder)."""
    if (
        len(get_messages(request))
        or response.status_code != 200
        or not _is_html(response)
        or response.cookies
        or response.has_header("Content-Disposition")
    ):
        return None
    html = response.content.decode(response.charset)
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str) and nonce:
        html = html.replace(nonce, NONCE_PLACEHOLDER)
    return html if cacheable(request, html) else None


def cached_page(vary: Callable[..., tuple] | None = None, seconds: int = TIMEOUT):
    """Keep a partnership page's whole HTML until the partnership's data changes (ADR 015).

    Goes inside ``partnership_view``: the key is ``fragment_key``'s (partnership, data version, member, day,
    address, code) with the user and ``vary(request, *args, **kwargs)`` — for what a page shows that no
    committed write of the partnership changes, such as a print job's progress. Only GET and HEAD, never an
    htmx request, and never while the visitor has messages waiting (they show once, on a fresh render). A
    hit runs no view code: the visitor's CSRF token and the response's CSP nonce are filled in. ``seconds``
    shortens the life of a page that moves with the clock (the home page's "next meeting").
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            timeout = min(seconds, getattr(settings, "PAGE_CACHE_SECONDS", TIMEOUT))
            if (
                not timeout
                or request.method not in ("GET", "HEAD")
                or request.headers.get("HX-Request")
                or len(get_messages(request))
            ):
                return view(request, *args, **kwargs)
            extra = vary(request, *args, **kwargs) if vary is not None else ()
            key = fragment_key(request, "page", (request.user.pk, *extra))
            kept = cache.get(key)
            if kept is not None:
                content_type, html = kept
                return HttpResponse(_fill(request, html), content_type=content_type)
            request._rendering_cached_page = True
            try:
                response = view(request, *args, **kwargs)
            finally:
                request._rendering_cached_page = False
            html = _keepable(request, response)
            if html is not None:
                cache.set(key, (response["Content-Type"], html), timeout)
            if _is_html(response):
                response.content = _fill(request, response.content.decode(response.charset))
            return response

        return wrapped

    return decorator
