# Debian's sysvinit-core, unpacked (never installed) into .cache/sysvinit:
# its runlevel reads utmp, its init is a binary that is not hydra. Sourced
# by the tests that need it. Prints the directory, or fails.
sysvinit_root() {
	local cache=$ROOT/.cache/sysvinit work
	if [ ! -x "$cache/sbin/runlevel" ]; then
		work=$(mktemp -d) || return 1
		(cd "$work" && apt-get download sysvinit-core >/dev/null 2>&1) &&
			mkdir -p "$ROOT/.cache" && dpkg-deb -x "$work"/sysvinit-core_*.deb "$cache.new" &&
			rm -rf "$cache" && mv "$cache.new" "$cache"
		rm -rf "$work" "$cache.new"
	fi
	[ -x "$cache/sbin/runlevel" ] && echo "$cache"
}
