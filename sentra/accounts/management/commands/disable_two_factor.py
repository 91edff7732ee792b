"""Turns a user's second factor off, for an admin whose phone is lost: they sign in with the password alone
and set it up again (at once, when TWO_FACTOR_REQUIRED is on)."""

from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from sentra.accounts.models import User


class Command(BaseCommand):
    help = "Turn off two-step verification for a user who lost their authenticator app."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
        if removed:
            self.stdout.write(f"Two-step verification is off for {username}; they sign in with their password.")
        else:
            self.stdout.write(f"{username} had no two-step verification.")
