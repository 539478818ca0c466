#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "file.h"
#include "log.h"
#include "reexec.h"
#include "shutdown.h"
#include "signals.h"
#include "spawn.h"
#include "utmp.h"

/* Power status files, as sysvinit's power daemons write them: F(ail),
 * O(k) or L(ow battery). The first one found is read and removed. */
static const char *const power_status_files[] = {
	"/run/powerstatus", "/var/run/powerstatus", "/etc/powerstatus",
};

static char level_name(int level)
{
	return level < 0 ? 'N' : level_character(level);
}

static bool is_shutdown_level(int level)
{
	return level == 0 || level == 6;
}

/* --- loading the inittab ------------------------------------------------ */

/* Reads and parses the inittab and its inittab.d into table, reporting
 * each bad line. Returns 0, or -1 if the inittab could not be read at all. */
static int load_inittab(struct supervisor *supervisor, struct table *table, int *default_level)
{
	const char *path = supervisor->settings.inittab;
	struct inittab_files files;
	struct inittab inittab;

	if (inittab_load(path, &inittab, &files) < 0) {
		error("cannot read %s: %s", path, describe_read_error(errno));
		return -1;
	}
	for (unsigned i = 0; i < inittab.error_count; i++) {
		const struct inittab_error *problem = &inittab.errors[i];

		if (problem->line)
			error("%s:%u: %s", files.paths[problem->file], problem->line, problem->message);
		else
			error("%s: %s", files.paths[problem->file], problem->message);
	}
	*default_level = inittab.default_level;
	int result = table_build(table, &inittab);
	if (result < 0)
		error("cannot load %s: out of memory", path);
	inittab_free(&inittab);
	inittab_files_free(&files);
	return result;
}

/* With no usable inittab the machine must still be reachable: a shell on
 * the console, respawned, in single-user mode. */
static void load_fallback(struct supervisor *supervisor)
{
	struct inittab_entry shell = {
		.id = "~~", .levels = ALL_LEVELS, .action = ACTION_RESPAWN, .process = "/bin/sh",
	};
	struct inittab fallback = { .entries = &shell, .count = 1, .default_level = LEVEL_S };

	if (table_build(&supervisor->table, &fallback) < 0)
		supervisor->table.count = 0; /* nothing to run; still never exit */
	supervisor->default_level = LEVEL_S;
	error("falling back to a single-user shell (/bin/sh) on the console");
}

/* --- starting and stopping entries ---------------------------------------- */

static struct spawn_context spawn_context(const struct supervisor *supervisor)
{
	return (struct spawn_context){
		.console = supervisor->settings.console,
		.keep_environment = supervisor->settings.container,
		.control = supervisor->settings.control,
		/* sysvinit's: S during sysinit and boot, with N before it. */
		.runlevel = supervisor->level < 0 ? 'S' : level_name(supervisor->level),
		.prevlevel = level_name(supervisor->previous_level),
		.inittab = supervisor->settings.inittab,
		.single_user = supervisor->level == LEVEL_S,
		.term = supervisor->settings.term,
		.home = supervisor->settings.home,
		.variables = supervisor->variables,
	};
}

/* Login accounting is the machine's (boot mode), not a container
 * command's; sysvinit skips entries whose process starts with '+'. */
static bool accounted(const struct supervisor *supervisor, const struct entry *entry)
{
	return !supervisor->settings.container && entry->process[0] != '+';
}

static void disable(struct entry *entry, enum disable_reason reason, uint64_t for_ms)
{
	entry->state = ENTRY_DISABLED;
	entry->disable_reason = reason;
	entry->deadline = now_ms() + for_ms;
}

/* Ends a rate-limit pause early (telinit q, a level change, telinit a) or
 * on time; the entry starts with a fresh window. */
static void reenable(struct entry *entry)
{
	notice("%s re-enabled", entry->id);
	entry->state = ENTRY_IDLE;
	entry->window_starts = 0;
}

