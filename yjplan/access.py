"""Partnership-scoped access: every view under ``/p/<slug>/`` declares the capability it needs.

Another partnership's slug (or a record of one) answers 404, so nothing reveals that it exists;
a member whose roles lack the capability gets 403.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from yjplan.permissions import CAPABILITIES
from yjplan.selectors import membership_for_slug

ACTIVE_PARTNERSHIP_SESSION_KEY = "active_partnership"


def partnership_view(capability: str):
    """Decorate a view taking ``slug``: sets ``request.partnership`` and ``request.membership``."""
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for_slug(user=request.user, slug=slug)
            if membership is None:
                raise Http404("No such partnership")
            request.partnership = membership.partnership
            request.membership = membership
            if not membership.can(capability):
                raise PermissionDenied(f"This needs the {capability!r} capability")
            if request.session.get(ACTIVE_PARTNERSHIP_SESSION_KEY) != slug:
                request.session[ACTIVE_PARTNERSHIP_SESSION_KEY] = slug
            return view(request, *args, **kwargs)

        wrapped.capability = capability
        return wrapped

    return decorator
