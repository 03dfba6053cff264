/* TSP8 error codes shared by every layer.
 *
 * Each failure is one of these codes; tsp8_strerror() gives the matching
 * human-readable text.  LINEERR_* codes appear only at the TSPI boundary
 * (tsp8/), never below it.
 */
#ifndef TSP8_BASE_ERROR_H
#define TSP8_BASE_ERROR_H

enum tsp8_err {
	TSP8_OK = 0,
	TSP8_ENOMEM,      /* out of memory */
	TSP8_EINVAL,      /* invalid argument */
	TSP8_ENOTFOUND,   /* no such object / value */
	TSP8_EEXIST,      /* object already exists */
	TSP8_ESTATE,      /* operation not valid in the current state */
	TSP8_EIO,         /* I/O error (file, socket) */
	TSP8_ETIMEOUT,    /* timed out */
	TSP8_ECONNECT,    /* could not connect to the peer */
	TSP8_ECLOSED,     /* connection closed by the peer */
	TSP8_ETLS,        /* TLS handshake or certificate verification failed */
	TSP8_EAUTH,       /* HTTP 401/403: credentials refused */
	TSP8_EHTTP,       /* other HTTP status than 200 */
	TSP8_EFAULT,      /* SOAP fault returned by the PBX */
	TSP8_EPROTO,      /* malformed or unexpected response (XML, SOAP) */
	TSP8_EREFUSED,    /* the PBX answered but refused (return value 0) */
	TSP8_ESESSION,    /* PBX session lost or invalid (Echo 0, ...) */
	TSP8_ESYNTAX,     /* syntax error in a file or command */
	TSP8_ELIMIT,      /* a configured limit was reached */
	TSP8_ECANCELED,   /* operation canceled (shutdown, close) */
	TSP8_ESHUTDOWN,   /* object is shutting down */
	TSP8_EUNSUPPORTED,/* not supported on this platform / build */
	TSP8_ERR_COUNT
};

/* Text for an error code; never NULL (unknown codes give "unknown error"). */
const char *tsp8_strerror(int err);

#endif