static bool paused_too_fast(const struct entry *entry)
{
	return entry->state == ENTRY_DISABLED && entry->disable_reason == DISABLED_TOO_FAST;
}

/* The respawn rate limit: more than respawn_limit starts within the window
 * disables the entry for a pause, as sysvinit does. */
static bool too_fast(struct supervisor *supervisor, struct entry *entry)
{
	const struct settings *settings = &supervisor->settings;
	uint64_t now = now_ms();
	char last[48] = "none";

	if (now - entry->window_start > settings->respawn_window_ms || entry->window_starts == 0) {
		entry->window_start = now;
		entry->window_starts = 0;
	}
	if (++entry->window_starts <= settings->respawn_limit)
		return false;
	if (entry->has_exited)
		describe_status(entry->last_status, last, sizeof(last));
	warning("%s respawning too fast (%u starts in %llu s), disabled for %llu s; command: %s; "
		"last exit: %s", entry->id, entry->window_starts - 1,
		(unsigned long long)(settings->respawn_window_ms / 1000),
		(unsigned long long)(settings->respawn_pause_ms / 1000), entry->process, last);
	entry->window_starts = 0;
	disable(entry, DISABLED_TOO_FAST, settings->respawn_pause_ms);
	return true;
}

/* Starts entry; false if it is not running afterwards. */
static bool start(struct supervisor *supervisor, struct entry *entry)
{
	struct spawn_context context = spawn_context(supervisor);
	pid_t pid;

	if (action_traits(entry->action) & TRAIT_RESPAWN && too_fast(supervisor, entry))
		return false;
	pid = spawn_entry(&context, entry);
	if (pid < 0) {
		error("cannot start %s (%s): fork: %m; trying again in 1 s", entry->id,
		      entry->process);
		disable(entry, DISABLED_SPAWN_FAILED, 1000);
		return false;
	}
	if (entry->has_run || entry->has_exited)
		entry->restarts++;
	entry->pid = pid;
	table_index_pid(&supervisor->table, entry - supervisor->table.entries);
	entry->group = pid; /* a session leader: its pid is its group's */
	entry->state = ENTRY_RUNNING;
	entry->has_run = true;
	entry->killed = false;
	debug("started %s (pid %d): %s", entry->id, (int)pid, entry->process);
	if (accounted(supervisor, entry))
		utmp_process_started(entry->id, pid);
	return true;
}

/* SIGTERM to the entry's process group (it is a session leader), SIGKILL
 * at the deadline. */
static void stop(struct supervisor *supervisor, struct entry *entry)
{
	if (entry->state != ENTRY_RUNNING) {
		if (entry->state == ENTRY_DISABLED)
			entry->state = ENTRY_IDLE;
		return;
	}
	debug("stopping %s (pid %d)", entry->id, (int)entry->pid);
	if (kill(-entry->group, SIGTERM) < 0 && kill(entry->pid, SIGTERM) < 0)
		debug("cannot signal %s (pid %d): %m", entry->id, (int)entry->pid);
	kill(-entry->group, SIGCONT);
	entry->state = ENTRY_STOPPING;
	entry->deadline = now_ms() + supervisor->level_grace_ms;
}

/* A stopped entry is done when its whole process group is gone, not only
 * its first process: what is left of the group is SIGKILLed at the
 * deadline like the rest. */
static void finish_stop(struct supervisor *supervisor, unsigned index)
{
	struct entry *entry = &supervisor->table.entries[index];

	entry->state = ENTRY_IDLE;
	entry->has_run = false; /* shown as stopped, not done */
	if (entry->removed) {
		table_remove(&supervisor->table, index);
		if (supervisor->cursor > index)
			supervisor->cursor--;
	}
}

/* Does the entry belong to the current level (or an active ondemand one)? */
static bool wanted(const struct supervisor *supervisor, const struct entry *entry)
{
	if (entry->removed || !(action_traits(entry->action) & TRAIT_LEVEL_BOUND))
		return false;
	if (entry->demanded)
		return true;
	return supervisor->level >= 0 && (entry->levels & LEVEL_BIT(supervisor->level));
}

