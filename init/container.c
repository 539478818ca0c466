#include "container.h"

#include <stdio.h>
#include <stdlib.h>

#include "supervisor.h"

int container_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "init: container mode is not there yet\n");
	return 2;
}

void container_main_exited(struct supervisor *supervisor, int status)
{
	supervisor->main_exited = true;
	supervisor->main_status = status;
}

void container_exit(struct supervisor *supervisor)
{
	exit(supervisor->main_status);
}
