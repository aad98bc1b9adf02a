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


@pytest.fixture(autouse=True)
def _speed_layer_on_for_its_own_tests(request, monkeypatch):
    """`.ci/run` runs the suite twice, the second time with HUB_SPEED=0 (the plain path); the
    tests of the speed layer itself (marked `speed_layer`) need it on either way."""
    if request.node.get_closest_marker("speed_layer") is not None:
        monkeypatch.delenv("HUB_SPEED", raising=False)


def pytest_configure(config):
    config.addinivalue_line("markers", "speed_layer: a test of hooks/hub_speed (kept on under HUB_SPEED=0)")