/* Does the entry take part in the current phase? */
static bool in_phase(const struct supervisor *supervisor, const struct entry *entry)
{
	switch (supervisor->phase) {
	case PHASE_SYSINIT:
		return entry->action == ACTION_SYSINIT;
	case PHASE_BOOT:
		return entry->action == ACTION_BOOT || entry->action == ACTION_BOOTWAIT;
	case PHASE_LEVEL:
		return wanted(supervisor, entry);
	case PHASE_FINAL:
		return false;
	}
	return false;
}

/* Should the phase cursor start this entry now? A respawn entry whenever it
 * is not running, anything else once per phase. */
static bool due(const struct supervisor *supervisor, const struct entry *entry)
{
	return entry->state == ENTRY_IDLE && in_phase(supervisor, entry) &&
	       ((action_traits(entry->action) & TRAIT_RESPAWN) || !entry->has_run);
}

/* A wait or once entry of this phase whose fork failed holds the phase
 * until it starts. */
static bool awaits_retry(const struct supervisor *supervisor, const struct entry *entry)
{
	return entry->state == ENTRY_DISABLED && entry->disable_reason == DISABLED_SPAWN_FAILED &&
	       !(action_traits(entry->action) & TRAIT_RESPAWN) && in_phase(supervisor, entry);
}

static bool barrier_running(const struct supervisor *supervisor)
{
	for (unsigned i = 0; i < supervisor->table.count; i++) {
		const struct entry *entry = &supervisor->table.entries[i];

		if (entry->state == ENTRY_RUNNING && !entry->removed &&
		    (action_traits(entry->action) & TRAIT_BARRIER))
			return true;
	}
	return false;
}

static bool any_stopping(const struct supervisor *supervisor)
{
	for (unsigned i = 0; i < supervisor->table.count; i++)
		if (supervisor->table.entries[i].state == ENTRY_STOPPING)
			return true;
	return false;
}

/* Container mode without -f has no inittab: its runlevel is bookkeeping,
 * not news for the container's log. */
static bool has_levels(const struct supervisor *supervisor)
{
	return supervisor->settings.inittab != NULL;
}

/* Leaves the current level for level: stops what the new level does not
 * list; supervisor_advance() then starts the new level's entries. */
static void enter_level(struct supervisor *supervisor, int level)
{
	supervisor->previous_level = supervisor->level;
	supervisor->level = level;
	supervisor->phase = PHASE_LEVEL;
	supervisor->cursor = 0;
	if (has_levels(supervisor))
		notice("entering runlevel %c", level_name(level));
	supervisor->single_user_over = false;
	/* Level 0 and 6 remount / read-only (Debian's umountroot), and then
	 * may power off at once (halt -f): a replaced file of init's would
	 * leave / busy and dirty. Re-execute first, as `telinit u` does; the
	 * state carries the level change across. */
	if (is_shutdown_level(level) && !supervisor->settings.container && reexec_image_replaced()) {
		notice("init's file was replaced on disk: re-executing before runlevel %c", level_name(level));
		supervisor->reexec_wanted = true;
	}
	if (!supervisor->settings.container)
		utmp_runlevel(level_name(level), level_name(supervisor->previous_level));
	for (unsigned i = 0; i < supervisor->table.count; i++) {
		struct entry *entry = &supervisor->table.entries[i];

		entry->has_run = entry->state == ENTRY_RUNNING; /* a running once is not run twice */
		if (level == LEVEL_S)
			entry->demanded = false; /* single-user mode stops them, as sysvinit's */
		if (paused_too_fast(entry))
			reenable(entry);
		if (entry->state == ENTRY_RUNNING && (action_traits(entry->action) & TRAIT_LEVEL_BOUND) &&
		    !wanted(supervisor, entry))
			stop(supervisor, entry);
	}
}

