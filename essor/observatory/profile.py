"""Observatory section of a territory page (filled by the observatory app)."""


def observatory_profile(ref, request) -> dict:
    return {}
