"""Request-wide behaviour: the language, a busy database, sessions that slide while the user works."""

import logging
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

from sentra.core.views import database_busy_response, is_database_locked

logger = logging.getLogger(__name__)
SESSION_ACTIVE_AT_KEY = "sentra_active_at"


class ChosenLanguageMiddleware:
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language.

    Many officers' phones are set to English; the product still speaks
    Indonesian to them until they pick English in the footer (a cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class DatabaseBusyMiddleware:
    """A write that still finds the database locked after SQLite's busy timeout answers 503, not 500.

    On SQLite one transaction writes at a time; a long import can hold the lock past the 20 s a page
    waits. The officer gets "try again shortly" (JSON for the API) and can simply retry. Errors raised
    outside the view, e.g. while the session is saved, reach the 400 and 500 handlers in
    sentra.core.views, which answer the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_locked(exception):
            logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
            return database_busy_response(request)
        return None


class SlidingSessionMiddleware:
    """Moves a signed-in session's expiry on while the user works, so it ends SESSION_COOKIE_AGE after
    the last activity instead of after the login.

    The session is written at most every SESSION_REFRESH_SECONDS, not on every request as
    SESSION_SAVE_EVERY_REQUEST would: each write is a database write, which on SQLite waits for
    a running import.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # Only a session the request has read already; loading one here would cost a query.
        if session.accessed and SESSION_KEY in session:
            refresh_session_expiry(session, only_if_older_than=settings.SESSION_REFRESH_SECONDS)
        return response


def refresh_session_expiry(session, only_if_older_than: int = 0) -> None:
    """Mark the session active now, so that SessionMiddleware saves it with a fresh expiry."""
    now = int(time.time())
    if now - session.get(SESSION_ACTIVE_AT_KEY, 0) >= only_if_older_than:
        session[SESSION_ACTIVE_AT_KEY] = now


@receiver(user_logged_in, dispatch_uid="sentra.core.session_active_at_login")
def _session_active_at_login(sender, request, user, **kwargs) -> None:
    # Saved with the login's own session write, so the pages that follow need not write it again.
    if request is not None and hasattr(request, "session"):
        refresh_session_expiry(request.session)
