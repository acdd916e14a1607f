"""National Standards self-audit and HMIP inspection pages in the authorization matrix: everyone reads, the manager
edits, the manager and board members comment."""

import datetime as dt

from performance.standards import services
from performance.standards.models import Inspection, StandardsAudit
from tests.yjplan.test_authorization_matrix import Expect, _members
from yjplan.permissions import ALL_ROLES

EDIT = _members("assessments.edit")
COMMENT = _members("assessments.comment")


def _audit(world):
    audit = StandardsAudit.objects.filter(partnership=world["own"]).first()
    return audit or services.audit_create(partnership=world["own"], year=2022)


def _inspection(world):
    inspection = Inspection.objects.filter(partnership=world["own"]).first()
    if inspection is None:
        inspection = services.inspection_create(
            partnership=world["own"], data={"title": "Inspection", "inspected_on": dt.date(2019, 9, 16)}
        )
        services.recommendation_add(inspection=inspection, text="Improve out-of-court assessments")
    return inspection


FILL = {
    "{standards_audit}": lambda world: _audit(world).pk,
    "{standards_grade}": lambda world: _audit(world).grades.get(standard=1).pk,
    "{inspection}": lambda world: _inspection(world).pk,
    "{inspection_recommendation}": lambda world: _inspection(world).recommendations.get(number=1).pk,
}

PARTNERSHIP_URLS = {
    "performance:standards": Expect(ALL_ROLES),
    "performance:standards_audit_add": Expect(EDIT),
    "performance:standards_audit": Expect(ALL_ROLES, kwargs={"pk": "{standards_audit}"}),
    "performance:standards_audit_edit": Expect(EDIT, kwargs={"pk": "{standards_audit}"}),
    # an empty comment shows the form again with its error
    "performance:standards_audit_comment": Expect(COMMENT, kwargs={"pk": "{standards_audit}"}, method="post"),
    "performance:standards_grade_edit": Expect(EDIT, kwargs={"pk": "{standards_grade}"}),
    "performance:standards_grade_action": Expect(EDIT, kwargs={"pk": "{standards_grade}"}),
    "performance:inspection_add": Expect(EDIT),
    "performance:inspection": Expect(ALL_ROLES, kwargs={"pk": "{inspection}"}),
    "performance:inspection_edit": Expect(EDIT, kwargs={"pk": "{inspection}"}),
    "performance:inspection_comment": Expect(COMMENT, kwargs={"pk": "{inspection}"}, method="post"),
    "performance:inspection_recommendation_add": Expect(EDIT, kwargs={"pk": "{inspection}"}),
    "performance:inspection_actions": Expect(EDIT, kwargs={"pk": "{inspection}"}, method="post", ok=302),
    "performance:inspection_recommendation_action": Expect(EDIT, kwargs={"pk": "{inspection_recommendation}"}),
}
