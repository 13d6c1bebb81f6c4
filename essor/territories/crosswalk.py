"""QPV 2015 -> 2024 crosswalk by area overlap, computed in a metric projection (Lambert-93 in mainland France).

For each 2015 QPV and each 2024 QPV that overlaps it: the share of the 2015 QPV's area inside the 2024 QPV,
and the share of the 2024 QPV's area inside the 2015 QPV. Overlaps below MIN_SHARE on both sides are slivers
along shared boundaries (both contours are rounded to ~10 m) and are not kept.
"""

from dataclasses import dataclass

import shapely

from essor.territories import geometry as geo

MIN_SHARE = 0.001  # 0.1 % of either QPV's area
SHARE_DECIMALS = 6


@dataclass(frozen=True)
class CrosswalkPair:
    code_2015: str
    code_2024: str
    share_of_2015_area: float
    share_of_2024_area: float


def compute_crosswalk(qpv_2015: dict, qpv_2024: dict, track=None) -> list[CrosswalkPair]:
    """`qpv_*`: {code: (WGS84 MultiPolygon, département code)}. Pairs sorted by 2015 code, largest share first."""
    track = track or (lambda iterable, description, total=None: iterable)
    if not qpv_2015 or not qpv_2024:
        return []
    codes_2024 = sorted(qpv_2024)
    tree = shapely.STRtree([qpv_2024[code][0] for code in codes_2024])
    projected_2024: dict[tuple[str, int], object] = {}
    pairs = []
    for code_2015 in track(sorted(qpv_2015), "QPV 2015 -> 2024", len(qpv_2015)):
        shape_2015, departement = qpv_2015[code_2015]
        epsg = geo.metric_epsg(departement)
        metric_2015 = geo.to_metric(shape_2015, epsg)
        area_2015 = metric_2015.area
        found = []
        for index in tree.query(shape_2015, predicate="intersects"):
            code_2024 = codes_2024[int(index)]
            key = (code_2024, epsg)
            if key not in projected_2024:
                projected_2024[key] = geo.to_metric(qpv_2024[code_2024][0], epsg)
            metric_2024 = projected_2024[key]
            overlap = metric_2015.intersection(metric_2024).area
            share_2015, share_2024 = overlap / area_2015, overlap / metric_2024.area
            if share_2015 >= MIN_SHARE or share_2024 >= MIN_SHARE:
                found.append(
                    CrosswalkPair(
                        code_2015,
                        code_2024,
                        round(share_2015, SHARE_DECIMALS),
                        round(share_2024, SHARE_DECIMALS),
                    )
                )
        pairs.extend(sorted(found, key=lambda pair: -pair.share_of_2015_area))
    return pairs
