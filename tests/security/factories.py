"""The security tests build with the shared builders (tests.factories)."""

from tests.factories import at_stage, attach, complete_filing  # noqa: F401
