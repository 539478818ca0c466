/* Reading numbers from arguments without the C library's floating point
 * (strtod and scanf would double the size of the binary). */
#ifndef HYDRA_NUMBER_H
#define HYDRA_NUMBER_H

#include <stdint.h>

/* "3", "0.5" or "2.25" seconds to milliseconds, at most max_ms. Returns 0,
 * or -1 if text is no such number (then *milliseconds is unchanged). */
int parse_seconds(const char *text, uint64_t max_ms, uint64_t *milliseconds);

#endif
