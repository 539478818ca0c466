# hydra: a small SysV-style init. `make` builds build/init (static, musl);
# `make test` runs every test; `make deps` installs what both need.

CC = musl-gcc
# The link is not PIE (static), so position-independent code would only cost
# size: -fno-pie and -no-pie lose no hardening. -flto lets the linker inline
# and drop across files; switches as branches are smaller than jump tables;
# -fno-caller-saves and -fno-move-loop-invariants: 160 bytes less code,
# measured; hydra has no floating point, so no function that takes variable
# arguments need save the SSE registers (-mgeneral-regs-only); snprintf of a
# constant stays a call to it, not to strcpy, which would pull in musl's.
# Each of the last three measured alone, then together (gcc 12): 480
# bytes less; -fno-expensive-optimizations 320 (gcc's "minor
# optimizations that are relatively expensive", which -Oz still runs),
# -fno-strict-aliasing 64, -fno-tree-sink 96. None changes what the code
# means; a sweep of some 60 other switches found nothing else that held.
CFLAGS = -std=gnu11 -Oz -Wall -Wextra -Werror -D_GNU_SOURCE -fno-pie -flto -fno-jump-tables \
	-ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-fno-caller-saves -fno-move-loop-invariants -mgeneral-regs-only -fno-builtin-snprintf \
	-fno-expensive-optimizations -fno-strict-aliasing -fno-tree-sink
# Small: unused functions dropped, no page-aligned gaps between segments
# (common-page-size: the data segment starts in the file right after the
# code, which the kernel maps as two pages, R-X and RW-; nothing is RWX).
# Only musl's crt1.o to start: gcc's crtbegin/crtend (transactional
# memory clones, frame registration) and the empty _init/_fini of
# crti/crtn serve nothing in hydra, which has no constructors (224 bytes;
# musl's own _init and _fini stand in).
MUSL_LIB = /usr/lib/x86_64-linux-musl
LDFLAGS = -static -no-pie -s -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,--build-id=none \
	-Wl,-z,common-page-size=16 -nostartfiles $(MUSL_LIB)/crt1.o
