/* sb-headless.c — run sessions without a window, one line per record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-headless"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <glib-unix.h>
#include <stdio.h>

#include "sb-capture.h"
#include "sb-datagram.h"
#include "sb-headless.h"
#include "sb-preset.h"
#include "sb-scenario-run.h"
#include "sb-session.h"
#include "sb-sessions.h"
#include "sb-session-setup.h"
#include "sb-stream-client.h"
#include "sb-time.h"

/* How long a line whose last character is cut in two waits for the rest. */
#define HOLD_MS 100

/* How long the end waits for captures to reach the disk, at most. */
#define CAPTURE_FLUSH_SECONDS 10

typedef struct _Headless Headless;

typedef struct
{
  GString *text;
  /* Non-NULL while the line waits for the next record of this stream. */
  gpointer waiting_on;
} Line;

typedef struct
{
  SbDecoder *decoder;
  Line      *held;
} Stream;

/* One session, answered by its setup's responder, maybe captured. */
typedef struct
{
  Headless       *headless;
  SbSessionSetup *setup;
  SbSession      *session;
  SbCapture      *capture;
  guint64         next_serial;
  guint           print_id;
  /* (peer id << 2 | direction) → Stream */
  GHashTable     *streams;
  guint           hex : 1;
  guint           joined : 1;
} Runner;

struct _Headless
{
  GMainLoop  *loop;
  GPtrArray  *runners;
  GQueue      lines;
  guint       hold_id;
  char       *join_group;
  char       *join_iface;
  gint64      count;
  gint64      received;
  gboolean    hex;
  gboolean    broadcast;
  /* Printing what is left, all at once. */
  gboolean    exiting;
  int         status;
};

static void
stream_free (Stream *stream)
{
  g_clear_pointer (&stream->decoder, sb_decoder_free);
  g_free (stream);
}

static void
line_free (Line *line)
{
  g_string_free (line->text, TRUE);
  g_free (line);
}

static void
runner_free (Runner *runner)
{
  g_clear_handle_id (&runner->print_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (runner->session, runner);
  g_signal_handlers_disconnect_by_data (sb_session_get_history (runner->session), runner);
  sb_responder_set_session (sb_session_setup_get_responder (runner->setup), NULL);
  g_signal_handlers_disconnect_by_data (sb_session_setup_get_responder (runner->setup), runner);
  if (runner->capture != NULL)
    {
      g_signal_handlers_disconnect_by_data (runner->capture, runner);
      sb_capture_stop (runner->capture);
    }
  g_clear_object (&runner->capture);
  g_clear_object (&runner->session);
  g_clear_object (&runner->setup);
  g_clear_pointer (&runner->streams, g_hash_table_unref);
  g_free (runner);
}

/* Prints every line at the head of the queue that is complete. */
static void
drain_lines (Headless *self)
{
  gboolean wrote = FALSE;

  while (!g_queue_is_empty (&self->lines))
    {
      Line *line = g_queue_peek_head (&self->lines);

      if (line->waiting_on != NULL)
        break;

      fwrite (line->text->str, 1, line->text->len, stdout);
      line_free (g_queue_pop_head (&self->lines));
      wrote = TRUE;
    }

  if (wrote)
    fflush (stdout);
}

static void
release_held (Stream *stream,
              gboolean finish)
{
  if (stream->held == NULL)
    return;

  /* Without finish, the kept bytes open the next line of this stream. */
  if (finish)
    sb_decoder_finish (stream->decoder, stream->held->text, NULL);
  g_string_append_c (stream->held->text, '\n');

  stream->held->waiting_on = NULL;
  stream->held = NULL;
}

static void
release_runner_streams (Runner *runner,
                        guint   peer_id)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, runner->streams);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (peer_id == G_MAXUINT || (GPOINTER_TO_UINT (key) >> 2) == peer_id)
        release_held (value, TRUE);
    }
}

static gboolean
on_hold_timeout (gpointer user_data)
{
  Headless *self = user_data;

  self->hold_id = 0;

  for (guint i = 0; i < self->runners->len; i++)
    release_runner_streams (g_ptr_array_index (self->runners, i), G_MAXUINT);

  drain_lines (self);

  return G_SOURCE_REMOVE;
}

