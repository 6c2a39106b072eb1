/* test-tls.c — TLS sessions on loopback, with certificates made at test time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "sb-python-export.h"
#include "sb-session-setup.h"
#include "sb-sessions.h"
#include "sb-test-util.h"
#include "sb-tls-cert.h"

/* Made once: a CA, certificates it signed, and a stranger's. */
static char *ca_pem, *ca_key;
static char *dir;

static char *
path_of (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static void
write_file (const char *name,
            const char *text)
{
  g_autofree char *path = path_of (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* Writes NAME.pem and NAME.key, signed by the CA (or self-signed). */
static void
make_cert (const char         *name,
           const char * const *hosts,
           gint64              not_before,
           gint64              not_after,
           gboolean            signed_by_ca)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *cert_name = g_strconcat (name, ".pem", NULL);
  g_autofree char *key_name = g_strconcat (name, ".key", NULL);
  SbTlsCertRequest request = {
    .common_name = name,
    .hosts = hosts,
    .not_before = not_before,
    .not_after = not_after,
    .issuer_cert_pem = signed_by_ca ? ca_pem : NULL,
    .issuer_key_pem = signed_by_ca ? ca_key : NULL,
  };

  g_assert_true (sb_tls_cert_generate (&request, &cert, &key, &error));
  g_assert_no_error (error);
  write_file (cert_name, cert);
  write_file (key_name, key);
}

static void
make_certificates (void)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char * const loopback[] = { "localhost", "127.0.0.1", "::1", NULL };
  const char * const elsewhere[] = { "example.org", NULL };
  SbTlsCertRequest ca = {
    .common_name = "Sockbench Test CA",
    .not_before = now - 3600,
    .not_after = now + 24 * 3600,
    .is_ca = TRUE,
  };
  g_autoptr(GError) error = NULL;

  dir = g_build_filename (sb_test_tmpdir, "certs", NULL);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);

  g_assert_true (sb_tls_cert_generate (&ca, &ca_pem, &ca_key, &error));
  g_assert_no_error (error);
  write_file ("ca.pem", ca_pem);

  make_cert ("server", loopback, now - 3600, now + 24 * 3600, TRUE);
  make_cert ("client", NULL, now - 3600, now + 24 * 3600, TRUE);
  make_cert ("expired", loopback, now - 48 * 3600, now - 24 * 3600, TRUE);
  make_cert ("elsewhere", elsewhere, now - 3600, now + 24 * 3600, TRUE);
  make_cert ("stranger", NULL, now - 3600, now + 24 * 3600, FALSE);
}

static void
remove_certificates (void)
{
  const char *names[] = { "ca.pem", "server.pem", "server.key", "client.pem", "client.key",
                          "expired.pem", "expired.key", "elsewhere.pem", "elsewhere.key",
                          "stranger.pem", "stranger.key", "keys.log" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = path_of (names[i]);

      g_unlink (path);
    }
  g_rmdir (dir);
  g_clear_pointer (&dir, g_free);
  g_clear_pointer (&ca_pem, g_free);
  g_clear_pointer (&ca_key, g_free);
}

/* The payloads of every @kind event, one after another. */
static char *
events_text (SbSession   *session,
             SbEventKind  kind)
{
  SbHistory *history = sb_session_get_history (session);
  GString *out = g_string_new (NULL);

  sb_history_flush (history);
  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      const guint8 *data;
      gsize len = 0;

      if (sb_history_get_direction (history, i) != SB_DIRECTION_EVENT ||
          sb_history_get_event (history, i) != kind)
        continue;
      data = sb_history_peek_data (history, i, &len);
      g_string_append_len (out, (const char *) data, len);
      g_string_append (out, "\n--\n");
    }
  return g_string_free (out, FALSE);
}

