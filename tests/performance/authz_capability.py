"""The self-assessment's pages in the authorization matrix. Everyone reads; managers edit; area 1 is assigned to the
board member, so the board member may record a gap on activity 1.1 (200) and the chair, who may not edit, gets 403."""

from performance.capability import services
from tests.performance.capability_helpers import make_assessment
from tests.yjplan.test_authorization_matrix import Expect
from yjplan.permissions import ALL_ROLES, Role, roles_with

EDIT = roles_with("assessments.edit")
COMMENT = roles_with("assessments.comment")


def _assessment(world):
    from performance.capability.models import Assessment

    found = Assessment.objects.filter(partnership=world["own"]).first()
    if found is None:
        found = make_assessment(world["own"])
        services.assignments_save(assessment=found, assignees={1: world["members"][Role.BOARD].pk})
    return found.pk


def _response(world):
    from performance.capability.models import ActivityResponse

    return ActivityResponse.objects.get(assessment_id=_assessment(world), activity__code="1.1").pk


PARTNERSHIP_URLS = {
    "performance:capability_list": Expect(ALL_ROLES),
    "performance:capability_add": Expect(EDIT),
    "performance:capability_detail": Expect(ALL_ROLES, kwargs={"pk": "{capability_assessment}"}),
    "performance:capability_assign": Expect(EDIT, kwargs={"pk": "{capability_assessment}"}),
    "performance:capability_indicators": Expect(ALL_ROLES, kwargs={"pk": "{capability_assessment}"}),
    "performance:capability_indicators_edit": Expect(EDIT, kwargs={"pk": "{capability_assessment}"}),
    "performance:capability_signoff": Expect(EDIT, kwargs={"pk": "{capability_assessment}"}),
    "performance:capability_activity": Expect(ALL_ROLES, kwargs={"pk": "{capability_response}"}),
    "performance:capability_comment": Expect(
        COMMENT, kwargs={"pk": "{capability_response}"}, method="post", ok=302, data={"text": "Evidence is strong"}
    ),
    "performance:capability_gap": Expect(
        frozenset({Role.MANAGER, Role.BOARD}), kwargs={"pk": "{capability_response}"}, declared="view"
    ),
}

FILL = {"{capability_assessment}": _assessment, "{capability_response}": _response}
