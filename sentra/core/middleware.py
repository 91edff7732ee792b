"""Request-wide behaviour: the language, and a busy database."""

import logging

from django.conf import settings
from django.utils import translation

from sentra.core.views import database_busy_response, is_database_locked

logger = logging.getLogger(__name__)


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
