#!/usr/bin/env bash
# Builds the QEMU xenstore target: QEMU's own hw/i386/kvm/xenstore_impl.c, compiled unmodified
# against our stub headers and linked with our xs_wire front end (src/main/c/qemu-xs).
#
# QEMU's source is never committed. It comes from Debian's archive at build time: a private apt
# configuration (own sources file, lists and cache dirs; the system's apt setup untouched) downloads only
# the upstream tarball (`apt-get source --tar-only`, hash-checked against the signed Sources index),
# from trixie, else bookworm-backports. Only the handful of files the build needs are extracted.
#
# Usage: build-qemu-xs.sh WORK_DIR NATIVE_DIR   (run by Maven in generate-resources)
#   WORK_DIR    extracted source, objects, logs (sut-adapters/target/qemu-xs)
#   NATIVE_DIR  gets qemu-xs-server and qemu-xs.properties, the build record the Java launcher
#               reads; Maven packages both as classpath resources native/...
#
# Caches, newest first: WORK_DIR/src (survives until `mvn clean`), then
# $XSCHECK_CACHE/qemu/<tarball>/ (default ~/.cache/xscheck; ~200 KB of extracted files, survives
# `mvn clean`, so a clean build does not download 40 MB again). The tarball and the apt indexes are
# deleted once the files are extracted.
#
# Env: XSCHECK_QEMU_VERSION  exact Debian source version, e.g. 1:10.0.13+ds-0+deb13u1 (pins it:
#                            caches of other versions are ignored; only versions the archive still has)
#      XSCHECK_QEMU_SUITES   suites to try, in order (default "trixie bookworm-backports")
#      XSCHECK_CACHE         user cache root (default ${XDG_CACHE_HOME:-~/.cache}/xscheck; "none" = off)
#      DEBIAN_MIRROR         archive URI (default: the system's debian.sources, else deb.debian.org)
#      XSCHECK_QEMU=skip     do not build; the target is then reported as not installed
#
# Exit status: 0 when the target was built, and also when QEMU's source could not be obtained (the
# whole project must still build; qemu-xs.properties then says status=missing and why, and the QEMU tests
# fail when CI is set). Non-zero when the source was obtained but our build or QEMU's own unit test
# failed: that is a defect in our code, not an environment problem.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 WORK_DIR NATIVE_DIR" >&2; exit 2; }
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FRONT_END="$(cd "$HERE/../c/qemu-xs" && pwd)"
mkdir -p "$1" "$2"
OUT="$(cd "$1" && pwd)"
NATIVE="$(cd "$2" && pwd)"
PROPS="$NATIVE/qemu-xs.properties"
SUITES="${XSCHECK_QEMU_SUITES:-trixie bookworm-backports}"
PIN="${XSCHECK_QEMU_VERSION:-}"
BINARY="$NATIVE/qemu-xs-server"
START=$SECONDS

# xenstore_impl.c as read and probed when this front end was written (QEMU 10.0.2 and 10.0.13 ship
# the same file). Another version still builds, with a warning: its behaviour may have moved.
VALIDATED_IMPL_SHA256="45dba7d1cd1837a4ce5634bb3053c4105a3e1f8eeba93e5fa5b98edbd9e4569b"

# Only these members of the tarball are needed ('*' is its top directory, e.g. qemu-10.0.13).
MEMBERS=(
  hw/i386/kvm/xenstore_impl.c
  hw/i386/kvm/xenstore_impl.h
  hw/i386/kvm/xen_xenstore.h
  include/hw/xen/xen_backend_ops.h
  include/hw/xen/interface/xen.h
  include/hw/xen/interface/io/xenbus.h
  include/hw/xen/interface/io/xs_wire.h
  tests/unit/test-xs-node.c
  COPYING
)

log() { echo "[build-qemu-xs] $*" >&2; }

write_props() { # status, then key=value lines
  local status="$1"; shift
  { echo "# Written by build-qemu-xs.sh; read by io.xscheck.sut.qemu.QemuBuild."
    echo "status=$status"
    local kv; for kv in "$@"; do echo "$kv"; done
  } > "$PROPS.tmp"
  mv "$PROPS.tmp" "$PROPS"
}

# The target is optional for the build: report it missing and let the project build go on.
missing() {
  log "QEMU target NOT installed: $*"
  rm -f "$BINARY"
  write_props missing "reason=$*"
  exit 0
}

# Several builds in one tree (or two mvn runs) must not interleave in WORK_DIR.
exec 9>"$OUT/.lock"
flock 9

if [[ "${XSCHECK_QEMU:-}" == skip ]]; then
  missing "skipped (XSCHECK_QEMU=skip)"
