#!/bin/sh
# fetch-kernel.sh CACHE_DIR
#
# Puts Debian's stock amd64 kernel into CACHE_DIR and prints the path of its
# bzImage.  The kernel comes from the versioned package that the
# linux-image-amd64 meta-package depends on, fetched with `apt-get download`
# and unpacked with `dpkg-deb -x`: nothing is installed into the host's /boot
# and no root is needed beyond what apt itself asks for.
#
# Beside the bzImage, in modules/lib/modules/VERSION, it keeps the modules
# that qemu/rootfs/etc/modules names and those they depend on, with a
# modules.dep for them; qemu/mkinitramfs.sh copies that tree.
#
# A kernel already in the cache is used as it is, without asking apt, so a
# machine boots offline once it has fetched one; remove CACHE_DIR to fetch the
# newest.  A cache that lacks a module of that list is fetched again.
# KERNEL=/path/to/bzImage skips all of this and prints that path.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-.cache/kernel}

if [ -n "${KERNEL:-}" ]; then
	[ -r "$KERNEL" ] || { echo "fetch-kernel: KERNEL=$KERNEL is not a readable file" >&2; exit 1; }
	echo "$KERNEL"
	exit 0
fi

# wanted_modules: the names in qemu/rootfs/etc/modules.
wanted_modules() {
	sed -e 's/#.*//' "$here/rootfs/etc/modules" | awk 'NF { print $1 }'
}

# has_module TREE NAME: whether TREE (a lib/modules/VERSION folder) has the
# module NAME, or has it built into the kernel.
has_module() {
	grep -q -E "(^|/)$2\.ko(\.xz|\.gz)?:" "$1/modules.dep" 2>/dev/null ||
		grep -q -E "(^|/)$2\.ko\$" "$1/modules.builtin" 2>/dev/null
}

# cache_complete: whether the cache has a kernel and every wanted module.
cache_complete() {
	[ -r "$cache/current/vmlinuz" ] || return 1
	set -- "$cache"/current/modules/lib/modules/*
	[ -d "$1" ] || return 1
	for name in $(wanted_modules); do
		has_module "$1" "$name" || return 1
	done
}

if cache_complete; then
	echo "$cache/current/vmlinuz"
	exit 0
fi
if [ -r "$cache/current/vmlinuz" ]; then
	echo "fetch-kernel: the cached kernel lacks modules of $here/rootfs/etc/modules; fetching it again" >&2
fi

# give_up MESSAGE: a cached kernel without its modules still boots (with no
# disk), so offline it is better than none.
give_up() {
	echo "fetch-kernel: $1" >&2
	[ -r "$cache/current/vmlinuz" ] || exit 1
	echo "fetch-kernel: using the cached kernel as it is" >&2
	echo "$cache/current/vmlinuz"
	exit 0
}

# keep_modules PACKAGE_ROOT DEST: copies the wanted modules and all they
# depend on from the unpacked package into DEST/lib/modules/VERSION,
# uncompressed, with their own modules.dep.  The package ships no
# modules.dep (its postinst runs depmod), so busybox's depmod makes one;
# each of its lines names every module the first one needs, not only the
# direct ones.
keep_modules() {
	tree=$(echo "$1"/lib/modules/*)
	version=${tree##*/}
	[ -d "$tree" ] || { echo "fetch-kernel: the package has no modules" >&2; return 1; }
	busybox depmod -b "$1" "$version"
	kept=$2/lib/modules/$version
	mkdir -p "$kept"
	for name in $(wanted_modules); do
		line=$(grep -E "(^|/)$name\.ko(\.xz|\.gz)?:" "$tree/modules.dep" || true)
		if [ -z "$line" ]; then
			has_module "$tree" "$name" && continue
			echo "fetch-kernel: no module $name in the package (see $here/rootfs/etc/modules)" >&2
			return 1
		fi
		for file in ${line%%:*} ${line#*:}; do
			mkdir -p "$kept/$(dirname "$file")"
			case $file in
				*.xz) busybox unxz -c "$tree/$file" > "$kept/${file%.xz}" ;;
				*.gz) gzip -dc "$tree/$file" > "$kept/${file%.gz}" ;;
				*) cp "$tree/$file" "$kept/$file" ;;
			esac
		done
	done
	cp "$tree/modules.builtin" "$kept/"
	busybox depmod -b "$2" "$version"
}

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
[ -n "$package" ] ||
	give_up "cannot find the package linux-image-amd64 depends on (is apt set up?)"

mkdir -p "$cache"
work=$(mktemp -d "$cache/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "fetch-kernel: downloading $package" >&2
# apt drops to the _apt user to download unless told not to, and _apt
# cannot write into a root-owned work folder.
sandbox=
[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
# shellcheck disable=SC2086 # $sandbox is zero or two words on purpose
(cd "$work" && apt-get download -q $sandbox "$package" >&2) ||
	give_up "cannot download $package"

deb=$(ls "$work"/*.deb)
dpkg-deb -x "$deb" "$work/root"

# Keep only what booting needs: the image, its config (to check which
# drivers are built in), the version and the few modules of the disk; all
# the modules are ~400 MB.
mkdir -p "$work/$package"
cp "$work"/root/boot/vmlinuz-* "$work/$package/vmlinuz"
keep_modules "$work/root" "$work/$package/modules"
cp "$work"/root/boot/config-* "$work/$package/config"
dpkg-deb -f "$deb" Package Version > "$work/$package/version"
rm -rf "${cache:?}/$package"
mv "$work/$package" "$cache/$package"
ln -sfn "$package" "$cache/current"

echo "$cache/current/vmlinuz"
