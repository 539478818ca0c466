/* POSIX getopt. musl's also reads multibyte option characters, which
 * pulls in its locale code; hydra's options are ASCII letters. As in
 * POSIX (and musl), options end at the first operand or at "--"; a
 * leading '+' in the option string, GNU's way of asking for that, is
 * accepted, and a leading ':' reports a missing argument as ':' instead
 * of printing a message. Setting optind to 0 starts again. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;

static int position; /* within the word at optind, for grouped options */

static int complain(const char *program, const char *what, int option)
{
	if (opterr)
		dprintf(STDERR_FILENO, "%s: %s: %c\n", program, what, option);
	return '?';
}

int getopt(int argc, char *const argv[], const char *options)
{
	const char *word, *spec;
	int option;

	if (optind == 0) {
		optind = 1;
		position = 0;
	}
	optarg = NULL;
	if (*options == '+')
		options++;
	if (optind >= argc || !argv[optind])
		return -1;
	word = argv[optind];
	if (position == 0) {
		if (word[0] != '-' || word[1] == '\0')
			return -1;
		if (strcmp(word, "--") == 0) {
			optind++;
			return -1;
		}
		position = 1;
	}
	option = (unsigned char)word[position++];
	optopt = option;
	if (word[position] == '\0') {
		optind++;
		position = 0;
	}
	spec = option == ':' ? NULL : strchr(options + (*options == ':'), option);
	if (!spec)
		return *options == ':' ? '?' : complain(argv[0], "unrecognized option", option);
	if (spec[1] != ':')
		return option;
	if (position) { /* the rest of this word: -cPATH */
		optarg = (char *)word + position;
		optind++;
		position = 0;
	} else if (optind < argc) {
		optarg = argv[optind++];
	} else {
		if (*options == ':')
			return ':';
		return complain(argv[0], "option requires an argument", option);
	}
	return option;
}
