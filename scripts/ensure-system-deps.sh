#!/usr/bin/env bash
# Makes sure the system packages the VS Code tests need are present:
#   chromium     the browser Playwright drives (Debian's /usr/bin/chromium; never Playwright's own download)
#   libkrb5-dev  Kerberos headers, which VS Code's server build compiles its `kerberos` module against
#   strace       records every connect() of the offline test layer (test/offline/)
#   cmake        with g++ and git: builds llama.cpp's llama-server for the remote-engine tests (scripts/build-llama-server.mjs)
# Usage: scripts/ensure-system-deps.sh [chromium] [krb5] [strace] [cmake]     (default: all four)
# Present: exits 0 quietly. Missing, as root or with passwordless sudo: installs them with apt-get.
# Otherwise: prints one line with the exact command to run, and exits 1.
# FREEHOLD_CHROMIUM=/path/to/chromium counts as Chromium being present.
set -euo pipefail

wanted=("$@")
[ ${#wanted[@]} -eq 0 ] && wanted=(chromium krb5 strace cmake)

missing=()
for what in "${wanted[@]}"; do
  case "$what" in
    chromium)
      if [ -n "${FREEHOLD_CHROMIUM:-}" ] && [ -x "${FREEHOLD_CHROMIUM}" ]; then continue; fi
      [ -x /usr/bin/chromium ] || missing+=(chromium)
      ;;
    krb5)
      { [ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ]; } && command -v krb5-config >/dev/null 2>&1 || missing+=(libkrb5-dev)
      ;;
    strace)
      command -v strace >/dev/null 2>&1 || missing+=(strace)
      ;;
    cmake)
      command -v cmake >/dev/null 2>&1 || missing+=(cmake)
      command -v g++ >/dev/null 2>&1 || command -v c++ >/dev/null 2>&1 || missing+=(g++)
      command -v git >/dev/null 2>&1 || missing+=(git)
      ;;
    *)
      echo "ensure-system-deps: unknown package group '$what' (known: chromium krb5 strace cmake)" >&2
      exit 2
      ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get install -y --no-install-recommends ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "freehold: the tests need ${missing[*]} (Chromium, the Kerberos development headers, strace, cmake/g++/git for llama-server); install them with your system's package manager." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "freehold: missing system packages for the VS Code tests; run: sudo apt-get update && sudo ${command}" >&2
  exit 1
fi

echo "freehold: installing ${missing[*]} with apt-get …" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "freehold: installed ${missing[*]}" >&2
