"""Signals the registry sends for work that bypasses model saves."""

from django.dispatch import Signal

# Sent after a bulk load that may have skipped database triggers (the demo seed on PostgreSQL
# turns them off for speed); `first_business_id` is the first id it wrote.
bulk_loaded = Signal()
