"""Tags every request with an id so that the changes one request made can be grouped."""

import uuid
from contextvars import ContextVar

current_request_id: ContextVar[uuid.UUID | None] = ContextVar("current_request_id", default=None)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4()
        token = current_request_id.set(request.id)
        try:
            return self.get_response(request)
        finally:
            current_request_id.reset(token)
