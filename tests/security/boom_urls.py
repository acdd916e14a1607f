"""The project's addresses plus one that fails, so the 500 page can be checked through the whole middleware."""

from django.urls import path

from yjplan.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("A deliberate failure for the 500 page's headers")


urlpatterns = [*urlpatterns, path("boom-for-the-headers-test/", boom)]
