"""Widgets (framed by other sites, titled, both languages), the embed-code generator, oEmbed and its discovery."""

import html
import re

import pytest

from essor.trainings.models import SessionFormat
from essor.trainings.tests.factories import SessionFactory

FIGURES = "/{lang}/widgets/territoires/epci/243100518/chiffres/"


def _frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part.strip() for part in policy.split(";") if part.strip().startswith("frame-ancestors"))


@pytest.mark.parametrize(
    "lang, title, label",
    [
        ("fr", "Chiffres clés de l'ESS : Toulouse Métropole", "Établissements de l'ESS"),
        ("en", "Key figures of the ESS: Toulouse Métropole", "ESS establishments"),
    ],
)
def test_figures_widget_may_be_framed_and_shows_the_territory_figures(client, release, lang, title, label):
    response = client.get(FIGURES.format(lang=lang))
    assert response.status_code == 200
    assert _frame_ancestors(response) == "frame-ancestors *"
    assert not response.has_header("X-Frame-Options")
    page = html.unescape(response.content.decode())
    assert f"<title>{title} · essor</title>" in page
    assert label in page
    assert re.search(r"<dd>10</dd>", page)  # ESS establishments of Toulouse Métropole
    assert "widget-frame.js" in page and "<script>" not in page  # no inline script (CSP)
    # every other page stays unframeable
    other = client.get(f"/{lang}/donnees-ouvertes/")
    assert _frame_ancestors(other) == "frame-ancestors 'none'" and other["X-Frame-Options"] == "DENY"


def test_widget_frame_ancestors_follow_the_setting(client, release, settings):
    settings.ESSOR_WIDGET_FRAME_ANCESTORS = ["https://lagrandeequipe.example"]
    response = client.get(FIGURES.format(lang="fr"))
    assert _frame_ancestors(response) == "frame-ancestors https://lagrandeequipe.example"


def test_chart_widget_has_its_image_and_table(client, release):
    response = client.get("/en/widgets/territoires/epci/243100518/graphiques/families/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "ESS establishments by family — Toulouse Métropole" in page
    assert 'src="/en/observatoire/territoires/epci/243100518/graphiques/families.svg"' in page
    assert "<summary>Data table</summary>" in page
    assert client.get("/en/widgets/territoires/epci/243100518/graphiques/pie/").status_code == 404


def test_widget_pinned_to_an_older_release_shows_its_figures(client, release, older_release):
    response = client.get(FIGURES.format(lang="en") + "?release=2026-10-01")
    page = html.unescape(response.content.decode())
    assert "SIRENE release of Oct. 1, 2026" in page or "SIRENE release of October 1, 2026" in page
    chart = client.get("/en/widgets/territoires/epci/243100518/graphiques/families/?release=2026-10-01")
    assert "families.svg?release=2026-10-01" in chart.content.decode()
    assert client.get(FIGURES.format(lang="en") + "?release=1999-01-01").status_code == 404


def test_sessions_widget_lists_the_upcoming_sessions_of_a_region(client, territories):
    SessionFactory(
        module__title_fr="Webinaire ESS et QPV", module__title_en="ESS and QPV webinar", cress_region="76"
    )
    SessionFactory(
        module__title_fr="Atelier lyonnais",
        format=SessionFormat.IN_PERSON,
        place="Lyon",
        link="",
        cress_region="84",
    )
    response = client.get("/fr/widgets/formations/sessions/?region=76")
    page = html.unescape(response.content.decode())
    assert "<title>Prochaines sessions de formation essor — Occitanie · essor</title>" in page
    assert "Webinaire ESS et QPV" in page and "Atelier lyonnais" not in page
    assert "visio.example.org" not in page  # the connection link is for registered people only
    english = html.unescape(
        client.get("/en/widgets/formations/sessions/?audience=prefect_delegate").content.decode()
    )
    assert "ESS and QPV webinar" in english and "Prefect's delegate" in english
    assert client.get("/fr/widgets/formations/sessions/?audience=martians").status_code == 404


def test_embed_generator_gives_a_titled_iframe_and_the_resize_script(client, release):
    response = client.get(
        "/en/integrer/", {"widget_kind": "figures", "territory": "epci:243100518", "language": "fr"}
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    code = re.search(r'<textarea id="embed-code-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert 'src="http://testserver/fr/widgets/territoires/epci/243100518/chiffres/"' in code
    assert 'title="Chiffres clés de l\'ESS : Toulouse Métropole"' in code
    assert '<script src="http://testserver/static/diffusion/embed.js" async></script>' in code
    assert "data-essor-widget" in page and 'src="/fr/widgets/territoires/epci/243100518/chiffres/"' in page


def test_embed_generator_finds_a_territory_by_name_and_pins_a_release(client, release, older_release):
    response = client.get(
        "/fr/integrer/",
        {
            "widget_kind": "chart",
            "territory": "Lyon",
            "chart": "sectors",
            "release": "2026-10-01",
            "language": "en",
        },
    )
    code = html.unescape(
        re.search(r"<textarea[^>]*>(.*?)</textarea>", response.content.decode(), re.S).group(1)
    )
    assert "/en/widgets/territoires/epci/200046977/graphiques/sectors/?release=2026-10-01" in code
    assert 'title="Top sectors of the ESS (NAF divisions) — Métropole de Lyon"' in code
    missing = client.get("/fr/integrer/", {"widget_kind": "figures", "territory": "Atlantide"})
    assert "Aucun territoire ne correspond" in html.unescape(missing.content.decode())


def test_oembed_for_a_territory_page_and_a_widget(client, release):
    answer = client.get(
        "/oembed", {"url": "http://testserver/en/territoires/epci/243100518/", "maxwidth": 300}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["type"] == "rich" and body["version"] == "1.0"
    assert body["title"] == "Key figures of the ESS: Toulouse Métropole"
    assert body["width"] == 300
    assert '<iframe src="http://testserver/en/widgets/territoires/epci/243100518/chiffres/"' in body["html"]
    sessions = client.get(
        "/oembed", {"url": "http://testserver/fr/widgets/formations/sessions/?region=76"}
    ).json()
    assert "?region=76" in sessions["html"] and "Occitanie" in sessions["title"]
    assert client.get("/oembed", {"url": "http://testserver/fr/ressources/"}).status_code == 404
    assert (
        client.get(
            "/oembed", {"url": "http://testserver/en/territoires/epci/243100518/", "format": "xml"}
        ).status_code
        == 501
    )


def test_embeddable_pages_advertise_oembed(client, release):
    page = client.get("/en/territoires/epci/243100518/").content.decode()
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', page)
    assert link is not None
    answer = client.get(html.unescape(link.group(1)).removeprefix("http://testserver"))
    assert answer.status_code == 200 and answer.json()["type"] == "rich"
    widget = client.get(FIGURES.format(lang="fr")).content.decode()
    assert 'type="application/json+oembed"' in widget
    assert 'type="application/json+oembed"' not in client.get("/en/donnees-ouvertes/").content.decode()
