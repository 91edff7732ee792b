"""Remove change-log, NIK-reveal and export-log entries older than CHANGE_LOG_RETENTION_DAYS."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from sentra.audit.models import ExportLog, NikReveal, ObjectChange


class Command(BaseCommand):
    help = "Delete log entries past the retention period (CHANGE_LOG_RETENTION_DAYS; 0 keeps everything)."

    def handle(self, *args, **options) -> None:
        days = settings.CHANGE_LOG_RETENTION_DAYS
        if not days:
            self.stdout.write("CHANGE_LOG_RETENTION_DAYS is 0: every entry is kept.")
            return
        cutoff = timezone.now() - dt.timedelta(days=days)
        for model in (ObjectChange, NikReveal, ExportLog):
            deleted, _by_model = model.objects.filter(time__lt=cutoff).delete()
            self.stdout.write(f"{model._meta.verbose_name_plural}: {deleted} older than {days} days removed")
