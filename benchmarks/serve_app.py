"""``python -m benchmarks.serve_app (govmap|pygeoapi) PORT THREADS`` — one app under waitress on 127.0.0.1.

govmap: ``webmap.create_app()``, exactly as ``govmap serve`` builds it.
pygeoapi: its own Flask app, configured by ``PYGEOAPI_CONFIG``/``PYGEOAPI_OPENAPI`` set by the caller.
"""

from __future__ import annotations

import sys
import warnings


def main() -> None:
    warnings.simplefilter("ignore")
    which, port, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if which == "govmap":
        from webmap import create_app

        app = create_app()
    else:
        from pygeoapi.flask_app import APP as app
    import waitress

    print(f"serving {which} on 127.0.0.1:{port}", flush=True)
    waitress.serve(app, host="127.0.0.1", port=port, threads=threads, ident=which, _quiet=True)


if __name__ == "__main__":
    main()
