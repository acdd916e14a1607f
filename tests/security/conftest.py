"""The authorization matrix's test world (one partnership with every role, another, an outsider)."""

from tests.yjplan.conftest import world  # noqa: F401 - re-exported fixture
