/* sb-tls.c — the TLS handshake of a stream session's connections, and what
 * it showed, in words, in the history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-tls"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-tls.h"
#include "sb-tls-cert.h"

/* Engine thread only */

typedef struct
{
  SbSession            *session;
  SbPeer               *peer;
  /* A GTlsConnection, or a GDtlsConnection (DTLS over a datagram socket). */
  GObject              *tls;
  GCancellable         *cancellable;
  GCancellable         *session_cancellable;
  gulong                cancelled_id;
  GSource              *timeout;
  SbTlsDoneFunc         done;
  /* The name the server's certificate must carry (clients). */
  char                 *expected_host;
  /* Why the peer's certificate was refused, "; "-separated. */
  GString              *refused;
  guint                 socket_id;
  guint                 server : 1;
  guint                 datagram : 1;
  guint                 insecure : 1;
  guint                 chain_recorded : 1;
  guint                 timed_out : 1;
} Handshake;

/* GnuTLS reads SSLKEYLOGFILE once per process, at the first handshake. */
static gboolean tls_used;
static char *keylog_path;

static void
handshake_free (Handshake *hs)
{
  if (hs->timeout != NULL)
    {
      g_source_destroy (hs->timeout);
      g_source_unref (hs->timeout);
    }
  if (hs->cancelled_id != 0)
    g_cancellable_disconnect (hs->session_cancellable, hs->cancelled_id);
  g_clear_object (&hs->session_cancellable);
  if (hs->tls != NULL)
    g_signal_handlers_disconnect_by_data (hs->tls, hs);
  g_clear_object (&hs->tls);
  g_clear_object (&hs->cancellable);
  g_clear_object (&hs->peer);
  g_clear_object (&hs->session);
  g_free (hs->expected_host);
  if (hs->refused != NULL)
    g_string_free (hs->refused, TRUE);
  g_free (hs);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Handshake, handshake_free)

static void
event (Handshake   *hs,
       SbEventKind  kind,
       const char  *text)
{
  sb_recorder_event (_sb_session_get_recorder (hs->session), sb_peer_get_id (hs->peer),
                     kind, "%s", text);
}

static void
trace (Handshake    *hs,
       SbCallKind    kind,
       gint64        arg1,
       const char   *text,
       const GError *error)
{
  _sb_session_trace (hs->session, kind, hs->socket_id, NULL, arg1, 0, text, error);
}

const char *
sb_tls_protocol_name (GTlsProtocolVersion version)
{
  switch (version)
    {
    case G_TLS_PROTOCOL_VERSION_SSL_3_0:  return "SSL 3.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_0:  return "TLS 1.0";
    case G_TLS_PROTOCOL_VERSION_TLS_1_1:  return "TLS 1.1";
    case G_TLS_PROTOCOL_VERSION_TLS_1_2:  return "TLS 1.2";
    case G_TLS_PROTOCOL_VERSION_TLS_1_3:  return "TLS 1.3";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_0: return "DTLS 1.0";
    case G_TLS_PROTOCOL_VERSION_DTLS_1_2: return "DTLS 1.2";
    case G_TLS_PROTOCOL_VERSION_UNKNOWN:
    default:                              return "TLS";
    }
}

gboolean
_sb_tls_check_backend (GError **error)
{
  if (g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    return TRUE;

  g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_UNAVAILABLE,
                       _("TLS is not available: GIO has no TLS backend. Install glib-networking (on Debian and Ubuntu: sudo apt install glib-networking) and start again"));
  return FALSE;
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return g_strdup ("?");
  utc = g_date_time_to_utc (time);
  return g_date_time_format (utc, "%Y-%m-%d %H:%M UTC");
}

/* The names a certificate is valid for: DNS names and IP addresses. */
static char *
certificate_names (GTlsCertificate *certificate)
{
  g_autoptr(GPtrArray) dns = g_tls_certificate_get_dns_names (certificate);
  g_autoptr(GPtrArray) ips = g_tls_certificate_get_ip_addresses (certificate);
  GString *out = g_string_new (NULL);

  for (guint i = 0; dns != NULL && i < dns->len; i++)
    {
      gsize len;
      const char *name = g_bytes_get_data (g_ptr_array_index (dns, i), &len);

      g_string_append_printf (out, "%s%.*s", out->len ? ", " : "", (int) len, name);
    }
  for (guint i = 0; ips != NULL && i < ips->len; i++)
    {
      g_autofree char *text = g_inet_address_to_string (g_ptr_array_index (ips, i));

      g_string_append_printf (out, "%s%s", out->len ? ", " : "", text);
    }

  if (out->len == 0)
    {
      g_autofree char *subject = g_tls_certificate_get_subject_name (certificate);

      g_string_append (out, subject ? subject : "?");
    }
  return g_string_free (out, FALSE);
}

