"""Product photos: checked and resized on upload, served in the size a page shows.

A phone's photo (3000×4000, a megabyte or more, EXIF with the place it was taken) is stored as a WebP of at
most 1600 px, turned upright and without EXIF; the pages show smaller WebP copies that django-imagekit makes
from it on first use (`Product.photo_thumbnail`, `Product.photo_medium`).
"""

import warnings
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from imagekit import ImageSpec
from imagekit.processors import ResizeToFit, Transpose
from PIL import Image

MAX_PHOTO_BYTES = 15 * 1024 * 1024  # a phone's largest photos are a few MB; more is a scan or a mistake
MAX_PHOTO_PIXELS = 50_000_000  # 50 megapixels: any phone camera's full size, far from a decompression bomb
STORED_SIDE = 1600  # px, the longest side kept: sharp on a desktop, a fraction of the original's weight


class StoredPhoto(ImageSpec):
    """What is kept of an upload: upright (EXIF orientation applied), at most 1600 px, WebP, no EXIF."""

    processors = [Transpose(), ResizeToFit(STORED_SIDE, STORED_SIDE, upscale=False)]
    format = "WEBP"
    options = {"quality": 82, "method": 4}


class Thumbnail(ImageSpec):
    """The product card's picture (shown at 96 px; 192 px for screens of twice the density)."""

    processors = [ResizeToFit(192, 192, upscale=False)]
    format = "WEBP"
    options = {"quality": 75}


class Medium(ImageSpec):
    """The picture a phone opens: the screen's width, a tenth of the original's weight."""

    processors = [ResizeToFit(720, 720, upscale=False)]
    format = "WEBP"
    options = {"quality": 80}


class PhotoField(forms.ImageField):
    """An image upload that is refused with the reason when it is not a photo, too heavy, or too many pixels,
    and otherwise handed on as the `StoredPhoto` of it."""

    default_error_messages = {
        "invalid_image": gettext_lazy(
            "Berkas ini bukan gambar yang bisa dibaca. Unggah foto JPG, PNG, atau WebP (mis. dari kamera ponsel)."
        ),
    }

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if data.size > MAX_PHOTO_BYTES:
            raise ValidationError(
                _("Foto terlalu besar: %(size)s; paling besar %(limit)s. Perkecil fotonya lalu unggah lagi.")
                % {"size": filesizeformat(data.size), "limit": filesizeformat(MAX_PHOTO_BYTES)},
                code="too_heavy",
            )
        _refuse_too_many_pixels(data)
        checked = super().to_python(data)  # Pillow's verify(): a broken or disguised file fails here
        return _stored(checked)


def _refuse_too_many_pixels(upload) -> None:
    """Read the image's size from its header alone: a small file may declare a huge image (a decompression bomb)."""
    too_many = ValidationError(
        _(
            "Gambar ini terlalu besar untuk diolah (lebih dari %(limit)s megapiksel). "
            "Perkecil ukurannya lalu unggah lagi."
        )
        % {"limit": MAX_PHOTO_PIXELS // 1_000_000},
        code="too_many_pixels",
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many from error
    except Exception:  # noqa: BLE001 - not an image: ImageField's own check says so, in its words
        return
    finally:
        upload.seek(0)
    if width * height > MAX_PHOTO_PIXELS:
        raise too_many


def _stored(upload) -> SimpleUploadedFile:
    upload.seek(0)
    try:
        content = StoredPhoto(source=upload).generate()
    except (OSError, ValueError, Image.DecompressionBombError) as error:  # truncated data past the header
        raise ValidationError(PhotoField.default_error_messages["invalid_image"], code="invalid_image") from error
    name = f"{Path(upload.name).stem[:80] or 'foto'}.webp"
    return SimpleUploadedFile(name, content.read(), content_type="image/webp")
