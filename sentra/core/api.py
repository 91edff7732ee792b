"""What every API router shares: the error bodies, the responses an endpoint declares, and query schemas
made from the FilterSets the HTML lists use, so the docs show every filter a list accepts."""

import datetime as dt
from typing import Annotated, Any, Literal

import django_filters
from django.core.validators import RegexValidator
from django.utils import translation
from ninja import Schema
from pydantic import BeforeValidator, Field, StringConstraints, create_model

# A NUL character is never part of a real query, and PostgreSQL refuses it in text: refuse it up front.
NO_NUL = r"^[^\x00]*$"
Text = Annotated[str, StringConstraints(pattern=NO_NUL)]


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


def responses(ok: Any, *, not_found: bool = False, body: bool = False) -> dict[int, Any]:
    """An endpoint's responses: `ok` on 200, and the errors it may answer (404 when it takes an id,
    400 when it reads a JSON body)."""
    codes: dict[int, Any] = {200: ok, 401: ErrorOut, 403: ErrorOut, 422: ValidationErrorOut}
    if not_found:
        codes[404] = ErrorOut
    if body:
        codes[400] = ErrorOut
    return codes


def field_errors(errors: dict[str, list[str]], location: str = "query") -> list[dict[str, object]]:
    """A form's errors in the shape of the API's other 422 answers."""
    return [
        {"type": "invalid", "loc": [location, name], "msg": " ".join(str(message) for message in messages)}
        for name, messages in errors.items()
    ]


def _blank_is_none(value: object) -> object:
    return None if value == "" else value  # `status=` from an HTML form means "any", as on the page


def _parameter_type(filter: django_filters.Filter) -> Any:
    """The type a filter's value has on the wire: an enum for fixed choices, a date, or text."""
    choices = filter.extra.get("choices")
    if isinstance(filter, django_filters.ChoiceFilter) and choices and not callable(choices):
        return Literal[tuple(str(value) for value, _label in choices)]
    if isinstance(filter, django_filters.DateFilter):
        return dt.date
    validators = [*filter.extra.get("validators", ()), *getattr(filter.field_class, "default_validators", ())]
    patterns = [validator.regex.pattern for validator in validators if isinstance(validator, RegexValidator)]
    return Annotated[str, StringConstraints(pattern=patterns[0] if patterns else NO_NUL)]


def filterset_query(name: str, filterset_class: type[django_filters.FilterSet], **extra: Any) -> type[Schema]:
    """A query schema with one optional parameter per filter of `filterset_class`, plus `extra` fields.

    It documents and type-checks the parameters; the FilterSet still does the
    filtering and the checks that need the database (a district code that exists).
    """
    fields: dict[str, Any] = {}
    # The labels in their source language, whichever language the request that first loads the API speaks.
    with translation.override(None):
        for filter_name, filter in filterset_class.base_filters.items():
            kind = Annotated[_parameter_type(filter) | None, BeforeValidator(_blank_is_none)]
            fields[filter_name] = (kind, Field(None, description=str(filter.label or filter_name)))
    return create_model(name, __base__=Schema, **fields, **extra)