static void
record_certificate (Handshake       *hs,
                    GTlsCertificate *certificate,
                    guint            n,
                    guint            total)
{
  g_autofree char *subject = g_tls_certificate_get_subject_name (certificate);
  g_autofree char *issuer = g_tls_certificate_get_issuer_name (certificate);
  g_autoptr(GDateTime) from = g_tls_certificate_get_not_valid_before (certificate);
  g_autoptr(GDateTime) until = g_tls_certificate_get_not_valid_after (certificate);
  g_autofree char *from_text = format_time (from);
  g_autofree char *until_text = format_time (until);
  g_autofree char *names = certificate_names (certificate);
  g_autofree char *fingerprint = sb_tls_cert_fingerprint (certificate);
  g_autoptr(GString) text = g_string_new (NULL);

  /* Translators: the first line of a certificate shown in the history; the
   * lines after it are "Issued by:", "Valid:", "Names:" and "SHA-256:" */
  g_string_append_printf (text, _("Certificate %u of %u: %s"), n, total, subject ? subject : "?");
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Issued by: %s"), issuer ? issuer : "?");
  g_string_append_c (text, '\n');
  /* Translators: a certificate's validity: “Valid: 2026-01-01 00:00 UTC to 2027-01-01 00:00 UTC” */
  g_string_append_printf (text, _("Valid: %s to %s"), from_text, until_text);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Names: %s"), names);
  g_string_append_c (text, '\n');
  g_string_append_printf (text, "SHA-256: %s", fingerprint);

  event (hs, SB_EVENT_CERTIFICATE, text->str);
}

#define MAX_CHAIN 16

/* The chain the peer sent, then the authorities above it that this side
 * trusts (a server rarely sends its root). */
static void
record_chain (Handshake       *hs,
              GTlsCertificate *leaf)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GTlsDatabase) database = NULL;

  g_object_get (hs->tls, "database", &database, NULL);
  hs->chain_recorded = TRUE;
  for (GTlsCertificate *c = leaf; c != NULL && chain->len < MAX_CHAIN; c = g_tls_certificate_get_issuer (c))
    g_ptr_array_add (chain, g_object_ref (c));

  while (database != NULL && chain->len < MAX_CHAIN)
    {
      GTlsCertificate *top = g_ptr_array_index (chain, chain->len - 1);
      g_autofree char *subject = g_tls_certificate_get_subject_name (top);
      g_autofree char *issuer = g_tls_certificate_get_issuer_name (top);
      GTlsCertificate *above;

      if (g_strcmp0 (subject, issuer) == 0)
        break;
      above = g_tls_database_lookup_certificate_issuer (database, top, NULL,
                                                        G_TLS_DATABASE_LOOKUP_NONE, NULL, NULL);
      if (above == NULL || g_tls_certificate_is_same (above, top))
        {
          g_clear_object (&above);
          break;
        }
      g_ptr_array_add (chain, above);
    }

  for (guint i = 0; i < chain->len; i++)
    record_certificate (hs, g_ptr_array_index (chain, i), i + 1, chain->len);
}

