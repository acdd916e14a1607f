"""The plan's pages, under /p/<slug>/plans/ (authoring: views_edit; review and sign-off: views_signoff)."""

from django.urls import path

from yjplan.plans import views_edit as edit
from yjplan.plans import views_signoff as signoff

urlpatterns = [
    # authoring
    path("", edit.plan_list, name="plan_list"),
    path("new/", edit.plan_new, name="plan_new"),
    path("<int:plan>/", edit.plan_detail, name="plan_detail"),
    path("<int:plan>/details/", edit.plan_edit, name="plan_edit"),
    path("<int:plan>/sections/add/", edit.section_add, name="section_add"),
    path("<int:plan>/sections/<int:section>/", edit.section_detail, name="section_detail"),
    path("<int:plan>/sections/<int:section>/edit/", edit.section_edit, name="section_edit"),
    path("<int:plan>/sections/<int:section>/autosave/", edit.section_autosave, name="section_autosave"),
    path("<int:plan>/sections/<int:section>/move/", edit.section_move, name="section_move"),
    path("<int:plan>/sections/<int:section>/delete/", edit.section_delete, name="section_delete"),
    path("<int:plan>/sections/<int:section>/revisions/", edit.revision_list, name="revision_list"),
    path("<int:plan>/sections/<int:section>/revisions/<int:number>/", edit.revision_detail, name="revision_detail"),
    path(
        "<int:plan>/sections/<int:section>/revisions/<int:number>/restore/",
        edit.revision_restore,
        name="revision_restore",
    ),
    path("<int:plan>/blocks/preview/", edit.block_preview, name="block_preview"),
    path("<int:plan>/blocks/options/", edit.block_options_form, name="block_options_form"),
    path("<int:plan>/sections/<int:section>/tables/<int:index>/options/", edit.block_options, name="block_options"),
    path("<int:plan>/renditions/new/", edit.rendition_new, name="rendition_new"),
    # review and the sign-off chain
    path("<int:plan>/sections/<int:section>/comments/", signoff.comment_add, name="comment_add"),
    path("<int:plan>/comments/<int:comment>/resolve/", signoff.comment_resolve, name="comment_resolve"),
    path("<int:plan>/review/", signoff.review_request, name="plan_review_request"),
    path("<int:plan>/approve/", signoff.plan_approve, name="plan_approve"),
    path("<int:plan>/signatories/", signoff.signatories, name="plan_signatories"),
    path("<int:plan>/renditions/<int:number>/sign/", signoff.rendition_sign, name="rendition_sign"),
    path("<int:plan>/submission/", signoff.submission, name="plan_submission"),
    path("<int:plan>/adoption/", signoff.adoption, name="plan_adoption"),
    path("<int:plan>/publish/", signoff.publish, name="plan_publish"),
    path("<int:plan>/amend/", signoff.amend, name="plan_amend"),
    path("verify/", signoff.verify, name="plan_verify"),
]