/* Single-user mode is over when an entry of level S (sulogin) has run
 * and nothing but boot entries runs any more. */
static bool single_user_ended(const struct supervisor *supervisor)
{
	bool ran = false;

	for (unsigned i = 0; i < supervisor->table.count; i++) {
		const struct entry *entry = &supervisor->table.entries[i];

		if (entry->state == ENTRY_RUNNING && entry->action != ACTION_BOOT)
			return false;
		if (!entry->removed && (entry->levels & LEVEL_BIT(LEVEL_S)) && entry->has_run &&
		    (action_traits(entry->action) & TRAIT_LEVEL_BOUND))
			ran = true;
	}
	return ran;
}

/* As sysvinit: when the single-user shell exits, the default level
 * follows. An initdefault of S stays in S. */
static void leave_single_user(struct supervisor *supervisor)
{
	int level = supervisor->default_level >= 0 ? supervisor->default_level : DEFAULT_LEVEL;

	supervisor->single_user_over = true;
	if (level == LEVEL_S) {
		notice("single-user mode ended; the default runlevel is S: staying in it");
		return;
	}
	notice("single-user mode ended: going to the default runlevel %c", level_name(level));
	enter_level(supervisor, level);
}

void supervisor_advance(struct supervisor *supervisor)
{
	for (;;) {
		/* Container mode: the main command's end is the container's. */
		if (supervisor->settings.container && supervisor->main_exited &&
		    supervisor->phase != PHASE_FINAL)
			final_stage_begin(supervisor);
		if (supervisor->phase == PHASE_FINAL) {
			final_stage_advance(supervisor);
			return;
		}
		/* A re-exec is due (telinit u, or a replaced file as level 0
		 * or 6 begins): the new image starts what comes next. */
		if (any_stopping(supervisor) || barrier_running(supervisor) || supervisor->reexec_wanted)
			return;
		while (supervisor->cursor < supervisor->table.count) {
			struct entry *entry = &supervisor->table.entries[supervisor->cursor];

			if (!awaits_retry(supervisor, entry) && due(supervisor, entry) && start(supervisor, entry) &&
			    (action_traits(entry->action) & TRAIT_BARRIER)) {
				supervisor->cursor++;
				return; /* its exit brings us back here */
			}
			if (awaits_retry(supervisor, entry))
				return; /* the retry deadline brings us back here */
			supervisor->cursor++;
		}
		/* The phase's entries have all started (and its barriers ended). */
		switch (supervisor->phase) {
		case PHASE_SYSINIT:
			supervisor->phase = PHASE_BOOT;
			supervisor->cursor = 0;
			/* As sysvinit: after sysinit, which mounts /var and creates utmp. */
			if (!supervisor->settings.container)
				utmp_boot();
			continue;
		case PHASE_BOOT: {
			int level = supervisor->requested_level >= 0 ? supervisor->requested_level
								     : supervisor->default_level;
			if (level < 0) {
				if (has_levels(supervisor))
					notice("no initdefault entry: using runlevel %d", DEFAULT_LEVEL);
				level = DEFAULT_LEVEL;
			}
			supervisor->requested_level = -1;
			enter_level(supervisor, level);
			/* The main command starts after the sysinit and boot
			 * entries (of -f), beside the level's own. */
			if (supervisor->settings.container)
				container_start_main(supervisor);
			continue;
		}
		case PHASE_LEVEL:
			if (is_shutdown_level(supervisor->level)) {
				final_stage_begin(supervisor);
				continue;
			}
			/* telinit -t was for this change only. */
			supervisor->level_grace_ms = supervisor->settings.grace_ms;
			if (supervisor->level == LEVEL_S && !supervisor->single_user_over &&
			    single_user_ended(supervisor)) {
				leave_single_user(supervisor);
				continue;
			}
			return;
		case PHASE_FINAL:
			continue;
		}
	}
}

static int reload(struct supervisor *supervisor, bool end_pauses, char *reply, unsigned size);

