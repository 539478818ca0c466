# Debian packages unpacked (never installed) into .cache: sysvinit-core's
# runlevel reads utmp, its init is a binary that is not hydra; the bench
# runs finit the same way. Sourced by the tests and the bench that need it.

# unpacked_package PACKAGE NAME FILE: PACKAGE unpacked into .cache/NAME
# (once), where FILE must be an executable. Prints the directory, or fails.
unpacked_package() {
	local package=$1 cache=$ROOT/.cache/$2 file=$3 work
	if [ ! -x "$cache/$file" ]; then
		work=$(mktemp -d) || return 1
		(cd "$work" && apt-get download "$package" >/dev/null 2>&1) &&
			mkdir -p "$ROOT/.cache" && dpkg-deb -x "$work/$package"_*.deb "$cache.new" &&
			rm -rf "$cache" && mv "$cache.new" "$cache"
		rm -rf "$work" "$cache.new"
	fi
	[ -x "$cache/$file" ] && echo "$cache"
}

sysvinit_root() { unpacked_package sysvinit-core sysvinit sbin/runlevel; }
