/* The stdin thread: reads commands line by line.  Commands that act on the
 * provider are queued for the processing thread, so their replies come in
 * order with the events; `sleep` and `wait` run here and delay the reading
 * of the following lines.  At EOF it asks for shutdown unless a --seconds
 * run is in progress (so scripts can pipe a few commands). */
#ifndef TAPIHOST_STDIN_READER_H
#define TAPIHOST_STDIN_READER_H

#include <stdbool.h>
#include <stdio.h>

#include "host.h"

struct stdin_reader;

int stdin_reader_start(struct stdin_reader **out, struct host *h, FILE *in,
		       bool quit_at_eof);
/* Stops queuing commands.  Returns true if the thread has ended and was
 * joined (then r is freed); false if it is still blocked reading: it will
 * not touch the host any more, but r and the host must stay allocated. */
bool stdin_reader_stop(struct stdin_reader *r);

#endif
