#!/usr/bin/env bash
# Fetches Debian's Xen source package for SUITE (default bookworm) through a private apt
# configuration (own sources list on the mirror of the system's apt sources, own lists and cache;
# `apt-get source --download-only --tar-only`, hash-checked against the signed Sources index) and
# unpacks it into CACHE/<tarball name>/tree, once. Prints the tree's path. For TreeTargetTest.
#
# usage: fetch-xen-source.sh CACHE [SUITE]
set -euo pipefail
[[ $# -ge 1 ]] || { echo "usage: $0 CACHE [SUITE]" >&2; exit 2; }
mkdir -p "$1"
CACHE="$(cd "$1" && pwd)"
SUITE="${2:-bookworm}"
WORK="$(mktemp -d "$CACHE/.fetch-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/lists/partial" "$WORK/parts" "$WORK/cache/archives/partial" "$WORK/dl"
: > "$WORK/status"
mirror="${DEBIAN_MIRROR:-$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' \
  /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}"
[[ -n "$mirror" ]] || { echo "no Debian archive in the system's apt sources (set DEBIAN_MIRROR)" >&2; exit 1; }
printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
  "$mirror" "$SUITE" /usr/share/keyrings/debian-archive-keyring.gpg > "$WORK/src.sources"
APT=(apt-get -q -o "Dir::Etc::sourcelist=$WORK/src.sources" -o "Dir::Etc::sourceparts=$WORK/parts"
     -o "Dir::State::Lists=$WORK/lists" -o "Dir::Cache=$WORK/cache" -o "Dir::State::status=$WORK/status"
     -o "APT::Sandbox::User=root" -o "Acquire::Retries=2")
"${APT[@]}" update >"$WORK/update.log" 2>&1 || { cat "$WORK/update.log" >&2; exit 1; }
(cd "$WORK/dl" && "${APT[@]}" source --download-only --tar-only "xen/$SUITE" >"$WORK/source.log" 2>&1) \
  || { cat "$WORK/source.log" >&2; exit 1; }
tarball="$(ls "$WORK"/dl/xen_*.orig.tar.* | head -n1)"
entry="$CACHE/$(basename "$tarball" | sed 's/\.orig\.tar\..*//')"
if [[ ! -f "$entry/tree/xen/Makefile" ]]; then
  rm -rf "$entry" && mkdir -p "$entry/tree"
  tar -xf "$tarball" -C "$entry/tree" --strip-components=1
fi
echo "$entry/tree"
