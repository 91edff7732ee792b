"""Signals the registry sends for work that bypasses model saves."""

from django.dispatch import Signal

# Sent inside the transaction of a bulk load that may have skipped database triggers (the demo
# seed on PostgreSQL turns them off for speed), before it commits; `first_business_id` is the
# first id that transaction wrote.
bulk_loaded = Signal()
# Sent once a bulk load has finished, outside its transactions.
bulk_load_finished = Signal()
