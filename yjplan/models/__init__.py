"""The hub's tables. Import them from here: ``from yjplan.models import Partnership``."""

from yjplan.models.core import (
    ROLE_FIELDS,
    STATUTORY_AGENCIES,
    AgencyType,
    LocalAuthority,
    Membership,
    Nation,
    Partnership,
    PopulationEstimate,
    Region,
    User,
    UserManager,
)
from yjplan.models.documents import DocumentJob

__all__ = [
    "ROLE_FIELDS",
    "STATUTORY_AGENCIES",
    "AgencyType",
    "DocumentJob",
    "LocalAuthority",
    "Membership",
    "Nation",
    "Partnership",
    "PopulationEstimate",
    "Region",
    "User",
    "UserManager",
]