static Stream *
get_stream (Runner      *runner,
            guint        peer_id,
            SbDirection  direction)
{
  gpointer key = GUINT_TO_POINTER (peer_id << 2 | direction);
  Stream *stream = g_hash_table_lookup (runner->streams, key);

  if (stream == NULL)
    {
      stream = g_new0 (Stream, 1);
      /* The encoding was checked when the options were read. */
      stream->decoder = sb_decoder_new (sb_session_setup_get_encoding (runner->setup),
                                        SB_DECODE_ESCAPE_CONTROLS, NULL);
      g_hash_table_insert (runner->streams, key, stream);
    }

  return stream;
}

static void
format_record (Runner *runner,
               guint   position)
{
  Headless *self = runner->headless;
  SbHistory *history = sb_session_get_history (runner->session);
  SbDirection direction = sb_history_get_direction (history, position);
  guint peer_id = sb_history_get_peer (history, position);
  char time[SB_TIME_FORMAT_SIZE];
  const char *peer_label = sb_history_get_peer_label (history, peer_id);
  const guint8 *data;
  gsize len;
  Line *line;

  data = sb_history_peek_data (history, position, &len);
  sb_time_format (sb_history_get_time (history, position), time);

  line = g_new0 (Line, 1);
  line->text = g_string_new (NULL);
  g_string_append_printf (line->text, "%s\t%s\t%s\t%" G_GSIZE_FORMAT "\t",
                          time,
                          sb_direction_to_string (direction),
                          peer_label[0] ? peer_label : "-",
                          len);

  if (direction == SB_DIRECTION_EVENT)
    {
      g_autofree char *message = sb_codec_decode ("UTF-8", data, len, SB_DECODE_ESCAPE_CONTROLS, NULL);

      /* What was cut in this peer's streams will not be completed now. */
      if (peer_id != 0)
        release_runner_streams (runner, peer_id);

      g_string_append (line->text, message);
      g_string_append_c (line->text, '\n');
    }
  else if (runner->hex)
    {
      g_autofree char *hex = sb_codec_format_hex (data, len);

      g_string_append (line->text, hex);
      g_string_append_c (line->text, '\n');
    }
  else
    {
      Stream *stream = get_stream (runner, peer_id, direction);

      release_held (stream, FALSE);
      sb_decoder_feed (stream->decoder, data, len, line->text, NULL);

      if (sb_decoder_get_pending (stream->decoder) > 0)
        {
          line->waiting_on = stream;
          stream->held = line;
          if (self->hold_id == 0)
            self->hold_id = g_timeout_add (HOLD_MS, on_hold_timeout, self);
        }
      else
        {
          g_string_append_c (line->text, '\n');
        }
    }

  g_queue_push_tail (&self->lines, line);
}

static void
quit (Headless *self,
      int       status)
{
  if (status > self->status)
    self->status = status;
  g_main_loop_quit (self->loop);
}

/* Printing takes turns with reading: at most this many records at a time. */
#define PRINT_SLICE 1024

static void print_pending (Runner *runner);

static gboolean
print_more (gpointer data)
{
  Runner *runner = data;

  runner->print_id = 0;
  print_pending (runner);

  return G_SOURCE_REMOVE;
}

static void
print_pending (Runner *runner)
{
  Headless *self = runner->headless;
  SbHistory *history = sb_session_get_history (runner->session);
  guint64 first = sb_history_get_first_serial (history);
  guint64 end = first + sb_history_get_n_records (history);
  guint printed = 0;

  if (runner->next_serial < first)
    {
      g_printerr (_("sockbench: %" PRIu64 " records were dropped before they could be printed\n"),
                  (uint64_t) (first - runner->next_serial));
      runner->next_serial = first;
    }

  for (; runner->next_serial < end; runner->next_serial++)
    {
      guint pos = (guint) (runner->next_serial - first);
      gboolean rx = sb_history_get_direction (history, pos) == SB_DIRECTION_RX;

      /* Let the sockets be read between slices of a long backlog. */
      if (printed++ == PRINT_SLICE && !self->exiting)
        {
          if (runner->print_id == 0)
            runner->print_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 15, print_more, runner, NULL);
          break;
        }

      /* Once N messages are in, print what they caused (a reply, an
       * event) up to the next received message, then end. */
      if (rx && self->count > 0 && self->received >= self->count)
        break;

      format_record (runner, pos);

      if (rx)
        self->received++;
    }

  if (self->count > 0 && self->received >= self->count)
    {
      release_runner_streams (runner, G_MAXUINT);
      drain_lines (self);
      quit (self, 0);
      return;
    }

  drain_lines (self);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  Runner *runner = user_data;

  if (runner->print_id == 0)
    print_pending (runner);
}

