"""Build the wheel the site ships into a folder (default dist/): python scripts/build_wheel.py [DIR]

The same bytes as the site's ``assets/pyodide/`` wheel: sources plus Pyodide bytecode.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hooks.wheel import build_wheel

print(build_wheel(Path(sys.argv[1] if len(sys.argv) > 1 else "dist"), bytecode=True))
