#!/usr/bin/env bash
# Builds C xenstored, and only what it links, from a Xen source tree (a checkout or an unpacked
# release tarball), for the target `cxenstored@tree=DIR`. The tree itself is never written: it is
# copied into the build directory first. Run by io.xscheck.sut.fakexen.TreeBuild, which keys the
# build directory by the tree's content, so an unchanged tree is built once.
#
# usage: build-xen-tree.sh TREE OUT
#   OUT/src           the copy that is configured and built
#   OUT/build.log     configure's and make's output (its tail is what a failed build reports)
#   OUT/built         on success: "binary=..." (the xenstored binary), "libs=..." (colon-separated
#                     directories of the in-tree libraries it links), "version=X.Y.Z" and
#                     "release=X.Y" (xen/Makefile)
# Env: JOBS (parallel make jobs, default 2)
#
# Only tools/include, the libraries xenstored links (toolcore, toollog, evtchn, gnttab, call,
# foreignmemory, devicemodel, ctrl; and manage where the tree has it, Xen 4.21+) and the daemon are
# built; the hypervisor, firmware, libxl and the rest are configured away. configure insists on
# libyajl's headers although xenstored does not use them (libyajl-dev).
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 TREE OUT" >&2; exit 2; }
TREE="$(cd "$1" && pwd)"
mkdir -p "$2"
OUT="$(cd "$2" && pwd)"
JOBS="${JOBS:-2}"
LOG="$OUT/build.log"
: > "$LOG"
rm -f "$OUT/built"

say() { echo "[build-xen-tree] $*" | tee -a "$LOG" >&2; }
fail() { say "FAILED: $*"; exit 1; }

[[ -x "$TREE/configure" && -d "$TREE/tools/libs/ctrl" && -f "$TREE/xen/Makefile" ]] \
  || fail "$TREE is not a Xen source tree (no configure, tools/libs/ctrl or xen/Makefile)"
# X.Y from xen/Makefile, and the extra version (".5") when it is a plain default.
RELEASE="$(awk -F' *[?:]?= *' '/^export XEN_VERSION[ \t]/{v=$2} /^export XEN_SUBVERSION[ \t]/{s=$2} END {print v "." s}' "$TREE/xen/Makefile")"
EXTRA="$(sed -n 's/^export XEN_EXTRAVERSION *?= *\(\.[0-9][0-9]*\).*/\1/p' "$TREE/xen/Makefile" | head -n1)"
VERSION="$RELEASE$EXTRA"
# C xenstored moved from tools/xenstore to tools/xenstored in Xen 4.18.
if [[ -d "$TREE/tools/xenstored" ]]; then DAEMON_DIR=tools/xenstored; else DAEMON_DIR=tools/xenstore; fi

say "copying $TREE (Xen $VERSION)"
rm -rf "$OUT/src"
mkdir -p "$OUT/src"
(cd "$TREE" && tar --exclude=./.git -cf - .) | tar -xf - -C "$OUT/src"
cd "$OUT/src"

say "configure"
CONFIGURE=(--prefix=/usr --disable-xen --disable-docs --disable-stubdom --disable-ocamltools
  --disable-seabios --disable-golang --disable-pygrub --disable-monitors --disable-xsmpolicy
  --disable-pvshim --disable-ipxe --disable-rombios --disable-qemu-traditional --with-system-qemu=/bin/false)
# No firmware and no ACPI tables are built, so neither an ASL compiler nor a Python for them.
IASL=/bin/false ./configure "${CONFIGURE[@]}" >>"$LOG" 2>&1 || fail "configure (see $LOG)"

LIBS=(toolcore toollog evtchn gnttab call foreignmemory devicemodel ctrl)
[[ -d tools/libs/manage ]] && LIBS+=(manage)
say "make tools/include, libraries ${LIBS[*]}, $DAEMON_DIR (-j$JOBS)"
make -j"$JOBS" -C tools/include >>"$LOG" 2>&1 || fail "make tools/include (see $LOG)"
for lib in "${LIBS[@]}"; do
  make -j"$JOBS" -C "tools/libs/$lib" >>"$LOG" 2>&1 || fail "make tools/libs/$lib (see $LOG)"
done
make -j"$JOBS" -C "$DAEMON_DIR" xenstored >>"$LOG" 2>&1 || fail "make $DAEMON_DIR xenstored (see $LOG)"
[[ -x "$DAEMON_DIR/xenstored" ]] || fail "$DAEMON_DIR/xenstored was not built"

libdirs=""
for lib in "${LIBS[@]}"; do libdirs="$libdirs${libdirs:+:}$OUT/src/tools/libs/$lib"; done
{ echo "binary=$OUT/src/$DAEMON_DIR/xenstored"; echo "libs=$libdirs"; echo "version=$VERSION"; echo "release=$RELEASE"; } > "$OUT/built.tmp"
mv "$OUT/built.tmp" "$OUT/built"
say "built $OUT/src/$DAEMON_DIR/xenstored (Xen $VERSION)"
