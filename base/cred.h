/* Credential protection for the PBX account/password stored in the config
 * (values "admin1"/"admin2", REG_BINARY).  Windows: DPAPI (machine scope),
 * so a blob only decrypts on the machine that wrote it, as in the reference.
 * POSIX: AES-256-GCM with OpenSSL, key in a root-only key file created on
 * first use (default /etc/tsp8/tsp8.key, or beside the config file).
 * Clear-text "admin1-free"/"admin2-free" values override the encrypted ones
 * (handled by the caller).
 */
#ifndef TSP8_BASE_CRED_H
#define TSP8_BASE_CRED_H

#include <stddef.h>

/* key_path: POSIX key file (NULL = default); ignored on Windows.
 * *blob is malloc'd; free() it. */
int cred_encrypt(const char *key_path, const char *plain, unsigned char **blob, size_t *blob_len);
/* *plain is malloc'd and NUL-terminated; TSP8_EAUTH if the blob does not
 * decrypt with this machine's key (tampered or from another machine). */
int cred_decrypt(const char *key_path, const unsigned char *blob, size_t blob_len, char **plain);

#endif
