/* The inittab(5) parser: bytes in, entries and errors out. No I/O and no
 * globals, so it can be unit-tested and fuzzed on its own. */
#ifndef HYDRA_INITTAB_H
#define HYDRA_INITTAB_H

#include <stdbool.h>
#include <stddef.h>

#include "id_index.h"

enum action {
	ACTION_SYSINIT,
	ACTION_BOOT,
	ACTION_BOOTWAIT,
	ACTION_WAIT,
	ACTION_ONCE,
	ACTION_RESPAWN,
	ACTION_OFF,
	ACTION_ONDEMAND,
	ACTION_INITDEFAULT,
	ACTION_CTRLALTDEL,
	ACTION_KBREQUEST,
	ACTION_POWERWAIT,
	ACTION_POWERFAIL,
	ACTION_POWEROKWAIT,
	ACTION_POWERFAILNOW,
};

/* What an action means to the supervisor. */
enum action_trait {
	TRAIT_LEVEL_BOUND = 1 << 0, /* runs in the levels it lists, stopped on leaving them */
	TRAIT_BARRIER = 1 << 1,     /* nothing after it starts until it has exited */
	TRAIT_RESPAWN = 1 << 2,     /* restarted whenever it exits */
	TRAIT_AT_BOOT = 1 << 3,     /* runs once at boot, before the first level */
	TRAIT_ON_EVENT = 1 << 4,    /* runs when a signal reports an event */
};

/* Runlevels as bits: 0-9, S, and the ondemand levels a, b, c. */
enum { LEVEL_S = 10, LEVEL_A = 11, LEVEL_COUNT = 14 };
#define LEVEL_BIT(index) (1u << (index))
#define ALL_LEVELS (LEVEL_BIT(LEVEL_A) - 1) /* an empty field: 0-9 and S */
#define ONDEMAND_LEVELS (LEVEL_BIT(LEVEL_A) | LEVEL_BIT(LEVEL_A + 1) | LEVEL_BIT(LEVEL_A + 2))

struct inittab_entry {
	char *id;
	unsigned levels; /* LEVEL_BIT()s */
	enum action action;
	char *process; /* for initdefault: empty */
	unsigned file; /* which of the files read (see inittab_add) */
	unsigned line;
};

struct inittab_error {
	unsigned file;
	unsigned line; /* 0: about the whole file */
	char *message;
};

struct inittab {
	struct inittab_entry *entries;
	unsigned count;
	struct inittab_error *errors;
	unsigned error_count;
	int default_level; /* a level index, or -1 if no initdefault line */
	struct id_index ids; /* the entries by id, for the duplicate check */
};

/* Parses text; each bad line becomes an error and is skipped. Returns 0,
 * or -1 with errno ENOMEM (then result holds nothing). */
int inittab_parse(const char *text, size_t length, struct inittab *result);
/* The same for several files read one after the other (the inittab, then
 * inittab.d): init once, then add each file's text with its number, which
 * its entries and errors keep. An id is unique across all of them. */
void inittab_init(struct inittab *result);
int inittab_add(struct inittab *result, const char *text, size_t length, unsigned file);
/* Records a problem with a whole file (line 0). 0, or -1 (ENOMEM) as above. */
int inittab_add_error(struct inittab *result, unsigned file, const char *message);
void inittab_free(struct inittab *inittab);

const char *action_name(enum action action);
unsigned action_traits(enum action action);
/* '0'..'9', 'S', 'a'..'c' (either case) to a level index; -1 if none. */
int level_index(char character);
/* The inverse: 0 -> '0', LEVEL_S -> 'S', LEVEL_A -> 'a'. */
char level_character(int index);
/* Writes levels as "2345" into buffer (size >= LEVEL_COUNT + 1). */
char *levels_string(unsigned levels, char *buffer);
/* Splits line in place at spaces and tabs into words (a process field, a
 * control request). Returns the count of words, max + 1 when there are more
 * than max (words then holds the first max). */
unsigned split_words(char *line, char **words, unsigned max);

#endif
