"""Who may do what: the one table in code.

Every partnership-scoped view declares the capability it needs (see ``yjplan.access``).
``docs/permissions.md`` is generated from this table (``manage.py permissions_doc``) and a test
keeps the two in step.
"""

from django.db import models


class Role(models.TextChoices):
    MANAGER = "manager", "YOS manager"
    FINANCE = "finance", "Finance officer"
    BOARD = "board", "Board member"
    CHAIR = "chair", "Board chair"
    VIEWER = "viewer", "Viewer"
    ADMIN = "admin", "Partnership administrator"

    @property
    def in_sentence(self) -> str:
        """The label inside a sentence: "board member", but "YOS manager" keeps its initials."""
        first, _, rest = self.label.partition(" ")
        return self.label if first.isupper() else f"{first.lower()} {rest}".strip()


ALL_ROLES = frozenset(Role)

# capability -> (what it lets a person do, roles that have it)
CAPABILITIES: dict[str, tuple[str, frozenset[Role]]] = {
    "view": ("Read the partnership's plan, budget, performance, actions, board records and history", ALL_ROLES),
    "partnership.edit": (
        "Change the partnership's details: councils, region, family, 10–17 population",
        frozenset({Role.MANAGER, Role.ADMIN}),
    ),
    "members.manage": ("Add and remove members and change their roles", frozenset({Role.ADMIN})),
    "plan.edit": ("Draft plan sections and request renditions", frozenset({Role.MANAGER})),
    "plan.comment": ("Comment on draft plan sections", frozenset({Role.MANAGER, Role.BOARD, Role.CHAIR})),
    "plan.approve": ("Approve the plan on behalf of the board", frozenset({Role.CHAIR})),
    "plan.sign": (
        "Sign a plan rendition (chair, or a statutory partner asked to sign)",
        frozenset({Role.CHAIR, Role.BOARD}),
    ),
    "budget.edit": ("Enter, import and export the pooled budget", frozenset({Role.FINANCE, Role.MANAGER})),
    "budget.confirm": ("Confirm an agency's budget line", frozenset({Role.FINANCE, Role.BOARD, Role.CHAIR})),
    "performance.edit": ("Enter and import indicator data", frozenset({Role.MANAGER})),
    "actions.edit": ("Create and change any action or risk", frozenset({Role.MANAGER})),
    "actions.update_led": (
        "Add progress and change the RAG of actions the person leads",
        frozenset({Role.MANAGER, Role.BOARD, Role.CHAIR}),
    ),
    "boards.edit": (
        "Keep the board's members, meetings, attendance and minutes",
        frozenset({Role.MANAGER, Role.ADMIN}),
    ),
    "boards.apologies": ("Record one's own apologies for a meeting", frozenset({Role.BOARD, Role.CHAIR})),
    "assessments.edit": ("Complete self-assessments and record inspections", frozenset({Role.MANAGER})),
    "assessments.validate": (
        "Enter the validated scores of a capacity and capability self-assessment (kept apart from self-scoring)",
        frozenset({Role.MANAGER, Role.CHAIR}),
    ),
    "assessments.comment": (
        "Comment on self-assessments, National Standards self-audits and inspections "
        "(an outcome area's assignee also edits that area)",
        frozenset({Role.MANAGER, Role.BOARD, Role.CHAIR}),
    ),
}


def roles_with(capability: str) -> frozenset[Role]:
    return CAPABILITIES[capability][1]


def has_capability(roles, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}: add it to yjplan.permissions.CAPABILITIES")
    return bool(set(roles) & roles_with(capability))


def permissions_markdown() -> str:
    roles = list(Role)
    lines = [
        "# Who may do what",
        "",
        "Generated from `yjplan/permissions.py` by `python manage.py permissions_doc`; a test keeps it current.",
        "Everyone acts only inside the partnerships they belong to: another partnership's pages answer 404,",
        "a page their roles do not allow answers 403.",
        "",
        "| capability | what it allows | " + " | ".join(r.label for r in roles) + " |",
        "| --- | --- | " + " | ".join("---" for _ in roles) + " |",
    ]
    for name, (text, allowed) in CAPABILITIES.items():
        cells = " | ".join("yes" if r in allowed else "—" for r in roles)
        lines.append(f"| `{name}` | {text} | {cells} |")
    lines.append("")
    return "\n".join(lines)