static char *
server_uri (const char *cert,
            const char *extra)
{
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *name = NULL;

  if (cert == NULL)
    return g_strdup_printf ("tls-listen://127.0.0.1:0?self-signed=1%s", extra ? extra : "");

  name = g_strconcat (cert, ".pem", NULL);
  cert_path = path_of (name);
  g_free (name);
  name = g_strconcat (cert, ".key", NULL);
  key_path = path_of (name);
  return g_strdup_printf ("tls-listen://127.0.0.1:0?cert=%s&key=%s%s", cert_path, key_path,
                          extra ? extra : "");
}

static SbSession *
client_for (SbSession  *server,
            const char *host,
            const char *query)
{
  g_autofree char *uri = g_strdup_printf ("tls://%s:%u%s", host, local_port (server), query ? query : "");

  return start (uri);
}

static gboolean
is_done (SbSession *session)
{
  SbSessionState state = sb_session_get_state (session);

  return state == SB_SESSION_STATE_CONNECTED || state == SB_SESSION_STATE_FAILED ||
         state == SB_SESSION_STATE_CLOSED;
}

/* Both ways, once the client is connected. */
static void
exchange (SbSession *client,
          SbSession *server)
{
  WAIT_UNTIL (n_peers (server) == 1);
  send_text (client, NULL, "hello over TLS\n");
  WAIT_UNTIL (received_equals (server, "hello over TLS\n"));
  send_text (server, NULL, "hi back\n");
  WAIT_UNTIL (received_equals (client, "hi back\n"));
}

