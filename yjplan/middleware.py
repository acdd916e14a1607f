"""Sliding session expiry without a database write on every request."""

import time

from django.conf import settings

KEY = "_last_activity"


class SessionActivityMiddleware:
    """Restart a signed-in session's idle clock, at most every SESSION_ACTIVITY_REFRESH_SECONDS.

    Django's SESSION_SAVE_EVERY_REQUEST would write the session on every page; marking it modified only
    every few minutes keeps the same idle timeout (give or take those minutes) at a fraction of the cost.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(KEY, 0) >= settings.SESSION_ACTIVITY_REFRESH_SECONDS:
                session[KEY] = now
        return self.get_response(request)