void supervisor_start(struct supervisor *supervisor)
{
	int default_level = -1;

	if (supervisor->restored) {
		char reply[256];

		/* The new image reads the inittab as telinit q would; deaths
		 * during the exec are reaped here or by the pending SIGCHLD. */
		if (supervisor->phase != PHASE_FINAL)
			reload(supervisor, false, reply, sizeof(reply));
		supervisor_reap(supervisor);
		supervisor_advance(supervisor);
		return;
	}

	supervisor->level = supervisor->previous_level = -1;
	supervisor->requested_level = -1;
	supervisor->level_grace_ms = supervisor->settings.grace_ms;
	supervisor->phase = PHASE_SYSINIT;
	if (supervisor->settings.container && !supervisor->settings.inittab) {
		/* Container mode without -f: only the main command runs. */
	} else if (load_inittab(supervisor, &supervisor->table, &default_level) < 0) {
		/* A container has its main command; a machine needs a shell. */
		if (!supervisor->settings.container)
			load_fallback(supervisor);
	} else if (supervisor->default_level < 0)
		supervisor->default_level = default_level;
	supervisor_advance(supervisor);
}

/* --- deadlines ---------------------------------------------------------- */

void supervisor_expire(struct supervisor *supervisor)
{
	uint64_t now = now_ms();

	for (unsigned i = supervisor->table.count; i-- > 0;) { /* backwards: finish_stop may remove */
		struct entry *entry = &supervisor->table.entries[i];

		if (entry->deadline > now)
			continue;
		if (entry->state == ENTRY_STOPPING && !entry->killed) {
			notice("%s (process group %d) still running after %llu ms: sending KILL", entry->id,
			       (int)entry->group, (unsigned long long)supervisor->level_grace_ms);
			kill(-entry->group, SIGKILL);
			if (entry->pid > 0)
				kill(entry->pid, SIGKILL);
			entry->killed = true;
			entry->deadline = now + KILL_WAIT_MS;
		} else if (entry->state == ENTRY_STOPPING) {
			/* KILL_WAIT_MS after the KILL: frozen, stuck in the kernel,
			 * held by a tracer that does not wait, or its last members
			 * left for a subreaper of their own. Nothing more can be
			 * done: its end, if it comes, is reaped as an orphan's. */
			warning("%s: process group %d outlives SIGKILL; going on without it", entry->id,
				(int)entry->group);
			entry->pid = 0;
			finish_stop(supervisor, i);
		} else if (entry->state == ENTRY_DISABLED) {
			if (paused_too_fast(entry))
				reenable(entry);
			else
				entry->state = ENTRY_IDLE; /* a fork to try again */
			if (supervisor->phase == PHASE_LEVEL && wanted(supervisor, entry) &&
			    (action_traits(entry->action) & TRAIT_RESPAWN))
				start(supervisor, entry);
		}
	}
	if (supervisor->phase == PHASE_FINAL)
		final_stage_expire(supervisor);
}

uint64_t supervisor_next_deadline(const struct supervisor *supervisor)
{
	uint64_t next = 0;

	for (unsigned i = 0; i < supervisor->table.count; i++) {
		const struct entry *entry = &supervisor->table.entries[i];
		bool pending = entry->state == ENTRY_STOPPING || entry->state == ENTRY_DISABLED;

		if (pending && (next == 0 || entry->deadline < next))
			next = entry->deadline;
	}
	if (supervisor->phase == PHASE_FINAL && supervisor->final_step != FINAL_DONE) {
		if (next == 0 || supervisor->final_deadline < next)
			next = supervisor->final_deadline;
		if (supervisor->final_poll && supervisor->final_poll < next)
			next = supervisor->final_poll;
	}
	return next;
}

/* --- children ----------------------------------------------------------- */

/* Did the entry end because init stopped it (a level change, a reload, the
 * final stage), by the signal init sent or by exiting on it? A crash while
 * being stopped (SEGV, a core dump) is no such end. */
