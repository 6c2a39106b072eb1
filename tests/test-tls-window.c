/* test-tls-window.c — TLS in the window: the spec editor keeps a TLS spec's
 * options, and the Certificate view reads the handshake from the history
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "sb-certificate-view.h"
#include "sb-history.h"
#include "sb-spec-editor.h"
#include "sb-ui-test-util.h"

static char *
uri_of (SbSpecEditor *editor)
{
  g_autoptr(SbSessionSpec) spec = sb_spec_editor_dup_valid_spec (editor);

  g_assert_nonnull (spec);
  return sb_session_spec_to_uri (spec);
}

/* What a URI says comes back the same from the fields. */
static void
test_editor (void)
{
  const char *uris[] = {
    "tls://example.org:443?ca=/etc/ca.pem&sni=www.example.org&alpn=h2,http/1.1&insecure=1",
    "tls-listen://127.0.0.1:8443?cert=/c.pem&key=/k.pem&ca=/ca.pem&keylog=/tmp/keys.log",
    "tls-listen://127.0.0.1:0?self-signed=1",
    "dtls://127.0.0.1:4433?insecure=1",
    "dtls-listen://127.0.0.1:0?self-signed=1&alpn=coap",
    "tls://127.0.0.1:443",
  };
  GtkWidget *window = gtk_window_new ();
  SbSpecEditor *editor = SB_SPEC_EDITOR (sb_spec_editor_new ());

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (editor));
  gtk_window_present (GTK_WINDOW (window));

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uris[i], NULL);
      g_autofree char *uri = NULL;

      g_assert_nonnull (spec);
      sb_spec_editor_set_spec (editor, spec);
      drain ();
      g_assert_cmpint (sb_spec_editor_get_kind (editor), ==, spec->kind);
      uri = uri_of (editor);
      g_assert_cmpstr (uri, ==, uris[i]);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
append (SbHistory   *history,
        SbEventKind  kind,
        guint        peer,
        const char  *text)
{
  sb_history_append_event (history, kind, peer, text);
}

static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

static char *
text_of (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_text (widget, out);
  return g_string_free (out, FALSE);
}

/* The chain, the reasons and the outcome, as the history says them; a new
 * handshake of the same peer replaces the old. */
static void
test_certificate_view (void)
{
  g_autoptr(SbHistory) history = sb_history_new ();
  GtkWidget *window = gtk_window_new ();
  SbCertificateView *view = SB_CERTIFICATE_VIEW (sb_certificate_view_new ());
  guint peer = sb_history_intern_peer (history, "127.0.0.1:8443");
  guint other = sb_history_intern_peer (history, "127.0.0.1:9443");
  g_autofree char *text = NULL;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  sb_certificate_view_set_history (view, history);
  g_assert_cmpuint (sb_certificate_view_get_n_peers (view), ==, 0);
  text = text_of (GTK_WIDGET (view));
  g_assert_nonnull (strstr (text, "No TLS handshake yet"));
  g_clear_pointer (&text, g_free);

  append (history, SB_EVENT_CONNECTED, peer, "Connected to 127.0.0.1:8443");
  append (history, SB_EVENT_CERTIFICATE, peer,
          "Certificate 1 of 2: CN=server\nIssued by: CN=Test CA\nSHA-256: AB:CD");
  append (history, SB_EVENT_CERTIFICATE, peer,
          "Certificate 2 of 2: CN=Test CA\nIssued by: CN=Test CA\nSHA-256: EF:01");
  append (history, SB_EVENT_WARNING, peer, "The peer’s certificate is expired on 2026-01-01 00:00 UTC");
  append (history, SB_EVENT_TLS, peer, "TLS 1.3, cipher suite TLS_AES_128_GCM_SHA256, ALPN protocol h2");
  append (history, SB_EVENT_ERROR, other, "An error before any handshake");
  sb_history_flush (history);
  drain ();

  g_assert_cmpuint (sb_certificate_view_get_n_peers (view), ==, 1);
  text = text_of (GTK_WIDGET (view));
  g_assert_nonnull (strstr (text, "TLS with 127.0.0.1:8443"));
  g_assert_nonnull (strstr (text, "Certificate 1 of 2: CN=server"));
  g_assert_nonnull (strstr (text, "Issued by: CN=Test CA"));
  g_assert_nonnull (strstr (text, "Certificate 2 of 2: CN=Test CA"));
  g_assert_nonnull (strstr (text, "expired on 2026-01-01"));
  g_assert_nonnull (strstr (text, "ALPN protocol h2"));
  g_assert_null (strstr (text, "An error before any handshake"));
  g_clear_pointer (&text, g_free);

  /* The same peer again: its new handshake is what shows. */
  append (history, SB_EVENT_CONNECTED, peer, "Connected to 127.0.0.1:8443");
  append (history, SB_EVENT_CERTIFICATE, peer, "Certificate 1 of 1: CN=other\nIssued by: CN=other");
  append (history, SB_EVENT_ERROR, peer, "The peer’s certificate is signed by an unknown authority");
  sb_history_flush (history);
  drain ();
  g_assert_cmpuint (sb_certificate_view_get_n_peers (view), ==, 1);
  text = text_of (GTK_WIDGET (view));
  g_assert_nonnull (strstr (text, "Certificate 1 of 1: CN=other"));
  g_assert_nonnull (strstr (text, "unknown authority"));
  g_assert_null (strstr (text, "CN=server"));
  g_clear_pointer (&text, g_free);

  sb_certificate_view_set_history (view, NULL);
  g_assert_cmpuint (sb_certificate_view_get_n_peers (view), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  sb_ui_test_init (&argc, &argv, "none");

  g_test_add_func ("/tls-window/editor", test_editor);
  g_test_add_func ("/tls-window/certificate-view", test_certificate_view);

  return g_test_run ();
}
