"""E-mail over SMTP (optionally STARTTLS and login), plain text so nothing in it is rendered."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from shieldwall.hub.notify.contract import DeliveryError, Notification

TIMEOUT_SECONDS = 10.0


def build_message(
    notification: Notification, sender: str, recipients: tuple[str, ...]
) -> EmailMessage:
    """The message; header values are single lines (no header injection through titles)."""
    message = EmailMessage()
    subject = f"[shieldwall] {notification.project}: {notification.summary}"
    message["Subject"] = " ".join(subject.split())[:200]
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    lines = [notification.summary, ""]
    lines += [f"- [{f.severity}] {f.title}\n  {f.url}" for f in notification.findings]
    comment = notification.extra.get("comment")
    if isinstance(comment, str) and comment:
        lines += ["", "Comment:", comment]
    message.set_content("\n".join(lines))
    return message


class SmtpChannel:
    """Sends one message to a fixed list of recipients."""

    kind = "email"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        recipients: tuple[str, ...],
        *,
        starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        if not recipients:
            raise ValueError("an e-mail channel needs at least one recipient")
        self._host, self._port = host, port
        self._sender, self._recipients = sender, recipients
        self._starttls = starttls
        self._username, self._password = username, password

    @property
    def target(self) -> str:
        """Server and recipients."""
        return f"smtp://{self._host}:{self._port} → {', '.join(self._recipients)}"

    @property
    def sender(self) -> str:
        """The From address."""
        return self._sender

    @property
    def recipients(self) -> tuple[str, ...]:
        """The To addresses."""
        return self._recipients

    def send(self, notification: Notification) -> None:
        """Connect, optionally STARTTLS and log in, send."""
        self.deliver(build_message(notification, self._sender, self._recipients))

    def deliver(self, message: EmailMessage) -> None:
        """Send a ready message (the monitor's alert mails attach their events)."""
        try:
            with smtplib.SMTP(self._host, self._port, timeout=TIMEOUT_SECONDS) as smtp:
                if self._starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self._username:
                    smtp.login(self._username, self._password or "")
                smtp.send_message(message)
        except smtplib.SMTPResponseException as exc:
            # 4xx is temporary by RFC 5321 §4.2.1; 5xx is permanent.
            raise DeliveryError(
                f"{self._host}: SMTP {exc.smtp_code}", retryable=400 <= exc.smtp_code < 500
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"{self._host}: {type(exc).__name__}") from exc
