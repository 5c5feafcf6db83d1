"""An ASGI application answering each request with its process id (tests/core/test_webserver.py)."""

import os


async def app(scope, receive, send):
    if scope["type"] != "http":  # lifespan: nothing to start
        return
    body = str(os.getpid()).encode()
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", str(len(body)).encode())]}
    )
    await send({"type": "http.response.body", "body": body})
