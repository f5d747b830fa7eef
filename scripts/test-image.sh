#!/usr/bin/env bash
# Builds botops-test/busybox:latest from the host's static busybox: no registry is needed (or reachable in CI).
# Idempotent: an existing image is kept.
set -euo pipefail

image="${BOTOPS_TEST_IMAGE:-botops-test/busybox:latest}"
busybox="${BUSYBOX:-/bin/busybox}"

if docker image inspect "$image" >/dev/null 2>&1; then
	exit 0
fi
if [[ ! -x "$busybox" ]]; then
	echo "test-image: $busybox not found (install busybox-static)" >&2
	exit 1
fi

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev"
cp "$busybox" "$rootfs/bin/busybox"
for applet in $("$rootfs/bin/busybox" --list); do
	[[ "$applet" == busybox ]] || ln -sf busybox "$rootfs/bin/$applet"
done
echo 'root:x:0:0:root:/:/bin/sh' >"$rootfs/etc/passwd"
echo 'root:x:0:' >"$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"

tar -C "$rootfs" -c . | docker import --change 'CMD ["sh"]' --change 'ENV PATH=/bin' - "$image" >/dev/null
echo "test-image: built $image"