/* One validation failure of @certificate, in words. */
static char *
describe_flag (Handshake            *hs,
               GTlsCertificate      *certificate,
               GTlsCertificateFlags  flag)
{
  switch (flag)
    {
    case G_TLS_CERTIFICATE_UNKNOWN_CA:
      {
        g_autofree char *issuer = g_tls_certificate_get_issuer_name (certificate);
        g_autofree char *subject = g_tls_certificate_get_subject_name (certificate);

        if (issuer != NULL && g_strcmp0 (issuer, subject) == 0)
          return g_strdup_printf (_("self-signed (by “%s”), not signed by an authority this side trusts"), issuer);
        return g_strdup_printf (_("signed by an unknown authority (“%s”)"), issuer ? issuer : "?");
      }

    case G_TLS_CERTIFICATE_BAD_IDENTITY:
      {
        g_autofree char *names = certificate_names (certificate);

        if (hs->expected_host == NULL)
          return g_strdup_printf (_("issued for %s, not for this peer"), names);
        /* Translators: “issued for example.org, not 127.0.0.1” */
        return g_strdup_printf (_("issued for %s, not %s"), names, hs->expected_host);
      }

    case G_TLS_CERTIFICATE_NOT_ACTIVATED:
      {
        g_autoptr(GDateTime) from = g_tls_certificate_get_not_valid_before (certificate);
        g_autofree char *text = format_time (from);

        return g_strdup_printf (_("not valid before %s"), text);
      }

    case G_TLS_CERTIFICATE_EXPIRED:
      {
        g_autoptr(GDateTime) until = g_tls_certificate_get_not_valid_after (certificate);
        g_autofree char *text = format_time (until);

        return g_strdup_printf (_("expired on %s"), text);
      }

    case G_TLS_CERTIFICATE_REVOKED:
      return g_strdup (_("revoked by its authority"));

    case G_TLS_CERTIFICATE_INSECURE:
      return g_strdup (_("signed with an algorithm that is no longer safe"));

    case G_TLS_CERTIFICATE_GENERIC_ERROR:
    case G_TLS_CERTIFICATE_NO_FLAGS:
    case G_TLS_CERTIFICATE_VALIDATE_ALL:
    default:
      return g_strdup (_("not valid (the TLS library gave no reason)"));
    }
}

static gboolean
on_accept_certificate (GObject              *connection,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Handshake *hs = user_data;
  static const GTlsCertificateFlags flags[] = {
    G_TLS_CERTIFICATE_UNKNOWN_CA,
    G_TLS_CERTIFICATE_BAD_IDENTITY,
    G_TLS_CERTIFICATE_NOT_ACTIVATED,
    G_TLS_CERTIFICATE_EXPIRED,
    G_TLS_CERTIFICATE_REVOKED,
    G_TLS_CERTIFICATE_INSECURE,
    G_TLS_CERTIFICATE_GENERIC_ERROR,
  };

  record_chain (hs, certificate);

  /* glib-networking asks a server's handler even about a valid chain. */
  if ((errors & G_TLS_CERTIFICATE_VALIDATE_ALL) == 0)
    return TRUE;

  if (hs->refused == NULL)
    hs->refused = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      g_autofree char *reason = NULL;
      g_autofree char *text = NULL;

      if (!(errors & flags[i]))
        continue;

      reason = describe_flag (hs, certificate, flags[i]);
      g_string_append_printf (hs->refused, "%s%s", hs->refused->len ? "; " : "", reason);
      /* Translators: %s is why, e.g. “expired on 2026-01-01 00:00 UTC” */
      text = g_strdup_printf (_("The peer’s certificate is %s"), reason);
      event (hs, hs->insecure ? SB_EVENT_WARNING : SB_EVENT_ERROR, text);
    }

  if (hs->insecure)
    event (hs, SB_EVENT_WARNING,
           _("Accepted anyway (insecure): this connection is encrypted, but nothing proves who is at the other end"));

  return hs->insecure;
}

static char *
peer_label (Handshake *hs)
{
  const SbSessionSpec *spec = sb_session_get_spec (hs->session);

  /* A TLS relay's upstream leg: the peer is the client, this is its server. */
  if (spec->kind == SB_KIND_RELAY_TLS && !hs->server)
    return sb_address_format_host_port (spec->host, spec->port);
  return g_strdup (sb_peer_get_label (hs->peer));
}

/* GnuTLS on the server side calls bytes that are not TLS records an
 * "unexpected packet" (glib-networking passes that on as a plain failure). */
static gboolean
looks_not_tls (Handshake    *hs,
               const GError *error)
{
  return error->domain == G_TLS_ERROR && !hs->chain_recorded &&
         (strstr (error->message, "unexpected TLS packet") != NULL ||
          strstr (error->message, "unexpected length") != NULL ||
          strstr (error->message, "unsupported version") != NULL);
}

