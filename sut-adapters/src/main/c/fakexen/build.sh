#!/bin/sh
# Builds the fake-Xen shim into OUT_DIR/libfakexen.so (run by Maven in generate-resources).
# usage: build.sh OUT_DIR
set -eu
out="$1"
here="$(cd "$(dirname "$0")" && pwd)"
for header in xenctrl.h xenevtchn.h xengnttab.h; do
  if [ ! -f "/usr/include/$header" ]; then
    echo "fakexen: /usr/include/$header is missing; install libxen-dev (apt-get install libxen-dev)" >&2
    exit 1
  fi
done
command -v gcc >/dev/null 2>&1 || { echo "fakexen: gcc is missing; install gcc" >&2; exit 1; }
mkdir -p "$out"
gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -fPIC -shared -pthread -o "$out/libfakexen.so" "$here"/*.c -ldl
