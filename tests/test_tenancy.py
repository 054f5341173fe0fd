"""Routing by host and by subfolder, and rows that stay in their own board."""

from typing import Any

import pytest
from django.conf import settings

from conftest import World, api_client
from tenant_apps.strategy.models import Strategy
from tenants.cross_board import run_in_board

pytestmark = pytest.mark.django_db


def _strategy(world: World, slug: str, title: str) -> Strategy:
    return run_in_board(
        world.boards[slug],
        lambda: Strategy.objects.create(
            title=title, period_start="2017-04-01", period_end="2019-03-31", status="adopted", adopted_on="2017-03-16"
        ),
    )


def test_same_route_on_two_board_hosts_returns_only_that_boards_rows(world: World) -> None:
    leeds = _strategy(world, "leeds", "Leeds L&D Strategy 2014-17")
    croydon = _strategy(world, "croydon", "Croydon L&D Strategy 2017-19")

    leeds_rows = api_client(world.user("coordinator", "leeds"), world.host("leeds")).get("/api/v1/strategies/")
    croydon_rows = api_client(world.user("coordinator", "croydon"), world.host("croydon")).get("/api/v1/strategies/")

    assert leeds_rows.status_code == croydon_rows.status_code == 200
    assert [row["id"] for row in leeds_rows.json()["results"]] == [str(leeds.pk)]
    assert [row["id"] for row in croydon_rows.json()["results"]] == [str(croydon.pk)]


def test_a_croydon_admins_token_is_refused_on_the_leeds_host(world: World) -> None:
    leeds = _strategy(world, "leeds", "Leeds L&D Strategy 2014-17")
    client = api_client(world.user("board_admin", "croydon"), world.host("leeds"))

    listing = client.get("/api/v1/strategies/")
    detail = client.get(f"/api/v1/strategies/{leeds.pk}/")
    audit = client.get("/api/v1/audit-events/")

    assert listing.status_code == detail.status_code == audit.status_code == 403
    assert listing.json()["error"]["code"] == "permission_denied"


def test_a_leeds_id_on_the_croydon_host_is_not_found(world: World) -> None:
    leeds = _strategy(world, "leeds", "Leeds L&D Strategy 2014-17")
    client = api_client(world.user("coordinator", "croydon"), world.host("croydon"))
    assert client.get(f"/api/v1/strategies/{leeds.pk}/").status_code == 404


@pytest.mark.parametrize("path", ["/", "/api/v1/board/", "/api/v1/strategies/"])
def test_an_unknown_board_host_is_a_friendly_404(path: str) -> None:
    response = api_client(None, f"nowhere.{settings.PLATFORM_HOST}").get(path)
    assert response.status_code == 404
    assert b"Board or partnership not found" in response.content


def test_an_unknown_board_subfolder_is_a_404() -> None:
    response = api_client(None, settings.PLATFORM_HOST).get("/t/nowhere/")
    assert response.status_code == 404
    assert b"Board or partnership not found" in response.content


def test_the_template_schema_is_not_reachable_as_a_board() -> None:
    assert api_client(None, settings.PLATFORM_HOST).get("/t/template/").status_code == 404


def test_subfolder_and_subdomain_reach_the_same_board(world: World) -> None:
    by_host = api_client(None, world.host("croydon")).get("/api/v1/board/").json()
    by_folder = api_client(None, settings.PLATFORM_HOST).get("/t/croydon/api/v1/board/").json()
    assert by_host == by_folder
    assert by_host["slug"] == "croydon"


def test_links_on_a_subfolder_page_keep_the_subfolder(world: World) -> None:
    page = api_client(None, settings.PLATFORM_HOST).get("/t/leeds/")
    assert page.status_code == 200
    assert b'href="/t/leeds/sign-in/"' in page.content
    assert world.boards["leeds"].name.encode() in page.content


def test_board_home_shows_the_current_strategy_headline(world: World) -> None:
    def make() -> Any:
        return Strategy.objects.create(
            title="Learning and Development Strategy 2017-19",
            period_start="2017-04-01",
            period_end="2099-03-31",
            status="adopted",
            adopted_on="2017-03-16",
            headline="Developing a culture of continuous learning.",
        )

    run_in_board(world.boards["croydon"], make)
    page = api_client(None, world.host("croydon")).get("/")
    assert b"Developing a culture of continuous learning." in page.content
    other = api_client(None, world.host("leeds")).get("/")
    assert b"Developing a culture of continuous learning." not in other.content


def test_links_in_emails_carry_the_sites_port_when_it_has_one(world: World, settings: Any) -> None:
    from tenant_apps.charges.emails import agency_portal_url
    from tenants.links import board_url

    settings.PLATFORM_URL_SCHEME, settings.PLATFORM_URL_PORT = "http", "8000"
    host = settings.PLATFORM_HOST
    assert board_url(world.boards["leeds"], "/my-bookings/") == f"http://leeds.{host}:8000/my-bookings/"
    assert agency_portal_url() == f"http://{host}:8000/agency/"
    settings.PLATFORM_URL_SCHEME, settings.PLATFORM_URL_PORT = "https", ""  # production: the scheme's own port
    assert board_url(world.boards["leeds"], "/") == f"https://leeds.{host}/"
