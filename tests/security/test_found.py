"""What the hostile suites found, pinned down one by one."""

from __future__ import annotations

from django.urls import reverse

from performance import services as performance_services
from tests.boards.factories import BoardFactory
from yjplan.models import LocalAuthority
from yjplan.permissions import Role


def test_a_council_with_a_long_short_name_still_gets_its_comparator_area(world):
    """The area code is made from the council's short name (up to 60 characters) but its column holds 40."""
    long_name = "<script>alert('xss7331')</script> Borough of North Somewhere"
    first = LocalAuthority.objects.filter(partnership=world["own"]).order_by("position").first()
    LocalAuthority.objects.filter(pk=first.pk).update(short_name=long_name[:60])
    areas = performance_services.areas_ensure(partnership=world["own"])
    codes = [a.code for a in areas if a.kind == "council"]
    assert codes == ["SCRIPT-ALERT--XSS7331----SCRIPT--BOROUGH", "SOUTHTON"]
    assert all(len(a.code) <= 40 for a in areas)


def test_a_board_name_with_a_line_break_and_quotes_downloads_its_summary(world, client):
    board = BoardFactory(partnership=world["own"], name='North "YJ" Board\r\nSet-Cookie: x=1')
    client.force_login(world["members"][Role.VIEWER].user)
    url = reverse("boards:summary_export", kwargs={"slug": world["own"].slug, "pk": board.pk})
    for params in ({}, {"format": "csv"}):
        response = client.get(url, params)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.cookies
        assert response["Content-Disposition"].startswith("attachment; filename")
        assert "\n" not in response["Content-Disposition"]
