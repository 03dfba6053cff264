/* Credential protection of base/cred.h with OpenSSL: AES-256-GCM under a
 * machine key kept in a file only its owner can read.
 *
 * Blob layout: "T8C1" | 12-byte IV | 16-byte GCM tag | ciphertext.  The
 * magic is authenticated as additional data, so any changed byte fails. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "base/cred.h"
#include "base/error.h"
#include "base/platform.h"
#include "base/platform_priv.h"

#define KEY_LEN 32
#define IV_LEN 12
#define TAG_LEN 16
#define MAGIC "T8C1"
#define MAGIC_LEN 4
#define HEAD_LEN (MAGIC_LEN + IV_LEN + TAG_LEN)
#define DEFAULT_KEY_PATH "/etc/tsp8/tsp8.key"
#define KEY_NAME "tsp8.key"
#define PLAIN_MAX (64u * 1024u)  /* credentials are short: refuse nonsense */

/* NULL key path: beside $TSP8_CONFIG when that is set, else the default. */
static int resolve_key_path(const char *key_path, char *buf, size_t len)
{
	const char *cfg, *slash;
	int n;

	if (key_path && *key_path)
		n = snprintf(buf, len, "%s", key_path);
	else if ((cfg = getenv("TSP8_CONFIG")) && *cfg) {
		slash = strrchr(cfg, '/');
		if (slash)
			n = snprintf(buf, len, "%.*s/%s", (int)(slash - cfg), cfg, KEY_NAME);
		else
			n = snprintf(buf, len, "%s", KEY_NAME);
	} else {
		n = snprintf(buf, len, "%s", DEFAULT_KEY_PATH);
	}
	return n < 0 || (size_t)n >= len ? TSP8_ELIMIT : TSP8_OK;
}

static int read_key(const char *path, unsigned char key[KEY_LEN])
{
	char *data;
	size_t len;
	int rc = plat_read_file(path, &data, &len);

	if (rc != TSP8_OK)
		return rc;
	if (len == KEY_LEN)
		memcpy(key, data, KEY_LEN);
	else
		rc = TSP8_EIO;          /* not a key file of ours */
	OPENSSL_cleanse(data, len);
	free(data);
	return rc;
}

/* Reads the machine key; with create, makes one when there is none. */
static int load_key(const char *key_path, bool create, unsigned char key[KEY_LEN])
{
	char path[4096];
	int rc = resolve_key_path(key_path, path, sizeof(path));

	if (rc != TSP8_OK)
		return rc;
	rc = read_key(path, key);
	if (rc != TSP8_ENOTFOUND || !create)
		return rc;
	if (RAND_bytes(key, KEY_LEN) != 1)
		return TSP8_EIO;
	rc = plat_create_file_exclusive(path, key, KEY_LEN, true);
	if (rc == TSP8_EEXIST)          /* another process was first: use its key */
		rc = read_key(path, key);
	return rc;
}

int cred_encrypt(const char *key_path, const char *plain, unsigned char **blob, size_t *blob_len)
{
	unsigned char key[KEY_LEN], *out;
	size_t plen;
	EVP_CIPHER_CTX *ctx;
	int n, fin, rc;

	if (!plain || !blob || !blob_len)
		return TSP8_EINVAL;
	plen = strlen(plain);
	if (plen > PLAIN_MAX)
		return TSP8_ELIMIT;
	rc = load_key(key_path, true, key);
	if (rc != TSP8_OK)
		return rc;
	out = malloc(HEAD_LEN + plen + 1);
	ctx = EVP_CIPHER_CTX_new();
	if (!out || !ctx) {
		rc = TSP8_ENOMEM;
		goto done;
	}
	memcpy(out, MAGIC, MAGIC_LEN);
	rc = TSP8_EIO;
	if (RAND_bytes(out + MAGIC_LEN, IV_LEN) != 1 ||
	    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, IV_LEN, NULL) != 1 ||
	    EVP_EncryptInit_ex(ctx, NULL, NULL, key, out + MAGIC_LEN) != 1 ||
	    EVP_EncryptUpdate(ctx, NULL, &n, out, MAGIC_LEN) != 1 ||
	    EVP_EncryptUpdate(ctx, out + HEAD_LEN, &n, (const unsigned char *)plain,
			      (int)plen) != 1 ||
	    EVP_EncryptFinal_ex(ctx, out + HEAD_LEN + n, &fin) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN,
				out + MAGIC_LEN + IV_LEN) != 1)
		goto done;
	*blob = out;
	*blob_len = HEAD_LEN + (size_t)n + (size_t)fin;
	out = NULL;
	rc = TSP8_OK;
done:
	OPENSSL_cleanse(key, sizeof(key));
	EVP_CIPHER_CTX_free(ctx);
	free(out);
	return rc;
}

int cred_decrypt(const char *key_path, const unsigned char *blob, size_t blob_len, char **plain)
{
	unsigned char key[KEY_LEN], tag[TAG_LEN], *out;
	size_t clen;
	EVP_CIPHER_CTX *ctx;
	int n, fin, rc;

	if (!blob || !plain)
		return TSP8_EINVAL;
	if (blob_len < HEAD_LEN || memcmp(blob, MAGIC, MAGIC_LEN) != 0 ||
	    blob_len - HEAD_LEN > PLAIN_MAX)
		return TSP8_EAUTH;      /* not one of our blobs */
	clen = blob_len - HEAD_LEN;
	rc = load_key(key_path, false, key);
	if (rc == TSP8_ENOTFOUND)
		return TSP8_EAUTH;      /* no key here: written on another machine */
	if (rc != TSP8_OK)
		return rc;
	memcpy(tag, blob + MAGIC_LEN + IV_LEN, TAG_LEN);
	out = malloc(clen + 1);
	ctx = EVP_CIPHER_CTX_new();
	if (!out || !ctx) {
		rc = TSP8_ENOMEM;
		goto done;
	}
	rc = TSP8_EIO;
	if (EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, IV_LEN, NULL) != 1 ||
	    EVP_DecryptInit_ex(ctx, NULL, NULL, key, blob + MAGIC_LEN) != 1 ||
	    EVP_DecryptUpdate(ctx, NULL, &n, blob, MAGIC_LEN) != 1 ||
	    EVP_DecryptUpdate(ctx, out, &n, blob + HEAD_LEN, (int)clen) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag) != 1)
		goto done;
	if (EVP_DecryptFinal_ex(ctx, out + n, &fin) != 1) {
		rc = TSP8_EAUTH;        /* tampered, or another machine's key */
		goto done;
	}
	out[n + fin] = '\0';
	*plain = (char *)out;
	out = NULL;
	rc = TSP8_OK;
done:
	OPENSSL_cleanse(key, sizeof(key));
	EVP_CIPHER_CTX_free(ctx);
	if (out) {
		OPENSSL_cleanse(out, clen + 1);
		free(out);
	}
	return rc;
}
