"""Review, approval and the sign-off chain through the browser's eyes (the Django test client): comments,
review requests, approval, who signs, signing (and refusing a stale rendition), submission, adoption,
publication, amendment, verification of an uploaded PDF, and the public pages."""

import hashlib
import html
import itertools
import re
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import PartnershipFactory, UserFactory, member
from yjplan.documents import document_render
from yjplan.models import (
    Adoption,
    Comment,
    DocumentJob,
    Plan,
    PlanStatus,
    PlanTemplate,
    Rendition,
    ReviewRequest,
    Signature,
    SignatureRequest,
    Submission,
)
from yjplan.permissions import Role
from yjplan.plans import content, services

SLUG = "northshire"
NAME = "Northshire Youth Justice Service"


def text(response) -> str:
    """The page's text as a reader sees it: entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def main(response) -> str:
    """The page's own HTML (the header's sign-out form left out)."""
    return re.search(r"<main[^>]*>(.*)</main>", response.content.decode(), re.S)[1]


def flashed(response) -> list[str]:
    """The message this response added (earlier, unread ones are left out)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def error_links(response) -> list[tuple[str, str]]:
    """(href, message) of each entry in the GOV.UK error summary."""
    page = response.content.decode()
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', page, re.S)
    if summary is None:
        return []
    return [
        (href, html.unescape(msg.strip())) for href, msg in re.findall(r'<a href="([^"]*)">(.*?)</a>', summary[1], re.S)
    ]


@pytest.fixture
def w(db):
    call_command("loaddata", "fixtures/reference/plan_templates.json", verbosity=0)
    partnership = PartnershipFactory(
        slug=SLUG, name=NAME, councils=["Northshire County Council", "Southton City Council"]
    )
    manager = member(partnership, Role.MANAGER, user=UserFactory(full_name="Sam Whitfield"))
    chair = member(
        partnership,
        Role.CHAIR,
        user=UserFactory(full_name="Helen Brook"),
        job_title="Chair, Youth Justice Management Board",
        organisation="Northshire Constabulary",
        agency="police",
    )
    probation = member(
        partnership,
        Role.BOARD,
        user=UserFactory(full_name="Gareth Lyle"),
        job_title="Head of Service",
        organisation="Probation Service",
        agency="probation",
    )
    education = member(
        partnership,
        Role.BOARD,
        user=UserFactory(full_name="Priya Shah"),
        organisation="Northshire Schools",
        agency="education",
    )
    voluntary = member(partnership, Role.BOARD, user=UserFactory(full_name="Vera Voss"), agency="voluntary")
    viewer = member(partnership, Role.VIEWER, user=UserFactory(full_name="Yasmin Lead"))
    plan = services.plan_create(
        partnership=partnership,
        template=PlanTemplate.objects.get(key="yjb-four-key-areas"),
        title="Northshire Youth Justice Plan",
        first_year=2019,
        last_year=2019,
        created_by=manager.user,
    )
    return {
        "partnership": partnership,
        "manager": manager,
        "chair": chair,
        "probation": probation,
        "education": education,
        "voluntary": voluntary,
        "viewer": viewer,
        "plan": plan,
    }


def write_all(plan, author=None):
    """Give every section some words (the first one a live block), so the plan can be approved."""
    for section in plan.sections.order_by("position"):
        block = content.marker_html("yjplan.partnership_summary") if section.position == 1 else ""
        services.section_save(
            section=section,
            title=section.title,
            body=f"{section.body}<p>Our own words about {section.title.lower()}.</p>{block}",
            base_revision=section.revision,
            author=author,
        )


def url(name, **kwargs):
    return reverse(name, kwargs={"slug": SLUG, **kwargs})


def as_(client, membership):
    client.force_login(membership.user)
    return client


def approved(w):
    write_all(w["plan"], w["manager"].user)
    services.plan_approve(plan=w["plan"], by=w["chair"].user, minute="YJMB 12 June 2019, minute 4")
    rendition = services.rendition_request(plan=w["plan"], requested_by=w["manager"].user)
    document_render(job_id=rendition.job_id)
    rendition.refresh_from_db()
    return rendition


def signed(w):
    rendition = approved(w)
    services.signoff_record(
        rendition=rendition,
        membership=w["chair"],
        full_name="Helen Brook",
        role="Chair, Youth Justice Management Board",
        organisation="Northshire Constabulary",
        statement="",
    )
    rendition.refresh_from_db()
    document_render(job_id=rendition.signed_job_id)
    rendition.refresh_from_db()
    return rendition


def published(w):
    rendition = signed(w)
    for council in w["partnership"].local_authorities.order_by("position"):
        services.adoption_record(
            plan=w["plan"], council=council, body="Cabinet", adopted_on=date(2019, 7, 16), reference="Item 9", by=None
        )
    services.plan_publish(plan=w["plan"])
    w["plan"].refresh_from_db()
    return rendition


# Comments ---------------------------------------------------------------------------------------------


