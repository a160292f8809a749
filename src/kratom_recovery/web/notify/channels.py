"""The two ways a notice leaves the app: e-mail over SMTP and a signed webhook.

Each `send_*` returns normally when the channel took the message and raises `ChannelError`
otherwise: `permanent` when retrying cannot help (no channel configured, no address), else a
short reason without personal data (the error class and code, never the message text).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

# Backends that show or keep a message without sending it: no channel at all.
NOT_A_CHANNEL = frozenset({
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
})
TIMEOUT = 10.0  # seconds for one SMTP conversation or webhook call
SIGNATURE_HEADER = "X-Kratom-Signature"
EVENT_HEADER = "X-Kratom-Event-Id"


@dataclass
class ChannelError(Exception):
    reason: str
    permanent: bool = False

    def __str__(self) -> str:
        return self.reason


def email_configured() -> bool:
    return settings.EMAIL_BACKEND not in NOT_A_CHANNEL


def webhook_configured() -> bool:
    return bool(settings.ALERT_WEBHOOK_URL)


def any_channel() -> bool:
    return email_configured() or webhook_configured()


def message_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(kind: str, *ids: int) -> str:
    """The same Message-ID for the same notice, however often it is sent, so a copy sent
    twice (at least once delivery) shows as one message in the recipient's mail program."""
    key = ".".join(str(i) for i in ids)
    return f"<{kind}.{key}@{message_domain()}>"


def send_email(to: str, subject: str, body: str, msg_id: str) -> None:
    if not email_configured():
        raise ChannelError("no e-mail channel configured", permanent=True)
    if not to:
        raise ChannelError("recipient has no e-mail address", permanent=True)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to],
                           headers={"Message-ID": msg_id, "Auto-Submitted": "auto-generated"},
                           connection=get_connection(timeout=TIMEOUT))
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPResponseException as error:
        permanent = 500 <= error.smtp_code < 600
        raise ChannelError(f"SMTP {error.smtp_code}", permanent=permanent) from None
    except smtplib.SMTPRecipientsRefused:
        raise ChannelError("SMTP recipient refused", permanent=True) from None
    except (smtplib.SMTPException, OSError) as error:
        raise ChannelError(type(error).__name__) from None


def sign(secret: str, timestamp: int, event_id: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<event id>.<body>" (docs/operations.md shows how to
    check it): a receiver can refuse replays (old timestamp, seen event id) and forgeries."""
    payload = f"{timestamp}.{event_id}.".encode() + body
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def send_webhook(event_id: str, payload: dict[str, Any], *, now: float | None = None) -> None:
    url, secret = settings.ALERT_WEBHOOK_URL, settings.ALERT_WEBHOOK_SECRET
    if not url:
        raise ChannelError("no webhook configured", permanent=True)
    body = json.dumps(payload, sort_keys=True).encode()
    stamp = int(time.time() if now is None else now)
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "User-Agent": "kratom-recovery-notifier",
        EVENT_HEADER: event_id,
        SIGNATURE_HEADER: f"t={stamp},v1={sign(secret, stamp, event_id, body)}",
    })
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            response.read(1024)
    except urllib.error.HTTPError as error:
        # 4xx other than 408/429: the receiver refuses this message; retrying will not help.
        permanent = 400 <= error.code < 500 and error.code not in (408, 429)
        raise ChannelError(f"HTTP {error.code}", permanent=permanent) from None
    except (TimeoutError, urllib.error.URLError, OSError) as error:
        raise ChannelError(type(error).__name__) from None
