/* Signal names, both ways: for log lines and for options such as -p. */
#ifndef HYDRA_SIGNALS_H
#define HYDRA_SIGNALS_H

/* "TERM" for SIGTERM; "RT3" style for real-time signals; "?" if unknown. */
const char *signal_name(int signal_number);
/* Accepts "TERM", "SIGTERM", "sigterm" and "15"; returns 0 if unknown. */
int signal_number(const char *name);
/* Describes a wait status: "exit status 3", "signal KILL", "signal SEGV (core dumped)". */
const char *describe_status(int status, char *buffer, unsigned size);

#endif
