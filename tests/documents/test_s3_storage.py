"""Attachments in an S3-compatible store: moto's S3 server on loopback stands in for it. Public
and exempt files land in their own buckets; downloads still go through Minutebook's view."""

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from moto.server import ThreadedMotoServer

from minutebook.settings import attachment_storages
from tests.documents.factories import attachment
from tests.factories import PaperFactory

pytestmark = pytest.mark.django_db

PUBLIC, EXEMPT = "minutebook-files", "minutebook-exempt-files"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    for bucket in (PUBLIC, EXEMPT):
        client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        **attachment_storages(PUBLIC, EXEMPT, s3_endpoint, tmp_path),
    }
    yield client
    for bucket in (PUBLIC, EXEMPT):
        for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])
        client.delete_bucket(Bucket=bucket)


def keys(client, bucket) -> list[str]:
    return [
        item["Key"].rsplit("/", 1)[-1]
        for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])
    ]


def test_public_and_exempt_files_land_in_their_own_buckets(s3):
    attachment(PaperFactory(), name="plan.pdf")
    attachment(PaperFactory(), name="tenders.pdf", exempt=True)
    assert keys(s3, PUBLIC) == ["plan.pdf"]
    assert keys(s3, EXEMPT) == ["tenders.pdf"]


def test_exempt_files_are_not_public_in_their_bucket(s3):
    found = attachment(PaperFactory(), name="tenders.pdf", exempt=True)
    grants = s3.get_object_acl(Bucket=EXEMPT, Key=found.stored_name)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]


def test_downloads_go_through_the_view(s3, client, member_of):
    paper = PaperFactory()
    public = attachment(paper, name="plan.pdf")
    exempt = attachment(paper, name="tenders.pdf", exempt=True)
    response = client.get(public.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(exempt.get_absolute_url()).status_code == 403
    member = member_of(paper.board)
    response = member.get(exempt.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_changing_the_access_moves_the_file_between_buckets(s3, django_capture_on_commit_callbacks):
    found = attachment(PaperFactory(), name="plan.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        found.access, found.exemption_reason = "exempt", "Personal data"
        found.save()
    assert keys(s3, PUBLIC) == []
    assert keys(s3, EXEMPT) == ["plan.pdf"]


@pytest.mark.parametrize("buckets", [("a", ""), ("", "b"), ("same", "same")])
def test_s3_needs_two_different_buckets(buckets, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="MINUTEBOOK_S3_EXEMPT_BUCKET"):
        attachment_storages(*buckets, "", tmp_path)
