import pytest

from tests.documents.files import attachment_storages  # noqa: F401  (the fixture)


@pytest.fixture(autouse=True)
def _own_storages(attachment_storages):  # noqa: F811
    """Every test here stores its attachments (and the uploads waiting to be imported, in the
    exempt attachments' storage) in folders of its own."""
    return attachment_storages
