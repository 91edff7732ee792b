"""Product photos as phones take them: resized on upload to WebP, upright, without EXIF; served small; bad files
refused in Indonesian with nothing lost."""

import io
import struct
import zlib

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sentra.registry.models import Product
from sentra.registry.photos import MAX_PHOTO_BYTES, STORED_SIDE

pytestmark = pytest.mark.django_db

PRODUCT = {
    "name": "Keripik Singkong Balado",
    "category": "makanan",
    "unit": "bungkus",
    "price": "Rp 15.000",
    "monthly_capacity": "300",
    "packaging": "plastik",
}
ORIENTATION = 0x0112  # EXIF tag: how the camera was held
GPS_INFO = 0x8825  # EXIF tag: where the photo was taken


@pytest.fixture(autouse=True)
def public_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # imagekit remembers in the cache which sized copies exist: those of another test's folder


def phone_photo(width: int = 4000, height: int = 3000) -> bytes:
    """A JPEG as a phone writes it held upright: stored sideways (landscape) with orientation 6 ("turn it a
    quarter clockwise"), and the place it was taken; noisy, so it weighs what a real photo does."""
    image = Image.effect_noise((width, height), 60).convert("RGB")
    image.paste((200, 30, 30), (0, 0, width // 4, height // 4))  # a red block at the stored top left
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[GPS_INFO] = {1: "S", 2: (6.0, 58.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def add_product(client, business, photo: SimpleUploadedFile, **fields):
    url = reverse("registry:child_create", kwargs={"pk": business.pk, "kind": "produk"})
    return client.post(url, {**PRODUCT, **fields, "photo": photo})


def test_a_phone_photo_is_stored_upright_small_as_webp_without_exif(client, users, businesses):
    original = phone_photo()
    assert len(original) > 1_000_000
    client.force_login(users["blora_officer"])
    response = add_product(client, businesses["blora_plain"], SimpleUploadedFile("IMG_20261201_0930.jpg", original))
    assert response.status_code == 302

    product = Product.objects.get(name=PRODUCT["name"])
    assert product.photo.name.endswith(".webp")
    with Image.open(product.photo.path) as stored:
        assert stored.format == "WEBP"
        # Upright: the stored-sideways 4000×3000 is now portrait, its longest side 1600 px.
        assert stored.size == (STORED_SIDE * 3 // 4, STORED_SIDE)
        assert not stored.getexif()  # no orientation, no GPS: the owner's home is not published
        red = stored.convert("RGB").getpixel((stored.width - 20, 20))  # the red block turned to the top right
        assert red[0] > 150 and red[1] < 90
    assert product.photo.size < len(original) / 3


def test_the_product_tab_shows_a_small_lazy_picture_and_links_a_larger_one(client, users, businesses):
    client.force_login(users["blora_officer"])
    add_product(client, businesses["blora_plain"], SimpleUploadedFile("foto.jpg", phone_photo()))
    product = Product.objects.get(name=PRODUCT["name"])

    page = client.get(reverse("registry:business_tab", args=[product.business_id, "produk"])).content.decode()
    thumbnail, medium = product.photo_thumbnail, product.photo_medium
    assert f'src="{thumbnail.url}"' in page and 'loading="lazy"' in page
    assert f'href="{medium.url}"' in page
    assert product.photo.url not in page  # the stored 1600 px photo is not what a page loads
    assert max(thumbnail.width, thumbnail.height) == 192 and max(medium.width, medium.height) == 720

    served = client.get(thumbnail.url)  # public media, as a browser fetches it
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert len(b"".join(served.streaming_content)) < 25_000  # what 3G carries in a blink, not 1.17 MB


def test_a_product_whose_photo_file_is_gone_still_shows(client, users, businesses):
    client.force_login(users["blora_officer"])
    add_product(client, businesses["blora_plain"], SimpleUploadedFile("foto.jpg", phone_photo(800, 600)))
    product = Product.objects.get(name=PRODUCT["name"])
    product.photo.storage.delete(product.photo.name)

    response = client.get(reverse("registry:business_tab", args=[product.business_id, "produk"]))
    assert response.status_code == 200
    assert PRODUCT["name"] in response.content.decode()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge image: decoding it would take gigabytes (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("daftar_harga.jpg", b"Harga keripik: Rp 15.000 per bungkus\n" * 50, "bukan gambar yang bisa dibaca"),
        ("scan.jpg", b"\xff\xd8\xff" + b"\0" * (MAX_PHOTO_BYTES + 1), "Foto terlalu besar"),
        ("bom.png", png_declaring(30_000, 30_000), "terlalu besar untuk diolah"),
        ("besar.png", png_declaring(9_000, 7_000), "terlalu besar untuk diolah"),  # 63 MP: under Pillow's own limit
    ],
    ids=["not an image", "too heavy", "decompression bomb", "too many pixels"],
)
def test_a_file_that_is_not_a_usable_photo_is_refused_in_indonesian_and_nothing_is_lost(
    client, users, businesses, name, content, message
):
    client.force_login(users["blora_officer"])
    response = add_product(client, businesses["blora_plain"], SimpleUploadedFile(name, content))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Keripik Singkong Balado"' in page  # what was typed is still in the form
    assert not Product.objects.exists()
