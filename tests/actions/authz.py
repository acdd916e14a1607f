"""The actions pages in the authorization matrix. The action filled in is led by the board member, so the
board member may update it (200) and the chair, who holds the same capability but does not lead it, may not (403)."""

import itertools

from tests.yjplan.test_authorization_matrix import Expect
from yjplan.permissions import ALL_ROLES, Role, roles_with

EDIT = roles_with("actions.edit")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_numbers = itertools.count(1)


def _action(world):
    from actions.models import Action

    action = Action.objects.create(
        partnership=world["own"], reference=f"M{next(_numbers)}", text="Refresh the transitions protocol"
    )
    action.leads.set([world["members"][Role.BOARD]])
    return action.pk


def _risk(world):
    from actions.models import Risk

    return Risk.objects.create(partnership=world["own"], title="Loss of grant", likelihood=2, impact=4).pk


def _priority(world):
    from actions.models import Priority

    return Priority.objects.create(partnership=world["own"], number=f"P{next(_numbers)}", title="Education").pk


PARTNERSHIP_URLS = {
    "actions:tracker": Expect(ALL_ROLES),
    "actions:since": Expect(ALL_ROLES),
    "actions:deleted": Expect(ALL_ROLES),
    "actions:action_add": Expect(EDIT),
    "actions:priority_add": Expect(EDIT),
    "actions:priorities": Expect(ALL_ROLES),
    "actions:priority_edit": Expect(EDIT, kwargs={"pk": "{priority}"}),
    "actions:priority_delete": Expect(EDIT, kwargs={"pk": "{priority}"}),
    "actions:action_delete": Expect(EDIT, kwargs={"pk": "{action}"}),
    "actions:action_detail": Expect(ALL_ROLES, kwargs={"pk": "{action}"}),
    "actions:action_edit": Expect(EDIT, kwargs={"pk": "{action}"}),
    "actions:update_add": Expect(
        frozenset({Role.MANAGER, Role.BOARD}),
        kwargs={"pk": "{action}"},
        declared="actions.update_led",
        overrides={Role.CHAIR: 403},
    ),
    "actions:risks": Expect(ALL_ROLES),
    "actions:risk_add": Expect(EDIT),
    "actions:risk_edit": Expect(EDIT, kwargs={"pk": "{risk}"}),
    "actions:risk_delete": Expect(EDIT, kwargs={"pk": "{risk}"}),
    "actions:import_upload": Expect(EDIT),
    "actions:import_confirm": Expect(EDIT, method="post", ok=302),
    "actions:export": Expect(ALL_ROLES, content_type=XLSX),
    "actions:tracker_print": Expect(ALL_ROLES),
    "actions:reminders": Expect(ALL_ROLES),
}

FILL = {"{action}": _action, "{risk}": _risk, "{priority}": _priority}