/* A handshake error a user can act on. */
static GError *
humanize (Handshake    *hs,
          const GError *error)
{
  g_autofree char *who = peer_label (hs);

  if (hs->timed_out)
    return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                        _("The TLS handshake with %s timed out after %u s"),
                        who, sb_session_get_timeout (hs->session));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (hs->refused != NULL && hs->refused->len > 0 && !hs->insecure)
    return g_error_new (G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                        _("The certificate of %s was refused: %s"), who, hs->refused->str);

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
      strstr (error->message, "reset by peer") != NULL ||
      strstr (error->message, "non-properly terminated") != NULL)
    return g_error_new (G_TLS_ERROR, G_TLS_ERROR_EOF,
                        _("%s closed the connection during the TLS handshake (it may have refused this side’s certificate)"),
                        who);

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS) || looks_not_tls (hs, error))
    return g_error_new (G_TLS_ERROR, G_TLS_ERROR_NOT_TLS,
                        _("%s does not speak TLS: what it sent is not a TLS handshake (%s)"),
                        who, error->message);

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
    return g_error_new (G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED,
                        hs->server
                        ? _("%s showed no client certificate, and this server asks for one (ca= is set)")
                        : _("%s asks for a client certificate: give one with cert= and key="),
                        who);

  return g_error_new (error->domain, error->code, _("The TLS handshake with %s failed: %s"),
                      who, error->message);
}

static void
record_success (Handshake *hs)
{
  g_autoptr(GTlsCertificate) peer_certificate = NULL;
  g_autofree char *alpn = NULL;
  g_autofree char *cipher = NULL;
  GTlsProtocolVersion protocol = G_TLS_PROTOCOL_VERSION_UNKNOWN;
  const char *version;
  g_autofree char *summary = NULL;
  g_autofree char *call_text = NULL;
  g_autofree char *subject = NULL;

  /* The same properties on GTlsConnection and GDtlsConnection. */
  g_object_get (hs->tls, "peer-certificate", &peer_certificate, "negotiated-protocol", &alpn,
                "ciphersuite-name", &cipher, "protocol-version", &protocol, NULL);
  version = sb_tls_protocol_name (protocol);
  call_text = g_strdup_printf ("%s %s", version, cipher ? cipher : "");
  trace (hs, SB_CALL_TLS_HANDSHAKE, hs->server, call_text, NULL);

  if (peer_certificate != NULL && !hs->chain_recorded)
    record_chain (hs, peer_certificate);
  if (peer_certificate != NULL)
    subject = g_tls_certificate_get_subject_name (peer_certificate);
  trace (hs, SB_CALL_TLS_PEERCERT, hs->server, subject, NULL);

  if (alpn != NULL)
    /* Translators: the TLS handshake's outcome: “TLS 1.3, cipher suite
     * TLS_AES_256_GCM_SHA384, ALPN protocol h2” */
    summary = g_strdup_printf (_("%s, cipher suite %s, ALPN protocol %s"),
                               version, cipher ? cipher : "?", alpn);
  else
    summary = g_strdup_printf (_("%s, cipher suite %s, no ALPN protocol"),
                               version, cipher ? cipher : "?");
  /* A TLS relay has two handshakes per peer: say which leg. */
  if (sb_session_get_kind (hs->session) == SB_KIND_RELAY_TLS)
    {
      g_autofree char *leg = g_strdup_printf (hs->server ? _("With the client: %s") : _("With the server: %s"),
                                              summary);

      g_free (summary);
      summary = g_steal_pointer (&leg);
    }
  event (hs, SB_EVENT_TLS, summary);
}

