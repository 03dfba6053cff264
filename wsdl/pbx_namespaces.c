/* Namespace tables for the generated PBX (de)serializers. */
#include "pbx_namespaces.h"

/* Prefix, namespace URI used on output, and a pattern also accepted on
 * input (SOAP 1.2 / other schema years), as gSOAP expects them.  The inno
 * and innob prefixes match wsdl/typemap.dat; the PBX's answers may use any
 * prefix, gSOAP matches by URI. */
#define PBX_NAMESPACE_ENTRIES \
	{ "SOAP-ENV", "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/*/soap-envelope", NULL }, \
	{ "SOAP-ENC", "http://schemas.xmlsoap.org/soap/encoding/", "http://www.w3.org/*/soap-encoding", NULL }, \
	{ "xsi", "http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/*/XMLSchema-instance", NULL }, \
	{ "xsd", "http://www.w3.org/2001/XMLSchema", "http://www.w3.org/*/XMLSchema", NULL }, \
	{ "inno", "http://innovaphone.com/pbx", NULL, NULL }, \
	{ "innob", "http://innovaphone/binding", NULL, NULL }, \
	{ NULL, NULL, NULL, NULL }

const struct Namespace pbx_namespaces[] = { PBX_NAMESPACE_ENTRIES };

/* Debian's prebuilt libgsoap was compiled without WITH_NONAMESPACES: it
 * keeps an undefined reference to a global table named "namespaces" (declared
 * non-const in stdsoap2.h) that soap_init installs as the default.  This
 * definition satisfies that reference so programs link against the packaged
 * runtime.  It is never modified: gSOAP copies a table before using it, and
 * every context of ours is given pbx_namespaces explicitly.  Consequently a
 * program must not also compile a soapcpp2-generated *.nsmap file. */
struct Namespace namespaces[] = { PBX_NAMESPACE_ENTRIES };
