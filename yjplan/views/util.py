"""Small helpers shared by views: service errors onto forms, the conflict page."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import render
from django.urls import reverse


def crumbs(request, *pairs) -> list[tuple[str, str]]:
    """Breadcrumbs starting at the partnership's home: ``crumbs(request, ("Members", "members"))``."""
    slug = request.partnership.slug
    trail = [("Home", reverse("dashboard", kwargs={"slug": slug}))]
    trail += [(label, reverse(name, kwargs={"slug": slug})) for label, name in pairs]
    return trail


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def render_conflict(request, conflict, form, *, back: str):
    """Someone saved first: show their values beside the ones just sent, and keep both."""
    labels = {name: (field.label or name.replace("_", " ").capitalize()) for name, field in form.fields.items()}
    rows = []
    for name, theirs in conflict.theirs.items():
        yours = conflict.yours.get(name)
        rows.append(
            {"label": labels.get(name, name), "theirs": theirs, "yours": yours, "differs": str(theirs) != str(yours)}
        )
    resubmit = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "version")
        for value in values
    ]
    context = {
        "rows": rows,
        "back": back,
        "record": conflict.record,
        "resubmit": resubmit,
        "version": conflict.record.updated_at.isoformat(),
    }
    return render(request, "errors/conflict.html", context, status=409)


__all__ = ["NON_FIELD_ERRORS", "apply_errors", "crumbs", "render_conflict"]