static bool ended_by_init(const struct supervisor *supervisor, const struct entry *entry, int status)
{
	bool final = supervisor->phase == PHASE_FINAL;

	if (entry->state != ENTRY_STOPPING && !final)
		return false;
	if (WIFEXITED(status))
		return true;
	return WIFSIGNALED(status) && !WCOREDUMP(status) &&
	       (WTERMSIG(status) == SIGTERM ||
		(WTERMSIG(status) == SIGKILL && (entry->killed || supervisor->final_step != FINAL_TERM)));
}

static void report_exit(const struct supervisor *supervisor, const struct entry *entry, int status)
{
	char description[48];

	if (ended_by_init(supervisor, entry, status)) {
		bool plain = (WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) ||
			     (WIFEXITED(status) && WEXITSTATUS(status) == 0);

		info("%s (pid %d) stopped%s%s", entry->id, (int)entry->pid, plain ? "" : ": ",
		     plain ? "" : describe_status(status, description, sizeof(description)));
	} else if (WIFSIGNALED(status)) {
		info("%s (pid %d) killed by signal %s%s", entry->id, (int)entry->pid,
		     signal_name(WTERMSIG(status)), WCOREDUMP(status) ? " (core dumped)" : "");
	} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		info("%s (pid %d) exited with status %d", entry->id, (int)entry->pid,
		     WEXITSTATUS(status));
	}
}

static void entry_exited(struct supervisor *supervisor, unsigned index, int status)
{
	struct entry *entry = &supervisor->table.entries[index];

	report_exit(supervisor, entry, status);
	if (accounted(supervisor, entry))
		utmp_process_ended(entry->id, entry->pid);
	entry->pid = 0;
	entry->last_status = status;
	entry->has_exited = true;
	/* A removed entry is always stopping (reload stops it; a re-exec
	 * keeps its state): finish_stop() forgets it once its group is gone. */
	if (entry->state == ENTRY_STOPPING)
		return; /* supervisor_reap() sees whether the group is gone too */
	entry->state = ENTRY_IDLE;
	if (supervisor->phase == PHASE_LEVEL && (action_traits(entry->action) & TRAIT_RESPAWN) &&
	    wanted(supervisor, entry))
		start(supervisor, entry);
}

unsigned supervisor_reap(struct supervisor *supervisor)
{
	char description[48];
	unsigned reaped = 0;
	int status;
	pid_t pid;

	/* Signals coalesce: one SIGCHLD may stand for many deaths. */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct entry *entry = table_find_pid(&supervisor->table, pid);

		reaped++;
		if (entry)
			entry_exited(supervisor, entry - supervisor->table.entries, status);
		else if (pid == supervisor->main_pid)
			container_main_exited(supervisor, status);
		else if (supervisor->settings.orphan_log_level)
			log_message(supervisor->settings.orphan_log_level, "reaped orphan pid %d: %s",
				    (int)pid, describe_status(status, description, sizeof(description)));
	}
	supervisor->children_left = !(pid < 0 && errno == ECHILD);
	/* The members of a stopped group that outlived its leader are our
	 * children now (orphans come to init), so their deaths bring us here. */
	for (unsigned i = supervisor->table.count; i-- > 0;) {
		struct entry *entry = &supervisor->table.entries[i];

		if (entry->state == ENTRY_STOPPING && entry->pid == 0 && kill(-entry->group, 0) < 0)
			finish_stop(supervisor, i);
	}
	return reaped;
}

/* --- requests ----------------------------------------------------------- */

