/* tls-make-certs.c — certificates for the TLS interop tests, made at test time
 *
 *   tls-make-certs DIR    writes DIR/ca.pem, DIR/server.{pem,key} (for
 *                         localhost, 127.0.0.1, ::1) and DIR/client.{pem,key},
 *                         both signed by the CA, valid for a day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "sb-tls-cert.h"

static gboolean
save (const char  *dir,
      const char  *name,
      const char  *text,
      GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents (path, text, -1, error);
}

int
main (int   argc,
      char *argv[])
{
  const char * const loopback[] = { "localhost", "127.0.0.1", "::1", NULL };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *ca_pem = NULL, *ca_key = NULL;
  g_autofree char *server_pem = NULL, *server_key = NULL;
  g_autofree char *client_pem = NULL, *client_key = NULL;
  g_autoptr(GError) error = NULL;
  SbTlsCertRequest ca = {
    .common_name = "Sockbench Interop CA",
    .not_before = now - 3600,
    .not_after = now + 24 * 3600,
    .is_ca = TRUE,
  };
  SbTlsCertRequest leaf = {
    .not_before = now - 3600,
    .not_after = now + 24 * 3600,
  };

  if (argc != 2)
    {
      fprintf (stderr, "usage: tls-make-certs DIR\n");
      return 2;
    }

  if (!sb_tls_cert_generate (&ca, &ca_pem, &ca_key, &error))
    goto fail;
  leaf.issuer_cert_pem = ca_pem;
  leaf.issuer_key_pem = ca_key;
  leaf.common_name = "server";
  leaf.hosts = loopback;
  if (!sb_tls_cert_generate (&leaf, &server_pem, &server_key, &error))
    goto fail;
  leaf.common_name = "client";
  leaf.hosts = NULL;
  if (!sb_tls_cert_generate (&leaf, &client_pem, &client_key, &error))
    goto fail;

  if (save (argv[1], "ca.pem", ca_pem, &error) &&
      save (argv[1], "server.pem", server_pem, &error) &&
      save (argv[1], "server.key", server_key, &error) &&
      save (argv[1], "client.pem", client_pem, &error) &&
      save (argv[1], "client.key", client_key, &error))
    return 0;

fail:
  fprintf (stderr, "tls-make-certs: %s\n", error->message);
  return 1;
}
