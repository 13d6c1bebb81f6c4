"""iCalendar (RFC 5545) for sessions, written by hand: CRLF line ends, lines folded at 75 octets, TEXT escaped,
UTC times ('Z'). No personal data: only what the public session page shows.
"""

from datetime import UTC, datetime

from django.utils import translation

from essor.core.urls_absolute import absolute_url

PRODID = "-//essor//Training sessions//FR"


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a UTF-8 character (§3.1)."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines start with one space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def session_lines(session, now: datetime, request=None) -> list[str]:
    module = session.module
    url = absolute_url(session.get_absolute_url(), request)
    description = "\n".join(filter(None, [module.summary, url]))
    # The webinar link is given to registered people only (emails, session page), never in public feeds.
    location = session.place or str(session.get_format_display())
    lines = [
        "BEGIN:VEVENT",
        f"UID:{session.uid}@essor",
        f"DTSTAMP:{utc(now)}",
        f"DTSTART:{utc(session.starts_at)}",
        f"DTEND:{utc(session.ends_at)}",
        f"LAST-MODIFIED:{utc(session.updated_at)}",
        f"SUMMARY:{escape_text(module.title)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        f"X-ESSOR-OPERATOR:{escape_text(session.operator.name)}",
        f"LOCATION:{escape_text(location)}",
        f"CATEGORIES:{escape_text(str(session.get_format_display()))}",
        "STATUS:CANCELLED" if session.is_cancelled else "STATUS:CONFIRMED",
        "END:VEVENT",
    ]
    return [line for line in lines if line]


def calendar(
    sessions, *, name: str, language: str | None = None, now: datetime | None = None, request=None
) -> str:
    """A VCALENDAR document for `sessions` (content in `language`, default the active one)."""
    now = now or datetime.now(UTC)
    with translation.override(language or translation.get_language()):
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:{PRODID}",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            f"X-WR-CALNAME:{escape_text(name)}",
        ]
        for session in sessions:
            lines.extend(session_lines(session, now, request))
        lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