static void
check_all_ended (Headless *self)
{
  for (guint i = 0; i < self->runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self->runners, i);
      SbSessionState state = sb_session_get_state (runner->session);

      if (state != SB_SESSION_STATE_CLOSED && state != SB_SESSION_STATE_FAILED)
        return;
    }

  quit (self, self->status);
}

static void
on_state_changed (SbSession  *session,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  Runner *runner = user_data;
  Headless *self = runner->headless;
  SbSessionState state = sb_session_get_state (session);

  /* Print what led here before the process may end. */
  sb_history_flush (sb_session_get_history (session));

  if ((state == SB_SESSION_STATE_CONNECTED || state == SB_SESSION_STATE_LISTENING) &&
      SB_IS_DATAGRAM (session) && !runner->joined)
    {
      g_autoptr(GError) error = NULL;

      runner->joined = TRUE;
      if (self->broadcast && !sb_session_set_broadcast (session, TRUE, &error))
        g_printerr ("sockbench: %s\n", error->message);
      g_clear_error (&error);
      if (self->join_group != NULL &&
          !sb_session_join_multicast (session, self->join_group, self->join_iface, &error))
        {
          g_printerr ("sockbench: %s\n", error->message);
          quit (self, 1);
          return;
        }
    }

  if (state == SB_SESSION_STATE_FAILED)
    {
      const GError *error = sb_session_get_error (session);

      g_printerr ("sockbench: %s\n", error ? error->message : _("The session failed"));
      self->status = 1;
    }

  if (state == SB_SESSION_STATE_CLOSED || state == SB_SESSION_STATE_FAILED)
    {
      release_runner_streams (runner, G_MAXUINT);
      drain_lines (self);
      check_all_ended (self);
    }
}

static void
on_responder_error (SbResponder *responder,
                    GParamSpec  *pspec,
                    gpointer     user_data)
{
  const GError *error = sb_responder_get_error (responder);

  if (error != NULL)
    g_printerr ("sockbench: %s\n", error->message);
}

static void
on_capture_error (SbCapture  *capture,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  Runner *runner = user_data;
  const GError *error = sb_capture_get_error (capture);

  if (error != NULL)
    {
      g_printerr ("sockbench: %s\n", error->message);
      quit (runner->headless, 1);
    }
}

static gboolean
on_signal (gpointer user_data)
{
  Headless *self = user_data;

  for (guint i = 0; i < self->runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self->runners, i);

      sb_session_stop (runner->session);
    }

  quit (self, 0);

  return G_SOURCE_CONTINUE;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* --send and --reply are rules like any other: the same responder answers. */
