"""The browser files the hub serves itself, copied from pinned npm packages.

Municipal networks are often cut off from the internet, so nothing the hub serves may
load from another host (issue 14). The packages and their exact versions are in
`assets/package.json` and `assets/package-lock.json` (with integrity hashes); `make deps`
runs `npm ci` there and then this module, which copies the files a page needs, with
each package's licence, into `static/vendor/` (not in git); then it removes
node_modules, so no file of a package but those is ever on disk to be served. To
update one: change its version in package.json, run `npm install --package-lock-only`
in `assets/`, and `make deps`.

    python -m referral_hub.web.vendor
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = HERE / "assets" / "node_modules"
VENDOR = HERE / "static" / "vendor"

# (package, file in the package, name under static/vendor/<package>/)
FILES: tuple[tuple[str, str], ...] = (
    ("graphiql", "graphiql.min.css"),
    ("graphiql", "graphiql.min.js"),
    ("@graphiql/plugin-explorer", "dist/style.css"),
    ("@graphiql/plugin-explorer", "dist/graphiql-plugin-explorer.umd.js"),
    ("react", "umd/react.production.min.js"),
    ("react-dom", "umd/react-dom.production.min.js"),
    ("whatwg-fetch", "dist/fetch.umd.js"),
    ("graphql-ws", "umd/graphql-ws.min.js"),
    ("htmx.org", "dist/htmx.min.js"),
    ("cytoscape", "dist/cytoscape.min.js"),
)
# A package without a LICENSE file names its licence in package.json; that file is kept.
_LICENCE_FILES = ("LICENSE", "LICENSE.md", "package.json")


def install() -> list[Path]:
    """Copy the files and each package's licence; refuses if `npm ci` has not run."""
    if not MODULES.is_dir():
        raise SystemExit(f"{MODULES} is missing: run `npm ci` in {MODULES.parent} first")
    copied = []
    for package, name in FILES:
        source = MODULES / package / name
        target = VENDOR / package / Path(name).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(target)
        for licence in _LICENCE_FILES:
            if (MODULES / package / licence).exists():
                shutil.copyfile(MODULES / package / licence, target.parent / licence)
                break
    return copied


if __name__ == "__main__":
    for path in install():
        sys.stdout.write(f"{path.relative_to(HERE)}\n")
