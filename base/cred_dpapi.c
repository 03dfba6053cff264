/* Credential protection of base/cred.h with DPAPI in machine scope
 * (CRYPTPROTECT_LOCAL_MACHINE): every account on this machine can decrypt
 * (tapisrv as NetworkService, the administrator's configuration tool), no
 * other machine can, as with the reference provider.
 *
 * The blob is DPAPI's own, without entropy or a header of ours, and the
 * plain text is the UTF-8 bytes without a terminator.  key_path is not
 * used: the machine key belongs to Windows. */
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <wincrypt.h>

#include "base/cred.h"
#include "base/error.h"

#define PLAIN_MAX (64u * 1024u)  /* credentials are short: refuse nonsense */
#define BLOB_MAX (1024u * 1024u)

int cred_encrypt(const char *key_path, const char *plain, unsigned char **blob, size_t *blob_len)
{
	DATA_BLOB in, out = { 0, NULL };
	unsigned char *copy;
	size_t plen;

	(void)key_path;
	if (!plain || !blob || !blob_len)
		return TSP8_EINVAL;
	plen = strlen(plain);
	if (plen > PLAIN_MAX)
		return TSP8_ELIMIT;
	in.cbData = (DWORD)plen;
	in.pbData = (BYTE *)plain;
	/* UI_FORBIDDEN: a service must never be asked to show a prompt. */
	if (!CryptProtectData(&in, NULL, NULL, NULL, NULL,
			      CRYPTPROTECT_LOCAL_MACHINE | CRYPTPROTECT_UI_FORBIDDEN, &out))
		return TSP8_EIO;
	/* Hand out memory the caller can free(): DPAPI's is LocalAlloc'd. */
	copy = malloc(out.cbData ? out.cbData : 1);
	if (copy)
		memcpy(copy, out.pbData, out.cbData);
	LocalFree(out.pbData);
	if (!copy)
		return TSP8_ENOMEM;
	*blob = copy;
	*blob_len = out.cbData;
	return TSP8_OK;
}

int cred_decrypt(const char *key_path, const unsigned char *blob, size_t blob_len, char **plain)
{
	DATA_BLOB in, out = { 0, NULL };
	char *text;
	size_t n;

	(void)key_path;
	if (!blob || !plain)
		return TSP8_EINVAL;
	if (blob_len == 0 || blob_len > BLOB_MAX)
		return TSP8_EAUTH;      /* cannot be one of ours */
	in.cbData = (DWORD)blob_len;
	in.pbData = (BYTE *)blob;
	/* Whatever the reason (tampered, another machine, not DPAPI at all),
	 * the caller's answer is the same: use the clear-text value. */
	if (!CryptUnprotectData(&in, NULL, NULL, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &out))
		return TSP8_EAUTH;
	n = out.cbData;
	/* A writer that stored the terminator too is accepted. */
	while (n > 0 && out.pbData[n - 1] == 0)
		n--;
	if (n > PLAIN_MAX || memchr(out.pbData, 0, n)) {
		SecureZeroMemory(out.pbData, out.cbData);
		LocalFree(out.pbData);
		return TSP8_EAUTH;      /* not a credential text */
	}
	text = malloc(n + 1);
	if (text) {
		memcpy(text, out.pbData, n);
		text[n] = '\0';
	}
	SecureZeroMemory(out.pbData, out.cbData);
	LocalFree(out.pbData);
	if (!text)
		return TSP8_ENOMEM;
	*plain = text;
	return TSP8_OK;
}
