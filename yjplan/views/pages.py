"""Pages outside any partnership: home redirect, partnership chooser, accessibility, health."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from yjplan.access import ACTIVE_PARTNERSHIP_SESSION_KEY
from yjplan.selectors import memberships_for_user


@require_safe
@login_required
def home(request):
    """Go to the partnership last used, the only one, or the chooser."""
    memberships = memberships_for_user(user=request.user)
    slugs = [m.partnership.slug for m in memberships]
    active = request.session.get(ACTIVE_PARTNERSHIP_SESSION_KEY)
    if active in slugs:
        return redirect("dashboard", slug=active)
    if len(slugs) == 1:
        return redirect("dashboard", slug=slugs[0])
    return redirect("partnership_choose")


@require_safe
@login_required
def partnership_choose(request):
    memberships = memberships_for_user(user=request.user)
    active = request.session.get(ACTIVE_PARTNERSHIP_SESSION_KEY)
    return render(request, "yjplan/partnership_choose.html", {"memberships": memberships, "active_slug": active})


@require_safe
def accessibility(request):
    return render(request, "pages/accessibility.html")


@never_cache
@require_safe
def healthz(request):
    """The bare baseline for benchmarks and the load balancer's health check: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")
