/* sb-headless.c — run sessions without a window, one line per record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-headless"
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>
#include <unistd.h>

#include "sb-headless-private.h"
#include "sb-relay.h"

static void
stream_free (Stream *stream)
{
  g_clear_pointer (&stream->decoder, sb_decoder_free);
  g_free (stream);
}

void
_sb_headless_line_free (Line *line)
{
  g_string_free (line->text, TRUE);
  g_free (line);
}

static void
frame_stream_free (FrameStream *fs)
{
  sb_framer_collector_free (fs->collector);
  g_free (fs);
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
  if (runner->replay != NULL)
    sb_replay_set_session (runner->replay, NULL);
  g_clear_object (&runner->replay);
  g_clear_handle_id (&runner->gap_id, g_source_remove);
  g_clear_pointer (&runner->frame_streams, g_hash_table_unref);
  g_clear_pointer (&runner->framer, sb_framer_unref);
  g_clear_pointer (&runner->check, sb_check_spec_free);
  g_clear_object (&runner->session);
  g_clear_object (&runner->setup);
  g_clear_pointer (&runner->streams, g_hash_table_unref);
  g_free (runner);
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
    _sb_headless_print_pending (runner);
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

  _sb_headless_quit (self, self->status);
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
          _sb_headless_quit (self, 1);
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
      _sb_headless_release_runner_streams (runner, G_MAXUINT);
      _sb_headless_drain_lines (self);
      check_all_ended (self);
    }
}

static void
on_responder_error (SbResponder *responder,
                    GParamSpec  *pspec,
                    gpointer     user_data)
{
  const GError *error = sb_responder_get_error (responder);
  Runner *runner = user_data;

  /* Stopping because the output failed: what did not get sent is no news. */
  if (error != NULL && !runner->headless->output_failed)
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
      _sb_headless_quit (runner->headless, 1);
    }
}

static gboolean
on_signal (gpointer user_data)
{
  Headless *self = user_data;

  if (self->print_until == 0)
    self->print_until = g_get_monotonic_time () + SIGNAL_PRINT_MS * 1000;
  _sb_headless_stop_all (self, 0);

  return G_SOURCE_CONTINUE;
}

/* Every session of the run, one interface each, whatever way it ended. */
static void
write_pcapng (Headless   *self,
                           const char *path)
{
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) sb_pcapng_session_free);
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < self->runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self->runners, i);

      g_ptr_array_add (sessions, sb_pcapng_session_snapshot (runner->session));
    }
  if (!sb_pcapng_write_file (file, sessions, &error))
    {
      g_printerr ("sockbench: --pcapng: %s\n", error->message);
      self->status = 1;
    }
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

  if (sb_session_setup_get_templates (setup) &&
      !sb_responder_get_templates (sb_session_setup_get_responder (setup)))
    {
      /* A rule of the preset does not parse as a template. */
      g_set_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID, "%s: %s", option,
                   sb_responder_get_error (sb_session_setup_get_responder (setup))->message);
      return FALSE;
    }

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

/* Command-line options as relay options: "NAME=" + each value (NAME NULL:
 * the values are options already). */
static gboolean
add_relay_options (SbRelayOptions  *options,
                   const char      *option,
                   const char      *name,
                   char           **values,
                   GError         **error)
{
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    {
      g_autofree char *text = name ? g_strconcat (name, "=", values[i], NULL) : g_strdup (values[i]);

      if (!sb_relay_options_add (options, text, error))
        {
          g_prefix_error (error, "%s: ", option);
          return FALSE;
        }
    }

  return TRUE;
}

/* Every relay gets its setup's faults and rules, then those of --delay,
 * --loss, --split, --fault and --rewrite. */