def test_a_board_member_comments_and_replies_on_a_section(client, w):
    section = w["plan"].sections.get(position=3)
    as_(client, w["probation"])
    response = client.post(
        url("comment_add", plan=w["plan"].pk, section=section.pk), {"text": " Add the remand figures "}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert (
        response["Location"] == url("section_detail", plan=w["plan"].pk, section=section.pk) + f"#comment-{comment.pk}"
    )
    assert flashed(response) == ["Comment added"]
    assert (comment.text, comment.author, comment.reply_to) == ("Add the remand figures", w["probation"].user, None)

    as_(client, w["manager"])
    response = client.post(
        url("comment_add", plan=w["plan"].pk, section=section.pk), {"text": "Added in table 3", "reply_to": comment.pk}
    )
    reply = Comment.objects.exclude(pk=comment.pk).get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")  # the thread it belongs to
    assert flashed(response) == ["Reply added"]
    assert reply.reply_to == comment


def test_an_empty_comment_or_a_reply_to_another_section_is_refused(client, w):
    first, second = w["plan"].sections.order_by("position")[:2]
    elsewhere = services.comment_add(section=second, author=w["chair"].user, text="On section 2")
    as_(client, w["chair"])
    response = client.post(url("comment_add", plan=w["plan"].pk, section=first.pk), {"text": "  "})
    assert response.status_code == 200
    assert error_links(response) == [("#id_text", "Enter a comment")]
    response = client.post(
        url("comment_add", plan=w["plan"].pk, section=first.pk), {"text": "Reply", "reply_to": elsewhere.pk}
    )
    assert error_links(response) == [("#id_text", "Reply to a comment on this section")]
    assert Comment.objects.count() == 1


def test_comments_are_resolved_and_reopened(client, w):
    section = w["plan"].sections.get(position=1)
    comment = services.comment_add(section=section, author=w["chair"].user, text="Shorter, please")
    as_(client, w["manager"])
    target = url("comment_resolve", plan=w["plan"].pk, comment=comment.pk)
    response = client.post(target, {"resolved": "1"})
    assert response["Location"].endswith(f"/sections/{section.pk}/#comment-{comment.pk}")
    assert flashed(response) == ["Comment resolved"]
    comment.refresh_from_db()
    assert comment.resolved_by == w["manager"].user
    response = client.post(target, {"resolved": "0"})
    assert flashed(response) == ["Comment reopened"]
    comment.refresh_from_db()
    assert (comment.resolved_at, comment.resolved_by) == (None, None)
    response = client.post(target, {"resolved": "maybe"})
    assert flashed(response) == ["Choose whether to resolve or reopen the comment"]
    comment.refresh_from_db()
    assert comment.resolved_at is None


def test_another_partnerships_comment_is_not_found(client, w):
    other = PartnershipFactory()
    other_plan = services.plan_create(
        partnership=other, template=w["plan"].template, title="Other plan", first_year=2019, last_year=2019
    )
    comment = services.comment_add(section=other_plan.sections.first(), author=None, text="Theirs")
    as_(client, w["manager"])
    assert (
        client.post(url("comment_resolve", plan=w["plan"].pk, comment=comment.pk), {"resolved": "1"}).status_code == 404
    )
    assert (
        client.post(url("comment_resolve", plan=other_plan.pk, comment=comment.pk), {"resolved": "1"}).status_code
        == 404
    )


# Review request ---------------------------------------------------------------------------------------


def test_the_manager_asks_board_members_to_review_with_a_date(client, w, django_capture_on_commit_callbacks):
    as_(client, w["manager"])
    page = client.get(url("plan_review_request", plan=w["plan"].pk))
    assert page.status_code == 200
    choices = re.findall(
        r'name="reviewers"\s+class="govuk-checkboxes__input"\s+id="[^"]+"\s+value="(\d+)"', page.content.decode()
    )
    assert choices == [str(m.pk) for m in (w["chair"], w["probation"], w["education"], w["voluntary"])]
    respond_by = timezone.localdate() + timedelta(days=14)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("plan_review_request", plan=w["plan"].pk),
            {
                "reviewers": [w["chair"].pk, w["probation"].pk],
                "message": "Please look at the priorities",
                "respond_by_0": str(respond_by.day),
                "respond_by_1": str(respond_by.month),
                "respond_by_2": str(respond_by.year),
            },
        )
    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", plan=w["plan"].pk)
    assert flashed(response) == ["Review requested from 2 board members"]
    review = ReviewRequest.objects.get()
    assert set(review.reviewers.all()) == {w["chair"], w["probation"]}
    assert (review.message, review.respond_by) == ("Please look at the priorities", respond_by)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([w["chair"].user.email, w["probation"].user.email])
    assert mail.outbox[0].subject == "Please review the draft Northshire Youth Justice Plan"
    assert Plan.objects.get(pk=w["plan"].pk).status == PlanStatus.IN_REVIEW


@pytest.mark.parametrize(
    ("date_parts", "expected"),
    [
        (("", "", ""), [("#id_reviewers", "Choose at least one board member")]),
        (("14", "", ""), [("#id_respond_by_1", "The respond-by date must include a month and year")]),
        (("", "3", "2030"), [("#id_respond_by_0", "The respond-by date must include a day")]),
        (("31", "2", "2030"), [("#id_respond_by_0", "The respond-by date must be a real date")]),
        (("1", "x", "2030"), [("#id_respond_by_1", "The respond-by date must be a real date")]),
        (("1", "3", "30"), [("#id_respond_by_2", "Year must include 4 numbers")]),
        (("1", "3", "2001"), [("#id_respond_by", "The respond-by date must be today or in the future")]),
    ],
)
def test_bad_review_requests_name_the_field(client, w, date_parts, expected):
    as_(client, w["manager"])
    data = {f"respond_by_{i}": v for i, v in enumerate(date_parts)}
    if expected[0][0] != "#id_reviewers":
        data["reviewers"] = [w["chair"].pk]
    response = client.post(url("plan_review_request", plan=w["plan"].pk), data)
    assert response.status_code == 200
    assert error_links(response) == expected
    assert "<title>Error: " in response.content.decode()
    assert ReviewRequest.objects.count() == 0


def test_only_board_members_of_this_partnership_can_be_asked_to_review(client, w):
    outsider = member(PartnershipFactory(), Role.BOARD)
    as_(client, w["manager"])
    for pk in (w["viewer"].pk, outsider.pk):
        response = client.post(url("plan_review_request", plan=w["plan"].pk), {"reviewers": [pk]})
        assert error_links(response) == [("#id_reviewers", "Choose board members")]
    assert ReviewRequest.objects.count() == 0


