/* Text for the TSP8 error codes of base/error.h. */
#include "base/error.h"

const char *tsp8_strerror(int err)
{
	switch ((enum tsp8_err)err) {
	case TSP8_OK:           return "success";
	case TSP8_ENOMEM:       return "out of memory";
	case TSP8_EINVAL:       return "invalid argument";
	case TSP8_ENOTFOUND:    return "no such object or value";
	case TSP8_EEXIST:       return "object already exists";
	case TSP8_ESTATE:       return "operation not valid in the current state";
	case TSP8_EIO:          return "I/O error";
	case TSP8_ETIMEOUT:     return "timed out";
	case TSP8_ECONNECT:     return "could not connect to the peer";
	case TSP8_ECLOSED:      return "connection closed by the peer";
	case TSP8_ETLS:         return "TLS handshake or certificate verification failed";
	case TSP8_EAUTH:        return "authentication failed or credentials refused";
	case TSP8_EHTTP:        return "unexpected HTTP status";
	case TSP8_EFAULT:       return "SOAP fault returned by the PBX";
	case TSP8_EPROTO:       return "malformed or unexpected response";
	case TSP8_EREFUSED:     return "request refused by the PBX";
	case TSP8_ESESSION:     return "PBX session lost or invalid";
	case TSP8_ESYNTAX:      return "syntax error";
	case TSP8_ELIMIT:       return "limit reached";
	case TSP8_ECANCELED:    return "operation canceled";
	case TSP8_ESHUTDOWN:    return "shutting down";
	case TSP8_EUNSUPPORTED: return "not supported on this platform or build";
	case TSP8_ERR_COUNT:    break;
	}
	return "unknown error";
}
