"""channels_redis with a blocking read shorter than redis-py's socket timeout.

redis-py 8 gives every connection a 5-second socket timeout by default, and
channels_redis blocks in ``BZPOPMIN`` for 5 seconds: an idle consumer's read
could hit the socket timeout first, raise ``TimeoutError`` and end the
connection (seen in ``benchmarks/bench_realtime.py``: 5 of 1,000 idle
sockets lost in 30 s). Blocking for 2 seconds keeps every read well inside the
socket timeout. (Raising the socket timeout instead left a cancelled
consumer waiting at shutdown.)
"""

from channels_redis.core import RedisChannelLayer


class PlatformRedisChannelLayer(RedisChannelLayer):
    brpop_timeout = 2
