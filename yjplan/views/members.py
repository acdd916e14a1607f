"""Partnership administrators add and remove members and change their roles."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from yjplan import services
from yjplan.access import partnership_view
from yjplan.forms import MemberAddForm, MembershipForm
from yjplan.selectors import membership_in_partnership, partnership_members
from yjplan.views.util import apply_errors, crumbs, render_conflict


@require_safe
@partnership_view("members.manage")
def members(request):
    return render(request, "yjplan/members.html", {"members": partnership_members(partnership=request.partnership)})


@require_http_methods(["GET", "POST"])
@partnership_view("members.manage")
def member_add(request):
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.membership_add(
                partnership=request.partnership,
                email=data["email"],
                full_name=data["full_name"],
                roles=data["roles"],
                job_title=data["job_title"],
                organisation=data["organisation"],
                agency=data["agency"],
                added_by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{membership.user.full_name} added to {request.partnership.name}")
            return redirect("members", slug=request.partnership.slug)
    return render(
        request, "yjplan/member_add.html", {"form": form, "breadcrumbs": crumbs(request, ("Members", "members"))}
    )


def _membership_or_404(request, pk):
    membership = membership_in_partnership(partnership=request.partnership, pk=pk)
    if membership is None:
        raise Http404("No such member")
    return membership


@require_http_methods(["GET", "POST"])
@partnership_view("members.manage")
def member_edit(request, pk):
    membership = _membership_or_404(request, pk)
    initial = {
        "roles": [r.value for r in membership.roles],
        "job_title": membership.job_title,
        "organisation": membership.organisation,
        "agency": membership.agency,
        "version": membership.updated_at.isoformat(),
    }
    form = MembershipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_update(
                membership=membership,
                roles=data["roles"],
                job_title=data["job_title"],
                organisation=data["organisation"],
                agency=data["agency"],
                version=data["version"] or None,
            )
        except services.Conflict as conflict:
            return render_conflict(request, conflict, form, back=request.path)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Roles for {membership.user.full_name} saved")
            return redirect("members", slug=request.partnership.slug)
    return render(
        request,
        "yjplan/member_edit.html",
        {"form": form, "member": membership, "breadcrumbs": crumbs(request, ("Members", "members"))},
    )


@require_http_methods(["GET", "POST"])
@partnership_view("members.manage")
def member_remove(request, pk):
    membership = _membership_or_404(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, f"{membership.user.full_name} removed from {request.partnership.name}")
            return redirect("members", slug=request.partnership.slug)
    return render(
        request,
        "yjplan/member_remove.html",
        {"member": membership, "error": error, "breadcrumbs": crumbs(request, ("Members", "members"))},
    )
