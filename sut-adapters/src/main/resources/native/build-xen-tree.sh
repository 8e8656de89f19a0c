#!/usr/bin/env bash
# Builds one xenstore daemon, and only what it links, from a Xen source tree (a checkout or an
# unpacked release tarball), for the targets `cxenstored@tree=DIR` and `oxenstored@tree=DIR`. The
# tree itself is never written: it is copied into the build directory first. Run by
# io.xscheck.sut.fakexen.TreeBuild, which keys the build directory by the tree's content and the
# daemon, so an unchanged tree is built once.
#
# usage: build-xen-tree.sh cxenstored|oxenstored TREE OUT
#   OUT/src           the copy that is configured and built
#   OUT/build.log     configure's and make's output (its tail is what a failed build reports)
#   OUT/built         on success: "binary=..." (the daemon), "libs=..." (colon-separated
#                     directories of the in-tree libraries it links), "version=X.Y.Z" and
#                     "release=X.Y" (xen/Makefile); for oxenstored also "config=..." (the tree's
#                     oxenstored.conf) and, on Xen 4.18+, "map=FROM=TO" (its compiled-in plugin
#                     directory FROM, and TO, where the plugin built here was put)
# Env: JOBS (parallel make jobs, default 2)
#
# Only tools/include, the libraries the daemon links and the daemon are built: for C xenstored
# toolcore, toollog, evtchn, gnttab, call, foreignmemory, devicemodel, ctrl (and manage where the
# tree has it, Xen 4.21+); oxenstored also needs guest (its OCaml xc binding links libxenguest) and
# the in-tree OCaml libraries its Makefile links (mmap, eventchn, xc, xb; xsd_glue and its
# domain_getinfo plugin on 4.18+). The hypervisor, firmware, libxl and the rest are configured
# away. configure insists on libyajl's headers although neither daemon uses them (libyajl-dev);
# oxenstored needs ocamlopt and ocamlfind (ocaml, ocaml-findlib).
set -euo pipefail

[[ $# -eq 3 && ( $1 == cxenstored || $1 == oxenstored ) ]] \
  || { echo "usage: $0 cxenstored|oxenstored TREE OUT" >&2; exit 2; }
KIND="$1"
TREE="$(cd "$2" && pwd)"
mkdir -p "$3"
OUT="$(cd "$3" && pwd)"
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
if [[ $KIND == oxenstored ]]; then
  [[ -f "$TREE/tools/ocaml/xenstored/Makefile" ]] || fail "$TREE has no tools/ocaml/xenstored"
  for tool in ocamlopt ocamlfind; do
    command -v "$tool" >/dev/null || fail "oxenstored needs $tool: install ocaml and ocaml-findlib"
  done
fi

say "copying $TREE (Xen $VERSION)"
rm -rf "$OUT/src"
mkdir -p "$OUT/src"
(cd "$TREE" && tar --exclude=./.git -cf - .) | tar -xf - -C "$OUT/src"
cd "$OUT/src"

say "configure"
CONFIGURE=(--prefix=/usr --disable-xen --disable-docs --disable-stubdom
  --disable-seabios --disable-golang --disable-pygrub --disable-monitors --disable-xsmpolicy
  --disable-pvshim --disable-ipxe --disable-rombios --disable-qemu-traditional --with-system-qemu=/bin/false)
if [[ $KIND == oxenstored ]]; then CONFIGURE+=(--enable-ocamltools); else CONFIGURE+=(--disable-ocamltools); fi
# No firmware and no ACPI tables are built, so neither an ASL compiler nor a Python for them.
IASL=/bin/false ./configure "${CONFIGURE[@]}" >>"$LOG" 2>&1 || fail "configure (see $LOG)"

LIBS=(toolcore toollog evtchn gnttab call foreignmemory devicemodel ctrl)
if [[ $KIND == cxenstored ]]; then
  [[ -d tools/libs/manage ]] && LIBS+=(manage)
else
  LIBS+=(guest)
fi
say "make tools/include, libraries ${LIBS[*]} (-j$JOBS)"
make -j"$JOBS" -C tools/include >>"$LOG" 2>&1 || fail "make tools/include (see $LOG)"
for lib in "${LIBS[@]}"; do
  make -j"$JOBS" -C "tools/libs/$lib" >>"$LOG" 2>&1 || fail "make tools/libs/$lib (see $LOG)"
done
libdirs=""
for lib in "${LIBS[@]}"; do libdirs="$libdirs${libdirs:+:}$OUT/src/tools/libs/$lib"; done

if [[ $KIND == cxenstored ]]; then
  say "make $DAEMON_DIR xenstored"
  make -j"$JOBS" -C "$DAEMON_DIR" xenstored >>"$LOG" 2>&1 || fail "make $DAEMON_DIR xenstored (see $LOG)"
  BINARY="$OUT/src/$DAEMON_DIR/xenstored"
  EXTRA_RECORD=()
else
  grep -q '^OCAML_TOOLS *:= *y' config/Tools.mk || fail "configure left the OCaml tools out (see $LOG)"
  # The in-tree OCaml libraries are the ones oxenstored's Makefile links, in that order.
  mapfile -t OCAML_LIBS < <(grep -o 'OCAML_TOPLEVEL)/libs/[a-z_]*/' tools/ocaml/xenstored/Makefile \
    | sed 's|.*/libs/||; s|/$||' | awk '!seen[$0]++')
  say "make tools/ocaml/libs/{${OCAML_LIBS[*]}}, tools/ocaml/xenstored"
  for lib in "${OCAML_LIBS[@]}"; do
    make -j"$JOBS" -C "tools/ocaml/libs/$lib" >>"$LOG" 2>&1 || fail "make tools/ocaml/libs/$lib (see $LOG)"
  done
  # Not parallel: its rules build the .cmx files in ocamldep's order from one list.
  make -C tools/ocaml/xenstored >>"$LOG" 2>&1 || fail "make tools/ocaml/xenstored (see $LOG)"
  BINARY="$OUT/src/tools/ocaml/xenstored/oxenstored"
  EXTRA_RECORD=("config=$OUT/src/tools/ocaml/xenstored/oxenstored.conf")
  # Xen 4.18+: oxenstored lists and loads its domain-information plugin from a directory compiled
  # in (paths.ml's libexec); the plugin built here goes to a directory of its own that the shim's
  # read-only path map puts there.
  libexec="$(sed -n 's/^let libexec = "\(.*\)"$/\1/p' tools/ocaml/xenstored/paths.ml)"
  plugins=()
  [[ -d tools/ocaml/libs/xsd_glue ]] && mapfile -t plugins < <(find tools/ocaml/libs/xsd_glue -name '*.cmxs')
  if (( ${#plugins[@]} > 0 )); then
    [[ -n "$libexec" ]] || fail "tools/ocaml/xenstored/paths.ml names no libexec directory for the plugin"
    rm -rf "$OUT/plugins" && mkdir -p "$OUT/plugins"
    cp "${plugins[@]}" "$OUT/plugins/"
    EXTRA_RECORD+=("map=$libexec/ocaml/xsd_glue/xenctrl_plugin=$OUT/plugins")
  fi
fi
[[ -x "$BINARY" ]] || fail "$BINARY was not built"

{ echo "binary=$BINARY"; echo "libs=$libdirs"; echo "version=$VERSION"; echo "release=$RELEASE"
  for line in "${EXTRA_RECORD[@]}"; do echo "$line"; done; } > "$OUT/built.tmp"
mv "$OUT/built.tmp" "$OUT/built"
say "built $BINARY (Xen $VERSION)"
