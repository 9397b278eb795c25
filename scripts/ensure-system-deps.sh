#!/usr/bin/env bash
# Installs the system packages the VS Code tests need when they are missing: Chromium (the browser
# Playwright drives) and the Kerberos headers VS Code's server build compiles against.
# As root (or with passwordless sudo) it installs them with apt; otherwise it prints the one command to run.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/include/krb5.h ] || missing+=(libkrb5-dev)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "freehold: the tests need ${missing[*]} (Chromium and the Kerberos development headers); install them with your package manager." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "freehold: missing system packages; run: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "freehold: installing ${missing[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
