"""Progress and download of PDF documents made by the workers."""

import re

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from yjplan import documents
from yjplan.access import partnership_view
from yjplan.models import DocumentJob
from yjplan.registry import registry
from yjplan.views.util import crumbs


def _job(request, pk) -> DocumentJob:
    job = DocumentJob.objects.filter(partnership=request.partnership, pk=pk).first()
    if job is None or job.kind not in registry.documents:
        raise Http404("No such document")
    if not request.membership.can(registry.document(job.kind).capability):
        raise PermissionDenied
    return job


@require_POST
@partnership_view("view")
def document_request(request, kind):
    if kind not in registry.documents:
        raise Http404("No such kind of document")
    spec = registry.document(kind)
    if not request.membership.can(spec.capability):
        raise PermissionDenied
    params = {k: v for k, v in request.POST.items() if k.startswith("p_")}
    job = documents.document_request(
        partnership=request.partnership, kind=kind, params=params, requested_by=request.user
    )
    return redirect("document_detail", slug=request.partnership.slug, pk=job.pk)


@require_safe
@partnership_view("view")
def document_detail(request, pk):
    job = _job(request, pk)
    template = "yjplan/document_status.html" if request.htmx else "yjplan/document_detail.html"
    return render(request, template, {"job": job, "breadcrumbs": crumbs(request)})


@require_safe
@partnership_view("view")
def document_download(request, pk):
    job = _job(request, pk)
    if job.status != DocumentJob.Status.DONE or not job.file:
        raise Http404("This document is not ready")
    # no characters that file systems refuse (Windows refuses : and /)
    filename = re.sub(r'[\\/:*?"<>|]+', " -", job.title).strip() + ".pdf"
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf")
