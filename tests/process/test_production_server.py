"""Production's configuration for real: collectstatic, then gunicorn with only production's environment
behind a (simulated) TLS proxy: https enforced, static files compressed and cached for long, logins
that post through the proxy, and the Indonesian error pages."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie

import pytest
from django.conf import global_settings, settings

from conftest import PASSWORD
from tests.child_process import database_url

pytestmark = pytest.mark.process
PROXIED = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def production_environment(tmp_path) -> dict[str, str]:
    """What an office's server has: no SENTRA_DEV, a real SECRET_KEY, collected static files."""
    environment = {key: value for key, value in os.environ.items() if key not in ("SENTRA_DEV", "DEBUG")}
    environment.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        DATABASE_URL=database_url(),
        STATIC_ROOT=str(tmp_path / "static"),
        CACHE_DIR=str(tmp_path / "cache"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=environment,
        check=True,
        timeout=600,
    )
    return environment


@pytest.fixture
def server(production_environment):
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - gunicorn from our own virtualenv
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env={**production_environment, "SENTRA_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "gunicorn did not start listening"
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def fetch(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response, content


def test_gunicorn_serves_sentra_as_production_does(server, users, settings):
    # The tests hash with MD5 for speed; the server knows only production's hashers.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    users["blora_officer"].set_password(PASSWORD)
    users["blora_officer"].save()

    response, _content = fetch(server, "GET", "/akun/masuk/")
    assert response.status == 301
    assert response.getheader("Location") == f"https://127.0.0.1:{server}/akun/masuk/"

    response, content = fetch(server, "GET", "/akun/masuk/", headers=PROXIED)
    page = content.decode()
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in response.getheader("Content-Security-Policy")
    cookie = SimpleCookie(response.getheader("Set-Cookie"))["csrftoken"]
    assert cookie["secure"]

    # Static files: hashed names, served compressed, cached for ten years.
    stylesheet = re.search(r'href="(/static/sentra/sentra\.[0-9a-f]{12}\.css)"', page).group(1)
    response, _content = fetch(server, "GET", stylesheet, headers={**PROXIED, "Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "max-age=315360000" in response.getheader("Cache-Control")
    assert "immutable" in response.getheader("Cache-Control")

    # A login posted through the TLS proxy passes the CSRF check.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response, _content = fetch(
        server,
        "POST",
        "/akun/masuk/",
        body=f"csrfmiddlewaretoken={token}&username=blora_officer&password={PASSWORD}&next=",
        headers={
            **PROXIED,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie.value}",
            "Origin": f"https://127.0.0.1:{server}",
        },
    )
    assert response.status == 302, _content.decode()
    assert response.getheader("Location") == "/"  # the home page
    assert "Secure" in response.getheader("Set-Cookie")

    response, content = fetch(server, "GET", "/tidak-ada/", headers=PROXIED)
    assert response.status == 404
    assert "Halaman tidak ditemukan" in content.decode()
