#!/usr/bin/env bash
# Obtains a newer Xen's xenstore daemons (default: Xen 4.20 from Debian trixie) for the targets
# cxenstored-X.Y and oxenstored-X.Y, without installing anything system-wide.
#
# A private apt configuration (own sources file, sourceparts, lists and cache dirs, an empty dpkg
# status; the system's apt setup untouched) downloads the binary packages (`apt-get download`,
# hash-checked against the signed Packages index); `dpkg-deb -x` unpacks them into a staging
# directory, and only what the daemons need is kept in the user cache
# $XSCHECK_CACHE/xen/<debian version>/:
#   xen/                        stands for the package's /usr/lib/xen-X.Y (the shim maps that path
#                               here for reads: oxenstored loads its domain-information plugin
#                               from ocaml/xsd_glue/ there and records its own path):
#   xen/bin/xenstored           C xenstored, unmodified (run with LD_LIBRARY_PATH=lib)
#   xen/bin/oxenstored          oxenstored, a copy whose ELF interpreter and RUNPATH point at the
#                               suite's own C library in glibc/ (oxenstored 4.20 needs GLIBC_2.38;
#                               bookworm has 2.36): patchelf, from bookworm
#   xen/ocaml/                  the plugin directory
#   lib/                        the Xen libraries (and libyajl) of that release
#   glibc/                      the suite's libc6, for oxenstored only
#   oxenstored.conf             the suite's stock /etc/xen/oxenstored.conf
#   build.properties            status, versions, suite, packages
# Debs and apt indexes are deleted once unpacked.
#
# Usage: fetch-xen-debs.sh WORK_DIR NATIVE_DIR   (run by Maven in generate-resources)
#   WORK_DIR    apt state and staging while fetching (sut-adapters/target/xen-X.Y)
#   NATIVE_DIR  gets xen-X.Y.properties, the build record the Java launcher reads (classpath
#               resource native/xen-X.Y.properties): status and the cache directory
#
# Env: XSCHECK_XEN_RELEASE  the Xen release, default 4.20 (package xen-utils-4.20)
#      XSCHECK_XEN_SUITES   suites to read, default "trixie"
#      XSCHECK_XEN_VERSION  exact Debian version of xen-utils-X.Y (pins it; a cache of another is ignored)
#      XSCHECK_CACHE        user cache root (default ${XDG_CACHE_HOME:-~/.cache}/xscheck)
#      DEBIAN_MIRROR        archive URI (default: the system's debian.sources)
#      XSCHECK_XEN=skip     do not fetch; the targets are then reported as not installed
#
# Exit status 0 also when the packages cannot be obtained (the project must still build): the
# record then says status=missing and why, and the tests of these targets fail when CI is set.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 WORK_DIR NATIVE_DIR" >&2; exit 2; }
mkdir -p "$1" "$2"
WORK="$(cd "$1" && pwd)"
NATIVE="$(cd "$2" && pwd)"
RELEASE="${XSCHECK_XEN_RELEASE:-4.20}"
SUITES="${XSCHECK_XEN_SUITES:-trixie}"
PIN="${XSCHECK_XEN_VERSION:-}"
RECORD="$NATIVE/xen-$RELEASE.properties"
START=$SECONDS

# The daemons' packages: xen-utils-X.Y has both daemons and the plugin, libxenmisc the
# release-versioned libraries (libxenctrl.so.X.Y, libxenguest...), the rest the stable-ABI ones.
XEN_PACKAGES=(xen-utils-$RELEASE libxenmisc$RELEASE libxenstore4 libxenevtchn1 libxengnttab1
  libxentoolcore1 libxentoollog1 libxencall1 libxenforeignmemory1 libxendevicemodel1 libxenhypfs1
  libyajl2 xen-utils-common)
LIBC_PACKAGES=(libc6)

log() { echo "[fetch-xen-debs] $*" >&2; }

