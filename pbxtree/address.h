/* The TAPI address of a line (reference: "Multi Site Configuration"):
 * the object's node number followed by its extension (e164), e.g. node 801
 * + extension 42 = "80142"; only the extension with PureNodeExtensions or
 * when the object has no node number; "" when it has no extension. */
#ifndef TSP8_PBXTREE_ADDRESS_H
#define TSP8_PBXTREE_ADDRESS_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the address into buf (always terminated).  TSP8_OK, TSP8_EINVAL,
 * or TSP8_ELIMIT when it did not fit (buf then holds "" ). */
int line_address(const char *nodenum, const char *e164, bool pure_node_extensions,
		 char *buf, size_t len);

#endif
