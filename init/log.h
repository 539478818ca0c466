/* Logging: one line per call, to the console and, for the machine's real
 * init, to the kernel log. Writing never blocks init. */
#ifndef HYDRA_LOG_H
#define HYDRA_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

enum log_level { LOG_ERROR = 3, LOG_WARNING = 4, LOG_NOTICE = 5, LOG_INFO = 6, LOG_DEBUG = 7 };

/* Opens the console (a path; /dev/null if it cannot be opened; NULL for
 * init's own stderr) for init's messages; with to_kmsg, also /dev/kmsg.
 * Safe to call again to reopen. */
void log_open(const char *console, bool to_kmsg);
/* Messages above this level are dropped (default LOG_INFO). */
void log_set_verbosity(enum log_level level);
void log_message(enum log_level level, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* The clock: CLOCK_MONOTONIC milliseconds, for rate limits and deadlines;
 * read_clock for the others (utmp's CLOCK_REALTIME). */
uint64_t now_ms(void);
void read_clock(clockid_t clock, struct timespec *now);

/* A burst of lines, then silence, as the kernel's printk_ratelimit: for
 * what anyone can cause at will (refused control requests). At most
 * LOG_BURST lines per LOG_INTERVAL_MS; the first line allowed after a
 * silence is preceded by the count of those left out. */
enum { LOG_BURST = 10, LOG_INTERVAL_MS = 5000 };
struct log_ratelimit {
	const char *what;       /* "control: refused requests" */
	uint64_t begin;
	unsigned printed, missed;
};
/* Should the next such line be logged? */
bool log_ratelimit(struct log_ratelimit *limit);

#define error(...) log_message(LOG_ERROR, __VA_ARGS__)
#define warning(...) log_message(LOG_WARNING, __VA_ARGS__)
#define notice(...) log_message(LOG_NOTICE, __VA_ARGS__)
#define info(...) log_message(LOG_INFO, __VA_ARGS__)
#define debug(...) log_message(LOG_DEBUG, __VA_ARGS__)

#endif
