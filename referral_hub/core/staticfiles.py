"""The storage `collectstatic` writes production's static files with (settings.STORAGES).

WhiteNoise's compressed manifest storage: hashed names a browser may cache for a year,
and gzip/brotli copies made once. Minus one of Django's rewrites: the vendored bundles
end in a `sourceMappingURL` comment naming a map the hub does not ship
(referral_hub/web/vendor.py copies the minified files alone), which would stop
collectstatic with a missing file; such a comment is left as it is (a browser's
developer tools ask for the map and get a 404, as without collectstatic).
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns: Any) -> tuple[Any, ...]:
    kept = []
    for glob, rewrites in patterns:
        rest = tuple(r for r in rewrites if "sourceMappingURL" not in str(r))
        if rest:
            kept.append((glob, rest))
    return tuple(kept)


class HubStaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
