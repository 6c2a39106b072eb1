/* test-send-plan.c — SbSendPlan over real loopback sockets: the writes a
 * reader sees have the sizes the plan was asked for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sb-send-plan.h"
#include "sb-test-util.h"

/* A raw TCP reader that records the size of every recv(). */
typedef struct
{
  GSocket    *socket;
  GArray     *sizes;   /* gsize */
  GByteArray *data;
  GSource    *source;
} Reader;

static gboolean
reader_cb (GSocket      *socket,
           GIOCondition  condition,
           gpointer      user_data)
{
  Reader *reader = user_data;
  guint8 buffer[65536];
  gssize n = g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, NULL);

  if (n <= 0)
    return G_SOURCE_REMOVE;
  g_array_append_val (reader->sizes, (gsize) { n });
  g_byte_array_append (reader->data, buffer, n);
  return G_SOURCE_CONTINUE;
}

static void
reader_start (Reader    *reader,
              SbSession *server)
{
  reader->socket = raw_connect (server);
  g_socket_set_blocking (reader->socket, FALSE);
  reader->sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  reader->data = g_byte_array_new ();
  reader->source = g_socket_create_source (reader->socket, G_IO_IN, NULL);
  g_source_set_callback (reader->source, (GSourceFunc) (void (*) (void)) reader_cb, reader, NULL);
  g_source_attach (reader->source, NULL);
  WAIT_UNTIL (n_peers (server) == 1);
}

static void
reader_stop (Reader *reader)
{
  g_source_destroy (reader->source);
  g_source_unref (reader->source);
  g_socket_close (reader->socket, NULL);
  g_object_unref (reader->socket);
  g_array_unref (reader->sizes);
  g_byte_array_unref (reader->data);
}

static gboolean
flag_cb (gboolean *flag)
{
  *flag = TRUE;
  return FALSE;
}

static GBytes *
message (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* One 10-byte message as writes of 3 bytes, 150 ms apart: the reader sees
 * 3 + 3 + 3 + 1 (half packets on purpose). */
static void
test_split (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(SbSendPlan) plan = NULL;
  g_autoptr(GBytes) bytes = message ("0123456789");
  g_autoptr(GError) error = NULL;
  gboolean finished = FALSE;
  Reader reader = { 0 };

  reader_start (&reader, server);
  plan = sb_send_plan_new (server, peer_at (server, 0), NULL);
  sb_send_plan_set_chunk_size (plan, 3);
  sb_send_plan_set_gap_ms (plan, 150);
  g_signal_connect_swapped (plan, "finished", G_CALLBACK (flag_cb), &finished);
  g_assert_true (sb_send_plan_push (plan, bytes, &error));
  g_assert_no_error (error);
  g_assert_true (sb_send_plan_is_busy (plan));

  WAIT_UNTIL (finished && reader.data->len == 10);
  g_assert_cmpmem (reader.data->data, reader.data->len, "0123456789", 10);
  g_assert_cmpuint (reader.sizes->len, ==, 4);
  g_assert_cmpuint (g_array_index (reader.sizes, gsize, 0), ==, 3);
  g_assert_cmpuint (g_array_index (reader.sizes, gsize, 1), ==, 3);
  g_assert_cmpuint (g_array_index (reader.sizes, gsize, 2), ==, 3);
  g_assert_cmpuint (g_array_index (reader.sizes, gsize, 3), ==, 1);
  g_assert_cmpuint (sb_send_plan_get_sent (plan), ==, 10);
  g_assert_cmpuint (sb_send_plan_get_total (plan), ==, 10);
  g_assert_false (sb_send_plan_is_busy (plan));

  g_clear_object (&plan);
  reader_stop (&reader);
  stop_and_free (server);
}

/* Three messages in one write (粘包 on purpose), then two more cut at 4
 * bytes: 15, then 4 + 2 + 4 + 2 each on its own. */
static void
test_batch (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(SbSendPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  const char *messages[] = { "one\r\n", "two\r\n", "six\r\n" };
  gboolean finished = FALSE;
  Reader reader = { 0 };
  const gsize expected[] = { 15, 4, 2, 4, 2 };

  reader_start (&reader, server);
  plan = sb_send_plan_new (server, peer_at (server, 0), NULL);
  sb_send_plan_set_batch (plan, 3);
  sb_send_plan_set_gap_ms (plan, 150);
  g_signal_connect_swapped (plan, "finished", G_CALLBACK (flag_cb), &finished);
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr(GBytes) bytes = message (messages[i]);

      g_assert_true (sb_send_plan_push (plan, bytes, &error));
      g_assert_no_error (error);
    }
  WAIT_UNTIL (finished && reader.data->len == 15);
  g_assert_cmpuint (reader.sizes->len, ==, 1);

  finished = FALSE;
  sb_send_plan_set_batch (plan, 1);
  sb_send_plan_set_chunk_size (plan, 4);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) bytes = message ("ab\r\nz\n");

      g_assert_true (sb_send_plan_push (plan, bytes, &error));
    }
  WAIT_UNTIL (finished && reader.data->len == 27);
  g_assert_cmpuint (reader.sizes->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (g_array_index (reader.sizes, gsize, i), ==, expected[i]);
  g_assert_cmpmem (reader.data->data, reader.data->len, "one\r\ntwo\r\nsix\r\nab\r\nz\nab\r\nz\n", 27);

  g_clear_object (&plan);
  reader_stop (&reader);
  stop_and_free (server);
}

/* A partly filled batch waits for flush; cancel drops what is left. */
static void
test_flush_cancel (void)
{
  SbSession *server = start_ready ("tcp-listen://127.0.0.1:0");
  g_autoptr(SbSendPlan) plan = NULL;
  g_autoptr(GBytes) a = message ("abc");
  g_autoptr(GBytes) big = message ("0123456789");
  gboolean finished = FALSE;
  Reader reader = { 0 };

  reader_start (&reader, server);
  plan = sb_send_plan_new (server, peer_at (server, 0), NULL);
  sb_send_plan_set_batch (plan, 5);
  g_signal_connect_swapped (plan, "finished", G_CALLBACK (flag_cb), &finished);
  g_assert_true (sb_send_plan_push (plan, a, NULL));
  g_assert_true (sb_send_plan_is_busy (plan));
  g_assert_cmpuint (sb_send_plan_get_sent (plan), ==, 0);
  g_assert_true (sb_send_plan_flush (plan, NULL));
  WAIT_UNTIL (finished && reader.data->len == 3);

  sb_send_plan_set_batch (plan, 1);
  sb_send_plan_set_chunk_size (plan, 2);
  sb_send_plan_set_gap_ms (plan, 10000);
  g_assert_true (sb_send_plan_push (plan, big, NULL));
  g_assert_cmpuint (sb_send_plan_get_sent (plan), ==, 5);
  sb_send_plan_cancel (plan);
  g_assert_false (sb_send_plan_is_busy (plan));
  WAIT_UNTIL (reader.data->len == 5);

  g_clear_object (&plan);
  reader_stop (&reader);
  stop_and_free (server);
}

int
main (int   argc,
      char *argv[])
{
  sb_test_init (&argc, &argv);

  g_test_add_func ("/send-plan/split", test_split);
  g_test_add_func ("/send-plan/batch", test_batch);
  g_test_add_func ("/send-plan/flush-cancel", test_flush_cancel);

  return sb_test_run ();
}
