"""An edition over the observatory's hand-counted release (see essor/observatory/tests/conftest.py): three
métropoles (Toulouse with a QPV, Lyon, Grand Paris with nothing located) and four release figures."""

import pytest

from essor.accounts.models import Role
from essor.accounts.tests.factories import make_user
from essor.observatory.precompute import precompute_release
from essor.observatory.tests.conftest import build_release, build_territories
from essor.study.models import Block, BlockKind, Chapter, Edition, Study

FIGURES = ["benchmark_ess_share", "families", "zones", "benchmark_qpv_share"]


def make_edition(study=None, *, slug="intermediaire", figures=FIGURES, **fields) -> Edition:
    study = study or Study.objects.create(slug="etude", title_fr="Étude", title_en="Study")
    edition = Edition.objects.create(
        study=study,
        slug=slug,
        kind="intermediate",
        title_fr="Territoires urbains et ESS",
        title_en="Urban regions and the SSE",
        **fields,
    )
    first = Chapter.objects.create(
        edition=edition, code="etat", order=1, title_fr="État des lieux", title_en="Where things stand"
    )
    second = Chapter.objects.create(
        edition=edition, code="qpv", order=2, title_fr="Quartiers", title_en="Neighbourhoods"
    )
    Block.objects.create(
        chapter=first,
        code="intro",
        order=1,
        body_fr="Les **métropoles** comptent.",
        body_en="**Metropolises** count.",
    )
    half = len(figures) // 2
    for order, kind in enumerate(figures[:half], start=2):
        Block.objects.create(chapter=first, code=f"f{order}", order=order, kind=BlockKind.FIGURE, figure=kind)
    Block.objects.create(
        chapter=second,
        code="citation",
        order=1,
        kind=BlockKind.QUOTE,
        body_fr="Une citation.",
        body_en="A quote.",
        attribution="Une élue",
    )
    for order, kind in enumerate(figures[half:], start=2):
        Block.objects.create(
            chapter=second, code=f"f{order}", order=order, kind=BlockKind.FIGURE, figure=kind
        )
    return edition


@pytest.fixture
def release(db):
    build_territories()
    release = build_release()
    precompute_release(release)
    return release


@pytest.fixture
def edition(release):
    return make_edition()


def user_with(role):
    return make_user(role=role)


@pytest.fixture
def editor(db):
    return user_with(Role.EDITOR)


@pytest.fixture
def admin_user(db):
    return user_with(Role.PROGRAMME_ADMIN)


@pytest.fixture
def member(db):
    return user_with(Role.MEMBER)
