import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))  # sitecheck, verify_site


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def starter_build(tmp_path_factory):
    """The real starter hub (content/ and mkdocs.yml), built once per test session."""
    from hubsite import build_starter_hub
    return build_starter_hub(tmp_path_factory.mktemp("starter"))
