"""The resources library: files kept per board and streamed only to people who may have them, published and
unpublished resources, the rules for a resource, search and filters, and the library's pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import World, api_client
from shared_apps.audit.models import AuditEvent
from tenant_apps.resources import services
from tenant_apps.resources.files import MAX_BYTES, TOO_BIG, WRONG_TYPE, safe_name
from tenant_apps.resources.models import Resource
from tenant_apps.resources.selectors import library, topics
from tenants.cross_board import run_in_board

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
DOCX = b"PK\x03\x04" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 40


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Files stored by a test go to a folder of its own, removed with it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _in(world: World, slug: str, work: Any) -> Any:
    return run_in_board(world.boards[slug], work)


def _pdf(name: str = "Neglect toolkit.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _create(world: World, slug: str = "leeds", **fields: Any) -> Resource:
    values = {"title": "Neglect toolkit", "kind": "toolkit", "topic": "Neglect", "body": "Use it.", **fields}
    coordinator = world.user("coordinator", slug)
    return _in(world, slug, lambda: services.create_resource(actor=coordinator, **values))


def _page(world: World, user: Any, slug: str = "leeds") -> Client:
    client = Client(HTTP_HOST=world.host(slug))
    client.force_login(user)
    return client


def _count(world: World, slug: str = "leeds") -> int:
    return int(_in(world, slug, Resource.objects.count))


# --- files: upload, download, where they live ------------------------------------------------------------------


def test_a_coordinator_uploads_a_file_and_a_practitioner_downloads_it(world: World, media: Path) -> None:
    coordinator = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    created = coordinator.post(
        "/api/v1/resources/",
        {"title": "Neglect toolkit", "kind": "toolkit", "topic": "Neglect", "file": _pdf(), "published": "true"},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    download_url = f"http://{world.host('leeds')}/api/v1/resources/{body['id']}/download/"
    assert body["file"] == download_url
    assert body["file_name"] == "Neglect_toolkit.pdf" and body["file_size"] == len(PDF) and body["file_type"] == "PDF"
    assert "board_leeds" not in created.content.decode(), "the storage path is never shown"

    practitioner = api_client(world.user("practitioner", "leeds"), world.host("leeds"))
    response = practitioner.get(f"/api/v1/resources/{body['id']}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Neglect_toolkit.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"

    page = _page(world, world.user("practitioner", "leeds")).get(f"/resources/{body['id']}/download/")
    assert page.status_code == 200 and b"".join(page.streaming_content) == PDF
    assert page["X-Content-Type-Options"] == "nosniff" and page["Content-Disposition"].startswith("attachment")


def test_the_file_is_stored_under_the_boards_schema_with_no_public_address(world: World, media: Path) -> None:
    resource = _create(world, file=_pdf())
    name = resource.file.name
    assert name.startswith("resources/board_leeds/") and name.endswith("/Neglect_toolkit.pdf")
    assert (media / name).read_bytes() == PDF
    with pytest.raises(ValueError, match="no public address"):
        resource.file.url  # noqa: B018 (the property is the test)
    from django.conf import settings

    for host in (world.host("leeds"), world.host("croydon"), settings.PLATFORM_HOST):
        client = _page(world, world.user("coordinator", "leeds"), "leeds")
        for path in (f"/{name}", f"/media/{name}", f"{settings.MEDIA_URL or '/'}{name}", f"/t/leeds/media/{name}"):
            response = client.get(path, HTTP_HOST=host)
            assert response.status_code == 404, (host, path, response.status_code)


def test_a_leeds_file_is_404_on_the_croydon_host_and_403_to_croydon_people_on_leeds(world: World, media: Path) -> None:
    resource = _create(world, file=_pdf(), published=True)
    for role in ("coordinator", "practitioner"):
        croydon_person = world.user(role, "croydon")
        on_croydon = api_client(croydon_person, world.host("croydon"))
        assert on_croydon.get(f"/api/v1/resources/{resource.pk}/download/").status_code == 404
        assert on_croydon.get(f"/api/v1/resources/{resource.pk}/").status_code == 404
        assert _page(world, croydon_person, "croydon").get(f"/resources/{resource.pk}/download/").status_code == 404

        on_leeds = api_client(croydon_person, world.host("leeds"))
        assert on_leeds.get(f"/api/v1/resources/{resource.pk}/download/").status_code == 403
        assert _page(world, croydon_person, "leeds").get(f"/resources/{resource.pk}/download/").status_code == 403


def test_the_download_address_works_when_the_board_is_reached_by_subfolder(world: World, media: Path) -> None:
    from django.conf import settings

    resource = _create(world, file=_pdf(), published=True)
    client = api_client(world.user("practitioner", "leeds"), settings.PLATFORM_HOST)
    body = client.get(f"/t/leeds/api/v1/resources/{resource.pk}/").json()
    path = f"/t/leeds/api/v1/resources/{resource.pk}/download/"
    assert body["file"] == f"http://{settings.PLATFORM_HOST}{path}"
    response = client.get(path)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    page = Client(HTTP_HOST=settings.PLATFORM_HOST)
    page.force_login(world.user("practitioner", "leeds"))
    assert (
        f'href="/t/leeds/resources/{resource.pk}/download/"'
        in page.get(f"/t/leeds/resources/{resource.pk}/").content.decode()
    )


def test_someone_signed_out_is_sent_to_sign_in_for_a_file(world: World, media: Path) -> None:
    resource = _create(world, file=_pdf(), published=True)
    response = Client(HTTP_HOST=world.host("leeds")).get(f"/resources/{resource.pk}/download/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert api_client(None, world.host("leeds")).get(f"/api/v1/resources/{resource.pk}/download/").status_code in (
        401,
        403,
    )


def test_a_resource_without_a_file_has_nothing_to_download(world: World) -> None:
    resource = _create(world, published=True)
    response = api_client(world.user("practitioner", "leeds"), world.host("leeds")).get(
        f"/api/v1/resources/{resource.pk}/download/"
    )
    assert response.status_code == 404 and response.json()["error"]["status"] == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", EXE, WRONG_TYPE),
        ("minutes.pdf", EXE, WRONG_TYPE),  # a program renamed to look like a PDF
        ("photo.png", PDF, WRONG_TYPE),
        ("notes.txt", b"plain text", WRONG_TYPE),
        ("huge.pdf", b"%PDF-" + b"0" * MAX_BYTES, TOO_BIG),
    ],
    ids=["program", "program-renamed-pdf", "pdf-named-png", "text", "over-10-MB"],
)
def test_a_bad_upload_is_refused_with_a_clear_message_and_nothing_saved(
    world: World, media: Path, name: str, content: bytes, message: str
) -> None:
    before = _count(world)
    client = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(
        "/api/v1/resources/", {"title": "Minutes", "kind": "other", "file": upload}, format="multipart"
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"]["file"] == [message]
    assert message in response.json()["error"]["message"]
    assert _count(world) == before
    assert _stored_files(media) == []


def test_a_request_far_over_the_limit_is_refused_before_it_is_read(world: World, media: Path) -> None:
    client = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    upload = SimpleUploadedFile("huge.pdf", b"%PDF-" + b"0" * (MAX_BYTES + 1024 * 1024))
    response = client.post("/api/v1/resources/", {"title": "Huge", "kind": "other", "file": upload}, format="multipart")
    assert response.status_code == 413
    assert TOO_BIG in response.json()["error"]["message"]
    assert _stored_files(media) == []


def test_form_fields_over_the_limit_are_a_413_with_the_error_body(world: World, media: Path) -> None:
    client = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    response = client.post(
        "/api/v1/resources/", {"title": "Long", "kind": "other", "body": "x" * 3_000_000}, format="multipart"
    )
    assert response.status_code == 413 and "2.5 MB" in response.json()["error"]["message"]


def test_a_multipart_change_without_published_leaves_it_published(world: World, media: Path) -> None:
    resource = _create(world, published=True)
    client = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    response = client.put(
        f"/api/v1/resources/{resource.pk}/",
        {"title": "Neglect toolkit", "kind": "toolkit", "file": _pdf()},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["published"] is True and response.json()["file_type"] == "PDF"


def test_a_bad_upload_on_the_page_shows_the_message_in_the_error_summary(world: World, media: Path) -> None:
    client = _page(world, world.user("coordinator", "leeds"))
    before = _count(world)
    upload = SimpleUploadedFile("minutes.pdf", EXE)
    response = client.post("/resources/add/", {"title": "Minutes", "kind": "other", "file": upload})
    assert response.status_code == 400
    content = response.content.decode()
    assert "There is a problem" in content and WRONG_TYPE in content
    assert 'class="govuk-file-upload govuk-file-upload--error"' in content
    assert _count(world) == before and _stored_files(media) == []


def test_office_and_image_files_are_accepted(world: World, media: Path) -> None:
    for name, content in (("plan.docx", DOCX), ("chart.png", PNG), ("photo.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20)):
        resource = _create(world, title=name, file=SimpleUploadedFile(name, content))
        assert resource.file_size == len(content)
    assert len(_stored_files(media)) == 3


def test_file_names_are_cleaned_of_paths_and_odd_characters() -> None:
    assert safe_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert safe_name("C:\\Users\\me\\Neglect toolkit (v2).PDF") == "Neglect_toolkit_v2.pdf"
    assert safe_name("<script>.docx") == "script.docx"
    assert safe_name("!!!.pdf") == "file.pdf"


def test_deleting_a_resource_removes_its_file_once_committed(
    world: World, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    resource = _create(world, file=_pdf())
    resource_id, stored = resource.pk, media / resource.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        _in(world, "leeds", lambda: services.delete_resource(resource, actor=world.user("coordinator", "leeds")))
    assert not stored.exists()
    assert not _in(world, "leeds", lambda: Resource.objects.filter(pk=resource_id).exists())


def test_replacing_or_removing_a_file_deletes_the_old_one_once_committed(
    world: World, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator = world.user("coordinator", "leeds")
    resource = _create(world, file=_pdf("first.pdf"))
    first = media / resource.file.name
    with django_capture_on_commit_callbacks(execute=True):
        resource = _in(
            world, "leeds", lambda: services.update_resource(resource, actor=coordinator, file=_pdf("second.pdf"))
        )
    assert not first.exists() and (media / resource.file.name).read_bytes() == PDF
    assert resource.file_name == "second.pdf"

    response = api_client(coordinator, world.host("leeds")).patch(
        f"/api/v1/resources/{resource.pk}/", {"file": None}, format="json"
    )
    assert response.status_code == 200 and response.json()["file"] is None
    assert response.json()["file_name"] == ""


def test_a_file_cannot_be_removed_from_a_resource_that_has_nothing_else(world: World, media: Path) -> None:
    resource = _create(world, body="", file=_pdf())
    coordinator = world.user("coordinator", "leeds")
    with pytest.raises(ValidationError) as error:
        _in(world, "leeds", lambda: services.update_resource(resource, actor=coordinator, file=None))
    assert error.value.message_dict["body"] == ["Add a file, a link or the text of the resource"]
    assert len(_stored_files(media)) == 1


# --- rules and audit -------------------------------------------------------------------------------------------


def test_a_recommended_trainer_needs_the_providers_name(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        _create(world, kind="recommended_provider", title="On-site neglect training")
    assert error.value.message_dict["provider_name"] == ["Enter the name of the trainer or provider"]
    provider = _create(
        world,
        kind="recommended_provider",
        title="On-site neglect training",
        provider_name="Safe Hands Training",
        contact_email="bookings@safehands.example",
        website="https://safehands.example/",
    )
    assert provider.provider_name == "Safe Hands Training"


def test_a_resource_needs_a_file_a_link_or_its_text(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        _create(world, body="")
    assert error.value.message_dict == {"body": ["Add a file, a link or the text of the resource"]}
    assert _create(world, body="", link_url="https://www.gov.uk/government/publications/neglect").link_url


def test_every_change_is_in_the_audit_log(world: World) -> None:
    coordinator = world.user("coordinator", "leeds")
    resource = _create(world)
    resource_id = str(resource.pk)
    _in(world, "leeds", lambda: services.update_resource(resource, actor=coordinator, topic="Neglect and harm"))
    _in(world, "leeds", lambda: services.publish_resource(resource, actor=coordinator))
    _in(world, "leeds", lambda: services.unpublish_resource(resource, actor=coordinator))
    _in(world, "leeds", lambda: services.delete_resource(resource, actor=coordinator))
    actions = list(
        AuditEvent.objects.filter(object_id=resource_id).order_by("at", "id").values_list("action", flat=True)
    )
    assert actions == [
        "resource.created",
        "resource.updated",
        "resource.published",
        "resource.unpublished",
        "resource.deleted",
    ]
    update = AuditEvent.objects.get(object_id=resource_id, action="resource.updated")
    assert update.changes == {"topic": ["Neglect", "Neglect and harm"]}
    assert update.board_id == world.boards["leeds"].pk


def test_publishing_dates_the_resource_and_unpublishing_clears_it(world: World) -> None:
    coordinator = world.user("coordinator", "leeds")
    resource = _create(world)
    assert not resource.published and resource.published_on is None
    resource = _in(world, "leeds", lambda: services.publish_resource(resource, actor=coordinator))
    assert resource.published and resource.published_on is not None
    resource = _in(world, "leeds", lambda: services.unpublish_resource(resource, actor=coordinator))
    assert not resource.published and resource.published_on is None


# --- who sees what ---------------------------------------------------------------------------------------------


def test_unpublished_resources_are_hidden_from_practitioners_but_shown_to_coordinators(
    world: World, media: Path
) -> None:
    published = _create(world, title="Published briefing", published=True)
    draft = _create(world, title="Draft briefing", file=_pdf())

    practitioner = api_client(world.user("practitioner", "leeds"), world.host("leeds"))
    titles = [row["title"] for row in practitioner.get("/api/v1/resources/").json()["results"]]
    assert "Published briefing" in titles and "Draft briefing" not in titles
    assert practitioner.get(f"/api/v1/resources/{draft.pk}/").status_code == 404
    assert practitioner.get(f"/api/v1/resources/{draft.pk}/download/").status_code == 404

    coordinator = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    titles = [row["title"] for row in coordinator.get("/api/v1/resources/").json()["results"]]
    assert {"Published briefing", "Draft briefing"} <= set(titles)
    assert coordinator.get(f"/api/v1/resources/{draft.pk}/download/").status_code == 200

    page = _page(world, world.user("practitioner", "leeds"))
    library_page = page.get("/resources/")
    assert library_page.status_code == 200
    assert b"Published briefing" in library_page.content and b"Draft briefing" not in library_page.content
    assert page.get(f"/resources/{draft.pk}/").status_code == 404
    assert page.get(f"/resources/{draft.pk}/download/").status_code == 404
    assert page.get(f"/resources/{published.pk}/").status_code == 200

    managing = _page(world, world.user("coordinator", "leeds"))
    library_page = managing.get("/resources/")
    assert b"Draft briefing" in library_page.content and b"Not published" in library_page.content
    assert managing.get(f"/resources/{draft.pk}/").status_code == 200


def test_a_practitioner_reads_but_cannot_add_change_or_delete(world: World) -> None:
    resource = _create(world, published=True)
    before = _count(world)
    client = api_client(world.user("practitioner", "leeds"), world.host("leeds"))
    created = client.post("/api/v1/resources/", {"title": "Mine", "kind": "other", "body": "x"}, format="json")
    assert created.status_code == 403 and created.json()["error"]["status"] == 403
    assert client.patch(f"/api/v1/resources/{resource.pk}/", {"title": "Mine"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/resources/{resource.pk}/").status_code == 403
    page = _page(world, world.user("practitioner", "leeds"))
    assert page.get("/resources/add/").status_code == 403
    assert page.post("/resources/add/", {"title": "Mine", "kind": "other", "body": "x"}).status_code == 403
    assert page.post(f"/resources/{resource.pk}/unpublish/").status_code == 403
    assert page.post(f"/resources/{resource.pk}/delete/").status_code == 403
    assert _count(world) == before
    assert _in(world, "leeds", lambda: Resource.objects.get(pk=resource.pk).published)


def test_trainers_and_finance_contacts_read_the_library_too(world: World) -> None:
    _create(world, title="Seven-minute briefing: Child J", kind="case_review_learning", published=True)
    for role in ("trainer", "finance", "board_admin"):
        rows = api_client(world.user(role, "leeds"), world.host("leeds")).get("/api/v1/resources/").json()["results"]
        assert "Seven-minute briefing: Child J" in [row["title"] for row in rows], role


def test_another_boards_people_are_refused_and_its_lists_hold_nothing_of_leeds(world: World) -> None:
    resource = _create(world, title="Leeds only toolkit", published=True)
    croydon = world.user("coordinator", "croydon")
    assert api_client(croydon, world.host("leeds")).get("/api/v1/resources/").status_code == 403
    assert _page(world, croydon, "leeds").get("/resources/").status_code == 403
    listing = api_client(croydon, world.host("croydon")).get("/api/v1/resources/")
    assert listing.status_code == 200 and b"Leeds only toolkit" not in listing.content
    assert _page(world, croydon, "croydon").get(f"/resources/{resource.pk}/").status_code == 404


# --- search and filters ----------------------------------------------------------------------------------------


@pytest.fixture
def shelf(world: World) -> dict[str, Resource]:
    return {
        "toolkit": _create(world, title="Neglect toolkit", kind="toolkit", topic="Neglect", published=True),
        "objectives": _create(
            world,
            title="CSE learning objectives",
            kind="learning_objectives",
            topic="Child sexual exploitation",
            body="Recognise the signs of exploitation\nKnow how to refer",
            published=True,
        ),
        "briefing": _create(
            world,
            title="Seven-minute briefing: Child J",
            kind="case_review_learning",
            topic="neglect",
            summary="Learning from a serious case review about chronic NEGLECT",
            published=True,
        ),
        "draft": _create(world, title="Draft neglect standard", kind="recommended_standard", topic="Neglect"),
    }


def _titles(response: Any) -> set[str]:
    return {row["title"] for row in response.json()["results"]}


def test_the_library_filters_by_kind_topic_and_words(world: World, shelf: dict[str, Resource]) -> None:
    client = api_client(world.user("practitioner", "leeds"), world.host("leeds"))
    assert _titles(client.get("/api/v1/resources/", {"kind": "toolkit"})) == {"Neglect toolkit"}
    assert _titles(client.get("/api/v1/resources/", {"topic": "NEGLECT"})) == {
        "Neglect toolkit",
        "Seven-minute briefing: Child J",
    }
    assert _titles(client.get("/api/v1/resources/", {"q": "exploitation"})) == {"CSE learning objectives"}
    assert _titles(client.get("/api/v1/resources/", {"q": "chronic neglect"})) == {"Seven-minute briefing: Child J"}
    assert _titles(client.get("/api/v1/resources/", {"q": "neglect", "kind": "toolkit"})) == {"Neglect toolkit"}
    assert _titles(client.get("/api/v1/resources/", {"q": "nothing like this"})) == set()
    assert client.get("/api/v1/resources/", {"q": "bad\x00byte", "kind": "nonsense"}).status_code == 200


def test_topics_are_counted_case_insensitively_for_readers_and_managers(
    world: World, shelf: dict[str, Resource]
) -> None:
    def counts(can_manage: bool) -> dict[str, int]:
        return {t.name.lower(): t.count for t in topics(can_manage=can_manage)}

    reader, manager = _in(world, "leeds", lambda: counts(False)), _in(world, "leeds", lambda: counts(True))
    assert reader == {"child sexual exploitation": 1, "neglect": 2}
    assert manager == {"child sexual exploitation": 1, "neglect": 3}
    assert _in(world, "leeds", lambda: library(can_manage=True, q="standard").count()) == 1


def test_the_library_page_searches_and_filters(world: World, shelf: dict[str, Resource]) -> None:
    client = _page(world, world.user("practitioner", "leeds"))
    page = client.get("/resources/", {"topic": "Neglect", "kind": "toolkit"})
    content = page.content.decode()
    assert page.status_code == 200
    assert "Neglect toolkit" in content and "Seven-minute briefing" not in content and "Draft neglect" not in content
    assert "1 matching resource" in content and "govuk-tag--green" in content
    assert '<option value="toolkit" selected>' in content
    assert "Neglect (2)" in content and 'name="q"' in content
    nothing = client.get("/resources/", {"q": "zebra"}).content.decode()
    assert "No resources match your search" in nothing


# --- pages -----------------------------------------------------------------------------------------------------


def test_a_coordinator_adds_a_resource_with_a_file_on_the_page(world: World, media: Path) -> None:
    client = _page(world, world.user("coordinator", "leeds"))
    form = client.get("/resources/add/")
    assert form.status_code == 200
    assert b'enctype="multipart/form-data"' in form.content and b"govuk-file-upload" in form.content
    response = client.post(
        "/resources/add/",
        {"title": "Neglect toolkit", "kind": "toolkit", "topic": "Neglect", "file": _pdf(), "published": "on"},
    )
    assert response.status_code == 302, response.content.decode()
    resource = _in(world, "leeds", lambda: Resource.objects.get(title="Neglect toolkit"))
    assert resource.published and resource.file.name.startswith("resources/board_leeds/")
    detail = client.get(response["Location"]).content.decode()
    assert f"/resources/{resource.pk}/download/" in detail and "(PDF, 1 KB)" in detail


def test_the_add_page_names_every_missing_thing(world: World) -> None:
    response = _page(world, world.user("coordinator", "leeds")).post(
        "/resources/add/", {"title": "", "kind": "recommended_provider"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Enter a title" in content and "Enter the name of the trainer or provider" in content
    assert "Add a file, a link or the text of the resource" in content


def test_the_resource_page_shows_objectives_and_provider_contact(world: World) -> None:
    objectives = _create(
        world,
        title="CSE learning objectives",
        kind="learning_objectives",
        body="Recognise the signs of exploitation\n\n- Know how to refer\n",
        published=True,
    )
    provider = _create(
        world,
        title="On-site neglect training",
        kind="recommended_provider",
        provider_name="Safe Hands Training",
        contact_email="bookings@safehands.example",
        website="https://safehands.example/",
        link_url="https://safehands.example/courses",
        published=True,
    )
    client = _page(world, world.user("practitioner", "leeds"))
    content = client.get(f"/resources/{objectives.pk}/").content.decode()
    assert '<ol class="govuk-list govuk-list--number">' in content
    assert "<li>Recognise the signs of exploitation</li>" in content and "<li>Know how to refer</li>" in content
    content = client.get(f"/resources/{provider.pk}/").content.decode()
    assert "Contact the trainer or provider" in content and "Safe Hands Training" in content
    assert 'href="mailto:bookings@safehands.example"' in content and "https://safehands.example/courses" in content
    assert "Manage this resource" not in content


def test_a_coordinator_changes_publishes_and_deletes_on_the_pages(
    world: World, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    resource = _create(world, file=_pdf())
    stored = media / resource.file.name
    client = _page(world, world.user("coordinator", "leeds"))
    edit = client.get(f"/resources/{resource.pk}/edit/")
    assert (
        edit.status_code == 200 and b"Replace the file" in edit.content and b"Remove the current file" in edit.content
    )
    changed = client.post(
        f"/resources/{resource.pk}/edit/",
        {"title": "Neglect toolkit 2024", "kind": "toolkit", "topic": "Neglect", "body": "Use it."},
    )
    assert changed.status_code == 302
    assert client.post(f"/resources/{resource.pk}/publish/").status_code == 302
    resource = _in(world, "leeds", lambda: Resource.objects.get(pk=resource.pk))
    assert resource.title == "Neglect toolkit 2024" and resource.published and stored.exists()
    detail = client.get(f"/resources/{resource.pk}/").content.decode()
    assert "Unpublish" in detail and "Published</strong>" in detail

    confirm = client.get(f"/resources/{resource.pk}/delete/")
    assert confirm.status_code == 200 and b"Are you sure you want to delete" in confirm.content
    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.post(f"/resources/{resource.pk}/delete/")
    assert deleted.status_code == 302 and deleted["Location"].endswith("/resources/")
    assert not _in(world, "leeds", lambda: Resource.objects.filter(pk=resource.pk).exists())
    assert not stored.exists()


def test_someone_signed_out_is_sent_to_sign_in_from_the_library(world: World) -> None:
    response = Client(HTTP_HOST=world.host("leeds")).get("/resources/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_a_malformed_resource_is_a_readable_400_and_saves_nothing(world: World) -> None:
    client = api_client(world.user("coordinator", "leeds"), world.host("leeds"))
    before = _count(world)
    cases = [
        {"title": "x", "kind": "nonsense", "body": "x"},
        {"title": "x", "kind": "other", "body": "x", "link_url": "javascript:alert(1)"},
        {"title": "x", "kind": "other", "body": "x", "contact_email": "not an email"},
        {"title": "x", "kind": "other", "body": "x", "file": "not a file"},
        {"title": "x", "kind": "other", "body": "x", "publishd": True},
        {"title": "x", "kind": "recommended_provider", "body": "x"},
    ]
    for case in cases:
        response = client.post("/api/v1/resources/", case, format="json")
        assert response.status_code == 400, (case, response.content)
        error = response.json()["error"]
        assert error["fields"] and error["message"], case
    assert _count(world) == before