static void
test_uri (void)
{
  const char *uris[] = {
    "tls://example.org:443",
    "tls://127.0.0.1:8443?ca=/etc/ca.pem&sni=example.org&alpn=h2,http/1.1&insecure=1",
    "tls://[::1]:8443?cert=/c.pem&key=/k%20x.pem",
    "tls-listen://127.0.0.1:0?self-signed=1",
    "tls-listen://0.0.0.0:8443?cert=/c.pem&key=/k.pem&ca=/ca.pem&alpn=h2&keylog=/tmp/keys.log",
    "dtls://127.0.0.1:4433?insecure=1",
    "dtls-listen://127.0.0.1:0?self-signed=1",
  };
  const struct { const char *uri; const char *message; } bad[] = {
    { "tls://h:1?bind=:0", "unknown option “bind”" },
    { "tls://h:1?self-signed=1", "unknown option “self-signed”" },
    { "dtls://h:1?self-signed=1", "unknown option “self-signed”" },
    { "tls-listen://:0?sni=x", "unknown option “sni”" },
    { "tls-listen://:0?self-signed=1&cert=/c.pem", "choose one" },
    { "tls://h:1?key=/k.pem", "no certificate" },
    { "tls://h:1?insecure=maybe", "insecure=1" },
    { "tls://h:1?alpn=h2,,x", "ALPN" },
    { "tls://h:1?ca=/a&ca=/b", "twice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uris[i], &error);
      g_autoptr(SbSessionSpec) again = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      g_assert_true (sb_kind_is_tls (spec->kind));
      g_assert_true (sb_kind_is_stream (spec->kind) == !g_str_has_prefix (uris[i], "dtls"));
      text = sb_session_spec_to_uri (spec);
      g_assert_cmpstr (text, ==, uris[i]);
      again = sb_session_spec_parse (text, &error);
      g_assert_no_error (error);
      g_assert_true (sb_session_spec_equal (spec, again));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (bad[i].uri, &error);

      g_assert_null (spec);
      g_assert_error (error, SB_ADDRESS_ERROR, SB_ADDRESS_ERROR_INVALID);
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("%s: “%s” does not say “%s”", bad[i].uri, error->message, bad[i].message);
    }
}

static void
test_self_signed_insecure (void)
{
  g_autofree char *uri = server_uri (NULL, NULL);
  SbSession *server = start_ready (uri);
  SbSession *client = client_for (server, "127.0.0.1", "?insecure=1");
  g_autofree char *warnings = NULL;
  g_autofree char *tls = NULL;
  g_autofree char *certs = NULL;

  WAIT_UNTIL (is_ready (client));
  exchange (client, server);

  warnings = events_text (client, SB_EVENT_WARNING);
  g_assert_nonnull (strstr (warnings, "self-signed"));
  g_assert_nonnull (strstr (warnings, "Accepted anyway"));
  certs = events_text (client, SB_EVENT_CERTIFICATE);
  g_assert_nonnull (strstr (certs, "Certificate 1 of 1: CN=Sockbench self-signed"));
  g_assert_nonnull (strstr (certs, "SHA-256: "));
  tls = events_text (client, SB_EVENT_TLS);
  g_assert_nonnull (strstr (tls, "TLS 1."));
  g_assert_nonnull (strstr (tls, "cipher suite"));
  g_assert_cmpuint (count_events (server, SB_EVENT_TLS), ==, 1);

  /* The plaintext is what the history holds. */
  g_assert_true (received_equals (client, "hi back\n"));

  stop_and_free (client);
  stop_and_free (server);
}

static void
test_ca_and_alpn (void)
{
  g_autofree char *uri = server_uri ("server", "&alpn=h2,http/1.1");
  g_autofree char *ca = path_of ("ca.pem");
  g_autofree char *query = g_strdup_printf ("?ca=%s&alpn=http/1.1", ca);
  SbSession *server = start_ready (uri);
  SbSession *client = client_for (server, "127.0.0.1", query);
  g_autofree char *certs = NULL;
  g_autofree char *tls = NULL;

  WAIT_UNTIL (is_ready (client));
  exchange (client, server);

  g_assert_cmpuint (count_events (client, SB_EVENT_WARNING), ==, 0);
  g_assert_cmpuint (count_events (client, SB_EVENT_ERROR), ==, 0);
  certs = events_text (client, SB_EVENT_CERTIFICATE);
  g_assert_nonnull (strstr (certs, "Certificate 1 of 2: CN=server"));
  g_assert_nonnull (strstr (certs, "Issued by: CN=Sockbench Test CA"));
  g_assert_nonnull (strstr (certs, "Names: localhost, 127.0.0.1, ::1"));
  g_assert_nonnull (strstr (certs, "Certificate 2 of 2: CN=Sockbench Test CA"));
  tls = events_text (client, SB_EVENT_TLS);
  g_assert_nonnull (strstr (tls, "ALPN protocol http/1.1"));
  g_free (tls);
  tls = events_text (server, SB_EVENT_TLS);
  g_assert_nonnull (strstr (tls, "ALPN protocol http/1.1"));

  stop_and_free (client);
  stop_and_free (server);
}

/* The client refuses; the session fails with every reason in words. */
static void
check_refused (const char *cert,
               const char *host,
               const char *reason)
{
  g_autofree char *uri = server_uri (cert, NULL);
  g_autofree char *ca = path_of ("ca.pem");
  g_autofree char *query = g_strdup_printf ("?ca=%s", ca);
  SbSession *server = start_ready (uri);
  SbSession *client = client_for (server, host, query);
  const GError *error;
  g_autofree char *errors = NULL;

  WAIT_UNTIL (is_done (client));
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_FAILED);
  error = sb_session_get_error (client);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  if (strstr (error->message, reason) == NULL)
    g_error ("“%s” does not say “%s”", error->message, reason);
  errors = events_text (client, SB_EVENT_ERROR);
  g_assert_nonnull (strstr (errors, reason));
  g_assert_cmpuint (count_events (client, SB_EVENT_CERTIFICATE), >=, 1);
  g_assert_cmpuint (n_peers (client), ==, 0);

  /* The server says the client left during the handshake; no one is listed. */
  WAIT_UNTIL (count_events (server, SB_EVENT_ERROR) >= 1);
  g_assert_cmpuint (n_peers (server), ==, 0);

  stop_and_free (client);
  stop_and_free (server);
}

static void
test_refused_unknown_ca (void)
{
  check_refused ("stranger", "127.0.0.1", "self-signed");
}

static void
test_refused_expired (void)
{
  check_refused ("expired", "127.0.0.1", "expired on ");
}

static void
test_refused_wrong_host (void)
{
  check_refused ("elsewhere", "127.0.0.1", "issued for example.org, not 127.0.0.1");
}

