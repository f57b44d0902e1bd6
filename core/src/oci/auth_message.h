/* What a registry or token server said when it refused credentials, in
 * a form fit for one error line. */
#ifndef FUNCP_OCI_AUTH_MESSAGE_H
#define FUNCP_OCI_AUTH_MESSAGE_H

#include <stddef.h>

/* The server's own words from a refusal body: errors[].message (docker
 * distribution), "details" (docker's token servers), "error_description"
 * or "error" (OAuth2), "message"; else the first line of a short plain
 * text body; else the challenge's error_description/error parameter
 * (`www_authenticate` may be NULL). Control characters are dropped and
 * the text is cut to fit. "" when the server said nothing usable. */
void fp_auth_server_message(const char *body, size_t len, const char *www_authenticate, char *out, size_t size);

#endif
