"""A Redis cache that misses instead of failing while Redis is unreachable.

The cache only ever holds copies (rendered tracker bodies, dashboard figures, cached_db sessions), so
an outage costs speed, not pages: reads miss, writes and deletes are dropped with a warning.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _tolerant(name: str, fallback):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            log.warning("Cache %s skipped, Redis is unreachable: %s", name, error)
            return fallback(args, kwargs)

    call.__name__ = name
    call.__doc__ = method.__doc__
    return call


def _default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class TolerantRedisCache(RedisCache):
    get = _tolerant("get", _default)
    set = _tolerant("set", lambda args, kwargs: None)
    add = _tolerant("add", lambda args, kwargs: False)
    touch = _tolerant("touch", lambda args, kwargs: False)
    delete = _tolerant("delete", lambda args, kwargs: False)
    has_key = _tolerant("has_key", lambda args, kwargs: False)
    get_many = _tolerant("get_many", lambda args, kwargs: {})
    set_many = _tolerant("set_many", lambda args, kwargs: list(args[0]) if args else [])
    delete_many = _tolerant("delete_many", lambda args, kwargs: None)
    clear = _tolerant("clear", lambda args, kwargs: False)