static void
test_mutual_accepted (void)
{
  g_autofree char *ca = path_of ("ca.pem");
  g_autofree char *extra = g_strdup_printf ("&ca=%s", ca);
  g_autofree char *uri = server_uri ("server", extra);
  g_autofree char *cert = path_of ("client.pem");
  g_autofree char *key = path_of ("client.key");
  g_autofree char *query = g_strdup_printf ("?ca=%s&cert=%s&key=%s", ca, cert, key);
  SbSession *server = start_ready (uri);
  SbSession *client = client_for (server, "localhost", query);
  g_autofree char *certs = NULL;

  WAIT_UNTIL (is_ready (client));
  exchange (client, server);

  certs = events_text (server, SB_EVENT_CERTIFICATE);
  g_assert_nonnull (strstr (certs, "Certificate 1 of 2: CN=client"));
  g_assert_cmpuint (count_events (server, SB_EVENT_ERROR), ==, 0);

  stop_and_free (client);
  stop_and_free (server);
}

static void
test_mutual_refused (void)
{
  g_autofree char *ca = path_of ("ca.pem");
  g_autofree char *extra = g_strdup_printf ("&ca=%s", ca);
  g_autofree char *uri = server_uri ("server", extra);
  g_autofree char *stranger = path_of ("stranger.pem");
  g_autofree char *stranger_key = path_of ("stranger.key");
  const char *reasons[] = { "showed no client certificate", "self-signed" };

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      g_autofree char *query = i == 0
        ? g_strdup_printf ("?ca=%s", ca)
        : g_strdup_printf ("?ca=%s&cert=%s&key=%s", ca, stranger, stranger_key);
      SbSession *server = start_ready (uri);
      SbSession *client = client_for (server, "127.0.0.1", query);
      g_autofree char *errors = NULL;

      WAIT_UNTIL (count_events (server, SB_EVENT_ERROR) >= 1);
      errors = events_text (server, SB_EVENT_ERROR);
      if (strstr (errors, reasons[i]) == NULL)
        g_error ("“%s” does not say “%s”", errors, reasons[i]);
      g_assert_cmpuint (n_peers (server), ==, 0);

      /* TLS 1.3 clients finish first and learn of it at their first read. */
      WAIT_UNTIL (sb_session_get_state (client) == SB_SESSION_STATE_FAILED ||
                  sb_session_get_state (client) == SB_SESSION_STATE_CLOSED);

      stop_and_free (client);
      stop_and_free (server);
    }
}

/* Something that is not TLS, both ways: a clear error, nothing else. */
static void
test_garbage (void)
{
  g_autofree char *uri = server_uri (NULL, NULL);
  SbSession *server = start_ready (uri);
  g_autoptr(GSocket) raw = raw_connect (server);
  g_autoptr(GError) error = NULL;
  const char *request = "GET / HTTP/1.0\r\nHost: x\r\n\r\nmore garbage that is not TLS\r\n";
  SbSession *plain = start_ready ("tcp-listen://127.0.0.1:0");
  SbSession *client;
  g_autofree char *errors = NULL;
  g_autofree char *plain_uri = NULL;
  guint8 sink[4096];

  g_socket_send (raw, request, strlen (request), NULL, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (count_events (server, SB_EVENT_ERROR) >= 1);
  errors = events_text (server, SB_EVENT_ERROR);
  if (strstr (errors, "does not speak TLS") == NULL)
    g_error ("%s", errors);
  g_assert_cmpuint (n_peers (server), ==, 0);
  g_assert_true (is_ready (server));
  /* The server hung up on it. */
  g_socket_set_timeout (raw, SB_TEST_WAIT_SECONDS);
  while (g_socket_receive (raw, (char *) sink, sizeof sink, NULL, NULL) > 0)
    ;

  /* A client whose server answers in plain text. */
  plain_uri = g_strdup_printf ("tls://127.0.0.1:%u", local_port (plain));
  client = start (plain_uri);
  WAIT_UNTIL (n_peers (plain) == 1);
  send_text (plain, NULL, "220 hello, this is not TLS\r\n");
  WAIT_UNTIL (is_done (client));
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_FAILED);
  g_assert_nonnull (strstr (sb_session_get_error (client)->message, "TLS"));

  stop_and_free (client);
  stop_and_free (plain);
  stop_and_free (server);
}

