"""`platform` is a standard-library module: our project folder of that name must never shadow it."""

import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_standard_library_platform_module_works_under_pytest() -> None:
    assert platform.python_version().startswith("3.")
    assert hasattr(platform, "system")
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_standard_library_platform_module_works_in_the_project_interpreter() -> None:
    code = (
        "import sys; sys.path[:0] = ['platform', '.'];"
        "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'lscb_platform.settings.test';"
        "import django; django.setup();"
        "import platform, uuid, stripe; print(platform.python_version(), platform.system())"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    version, system = out.stdout.split()
    assert version == platform.python_version()
    assert system == platform.system()
