"""The privacy tests log in and out like the wizard tests do, so they share the wizard's own session fixture."""
from tests.wizard.conftest import organisation, session  # noqa: F401 (fixtures, found by name)