# Approval ---------------------------------------------------------------------------------------------


def test_the_chair_approves_once_the_key_areas_are_written(client, w):
    as_(client, w["chair"])
    target = url("plan_approve", plan=w["plan"].pk)
    page = client.get(target)
    assert (
        "These key areas are not written yet: Structure and governance, Partnership arrangements, "
        "Resourcing and value for money, Risks to future delivery." in text(page)
    )
    response = client.post(target, {"minute": ""})
    assert error_links(response) == [("#id_minute", "Enter the board meeting's decision or minute reference")]
    response = client.post(target, {"minute": "YJMB 12 June 2019"})
    assert error_links(response) == [
        (
            "#id_minute",
            "Write the mandatory sections first: Structure and governance, Partnership arrangements, "
            "Resourcing and value for money, Risks to future delivery",
        )
    ]
    write_all(w["plan"], w["manager"].user)
    response = client.post(target, {"minute": "YJMB 12 June 2019, minute 4"})
    assert response.status_code == 302
    assert flashed(response) == ["Northshire Youth Justice Plan is approved by the board"]
    plan = Plan.objects.get(pk=w["plan"].pk)
    assert (plan.status, plan.approval_minute, plan.approved_by) == (
        PlanStatus.APPROVED,
        "YJMB 12 June 2019, minute 4",
        w["chair"].user,
    )
    response = client.post(target, {"minute": "Again"})
    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", plan=w["plan"].pk)
    assert flashed(response) == ["The plan is approved by the board: it cannot be approved now"]
    assert Plan.objects.get(pk=w["plan"].pk).approval_minute == "YJMB 12 June 2019, minute 4"


# Signatories and signing ------------------------------------------------------------------------------


def test_the_manager_chooses_statutory_partners_to_sign(client, w):
    as_(client, w["manager"])
    target = url("plan_signatories", plan=w["plan"].pk)
    page = client.get(target).content.decode()
    assert re.findall(r'name="members"\s+class="govuk-checkboxes__input"\s+id="[^"]+"\s+value="(\d+)"', page) == [
        str(w["probation"].pk),
        str(w["education"].pk),
    ]
    response = client.post(target, {"members": [w["probation"].pk]})
    assert response.status_code == 302
    assert flashed(response) == ["Asked to sign alongside the chair: Gareth Lyle"]
    assert list(SignatureRequest.objects.values_list("membership", flat=True)) == [w["probation"].pk]
    response = client.post(target, {"members": [w["voluntary"].pk]})
    assert error_links(response) == [("#id_members", "Choose statutory partners on the board")]
    response = client.post(target, {})
    assert flashed(response) == ["Only the chair is asked to sign"]
    assert SignatureRequest.objects.count() == 0


