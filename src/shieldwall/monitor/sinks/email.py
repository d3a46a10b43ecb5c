"""Alert e-mails: plain text, the matched events attached as a JSON file; sent over the hub
notifier's SMTP channel (:class:`shieldwall.hub.notify.smtp.SmtpChannel`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from email.message import EmailMessage

from shieldwall.hub.notify.smtp import SmtpChannel
from shieldwall.monitor.alerts import Alert
from shieldwall.monitor.sinks.chat import DIGEST_LISTED, digest_title, headline


def alert_message(
    alerts: Sequence[Alert], digest: bool, sender: str, recipients: Sequence[str]
) -> EmailMessage:
    """The message; the subject is one line (no header injection through rule titles)."""
    title = digest_title(alerts) if digest else headline(alerts[0])
    message = EmailMessage()
    message["Subject"] = " ".join(f"[shieldwall monitor] {title}".split())[:200]
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    lines = [title, ""]
    for alert in alerts[:DIGEST_LISTED] if digest else alerts:
        lines.append(f"- {headline(alert)}")
        lines.append(f"  source: {alert.source}; first seen {alert.first_seen}")
        lines += [f"    {e.raw[:500]}" for e in alert.events[:5]]
    if digest and len(alerts) > DIGEST_LISTED:
        lines.append(f"... and {len(alerts) - DIGEST_LISTED} more (all in the attachment)")
    message.set_content("\n".join(lines))
    attachment = json.dumps([a.to_json() for a in alerts], indent=1, ensure_ascii=False)
    message.add_attachment(
        attachment.encode(), maintype="application", subtype="json", filename="alerts.json"
    )
    return message


class EmailMessenger:
    """Sends alert e-mails through an SMTP channel."""

    def __init__(self, channel: SmtpChannel) -> None:
        self._channel = channel

    @property
    def target(self) -> str:
        """Server and recipients."""
        return self._channel.target

    def deliver(self, alerts: Sequence[Alert], digest: bool) -> None:
        """Send one message."""
        self._channel.deliver(
            alert_message(alerts, digest, self._channel.sender, self._channel.recipients)
        )
