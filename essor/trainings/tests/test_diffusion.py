"""Atom feed, iCalendar (parsed back per RFC 5545) and JSON API: complete, valid, and without personal data."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from essor.accounts.tests.factories import make_user
from essor.trainings import ical
from essor.trainings.registration import register
from essor.trainings.tests.factories import ModuleFactory, SessionFactory, past_session

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def sessions():
    module = ModuleFactory(
        title_fr="Commande publique ; clauses sociales, marchés réservés et « SCIC » à l'échelle d'une métropole",
        title_en="Public procurement; social clauses",
    )
    upcoming = SessionFactory(module=module, place="", capacity=2)
    person = make_user(first_name="Zoé", last_name="Secrète", email="zoe.secrete@example.org")
    register(upcoming, person)
    return {"upcoming": upcoming, "past": past_session(), "person": person}


def unfold(text: str) -> list[str]:
    """RFC 5545 §3.1: every line ends with CRLF; a line starting with a space continues the previous one."""
    assert text.endswith("\r\n")
    raw = text.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in raw)
    assert all(len(line.encode("utf-8")) <= 75 for line in raw), "content lines are folded at 75 octets"
    lines = []
    for line in raw:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def parse_events(text: str) -> tuple[dict, list[dict]]:
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    calendar, events, current = {}, [], None
    for line in lines[1:-1]:
        name, _sep, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        else:
            (current if current is not None else calendar)[name.split(";")[0]] = value
    return calendar, events


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars)
            out.append("\n" if nxt in "nN" else nxt)
        else:
            assert char not in ";,", "TEXT values escape ; and ,"
            out.append(char)
    return "".join(out)


def test_session_ics_is_valid_rfc5545_and_round_trips(client, sessions):
    session = sessions["upcoming"]
    response = client.get(reverse("trainings:session_ics", args=[session.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, events = parse_events(response.content.decode("utf-8"))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (event,) = events
    assert event["UID"] == f"{session.uid}@essor"
    for name in ("DTSTAMP", "DTSTART", "DTEND"):
        assert event[name].endswith("Z")
        datetime.strptime(event[name], "%Y%m%dT%H%M%SZ")
    assert datetime.strptime(event["DTSTART"], "%Y%m%dT%H%M%SZ").replace(
        tzinfo=UTC
    ) == session.starts_at.replace(microsecond=0)
    assert (
        unescape(event["SUMMARY"]) == session.module.title_fr
    )  # French page: French title, escaped and folded
    assert unescape(event["LOCATION"]) == "Webinaire"
    assert session.link not in response.content.decode()  # the connection link is for registered people


def test_calendar_feed_lists_sessions_in_english_too(client, sessions):
    with timezone.override("UTC"):
        response = client.get(reverse("trainings:calendar_ics").replace("/fr/", "/en/"))
    _calendar, events = parse_events(response.content.decode())
    summaries = {unescape(e["SUMMARY"]) for e in events}
    assert "Public procurement; social clauses" in summaries and len(events) == 2
    assert len({e["UID"] for e in events}) == 2


def test_fold_never_splits_a_character():
    line = "SUMMARY:" + "é" * 100
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_atom_feed_lists_upcoming_sessions_without_personal_data(client, sessions):
    response = client.get(reverse("trainings:session_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1  # the past session is not upcoming
    entry = entries[0]
    assert entry.find(f"{ATOM}id").text == f"urn:uuid:{sessions['upcoming'].uid}"
    assert entry.find(f"{ATOM}link").get("href").endswith(sessions["upcoming"].get_absolute_url())
    body = response.content.decode()
    assert "Secrète" not in body and "zoe.secrete" not in body and sessions["upcoming"].link not in body


def test_api_lists_paths_and_sessions_without_personal_data(client, sessions):
    paths = client.get("/api/v1/trainings/paths").json()
    assert {p["slug"] for p in paths} >= {sessions["upcoming"].module.path.slug}
    upcoming = client.get("/api/v1/trainings/sessions").json()
    assert [s["id"] for s in upcoming] == [sessions["upcoming"].pk]
    assert upcoming[0]["places_left"] == 1 and upcoming[0]["format"] == "webinar"
    past = client.get("/api/v1/trainings/sessions?when=past").json()
    assert [s["id"] for s in past] == [sessions["past"].pk]
    one = client.get(f"/api/v1/trainings/sessions/{sessions['upcoming'].pk}")
    body = one.content.decode()
    assert one.status_code == 200 and "Secrète" not in body and "zoe.secrete" not in body
    assert sessions["upcoming"].link not in body
    assert client.get("/api/v1/trainings/sessions/999999").status_code == 404
    assert len(client.get("/api/v1/trainings/sessions?when=all").json()) == 2
    assert (
        client.get("/api/v1/trainings/sessions?audience=prefect_delegate").json()[0]["id"]
        == sessions["upcoming"].pk
    )
    assert client.get("/api/v1/trainings/sessions?audience=resource_centre").json() == []
    bad = client.get("/api/v1/trainings/sessions?when=tomorrow")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_parameters"


def test_api_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/trainings/paths",
        "/api/v1/trainings/sessions",
        "/api/v1/trainings/sessions/{session_id}",
    } <= set(schema["paths"])


def test_feed_and_api_skip_unpublished_paths(client):
    hidden = SessionFactory(module__path__is_published=False, starts_at=timezone.now() + timedelta(days=2))
    assert client.get("/api/v1/trainings/sessions").json() == []
    assert str(hidden.uid) not in client.get(reverse("trainings:session_feed")).content.decode()


def test_feeds_and_api_links_follow_the_address_the_site_is_served_on(client, sessions, settings):
    """The site runs on port 8101 while ESSOR_SITE_URL still says 8000: links follow the request."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    host = {"HTTP_HOST": "127.0.0.1:8101"}
    session = sessions["upcoming"]
    expected = f"http://127.0.0.1:8101{session.get_absolute_url()}"
    _calendar, events = parse_events(client.get(reverse("trainings:calendar_ics"), **host).content.decode())
    assert expected in {event["URL"] for event in events}
    one = client.get(f"/api/v1/trainings/sessions/{session.pk}", **host).json()
    assert one["url"] == expected and one["ics_url"].startswith("http://127.0.0.1:8101/")
    paths = client.get("/api/v1/trainings/paths", **host).json()
    assert all(p["url"].startswith("http://127.0.0.1:8101/") for p in paths)
    feed = ET.fromstring(client.get(reverse("trainings:session_feed"), **host).content)
    assert feed.find(f"{ATOM}entry/{ATOM}link").get("href") == expected
    assert "127.0.0.1:8000" not in client.get(reverse("trainings:calendar_ics"), **host).content.decode()


def test_emails_without_a_request_link_to_the_site_url_setting(sessions, settings):
    from essor.trainings.emails import render_registration_email

    settings.SITE_URL = "https://essor.example.org"
    registration = sessions["upcoming"].registrations.get()
    _language, _subject, body = render_registration_email(registration, "confirmed")
    assert f"https://essor.example.org{sessions['upcoming'].get_absolute_url()}" in body


def test_atom_feed_dates_follow_the_feeds_language(client, sessions):
    start = timezone.localtime(sessions["upcoming"].starts_at, sessions["upcoming"].tzinfo)
    for language, expected in (("fr", f"{start:%d/%m/%Y %H:%M}"), ("en", None)):
        url = reverse("trainings:session_feed").replace("/fr/", f"/{language}/")
        title = ET.fromstring(client.get(url).content).find(f"{ATOM}entry/{ATOM}title").text
        assert f"{start:%Y-%m-%d}" not in title
        if expected:
            assert expected in title