int supervisor_change_level(struct supervisor *supervisor, int level, enum halt_mode mode,
			    uint64_t grace_ms, char *reply, unsigned size)
{
	if (supervisor->phase == PHASE_FINAL) {
		snprintf(reply, size, "the system is already going down");
		return -1;
	}
	if (supervisor->phase == PHASE_LEVEL && level == supervisor->level) {
		snprintf(reply, size, "already in runlevel %c", level_name(level));
		return 0;
	}
	supervisor->halt_mode = level == 6 ? HALT_REBOOT : mode;
	supervisor->level_grace_ms = grace_ms ? grace_ms : supervisor->settings.grace_ms;
	if (supervisor->phase != PHASE_LEVEL) {
		supervisor->requested_level = level;
		snprintf(reply, size, "runlevel %c will follow the boot", level_name(level));
		return 0;
	}
	enter_level(supervisor, level);
	snprintf(reply, size, "switching to runlevel %c", level_name(level));
	return 0;
}

enum halt_mode supervisor_halt_mode(const struct supervisor *supervisor, int level)
{
	const char *halt = initctl_variable(supervisor->variables, "INIT_HALT");

	if (level == 6)
		return HALT_REBOOT;
	return halt && strcmp(halt, "HALT") == 0 ? HALT_HALT : HALT_POWEROFF;
}

/* Reads the inittab again into the table. telinit q also ends rate-limit
 * pauses; a re-exec keeps them. */
static int reload(struct supervisor *supervisor, bool end_pauses, char *reply, unsigned size)
{
	struct table fresh;
	int default_level;

	if (supervisor->phase == PHASE_FINAL) {
		snprintf(reply, size, "the system is going down: not reloading");
		return -1;
	}
	if (load_inittab(supervisor, &fresh, &default_level) < 0) {
		snprintf(reply, size, "cannot load %s: keeping the current table (see the console)",
			 supervisor->settings.inittab);
		return -1;
	}
	if (table_merge(&supervisor->table, &fresh) < 0) {
		error("cannot reload %s: out of memory", supervisor->settings.inittab);
		snprintf(reply, size, "out of memory: keeping the current table");
		return -1;
	}
	notice("reloading %s", supervisor->settings.inittab);
	for (unsigned i = 0; i < supervisor->table.count; i++) {
		struct entry *entry = &supervisor->table.entries[i];

		if (entry->removed)
			stop(supervisor, entry);
		else if (entry->state == ENTRY_RUNNING && (action_traits(entry->action) & TRAIT_LEVEL_BOUND) &&
			 supervisor->phase == PHASE_LEVEL && !wanted(supervisor, entry))
			stop(supervisor, entry);
		else if (end_pauses && paused_too_fast(entry))
			reenable(entry);
	}
	supervisor->cursor = 0; /* walk the table again: new entries start in file order */
	snprintf(reply, size, "reloaded %s", supervisor->settings.inittab);
	return 0;
}

int supervisor_reload(struct supervisor *supervisor, char *reply, unsigned size)
{
	return reload(supervisor, true, reply, size);
}

int supervisor_demand(struct supervisor *supervisor, int level, char *reply, unsigned size)
{
	unsigned started = 0;

	if (supervisor->phase == PHASE_FINAL) {
		snprintf(reply, size, "the system is going down: not starting ondemand entries");
		return -1;
	}
	if (supervisor->phase != PHASE_LEVEL) {
		snprintf(reply, size, "not in a runlevel yet");
		return -1;
	}
	if (supervisor->level == LEVEL_S) {
		snprintf(reply, size, "ondemand entries do not run in single-user mode (S)");
		return -1;
	}
	for (unsigned i = 0; i < supervisor->table.count; i++) {
		struct entry *entry = &supervisor->table.entries[i];

		if (entry->removed || !(entry->levels & LEVEL_BIT(level)) ||
		    !(action_traits(entry->action) & TRAIT_LEVEL_BOUND))
			continue;
		entry->demanded = true;
		if (paused_too_fast(entry))
			reenable(entry);
		if (entry->state == ENTRY_IDLE && start(supervisor, entry))
			started++;
	}
	snprintf(reply, size, "started %u entr%s of level %c", started, started == 1 ? "y" : "ies",
		 level_name(level));
	return 0;
}

