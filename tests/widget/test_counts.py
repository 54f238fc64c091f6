"""Daily counts per widget: searches, services viewed, searches that found nothing."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from signpost.accounts.roles import PRACTICE_ADMIN
from signpost.extensions import db
from signpost.widget import actions
from signpost.widget.models import WidgetDailyCount
from signpost.widget.queries import daily_counts, uk_today
from tests.pages import parse_page

WIDGET = "/widget/stratford-village"


def today_counts(practice) -> tuple[int, int, int]:
    db.session.expire_all()
    row = db.session.scalar(
        select(WidgetDailyCount).where(
            WidgetDailyCount.practice_id == practice.id, WidgetDailyCount.day == uk_today()
        )
    )
    return (row.searches, row.service_views, row.zero_result_searches) if row else (0, 0, 0)


def test_searches_views_and_empty_searches_are_counted(client, practice, directory):
    client.get(WIDGET)  # the empty form is not a search
    assert today_counts(practice) == (0, 0, 0)
    client.get(f"{WIDGET}/search?q=lonely")
    client.get(f"{WIDGET}/search?q=debt")
    client.get(f"{WIDGET}/search?q=xylophone+orchestra")
    client.get(f"{WIDGET}/services/{directory['debt'].id}")
    assert today_counts(practice) == (3, 1, 1)


def test_what_is_not_a_new_search_is_not_counted(client, practice, directory):
    client.get(f"{WIDGET}/search?q=lonely&page=2")  # paging through the same search
    client.get(f"{WIDGET}/search?page=abc")  # refused input
    client.get(f"{WIDGET}/services/not-a-service")
    client.get("/widget/another-practice/search?q=lonely")
    client.get("/search?q=lonely")  # the main site's own search
    assert today_counts(practice) == (0, 0, 0)


def test_counts_are_kept_per_practice(client, practice, directory):
    other = actions.create_practice("bow-practice", "Bow Practice", "E3 2AN", None)
    client.get(f"{WIDGET}/search?q=lonely")
    client.get("/widget/bow-practice/search?q=lonely")
    client.get("/widget/bow-practice/search?q=debt")
    assert today_counts(practice) == (1, 0, 0)
    assert today_counts(other) == (2, 0, 0)


def test_counts_hold_numbers_only():
    columns = {column.name for column in WidgetDailyCount.__table__.columns}
    assert columns == {
        "id",
        "practice_id",
        "day",
        "searches",
        "service_views",
        "zero_result_searches",
    }


def test_concurrent_counting_loses_nothing(app, practice):
    """Several threads (each its own connection) add at once; every count lands."""
    threads, per_thread = 4, 15
    errors = []
    practice_id = practice.id  # the instance belongs to this thread's session

    def count():
        try:
            with app.app_context():
                for _ in range(per_thread):
                    actions.count_widget_use(practice_id, "searches", "service_views")
                db.session.remove()
        except Exception as error:  # surfaced below, in the test's own thread
            errors.append(error)

    workers = [threading.Thread(target=count) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    total = threads * per_thread
    assert today_counts(practice) == (total, total, 0)
    rows = db.session.scalars(select(WidgetDailyCount)).all()
    assert len(rows) == 1


def test_unknown_count_names_are_a_bug(app, practice):
    with pytest.raises(ValueError):
        actions.count_widget_use(practice.id, "visitors")


def test_practice_admin_sees_the_counts_by_day(app, client, client_as, practice, directory):
    yesterday = uk_today() - timedelta(days=1)
    db.session.add(
        WidgetDailyCount(
            practice_id=practice.id, day=yesterday, searches=7, service_views=3,
            zero_result_searches=2,
        )
    )  # fmt: skip
    db.session.commit()
    client.get(f"{WIDGET}/search?q=lonely")
    client.get(f"{WIDGET}/services/{directory['befriending'].id}")

    manager = client_as(PRACTICE_ADMIN)
    actions.add_administrator(practice, manager.user)
    soup = parse_page(manager.get(f"/practices/{practice.slug}"))
    table = soup.find(id="daily-counts")
    today_row = table.find("tr", attrs={"data-day": uk_today().isoformat()})
    assert [td.get_text() for td in today_row.find_all("td")] == ["1", "1", "0"]
    earlier = table.find("tr", attrs={"data-day": yesterday.isoformat()})
    assert [td.get_text() for td in earlier.find_all("td")] == ["7", "3", "2"]
    totals = soup.find(id="count-totals")
    assert [td.get_text() for td in totals.find_all("td")] == ["8", "4", "2"]
    assert len(daily_counts(practice)) == 30