static gboolean
add_option_rule (SbSessionSetup  *setup,
                 const char      *option,
                 SbTrigger        trigger,
                 const char      *text,
                 gboolean         hex,
                 GError         **error)
{
  g_autoptr(SbAutoReplyRule) rule = NULL;
  g_autoptr(GError) local_error = NULL;

  if (text == NULL)
    return TRUE;

  rule = sb_auto_reply_rule_new (trigger, NULL, text, sb_session_setup_get_encoding (setup));
  rule->reply_hex = hex;
  if (!sb_responder_add_rule (sb_session_setup_get_responder (setup), rule, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   "%s: %s", option, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
add_runner (Headless       *self,
            SbSessionSetup *setup,
            int             timeout)
{
  Runner *runner = g_new0 (Runner, 1);
  const char *capture_path = sb_session_setup_get_capture_file (setup);

  runner->headless = self;
  runner->setup = g_object_ref (setup);
  runner->session = sb_session_new (sb_session_setup_get_spec (setup));
  if (SB_IS_STREAM_CLIENT (runner->session))
    sb_stream_client_set_reconnect (SB_STREAM_CLIENT (runner->session),
                                    sb_session_setup_get_reconnect (setup));
  runner->hex = self->hex || sb_session_setup_get_view_mode (setup) == SB_VIEW_MODE_HEX;
  runner->streams = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) stream_free);
  if (timeout >= 0)
    sb_session_set_timeout (runner->session, timeout);
  g_ptr_array_add (self->runners, runner);

  g_signal_connect (sb_session_get_history (runner->session), "items-changed",
                    G_CALLBACK (on_items_changed), runner);
  g_signal_connect (runner->session, "notify::state", G_CALLBACK (on_state_changed), runner);

  sb_responder_set_session (sb_session_setup_get_responder (setup), runner->session);
  g_signal_connect (sb_session_setup_get_responder (setup), "notify::error",
                    G_CALLBACK (on_responder_error), runner);

  if (capture_path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (capture_path);

      /* Never over an earlier capture: add to it. */
      runner->capture = sb_capture_new ();
      sb_capture_set_session (runner->capture, runner->session);
      g_signal_connect (runner->capture, "notify::error", G_CALLBACK (on_capture_error), runner);
      sb_capture_start (runner->capture, file, SB_CAPTURE_APPEND);
    }
}

int
sb_headless_run (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) setups = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *encoding = NULL;
  g_autofree char *send_text = NULL;
  g_autofree char *reply_text = NULL;
  g_autofree char *join = NULL;
  g_autofree char *preset_path = NULL;
  g_auto(GStrv) uris = NULL;
  gboolean headless = FALSE;
  gint64 count = 0;
  int timeout = -1;
  Headless self = { 0 };
  const char *canonical;
  GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &headless, N_("Run without a window, printing one line per record"), NULL },
    { "preset", 'p', 0, G_OPTION_ARG_FILENAME, &preset_path, N_("Run every session of a preset file, with its auto-reply rules and capture files"), N_("FILE") },
    { "encoding", 'e', 0, G_OPTION_ARG_STRING, &encoding, N_("Encoding of the text shown and sent for the URIs given (default UTF-8)"), N_("NAME") },
    { "hex", 'x', 0, G_OPTION_ARG_NONE, &self.hex, N_("Show data as hex, and read --send and --reply as hex"), NULL },
    { "send", 's', 0, G_OPTION_ARG_STRING, &send_text, N_("Add a rule: send TEXT once connected, or to each peer as it connects (escapes \\r \\n \\t \\\\ \\0 \\xNN \\uNNNN)"), N_("TEXT") },
    { "reply", 'r', 0, G_OPTION_ARG_STRING, &reply_text, N_("Add a rule: answer every received message with TEXT"), N_("TEXT") },
    { "count", 'c', 0, G_OPTION_ARG_INT64, &count, N_("Exit after N received messages"), N_("N") },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout, N_("Connect timeout in seconds (default 10, 0 for none)"), N_("SECONDS") },
    { "broadcast", 'b', 0, G_OPTION_ARG_NONE, &self.broadcast, N_("Allow sending UDP broadcasts (SO_BROADCAST)"), NULL },
    { "join", 'j', 0, G_OPTION_ARG_STRING, &join, N_("Join a multicast GROUP, optionally through an interface (GROUP@IFACE)"), N_("GROUP") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &uris, NULL, N_("URI…") },
    { NULL }
  };

  context = g_option_context_new (_("— open sockets and print what crosses them"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, sb_scenario_run_get_option_group ());
  g_option_context_set_description (context,
    _("URIs: tcp://HOST:PORT, tcp-listen://[BIND]:PORT, udp://HOST:PORT, udp-listen://[BIND]:PORT,\n"
      "unix:///PATH, unix-listen:///PATH, unixgram:///PATH[?bind=/PATH]\n\n"
      "A preset saved in the window (Presets → Save Current…, or Export…) runs here\n"
      "with --preset FILE: its sessions, auto-reply rules and capture files. Captures\n"
      "are added to the end of an existing file. --send and --reply add rules to every\n"
      "session.\n\n"
      "Each record is printed as TIME, DIRECTION (rx, tx, event), PEER, LENGTH and DATA,\n"
      "separated by tabs. Bytes invalid in the encoding are shown as \\xNN. A listening\n"
      "session prints its address (with the port the kernel chose for port 0) as an event."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sockbench: %s\n", error->message);
      return 2;
    }
  if (sb_scenario_run_requested ())
    return sb_scenario_run_main ();

  if ((uris == NULL || uris[0] == NULL) && preset_path == NULL)
    {
      g_printerr ("sockbench: %s\n", _("Give at least one session URI, e.g. tcp-listen://127.0.0.1:8080, or --preset FILE"));
      return 2;
    }

  canonical = sb_codec_canonical_name (encoding ? encoding : "UTF-8");
  if (canonical == NULL || g_str_equal (canonical, SB_ENCODING_HEX))
    {
      if (canonical != NULL)
        self.hex = TRUE;
      else
        {
          g_printerr ("sockbench: ");
          g_printerr (_("Unknown encoding “%s”"), encoding);
          g_printerr ("\n");
          return 2;
        }
      canonical = "UTF-8";
    }
  self.count = count;

  if (join != NULL)
    {
      char *at = strchr (join, '@');

      if (at != NULL)
        {
          self.join_iface = g_strdup (at + 1);
          *at = '\0';
        }
      self.join_group = g_strdup (join);
    }

  if (preset_path != NULL)
    {
      g_autofree char *data = NULL;
      g_autoptr(GKeyFile) keyfile = NULL;
      g_autoptr(GPtrArray) preset = NULL;
      gsize length = 0;

      if (!g_file_get_contents (preset_path, &data, &length, &error) ||
          !(keyfile = sb_preset_parse (data, length, &error)) ||
          !(preset = sb_preset_get_setups (keyfile, &error)))
        {
          g_autofree char *name = g_filename_display_name (preset_path);

          g_prefix_error (&error, "%s: ", name);
          goto fail;
        }
      g_ptr_array_extend_and_steal (setups, g_steal_pointer (&preset));
    }

  for (guint i = 0; uris != NULL && uris[i] != NULL; i++)
    {
      g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uris[i], &error);
      SbSessionSetup *setup;

      if (spec == NULL)
        goto fail;
      setup = sb_session_setup_new (spec);
      sb_session_setup_set_encoding (setup, canonical);
      g_ptr_array_add (setups, setup);
    }

  for (guint i = 0; i < setups->len; i++)
    {
      SbSessionSetup *setup = g_ptr_array_index (setups, i);

      if (!add_option_rule (setup, "--send", SB_TRIGGER_ON_CONNECT, send_text, self.hex, &error) ||
          !add_option_rule (setup, "--reply", SB_TRIGGER_ANY, reply_text, self.hex, &error))
        goto fail;
    }

  self.loop = g_main_loop_new (NULL, FALSE);
  self.runners = g_ptr_array_new_with_free_func ((GDestroyNotify) runner_free);
  g_queue_init (&self.lines);

  for (guint i = 0; i < setups->len; i++)
    add_runner (&self, g_ptr_array_index (setups, i), timeout);

  g_unix_signal_add (SIGINT, on_signal, &self);
  g_unix_signal_add (SIGTERM, on_signal, &self);

  for (guint i = 0; i < self.runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self.runners, i);

      sb_session_start (runner->session);
    }

  check_all_ended (&self);
  if (self.status == 0 || g_main_loop_is_running (self.loop))
    g_main_loop_run (self.loop);

  /* Write out whatever is still held, in order. */
  self.exiting = TRUE;
  for (guint i = 0; i < self.runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self.runners, i);

      g_clear_handle_id (&runner->print_id, g_source_remove);
      sb_history_flush (sb_session_get_history (runner->session));
      print_pending (runner);
      release_runner_streams (runner, G_MAXUINT);
    }
  drain_lines (&self);

  /* What was received is on disk before the process ends. */
  for (guint i = 0; i < self.runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self.runners, i);
      gint64 deadline = g_get_monotonic_time () + CAPTURE_FLUSH_SECONDS * G_USEC_PER_SEC;

      guint wake;

      if (runner->capture == NULL)
        continue;
      sb_capture_stop (runner->capture);
      /* The tick bounds each wait when nothing else happens. */
      wake = g_timeout_add (100, tick, NULL);
      while (sb_capture_is_active (runner->capture) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (wake);
    }

  g_clear_handle_id (&self.hold_id, g_source_remove);
  g_ptr_array_unref (self.runners);
  g_queue_clear_full (&self.lines, (GDestroyNotify) line_free);
  g_main_loop_unref (self.loop);
  g_free (self.join_group);
  g_free (self.join_iface);

  return self.status;

fail:
  g_printerr ("sockbench: %s\n", error->message);
  g_clear_pointer (&self.runners, g_ptr_array_unref);
  g_clear_pointer (&self.loop, g_main_loop_unref);
  g_free (self.join_group);
  g_free (self.join_iface);
  return 2;
}
