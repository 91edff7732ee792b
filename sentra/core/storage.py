"""Where files of personal data live, and how they leave: private storage, served only by views that check scope.

Uploaded spreadsheets, agency lists and generated reports hold NIKs and phone
numbers, so they are kept under `PRIVATE_MEDIA_ROOT`, never under `MEDIA_URL`,
with names nobody can guess. Public media (product photos) is served from
`MEDIA_ROOT` by `public_media`, folder by folder, which nginx may replace.
"""

import mimetypes
import secrets
import shutil
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.views.static import serve

PRIVATE_CACHE_CONTROL = "private, no-store"


class PrivateFileStorage(FileSystemStorage):
    """A file system storage with no URL: its files are reached only through a view that checks scope.

    Rooted at `PRIVATE_MEDIA_ROOT` unless given a location (and following that setting when it changes).
    """

    @cached_property
    def base_location(self) -> str:
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting: str, **kwargs) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        return ""  # no public URL: views serve these files with `private_file_response`


def private_storage() -> PrivateFileStorage:
    """The storage for files of personal data (a callable, so migrations do not freeze its location)."""
    return storages["private"]


@deconstructible
class UnguessableName:
    """`upload_to` that files an upload as `<folder>/<year>/<month>/<random>.<suffix>`.

    The name the officer gave the file is kept on the row, not in the path, so a path
    tells nothing and cannot be guessed; the suffix stays, since readers go by it.
    """

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: object, filename: str) -> str:
        return unguessable_name(self.folder, filename)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnguessableName) and other.folder == self.folder


def unguessable_name(folder: str, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"{folder}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}{suffix}"


def private_file_response(
    file: FieldFile, *, download_name: str, content_type: str | None = None, inline: bool = False
) -> HttpResponse:
    """A private file as a download: streamed by Django, or handed to the front server when it serves them.

    With `PRIVATE_MEDIA_SERVER = "nginx"` the response carries `X-Accel-Redirect` to
    `PRIVATE_MEDIA_INTERNAL_URL` + the file's name (an `internal` location in nginx);
    with `"apache"` (or lighttpd) it carries `X-Sendfile` with the file's path.
    """
    if not file or not file.storage.exists(file.name):
        raise Http404
    content_type = content_type or mimetypes.guess_type(download_name)[0] or "application/octet-stream"
    server = settings.PRIVATE_MEDIA_SERVER
    if server in ("nginx", "apache"):
        response = HttpResponse(content_type=content_type)
        if server == "nginx":
            response["X-Accel-Redirect"] = quote(settings.PRIVATE_MEDIA_INTERNAL_URL.rstrip("/") + "/" + file.name)
        else:
            response["X-Sendfile"] = file.path
        disposition = "inline" if inline else "attachment"
        response["Content-Disposition"] = f"{disposition}; filename*=utf-8''{quote(download_name)}"
    else:
        response = FileResponse(
            file.storage.open(file.name, "rb"),
            as_attachment=not inline,
            filename=download_name,
            content_type=content_type,
        )
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response


def public_media(request: HttpRequest, path: str) -> HttpResponse:
    """A file of public media (`PUBLIC_MEDIA_FOLDERS` only, e.g. product photos), whatever DEBUG says.

    Anything else under MEDIA_ROOT — older uploads, files put there by hand — is a 404,
    so that a forgotten spreadsheet never becomes public again.
    """
    parts = PurePosixPath(path).parts
    if not parts or parts[0] not in settings.PUBLIC_MEDIA_FOLDERS or ".." in parts:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = f"public, max-age={settings.PUBLIC_MEDIA_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def move_to_private_storage(queryset, field: str, folder: str) -> int:
    """Move the files of `queryset`'s `field` that still sit in public media to private storage, renamed.

    For the rows made before files were private (a data migration calls it); a row whose
    file is already private, or gone, is left as it is. Returns how many files moved.
    """
    public_root = Path(settings.MEDIA_ROOT)
    target = private_storage()
    moved = 0
    for pk, name in queryset.exclude(**{field: ""}).values_list("pk", field).iterator():
        source = public_root / name
        if not name.startswith(f"{folder}/") or not source.is_file() or target.exists(name):
            continue
        new_name = unguessable_name(folder, name)
        destination = Path(target.path(new_name))
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, destination)
        queryset.filter(pk=pk).update(**{field: new_name})
        moved += 1
    return moved
