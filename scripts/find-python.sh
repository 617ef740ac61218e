#!/usr/bin/env bash
# Print the path of a Python 3.12+ interpreter, or fail. pyenv shims for versions
# that are installed but not selected fail unless PYENV_VERSION is set, so we ask
# each candidate to run and check its version rather than trusting its name.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for v in 3.14 3.13 3.12; do
  command -v "python$v" >/dev/null 2>&1 && candidates+=("$(command -v "python$v")")
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for d in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
    candidates+=("$d/bin/python3")
  done
fi
candidates+=(python3)
for c in "${candidates[@]}"; do
  if ok "$c"; then
    command -v "$c" 2>/dev/null || echo "$c"
    exit 0
  fi
done
echo "error: no Python 3.12+ found (set PYTHON=/path/to/python3.12)" >&2
exit 1