/* Stopped while the handshake waits for a silent peer: closed at once,
 * and let go once the handshake has noticed. */
static void
test_stop_during_handshake (void)
{
  SbSession *silent = start_ready ("tcp-listen://127.0.0.1:0");
  g_autofree char *uri = g_strdup_printf ("tls://127.0.0.1:%u?insecure=1", local_port (silent));
  SbSession *client = start (uri);
  g_autofree char *tls_uri = server_uri (NULL, NULL);
  SbSession *server = start_ready (tls_uri);
  g_autoptr(GSocket) raw = raw_connect (server);
  gpointer client_alive = client;
  gpointer server_alive = server;

  WAIT_UNTIL (n_peers (silent) == 1);
  WAIT_UNTIL (count_events (server, SB_EVENT_CONNECTED) == 1);
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CONNECTING);

  sb_session_stop (client);
  g_assert_cmpint (sb_session_get_state (client), ==, SB_SESSION_STATE_CLOSED);
  g_assert_cmpuint (count_events (client, SB_EVENT_ERROR), ==, 0);
  sb_session_stop (server);
  g_assert_cmpint (sb_session_get_state (server), ==, SB_SESSION_STATE_CLOSED);

  g_object_add_weak_pointer (G_OBJECT (client), &client_alive);
  g_object_add_weak_pointer (G_OBJECT (server), &server_alive);
  g_object_unref (client);
  g_object_unref (server);
  WAIT_UNTIL (client_alive == NULL && server_alive == NULL);

  stop_and_free (silent);
}

/* A restart keeps the self-signed certificate: pinned clients still match. */
static void
test_self_signed_kept (void)
{
  SbSession *server = start_ready ("tls-listen://127.0.0.1:0?self-signed=1");
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *uri = NULL;
  SbSession *client;

  first = events_text (server, SB_EVENT_INFO);
  g_assert_nonnull (strstr (first, "Made a self-signed certificate"));
  sb_session_stop (server);
  sb_session_start (server);
  WAIT_UNTIL (is_ready (server));
  again = events_text (server, SB_EVENT_INFO);
  g_assert_cmpstr (first, ==, again);

  uri = g_strdup_printf ("tls://127.0.0.1:%u?insecure=1", local_port (server));
  client = start (uri);
  WAIT_UNTIL (is_ready (client));
  g_free (again);
  again = events_text (client, SB_EVENT_CERTIFICATE);
  {
    const char *sha = strstr (first, "SHA-256 ");
    g_autofree char *fingerprint = g_strndup (sha + 8, 95);

    g_assert_nonnull (strstr (again, fingerprint));
  }

  stop_and_free (client);
  stop_and_free (server);
}

/* Starts a server from @setup, then (twice) a client that reads its
 * certificate: each time the fingerprint is @fingerprint. */
static void
assert_serves (SbSessionSetup *setup,
               const char     *fingerprint)
{
  SbSession *server = sb_session_new (sb_session_setup_get_spec (setup));

  sb_session_start (server);
  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *info = NULL;
      g_autofree char *certs = NULL;
      g_autofree char *uri = NULL;
      SbSession *client;

      WAIT_UNTIL (is_ready (server));
      info = events_text (server, SB_EVENT_INFO);
      g_assert_nonnull (strstr (info, "kept with its setup"));
      g_assert_nonnull (strstr (info, fingerprint));
      uri = g_strdup_printf ("tls://127.0.0.1:%u?insecure=1", local_port (server));
      client = start (uri);
      WAIT_UNTIL (is_ready (client));
      certs = events_text (client, SB_EVENT_CERTIFICATE);
      g_assert_nonnull (strstr (certs, fingerprint));
      WAIT_UNTIL (n_peers (server) == 1);
      stop_and_free (client);
      sb_session_stop (server);
      if (round == 0)
        sb_session_start (server);
    }
  stop_and_free (server);
}

