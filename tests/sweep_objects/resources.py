import atexit
import shutil
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tenant_apps.resources import services
from tenant_apps.resources.files import private_storage


def make(world: Any, canary: str) -> list[str]:
    coordinator = world.user("coordinator", "leeds")
    pdf = SimpleUploadedFile(f"{canary}.pdf", b"%PDF-1.4\n% " + canary.encode() + b"\n%%EOF\n", "application/pdf")
    toolkit = services.create_resource(
        actor=coordinator,
        title=f"{canary} neglect toolkit",
        kind="toolkit",
        topic=f"{canary} topic",
        summary=f"{canary} summary",
        file=pdf,
        published=True,
    )
    # The test's transaction is rolled back, but a stored file is not: remove it (and its folder) when the run ends.
    atexit.register(shutil.rmtree, Path(private_storage().path(toolkit.file.name)).parent, ignore_errors=True)
    draft = services.create_resource(
        actor=coordinator,
        title=f"{canary} recommended trainer",
        kind="recommended_provider",
        provider_name=f"{canary} training ltd",
        body=f"{canary} offers on-site training",
    )
    return [str(toolkit.pk), str(draft.pk)]
