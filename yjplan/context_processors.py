"""Template context every page needs: the service name, the active partnership and its navigation."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from yjplan.cache import CSRF_PLACEHOLDER, rendering_page
from yjplan.registry import registry


def service(request):
    context = {"service_name": settings.SITE_NAME}
    if rendering_page(request):  # a page kept for later holds a placeholder, not this visitor's token
        context["csrf_token"] = CSRF_PLACEHOLDER
    membership = getattr(request, "membership", None)
    if membership is not None:
        nav = []
        path = request.path
        for item in registry.nav_for(membership):
            try:
                url = reverse(item.url_name, kwargs={"slug": membership.partnership.slug})
            except NoReverseMatch:
                continue
            dashboard = item.url_name == "dashboard"
            active = path == url if dashboard else path.startswith(url)
            nav.append({"label": item.label, "url": url, "active": active})
        context.update(partnership=membership.partnership, membership=membership, service_nav=nav)
    return context