/* A self-signed server's certificate is kept with its setup: the preset
 * saved and read back starts, and starts again, with the same certificate;
 * a damaged one is refused with the reason. */
static void
test_self_signed_preset (void)
{
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("tls-listen://127.0.0.1:0?self-signed=1", NULL);
  g_autoptr(SbSessionSetup) setup = sb_session_setup_new (spec);
  g_autoptr(SbSessionSetup) loaded = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GKeyFile) again = g_key_file_new ();
  g_autoptr(SbSessionSpec) other_port = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *stranger = NULL;
  g_autofree char *mixed = NULL;
  g_autofree char *cert_only = NULL;

  sb_session_setup_save (setup, keyfile, "Page 1");
  data = g_key_file_to_data (keyfile, NULL, NULL);
  g_assert_nonnull (strstr (data, "URI=tls-listen://127.0.0.1:0?self-signed=1\n"));
  g_assert_nonnull (strstr (data, "tls-self-signed=-----BEGIN CERTIFICATE-----"));
  kept = g_key_file_get_string (keyfile, "Page 1", "tls-self-signed", NULL);
  g_assert_true (sb_tls_cert_check_identity (kept, &fingerprint, &error));
  g_assert_no_error (error);

  /* Read back from the text, as a preset file is. */
  g_assert_true (g_key_file_load_from_data (again, data, -1, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  loaded = sb_session_setup_new_from_keyfile (again, "Page 1", &error);
  g_assert_no_error (error);
  uri = sb_session_spec_to_uri (sb_session_setup_get_spec (loaded));
  g_assert_cmpstr (uri, ==, "tls-listen://127.0.0.1:0?self-signed=1");
  assert_serves (loaded, fingerprint);
  /* A second session of the same setup, and the same spec from the fields
   * (which do not carry the certificate) changes nothing. */
  sb_session_setup_set_spec (loaded, spec);
  assert_serves (loaded, fingerprint);

  /* Another port, the same certificate; not a self-signed server: no key. */
  other_port = sb_session_spec_parse ("tls-listen://127.0.0.1:1?self-signed=1", NULL);
  sb_session_setup_set_spec (loaded, other_port);
  g_assert_cmpstr (sb_session_setup_get_spec (loaded)->tls->identity_pem, ==, kept);
  g_clear_pointer (&other_port, sb_session_spec_free);
  other_port = sb_session_spec_parse ("tcp-listen://127.0.0.1:0", NULL);
  sb_session_setup_set_spec (loaded, other_port);
  sb_session_setup_save (loaded, again, "Page 1");
  g_assert_false (g_key_file_has_key (again, "Page 1", "tls-self-signed", NULL));

  /* Damaged: refused, naming the group, and the setup is unchanged. */
  g_key_file_set_string (keyfile, "Page 1", "tls-self-signed", "-----BEGIN CERTIFICATE-----\nAAAA\n");
  g_assert_false (sb_session_setup_load (loaded, keyfile, "Page 1", &error));
  g_assert_nonnull (strstr (error->message, "Page 1: The kept self-signed certificate cannot be read"));
  g_clear_error (&error);
  g_assert_cmpint (sb_session_setup_get_spec (loaded)->kind, ==, SB_KIND_TCP_SERVER);

  /* A certificate with another one's key. */
  stranger = sb_tls_cert_new_identity (NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (kept, "-----BEGIN EC PRIVATE KEY"));
  cert_only = g_strndup (kept, strstr (kept, "-----BEGIN EC PRIVATE KEY") - kept);
  mixed = g_strconcat (cert_only, strstr (stranger, "-----BEGIN EC PRIVATE KEY"), NULL);
  g_key_file_set_string (keyfile, "Page 1", "tls-self-signed", mixed);
  g_assert_false (sb_session_setup_load (loaded, keyfile, "Page 1", &error));
  g_assert_nonnull (strstr (error->message, "do not belong together"));
}

static void
test_server_needs_certificate (void)
{
  SbSession *server = start ("tls-listen://127.0.0.1:0");
  g_autofree char *uri = NULL;

  WAIT_UNTIL (is_done (server));
  g_assert_cmpint (sb_session_get_state (server), ==, SB_SESSION_STATE_FAILED);
  g_assert_nonnull (strstr (sb_session_get_error (server)->message, "self-signed=1"));
  stop_and_free (server);

  uri = g_strdup_printf ("tls-listen://127.0.0.1:0?cert=%s/missing.pem", dir);
  server = start (uri);
  WAIT_UNTIL (is_done (server));
  g_assert_cmpint (sb_session_get_state (server), ==, SB_SESSION_STATE_FAILED);
  g_assert_nonnull (strstr (sb_session_get_error (server)->message, "missing.pem"));
  stop_and_free (server);
}

/* The trace shows the TLS steps beside the socket calls. */
static void
test_trace (void)
{
  g_autofree char *uri = server_uri (NULL, NULL);
  SbSession *server = start_ready (uri);
  SbSession *client = client_for (server, "localhost", "?insecure=1");
  SbTrace *trace = sb_session_get_trace (client);
  g_autoptr(GString) python = g_string_new (NULL);
  g_autoptr(GString) c = g_string_new (NULL);

  WAIT_UNTIL (is_ready (client));
  exchange (client, server);
  sb_trace_flush (trace);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (trace)); i++)
    {
      g_autoptr(SbTraceCall) call = g_list_model_get_item (G_LIST_MODEL (trace), i);
      g_autofree char *py = sb_trace_call_format (call, SB_TRACE_PYTHON);
      g_autofree char *cc = sb_trace_call_format (call, SB_TRACE_C);

      g_string_append_printf (python, "%s\n", py);
      g_string_append_printf (c, "%s\n", cc);
    }

  g_assert_nonnull (strstr (python->str, "s = ctx.wrap_socket(s, server_hostname='localhost'"));
  g_assert_nonnull (strstr (python->str, "s.do_handshake()  # TLS 1."));
  g_assert_nonnull (strstr (python->str, "cert = s.getpeercert()  # CN=Sockbench self-signed"));
  g_assert_nonnull (strstr (c->str, "SSL_connect(ssl_s);"));
  g_assert_nonnull (strstr (c->str, "SSL_write(ssl_s, \"hello over TLS\\n\", 15);"));
  g_assert_nonnull (strstr (c->str, "SSL_read(ssl_s, buf, sizeof buf);  // = 8"));
  g_assert_nonnull (strstr (python->str, "s.send(b'hello over TLS\\n')"));
  g_assert_true (strstr (python->str, "s.connect(") < strstr (python->str, "wrap_socket"));

  stop_and_free (client);
  stop_and_free (server);
}

