import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads waiting between an import's two steps go to a temporary folder, not the
    checkout (MEDIA_ROOT is unset in development)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT
