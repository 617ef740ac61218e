"""Serve a built site on loopback, optionally under a base path such as /repo/.

A GitHub Pages project site lives under /<repo>/; serving the tests' copy under a
prefix proves that no page depends on living at the origin's root. Text is gzipped
for clients that accept it, as GitHub Pages does, so the benchmark's Lighthouse runs
see the bytes a reader would.

usage: python scripts/serve.py SITE_DIR [--port 8000] [--base /]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import mimetypes
import os
import socket
import sys
import threading
from pathlib import Path
from typing import Any, BinaryIO

mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("text/javascript", ".js")
COMPRESSIBLE = ("text/", "application/json", "image/svg+xml")
_gzipped: dict[tuple[str, float], bytes] = {}


class Handler(http.server.SimpleHTTPRequestHandler):
    base = "/"
    protocol_version = "HTTP/1.1"  # keep-alive, as any real host

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.base):
            return str(Path(self.directory) / "__outside_base__")
        return super().translate_path("/" + path[len(self.base):])

    def do_GET(self) -> None:
        if self.path.split("?")[0] == self.base.rstrip("/") and self.base != "/":
            self.send_response(301)
            self.send_header("Location", self.base)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()

    def send_head(self) -> BinaryIO | None:
        path = self.translate_path(self.path.split("?")[0].split("#")[0])
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and os.path.isfile(path) and ctype.startswith(COMPRESSIBLE)):
            return super().send_head()
        key = (path, os.stat(path).st_mtime)
        if key not in _gzipped:
            _gzipped[key] = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
        body = _gzipped[key]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket],
                     client_address: Any) -> None:
        # A client that leaves mid-download (a reader, or a test or benchmark closing
        # its browser context) is no error of the server's.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def make_server(site: Path, port: int, base: str = "/") -> Server:
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    handler = type("BoundHandler", (Handler,), {"base": base})
    return Server(("127.0.0.1", port), functools.partial(handler, directory=str(site)))


def serve_in_thread(site: Path, port: int, base: str = "/") -> Server:
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
