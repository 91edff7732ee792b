"""Indonesian by default, whatever the browser says; English when the user picks it."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_indonesian_even_for_an_english_browser(client):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Masuk ke Sentra" in page
    assert '<html lang="id">' in page


def test_english_after_choosing_it(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in page
    assert "Masuk ke Sentra" not in page


def test_every_english_entry_is_translated():
    """A string added to the UI without its English translation fails here (run makemessages, translate)."""
    catalog = (settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = catalog.split("\n\n")[1:]  # the first block is the header
    untranslated = [entry for entry in entries if 'msgstr ""' in entry and '\n"' not in entry.split('msgstr ""')[1]]
    assert untranslated == []
    fuzzy = [entry for entry in entries if "#, fuzzy" in entry]  # gettext skips these: English would be missing
    assert fuzzy == []
