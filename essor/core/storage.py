"""Static files in production: WhiteNoise's compressed, hashed storage, without rewriting source-map comments.

Vendored libraries (Swagger UI, Leaflet) point to `.map` files they do not ship; Django's manifest storage would
then stop `collectstatic` ("could not be found"). Source maps are a debugging aid: their comments are left as is.
"""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    return tuple(
        (extension, tuple(p for p in rules if "sourceMappingURL" not in str(p)))
        for extension, rules in patterns
    )


class CompressedStaticStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)


class HashedStaticStorage(ManifestStaticFilesStorage):
    patterns = _without_source_maps(ManifestStaticFilesStorage.patterns)
