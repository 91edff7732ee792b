"""A pytest plugin (loaded with `-p` from pyproject.toml) that marks the test run as development.

Django's settings are read before any conftest.py, and without SENTRA_DEV=1 they demand a SECRET_KEY
and turn DEBUG off; the child processes that tests start (manage.py, the worker) inherit the flag.
"""

import os

os.environ.setdefault("SENTRA_DEV", "1")
