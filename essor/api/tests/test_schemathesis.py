"""A bounded schemathesis run over every operation of the OpenAPI schema, against the real WSGI application.

A 20-digit `page` answered a 500 with an HTML page: the schema did not say what the API accepts nor answers.
Each operation gets a fixed number of generated requests (valid ones, then ones that break the schema), with a
fixed seed, on a small dataset (the observatory's hand-counted release, a catalogue, training sessions). Every
answer must be: not a server error, a status code the schema declares, the declared content type, headers and
a body that validates against the declared schema.
"""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from shapely.geometry import shape

from essor.api.api import api
from essor.observatory.tests.conftest import build_release, build_territories
from essor.observatory.tests.factories import SQUARE
from essor.resources.tests.conftest import catalogue  # noqa: F401 (a fixture)
from essor.sirene.models import EssEstablishment
from essor.territories import geometry, locate
from essor.territories.models import Qpv
from essor.trainings.tests.factories import SessionFactory, past_session

# Per operation and run (33 runs): the whole file takes about 35 s of CPU, database set-up included.
EXAMPLES = 10
SEED = 20261202
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
PATHS = api.get_openapi_schema()["paths"]
KNOWN = "known"  # valid requests naming something the dataset holds (generated slugs and codes name nothing)
# Valid requests for every operation; requests breaking the schema where a query parameter can be broken (a slug
# in a path, or no parameter at all, has no invalid value); valid requests on the dataset's own rows.
RUNS = [
    (method.upper(), path, mode)
    for path, operations in PATHS.items()
    for method, operation in operations.items()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE, KNOWN)
    if mode == GenerationMode.POSITIVE
    or (mode == GenerationMode.NEGATIVE and any(p["in"] == "query" for p in operation.get("parameters", [])))
    or (mode == KNOWN and "{" in path)
]


@pytest.fixture
def dataset(db, catalogue, settings):  # noqa: F811
    # The quota is tested in essor.diffusion; here every generated request must reach its operation.
    settings.ESSOR_RATE_LIMITS = {**settings.ESSOR_RATE_LIMITS, "api": "0", "api-key": "0"}
    build_territories()
    Qpv.objects.update(geometry=geometry.to_wkb(shape(json.loads(SQUARE))))  # the QPV lookup reads contours
    release = build_release()
    session = SessionFactory()
    past_session()
    locate.clear_cache()
    toulouse = {"kind": "epci", "code": "243100518"}
    yield {
        "/api/v1/territories/{kind}/{code}/indicators": toulouse,
        "/api/v1/territories/{kind}/{code}/establishments": toulouse,
        "/api/v1/establishments/{siret}": {
            "siret": EssEstablishment.objects.filter(release=release)[0].siret
        },
        "/api/v1/resources/{slug}": {"slug": "guide-scic"},
        "/api/v1/experiences/{slug}": {"slug": "dijon"},
        "/api/v1/collections/{slug}": {"slug": "premiers-pas"},
        "/api/v1/trainings/paths/{slug}": {"slug": session.module.path.slug},
        "/api/v1/trainings/sessions/{session_id}": {"session_id": session.pk},
    }
    locate.clear_cache()


@pytest.fixture
def api_schema(dataset):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.mark.parametrize(("method", "path", "mode"), RUNS, ids=[f"{m} {p} {mode}" for m, p, mode in RUNS])
def test_every_answer_conforms_to_the_schema(api_schema, dataset, method, path, mode):
    operation = api_schema[path][method]
    if mode == KNOWN:
        strategy = operation.as_strategy(path_parameters=dataset[path])
    else:
        strategy = operation.as_strategy(generation_mode=mode)
    answered: list[int] = []

    @seed(SEED)
    @settings(
        max_examples=EXAMPLES,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def call(case):
        response = case.call()
        answered.append(response.status_code)
        case.validate_response(response, checks=CHECKS)

    call()
    assert answered, "no request was generated"
    if mode == KNOWN or (mode == GenerationMode.POSITIVE and "{" not in path):
        assert 200 in answered, f"no valid request succeeded: {sorted(set(answered))}"