fi
for tool in gcc pkg-config tar xz flock; do
  command -v "$tool" >/dev/null 2>&1 || missing "$tool is not installed (./xscheck provision installs it)"
done
pkg-config --exists glib-2.0 || missing "glib-2.0 development files are not installed (libglib2.0-dev)"

if [[ "${XSCHECK_CACHE:-}" == none ]]; then
  USER_CACHE=""
else
  USER_CACHE="${XSCHECK_CACHE:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/xscheck}/qemu"
fi

SRC="$OUT/src"

# A source tree is usable when it has every member and, if a version is pinned, is that version.
usable() { # dir
  local dir="$1" m
  [[ -f "$dir/.from" ]] || return 1
  for m in "${MEMBERS[@]}"; do [[ -f "$dir/$m" ]] || return 1; done
  [[ -z "$PIN" ]] || [[ "$(cat "$dir/.debian-version" 2>/dev/null)" == "$PIN" ]]
}

fetch() { # into $SRC; returns 1 (with a logged reason) when the archive cannot give us QEMU
  local work="$OUT/fetch" mirror
  rm -rf "$work"
  mkdir -p "$work/lists/partial" "$work/parts" "$work/dl" "$work/cache/archives/partial"
  mirror="${DEBIAN_MIRROR:-}"
  if [[ -z "$mirror" ]]; then
    mirror="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' \
      /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    mirror="${mirror:-http://deb.debian.org/debian}"
  fi
  printf 'Types: deb-src\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
    "$mirror" "$SUITES" /usr/share/keyrings/debian-archive-keyring.gpg > "$work/qemu-src.sources"
  local apt=(apt-get -q -o "Dir::Etc::sourcelist=$work/qemu-src.sources"
             -o "Dir::Etc::sourceparts=$work/parts" -o "Dir::State::Lists=$work/lists"
             -o "Dir::Cache=$work/cache"
             -o "APT::Sandbox::User=root" -o "Acquire::Retries=2")
  command -v apt-get >/dev/null 2>&1 || { log "apt-get is not available"; return 1; }
  log "fetching Debian source indexes ($SUITES) from $mirror"
  # A suite that cannot be fetched or verified only costs us that suite.
  "${apt[@]}" update >"$work/apt-update.log" 2>&1 || log "apt-get update reported errors (see $work/apt-update.log)"
  local suite spec version tarball=""
  for suite in $SUITES; do
    spec="qemu/$suite"
    [[ -n "$PIN" ]] && spec="qemu=$PIN"
    # --tar-only: the upstream tarball alone; Debian's patches are not needed, and the .dsc of
    # bookworm-backports has been seen to 404 on mirrors that still serve the tarball.
    if (cd "$work/dl" && "${apt[@]}" source --download-only --tar-only "$spec" >"$work/apt-source.log" 2>&1); then
      tarball="$(ls "$work"/dl/qemu_*.orig.tar.xz 2>/dev/null | head -n1 || true)"
      [[ -n "$tarball" ]] && break
    fi
    log "no QEMU source from $spec: $(tail -n1 "$work/apt-source.log")"
    [[ -n "$PIN" ]] && break
  done
  [[ -n "$tarball" ]] || return 1
  # The Debian version whose upstream part names the tarball we got (qemu_10.0.13+ds.orig.tar.xz
  # -> 1:10.0.13+ds-0+deb13u1), so the build record says exactly which source package it was.
  local upstream="${tarball##*/qemu_}"; upstream="${upstream%.orig.tar.xz}"
  version="$(apt-cache "${apt[@]:2}" showsrc qemu 2>/dev/null \
    | awk -v up="$upstream" '/^Version:/ { v = $2; sub(/^[0-9]+:/, "", v); if (index(v, up "-") == 1) { print $2; exit } }' || true)"
  log "downloaded $(basename "$tarball") (Debian source $spec, version ${version:-unknown})"
  rm -rf "$SRC.new" && mkdir -p "$SRC.new"
  tar -xJf "$tarball" -C "$SRC.new" --strip-components=1 --wildcards --no-wildcards-match-slash \
    "${MEMBERS[@]/#/*/}"
  basename "$tarball" > "$SRC.new/.from"
  echo "${version:-unknown}" > "$SRC.new/.debian-version"
  rm -rf "$SRC" && mv "$SRC.new" "$SRC"
  rm -rf "$work"   # 40 MB tarball and 20 MB of indexes: the extracted files are all we keep
}

if usable "$SRC"; then
  log "using cached QEMU source in $SRC"
else
  cached=""
  if [[ -n "$USER_CACHE" && -d "$USER_CACHE" ]]; then
    for dir in $(ls -dt "$USER_CACHE"/*/ 2>/dev/null || true); do
      if usable "$dir"; then cached="${dir%/}"; break; fi
    done
  fi
  if [[ -n "$cached" ]]; then
    log "using QEMU source cached in $cached"
    rm -rf "$SRC" && cp -a "$cached" "$SRC"
  else
    fetch || missing "could not obtain QEMU's source from Debian's archive (suites: $SUITES${PIN:+, pinned $PIN})"
    if [[ -n "$USER_CACHE" ]]; then
      entry="$USER_CACHE/$(basename "$(cat "$SRC/.from")" .orig.tar.xz)"
      if mkdir -p "$USER_CACHE" 2>/dev/null && rm -rf "$entry" && cp -a "$SRC" "$entry" 2>/dev/null; then
        log "cached the extracted source in $entry"
      else
        log "could not write the user cache $USER_CACHE (continuing)"
      fi
    fi
  fi
fi

TARBALL="$(cat "$SRC/.from")"
QEMU_VERSION="${TARBALL#qemu_}"
QEMU_VERSION="${QEMU_VERSION%.orig.tar.xz}"
DEBIAN_VERSION="$(cat "$SRC/.debian-version" 2>/dev/null || echo unknown)"
IMPL_SHA256="$(sha256sum "$SRC/hw/i386/kvm/xenstore_impl.c" | cut -d' ' -f1)"
log "QEMU $QEMU_VERSION (Debian $DEBIAN_VERSION), xenstore_impl.c sha256 $IMPL_SHA256"
if [[ "$IMPL_SHA256" != "$VALIDATED_IMPL_SHA256" ]]; then
  log "WARNING: this xenstore_impl.c differs from the one the front end was validated against" \
      "($VALIDATED_IMPL_SHA256); expect behaviour changes"
fi

# Compile: ours and QEMU's sources separately, link with glib. The stubs stand in for the few QEMU
# headers xenstore_impl.c includes but uses nothing from (see stubs/qemu/osdep.h).
CC="${CC:-gcc}"
CFLAGS=(-std=gnu11 -O2 -g -Wall -D_GNU_SOURCE)
read -r -a GLIB_CFLAGS <<<"$(pkg-config --cflags glib-2.0)"
read -r -a GLIB_LIBS <<<"$(pkg-config --libs glib-2.0)"
INC=(-I"$FRONT_END/stubs" -I"$SRC/include" -I"$SRC/hw/i386/kvm")
OBJ="$OUT/obj"
rm -rf "$OBJ" && mkdir -p "$OBJ"
"$CC" "${CFLAGS[@]}" "${INC[@]}" "${GLIB_CFLAGS[@]}" -c "$SRC/hw/i386/kvm/xenstore_impl.c" -o "$OBJ/xenstore_impl.o"
objs=("$OBJ/xenstore_impl.o")
for c in "$FRONT_END"/*.c; do
  "$CC" "${CFLAGS[@]}" -Werror "${INC[@]}" -I"$FRONT_END" "${GLIB_CFLAGS[@]}" -c "$c" -o "$OBJ/$(basename "$c" .c).o"
  objs+=("$OBJ/$(basename "$c" .c).o")
done
"$CC" "${objs[@]}" -o "$BINARY.new" "${GLIB_LIBS[@]}"
mv "$BINARY.new" "$BINARY"

# Self-check: QEMU's own unit test of xenstore_impl.c, built against the same stubs. If the stubs
# changed the implementation's behaviour, this is where it would show.
"$CC" "${CFLAGS[@]}" "${INC[@]}" -I"$SRC" "${GLIB_CFLAGS[@]}" "$SRC/tests/unit/test-xs-node.c" \
  -o "$OBJ/test-xs-node" "${GLIB_LIBS[@]}"
if ! "$OBJ/test-xs-node" >"$OUT/test-xs-node.log" 2>&1; then
  cat "$OUT/test-xs-node.log" >&2
  log "QEMU's test-xs-node FAILED against our stubs"
  rm -f "$BINARY"
  write_props broken "reason=QEMU's test-xs-node failed (see $OUT/test-xs-node.log)"
  exit 1
fi
passed="$(grep -c '^ok' "$OUT/test-xs-node.log" || true)"
log "QEMU's test-xs-node: $passed passed"

write_props installed \
  "qemuVersion=$QEMU_VERSION" \
  "debianVersion=$DEBIAN_VERSION" \
  "tarball=$TARBALL" \
  "implSha256=$IMPL_SHA256" \
  "implValidated=$([[ "$IMPL_SHA256" == "$VALIDATED_IMPL_SHA256" ]] && echo true || echo false)" \
  "selfCheck=test-xs-node $passed passed"
log "built $BINARY in $((SECONDS - START)) s"
