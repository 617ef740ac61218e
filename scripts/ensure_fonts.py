"""Make sure DejaVu Sans exists for the link-preview images (``hooks/previews.py``).

Pillow's built-in font has no minus sign, ≈, × or superscript digits, which the pages'
titles and headline numbers use. Debian's ``fonts-dejavu-core`` is installed with
apt-get when we are root (CI and the project's machines); elsewhere the error says
what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hooks.previews import FONT_DIRS, FONTS

PACKAGE = "fonts-dejavu-core"


def found() -> Path | None:
    """The folder holding every font the images use, if any does."""
    return next((d for d in FONT_DIRS if all((d / name).is_file() for name in FONTS)), None)


def main() -> int:
    if found() is None and shutil.which("apt-get") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", PACKAGE], check=True, env=env)
    folder = found()
    if folder is None:
        print(f"error: DejaVu Sans ({', '.join(FONTS)}) not found in any of "
              f"{', '.join(map(str, FONT_DIRS))}; install Debian's {PACKAGE} "
              "(or your system's DejaVu fonts)", file=sys.stderr)
        return 1
    print(f"fonts: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
