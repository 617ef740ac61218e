"""Serve a built site on loopback, optionally under a base path such as /repo/.

A GitHub Pages project site lives under /<repo>/; serving the tests' copy under a
prefix proves that no page depends on living at the origin's root.

usage: python scripts/serve.py SITE_DIR [--port 8000] [--base /]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import mimetypes
import threading
from pathlib import Path

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("text/javascript", ".js")


class Handler(http.server.SimpleHTTPRequestHandler):
    base = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.base):
            return str(Path(self.directory) / "__outside_base__")
        return super().translate_path("/" + path[len(self.base):])

    def do_GET(self) -> None:
        if self.path.split("?")[0] == self.base.rstrip("/") and self.base != "/":
            self.send_response(301)
            self.send_header("Location", self.base)
            self.end_headers()
            return
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def make_server(site: Path, port: int, base: str = "/") -> http.server.ThreadingHTTPServer:
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    handler = type("BoundHandler", (Handler,), {"base": base})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(site))
    )
    server.daemon_threads = True
    return server


def serve_in_thread(site: Path, port: int, base: str = "/") -> http.server.ThreadingHTTPServer:
    server = make_server(site, port, base)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--base", default="/")
    args = ap.parse_args()
    server = make_server(args.site, args.port, args.base)
    print(f"serving {args.site} at http://127.0.0.1:{args.port}{args.base}  (Ctrl-C stops)")
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
