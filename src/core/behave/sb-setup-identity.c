/* sb-setup-identity.c — the certificate a self-signed server's setup keeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-setup"

#include "config.h"

#include "sb-setup-identity.h"
#include "sb-tls-cert.h"

#define KEY "tls-self-signed"

gboolean
sb_setup_identity_wanted (const SbSessionSpec *spec)
{
  g_return_val_if_fail (spec != NULL, FALSE);

  return (spec->kind == SB_KIND_TLS_SERVER || spec->kind == SB_KIND_DTLS_SERVER) &&
         spec->tls != NULL && spec->tls->self_signed;
}

gboolean
sb_setup_identity_same (const SbSessionSpec *kept,
                        const SbSessionSpec *spec)
{
  const char *mine = kept != NULL && kept->tls != NULL ? kept->tls->identity_pem : NULL;

  return spec->tls == NULL || spec->tls->identity_pem == NULL ||
         g_strcmp0 (mine, spec->tls->identity_pem) == 0;
}

void
sb_setup_identity_attach (SbSessionSpec  *spec,
                          char          **kept)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (spec != NULL);
  g_return_if_fail (kept != NULL);

  if (!sb_setup_identity_wanted (spec))
    {
      if (spec->tls != NULL)
        g_clear_pointer (&spec->tls->identity_pem, g_free);
      return;
    }

  if (spec->tls->identity_pem != NULL)
    {
      g_free (*kept);
      *kept = g_strdup (spec->tls->identity_pem);
      return;
    }

  if (*kept == NULL)
    *kept = sb_tls_cert_new_identity (spec->bind_host, &error);
  /* GnuTLS could not make one: the server makes its own when it starts,
   * and says why it cannot then. */
  if (*kept == NULL)
    g_debug ("No certificate kept: %s", error->message);
  spec->tls->identity_pem = g_strdup (*kept);
}

gboolean
sb_setup_identity_load (SbSessionSpec  *spec,
                        GKeyFile       *keyfile,
                        const char     *group,
                        GError        **error)
{
  g_autofree char *pem = NULL;

  g_return_val_if_fail (spec != NULL, FALSE);

  if (!sb_setup_identity_wanted (spec) ||
      (pem = g_key_file_get_string (keyfile, group, KEY, NULL)) == NULL)
    return TRUE;
  if (!sb_tls_cert_check_identity (pem, NULL, error))
    return FALSE;

  g_free (spec->tls->identity_pem);
  spec->tls->identity_pem = g_steal_pointer (&pem);
  return TRUE;
}

void
sb_setup_identity_save (const SbSessionSpec *spec,
                        GKeyFile            *keyfile,
                        const char          *group)
{
  g_return_if_fail (spec != NULL);

  if (sb_setup_identity_wanted (spec) && spec->tls->identity_pem != NULL)
    g_key_file_set_string (keyfile, group, KEY, spec->tls->identity_pem);
  else
    g_key_file_remove_key (keyfile, group, KEY, NULL);
}