/* The script compiles (python3 -m py_compile), when python3 is here. */
static void
check_compiles (const char *name,
                const char *script)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *path = path_of (name);
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { NULL, "-m", "py_compile", NULL, NULL };

  if (python == NULL)
    return;
  write_file (name, script);
  argv[0] = python;
  argv[3] = path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_unlink (path);
}

/* Both sides of a TLS conversation as Python ssl scripts. */
static void
test_python_export (void)
{
  g_autofree char *uri = server_uri ("server", "&alpn=h2");
  g_autofree char *ca = path_of ("ca.pem");
  g_autofree char *query = g_strdup_printf ("?ca=%s&alpn=h2", ca);
  SbSession *server = start_ready (uri);
  SbSession *client = client_for (server, "localhost", query);
  g_autoptr(GError) error = NULL;
  g_autofree char *client_py = NULL;
  g_autofree char *server_py = NULL;
  g_autofree char *other_py = NULL;

  WAIT_UNTIL (is_ready (client));
  exchange (client, server);

  client_py = sb_python_export (client, SB_PYTHON_THIS_SIDE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (client_py, "import ssl\n"));
  g_assert_nonnull (strstr (client_py, "ctx = ssl.create_default_context(cafile=args.ca)"));
  g_assert_nonnull (strstr (client_py, "s = ctx.wrap_socket(s, server_hostname=args.host)"));
  g_assert_nonnull (strstr (client_py, "ctx.set_alpn_protocols([\"h2\"])"));
  g_assert_nonnull (strstr (client_py, ca));
  check_compiles ("client.py", client_py);

  server_py = sb_python_export (server, SB_PYTHON_THIS_SIDE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (server_py, "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)"));
  g_assert_nonnull (strstr (server_py, "conn = ctx.wrap_socket(conn, server_side=True)"));
  check_compiles ("server.py", server_py);

  /* The other side of the client is a server that needs a certificate. */
  other_py = sb_python_export (client, SB_PYTHON_OTHER_SIDE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (other_py, "parser.add_argument(\"--cert\", default=None, required=True)"));
  check_compiles ("other.py", other_py);

  stop_and_free (client);
  stop_and_free (server);
}

