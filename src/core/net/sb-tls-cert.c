/* sb-tls-cert.c — making certificates with GnuTLS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-tls"

#include "config.h"

#include <arpa/inet.h>
#include <glib/gi18n.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string.h>

#include "sb-tls-cert.h"

static gboolean
gnutls_failed (int      ret,
               GError **error)
{
  if (ret >= 0)
    return FALSE;

  g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_MISC,
               _("Could not make a certificate: %s"), gnutls_strerror (ret));
  return TRUE;
}

static char *
export_pem (int   (*export) (void *, gnutls_x509_crt_fmt_t, gnutls_datum_t *),
            void   *object)
{
  gnutls_datum_t out = { NULL, 0 };
  char *pem;

  if (export (object, GNUTLS_X509_FMT_PEM, &out) < 0)
    return NULL;
  pem = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

static int
add_host (gnutls_x509_crt_t  crt,
          const char        *host)
{
  guint8 addr[16];

  if (inet_pton (AF_INET, host, addr) == 1)
    return gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, addr, 4, GNUTLS_FSAN_APPEND);
  if (inet_pton (AF_INET6, host, addr) == 1)
    return gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_IPADDRESS, addr, 16, GNUTLS_FSAN_APPEND);
  return gnutls_x509_crt_set_subject_alt_name (crt, GNUTLS_SAN_DNSNAME, host, strlen (host),
                                               GNUTLS_FSAN_APPEND);
}

static gboolean
import_issuer (const SbTlsCertRequest  *request,
               gnutls_x509_crt_t       *crt,
               gnutls_x509_privkey_t   *key,
               GError                 **error)
{
  gnutls_datum_t data;

  if (gnutls_failed (gnutls_x509_crt_init (crt), error) ||
      gnutls_failed (gnutls_x509_privkey_init (key), error))
    return FALSE;

  data.data = (unsigned char *) request->issuer_cert_pem;
  data.size = strlen (request->issuer_cert_pem);
  if (gnutls_failed (gnutls_x509_crt_import (*crt, &data, GNUTLS_X509_FMT_PEM), error))
    return FALSE;

  data.data = (unsigned char *) request->issuer_key_pem;
  data.size = strlen (request->issuer_key_pem);
  return !gnutls_failed (gnutls_x509_privkey_import (*key, &data, GNUTLS_X509_FMT_PEM), error);
}

gboolean
sb_tls_cert_generate (const SbTlsCertRequest  *request,
                      char                   **cert_pem,
                      char                   **key_pem,
                      GError                 **error)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t issuer = NULL;
  gnutls_x509_privkey_t issuer_key = NULL;
  guint8 serial[16];
  gboolean ok = FALSE;

  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (request->common_name != NULL, FALSE);
  g_return_val_if_fail ((request->issuer_cert_pem == NULL) == (request->issuer_key_pem == NULL), FALSE);

  for (guint i = 0; i < sizeof serial; i++)
    serial[i] = g_random_int_range (0, 256);
  serial[0] &= 0x7f;  /* positive */
  serial[0] |= 0x01;

  if (gnutls_failed (gnutls_x509_privkey_init (&key), error) ||
      gnutls_failed (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                   GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
                     error) ||
      gnutls_failed (gnutls_x509_crt_init (&crt), error) ||
      gnutls_failed (gnutls_x509_crt_set_version (crt, 3), error) ||
      gnutls_failed (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), error) ||
      gnutls_failed (gnutls_x509_crt_set_activation_time (crt, (time_t) request->not_before), error) ||
      gnutls_failed (gnutls_x509_crt_set_expiration_time (crt, (time_t) request->not_after), error) ||
      gnutls_failed (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                    request->common_name,
                                                    strlen (request->common_name)),
                     error) ||
      gnutls_failed (gnutls_x509_crt_set_key (crt, key), error) ||
      gnutls_failed (gnutls_x509_crt_set_basic_constraints (crt, request->is_ca, -1), error) ||
      gnutls_failed (gnutls_x509_crt_set_key_usage (crt, request->is_ca
                                                         ? GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN
                                                         : GNUTLS_KEY_DIGITAL_SIGNATURE),
                     error) ||
      gnutls_failed (gnutls_x509_crt_set_subject_key_id (crt, serial, 16), error))
    goto out;

  if (!request->is_ca)
    {
      if (gnutls_failed (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), error) ||
          gnutls_failed (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_CLIENT, 0), error))
        goto out;
    }

  for (guint i = 0; request->hosts != NULL && request->hosts[i] != NULL; i++)
    {
      if (gnutls_failed (add_host (crt, request->hosts[i]), error))
        goto out;
    }

  if (request->issuer_cert_pem != NULL)
    {
      if (!import_issuer (request, &issuer, &issuer_key, error) ||
          gnutls_failed (gnutls_x509_crt_sign2 (crt, issuer, issuer_key, GNUTLS_DIG_SHA256, 0), error))
        goto out;
    }
  else if (gnutls_failed (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), error))
    {
      goto out;
    }

  *cert_pem = export_pem ((int (*) (void *, gnutls_x509_crt_fmt_t, gnutls_datum_t *)) gnutls_x509_crt_export2, crt);
  *key_pem = export_pem ((int (*) (void *, gnutls_x509_crt_fmt_t, gnutls_datum_t *)) gnutls_x509_privkey_export2, key);
  ok = *cert_pem != NULL && *key_pem != NULL;
  if (!ok)
    {
      g_clear_pointer (cert_pem, g_free);
      g_clear_pointer (key_pem, g_free);
      g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_MISC, _("Could not write the new certificate as PEM"));
    }

