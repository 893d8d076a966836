"""A Redis cache that keeps the site up while Redis is down.

The cache only holds rate-limit counters (public forms) and similar short-lived hints, so
with Redis stopped every read misses, every write is dropped and the pages keep working;
the rate limits are open until Redis is back (a warning is logged). Django's own RedisCache
would raise and turn each such page into an error.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_last_warning = 0.0


def _warn(exc):
    global _last_warning
    if time.monotonic() - _last_warning > 60:
        _last_warning = time.monotonic()
        logger.warning("cache unreachable, carrying on without it: %s", exc)


def _resilient(default):
    def wrap(method):
        @functools.wraps(method)
        def inner(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except (RedisConnectionError, RedisTimeoutError) as exc:
                _warn(exc)
                if default is ValueError:
                    raise ValueError("cache unreachable") from exc
                return default(args, kwargs) if callable(default) else default

        return inner

    return wrap


class ResilientRedisCache(RedisCache):
    add = _resilient(True)(RedisCache.add)
    get = _resilient(lambda args, kwargs: args[1] if len(args) > 1 else kwargs.get("default"))(
        RedisCache.get
    )
    set = _resilient(None)(RedisCache.set)
    touch = _resilient(False)(RedisCache.touch)
    delete = _resilient(False)(RedisCache.delete)
    get_many = _resilient({})(RedisCache.get_many)
    has_key = _resilient(False)(RedisCache.has_key)
    incr = _resilient(ValueError)(RedisCache.incr)
    set_many = _resilient([])(RedisCache.set_many)
    delete_many = _resilient(None)(RedisCache.delete_many)
    clear = _resilient(False)(RedisCache.clear)
