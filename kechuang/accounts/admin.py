"""Admin site for people, units and departments. Unit change approvals live in admin_changes.py."""

from . import admin_changes  # noqa: F401  (registers UnitChange / ContactChange)