write_record() { # status, then key=value lines
  local status="$1"; shift
  { echo "# Written by fetch-xen-debs.sh; read by io.xscheck.sut.fakexen.XenRelease."
    echo "release=$RELEASE"
    echo "status=$status"
    local kv; for kv in "$@"; do echo "$kv"; done
  } > "$RECORD.tmp"
  mv "$RECORD.tmp" "$RECORD"
}

missing() {
  log "Xen $RELEASE targets NOT installed: $*"
  write_record missing "reason=$*"
  exit 0
}

exec 9>"$WORK/.lock"
flock 9

[[ "${XSCHECK_XEN:-}" == skip ]] && missing "skipped (XSCHECK_XEN=skip)"
for tool in apt-get dpkg-deb patchelf flock; do
  command -v "$tool" >/dev/null 2>&1 || missing "$tool is not installed (./xscheck provision installs it)"
done

if [[ "${XSCHECK_CACHE:-}" == none ]]; then
  missing "XSCHECK_CACHE=none: the Xen $RELEASE daemons live only in the user cache"
fi
CACHE="${XSCHECK_CACHE:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/xscheck}/xen"

# A cache entry is usable when complete and of the pinned version (if any); the newest wins.
usable() { # dir
  local dir="$1"
  [[ -f "$dir/build.properties" ]] && grep -qx "status=installed" "$dir/build.properties" \
    && grep -qx "release=$RELEASE" "$dir/build.properties" && [[ -x "$dir/xen/bin/xenstored" && -x "$dir/xen/bin/oxenstored" ]] \
    || return 1
  [[ -z "$PIN" ]] || grep -qxF "debianVersion=$PIN" "$dir/build.properties"
}

record_from() { # cache dir
  local dir="$1"
  write_record installed "dir=$dir" $(grep -E '^(debianVersion|suite|libcVersion)=' "$dir/build.properties")
  log "Xen $RELEASE daemons: $(grep '^debianVersion=' "$dir/build.properties" | cut -d= -f2) in $dir"
}

