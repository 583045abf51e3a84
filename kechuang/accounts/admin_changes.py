"""Admin for unit registration changes (U1): approve/refuse through accounts.services (issue 5)."""
