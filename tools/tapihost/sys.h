/* Process-level services tapihost needs beyond base/platform.h: signal
 * handling and setting an environment variable for the provider.  sys.c is
 * the only file of tapihost with platform conditionals. */
#ifndef TAPIHOST_SYS_H
#define TAPIHOST_SYS_H

#include <stdbool.h>

/* SIGINT/SIGTERM request an orderly shutdown; SIGPIPE is ignored. */
void sys_install_signals(void);
/* True once SIGINT or SIGTERM arrived. */
bool sys_signalled(void);
/* Sets an environment variable for this process (and the provider it
 * loads).  TSP8_OK or TSP8_EIO. */
int sys_setenv(const char *name, const char *value);
/* File name of the provider library: "libtsp8.so", or "tsp8.tsp" on
 * Windows. */
const char *sys_provider_file_name(void);

#endif