int supervisor_request_reexec(struct supervisor *supervisor, char *reply, unsigned size)
{
	if (supervisor->settings.container) {
		snprintf(reply, size, "a container's init does not re-execute");
		return -1;
	}
	if (supervisor->phase == PHASE_FINAL) {
		snprintf(reply, size, "the system is going down: not re-executing");
		return -1;
	}
	supervisor->reexec_wanted = true;
	snprintf(reply, size, "re-executing init");
	return 0;
}

static bool in_current_level(const struct supervisor *supervisor, const struct entry *entry)
{
	if (entry->levels == ALL_LEVELS)
		return true;
	return supervisor->level >= 0 && (entry->levels & LEVEL_BIT(supervisor->level));
}

void supervisor_run_event(struct supervisor *supervisor, enum action action)
{
	unsigned started = 0;

	if (supervisor->phase == PHASE_FINAL)
		return;
	for (unsigned i = 0; i < supervisor->table.count; i++) {
		struct entry *entry = &supervisor->table.entries[i];

		if (entry->action != action || entry->removed || !in_current_level(supervisor, entry))
			continue;
		if (entry->state == ENTRY_IDLE || entry->state == ENTRY_DISABLED) {
			entry->state = ENTRY_IDLE;
			if (start(supervisor, entry))
				started++;
		}
	}
	info("%s: started %u entr%s", action_name(action), started, started == 1 ? "y" : "ies");
}

void supervisor_power_event(struct supervisor *supervisor)
{
	char status = 'F';

	for (unsigned i = 0; i < sizeof(power_status_files) / sizeof(power_status_files[0]); i++) {
		size_t length;
		char *text = read_small_file(power_status_files[i], 64, &length);

		if (!text && errno == ENOENT)
			continue;
		if (!text)
			warning("cannot read %s: %s", power_status_files[i], describe_read_error(errno));
		else if (length > 0)
			status = text[0];
		free(text);
		if (unlink(power_status_files[i]) < 0)
			warning("cannot remove %s: %m", power_status_files[i]);
		break;
	}
	supervisor_power_status(supervisor, status);
}

void supervisor_power_status(struct supervisor *supervisor, char status)
{
	switch (status) {
	case 'O':
		notice("power restored");
		supervisor_run_event(supervisor, ACTION_POWEROKWAIT);
		break;
	case 'L':
		notice("power failing, battery low");
		supervisor_run_event(supervisor, ACTION_POWERFAILNOW);
		break;
	default:
		notice("power failure");
		supervisor_run_event(supervisor, ACTION_POWERWAIT);
		supervisor_run_event(supervisor, ACTION_POWERFAIL);
		break;
	}
}

/* --- reports ------------------------------------------------------------ */

char *supervisor_status(const struct supervisor *supervisor)
{
	size_t size = 256, used;
	uint64_t now = now_ms();
	char *buffer;

	/* Ids have no length limit: room for each line is counted, so that
	 * no line is cut. */
	for (unsigned i = 0; i < supervisor->table.count; i++)
		size += strlen(supervisor->table.entries[i].id) + ENTRY_LINE_MAX;
	buffer = malloc(size);
	if (!buffer)
		return NULL;
	used = snprintf(buffer, size, "%s: runlevel %c (previous %c)%s\n%-8s %-8s %-12s %-14s %-7s %-8s %s\n",
			INIT_VERSION, level_name(supervisor->level), level_name(supervisor->previous_level),
			supervisor->phase == PHASE_FINAL ? ", going down" : "",
			"ID", "LEVELS", "ACTION", "STATE", "PID", "RESTARTS", "LAST EXIT");
	for (unsigned i = 0; i < supervisor->table.count && used < size; i++)
		used += entry_describe(&supervisor->table.entries[i], now, buffer + used, size - used);
	return buffer;
}

void supervisor_runlevel(const struct supervisor *supervisor, char *buffer, unsigned size)
{
	snprintf(buffer, size, "%c %c", level_name(supervisor->previous_level),
		 level_name(supervisor->level));
}
