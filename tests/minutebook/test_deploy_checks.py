"""Production never runs with a cache that only one process sees: ``check --deploy`` fails."""

from django.test import override_settings

from minutebook.apps import check_shared_cache


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_a_per_process_cache_fails_the_deploy_check():
    [error] = check_shared_cache(None)
    assert error.id == "minutebook.E001" and error.is_serious()


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }  # fmt: skip
)
def test_a_shared_cache_passes_it():
    assert check_shared_cache(None) == []