PREFIX = /usr
DESTDIR =
BUILD = build
LINKS = telinit runlevel halt poweroff reboot shutdown
SOURCES = $(wildcard init/*.c)
# Smaller versions of C library functions (printf, strtol, malloc, the
# string functions, and bare system calls where musl's wrappers serve
# threads or old kernels): only the static musl build links them;
# sanitizer and test builds use glibc's (tests/libc_test.c compares them).
LIBC_SOURCES = $(wildcard init/libc/*.c)
OBJECTS = $(SOURCES:init/%.c=$(BUILD)/obj/%.o)
LIBC_OBJECTS = $(LIBC_SOURCES:init/libc/%.c=$(BUILD)/obj/libc-%.o)
# Debian packages that building and testing need, and a command each proves them by.
PACKAGES = make gcc musl-tools shunit2 qemu-system-x86 busybox-static cpio strace runc util-linux procps socat man-db e2fsprogs python3 \
	clang-14 libclang-rt-14-dev qemu-utils mmdebstrap
DEPS_STAMP = $(BUILD)/.deps

all: | deps
all: $(BUILD)/init $(LINKS:%=$(BUILD)/%) $(BUILD)/unit $(BUILD)/libc-test

$(BUILD)/init: $(OBJECTS) $(LIBC_OBJECTS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJECTS) $(LIBC_OBJECTS)
	objcopy -R .comment $@  # the compilers' names and versions
	@# The section headers too (1 KB): the kernel loads the program headers'
	@# segments only. What binutils 2.41's strip --strip-section-headers
	@# does (Debian 12 has 2.40): no header table, the file ends where the
	@# last segment does.
	end=$$(readelf -lW $@ | awk '$$1 == "LOAD" { print $$2, $$5 }' | \
		while read offset size; do echo $$((offset + size)); done | sort -n | tail -n 1) && \
	printf '\0\0\0\0\0\0\0\0' | dd of=$@ bs=1 seek=40 conv=notrunc status=none && \
	printf '\0\0\0\0' | dd of=$@ bs=1 seek=60 conv=notrunc status=none && \
	truncate -s "$$end" $@

# The unit tests of the pure modules link with everything but main.
$(BUILD)/unit: tests/unit.c $(filter-out $(BUILD)/obj/main.o,$(OBJECTS))
	$(CC) $(CFLAGS) -static -o $@ $^

# init/libc/ against glibc, built with the host's compiler and sanitizers.
$(BUILD)/libc-test: tests/libc_test.c $(LIBC_SOURCES) | $(BUILD)/obj
	gcc -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-format -D_GNU_SOURCE \
		-fsanitize=address,undefined -fno-sanitize-recover=undefined -o $@ tests/libc_test.c

$(BUILD)/obj/%.o: init/%.c init/*.h Makefile | $(BUILD)/obj
	$(CC) $(CFLAGS) -c -o $@ $<

# Without loop distribution gcc would turn init/libc/string.c's strlen
# loop into a call to strlen: itself.
$(BUILD)/obj/libc-%.o: init/libc/%.c Makefile | $(BUILD)/obj
	$(CC) $(CFLAGS) -fno-tree-loop-distribute-patterns -c -o $@ $<

$(BUILD)/obj:
	mkdir -p $@

$(LINKS:%=$(BUILD)/%): | $(BUILD)/init
	ln -sf init $@

.PHONY: all deps test test-debian install install-container-links install-beside deb clean sanitize coverage fuzz bench bench-deps

# The same sources under AddressSanitizer and UBSan (glibc, dynamic), with
# the system tests run on that build. Slower; run it from time to time.
# Its respawns are slow too: waits get 60 s (test_signals counts 2000).
SANITIZE = $(BUILD)/sanitize
sanitize: deps
	mkdir -p $(SANITIZE)
	gcc -std=gnu11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -fsanitize=address,undefined \
		-fno-sanitize-recover=undefined -o $(SANITIZE)/init init/*.c
	gcc -std=gnu11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -fsanitize=address,undefined \
		-fno-sanitize-recover=undefined -o $(SANITIZE)/unit tests/unit.c $(filter-out init/main.c,$(SOURCES))
	for link in $(LINKS); do ln -sf init $(SANITIZE)/$$link; done
	WAIT_SECONDS=60 HYDRA_BUILD=$(SANITIZE) ASAN_OPTIONS=detect_leaks=0 tests/run tests/test_inittab.sh \
		tests/test_levels.sh tests/test_supervision.sh tests/test_control.sh tests/test_signals.sh \
		tests/test_scale.sh tests/test_dropins.sh tests/test_initctl.sh tests/test_halt.sh \
		tests/test_sysvinit.sh tests/test_logging.sh tests/test_shutdown.sh tests/test_utmp.sh \
		tests/test_reexec.sh

# A gcov build (glibc, like sanitize) and the system tests run on it. Init
# leaves each test's PID namespace by exiting (tests/lib.sh stop_init), so
# it writes its counters; the unit tests and the clients add theirs. Prints
# the line coverage of each init/*.c and the total. The counter files are
# made first and writable by everyone, for the clients that tests run as
# another user (gcov rewrites them in place). Each exec writes them too,
# which makes respawning slow: waits get 60 s. The tests that boot
# QEMU or put the binary into a container image need the static build.
COVERAGE = $(BUILD)/coverage
COVERAGE_FLAGS = -std=gnu11 -O0 -Wall -Wextra -Werror -D_GNU_SOURCE --coverage
COVERAGE_TESTS = $(filter-out $(addprefix tests/test_,boot.sh disk.sh replaced_binary.sh build.sh runc.sh debian.sh), \
	$(wildcard tests/test_*.sh))
coverage: deps
	rm -rf $(COVERAGE) && mkdir -p $(COVERAGE)/obj
	for source in $(SOURCES); do \
		gcc $(COVERAGE_FLAGS) -c -o $(COVERAGE)/obj/$$(basename $$source .c).o $$source || exit 1; \
	done
	gcc $(COVERAGE_FLAGS) -o $(COVERAGE)/init $(OBJECTS:$(BUILD)/obj/%=$(COVERAGE)/obj/%)
	gcc $(COVERAGE_FLAGS) -o $(COVERAGE)/unit tests/unit.c \
		$(filter-out %/main.o,$(OBJECTS:$(BUILD)/obj/%=$(COVERAGE)/obj/%))
	for link in $(LINKS); do ln -sf init $(COVERAGE)/$$link; done
	$(COVERAGE)/init --version >/dev/null && chmod 666 $(COVERAGE)/obj/*.gcda
	WAIT_SECONDS=60 HYDRA_BUILD=$(COVERAGE) tests/run $(COVERAGE_TESTS); status=$$?; \
	gcov -n -o $(COVERAGE)/obj $(SOURCES) | awk ' \
		/^File / { file = substr($$2, 2, length($$2) - 2) } \
		/^Lines executed:/ && file ~ /^init\/.*\.c$$/ { \
			split($$2, part, /[:%]/); lines = $$4; hit = int(part[2] * lines / 100 + 0.5); \
			printf "%-20s %6.1f%% of %4d lines\n", file, part[2], lines; \
			total += lines; covered += hit; file = "" } \
		END { printf "%-20s %6.1f%% of %4d lines\n", "total", 100 * covered / total, total }'; \
	exit $$status

# libFuzzer targets (clang, ASan, UBSan) over the pure parts, fuzz/*.c,
# each run for FUZZ_SECONDS by fuzz/run: a crash, a leak, a failed check
# or an input slower than FUZZ_TIMEOUT seconds (20) fails.
FUZZ = $(BUILD)/fuzz
FUZZ_SECONDS = 30
FUZZ_TARGETS = $(patsubst fuzz/%.c,%,$(wildcard fuzz/*.c))
FUZZ_FLAGS = -std=gnu11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
fuzz: deps $(FUZZ_TARGETS:%=$(FUZZ)/%)
	fuzz/run $(FUZZ) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(FUZZ)/%: fuzz/%.c init/*.c init/*.h
	mkdir -p $(FUZZ)
	clang-14 $(FUZZ_FLAGS) -o $@ $< $(filter-out init/main.c,$(SOURCES))

# Idempotent and quick when everything is there: dpkg is asked first.
deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ] && [ "$$(id -u)" != 0 ]; then \
		echo "missing packages: $$missing; run 'make deps' as root" >&2; exit 1; \
	elif [ -n "$$missing" ]; then \
		echo "installing: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# hydra beside its peers (bench/run.sh): results in bench/results.md and
# bench/*.svg. QUICK=1 runs every scenario small, into build/bench.
BENCH_PACKAGES = tini dumb-init catatonit busybox-static file strace util-linux python3 libite5 libuev3
QUICK =
bench-deps:
	@$(MAKE) -s deps PACKAGES='$(BENCH_PACKAGES)'

bench: all bench-deps
	QUICK='$(QUICK)' bench/run.sh

test: deps all
	tests/run

# Real Debian 12 booted with sysvinit and with hydra, side by side (slow:
# builds the system once into .cache/debian, then boots it 8 times a column).
test-debian: deps all
	tests/run tests/test_debian.sh

# What make install writes, under $(DESTDIR).
INSTALLED = $(PREFIX)/sbin/init $(LINKS:%=$(PREFIX)/sbin/%) $(PREFIX)/share/man/man8/init.8 \
	$(PREFIX)/share/man/man8/telinit.8 $(PREFIX)/share/man/man5/inittab.5

# A file a Debian package owns is not overwritten behind dpkg's back (its next
# upgrade would put it back, and dpkg -S would lie): install-beside or the
# .deb are the ways that keep dpkg right.  FORCE=1 overwrites all the same.
install: all
	@owned=$$(pkg/owned.sh '$(DESTDIR)/' $(INSTALLED)); \
	if [ -n "$$owned" ] && [ '$(FORCE)' != 1 ]; then \
		echo "make install: these files belong to Debian packages:" >&2; \
		echo "$$owned" | sed 's/^/  /' >&2; \
		echo "dpkg would put them back at the next upgrade. Instead:" >&2; \
		echo "  make install-beside   (/sbin/hydra-init; boot with init=/sbin/hydra-init)" >&2; \
		echo "  make deb && dpkg -i $(BUILD)/hydra_*.deb   (replaces sysvinit-core the dpkg way)" >&2; \
		echo "or FORCE=1 to overwrite them anyway (see docs/debian.md)." >&2; \
		exit 1; \
	fi
	install -D -m 0755 $(BUILD)/init $(DESTDIR)$(PREFIX)/sbin/init
	for link in $(LINKS); do ln -sf init $(DESTDIR)$(PREFIX)/sbin/$$link; done
	install -D -m 0644 docs/init.8 $(DESTDIR)$(PREFIX)/share/man/man8/init.8
	install -D -m 0644 docs/telinit.8 $(DESTDIR)$(PREFIX)/share/man/man8/telinit.8
	install -D -m 0644 docs/inittab.5 $(DESTDIR)$(PREFIX)/share/man/man5/inittab.5

# Beside sysvinit, touching none of its files: boot it with init=/sbin/hydra-init.
install-beside: all
	install -D -m 0755 $(BUILD)/init $(DESTDIR)$(PREFIX)/sbin/hydra-init

# A .deb that takes sysvinit-core's place (pkg/mkdeb.sh says how).
deb: all
	pkg/mkdeb.sh $(BUILD) $(BUILD)

# Opt-in: tini, docker-init and dumb-init as links to init, in bin/. A name
# that is already something else (Debian's tini or dumb-init package) is
# left alone, and the package named.
CONTAINER_LINKS = tini docker-init dumb-init
install-container-links: install
	@install -d $(DESTDIR)$(PREFIX)/bin; \
	for name in $(CONTAINER_LINKS); do \
		link=$(DESTDIR)$(PREFIX)/bin/$$name; \
		if [ -e "$$link" ] || [ -L "$$link" ]; then \
			[ "$$(readlink "$$link")" = ../sbin/init ] && continue; \
			owner=$$([ -z "$(DESTDIR)" ] && dpkg -S "$$link" 2>/dev/null | cut -d: -f1); \
			echo "$$link exists$${owner:+ (from the Debian package $$owner)}: not replaced" >&2; \
		else \
			ln -s ../sbin/init "$$link" && echo "$$link -> ../sbin/init"; \
		fi; \
	done

clean:
	rm -rf $(BUILD)

# The QEMU test machine: make boot, make kernel, make initramfs.
include qemu/rules.mk
