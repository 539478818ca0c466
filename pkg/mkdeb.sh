#!/bin/sh
# mkdeb.sh BUILD OUTDIR: builds OUTDIR/hydra_VERSION_ARCH.deb from BUILD/init
# and the man pages, with dpkg-deb from a staged tree (no debhelper), and
# prints its path.
#
# The package takes sysvinit-core's place the way dpkg knows: it ships the
# same paths (/sbin/init, telinit, runlevel, halt, poweroff, reboot, shutdown and their
# man pages; packages still name /sbin, not /usr/sbin, and dpkg must see the
# same names to hand the files over), Conflicts with and Replaces
# sysvinit-core, so that installing it removes sysvinit-core in one step,
# and Provides it, so that what asks for sysvinit-core (the init
# metapackage) stays satisfied and apt does not bring it back.
# /etc/inittab belongs to no package (sysvinit-core's postinst writes it)
# and stays as it is.
set -eu
build=${1:?usage: mkdeb.sh BUILD OUTDIR}
out=${2:?usage: mkdeb.sh BUILD OUTDIR}
top=$(cd "$(dirname "$0")/.." && pwd)

version=$(sed -n 's/^#define INIT_VERSION "hydra-\(.*\)"/\1/p' "$top/init/supervisor.h")
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
chmod 0755 "$stage"
trap 'rm -rf "$stage"' EXIT

install -D -m 0755 "$build/init" "$stage/sbin/init"
for link in telinit runlevel halt poweroff reboot shutdown; do
	ln -s init "$stage/sbin/$link"
done
for page in init.8 telinit.8 inittab.5; do
	section=${page##*.}
	install -d "$stage/usr/share/man/man$section"
	gzip -9 -n -c "$top/docs/$page" > "$stage/usr/share/man/man$section/$page.gz"
done
for page in halt.8 poweroff.8 reboot.8 runlevel.8 shutdown.8; do
	ln -s telinit.8.gz "$stage/usr/share/man/man8/$page.gz"
done
install -d "$stage/usr/share/doc/hydra"
gzip -9 -n -c "$top/README.md" > "$stage/usr/share/doc/hydra/README.md.gz"

install -d "$stage/DEBIAN"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | xargs -0 md5sum) \
	> "$stage/DEBIAN/md5sums"
size=$(du -k -s --exclude=DEBIAN "$stage" | cut -f 1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: hydra
Version: $version
Architecture: $arch
Maintainer: hydra developers <hydra@localhost>
Installed-Size: $size
Depends: initscripts, sysv-rc | file-rc | openrc, sysvinit-utils
Conflicts: sysvinit-core, systemd-sysv, runit-init
Replaces: sysvinit-core
Provides: sysvinit-core
Section: admin
Priority: optional
Description: small SysV-style init, a drop-in for sysvinit
 hydra reads sysvinit's /etc/inittab and runs Debian's init scripts; one
 static binary that is init, telinit, runlevel, halt, poweroff, reboot and
 shutdown.
 It supervises without polling and says what happened to every entry.
CONTROL
# A running hydra re-executes the new binary (telinit u), so that the old
# one, now deleted, does not keep / busy at shutdown.  Under another init
# the new one runs from the next boot.
cat > "$stage/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
	if /sbin/telinit status >/dev/null 2>&1; then
		/sbin/telinit u || echo "hydra: could not re-execute init; it runs from the next boot" >&2
	else
		echo "hydra: /sbin/init is hydra from the next boot on"
	fi
fi
POSTINST
chmod 0755 "$stage/DEBIAN/postinst"

mkdir -p "$out"
deb=$out/hydra_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
