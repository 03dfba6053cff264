/* pbxsim tree generator: synthetic PBX trees for benchmarks and tests.
 *
 *   pbxsim --gen-tree slaves=N,users=M[,standby=S][,unrelated=K] > tree.json
 *
 * One tree = a master "master" with N slaves "slave1".."slaveN" (the
 * master holds a PBX object per slave), M users homed on every PBX of the
 * tree, the TAPI user "_TAPI_" (password "tapi", active in group "tapi")
 * and a trunk "Trunk" (e164 0).  standby=1 gives the master a standby
 * "master-standby", standby=2 also every slave ("slaveI-standby").
 * unrelated=K adds K more trees of the same shape whose names start with
 * "t<k>-" (t1-master, t1-slave1, ...).  Users: cn "User <pbx>.<user>"
 * (prefixed "T<k> " in the extra trees), h323 "u<pbx>_<user>" ("t<k>_u<pbx>_
 * <user>"), e164
 * "1" + PBX index + user index (equal length: no number is a prefix of
 * another), one registered device each. */
#ifndef PBXSIM_GEN_TREE_H
#define PBXSIM_GEN_TREE_H

#include <stddef.h>

#include "strbuf.h"

/* Writes the tree JSON for spec to out.  TSP8_OK, TSP8_ESYNTAX (message
 * in err), TSP8_ENOMEM. */
int gen_tree(const char *spec, struct strbuf *out, char *err, size_t errlen);

#endif