if [[ -d "$CACHE" ]]; then
  for dir in $(ls -dt "$CACHE"/*/ 2>/dev/null || true); do
    if usable "${dir%/}"; then record_from "${dir%/}"; exit 0; fi
  done
fi

# --- fetch ---------------------------------------------------------------------------------------
APTDIR="$WORK/apt"
rm -rf "$APTDIR"
mkdir -p "$APTDIR/lists/partial" "$APTDIR/parts" "$APTDIR/cache/archives/partial" "$APTDIR/dl"
: > "$APTDIR/status"
mirror="${DEBIAN_MIRROR:-}"
if [[ -z "$mirror" ]]; then
  mirror="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' \
    /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  [[ -z "$mirror" ]] && mirror="$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2; exit }' \
    /etc/apt/sources.list 2>/dev/null || true)"
fi
[[ -n "$mirror" ]] || missing "no Debian archive in the system's apt sources (set DEBIAN_MIRROR)"
printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nArchitectures: amd64\nSigned-By: %s\n' \
  "$mirror" "$SUITES" /usr/share/keyrings/debian-archive-keyring.gpg > "$APTDIR/xen.sources"
APT=(apt-get -q -o "Dir::Etc::sourcelist=$APTDIR/xen.sources" -o "Dir::Etc::sourceparts=$APTDIR/parts"
     -o "Dir::State::Lists=$APTDIR/lists" -o "Dir::Cache=$APTDIR/cache" -o "Dir::State::status=$APTDIR/status"
     -o "APT::Architecture=amd64" -o "APT::Sandbox::User=root" -o "Acquire::Retries=2")
log "fetching package indexes ($SUITES) from $mirror"
"${APT[@]}" update >"$WORK/apt-update.log" 2>&1 || log "apt-get update reported errors (see $WORK/apt-update.log)"
pkgs=("${XEN_PACKAGES[@]}" "${LIBC_PACKAGES[@]}")
[[ -n "$PIN" ]] && pkgs[0]="xen-utils-$RELEASE=$PIN"
if ! (cd "$APTDIR/dl" && "${APT[@]}" download "${pkgs[@]}" >"$WORK/apt-download.log" 2>&1); then
  missing "could not download xen-utils-$RELEASE and its libraries from $SUITES: $(tail -n1 "$WORK/apt-download.log")"
fi
utils_deb="$(ls "$APTDIR"/dl/xen-utils-${RELEASE}_*.deb | head -n1)"
VERSION="$(dpkg-deb -f "$utils_deb" Version)"
LIBC_VERSION="$(dpkg-deb -f "$(ls "$APTDIR"/dl/libc6_*.deb | head -n1)" Version)"
log "downloaded xen-utils-$RELEASE $VERSION and libc6 $LIBC_VERSION"

STAGE="$WORK/stage"
rm -rf "$STAGE" && mkdir -p "$STAGE/xen" "$STAGE/libc"
for deb in "$APTDIR"/dl/*.deb; do
  case "$(basename "$deb")" in
    libc6_*) dpkg-deb -x "$deb" "$STAGE/libc" ;;
    *) dpkg-deb -x "$deb" "$STAGE/xen" ;;
  esac
done
ENTRY="$CACHE/$VERSION"
NEW="$ENTRY.new.$$"
rm -rf "$NEW" && mkdir -p "$NEW/xen/bin" "$NEW/lib" "$NEW/glibc"
trap 'rm -rf "$NEW"' EXIT   # a half-built entry never stays in the cache
XEN_LIBEXEC="$STAGE/xen/usr/lib/xen-$RELEASE"
[[ -x "$XEN_LIBEXEC/bin/xenstored" && -x "$XEN_LIBEXEC/bin/oxenstored" ]] \
  || missing "xen-utils-$RELEASE $VERSION has no bin/xenstored and bin/oxenstored under /usr/lib/xen-$RELEASE"
cp -a "$XEN_LIBEXEC/bin/xenstored" "$XEN_LIBEXEC/bin/oxenstored" "$NEW/xen/bin/"
# oxenstored 4.18+ loads its domain-information plugin from ocaml/xsd_glue/ (compiled-in path).
[[ -d "$XEN_LIBEXEC/ocaml" ]] && cp -a "$XEN_LIBEXEC/ocaml" "$NEW/xen/"
cp -a "$STAGE"/xen/usr/lib/x86_64-linux-gnu/lib*.so* "$NEW/lib/"
cp -a "$STAGE"/libc/usr/lib/x86_64-linux-gnu/. "$NEW/glibc/"
cp "$STAGE/xen/etc/xen/oxenstored.conf" "$NEW/oxenstored.conf" 2>/dev/null || log "no oxenstored.conf in xen-utils-common"
# oxenstored needs the suite's C library: the copy's interpreter and RUNPATH point into the entry.
patchelf --set-interpreter "$ENTRY/glibc/ld-linux-x86-64.so.2" \
  --set-rpath "$ENTRY/glibc:$ENTRY/lib" "$NEW/xen/bin/oxenstored"
{ echo "# Written by fetch-xen-debs.sh"
  echo "release=$RELEASE"
  echo "status=installed"
  echo "debianVersion=$VERSION"
  echo "libcVersion=$LIBC_VERSION"
  echo "suite=$SUITES"
  echo "packages=$(cd "$APTDIR/dl" && ls *.deb | tr '\n' ' ')"
} > "$NEW/build.properties"
rm -rf "$ENTRY" && mv "$NEW" "$ENTRY"
rm -rf "$APTDIR" "$STAGE"   # debs, indexes and the rest of the packages: the entry is all we keep
record_from "$ENTRY"
log "done in $((SECONDS - START)) s ($(du -sh "$ENTRY" | cut -f1))"
