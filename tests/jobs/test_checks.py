"""The deployment checks of the job setup: a production site with no broker is warned, and so
is a broker whose workers cannot share what they render with the web processes."""

from django.test import override_settings

from jobs.checks import broker_for_production

RQ = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
}


def ids(**settings) -> list[str]:
    with override_settings(**settings):
        return [message.id for message in broker_for_production()]


def test_production_without_a_broker_is_warned_and_development_is_not():
    assert ids(DEBUG=False, TASKS=IMMEDIATE, CACHES=REDIS) == ["jobs.W001"]
    assert ids(DEBUG=True, TASKS=IMMEDIATE, CACHES=LOCMEM) == []


def test_a_broker_with_a_cache_of_each_process_is_warned_and_a_shared_cache_is_not():
    assert ids(DEBUG=False, TASKS=RQ, CACHES=LOCMEM) == ["jobs.W002"]
    assert ids(DEBUG=False, TASKS=RQ, CACHES=REDIS) == []