static gboolean
set_relay_options (Headless  *self,
                   char     **delays,
                   char     **losses,
                   char     **splits,
                   char     **faults,
                   char     **rewrites,
                   GError   **error)
{
  gboolean given = delays || losses || splits || faults || rewrites;
  gboolean any_relay = FALSE;

  for (guint i = 0; i < self->runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self->runners, i);
      g_autoptr(SbRelayOptions) options = sb_relay_options_new ();

      if (!sb_kind_is_relay (sb_session_get_kind (runner->session)))
        continue;
      any_relay = TRUE;
      /* The setup's options were checked when it took them. */
      sb_relay_options_add_all (options, sb_session_setup_get_relay (runner->setup), NULL);
      if (!add_relay_options (options, "--delay", "delay", delays, error) ||
          !add_relay_options (options, "--loss", "loss", losses, error) ||
          !add_relay_options (options, "--split", "split", splits, error) ||
          !add_relay_options (options, "--fault", NULL, faults, error) ||
          !add_relay_options (options, "--rewrite", "rewrite", rewrites, error) ||
          !sb_session_relay_apply_options (runner->session, options, error))
        return FALSE;
    }

  if (given && !any_relay)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--delay, --loss, --split, --fault and --rewrite only apply to relays: give a relay:// URI"));
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

  /* Received lines are frames when the setup frames or checks what it
   * receives (the specs were checked when the setup took them). */
  if (!g_str_equal (sb_session_setup_get_framing (setup), "none") ||
      *sb_session_setup_get_check (setup) != '\0')
    {
      runner->framer = sb_framer_new_from_spec (sb_session_setup_get_framing (setup), NULL);
      if (*sb_session_setup_get_check (setup) != '\0')
        runner->check = sb_check_spec_parse (sb_session_setup_get_check (setup), NULL);
      runner->frame_streams = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) frame_stream_free);
    }

  g_signal_connect (sb_session_get_history (runner->session), "items-changed",
                    G_CALLBACK (on_items_changed), runner);
  g_signal_connect (runner->session, "notify::state", G_CALLBACK (on_state_changed), runner);

  sb_responder_set_session (sb_session_setup_get_responder (setup), runner->session);
  g_signal_connect (sb_session_setup_get_responder (setup), "notify::error",
                    G_CALLBACK (on_responder_error), runner);

  if (self->replay_stream != NULL)
    {
      const SbSessionSpec *spec = sb_session_get_spec (runner->session);
      /* A server (or a bound datagram socket with no target) plays the
       * stream's server side, anything else its client side. */
      gboolean as_server = sb_kind_is_server (spec->kind) ||
                           (spec->kind == SB_KIND_UDP && spec->host == NULL);
      g_autoptr(SbHistory) script = sb_capture_file_to_history (self->replay_capture,
                                                                self->replay_stream, as_server);

      runner->replay = sb_replay_new (script, self->replay_timed);
      sb_replay_set_session (runner->replay, runner->session);
    }

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