def test_the_chair_signs_a_rendition(client, w):
    rendition = approved(w)
    as_(client, w["chair"])
    target = url("rendition_sign", plan=w["plan"].pk, number=rendition.number)
    page = client.get(target)
    assert page.status_code == 200
    words = text(page)
    assert "Sign rendition 1" in words
    assert f"SHA-256 fingerprint {rendition.job.sha256}" in words
    assert "State Current" in words
    assert url("document_download", pk=rendition.job_id) in page.content.decode()
    form = page.content.decode()
    assert 'name="role" value="Chair, Youth Justice Management Board"' in form
    assert 'name="organisation" value="Northshire Constabulary"' in form
    assert services.DEFAULT_STATEMENT in html.unescape(form)
    assert re.search(r'name="full_name"[^>]*value=', form) is None  # the name is typed, never filled in

    response = client.post(
        target, {"full_name": "H Brook", "role": "", "organisation": "Northshire Constabulary", "statement": "x"}
    )
    assert error_links(response) == [("#id_role", "Enter your role")]
    response = client.post(
        target, {"full_name": "H Brook", "role": "Chair", "organisation": "Northshire Constabulary", "statement": "x"}
    )
    assert error_links(response) == [("#id_full_name", "Type your full name as it is on your account: Helen Brook")]
    assert Signature.objects.count() == 0

    response = client.post(
        target,
        {
            "full_name": "Helen Brook",
            "role": "Chair, Youth Justice Management Board",
            "organisation": "Northshire Constabulary",
            "statement": services.DEFAULT_STATEMENT,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == target
    assert flashed(response) == ["You have signed rendition 1 of Northshire Youth Justice Plan"]
    signature = Signature.objects.get()
    assert (signature.full_name, signature.as_chair, signature.rendition) == ("Helen Brook", True, rendition)
    rendition.refresh_from_db()
    page = client.get(target)
    assert "You signed this rendition on" in text(page)
    assert url("document_detail", pk=rendition.signed_job_id) in page.content.decode()
    assert "Sign the plan" not in page.content.decode()
    assert Plan.objects.get(pk=w["plan"].pk).status == PlanStatus.SIGNED


def test_a_board_member_not_asked_to_sign_is_forbidden_and_one_asked_may_sign(client, w):
    rendition = approved(w)
    target = url("rendition_sign", plan=w["plan"].pk, number=rendition.number)
    as_(client, w["probation"])
    assert client.get(target).status_code == 403
    assert (
        client.post(target, {"full_name": "Gareth Lyle", "role": "Head", "organisation": "Probation"}).status_code
        == 403
    )
    assert Signature.objects.count() == 0
    services.signature_request_set(plan=w["plan"], memberships=[w["probation"]])
    page = client.get(target)
    assert page.status_code == 200
    assert 'name="organisation" value="Probation Service"' in page.content.decode()
    response = client.post(
        target,
        {"full_name": "gareth lyle", "role": "Head of Service", "organisation": "Probation Service", "statement": "x"},
    )
    assert response.status_code == 302
    assert Signature.objects.get().as_chair is False
    as_(client, w["viewer"])
    assert client.get(target).status_code == 403


def test_a_stale_rendition_says_so_and_is_not_signed(client, w):
    rendition = approved(w)
    section = w["plan"].sections.get(position=1)
    services.section_save(
        section=section,
        title=section.title,
        body="<p>Changed after the PDF</p>",
        base_revision=section.revision,
        author=None,
    )
    as_(client, w["chair"])
    target = url("rendition_sign", plan=w["plan"].pk, number=rendition.number)
    page = client.get(target)
    words = text(page)
    assert "State Out of date" in words
    assert (
        "This rendition cannot be signed: the plan has changed since it was made. "
        "Ask the YOS manager to make a new rendition and sign that." in words
    )
    assert "Sign the plan" not in page.content.decode()
    response = client.post(
        target, {"full_name": "Helen Brook", "role": "Chair", "organisation": "Police", "statement": "x"}
    )
    assert response.status_code == 200
    assert error_links(response) == [
        ("#id_full_name", "The plan has changed since this rendition was made: make a new one and sign that")
    ]
    assert Signature.objects.count() == 0


def test_an_unknown_rendition_is_not_found(client, w):
    as_(client, w["chair"])
    assert client.get(url("rendition_sign", plan=w["plan"].pk, number=9)).status_code == 404


# Submission, adoption, publication, amendment ----------------------------------------------------------


def test_submission_to_the_yjb(client, w):
    as_(client, w["manager"])
    target = url("plan_submission", plan=w["plan"].pk)
    page = client.get(target)
    assert (
        "The plan needs a current rendition signed by the chair first: only the plan as the chair signed it is "
        "submitted. The plan is draft." in text(page)
    )
    assert "<form" not in main(page)
    response = client.post(target, {"submitted_on_0": "28", "submitted_on_1": "6", "submitted_on_2": "2019"})
    assert response["Location"] == url("plan_detail", plan=w["plan"].pk)
    assert flashed(response) == ["The plan needs a current rendition signed by the chair first"]
    assert Submission.objects.count() == 0
    signed(w)
    response = client.post(target, {"submitted_on_0": "", "submitted_on_1": "", "submitted_on_2": ""})
    assert error_links(response) == [("#id_submitted_on_0", "Enter the date the plan was submitted")]
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        target,
        {"submitted_on_0": tomorrow.day, "submitted_on_1": tomorrow.month, "submitted_on_2": tomorrow.year},
    )
    assert error_links(response) == [
        ("#id_submitted_on", "The date the plan was submitted must be today or in the past")
    ]
    response = client.post(
        target,
        {"submitted_on_0": "28", "submitted_on_1": "6", "submitted_on_2": "2019", "feedback": "Received, thank you"},
    )
    assert response.status_code == 302
    assert flashed(response) == ["Submission to the YJB on 28 June 2019 recorded"]
    assert list(Submission.objects.values_list("submitted_on", "feedback")) == [
        (date(2019, 6, 28), "Received, thank you")
    ]
    page = client.get(target)
    assert "28 June 2019 1 Received, thank you" in text(page)
    assert Plan.objects.get(pk=w["plan"].pk).status == PlanStatus.SUBMITTED


def test_adoption_by_each_council(client, w):
    signed(w)
    cambs, south = w["partnership"].local_authorities.order_by("position")
    as_(client, w["manager"])
    target = url("plan_adoption", plan=w["plan"].pk)
    page = client.get(target)
    assert "Still to adopt the current signed version: Northshire County Council, Southton City Council." in text(page)
    good = {
        "council": cambs.pk,
        "body": "Full Council",
        "adopted_on_0": "16",
        "adopted_on_1": "7",
        "adopted_on_2": "2019",
    }
    response = client.post(target, {**good, "body": ""})
    assert error_links(response) == [("#id_body", "Choose Cabinet or Full Council")]
    other_council = PartnershipFactory().local_authorities.get()
    response = client.post(target, {**good, "council": other_council.pk})
    assert error_links(response) == [("#id_council", "Choose one of the partnership's councils")]
    response = client.post(target, {**good, "adopted_on_2": ""})
    assert error_links(response) == [("#id_adopted_on_2", "The date of adoption must include a year")]
    response = client.post(target, {**good, "reference": "Item 9"})
    assert response.status_code == 302
    assert flashed(response) == ["Adoption by Northshire County Council (Full Council, 16 July 2019) recorded"]
    response = client.post(target, good)
    assert error_links(response) == [("#id_council", "Northshire County Council has already adopted this version")]
    page = client.get(target)
    words = text(page)
    assert "Still to adopt the current signed version: Southton City Council." in words
    assert "Northshire County Council Full Council 16 July 2019 Item 9 1" in words
    client.post(target, {**good, "council": south.pk, "body": "Cabinet"})
    assert "Adopted by every council" in text(client.get(target))
    assert Adoption.objects.count() == 2
    assert Plan.objects.get(pk=w["plan"].pk).status == PlanStatus.ADOPTED


def test_publication_needs_adoption_then_makes_the_public_page(client, w):
    signed(w)
    as_(client, w["manager"])
    target = url("plan_publish", plan=w["plan"].pk)
    assert client.get(target).status_code == 405
    response = client.post(target)
    assert response["Location"] == url("plan_detail", plan=w["plan"].pk)
    assert flashed(response) == ["Only a plan adopted by every constituent council can be published"]
    for council in w["partnership"].local_authorities.all():
        services.adoption_record(
            plan=w["plan"], council=council, body="Cabinet", adopted_on=date(2019, 7, 16), reference="", by=None
        )
    response = client.post(target)
    assert flashed(response) == [
        "Northshire Youth Justice Plan is published at "
        "http://testserver/published/northshire/northshire-youth-justice-plan-2019-20/"
    ]
    assert Plan.objects.get(pk=w["plan"].pk).status == PlanStatus.PUBLISHED


def test_an_amendment_keeps_the_signed_version_until_the_new_one_is_signed(client, w):
    as_(client, w["manager"])
    target = url("plan_amend", plan=w["plan"].pk)
    assert "This plan is draft, not signed: edit its sections directly." in text(client.get(target))
    response = client.post(target, {"reason": "New funding"})
    assert response.status_code == 302
    assert flashed(response) == ["Only a signed plan needs an amendment: edit the draft instead"]
    published(w)
    page = client.get(target)
    assert "The signed version 1 stays published and valid until the amended version is approved and signed." in text(
        page
    )
    response = client.post(target, {"reason": " "})
    assert error_links(response) == [("#id_reason", "Say why the plan is being amended")]
    response = client.post(target, {"reason": "New PCC funding announced in September"})
    assert flashed(response) == ["Version 2 of Northshire Youth Justice Plan started: edit it, then ask for approval"]
    plan = Plan.objects.get(pk=w["plan"].pk)
    assert (plan.version, plan.status, plan.amendment_reason) == (
        2,
        PlanStatus.DRAFT,
        "New PCC funding announced in September",
    )
    public = client.get(reverse("public_plan", kwargs={"partnership": SLUG, "plan": plan.public_slug}))
    assert public.status_code == 200
    assert "An amendment to this plan is being prepared. This signed version stays in force" in text(public)


# Only the steps the plan's state allows --------------------------------------------------------------


def overview_links(client, w) -> set[str]:
    """The overview's review and sign-off steps and sign links on offer, by name."""
    page = main(client.get(url("plan_detail", plan=w["plan"].pk)))
    pk = w["plan"].pk
    names = {
        "approve": url("plan_approve", plan=pk),
        "signatories": url("plan_signatories", plan=pk),
        "review": url("plan_review_request", plan=pk),
        "submit": url("plan_submission", plan=pk),
        "adopt": url("plan_adoption", plan=pk),
        "amend": url("plan_amend", plan=pk),
        "publish": url("plan_publish", plan=pk),
        "sign 1": url("rendition_sign", plan=pk, number=1),
    }
    return {name for name, href in names.items() if f'"{href}"' in page}


def signed_on(signature) -> str:
    return f"{timezone.localtime(signature.signed_at):%-d %B %Y}"


def test_a_draft_plan_offers_review_approval_and_no_step_after_signing(client, w):
    assert overview_links(as_(client, w["manager"]), w) == {"review", "signatories"}
    assert overview_links(as_(client, w["chair"]), w) == {"approve"}
    page = client.get(url("plan_detail", plan=w["plan"].pk))
    assert "Before approval" in text(page)
    assert "To do The board has approved the plan" in text(page)


def test_an_approved_plan_offers_signing_and_hides_the_approval_checklist(client, w):
    rendition = approved(w)
    services.signature_request_set(plan=w["plan"], memberships=[w["probation"]])
    assert overview_links(as_(client, w["chair"]), w) == {"sign 1"}
    assert overview_links(as_(client, w["probation"]), w) == {"sign 1"}
    assert overview_links(as_(client, w["education"]), w) == set()  # not asked to sign
    assert overview_links(as_(client, w["manager"]), w) == {"review", "signatories"}
    words = text(client.get(url("plan_detail", plan=w["plan"].pk)))
    approved_on = f"{timezone.localtime(Plan.objects.get(pk=w['plan'].pk).approved_at):%-d %B %Y}"
    assert f"Approved by the board {approved_on} (YJMB 12 June 2019, minute 4)" in words  # the summary's row
    assert "Before approval" not in words
    assert "To do" not in words
    assert rendition.number == 1


def test_the_chair_who_signed_sees_when_and_no_sign_link_or_approval(client, w):
    rendition = signed(w)
    services.signature_request_set(plan=w["plan"], memberships=[w["probation"]])
    as_(client, w["chair"])
    assert overview_links(client, w) == set()
    words = text(client.get(url("plan_detail", plan=w["plan"].pk)))
    signature = Signature.objects.get(rendition=rendition)
    assert f"1 You signed this rendition on {signed_on(signature)}" in words
    assert "Record the board's approval" not in words
    assert "Before approval" not in words and "To do" not in words
    assert "Review and sign-off No step of the sign-off is yours to take now." in words
    # a statutory partner asked to sign still signs the signed plan (services.signoff_record)
    assert overview_links(as_(client, w["probation"]), w) == {"sign 1"}
    assert overview_links(as_(client, w["manager"]), w) == {"review", "signatories", "submit", "adopt", "amend"}


def test_a_signed_plans_approve_page_says_why_and_has_no_form(client, w):
    signed(w)
    before = Plan.objects.get(pk=w["plan"].pk)
    as_(client, w["chair"])
    target = url("plan_approve", plan=w["plan"].pk)
    page = client.get(target)
    assert page.status_code == 200
    assert "<form" not in main(page)
    assert "Approve the plan</button>" not in page.content.decode()
    approved_on = f"{timezone.localtime(before.approved_at):%-d %B %Y}"
    assert (
        f"The plan is signed: it cannot be approved now. The board approved it on {approved_on} "
        "(YJMB 12 June 2019, minute 4). It can be approved again only after an amendment, which starts a new "
        "version for the board to approve and the chair and the statutory partners to sign." in text(page)
    )
    assert f'href="{url("plan_detail", plan=w["plan"].pk)}">Go back to the plan</a>' in main(page)
    response = client.post(target, {"minute": "YJMB 1 August 2019"})
    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", plan=w["plan"].pk)
    assert flashed(response) == ["The plan is signed: it cannot be approved now"]
    after = Plan.objects.get(pk=w["plan"].pk)
    assert (after.status, after.approved_at, after.approval_minute) == (
        PlanStatus.SIGNED,
        before.approved_at,
        "YJMB 12 June 2019, minute 4",
    )
    shown = client.get(response["Location"])
    assert "The plan is signed: it cannot be approved now" in text(shown)


def test_an_approved_plans_approve_page_says_a_change_sends_it_back(client, w):
    approved(w)
    as_(client, w["chair"])
    page = client.get(url("plan_approve", plan=w["plan"].pk))
    assert "<form" not in main(page)
    assert "The plan is approved by the board: it cannot be approved now. The board approved it on " in text(page)
    assert "A change to its sections sends it back to board review, to be approved again." in text(page)


def test_a_draft_plans_amend_page_has_no_button_and_a_post_changes_nothing(client, w):
    as_(client, w["manager"])
    target = url("plan_amend", plan=w["plan"].pk)
    page = client.get(target)
    assert page.status_code == 200
    assert "<form" not in main(page)
    assert "Start the amendment" not in page.content.decode()
    assert "This plan is draft, not signed: edit its sections directly. Only a signed plan needs an amendment." in (
        text(page)
    )
    assert f'href="{url("plan_detail", plan=w["plan"].pk)}#sections">Go to the plan' in main(page)
    response = client.post(target, {"reason": "New funding"})
    assert response["Location"] == url("plan_detail", plan=w["plan"].pk)
    assert flashed(response) == ["Only a signed plan needs an amendment: edit the draft instead"]
    plan = Plan.objects.get(pk=w["plan"].pk)
    assert (plan.version, plan.status, plan.amendment_reason) == (1, PlanStatus.DRAFT, "")
    signed(w)
    page = client.get(target)
    assert "Start the amendment" in page.content.decode()


def test_adoption_is_offered_until_every_council_adopts_then_publication(client, w, django_capture_on_commit_callbacks):
    signed(w)
    as_(client, w["manager"])
    first, second = w["partnership"].local_authorities.order_by("position")
    with django_capture_on_commit_callbacks(execute=True):  # the committed writes move the kept page on
        services.adoption_record(
            plan=w["plan"], council=first, body="Cabinet", adopted_on=date(2019, 7, 16), reference="", by=None
        )
    assert overview_links(client, w) == {"review", "signatories", "submit", "adopt", "amend"}
    with django_capture_on_commit_callbacks(execute=True):
        services.adoption_record(
            plan=w["plan"], council=second, body="Cabinet", adopted_on=date(2019, 7, 16), reference="", by=None
        )
    assert overview_links(client, w) == {"review", "signatories", "submit", "amend", "publish"}
    page = client.get(url("plan_adoption", plan=w["plan"].pk))
    assert "Adopted by every council" in text(page)
    assert "<form" not in main(page)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_publish(plan=w["plan"])
    assert overview_links(client, w) == {"review", "signatories", "submit", "amend"}


def test_publication_waits_for_the_signed_pdf(client, w):
    rendition = signed(w)
    for council in w["partnership"].local_authorities.all():
        services.adoption_record(
            plan=w["plan"], council=council, body="Cabinet", adopted_on=date(2019, 7, 16), reference="", by=None
        )
    DocumentJob.objects.filter(pk=rendition.signed_job_id).update(status=DocumentJob.Status.QUEUED)
    as_(client, w["manager"])
    assert "publish" not in overview_links(client, w)
    assert "The signed PDF is still being made: publish it once it is ready." in text(
        client.get(url("plan_detail", plan=w["plan"].pk))
    )


def test_an_amended_plan_offers_approval_again_and_no_step_after_signing(client, w):
    signed(w)
    services.plan_amend(plan=w["plan"], reason="New PCC funding")
    assert overview_links(as_(client, w["manager"]), w) == {"review", "signatories"}
    assert overview_links(as_(client, w["chair"]), w) == {"approve"}
    as_(client, w["manager"])
    for name in ("plan_submission", "plan_adoption"):
        page = client.get(url(name, plan=w["plan"].pk))
        assert "<form" not in main(page), name
        assert "The plan needs a current rendition signed by the chair first" in text(page), name
    response = client.post(
        url("plan_adoption", plan=w["plan"].pk),
        {
            "council": w["partnership"].local_authorities.first().pk,
            "body": "Cabinet",
            "adopted_on_0": "1",
            "adopted_on_1": "8",
            "adopted_on_2": "2019",
        },
    )
    assert flashed(response) == ["The plan needs a current rendition signed by the chair first"]
    assert Adoption.objects.count() == 0


# Verification -----------------------------------------------------------------------------------------


def upload(data: bytes, name="plan.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def pdf_bytes(job: DocumentJob) -> bytes:
    with job.file.open("rb") as f:
        return f.read()


def test_verification_recognises_the_rendition_and_the_signed_document(client, w):
    rendition = signed(w)
    as_(client, w["viewer"])
    target = url("plan_verify")
    assert client.get(target).status_code == 200

    response = client.post(target, {"file": upload(pdf_bytes(rendition.job))})
    words = text(response)
    local = timezone.localtime(rendition.created_at)
    made = f"{local:%-d %B %Y} at {local:%-I:%M}{local.strftime('%p').lower()}"
    assert f"SHA-256 fingerprint: {rendition.job.sha256}" in words
    assert f"This file is rendition 1 of Northshire Youth Justice Plan (2019/20), made {made}." in words
    assert "Match" in words
    assert "Current The plan has not changed since this rendition was made." in words
    assert "Helen Brook, Chair, Youth Justice Management Board, Northshire Constabulary, on" in words

    response = client.post(target, {"file": upload(pdf_bytes(rendition.signed_job))})
    words = text(response)
    assert "This file is the signed document of rendition 1 of Northshire Youth Justice Plan (2019/20)" in words
    assert "Helen Brook, Chair, Youth Justice Management Board, Northshire Constabulary, on" in words

    services.plan_amend(plan=w["plan"], reason="Corrections")
    response = client.post(target, {"file": upload(pdf_bytes(rendition.job))})
    assert (
        "Out of date The plan has changed since this rendition was made, so it and its signatures are out of date."
        in text(response)
    )


def test_an_earlier_signed_document_is_still_recognised(client, w):
    rendition = signed(w)
    first_signed = rendition.signed_job
    services.signature_request_set(plan=w["plan"], memberships=[w["probation"]])
    services.signoff_record(
        rendition=rendition,
        membership=w["probation"],
        full_name="Gareth Lyle",
        role="Head",
        organisation="Probation",
        statement="",
    )
    rendition.refresh_from_db()
    assert rendition.signed_job_id != first_signed.pk
    as_(client, w["manager"])
    response = client.post(url("plan_verify"), {"file": upload(pdf_bytes(first_signed))})
    words = text(response)
    assert "This file is the signed document of rendition 1 of Northshire Youth Justice Plan" in words
    assert "Helen Brook, Chair, Youth Justice Management Board" in words
    assert "Gareth Lyle" not in words


def test_a_file_that_is_not_a_rendition_of_this_partnership_says_so(client, w):
    rendition = approved(w)
    other = PartnershipFactory(name="Southshire Youth Justice Service")
    viewer = member(other, Role.VIEWER)
    as_(client, viewer)
    response = client.post(
        reverse("plan_verify", kwargs={"slug": other.slug}), {"file": upload(pdf_bytes(rendition.job))}
    )
    assert "This file is not a rendition of Southshire Youth Justice Service's plans." in text(response)
    assert "Northshire" not in text(response).replace(NAME, "")

    as_(client, w["viewer"])
    response = client.post(url("plan_verify"), {"file": upload(b"%PDF-1.7\nsomething else entirely\n%%EOF")})
    words = text(response)
    assert "No match" in words
    assert "This file is not a rendition of Northshire Youth Justice Service's plans." in words
    assert hashlib.sha256(b"%PDF-1.7\nsomething else entirely\n%%EOF").hexdigest() in words


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "Select a PDF to check"),
        (b"", "The selected file is empty"),
        (b"PK\x03\x04 a zip file", "The selected file must be a PDF"),
        (b"<html>%PDF-</html>", "The selected file must be a PDF"),
        (b"%PDF-" + b"0" * (20 * 1024 * 1024), "The selected file must be smaller than 20MB"),
    ],
)
def test_uploads_that_are_not_pdfs_or_too_large_are_refused(client, w, data, message):
    as_(client, w["viewer"])
    response = client.post(url("plan_verify"), {} if data is None else {"file": upload(data)})
    assert response.status_code == 200
    assert error_links(response) == [("#id_file", message)]
    assert "Result for" not in response.content.decode()


