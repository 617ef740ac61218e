"""Ship Pyodide, the calculators wheel, its lock file and the memory snapshot as the
site build does, without building the site: python scripts/ship_pyodide.py [DIR]

Writes DIR/assets/pyodide/ (default DIR: build/pyodide-site) and prints that folder.
The Pyodide-in-Node tests restore the snapshot from it (tests/pyodide/snapshot.mjs).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hooks.shipping import ship_pyodide

print(ship_pyodide(Path(sys.argv[1] if len(sys.argv) > 1 else "build/pyodide-site")))
