"""Who may use the app: loopback by default, a passphrase for the office network, upload limits.

:class:`Guard` is a plain ASGI middleware in front of the Shiny app. It asks for the
passphrase with HTTP Basic authentication (the browser asks once, on the first page load, and
repeats it on every request and on the websocket), and refuses request bodies larger than
:data:`MAX_UPLOAD_BYTES` before reading them.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from planner.core.errors import ConfigError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
"""Largest request body (an uploaded registry): 50 MB, about 500,000 person rows of CSV."""

PASSPHRASE_ENV = "JEMPUT_APP_PASSPHRASE"
"""Environment variable read when ``--passphrase`` is not given."""


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def required_passphrase(host: str, passphrase: str | None) -> str | None:
    """The passphrase the app must ask for, or None on loopback without one.

    Raises
    ------
    ConfigError
        When ``host`` serves other machines and no passphrase (of 8+ characters) is given.
    """
    if passphrase is not None and passphrase != "":
        if len(passphrase) < 8:
            raise ConfigError("--passphrase: use at least 8 characters")
        return passphrase
    if is_loopback(host):
        return None
    raise ConfigError(
        f"--host {host}: serving other machines needs a passphrase; give --passphrase or set "
        f"{PASSPHRASE_ENV}"
    )


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return None


def passphrase_matches(authorization: bytes | None, passphrase: str) -> bool:
    """Does an HTTP ``Authorization: Basic`` header carry ``passphrase`` (any user name)?"""
    if not authorization or not authorization.lower().startswith(b"basic "):
        return False
    try:
        decoded = base64.b64decode(authorization[6:].strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    _, _, given = decoded.partition(b":")
    return hmac.compare_digest(given, passphrase.encode())


class Guard:
    """ASGI middleware: passphrase (when set) and the upload size limit.

    Parameters
    ----------
    app
        The wrapped ASGI application.
    passphrase
        Asked with HTTP Basic authentication; None lets every request through.
    max_body_bytes
        Requests declaring a larger body are refused with 413.
    """

    def __init__(
        self, app: ASGIApp, passphrase: str | None, max_body_bytes: int = MAX_UPLOAD_BYTES
    ) -> None:
        self.app = app
        self.passphrase = passphrase
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope.get("type")
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if self.passphrase is not None and not passphrase_matches(
            _header(scope, b"authorization"), self.passphrase
        ):
            if kind == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await _respond(
                send,
                401,
                "Kata sandi diperlukan.",
                [(b"www-authenticate", b'Basic realm="jemput app", charset="UTF-8"')],
            )
            return
        length = _header(scope, b"content-length")
        too_big = length is not None and length.isdigit() and int(length) > self.max_body_bytes
        if kind == "http" and too_big:
            limit = self.max_body_bytes // (1024 * 1024)
            await _respond(send, 413, f"Berkas terlalu besar (batas {limit} MB).")
            return
        await self.app(scope, receive, send)


async def _respond(
    send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
