/* pbxsim Admin(xml): show / modify / add / add-attrib / del-attrib of
 * <user cn="..."> objects with their <grp>, <device> and <cd> children
 * (pbx-soap-api.md §6.5, §7).  sim->lock held. */
#ifndef PBXSIM_ADMIN_H
#define PBXSIM_ADMIN_H

#include "sim.h"

/* Executes one command; returns the malloc'd answer: "<ok/>", the object
 * XML for show, or <error reason="..."/>.  NULL only when out of memory. */
char *admin_exec(struct sim_pbx *pbx, const char *xml);

#endif
