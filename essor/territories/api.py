"""Public API of the territorial reference: QPV 2024 lookup of a point."""

from ninja import Field, Router, Schema

from essor.core.api_schemas import ErrorOut
from essor.core.errors import ApiError
from essor.territories import locate

router = Router(tags=["territories"])


# ---- QPV lookup: GET /api/v1/qpv/locate?lon=&lat=


class CommuneOut(Schema):
    code: str = Field(description="INSEE code of the commune (text: 2A004, 97411).")
    name: str = Field(description="Name of the commune (COG).")


class QpvOut(Schema):
    id: str = Field(description="Territory identifier, `qpv:CODE`.", examples=["qpv:QN03104M"])
    code: str = Field(
        description="QPV 2024 code (QN + département + number + letter).", examples=["QN03104M"]
    )
    name: str = Field(description="Official name of the QPV.", examples=["Barradels"])
    communes: list[CommuneOut] = Field(description="Communes the QPV lies in.")


class NearestOut(Schema):
    qpv: QpvOut = Field(
        description="The QPV 2024 whose contour is the closest (the containing one if inside)."
    )
    distance_m: float = Field(
        description="Distance from the point to that contour in metres (0 inside or on the boundary), measured "
        "in the official metric projection of the territory (Lambert-93, or the overseas UTM zone); beyond "
        "50 km, geodesic distance on the WGS84 ellipsoid."
    )


class PointOut(Schema):
    lon: float = Field(description="Longitude, WGS84 decimal degrees.")
    lat: float = Field(description="Latitude, WGS84 decimal degrees.")
    crs: str = Field(description="Coordinate reference system of lon/lat.", examples=["EPSG:4326"])


class ReferenceOut(Schema):
    generation: int = Field(description="QPV generation searched.", examples=[2024])
    version: str | None = Field(
        description="Date of the latest load of the territorial reference (`essor territories load`)."
    )
    qpv_count: int = Field(description="Number of QPV 2024 contours searched.")


class LocateOut(Schema):
    point: PointOut
    inside: bool = Field(description="True when the point is inside a QPV 2024 or on its boundary.")
    qpv: QpvOut | None = Field(description="The QPV 2024 containing the point, or null.")
    nearest: NearestOut | None = Field(description="The nearest QPV 2024 and the distance to it.")
    reference: ReferenceOut


def _coordinate_parameter(name: str, low: int, high: int, example: float) -> dict:
    return {
        "in": "query",
        "name": name,
        "required": True,
        "description": f"{locate.COORDINATE_LABELS[name].capitalize()}, WGS84 decimal degrees ({low}..{high}).",
        "schema": {"type": "number", "minimum": low, "maximum": high},
        "example": example,
    }


# The parameters are read as text from the query string (not from the view's signature, which would declare them
# a second time) so that every mistake (missing, not a number, NaN, out of range) gets the same clear message as
# the command line; the schema below documents them, once, as numbers.
LOCATE_PARAMETERS = [
    _coordinate_parameter("lon", -180, 180, 1.3819),
    _coordinate_parameter("lat", -90, 90, 43.6397),
]


@router.get(
    "/qpv/locate",
    response={200: LocateOut, 400: ErrorOut, 503: ErrorOut},
    summary="QPV 2024 of a point",
    description=(
        "Which QPV 2024 contains the point (a point on the boundary counts as inside), and the nearest QPV with "
        "its distance in metres. Coordinates: WGS84 longitude and latitude in decimal degrees. Invalid or "
        "missing coordinates answer 400 `invalid_coordinates`; 503 `reference_not_loaded` before the first "
        "load of the territorial reference."
    ),
    openapi_extra={"parameters": LOCATE_PARAMETERS},
)
def locate_point(request):
    try:
        lon_value, lat_value = locate.parse_lon_lat(request.GET.get("lon"), request.GET.get("lat"))
    except locate.InvalidCoordinates as exc:
        raise ApiError(400, "invalid_coordinates", str(exc), exc.errors) from None
    try:
        index = locate.get_index()
    except locate.ReferenceNotLoaded as exc:
        raise ApiError(503, "reference_not_loaded", str(exc)) from None
    return locate.location_payload(index, lon_value, lat_value)