# Public pages -----------------------------------------------------------------------------------------


def public_urls(plan_slug="northshire-youth-justice-plan-2019-20"):
    kwargs = {"partnership": SLUG, "plan": plan_slug}
    return {
        "page": reverse("public_plan", kwargs=kwargs),
        "pdf": reverse("public_plan_pdf", kwargs=kwargs),
        "json": reverse("public_plan_json", kwargs=kwargs),
        "list": reverse("public_partnership_plans", kwargs={"partnership": SLUG}),
    }


def test_public_pages_are_not_found_before_publication(client, w):
    signed(w)
    Plan.objects.filter(pk=w["plan"].pk).update(public_slug="northshire-youth-justice-plan-2019-20")
    for address in public_urls().values():
        assert client.get(address).status_code == 404, address


def test_the_published_plan_is_public(client, w):
    rendition = published(w)
    addresses = public_urls()
    assert addresses["page"] == "/published/northshire/northshire-youth-justice-plan-2019-20/"

    page = client.get(addresses["page"])
    assert page.status_code == 200
    words = text(page)
    assert len(re.findall(r"<h1[ >]", page.content.decode())) == 1
    assert "Contents Chair's foreword Vision and strategic objectives Structure and governance" in words
    # the section's heading, its live board tables (from the snapshot), then the author's words
    assert "3. Structure and governance" in words
    assert "Our own words about structure and governance." in words
    assert words.index("3. Structure and governance") < words.index("Our own words about structure and governance.")
    assert "Helen Brook Chair, Youth Justice Management Board Northshire Constabulary" in words
    assert "Northshire County Council: adopted by Cabinet on 16 July 2019 (Item 9)" in words
    assert "Southton City Council: adopted by Cabinet on 16 July 2019 (Item 9)" in words
    assert f'href="{addresses["pdf"]}"' in page.content.decode()
    assert 'data-block-key="yjplan.partnership_summary"' in page.content.decode()
    assert "is not available in this service yet" not in words  # missing blocks are left out on the web page

    pdf = client.get(addresses["pdf"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert hashlib.sha256(body).hexdigest() == rendition.signed_job.sha256

    data = client.get(addresses["json"]).json()
    assert sorted(data) == [
        "actions",
        "adoptions",
        "blocks",
        "budget",
        "indicators",
        "partnership",
        "plan",
        "priorities",
        "rendition",
        "sections",
        "signatures",
        "submissions",
    ]
    assert data["plan"]["title"] == "Northshire Youth Justice Plan"
    assert data["plan"]["period"] == "2019/20"
    assert data["rendition"] == {
        "number": 1,
        "made_at": rendition.created_at.isoformat(),
        "sha256": rendition.job.sha256,
        "signed_sha256": rendition.signed_job.sha256,
    }
    assert [s["title"] for s in data["sections"]][:3] == [
        "Chair's foreword",
        "Vision and strategic objectives",
        "Structure and governance",
    ]
    assert data["sections"][0]["text"] == "Our own words about chair's foreword."
    assert data["sections"][5]["blocks"] == [
        "budgets.contributions_table",
        "budgets.year_on_year",
        "budgets.value_for_money",
    ]
    assert data["blocks"]["yjplan.partnership_summary"][0]["data"]["councils"][0]["name"] == "Northshire County Council"
    assert sorted(data["budget"]) == ["budgets.contributions_table", "budgets.value_for_money", "budgets.year_on_year"]
    # the partnership has no budget year yet: the block's frozen data says so
    assert data["budget"]["budgets.contributions_table"] == [
        {"options": {}, "data": {"table": None, "layout": "yjb", "partnership": "Northshire Youth Justice Service"}}
    ]
    assert sorted(data["actions"]) == ["actions.action_plan", "actions.plan_review", "actions.risk_register"]
    assert sorted(data["indicators"]) == ["performance.indicator_chart", "performance.indicator_summary"]
    assert data["priorities"] == [{"title": "Service priorities", "text": "Our own words about service priorities."}]
    assert data["signatures"] == [
        {
            "full_name": "Helen Brook",
            "role": "Chair, Youth Justice Management Board",
            "organisation": "Northshire Constabulary",
            "statement": services.DEFAULT_STATEMENT,
            "as_chair": True,
            "signed_at": Signature.objects.get().signed_at.isoformat(),
        }
    ]
    assert data["adoptions"] == [
        {"council": "Northshire County Council", "body": "Cabinet", "adopted_on": "2019-07-16", "reference": "Item 9"},
        {"council": "Southton City Council", "body": "Cabinet", "adopted_on": "2019-07-16", "reference": "Item 9"},
    ]

    listing = client.get(addresses["list"])
    assert listing.status_code == 200
    assert "Northshire Youth Justice Plan (2019/20)" in text(listing)


def test_another_partnerships_slug_does_not_show_the_plan(client, w):
    published(w)
    other = PartnershipFactory(slug="southshire")
    for name in ("public_plan", "public_plan_pdf", "public_plan_json"):
        address = reverse(name, kwargs={"partnership": other.slug, "plan": "northshire-youth-justice-plan-2019-20"})
        assert client.get(address).status_code == 404
    assert client.get(reverse("public_partnership_plans", kwargs={"partnership": "southshire"})).status_code == 404
    assert Rendition.objects.count() == 1


# Query counts -----------------------------------------------------------------------------------------


_extra = itertools.count(1)


def _council(w, n):
    from yjplan.models import LocalAuthority

    n = next(_extra)
    return LocalAuthority.objects.create(
        partnership=w["partnership"], name=f"Extra council {n}", short_name=f"Extra {n}", position=10 + n
    )


def _signature(rendition, n):
    n = next(_extra)
    user = UserFactory(full_name=f"Signer {n}")
    return Signature.objects.create(
        rendition=rendition, user=user, full_name=user.full_name, role="Director", organisation="Council", statement="x"
    )


def test_review_and_signatories_pages_have_a_fixed_number_of_queries(client, w, query_guard):
    as_(client, w["manager"])

    def board_members(n):
        for _ in range(n):
            m = member(w["partnership"], Role.BOARD, agency="health")
            review = ReviewRequest.objects.create(plan=w["plan"], requested_by=w["manager"].user)
            review.reviewers.set([m, w["chair"]])

    board_members(1)  # the earlier requests' reviewers are prefetched: one request makes those queries run
    query_guard.assert_fixed(client, url("plan_review_request", plan=w["plan"].pk), add_rows=board_members)
    query_guard.assert_fixed(client, url("plan_signatories", plan=w["plan"].pk), add_rows=board_members)


def test_submission_adoption_and_signing_pages_have_a_fixed_number_of_queries(client, w, query_guard):
    rendition = signed(w)
    as_(client, w["manager"])

    def submissions(n):
        for i in range(n):
            Submission.objects.create(plan=w["plan"], rendition=rendition, submitted_on=date(2019, 6, 1 + i))

    def adoptions(n):
        for i in range(n):
            Adoption.objects.create(
                plan=w["plan"], council=_council(w, i), rendition=rendition, body="Cabinet", adopted_on=date(2019, 7, 1)
            )

    query_guard.assert_fixed(client, url("plan_submission", plan=w["plan"].pk), add_rows=submissions)
    query_guard.assert_fixed(client, url("plan_adoption", plan=w["plan"].pk), add_rows=adoptions)
    as_(client, w["chair"])
    query_guard.assert_fixed(
        client,
        url("rendition_sign", plan=w["plan"].pk, number=rendition.number),
        add_rows=lambda n: [_signature(rendition, i) for i in range(n)],
    )


def test_public_pages_have_a_fixed_number_of_queries(client, w, query_guard):
    rendition = published(w)
    page = reverse("public_plan", kwargs={"partnership": SLUG, "plan": w["plan"].public_slug})

    def rows(n):
        for i in range(n):
            Adoption.objects.create(
                plan=w["plan"], council=_council(w, i), rendition=rendition, body="Cabinet", adopted_on=date(2019, 7, 1)
            )
            _signature(rendition, i)

    query_guard.assert_fixed(client, page, add_rows=rows)
    query_guard.assert_fixed(
        client, reverse("public_plan_json", kwargs={"partnership": SLUG, "plan": w["plan"].public_slug}), add_rows=rows
    )
