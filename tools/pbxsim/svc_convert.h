/* pbxsim service layer: model records -> gSOAP response structures.
 * Everything is allocated in the soap context (freed by soap_end). */
#ifndef PBXSIM_SVC_CONVERT_H
#define PBXSIM_SVC_CONVERT_H

#include "records.h"
#include "soapH.h"

struct inno__UserInfo *conv_userinfo(struct soap *soap, const struct sim_userinfo *u);
struct inno__CallInfo *conv_callinfo(struct soap *soap, const struct sim_callinfo *c);
/* Arrays from an event list (events of the other kind are skipped);
 * NULL when the list holds none of that kind. */
struct UserInfoArray *conv_user_array(struct soap *soap, const struct sim_event *list);
struct CallInfoArray *conv_call_array(struct soap *soap, const struct sim_event *list);
/* Empty (size 0) arrays, for answers that must carry an array. */
struct UserInfoArray *conv_empty_users(struct soap *soap);
struct CallInfoArray *conv_empty_calls(struct soap *soap);

/* soap_strdup that never returns NULL for a present string. */
char *conv_str(struct soap *soap, const char *s);
/* enum xsd__boolean from a C bool. */
enum xsd__boolean conv_bool(bool b);

#endif
