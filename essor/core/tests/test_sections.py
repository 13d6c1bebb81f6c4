"""The registry of page sections: order, sections left out, one page made of several, unknown pages."""

import pytest
from django.test import RequestFactory

from essor.core import sections

# Rendering runs every registered section of a page, and apps' sections read their own tables.
pytestmark = pytest.mark.django_db


@pytest.fixture
def scratch_sections():
    """Sections registered by a test on the home page, removed afterwards (the registry is process-wide)."""
    keys = []

    def add(key, order, context):
        sections.register("home", key=key, order=order, template="core/tests/section.html", context=context)
        keys.append(key)

    yield add
    for key in keys:
        sections.unregister("home", key)


@pytest.fixture(autouse=True)
def section_template(settings, tmp_path):
    (tmp_path / "core" / "tests").mkdir(parents=True)
    (tmp_path / "core" / "tests" / "section.html").write_text("<p>{{ section.key }}: {{ text }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]


def test_sections_render_in_order_and_none_leaves_one_out(scratch_sections):
    scratch_sections("late", 900, lambda request, obj: {"text": f"late for {obj}"})
    scratch_sections("hidden", 500, lambda request, obj: None)
    scratch_sections("early", 1, lambda request, obj: {"text": request.path})
    request = RequestFactory().get("/somewhere/")

    html = sections.render_sections("home", request, "Toulouse")

    assert [fragment.strip() for fragment in html] == [
        "<p>early: /somewhere/</p>",
        "<p>late: late for Toulouse</p>",
    ]


def test_a_section_context_is_escaped(scratch_sections):
    scratch_sections("unsafe", 1, lambda request, obj: {"text": "<script>alert(1)</script>"})

    (html,) = sections.render_sections("home", RequestFactory().get("/"), None)

    assert "<script>" not in html and "&lt;script&gt;" in html


def test_registering_a_key_again_replaces_it(scratch_sections):
    scratch_sections("twice", 1, lambda request, obj: {"text": "first"})
    scratch_sections("twice", 1, lambda request, obj: {"text": "second"})

    assert [fragment.strip() for fragment in sections.render_sections("home", None, None)] == [
        "<p>twice: second</p>"
    ]


def test_a_qpv_page_gathers_both_pages_by_order():
    keys = [section.key for section in sections.sections_of(("territory", "qpv"))]

    assert keys.index("observatory") < keys.index("trainings")
    assert [section.order for section in sections.sections_of(("territory", "qpv"))] == sorted(
        section.order for section in sections.sections_of(("territory", "qpv"))
    )


def test_an_unknown_page_is_refused():
    with pytest.raises(ValueError, match="Unknown page 'territorry'"):
        sections.register("territorry", key="x", order=1, template="x.html", context=lambda r, o: {})
