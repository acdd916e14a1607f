"""The boards pages in the authorization matrix and the page smoke test."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.yjplan.test_authorization_matrix import Expect
from yjplan.exports import XLSX_TYPE
from yjplan.permissions import ALL_ROLES, Role, roles_with

EDIT = roles_with("boards.edit")
APOLOGIES = roles_with("boards.apologies")


def _board(world):
    if "board" not in world:
        from tests.boards.factories import BoardFactory, BoardMemberFactory

        world["board"] = BoardFactory(partnership=world["own"], name="Northshire Youth Justice Management Board")
        # the board member and the chair have seats linked to their accounts (for their own apologies)
        for role, agency in ((Role.BOARD, "probation"), (Role.CHAIR, "police")):
            user = world["members"][role].user
            BoardMemberFactory(board=world["board"], name=user.full_name, user=user, agency=agency)
        world["seat"] = BoardMemberFactory(board=world["board"], name="Sam Seat", agency="health")
    return world["board"]


def _meeting(world):
    if "meeting" not in world:
        from tests.boards.factories import MeetingFactory

        starts = timezone.now() + dt.timedelta(days=14)
        world["meeting"] = MeetingFactory(
            board=_board(world), starts_at=starts, ends_at=starts + dt.timedelta(hours=2), status="scheduled"
        )
    return world["meeting"]


def _new_item(world):
    from boards.services import agenda_item_add

    return agenda_item_add(
        meeting=_meeting(world), title="Budget monitoring", paper=SimpleUploadedFile("budget.pdf", b"%PDF-1.7\nbudget")
    )


def _item(world):
    if "item" not in world:
        world["item"] = _new_item(world)
    return world["item"]


def _seat(world):
    _board(world)
    return world["seat"]


FILL = {
    "{board}": lambda world: _board(world).pk,
    "{board_member}": lambda world: _seat(world).pk,
    "{board_meeting}": lambda world: _meeting(world).pk,
    "{agenda_item}": lambda world: _item(world).pk,
    "{spare_agenda_item}": lambda world: _new_item(world).pk,
}

B = {"pk": "{board}"}
M = {"pk": "{board_meeting}"}
PARTNERSHIP_URLS = {
    "boards:index": Expect(ALL_ROLES),
    "boards:board_add": Expect(EDIT),
    "boards:board": Expect(ALL_ROLES, kwargs=B),
    "boards:board_edit": Expect(EDIT, kwargs=B),
    "boards:member_add": Expect(EDIT, kwargs=B),
    "boards:member_edit": Expect(EDIT, kwargs={"pk": "{board_member}"}),
    "boards:member_end": Expect(EDIT, kwargs={"pk": "{board_member}"}),
    "boards:meetings": Expect(ALL_ROLES, kwargs=B),
    "boards:meeting_add": Expect(EDIT, kwargs=B),
    "boards:analytics": Expect(ALL_ROLES, kwargs=B),
    "boards:summary": Expect(ALL_ROLES, kwargs=B),
    "boards:summary_edit": Expect(EDIT, kwargs=B),
    "boards:summary_export": Expect(ALL_ROLES, kwargs=B, content_type=XLSX_TYPE),
    "boards:meeting": Expect(ALL_ROLES, kwargs=M),
    "boards:meeting_edit": Expect(EDIT, kwargs=M),
    "boards:minutes": Expect(EDIT, kwargs=M),
    "boards:attendance": Expect(EDIT, kwargs=M),
    "boards:apologies": Expect(APOLOGIES, kwargs=M),
    "boards:item_add": Expect(EDIT, kwargs=M),
    "boards:agenda_builder": Expect(EDIT, kwargs=M),
    "boards:decision_add": Expect(EDIT, kwargs=M, method="post", ok=302, data={"text": "Agreed the remand strategy"}),
    "boards:item_edit": Expect(EDIT, kwargs={"pk": "{agenda_item}"}),
    "boards:item_remove": Expect(EDIT, kwargs={"pk": "{spare_agenda_item}"}, method="post", ok=302),
    "boards:paper": Expect(ALL_ROLES, kwargs={"pk": "{agenda_item}"}, content_type="application/pdf"),
}
