#!/usr/bin/env bash
# What the notify tests and benchmark need beyond the build: the real mail-merge tool (PyPI mailmerge 2.x), a local
# SMTP sink (PyPI aiosmtpd) and, for .ci/bench-notify only, DuckDB (PyPI duckdb). Installs only what is missing.
set -euo pipefail

command -v python3 >/dev/null 2>&1 || { echo "setup: notify needs python3" >&2; exit 1; }
need=()
# The mailmerge command (2.3 does not run as `python3 -m mailmerge`) is on PATH or in pip's user scripts folder.
has_mailmerge() {
  python3 -c 'import mailmerge' >/dev/null 2>&1 || return 1
  command -v mailmerge >/dev/null 2>&1 || [ -x "$(python3 -m site --user-base)/bin/mailmerge" ]
}
has_mailmerge || need+=("mailmerge>=2.3,<3")
python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need+=("aiosmtpd")
if [ "${POLICYC_BENCH:-}" = 1 ]; then python3 -c 'import duckdb' >/dev/null 2>&1 || need+=("duckdb"); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} with pip" >&2
  # --break-system-packages: Debian marks its Python as externally managed; these are test tools for this user.
  python3 -m pip install --quiet --user --break-system-packages "${need[@]}" 2>/dev/null \
    || python3 -m pip install --quiet --user "${need[@]}"
fi
