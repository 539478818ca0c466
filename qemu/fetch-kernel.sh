#!/bin/sh
# fetch-kernel.sh CACHE_DIR
#
# Puts Debian's stock amd64 kernel into CACHE_DIR and prints the path of its
# bzImage.  The kernel comes from the versioned package that the
# linux-image-amd64 meta-package depends on, fetched with `apt-get download`
# and unpacked with `dpkg-deb -x`: nothing is installed into the host's /boot
# and no root is needed beyond what apt itself asks for.
#
# A kernel already in the cache is used as it is, without asking apt, so a
# machine boots offline once it has fetched one; remove CACHE_DIR to fetch the
# newest.  KERNEL=/path/to/bzImage skips all of this and prints that path.
set -eu

cache=${1:-.cache/kernel}

if [ -n "${KERNEL:-}" ]; then
	[ -r "$KERNEL" ] || { echo "fetch-kernel: KERNEL=$KERNEL is not a readable file" >&2; exit 1; }
	echo "$KERNEL"
	exit 0
fi

if [ -r "$cache/current/vmlinuz" ]; then
	echo "$cache/current/vmlinuz"
	exit 0
fi

# The meta-package names the versioned one, e.g. linux-image-6.1.0-26-amd64.
versioned_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1
}

package=$(versioned_package)
if [ -z "$package" ]; then
	# A fresh machine has no package lists yet.
	echo "fetch-kernel: no package lists, running apt-get update" >&2
	apt-get update -qq >&2 || true
	package=$(versioned_package)
fi
if [ -z "$package" ]; then
	echo "fetch-kernel: cannot find the package linux-image-amd64 depends on (is apt set up?)" >&2
	exit 1
fi

mkdir -p "$cache"
work=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "fetch-kernel: downloading $package" >&2
# apt drops to the _apt user to download unless told not to, and _apt
# cannot write into a root-owned work folder.
sandbox=
[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
# shellcheck disable=SC2086 # $sandbox is zero or two words on purpose
(cd "$work" && apt-get download -q $sandbox "$package" >&2)

deb=$(ls "$work"/*.deb)
dpkg-deb -x "$deb" "$work/root"

# Keep only what booting needs: the image, its config (to check which
# drivers are built in) and the version; the modules are ~400 MB.
mkdir -p "$work/$package"
cp "$work"/root/boot/vmlinuz-* "$work/$package/vmlinuz"
cp "$work"/root/boot/config-* "$work/$package/config"
dpkg-deb -f "$deb" Package Version > "$work/$package/version"
rm -rf "${cache:?}/$package"
mv "$work/$package" "$cache/$package"
ln -sfn "$package" "$cache/current"

echo "$cache/current/vmlinuz"
