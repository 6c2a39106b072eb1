/* test-page-flood.c — a window page that is flooded from another thread
 *
 * The page's session runs on the engine's thread, as in the application,
 * while this thread draws the window. Every datagram a sender thread sends
 * must end up either in the page's history or in the kernel's drop count
 * that the page shows: nothing is lost without being counted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "sb-session-page.h"
#include "sb-ui-test-util.h"

#define N_DATAGRAMS 100000
#define PAYLOAD     64

typedef struct
{
  guint16  port;
  guint    sent;      /* atomic */
  gboolean done;      /* atomic */
  GError  *error;
} Sender;

static gpointer
sender_thread (gpointer data)
{
  Sender *sender = data;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (loopback, sender->port);
  guint8 payload[PAYLOAD];

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &sender->error);
  if (socket == NULL)
    goto out;

  /* As fast as the kernel takes them: blocking sends on loopback. */
  for (guint i = 0; i < N_DATAGRAMS; i++)
    {
      memset (payload, 'a' + i % 26, sizeof payload);
      memcpy (payload, &i, sizeof i);
      if (g_socket_send_to (socket, to, (const char *) payload, sizeof payload, NULL, &sender->error) < 0)
        goto out;
      g_atomic_int_inc (&sender->sent);
    }

out:
  g_atomic_int_set (&sender->done, TRUE);
  return NULL;
}

typedef struct
{
  SbSessionPage *page;
  Sender        *sender;
} Flood;

static void
counters_of (SbSessionPage *page,
             SbCounters    *counters)
{
  sb_session_get_counters (sb_session_page_get_session (page), counters);
}

/* The sender has finished and every datagram is recorded or counted. */
static gboolean
all_accounted (gpointer data)
{
  Flood *f = data;
  SbCounters c;

  if (!g_atomic_int_get (&f->sender->done))
    return FALSE;
  counters_of (f->page, &c);
  return c.rx_messages + c.kernel_drops >= N_DATAGRAMS;
}

static guint
count_rx_records (SbHistory *history)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (history));
  guint rx = 0;

  for (guint i = 0; i < n; i++)
    if (sb_history_get_direction (history, i) == SB_DIRECTION_RX)
      rx++;
  return rx;
}

/* Everything the history stores is announced to this thread. */
static gboolean
history_caught_up (gpointer data)
{
  Flood *f = data;
  SbHistory *history = sb_session_get_history (sb_session_page_get_session (f->page));

  return sb_history_get_first_serial (history) + sb_history_get_n_records (history) ==
         sb_history_get_next_serial (history);
}

static void
test_flood_accounted (void)
{
  g_autoptr(SbSessionSpec) spec = sb_session_spec_parse ("udp-listen://127.0.0.1:0", NULL);
  Sender sender = { 0 };
  Flood f = { NULL, &sender };
  GThread *thread;
  GtkWidget *window;
  SbHistory *history;
  SbCounters c;

  f.page = g_object_ref_sink (sb_session_page_new (spec));
  /* The default window size, following the newest row: what a user sees. */
  window = show_in_window (f.page, 1000, 700);
  sb_session_page_start (f.page);
  wait_state (f.page, SB_SESSION_STATE_LISTENING);
  sender.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (
    sb_session_get_local_address (sb_session_page_get_session (f.page))));

  thread = g_thread_new ("flood", sender_thread, &sender);
  g_assert_true (wait_for (all_accounted, &f));
  g_thread_join (thread);
  g_assert_no_error (sender.error);
  g_assert_cmpuint (g_atomic_int_get (&sender.sent), ==, N_DATAGRAMS);

  /* Nothing counted twice, nothing lost uncounted. */
  counters_of (f.page, &c);
  g_assert_cmpuint (c.rx_messages + c.kernel_drops, ==, N_DATAGRAMS);
  g_assert_cmpuint (c.rx_bytes, ==, c.rx_messages * PAYLOAD);

  /* And what was received is in the history the window shows, in order. */
  g_assert_true (wait_for (history_caught_up, &f));
  history = sb_session_get_history (sb_session_page_get_session (f.page));
  g_assert_cmpuint (count_rx_records (history), ==, c.rx_messages);
  {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (history));
    gint64 last = -1;

    for (guint i = 0; i < n; i++)
      {
        const guint8 *data;
        gsize len;
        guint seq;

        if (sb_history_get_direction (history, i) != SB_DIRECTION_RX)
          continue;
        data = sb_history_peek_data (history, i, &len);
        g_assert_cmpuint (len, ==, PAYLOAD);
        memcpy (&seq, data, sizeof seq);
        g_assert_cmpint ((gint64) seq, >, last);
        last = seq;
      }
  }
  g_test_message ("%" G_GUINT64_FORMAT " recorded, %" G_GUINT64_FORMAT " dropped by the kernel",
                  c.rx_messages, c.kernel_drops);

  sb_session_page_stop (f.page);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (f.page);
}

int
main (int    argc,
      char **argv)
{
  sb_ui_test_init (&argc, &argv, "none");

  g_test_add_func ("/page-flood/accounted", test_flood_accounted);

  return g_test_run ();
}
