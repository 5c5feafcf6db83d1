import pytest
from celery import current_app

pytestmark = pytest.mark.django_db


def test_health_answers_alive_in_the_envelope(api_client):
    response = api_client.get("/api/v1/health")

    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["data"]["status"] == "healthy"
    assert isinstance(body["data"]["uptime"], int)
    assert response["X-Request-ID"]


def test_ready_checks_every_component(api_client):
    response = api_client.get("/api/v1/health/ready/")

    assert response.status_code == 200, response.content
    checks = response.json()["data"]["checks"]
    assert set(checks) == {"database", "cache", "channel_layer", "broker"}
    assert all(check["status"] == "ok" for check in checks.values())


DEAD_REDIS = "unix:///nonexistent-dir/redis.sock?db=1"


def assert_not_ready_because_of(response, part):
    assert response.status_code == 503, response.content
    error = response.json()["error"]
    assert error["code"] == "SERVICE_UNAVAILABLE"
    assert part in error["message"]
    assert error["details"]["context"]["failing"] == [part]
    assert error["details"]["context"]["checks"][part]["status"] == "unavailable"
    assert error["details"]["context"]["checks"][part]["error"]


def test_ready_is_503_naming_the_cache_when_it_is_down(api_client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }

    assert_not_ready_because_of(api_client.get("/api/v1/health/ready"), "cache")


def test_ready_is_503_naming_the_channel_layer_when_it_is_down(api_client, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": DEAD_REDIS}]},
        }
    }

    assert_not_ready_because_of(api_client.get("/api/v1/health/ready"), "channel_layer")


def test_ready_is_503_naming_the_broker_when_it_is_down(api_client, monkeypatch):
    monkeypatch.setitem(current_app.conf, "broker_url", "redis+socket:///nonexistent-dir/redis.sock")

    assert_not_ready_because_of(api_client.get("/api/v1/health/ready"), "broker")


def test_liveness_does_not_depend_on_the_cache(api_client, settings):
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": DEAD_REDIS}}

    assert api_client.get("/api/v1/health").status_code == 200
