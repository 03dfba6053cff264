/* XML namespace table for the gSOAP code generated from pbx10_00.wsdl.
 *
 * The generated code is compiled with WITH_NONAMESPACES, so gSOAP has no
 * implicit global table: every struct soap that (de)serializes PBX messages
 * must be given this one with soap_set_namespaces(soap, pbx_namespaces)
 * right after soap_new()/soap_init().
 */
#ifndef TSP8_WSDL_PBX_NAMESPACES_H
#define TSP8_WSDL_PBX_NAMESPACES_H

#include "stdsoap2.h"

/* Constant table, terminated by an all-NULL entry. */
extern const struct Namespace pbx_namespaces[];

#endif
