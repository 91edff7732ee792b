"""The settings outside development, read by `manage.py` in a child process with only the environment given."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

PRINT_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps({name: getattr(s, name, None) for name in "
    "['DEBUG', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
    "'SECURE_PROXY_SSL_HEADER', 'CSRF_TRUSTED_ORIGINS', 'STORAGES', 'LOGGING']}))"
)


def manage(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    """`manage.py` with nothing of this machine's environment but PATH and what is given."""
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=300,
    )


def production(**extra: str) -> dict[str, str]:
    return {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "sentra.example.go.id", **extra}


def settings_in(environment: dict[str, str]) -> dict:
    result = manage("shell", "--no-imports", "-c", PRINT_SETTINGS, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_without_secret_key_or_dev_flag_the_settings_refuse_to_start():
    result = manage("check", ALLOWED_HOSTS="sentra.example.go.id")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "SENTRA_DEV=1" in result.stderr


def test_the_dev_flag_needs_no_secret_key_and_turns_debug_on():
    values = settings_in({"SENTRA_DEV": "1"})
    assert values["DEBUG"] is True
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_production_defaults_are_secure():
    values = settings_in(production())
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] and values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert set(values["STORAGES"]) == {"default", "staticfiles", "private"}
    assert values["LOGGING"]["loggers"]["sentra"]["level"] == "INFO"


def test_an_intranet_on_plain_http_turns_https_off_with_one_setting():
    values = settings_in(production(SENTRA_HTTPS="0"))
    assert not (values["SECURE_SSL_REDIRECT"] or values["SESSION_COOKIE_SECURE"] or values["CSRF_COOKIE_SECURE"])
    assert values["SECURE_HSTS_SECONDS"] == 0


def test_proxy_header_trusted_origins_and_log_level_come_from_the_environment():
    values = settings_in(
        production(
            SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
            CSRF_TRUSTED_ORIGINS="https://sentra.example.go.id,https://umkm.example.go.id",
            LOG_LEVEL="debug",
        )
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://sentra.example.go.id", "https://umkm.example.go.id"]
    assert values["LOGGING"]["loggers"]["sentra"]["level"] == "DEBUG"
