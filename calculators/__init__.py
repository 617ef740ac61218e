"""The arithmetic of sections 4.1-4.2 of Carlsmith's report, exact in log space.

Standard library only: the same code runs natively and in stock Pyodide.
"""

from .bridge import run, run_json
from .parse import InputError, Parsed, parse_field
from .registry import CALCULATORS
from .spec import Calculator, ChartSpec, Field, OutputSpec, Preset
from .version import __version__

__all__ = [
    "CALCULATORS",
    "Calculator",
    "ChartSpec",
    "Field",
    "InputError",
    "OutputSpec",
    "Parsed",
    "Preset",
    "__version__",
    "parse_field",
    "run",
    "run_json",
]
