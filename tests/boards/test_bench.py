"""The boards bench data at a tiny scale, and the bench pages answer 200 with the roles that load them."""

import pytest

from bench import generate as bench_generate
from boards.bench import PAGES, generate_boards
from boards.models import AgendaItem, Attendance, Board, BoardMember, Meeting
from yjplan.models import User


@pytest.mark.django_db
def test_bench_boards_and_pages(client, monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(bench_generate, "GENERATORS", [bench_generate.hub, generate_boards])
    partnerships = bench_generate.generate(count=2)
    assert Board.objects.count() == 2
    assert BoardMember.objects.count() == 16 + 10
    assert Meeting.objects.count() == 25 + 7
    assert Meeting.objects.filter(status="cancelled").count() == 2 + 1
    assert AgendaItem.objects.count() == 25 * 10 + 7 * 4
    assert Attendance.objects.count() == 22 * 16 + 5 * 10
    assert BoardMember.objects.filter(user__isnull=False).count() == 2
    first = partnerships[0]
    for name, path, role in PAGES:
        client.force_login(User.objects.get(email=f"{role}@{first.slug}.bench"))
        assert client.get(path(first)).status_code == 200, name
