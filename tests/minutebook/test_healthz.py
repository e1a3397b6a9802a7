"""The health check (/healthz, minutebook/views.py): a plain "ok" for the load balancer."""


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