/* DTLS over UDP: the handshake, then datagrams of plaintext both ways. */
static void
test_dtls_echo (void)
{
  g_autofree char *ca = path_of ("ca.pem");
  g_autofree char *cert = path_of ("server.pem");
  g_autofree char *key = path_of ("server.key");
  g_autofree char *uri = g_strdup_printf ("dtls-listen://127.0.0.1:0?cert=%s&key=%s", cert, key);
  SbSession *server = start_ready (uri);
  g_autofree char *client_uri = g_strdup_printf ("dtls://127.0.0.1:%u?ca=%s", local_port (server), ca);
  SbSession *client = start (client_uri);
  g_autofree char *tls = NULL;
  g_autofree char *certs = NULL;

  WAIT_UNTIL (is_ready (client));
  exchange (client, server);

  tls = events_text (client, SB_EVENT_TLS);
  g_assert_nonnull (strstr (tls, "DTLS 1."));
  certs = events_text (client, SB_EVENT_CERTIFICATE);
  g_assert_nonnull (strstr (certs, "Certificate 1 of 2: CN=server"));
  g_assert_cmpuint (count_events (client, SB_EVENT_ERROR), ==, 0);

  /* The client goes; the server serves the next one. */
  stop_and_free (client);
  WAIT_UNTIL (n_peers (server) == 0);
  client = start (client_uri);
  WAIT_UNTIL (is_ready (client));
  WAIT_UNTIL (n_peers (server) == 1);
  send_text (client, NULL, "again\n");
  WAIT_UNTIL (collected_len (server, SB_DIRECTION_RX) == strlen ("hello over TLS\nagain\n"));

  stop_and_free (client);
  stop_and_free (server);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  sb_test_init (&argc, &argv);
  make_certificates ();

  g_test_add_func ("/tls/uri", test_uri);
  g_test_add_func ("/tls/self-signed-insecure", test_self_signed_insecure);
  g_test_add_func ("/tls/ca-and-alpn", test_ca_and_alpn);
  g_test_add_func ("/tls/refused/unknown-ca", test_refused_unknown_ca);
  g_test_add_func ("/tls/refused/expired", test_refused_expired);
  g_test_add_func ("/tls/refused/wrong-host", test_refused_wrong_host);
  g_test_add_func ("/tls/mutual/accepted", test_mutual_accepted);
  g_test_add_func ("/tls/mutual/refused", test_mutual_refused);
  g_test_add_func ("/tls/garbage", test_garbage);
  g_test_add_func ("/tls/server-needs-certificate", test_server_needs_certificate);
  g_test_add_func ("/tls/self-signed-kept", test_self_signed_kept);
  g_test_add_func ("/tls/self-signed-preset", test_self_signed_preset);
  g_test_add_func ("/tls/stop-during-handshake", test_stop_during_handshake);
  g_test_add_func ("/tls/trace", test_trace);
  g_test_add_func ("/tls/python-export", test_python_export);
  g_test_add_func ("/tls/dtls-echo", test_dtls_echo);

  status = g_test_run ();
  remove_certificates ();
  g_rmdir (sb_test_tmpdir);
  return status;
}
