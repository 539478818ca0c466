#!/bin/sh
# owned.sh ROOT FILE...: names each FILE (a path under ROOT, e.g. /usr/sbin/init)
# that a Debian package owns on the system at ROOT ("/" for this one), as
# "FILE PACKAGE", and exits 1 if any is owned; 0 when none is, or when ROOT
# has no dpkg database (a staging tree, another distribution).
#
# With merged /usr, /sbin is a link to /usr/sbin and packages still name
# their files /sbin/init: dpkg does not see that both are one, so both
# names are asked.  A man page is owned compressed: NAME.gz is asked too.
root=${1:?usage: owned.sh ROOT FILE...}
shift
admindir=$root/var/lib/dpkg
[ -d "$admindir" ] && command -v dpkg-query >/dev/null || exit 0
status=0
for file in "$@"; do
	for name in "$file" "${file#/usr}" "$file.gz"; do
		owner=$(dpkg-query --admindir="$admindir" -S "$name" 2>/dev/null | sed -n "s|^\([^:]*\): $name\$|\1|p" | head -n 1)
		if [ -n "$owner" ]; then
			echo "$file $owner"
			status=1
			break
		fi
	done
done
exit $status
