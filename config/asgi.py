"""ASGI entry point: HTTP through Django's request handler, WebSocket through Channels.

HTTP departs from Django's own ASGI handler on purpose. Our views are sync
(DRF), and Django's ASGI handler runs every sync middleware hook and the view
through ``sync_to_async`` hops on a per-request thread: measured here, a bare
JSON view served 400 requests/s that way against 1,330 through Django's WSGI
handler on a thread pool inside the same uvicorn process (a2wsgi, a maintained
adapter). So HTTP requests run Django's sync handler on ``WEB_THREADS``
threads, at most ``WEB_ACTIVE_REQUESTS`` of them at once (``core.admission``),
and the event loop stays free for WebSocket consumers, which are async.
Channels, the channel layer and Celery are unchanged by this.

With ``DEBUG`` off, collected static files (``collectstatic`` into
``STATIC_ROOT``, as the Docker image does) are served by ServeStatic in front
of Django, so the admin has its CSS without nginx. With ``DEBUG`` on, Django's
staticfiles view serves them (see ``config.urls``).
"""

import os

from a2wsgi import WSGIMiddleware
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.development")

django_wsgi = get_wsgi_application()  # sets Django up before the routing imports consumers

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from config.routing import websocket_application  # noqa: E402
from core.admission import admitted  # noqa: E402


def _http_application():
    django = admitted(django_wsgi, limit=settings.WEB_ACTIVE_REQUESTS, buffer_bytes=settings.REQUEST_MAX_BODY_BYTES)
    http = WSGIMiddleware(django, workers=settings.WEB_THREADS)
    if settings.DEBUG or not os.path.isdir(settings.STATIC_ROOT):
        return http
    from servestatic import ServeStaticASGI

    return ServeStaticASGI(http, root=settings.STATIC_ROOT, prefix=settings.STATIC_URL, max_age=3600)


application = ProtocolTypeRouter(
    {
        "http": _http_application(),
        "websocket": websocket_application,
    }
)
