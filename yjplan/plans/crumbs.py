"""Breadcrumbs for the plan's pages: Home › Plans › the plan › the section."""

from django.urls import reverse


def plan_crumbs(request, plan=None, section=None) -> list[tuple[str, str]]:
    slug = request.partnership.slug
    trail = [
        ("Home", reverse("dashboard", kwargs={"slug": slug})),
        ("Plans", reverse("plan_list", kwargs={"slug": slug})),
    ]
    if plan is not None:
        trail.append((plan.title, reverse("plan_detail", kwargs={"slug": slug, "plan": plan.pk})))
    if section is not None:
        trail.append(
            (section.title, reverse("section_detail", kwargs={"slug": slug, "plan": plan.pk, "section": section.pk}))
        )
    return trail