static void
on_handshake_done (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Handshake) hs = user_data;
  g_autoptr(GError) error = NULL;

  gboolean ok = !hs->datagram
                ? g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error)
                : g_dtls_connection_handshake_finish (G_DTLS_CONNECTION (object), result, &error);

  if (!ok)
    {
      g_autoptr(GError) human = humanize (hs, error);

      if (!g_error_matches (human, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        trace (hs, SB_CALL_TLS_HANDSHAKE, hs->server, NULL, human);
      hs->done (hs->session, hs->peer, NULL, human);
      return;
    }

  record_success (hs);
  /* A relay reads and writes through @tls itself. */
  if (!hs->datagram && sb_session_get_kind (hs->session) != SB_KIND_RELAY_TLS)
    _sb_peer_set_tls (hs->peer, G_IO_STREAM (hs->tls));
  hs->done (hs->session, hs->peer, hs->tls, NULL);
}

static gboolean
on_timeout (gpointer user_data)
{
  Handshake *hs = user_data;

  hs->timed_out = TRUE;
  g_cancellable_cancel (hs->cancellable);
  g_clear_pointer (&hs->timeout, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
on_session_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* GnuTLS writes keys where SSLKEYLOGFILE says, read once per process at
 * the first handshake: set it before that, and only then. */
static void
prepare_keylog (Handshake          *hs,
                const SbTlsOptions *options)
{
  const char *path = options != NULL ? options->keylog_file : NULL;
  const char *env = g_getenv ("SSLKEYLOGFILE");
  g_autofree char *text = NULL;

  if (path == NULL)
    {
      tls_used = TRUE;
      return;
    }

  if (!tls_used && (env == NULL || *env == '\0'))
    {
      keylog_path = g_strdup (path);
      g_setenv ("SSLKEYLOGFILE", path, TRUE);
    }
  tls_used = TRUE;

  if (env != NULL && *env != '\0' && keylog_path == NULL)
    keylog_path = g_strdup (env);

  if (g_strcmp0 (keylog_path, path) == 0)
    {
      /* Translators: %s is a file; the keys of every TLS session of this process go there */
      text = g_strdup_printf (_("TLS keys are written to %s (NSS key log: Wireshark decrypts a capture with it). Keep it secret: it opens every TLS session of this process"),
                              path);
      event (hs, SB_EVENT_WARNING, text);
    }
  else
    {
      text = g_strdup_printf (_("TLS keys cannot be written to %s: the TLS library takes the key log file once per process, at its first handshake (%s). Start this session first, or set SSLKEYLOGFILE"),
                              path, keylog_path ? keylog_path : _("no key log"));
      event (hs, SB_EVENT_ERROR, text);
    }
}

void
_sb_tls_handshake (SbSession       *session,
                   SbPeer          *peer,
                   guint            socket_id,
                   GTlsCertificate *certificate,
                   SbTlsDoneFunc    done)
{
  _sb_tls_handshake_over (session, peer, socket_id, certificate,
                          G_OBJECT (_sb_peer_get_connection (peer)), done);
}

void
_sb_tls_handshake_over (SbSession       *session,
                        SbPeer          *peer,
                        guint            socket_id,
                        GTlsCertificate *certificate,
                        GObject         *base,
                        SbTlsDoneFunc    done)
{
  const SbSessionSpec *spec = sb_session_get_spec (session);
  const SbTlsOptions *options = spec->tls;
  gboolean datagram = G_IS_DATAGRAM_BASED (base) && !G_IS_IO_STREAM (base);
  /* relay-tls: cert= is the listening side's, ca= checks the upstream. */
  gboolean relay = spec->kind == SB_KIND_RELAY_TLS;
  g_autoptr(Handshake) hs = g_new0 (Handshake, 1);
  g_autoptr(GObject) tls = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) alpn = sb_tls_options_get_alpn (options);
  guint timeout = sb_session_get_timeout (session);

  hs->session = g_object_ref (session);
  hs->peer = g_object_ref (peer);
  hs->done = done;
  hs->socket_id = socket_id;
  hs->server = certificate != NULL;
  hs->insecure = options != NULL && options->insecure;
  hs->datagram = datagram;

  if (!_sb_tls_check_backend (&error))
    {
      done (session, peer, NULL, error);
      return;
    }

  if (hs->server)
    {
      tls = datagram
            ? G_OBJECT (g_dtls_server_connection_new (G_DATAGRAM_BASED (base), certificate, &error))
            : G_OBJECT (g_tls_server_connection_new (G_IO_STREAM (base), certificate, &error));
      if (tls != NULL && options != NULL && options->ca_file != NULL && !relay)
        g_object_set (tls, "authentication-mode", G_TLS_AUTHENTICATION_REQUIRED, NULL);
      trace (hs, SB_CALL_TLS_WRAP, 1, NULL, error);
    }
  else
    {
      const char *name = options != NULL && options->sni != NULL ? options->sni : spec->host;
      g_autoptr(GSocketConnectable) identity = g_network_address_new (name, spec->port);

      hs->expected_host = g_strdup (name);
      tls = datagram
            ? G_OBJECT (g_dtls_client_connection_new (G_DATAGRAM_BASED (base), identity, &error))
            : G_OBJECT (g_tls_client_connection_new (G_IO_STREAM (base), identity, &error));
      trace (hs, SB_CALL_TLS_WRAP, 0, name, error);
    }
  if (tls == NULL)
    {
      done (session, peer, NULL, error);
      return;
    }
  hs->tls = g_steal_pointer (&tls);

  if (options != NULL && options->ca_file != NULL && !(relay && hs->server))
    {
      /* glib-networking takes absolute paths only. */
      g_autofree char *ca_file = g_canonicalize_filename (options->ca_file, NULL);
      g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca_file, &error);

      if (database == NULL)
        {
          g_autoptr(GError) human = g_error_new (G_TLS_ERROR, G_TLS_ERROR_MISC,
                                                 _("Could not read the CA file %s: %s"),
                                                 options->ca_file, error->message);
          done (session, peer, NULL, human);
          return;
        }
      g_object_set (hs->tls, "database", database, NULL);
    }

  if (!hs->server && !relay && options != NULL && options->cert_file != NULL)
    {
      g_autoptr(GTlsCertificate) mine =
        g_tls_certificate_new_from_files (options->cert_file,
                                          options->key_file ? options->key_file : options->cert_file,
                                          &error);
      if (mine == NULL)
        {
          g_autoptr(GError) human = g_error_new (G_TLS_ERROR, G_TLS_ERROR_MISC,
                                                 _("Could not read the client certificate %s: %s"),
                                                 options->cert_file, error->message);
          done (session, peer, NULL, human);
          return;
        }
      g_object_set (hs->tls, "certificate", mine, NULL);
    }

  if (alpn != NULL)
    g_object_set (hs->tls, "advertised-protocols", alpn, NULL);

  prepare_keylog (hs, options);

  g_signal_connect (hs->tls, "accept-certificate", G_CALLBACK (on_accept_certificate), hs);

  hs->cancellable = g_cancellable_new ();
  hs->session_cancellable = g_object_ref (_sb_session_get_cancellable (session));
  hs->cancelled_id = g_cancellable_connect (hs->session_cancellable, G_CALLBACK (on_session_cancelled),
                                            g_object_ref (hs->cancellable), g_object_unref);

  if (timeout > 0)
    {
      hs->timeout = g_timeout_source_new_seconds (timeout);
      g_source_set_callback (hs->timeout, on_timeout, hs, NULL);
      g_source_attach (hs->timeout, g_main_context_get_thread_default ());
    }

  if (datagram)
    g_dtls_connection_handshake_async (G_DTLS_CONNECTION (hs->tls), G_PRIORITY_DEFAULT, hs->cancellable,
                                       on_handshake_done, hs);
  else
    g_tls_connection_handshake_async (G_TLS_CONNECTION (hs->tls), G_PRIORITY_DEFAULT, hs->cancellable,
                                      on_handshake_done, hs);
  g_steal_pointer (&hs);
}

GTlsCertificate *
_sb_tls_server_certificate (SbSession  *session,
                            GError    **error)
{
  const SbSessionSpec *spec = sb_session_get_spec (session);
  const SbTlsOptions *options = spec->tls;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!_sb_tls_check_backend (error))
    return NULL;

  if (options != NULL && options->cert_file != NULL)
    {
      certificate = g_tls_certificate_new_from_files (options->cert_file,
                                                      options->key_file ? options->key_file : options->cert_file,
                                                      &local_error);
      if (certificate == NULL)
        {
          g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                       _("Could not read the server certificate %s with its key: %s"),
                       options->cert_file, local_error->message);
          return NULL;
        }
      return g_steal_pointer (&certificate);
    }

  /* A TLS relay makes one unless cert= is given. */
  if ((options != NULL && options->self_signed) || spec->kind == SB_KIND_RELAY_TLS)
    {
      g_autofree char *fingerprint = NULL;
      g_autofree char *names = NULL;

      /* The one its setup keeps (the same each start), or a new one. */
      gboolean kept = options != NULL && options->identity_pem != NULL;

      if (kept)
        certificate = g_tls_certificate_new_from_pem (options->identity_pem, -1, error);
      else
        certificate = sb_tls_cert_new_self_signed (spec->bind_host, error);
      if (certificate == NULL)
        return NULL;
      fingerprint = sb_tls_cert_fingerprint (certificate);
      names = certificate_names (certificate);
      if (kept)
        _sb_session_event (session, NULL, SB_EVENT_INFO,
                           _("Uses the self-signed certificate kept with its setup, for %s (SHA-256 %s); clients must accept it with insecure=1 or trust it"),
                           names, fingerprint);
      else
        _sb_session_event (session, NULL, SB_EVENT_INFO,
                           _("Made a self-signed certificate for %s (SHA-256 %s); clients must accept it with insecure=1 or trust it"),
                           names, fingerprint);
      return g_steal_pointer (&certificate);
    }

  g_set_error_literal (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE,
                       _("A TLS server needs a certificate: give cert= and key= (PEM files), or self-signed=1 to make one"));
  return NULL;
}