static void
replace_str (char       **slot,
             const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

/* --cert, --key, --ca, --insecure, --alpn, --self-signed: set on every TLS
 * session (over what its URI or preset says). */
static gboolean
apply_tls_options (GPtrArray           *setups,
                   const SbTlsOptions  *given,
                   GError             **error)
{
  guint n_tls = 0;

  if (sb_tls_options_is_empty (given))
    return TRUE;

  for (guint i = 0; i < setups->len; i++)
    {
      SbSessionSetup *setup = g_ptr_array_index (setups, i);
      g_autoptr(SbSessionSpec) spec = sb_session_spec_copy (sb_session_setup_get_spec (setup));
      gboolean server = sb_kind_is_server (spec->kind);

      if (!sb_kind_is_tls (spec->kind))
        continue;
      n_tls++;

      if (spec->tls == NULL)
        spec->tls = sb_tls_options_new ();
      if (given->cert_file != NULL)
        {
          replace_str (&spec->tls->cert_file, given->cert_file);
          spec->tls->self_signed = FALSE;
        }
      if (given->key_file != NULL)
        replace_str (&spec->tls->key_file, given->key_file);
      if (given->ca_file != NULL)
        replace_str (&spec->tls->ca_file, given->ca_file);
      if (given->alpn != NULL)
        replace_str (&spec->tls->alpn, given->alpn);
      if (given->insecure)
        spec->tls->insecure = TRUE;
      if (given->self_signed && server && given->cert_file == NULL)
        {
          g_clear_pointer (&spec->tls->cert_file, g_free);
          g_clear_pointer (&spec->tls->key_file, g_free);
          spec->tls->self_signed = TRUE;
        }
      if (!sb_tls_options_check (spec->tls, sb_kind_to_scheme (spec->kind), error))
        return FALSE;
      sb_session_setup_set_spec (setup, spec);
    }

  if (n_tls == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--cert, --key, --ca, --insecure, --alpn and --self-signed are for tls:// and tls-listen:// sessions, and none was given"));
      return FALSE;
    }
  return TRUE;
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
  g_autofree char *frame_spec = NULL;
  g_autofree char *check_spec = NULL;
  g_autofree char *pcapng_path = NULL;
  g_autofree char *replay_path = NULL;
  g_autoptr(SbCaptureFile) replay_capture = NULL;
  g_auto(GStrv) uris = NULL;
  g_auto(GStrv) delays = NULL;
  g_auto(GStrv) losses = NULL;
  g_auto(GStrv) splits = NULL;
  g_auto(GStrv) faults = NULL;
  g_auto(GStrv) rewrites = NULL;
  gboolean headless = FALSE;
  gboolean templates = FALSE;
  g_autoptr(SbTlsOptions) tls = sb_tls_options_new ();
  gint64 count = 0;
  /* G_MININT: not given. */
  int timeout = G_MININT;
  int hold = G_MININT;
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
    { "frame", 'f', 0, G_OPTION_ARG_STRING, &frame_spec, N_("Print one line per message framed by SPEC instead of one per read (see below)"), N_("SPEC") },
    { "check", 'k', 0, G_OPTION_ARG_STRING, &check_spec, N_("Check each received message's checksum and mark it ✔ or ✘ in a column before DATA (e.g. crc-16/modbus)"), N_("SPEC") },
    { "template", 'T', 0, G_OPTION_ARG_NONE, &templates, N_("Read --send and --reply as templates: ${seq}, ${rx}, ${crc-16/modbus}, …"), NULL },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &tls->cert_file, N_("TLS: the certificate (PEM) a tls-listen:// server shows, or a tls:// client shows for mutual TLS"), N_("PEM") },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &tls->key_file, N_("TLS: the private key (PEM) of --cert, when it is not in the same file"), N_("PEM") },
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &tls->ca_file, N_("TLS: trust the authorities in this file (PEM); a server then asks every client for a certificate they signed"), N_("PEM") },
    { "insecure", 0, 0, G_OPTION_ARG_NONE, &tls->insecure, N_("TLS: accept an invalid certificate (each reason is still printed, as a warning)"), NULL },
    { "alpn", 0, 0, G_OPTION_ARG_STRING, &tls->alpn, N_("TLS: the application protocols offered, most wanted first (e.g. h2,http/1.1)"), N_("LIST") },
    { "self-signed", 0, 0, G_OPTION_ARG_NONE, &tls->self_signed, N_("TLS: a tls-listen:// server makes its own certificate (for localhost, 127.0.0.1 and ::1)"), NULL },
    { "hold", 0, 0, G_OPTION_ARG_INT, &hold, N_("How long a character cut across reads waits, with its stream idle, for its other bytes before it is printed as \\xNN (default 2000)"), N_("MS") },
    { "pcapng", 0, 0, G_OPTION_ARG_FILENAME, &pcapng_path, N_("When the sessions end (Ctrl-C too), write them to FILE as a pcapng capture for Wireshark"), N_("FILE") },
    { "replay", 0, 0, G_OPTION_ARG_FILENAME, &replay_path, N_("Play one side of a stream of a pcap/pcapng capture on every session: servers answer as its server did, clients speak as its client did (STREAM: tcp:N, udp:N or N; default the first)"), N_("FILE[#STREAM]") },
    { "replay-timed", 0, 0, G_OPTION_ARG_NONE, &self.replay_timed, N_("With --replay, keep the recorded gaps between messages (default: as fast as the turns allow)"), NULL },
    { "delay", 0, 0, G_OPTION_ARG_STRING_ARRAY, &delays, N_("Relays: delay what is passed on by MS, ± up to JITTER (see below)"), N_("[c2s:|s2c:]MS[±JITTER]") },
    { "loss", 0, 0, G_OPTION_ARG_STRING_ARRAY, &losses, N_("Datagram relays: drop PERCENT of the datagrams"), N_("[c2s:|s2c:]PERCENT") },
    { "split", 0, 0, G_OPTION_ARG_STRING_ARRAY, &splits, N_("Relays: pass writes on in pieces of BYTES, MS apart (default 10)"), N_("[c2s:|s2c:]BYTES[/MS]") },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults, N_("Relays: any fault as NAME=VALUE: join, rate, corrupt, silent, reset-after (see below)"), N_("NAME=VALUE") },
    { "rewrite", 0, 0, G_OPTION_ARG_STRING_ARRAY, &rewrites, N_("Relays: replace FROM by TO in what is passed on (escapes as in --send; write “=” in FROM as \\x3d)"), N_("[c2s:|s2c:]FROM=TO") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &uris, NULL, N_("URI…") },
    { NULL }
  };

  context = g_option_context_new (_("— open sockets and print what crosses them"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, sb_scenario_run_get_option_group ());
  g_option_context_set_description (context,
    _("URIs: tcp://HOST:PORT, tcp-listen://[BIND]:PORT, udp://HOST:PORT, udp-listen://[BIND]:PORT,\n"
      "unix:///PATH, unix-listen:///PATH, unixgram:///PATH[?bind=/PATH], icmp://HOST (ping),\n"
      "tls://HOST:PORT, tls-listen://[BIND]:PORT (options in the URI: ?ca=PEM&sni=NAME&alpn=LIST\n"
      "&cert=PEM&key=PEM&insecure=1&self-signed=1&keylog=FILE, or with --cert and the like)\n\n"
      "relay://[BIND]:PORT?to=HOST:PORT, relay-udp://[BIND]:PORT?to=HOST:PORT,\n"
      "relay-unix:///PATH?to=/PATH (each client goes on to the server through a\n"
      "connection of its own; rx is client → server, tx server → client, PEER the client)\n\n"
      "relay-tls://[BIND]:PORT?to=HOST:PORT[&OPTIONS] is TLS in the middle: each client's TLS\n"
      "ends here (a self-signed certificate, or cert=PEM&key=PEM) and TLS goes on upstream\n"
      "(ca=PEM, sni=NAME, insecure=1; alpn=LIST and keylog=FILE for both legs): rx and tx\n"
      "are the plaintext\n\n"
      "Relay faults apply to both directions, or to one with c2s: (client → server)\n"
      "or s2c: (server → client) before the value; each may be given again, and \"off\"\n"
      "turns one off. Every fault applied is printed as an event.\n"
      "  --delay=MS[±JITTER]   (or MS+-JITTER)  --loss=PERCENT (datagrams only)\n"
      "  --split=BYTES[/MS]    --fault=join=MS  --fault=rate=BYTES[k|M] (per second)\n"
      "  --fault=corrupt=PERCENT (of writes)    --fault=silent=on|off\n"
      "  --fault=reset-after=BYTES (streams)  --rewrite=[c2s:|s2c:]FROM=TO\n\n"
      "A preset saved in the window (Presets → Save Current…, or Export…) runs here\n"
      "with --preset FILE: its sessions, auto-reply rules and capture files. Captures\n"
      "are added to the end of an existing file. --send and --reply add rules to every\n"
      "session.\n\n"
      "Each record is printed as TIME, DIRECTION (rx, tx, event), PEER, LENGTH and DATA,\n"
      "separated by tabs. Bytes invalid in the encoding are shown as \\xNN. A listening\n"
      "session prints its address (with the port the kernel chose for port 0) as an event.\n\n"
      "--frame=SPEC prints one line per message (DATA is the message, LENGTH its size):\n"
      "  line               up to \\n or \\r\\n      delim:HEX      up to these bytes (kept)\n"
      "  fixed:N            N bytes each          gap:MS         a new one after MS of silence\n"
      "  len:SIZE:be|le[:OFFSET[:ADJUST]]         a SIZE-byte length of the body that follows\n"
      "  slip, cobs         RFC 1055, COBS        (len:2:be: a 2-byte big-endian length)\n"
      "--check=SPEC checks each received message: NAME[:FIRST:LAST][:le|:be], by default\n"
      "the checksum at the end over every byte before it. --count counts messages.\n\n"
      "The output stops quietly (status 141) when its reader goes away, as cat does;\n"
      "any other error writing it is reported and the status is 1."));

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
  if (count < 0 || (timeout != G_MININT && timeout < 0) || (hold != G_MININT && hold < 0))
    {
      const char *option = count < 0 ? "--count" : (timeout != G_MININT && timeout < 0) ? "--timeout" : "--hold";
      gint64 value = count < 0 ? count : (timeout != G_MININT && timeout < 0) ? timeout : hold;

      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, value);

      g_printerr ("sockbench: ");
      /* Translators: “--count: -1 is negative; give 0 or more” */
      g_printerr (_("%s: %s is negative; give 0 or more"), option, number);
      g_printerr ("\n");
      return 2;
    }
  self.count = count;
  self.hold_us = (hold == G_MININT ? DEFAULT_HOLD_MS : hold) * (gint64) 1000;
  if (timeout == G_MININT)
    timeout = -1;

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

  if (replay_path != NULL)
    {
      char *hash = strrchr (replay_path, '#');
      g_autoptr(GFile) file = NULL;

      if (hash != NULL)
        *hash = '\0';
      file = g_file_new_for_commandline_arg (replay_path);
      replay_capture = sb_capture_file_new_from_file (file, &error);
      if (replay_capture == NULL)
        {
          g_prefix_error (&error, "--replay: ");
          goto fail;
        }
      self.replay_stream = sb_capture_file_find_stream (replay_capture, hash ? hash + 1 : NULL, &error);
      if (self.replay_stream == NULL)
        {
          g_prefix_error (&error, "--replay: ");
          goto fail;
        }
      self.replay_capture = replay_capture;
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

  /* Given on the command line, they apply to a preset's sessions too. */
  for (guint i = 0; i < setups->len; i++)
    {
      SbSessionSetup *setup = g_ptr_array_index (setups, i);

      if (frame_spec != NULL && !sb_session_setup_set_framing (setup, frame_spec, &error))
        {
          g_prefix_error (&error, "--frame: ");
          goto fail;
        }
      if (check_spec != NULL && !sb_session_setup_set_check (setup, check_spec, &error))
        {
          g_prefix_error (&error, "--check: ");
          goto fail;
        }
      if (templates)
        sb_session_setup_set_templates (setup, TRUE);
    }
  if (!apply_tls_options (setups, tls, &error))
    goto fail;

  for (guint i = 0; i < setups->len; i++)
    {
      SbSessionSetup *setup = g_ptr_array_index (setups, i);

      if (!add_option_rule (setup, "--send", SB_TRIGGER_ON_CONNECT, send_text, self.hex, &error) ||
          !add_option_rule (setup, "--reply", SB_TRIGGER_ANY, reply_text, self.hex, &error))
        goto fail;
    }

  self.loop = g_main_loop_new (NULL, FALSE);
  self.runners = g_ptr_array_new_with_free_func ((GDestroyNotify) runner_free);
  self.output = g_string_sized_new (OUTPUT_CHUNK);
  g_queue_init (&self.lines);

  for (guint i = 0; i < setups->len; i++)
    add_runner (&self, g_ptr_array_index (setups, i), timeout);

  if (!set_relay_options (&self, delays, losses, splits, faults, rewrites, &error))
    goto fail;

  g_unix_signal_add (SIGINT, on_signal, &self);
  g_unix_signal_add (SIGTERM, on_signal, &self);

  for (guint i = 0; i < self.runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self.runners, i);

      sb_session_start (runner->session);
    }

  check_all_ended (&self);
  if (!self.quit)
    g_main_loop_run (self.loop);

  /* Write out whatever is still held, in order: first what the engine was
   * still doing (the reply to the last message counted, say). */
  self.exiting = TRUE;
  for (guint i = 0; i < self.runners->len; i++)
    sb_session_sync (((Runner *) g_ptr_array_index (self.runners, i))->session);
  for (guint i = 0; i < self.runners->len; i++)
    {
      Runner *runner = g_ptr_array_index (self.runners, i);

      g_clear_handle_id (&runner->print_id, g_source_remove);
      sb_history_flush (sb_session_get_history (runner->session));
      _sb_headless_print_pending (runner);
      /* What is still in progress is printed as the framer ends it. */
      if (runner->framer != NULL && !(self.count > 0 && self.received >= self.count))
        _sb_headless_end_frame_streams (runner, 0);
      _sb_headless_release_runner_streams (runner, G_MAXUINT);
    }
  _sb_headless_drain_lines (&self);
  if (self.unprinted_records > 0)
    {
      g_autofree char *size = g_format_size_full (self.unprinted_bytes, G_FORMAT_SIZE_LONG_FORMAT);

      g_printerr (ngettext ("sockbench: stopped by a signal: the last %" PRIu64 " record (%s of data) was not printed\n",
                            "sockbench: stopped by a signal: the last %" PRIu64 " records (%s of data) were not printed\n",
                            self.unprinted_records),
                  (uint64_t) self.unprinted_records, size);
    }

  if (pcapng_path != NULL)
    write_pcapng (&self, pcapng_path);

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
  g_queue_clear_full (&self.lines, (GDestroyNotify) _sb_headless_line_free);
  g_string_free (self.output, TRUE);
  g_main_loop_unref (self.loop);
  g_free (self.join_group);
  g_free (self.join_iface);

  return self.status;

fail:
  g_printerr ("sockbench: %s\n", error->message);
  g_clear_pointer (&self.runners, g_ptr_array_unref);
  if (self.output != NULL)
    g_string_free (self.output, TRUE);
  g_clear_pointer (&self.loop, g_main_loop_unref);
  g_free (self.join_group);
  g_free (self.join_iface);
  return 2;
}