out:
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  if (issuer != NULL)
    gnutls_x509_crt_deinit (issuer);
  if (issuer_key != NULL)
    gnutls_x509_privkey_deinit (issuer_key);
  return ok;
}

char *
sb_tls_cert_new_identity (const char  *bind_host,
                          GError     **error)
{
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  const char *hosts[5] = { "localhost", "127.0.0.1", "::1", NULL, NULL };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  SbTlsCertRequest request = {
    .common_name = "Sockbench self-signed",
    .hosts = hosts,
    .not_before = now - 24 * 3600,
    .not_after = now + 365 * 24 * 3600,
  };

  if (bind_host != NULL && g_strv_contains (hosts, bind_host) == FALSE &&
      g_strcmp0 (bind_host, "0.0.0.0") != 0 && g_strcmp0 (bind_host, "::") != 0)
    hosts[3] = bind_host;

  if (!sb_tls_cert_generate (&request, &cert_pem, &key_pem, error))
    return NULL;

  return g_strconcat (cert_pem, key_pem, NULL);
}

GTlsCertificate *
sb_tls_cert_new_self_signed (const char  *bind_host,
                             GError     **error)
{
  g_autofree char *both = sb_tls_cert_new_identity (bind_host, error);

  if (both == NULL)
    return NULL;
  return g_tls_certificate_new_from_pem (both, -1, error);
}

static char *
format_fingerprint (const guint8 *der,
                    gsize         der_len)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  GString *out;

  g_checksum_update (checksum, der, der_len);
  g_checksum_get_digest (checksum, digest, &len);

  out = g_string_sized_new (len * 3);
  for (gsize i = 0; i < len; i++)
    g_string_append_printf (out, i == 0 ? "%02X" : ":%02X", digest[i]);
  return g_string_free (out, FALSE);
}

gboolean
sb_tls_cert_check_identity (const char  *pem,
                            char       **fingerprint,
                            GError     **error)
{
  gnutls_x509_crt_t crt = NULL;
  gnutls_x509_privkey_t key = NULL;
  gnutls_datum_t data = { (unsigned char *) pem, pem != NULL ? strlen (pem) : 0 };
  gnutls_datum_t der = { NULL, 0 };
  guint8 crt_id[64], key_id[64];
  size_t crt_id_len = sizeof crt_id, key_id_len = sizeof key_id;
  int ret;
  gboolean ok = FALSE;

  g_return_val_if_fail (pem != NULL, FALSE);

  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_import (crt, &data, GNUTLS_X509_FMT_PEM)) < 0)
    {
      g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                   _("The kept self-signed certificate cannot be read: %s"), gnutls_strerror (ret));
      goto out;
    }
  if ((ret = gnutls_x509_privkey_init (&key)) < 0 ||
      (ret = gnutls_x509_privkey_import (key, &data, GNUTLS_X509_FMT_PEM)) < 0)
    {
      g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                   _("The key of the kept self-signed certificate cannot be read: %s"), gnutls_strerror (ret));
      goto out;
    }
  if (gnutls_x509_crt_get_key_id (crt, 0, crt_id, &crt_id_len) < 0 ||
      gnutls_x509_privkey_get_key_id (key, 0, key_id, &key_id_len) < 0 ||
      crt_id_len != key_id_len || memcmp (crt_id, key_id, crt_id_len) != 0)
    {
      g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                           _("The kept self-signed certificate and its key do not belong together"));
      goto out;
    }
  if (fingerprint != NULL)
    {
      if ((ret = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &der)) < 0)
        {
          g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                       _("The kept self-signed certificate cannot be read: %s"), gnutls_strerror (ret));
          goto out;
        }
      *fingerprint = format_fingerprint (der.data, der.size);
      gnutls_free (der.data);
    }
  ok = TRUE;

out:
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);
  return ok;
}

char *
sb_tls_cert_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return g_strdup ("");
  return format_fingerprint (der->data, der->len);
}
