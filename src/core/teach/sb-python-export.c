/* sb-python-export.c — a session as a standalone python3 script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-python-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-python-export.h"

/*
 * The script is built from our own constant text plus literals. Anything
 * that came from the network or the user (payloads, patterns, replies,
 * hosts, paths, peer labels) goes through append_py_bytes() or
 * append_py_str(), which write printable ASCII only, so it cannot end a
 * literal, a line or a comment. Comments hold translated text only, one
 * line each, without control characters.
 */

/* Bytes of payload per literal piece; long messages are split over lines. */
#define PIECE_WIDTH 64
/* recvfrom() size: the most a Sockbench datagram socket reads, too. */
#define DATAGRAM_BUFFER 65536
/* settimeout() of every socket that waits for the peer during a replay. */
#define WAIT_SECONDS 10

typedef enum
{
  STEP_SEND,
  STEP_RECV,
  STEP_SHUTDOWN,   /* shutdown(SHUT_WR): we are done sending */
  STEP_EOF,        /* the peer is done sending: recv() returns b'' */
  STEP_RESET,      /* the connection was reset here; a comment only */
} StepKind;

typedef struct
{
  StepKind      kind;
  const guint8 *data;   /* borrowed from the history (valid during the export) */
  gsize         len;
} Step;

typedef struct
{
  gboolean     unix_family;
  gboolean     stream;
  gboolean     server;       /* the script listens (stream) or waits for the first datagram */
  gboolean     this_side;

  /* The server's address, for both roles. */
  char        *host;
  guint16      port;
  char        *path;

  /* Datagram clients: bind before sending. No bind_path with bind:
   * let Linux choose a name (autobind), so replies can come back. */
  gboolean     bind;
  char        *bind_host;
  guint16      bind_port;
  char        *bind_path;

  /* Datagram servers whose first step is a send: where it goes. */
  gboolean     have_first;
  char        *first_host;
  guint16      first_port;
  char        *first_path;

  GArray      *steps;         /* Step */
  gboolean     has_peer;      /* someone was there (stream servers accept one) */
  guint64      n_dropped;
  const char  *codec;         /* Python codec for the received text; NULL: hex */
  SbAutoReply *rules;         /* this side of a server with rules: a loop server */
} Plan;

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->host, g_free);
  g_clear_pointer (&plan->path, g_free);
  g_clear_pointer (&plan->bind_host, g_free);
  g_clear_pointer (&plan->bind_path, g_free);
  g_clear_pointer (&plan->first_host, g_free);
  g_clear_pointer (&plan->first_path, g_free);
  g_clear_pointer (&plan->steps, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

/* Encodings, by their canonical names (sb_codec_canonical_name), as Python
 * calls them. Every one of them is in Python's standard library. */
static const struct
{
  const char *name;
  const char *python;
} python_codecs[] = {
  { "UTF-8",        "utf-8" },
  { "GBK",          "gbk" },
  { "GB18030",      "gb18030" },
  { "Big5",         "big5" },
  { "Big5-HKSCS",   "big5hkscs" },
  { "Shift_JIS",    "shift_jis" },
  { "EUC-JP",       "euc_jp" },
  { "EUC-KR",       "euc_kr" },
  { "ISO-8859-1",   "latin-1" },
  { "Windows-1252", "cp1252" },
  { "KOI8-R",       "koi8_r" },
  { "UTF-16LE",     "utf-16-le" },
  { "UTF-16BE",     "utf-16-be" },
};

/* Sets *@codec to the Python codec for @encoding (NULL for "hex"); FALSE
 * with @error when Python has none. */
static gboolean
python_codec (const char  *encoding,
              const char **codec,
              GError     **error)
{
  const char *canonical = sb_codec_canonical_name (encoding);

  *codec = NULL;

  if (canonical != NULL && g_str_equal (canonical, SB_ENCODING_HEX))
    return TRUE;

  for (guint i = 0; canonical != NULL && i < G_N_ELEMENTS (python_codecs); i++)
    if (g_str_equal (python_codecs[i].name, canonical))
      {
        *codec = python_codecs[i].python;
        return TRUE;
      }

  g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNSUPPORTED,
               _("The encoding “%s” cannot be used in a Python script"), encoding);
  return FALSE;
}

/* Literals */

static guint
byte_width (guint8 c)
{
  if (c == '\\' || c == '"' || c == '\n' || c == '\r' || c == '\t')
    return 2;
  if (c >= 0x20 && c < 0x7f)
    return 1;
  return 4;
}

static void
append_escaped_byte (GString *out,
                     guint8   c)
{
  switch (c)
    {
    case '\\': g_string_append (out, "\\\\"); break;
    case '"':  g_string_append (out, "\\\""); break;
    case '\n': g_string_append (out, "\\n"); break;
    case '\r': g_string_append (out, "\\r"); break;
    case '\t': g_string_append (out, "\\t"); break;
    default:
      if (c >= 0x20 && c < 0x7f)
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "\\x%02x", c);
      break;
    }
}

/* b"…": printable ASCII only; quote and backslash escaped, \xNN for the rest. */
static void
append_py_bytes (GString      *out,
                 const guint8 *data,
                 gsize         len)
{
  g_string_append (out, "b\"");
  for (gsize i = 0; i < len; i++)
    append_escaped_byte (out, data[i]);
  g_string_append_c (out, '"');
}

/* "…": printable ASCII only. Characters are \xNN, \uNNNN or \UNNNNNNNN;
 * bytes that are not UTF-8 are \udcNN, which Python's file system encoding
 * (surrogateescape) turns back into the same bytes, as paths need. */
static void
append_py_str (GString    *out,
               const char *text)
{
  const char *p = text;
  const char *end = text + strlen (text);

  g_string_append_c (out, '"');
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2 || c > 0x10FFFF)
        {
          g_string_append_printf (out, "\\udc%02x", (guint8) *p);
          p++;
          continue;
        }

      if (c < 0x80)
        append_escaped_byte (out, (guint8) c);
      else if (c < 0x100)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c < 0x10000)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_printf (out, "\\U%08x", c);
      p = g_utf8_next_char (p);
    }
  g_string_append_c (out, '"');
}

/* Writing lines */

typedef struct
{
  GString *out;
  guint    indent;   /* levels of four spaces */
} Emitter;

static void
start_line (Emitter *e)
{
  for (guint i = 0; i < e->indent; i++)
    g_string_append (e->out, "    ");
}

/* @code is our own Python text (never data). */
static void
line (Emitter    *e,
      const char *code)
{
  start_line (e);
  g_string_append (e->out, code);
  g_string_append_c (e->out, '\n');
}

static void G_GNUC_PRINTF (2, 3)
linef (Emitter    *e,
       const char *format,
       ...)
{
  va_list args;

  start_line (e);
  va_start (args, format);
  g_string_append_vprintf (e->out, format, args);
  va_end (args);
  g_string_append_c (e->out, '\n');
}

static void
blank (Emitter *e)
{
  g_string_append_c (e->out, '\n');
}

/* A comment of translated text: one "# " line per line of @text, controls
 * made spaces, so not even a broken translation can reach the code. */
static void
comment (Emitter    *e,
         const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_auto(GStrv) lines = g_strsplit (valid, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      for (char *p = lines[i]; *p; p++)
        if ((guchar) *p < 0x20 || *p == 0x7f)
          *p = ' ';
      g_strchomp (lines[i]);

      start_line (e);
      if (lines[i][0] != '\0')
        {
          g_string_append (e->out, "# ");
          g_string_append (e->out, lines[i]);
        }
      else
        g_string_append_c (e->out, '#');
      g_string_append_c (e->out, '\n');
    }
}

static void G_GNUC_PRINTF (2, 3)
commentf (Emitter    *e,
          const char *format,
          ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  comment (e, text);
}

/* Writes CALL(<bytes>[, EXTRA]); a payload too long for one line is split
 * into literals, one per line, cut after newlines too. */
static void
bytes_call (Emitter      *e,
            const char   *call,
            const guint8 *data,
            gsize         len,
            const char   *extra)
{
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize total = 0;
  guint width = 0;

  for (gsize i = 0; i < len && total < PIECE_WIDTH; i++)
    total += byte_width (data[i]);

  for (gsize i = 0; i < len && total >= PIECE_WIDTH; i++)
    {
      width += byte_width (data[i]);
      if (i + 1 < len && (width >= PIECE_WIDTH || data[i] == '\n'))
        {
          gsize cut = i + 1;

          g_array_append_val (cuts, cut);
          width = 0;
        }
    }

  start_line (e);
  g_string_append_printf (e->out, "%s(", call);

  if (cuts->len == 0)
    {
      append_py_bytes (e->out, data, len);
      if (extra != NULL)
        g_string_append_printf (e->out, ", %s", extra);
      g_string_append (e->out, ")\n");
      return;
    }

  g_string_append_c (e->out, '\n');
  e->indent++;
  for (guint i = 0; i <= cuts->len; i++)
    {
      gsize from = i == 0 ? 0 : g_array_index (cuts, gsize, i - 1);
      gsize to = i < cuts->len ? g_array_index (cuts, gsize, i) : len;

      start_line (e);
      append_py_bytes (e->out, data + from, to - from);
      g_string_append (e->out, i == cuts->len ? ",\n" : "\n");
    }
  if (extra != NULL)
    linef (e, "%s,", extra);
  e->indent--;
  line (e, ")");
}

/* Reading the history */

static void
add_step (Plan         *plan,
          StepKind      kind,
          const guint8 *data,
          gsize         len)
{
  Step step = { kind, data, len };

  g_array_append_val (plan->steps, step);
}

/* The conversation with the first peer, as this side did it or, @mirror,
 * as the other side did: their sends are our receives. */
static void
collect_steps (Plan      *plan,
               SbHistory *history,
               gboolean   mirror,
               char     **first_label)
{
  guint n;
  guint peer = 0;
  gboolean eof_step = FALSE;

  sb_history_flush (history);
  n = sb_history_get_n_records (history);
  plan->n_dropped = sb_history_get_n_dropped (history);

  for (guint i = 0; i < n; i++)
    {
      SbDirection direction = sb_history_get_direction (history, i);
      SbEventKind event = sb_history_get_event (history, i);
      guint id = sb_history_get_peer (history, i);
      const guint8 *data;
      gsize len = 0;

      if (direction == SB_DIRECTION_EVENT && event == SB_EVENT_STOPPED)
        {
          /* Stopping closes the connection; before anyone came, a restart
           * may still bring the first peer. */
          if (peer == 0)
            continue;
          if (plan->stream && mirror && !eof_step)
            add_step (plan, STEP_EOF, NULL, 0);
          return;
        }

      if (id == 0)
        continue;

      if (peer == 0)
        {
          gboolean starts = direction != SB_DIRECTION_EVENT ||
                            (plan->stream && event == SB_EVENT_CONNECTED);

          if (!starts)
            continue;
          peer = id;
          plan->has_peer = TRUE;
          *first_label = g_strdup (sb_history_get_peer_label (history, id));
        }

      if (id != peer)
        continue;

      if (direction != SB_DIRECTION_EVENT)
        {
          data = sb_history_peek_data (history, i, &len);
          if (data == NULL)
            continue;
          if ((direction == SB_DIRECTION_TX) != mirror)
            add_step (plan, STEP_SEND, data, len);
          else
            add_step (plan, STEP_RECV, data, len);
          continue;
        }

      if (!plan->stream)
        continue;

      switch (event)
        {
        case SB_EVENT_PEER_CLOSED:
        case SB_EVENT_HALF_CLOSED:
          if ((event == SB_EVENT_HALF_CLOSED) != mirror)
            add_step (plan, STEP_SHUTDOWN, NULL, 0);
          else if (!eof_step)
            {
              add_step (plan, STEP_EOF, NULL, 0);
              eof_step = TRUE;
            }
          break;

        case SB_EVENT_DISCONNECTED:
          /* We closed: the other side reads EOF. */
          if (mirror && !eof_step)
            add_step (plan, STEP_EOF, NULL, 0);
          return;

        case SB_EVENT_RESET:
          add_step (plan, STEP_RESET, NULL, 0);
          return;

        case SB_EVENT_ERROR:
          return;

        case SB_EVENT_NONE:
        case SB_EVENT_LISTENING:
        case SB_EVENT_CONNECTED:
        case SB_EVENT_INFO:
        case SB_EVENT_STOPPED:
        default:
          break;
        }
    }
}

/* Where a client of a server bound to @host connects. */
static char *
connectable_host (const char *host)
{
  if (host == NULL || *host == '\0')
    return g_strdup ("127.0.0.1");
  if (sb_address_is_any (host))
    return g_strdup (strchr (host, ':') != NULL ? "::1" : "127.0.0.1");
  return g_strdup (host);
}

/* The port a server session really listened on (port 0 lets the kernel choose). */
static guint16
bound_port (SbSession *session,
            guint16    asked)
{
  GSocketAddress *local = sb_session_get_local_address (session);

  if (asked == 0 && G_IS_INET_SOCKET_ADDRESS (local))
    return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  return asked;
}

static gboolean
usable_unix_label (const char *label)
{
  return label != NULL && (label[0] == '/' || label[0] == '@' || label[0] == '.');
}

static gboolean
set_first_destination (Plan        *plan,
                       const char  *label,
                       GError     **error)
{
  if (plan->unix_family ? usable_unix_label (label)
                        : sb_address_parse_host_port (label, FALSE, &plan->first_host,
                                                      &plan->first_port, NULL))
    {
      if (plan->unix_family)
        plan->first_path = g_strdup (label);
      plan->have_first = TRUE;
      return TRUE;
    }

  g_set_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED,
               _("The script would send first, to %s, but that address cannot be written in Python"),
               label != NULL ? label : "?");
  return FALSE;
}

static gboolean
make_plan (Plan          *plan,
           SbSession     *session,
           SbPythonSide   side,
           SbAutoReply   *rules,
           GError       **error)
{
  const SbSessionSpec *spec = sb_session_get_spec (session);
  gboolean this_side = side == SB_PYTHON_THIS_SIDE;
  gboolean server;
  g_autofree char *first_label = NULL;

  switch (spec->kind)
    {
    case SB_KIND_TCP_CLIENT:
    case SB_KIND_TCP_SERVER:
    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_UNIX_SERVER:
      plan->stream = TRUE;
      server = sb_kind_is_server (spec->kind);
      break;

    case SB_KIND_UDP:
      server = spec->host == NULL;
      break;

    case SB_KIND_UNIX_DGRAM:
      server = spec->path == NULL;
      break;

    case SB_N_KINDS:
    default:
      g_set_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED,
                   _("%s:// sessions cannot be exported as a Python script"),
                   sb_kind_to_scheme (spec->kind));
      return FALSE;
    }

  plan->unix_family = sb_kind_is_unix (spec->kind);
  plan->this_side = this_side;
  plan->server = this_side ? server : !server;
  plan->steps = g_array_new (FALSE, FALSE, sizeof (Step));

  /* The server's address: the session's own for this side of a server,
   * its target for a client. */
  if (plan->unix_family)
    {
      const char *path = server && !plan->stream ? spec->bind_path : spec->path;

      plan->path = g_strdup (path != NULL ? path : "");
      if (!plan->stream && plan->path[0] == '\0')
        {
          g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED,
                               _("This datagram socket has no path of its own and no target"));
          return FALSE;
        }
    }
  else if (server)
    {
      plan->host = plan->server ? g_strdup (spec->bind_host ? spec->bind_host : "127.0.0.1")
                                : connectable_host (spec->bind_host);
      plan->port = plan->server ? spec->bind_port : bound_port (session, spec->bind_port);
    }
  else
    {
      plan->host = g_strdup (spec->host != NULL ? spec->host : "127.0.0.1");
      plan->port = spec->port;
    }

  /* A datagram client binds what the session bound; the other side of a
   * UNIX datagram server needs a name of its own to get replies. */
  if (!plan->stream && !plan->server)
    {
      if (this_side && spec->has_bind && !plan->unix_family)
        {
          plan->bind = TRUE;
          plan->bind_host = g_strdup (spec->bind_host ? spec->bind_host : "0.0.0.0");
          plan->bind_port = spec->bind_port;
        }
      else if (this_side && spec->bind_path != NULL && plan->unix_family)
        {
          plan->bind = TRUE;
          plan->bind_path = g_strdup (spec->bind_path);
        }
      else if (!this_side && plan->unix_family)
        plan->bind = TRUE;
    }

  /* A server with rules answers by them, so it does not replay them too. */
  if (this_side && server && rules != NULL && sb_auto_reply_get_n_rules (rules) > 0)
    {
      plan->rules = rules;
      return TRUE;
    }

  collect_steps (plan, sb_session_get_history (session), !this_side, &first_label);

  /* A datagram server learns its client from the first datagram; if it
   * spoke first, it needs the address. */
  if (!plan->stream && plan->server && plan->steps->len > 0 &&
      g_array_index (plan->steps, Step, 0).kind == STEP_SEND)
    {
      if (this_side)
        return set_first_destination (plan, first_label, error);
      else
        {
          GSocketAddress *local = sb_session_get_local_address (session);
          g_autofree char *label = NULL;

          if (local != NULL)
            label = sb_address_to_string (local);
          else if (plan->unix_family)
            label = g_strdup (spec->bind_path);
          else if (spec->has_bind && spec->bind_port != 0)
            label = sb_address_format_host_port (spec->bind_host ? spec->bind_host : "127.0.0.1",
                                                 spec->bind_port);
          return set_first_destination (plan, label, error);
        }
    }

  return TRUE;
}

/* Writing the script */

static const char *
describe_script (const Plan *plan)
{
  if (plan->unix_family && plan->stream)
    return plan->server ? _("A UNIX stream server (AF_UNIX, SOCK_STREAM).")
                        : _("A UNIX stream client (AF_UNIX, SOCK_STREAM).");
  if (plan->unix_family)
    return plan->server ? _("A UNIX datagram server (AF_UNIX, SOCK_DGRAM).")
                        : _("A UNIX datagram client (AF_UNIX, SOCK_DGRAM).");
  if (plan->stream)
    return plan->server ? _("A TCP server (SOCK_STREAM).")
                        : _("A TCP client (SOCK_STREAM).");
  return plan->server ? _("A UDP server (SOCK_DGRAM).")
                      : _("A UDP client (SOCK_DGRAM).");
}

static gboolean
has_step (const Plan *plan,
          StepKind    kind)
{
  for (guint i = 0; i < plan->steps->len; i++)
    if (g_array_index (plan->steps, Step, i).kind == kind)
      return TRUE;
  return FALSE;
}

/* UNIX sockets that bind a path remove a stale socket file first. */
static gboolean
binds_path (const Plan *plan)
{
  return plan->unix_family && (plan->server || (plan->bind && plan->bind_path != NULL));
}

static gboolean
rules_have (SbAutoReply *rules,
            SbTrigger    trigger)
{
  for (guint i = 0; rules != NULL && i < sb_auto_reply_get_n_rules (rules); i++)
    if (sb_auto_reply_get_rule (rules, i)->trigger == trigger)
      return TRUE;
  return FALSE;
}

static void
emit_header (Emitter    *e,
             const Plan *plan)
{
  line (e, "#!/usr/bin/env python3");
  comment (e, describe_script (plan));
  if (plan->rules != NULL)
    comment (e, _("It answers by the auto-reply rules of the Sockbench session, one client after another, until you press Ctrl+C."));
  else if (plan->this_side)
    comment (e, _("It does what the Sockbench session did: the same messages, in the same order."));
  else
    comment (e, _("It is the other side of the Sockbench session: it sends what the session received and receives what the session sent."));
  comment (e, _("Only Python’s standard library is needed."));
  comment (e, "");
  if (plan->unix_family)
    comment (e, plan->bind && plan->bind_path != NULL
                ? _("Usage: python3 SCRIPT [PATH] [--bind PATH]")
                : _("Usage: python3 SCRIPT [PATH]"));
  else
    comment (e, plan->bind ? _("Usage: python3 SCRIPT [HOST] [PORT] [--bind-host HOST] [--bind-port PORT]")
                           : _("Usage: python3 SCRIPT [HOST] [PORT]"));
  if (plan->server && !plan->unix_family)
    comment (e, _("Port 0 lets the system choose a free port; the script prints the one it got."));
  if (plan->n_dropped > 0)
    {
      comment (e, "");
      commentf (e, ngettext ("The history had already dropped its oldest record, so the script starts later than the session did.",
                             "The history had already dropped its %lu oldest records, so the script starts later than the session did.",
                             (gulong) plan->n_dropped),
                (gulong) plan->n_dropped);
    }
  blank (e);
  line (e, "import argparse");
  if (binds_path (plan))
    line (e, "import os");
  if (rules_have (plan->rules, SB_TRIGGER_REGEX))
    line (e, "import re");
  line (e, "import socket");
  if (binds_path (plan))
    line (e, "import stat");
  line (e, "import sys");
  blank (e);
}

static void
emit_helpers (Emitter    *e,
              const Plan *plan)
{
  if (plan->codec != NULL)
    {
      comment (e, _("Received bytes are shown as text in this encoding."));
      linef (e, "ENCODING = \"%s\"", plan->codec);
      comment (e, _("Control characters are shown as \\xNN: a terminal would obey them."));
      line (e, "CONTROLS = {c: \"\\\\x%02x\" % c for c in [*range(32), *range(127, 160)] if c not in (9, 10)}");
      blank (e);
      blank (e);
      comment (e, _("Prints received bytes as text; bytes that are not text show as \\xNN."));
      line (e, "def show(data):");
      e->indent++;
      line (e, "text = data.decode(ENCODING, errors=\"backslashreplace\").translate(CONTROLS)");
      line (e, "print(\"received %d bytes: %s\" % (len(data), text), flush=True)");
      e->indent--;
    }
  else
    {
      comment (e, _("Prints received bytes in hexadecimal."));
      line (e, "def show(data):");
      e->indent++;
      line (e, "print(\"received %d bytes: %s\" % (len(data), data.hex(\" \")), flush=True)");
      e->indent--;
    }

  if (plan->stream && plan->rules == NULL && has_step (plan, STEP_RECV))
    {
      blank (e);
      blank (e);
      comment (e, _("Receives exactly size bytes: TCP is a stream, and one message may arrive in several pieces (or two in one)."));
      line (e, "def recv_exactly(sock, size):");
      e->indent++;
      line (e, "data = b\"\"");
      line (e, "while len(data) < size:");
      e->indent++;
      line (e, "chunk = sock.recv(size - len(data))");
      line (e, "if not chunk:");
      e->indent++;
      line (e, "raise ConnectionError(\"the peer closed the connection after %d of %d bytes\" % (len(data), size))");
      e->indent--;
      line (e, "data += chunk");
      e->indent--;
      line (e, "return data");
      e->indent--;
    }

  if (plan->stream && plan->rules == NULL && has_step (plan, STEP_EOF))
    {
      blank (e);
      blank (e);
      comment (e, _("Waits until the peer closes its side: recv() returns b\"\" (EOF)."));
      line (e, "def wait_for_eof(sock):");
      e->indent++;
      line (e, "while True:");
      e->indent++;
      line (e, "data = sock.recv(65536)");
      line (e, "if not data:");
      e->indent++;
      line (e, "print(\"peer closed its side\", flush=True)");
      line (e, "return");
      e->indent--;
      line (e, "show(data)");
      e->indent -= 2;
    }

  if (plan->unix_family)
    {
      blank (e);
      blank (e);
      comment (e, _("A path that starts with @ is a name in Linux’s abstract namespace: no file, a NUL byte first."));
      line (e, "def unix_address(path):");
      e->indent++;
      line (e, "return \"\\0\" + path[1:] if path.startswith(\"@\") else path");
      e->indent--;
    }

  if (binds_path (plan))
    {
      blank (e);
      blank (e);
      comment (e, _("A socket file left by an earlier run makes bind() fail: remove it (only if it is a socket)."));
      line (e, "def remove_stale(path):");
      e->indent++;
      line (e, "try:");
      e->indent++;
      line (e, "if not path.startswith(\"@\") and stat.S_ISSOCK(os.stat(path).st_mode):");
      e->indent++;
      line (e, "os.unlink(path)");
      e->indent -= 2;
      line (e, "except FileNotFoundError:");
      e->indent++;
      line (e, "pass");
      e->indent -= 2;
    }
}

static gboolean
emit_rules (Emitter      *e,
            const Plan   *plan,
            GError      **error)
{
  guint n = sb_auto_reply_get_n_rules (plan->rules);
  gboolean any_connect = FALSE;

  blank (e);
  blank (e);
  comment (e, _("The auto-reply rules, in order. Each reply is (bytes to send, close after sending)."));
  line (e, "GREETINGS = [");
  e->indent++;
  for (guint i = 0; i < n; i++)
    {
      const SbAutoReplyRule *rule = sb_auto_reply_get_rule (plan->rules, i);
      g_autoptr(GBytes) reply = NULL;
      gsize len;
      const guint8 *data;

      if (rule->trigger != SB_TRIGGER_ON_CONNECT)
        continue;

      reply = rule->reply_hex ? sb_codec_parse_hex (rule->reply, NULL, error)
                              : sb_codec_encode_escaped (rule->encoding, rule->reply, -1, NULL, error);
      if (reply == NULL)
        return FALSE;
      data = g_bytes_get_data (reply, &len);

      commentf (e, _("Rule %u: when a client connects."), i + 1);
      start_line (e);
      g_string_append_c (e->out, '(');
      append_py_bytes (e->out, data, len);
      g_string_append (e->out, rule->close_after ? ", True),\n" : ", False),\n");
      any_connect = TRUE;
    }
  if (!any_connect)
    comment (e, _("(No rule greets a new client.)"));
  e->indent--;
  line (e, "]");
  blank (e);
  blank (e);
  comment (e, _("What the rules answer to one message."));
  line (e, "def replies_for(data):");
  e->indent++;
  line (e, "replies = []");
  for (guint i = 0; i < n; i++)
    {
      const SbAutoReplyRule *rule = sb_auto_reply_get_rule (plan->rules, i);
      const char *close = rule->close_after ? "True" : "False";
      const char *codec = NULL;
      g_autoptr(GBytes) reply = NULL;
      g_autoptr(GBytes) pattern = NULL;

      if (rule->trigger == SB_TRIGGER_ON_CONNECT)
        continue;

      if (rule->trigger != SB_TRIGGER_ECHO)
        {
          reply = rule->reply_hex ? sb_codec_parse_hex (rule->reply, NULL, error)
                                  : sb_codec_encode_escaped (rule->encoding, rule->reply, -1, NULL, error);
          if (reply == NULL)
            return FALSE;
        }

      if ((rule->trigger == SB_TRIGGER_CONTAINS || rule->trigger == SB_TRIGGER_REGEX) &&
          !python_codec (rule->encoding, &codec, error))
        return FALSE;

      switch (rule->trigger)
        {
        case SB_TRIGGER_CONTAINS:
          commentf (e, _("Rule %u: the message, read as %s, contains this text."),
                    i + 1, sb_codec_canonical_name (rule->encoding));
          start_line (e);
          g_string_append (e->out, "if ");
          append_py_str (e->out, rule->pattern);
          g_string_append_printf (e->out, " in data.decode(\"%s\", errors=\"backslashreplace\"):\n", codec);
          break;

        case SB_TRIGGER_REGEX:
          commentf (e, _("Rule %u: the regular expression matches the message, read as %s."),
                    i + 1, sb_codec_canonical_name (rule->encoding));
          start_line (e);
          g_string_append (e->out, "if re.search(");
          append_py_str (e->out, rule->pattern);
          g_string_append_printf (e->out, ", data.decode(\"%s\", errors=\"backslashreplace\")):\n", codec);
          break;

        case SB_TRIGGER_HEX_EQUALS:
          pattern = sb_codec_parse_hex (rule->pattern, NULL, error);
          if (pattern == NULL)
            return FALSE;
          commentf (e, _("Rule %u: the message is exactly these bytes."), i + 1);
          start_line (e);
          g_string_append (e->out, "if data == ");
          append_py_bytes (e->out, g_bytes_get_data (pattern, NULL), g_bytes_get_size (pattern));
          g_string_append (e->out, ":\n");
          break;

        case SB_TRIGGER_ECHO:
          commentf (e, _("Rule %u: echo, the reply is the message itself."), i + 1);
          linef (e, "replies.append((data, %s))", close);
          continue;

        case SB_TRIGGER_ANY:
          commentf (e, _("Rule %u: every message."), i + 1);
          start_line (e);
          g_string_append (e->out, "replies.append((");
          append_py_bytes (e->out, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
          g_string_append_printf (e->out, ", %s))\n", close);
          continue;

        case SB_TRIGGER_ON_CONNECT:
        case SB_N_TRIGGERS:
        default:
          continue;
        }

      e->indent++;
      start_line (e);
      g_string_append (e->out, "replies.append((");
      append_py_bytes (e->out, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
      g_string_append_printf (e->out, ", %s))\n", close);
      e->indent--;
    }
  line (e, "return replies");
  e->indent--;

  blank (e);
  blank (e);
  if (plan->stream)
    {
      comment (e, _("Sends replies in order; returns True when one of them closes the connection."));
      line (e, "def send_replies(conn, replies):");
      e->indent++;
      line (e, "for reply, close_after in replies:");
      e->indent++;
      line (e, "conn.sendall(reply)");
      line (e, "if close_after:");
      e->indent++;
      comment (e, _("Done sending: the client reads EOF, then we close."));
      line (e, "conn.shutdown(socket.SHUT_WR)");
      line (e, "return True");
      e->indent -= 2;
      line (e, "return False");
      e->indent--;
    }
  else
    {
      comment (e, _("Sends replies in order; returns True when one of them “closes”: datagrams have no connection, so the client is only forgotten and greeted again next time."));
      line (e, "def send_replies(s, client, replies):");
      e->indent++;
      line (e, "for reply, close_after in replies:");
      e->indent++;
      line (e, "s.sendto(reply, client)");
      line (e, "if close_after:");
      e->indent++;
      line (e, "return True");
      e->indent -= 2;
      line (e, "return False");
      e->indent--;
    }

  return TRUE;
}

static void
emit_arguments (Emitter    *e,
                const Plan *plan)
{
  line (e, "parser = argparse.ArgumentParser()");
  if (plan->unix_family)
    {
      start_line (e);
      g_string_append (e->out, "parser.add_argument(\"path\", nargs=\"?\", default=");
      append_py_str (e->out, plan->path);
      g_string_append (e->out, ")\n");
      if (plan->bind && plan->bind_path != NULL)
        {
          start_line (e);
          g_string_append (e->out, "parser.add_argument(\"--bind\", default=");
          append_py_str (e->out, plan->bind_path);
          g_string_append (e->out, ")\n");
        }
    }
  else
    {
      start_line (e);
      g_string_append (e->out, "parser.add_argument(\"host\", nargs=\"?\", default=");
      append_py_str (e->out, plan->host);
      g_string_append (e->out, ")\n");
      linef (e, "parser.add_argument(\"port\", nargs=\"?\", type=int, default=%u)", plan->port);
      if (plan->bind)
        {
          start_line (e);
          g_string_append (e->out, "parser.add_argument(\"--bind-host\", default=");
          append_py_str (e->out, plan->bind_host);
          g_string_append (e->out, ")\n");
          linef (e, "parser.add_argument(\"--bind-port\", type=int, default=%u)", plan->bind_port);
        }
    }
  line (e, "args = parser.parse_args()");
  blank (e);
}

static void
emit_socket (Emitter    *e,
             const Plan *plan)
{
  const char *type = plan->stream ? "socket.SOCK_STREAM" : "socket.SOCK_DGRAM";

  if (plan->unix_family)
    linef (e, "with socket.socket(socket.AF_UNIX, %s) as s:", type);
  else
    {
      comment (e, _("IPv6 (AF_INET6) for an address such as ::1, IPv4 (AF_INET) otherwise."));
      line (e, "family = socket.AF_INET6 if \":\" in args.host else socket.AF_INET");
      linef (e, "with socket.socket(family, %s) as s:", type);
    }
  e->indent++;

  if (plan->server)
    {
      if (plan->unix_family)
        {
          line (e, "remove_stale(args.path)");
          line (e, "s.bind(unix_address(args.path))");
        }
      else
        {
          if (plan->stream)
            {
              comment (e, _("Listen again at once after a restart, even while old connections linger (SO_REUSEADDR)."));
              line (e, "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)");
            }
          line (e, "s.bind((args.host, args.port))");
        }
      if (plan->stream)
        line (e, "s.listen()");
      if (plan->unix_family)
        line (e, "print(\"listening on\", args.path, flush=True)");
      else
        line (e, "print(\"listening on\", *s.getsockname()[:2], flush=True)");
      return;
    }

  if (plan->bind)
    {
      if (plan->unix_family && plan->bind_path != NULL)
        {
          comment (e, _("A datagram socket needs an address of its own to get replies."));
          line (e, "remove_stale(args.bind)");
          line (e, "s.bind(unix_address(args.bind))");
        }
      else if (plan->unix_family)
        {
          comment (e, _("A datagram socket needs an address of its own to get replies: with \"\", Linux chooses a free name."));
          line (e, "s.bind(\"\")");
        }
      else
        line (e, "s.bind((args.bind_host, args.bind_port))");
    }

  comment (e, _("Give up when the peer stays silent for 10 seconds."));
  linef (e, "s.settimeout(%u)", WAIT_SECONDS);

  if (plan->stream)
    {
      if (plan->unix_family)
        {
          line (e, "s.connect(unix_address(args.path))");
          line (e, "print(\"connected to\", args.path, flush=True)");
        }
      else
        {
          line (e, "s.connect((args.host, args.port))");
          line (e, "print(\"connected to\", args.host, args.port, flush=True)");
        }
    }
  else if (plan->unix_family)
    line (e, "server = unix_address(args.path)");
  else
    line (e, "server = (args.host, args.port)");
}

static void
emit_steps (Emitter    *e,
            const Plan *plan,
            const char *sock,
            const char *to)
{
  g_autofree char *send_call = g_strdup_printf (plan->stream ? "%s.sendall" : "%s.sendto", sock);

  for (guint i = 0; i < plan->steps->len; i++)
    {
      const Step *step = &g_array_index (plan->steps, Step, i);

      switch (step->kind)
        {
        case STEP_SEND:
          if (plan->stream)
            commentf (e, ngettext ("Send %lu byte.", "Send %lu bytes.", (gulong) step->len),
                      (gulong) step->len);
          else
            commentf (e, ngettext ("Send a datagram of %lu byte.", "Send a datagram of %lu bytes.",
                                   (gulong) step->len),
                      (gulong) step->len);
          bytes_call (e, send_call, step->data, step->len, plan->stream ? NULL : to);
          break;

        case STEP_RECV:
          if (plan->stream)
            {
              commentf (e, ngettext ("Receive %lu byte.", "Receive %lu bytes.", (gulong) step->len),
                        (gulong) step->len);
              linef (e, "show(recv_exactly(%s, %lu))", sock, (gulong) step->len);
            }
          else
            {
              commentf (e, ngettext ("Receive a datagram (%lu byte in the session).",
                                     "Receive a datagram (%lu bytes in the session).",
                                     (gulong) step->len),
                        (gulong) step->len);
              linef (e, "data, addr = %s.recvfrom(%u)", sock, DATAGRAM_BUFFER);
              line (e, "show(data)");
            }
          break;

        case STEP_SHUTDOWN:
          comment (e, _("Done sending: shut down our side (the peer reads EOF) but keep receiving."));
          linef (e, "%s.shutdown(socket.SHUT_WR)", sock);
          break;

        case STEP_EOF:
          comment (e, _("Wait until the peer closes its side (EOF)."));
          linef (e, "wait_for_eof(%s)", sock);
          break;

        case STEP_RESET:
          comment (e, _("Here the connection was reset (RST)."));
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

static void
emit_replay (Emitter    *e,
             const Plan *plan)
{
  if (plan->stream && plan->server)
    {
      if (!plan->has_peer)
        {
          comment (e, _("Nobody connected during the session."));
          return;
        }
      comment (e, _("Wait for a client; conn is the connection with it."));
      line (e, "conn, addr = s.accept()");
      line (e, "with conn:");
      e->indent++;
      line (e, "print(\"connected by\", addr, flush=True)");
      comment (e, _("Give up when the peer stays silent for 10 seconds."));
      linef (e, "conn.settimeout(%u)", WAIT_SECONDS);
      emit_steps (e, plan, "conn", NULL);
      comment (e, _("Leaving “with” closes the connection."));
      e->indent--;
      return;
    }

  if (plan->stream)
    {
      emit_steps (e, plan, "s", NULL);
      comment (e, _("Leaving “with” closes the socket."));
      return;
    }

  if (!plan->server)
    {
      emit_steps (e, plan, "s", "server");
      return;
    }

  if (plan->steps->len == 0)
    {
      comment (e, _("No datagram was exchanged during the session."));
      return;
    }

  if (plan->have_first)
    {
      comment (e, _("The session spoke first, to this address."));
      start_line (e);
      g_string_append (e->out, "client = ");
      if (plan->unix_family)
        {
          g_string_append (e->out, "unix_address(");
          append_py_str (e->out, plan->first_path);
          g_string_append (e->out, ")\n");
        }
      else
        {
          g_string_append_c (e->out, '(');
          append_py_str (e->out, plan->first_host);
          g_string_append_printf (e->out, ", %u)\n", plan->first_port);
        }
      comment (e, _("Give up when the peer stays silent for 10 seconds."));
      linef (e, "s.settimeout(%u)", WAIT_SECONDS);
      emit_steps (e, plan, "s", "client");
      return;
    }

  {
    Plan rest = *plan;
    g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (Step));

    /* The first step is a receive (a send would have set have_first). */
    comment (e, _("The first datagram tells who the client is; wait for it as long as it takes."));
    linef (e, "data, client = s.recvfrom(%u)", DATAGRAM_BUFFER);
    line (e, "show(data)");
    comment (e, _("Give up when the peer stays silent for 10 seconds."));
    linef (e, "s.settimeout(%u)", WAIT_SECONDS);

    g_array_append_vals (steps, plan->steps->data + sizeof (Step), plan->steps->len - 1);
    rest.steps = steps;
    emit_steps (e, &rest, "s", "client");
  }
}

static void
emit_loop_server (Emitter    *e,
                  const Plan *plan)
{
  comment (e, _("Answer until Ctrl+C."));
  if (plan->stream)
    {
      comment (e, _("One client at a time: the next one waits in the listen() queue."));
      line (e, "while True:");
      e->indent++;
      line (e, "conn, addr = s.accept()");
      line (e, "with conn:");
      e->indent++;
      line (e, "print(\"connected by\", addr, flush=True)");
      line (e, "if send_replies(conn, GREETINGS):");
      e->indent++;
      line (e, "continue");
      e->indent--;
      comment (e, _("Each recv() is one message, as Sockbench saw it."));
      line (e, "while True:");
      e->indent++;
      line (e, "data = conn.recv(65536)");
      line (e, "if not data:");
      e->indent++;
      line (e, "print(\"peer closed its side\", flush=True)");
      line (e, "break");
      e->indent--;
      line (e, "show(data)");
      line (e, "if send_replies(conn, replies_for(data)):");
      e->indent++;
      line (e, "break");
      e->indent -= 4;
      return;
    }

  comment (e, _("Clients seen so far: a new one is greeted first."));
  line (e, "clients = set()");
  line (e, "while True:");
  e->indent++;
  linef (e, "data, client = s.recvfrom(%u)", DATAGRAM_BUFFER);
  line (e, "show(data)");
  if (plan->unix_family)
    {
      line (e, "if not client:");
      e->indent++;
      comment (e, _("A sender without a name of its own cannot be answered."));
      line (e, "continue");
      e->indent--;
    }
  line (e, "if client not in clients:");
  e->indent++;
  line (e, "clients.add(client)");
  line (e, "if send_replies(s, client, GREETINGS):");
  e->indent++;
  line (e, "clients.discard(client)");
  e->indent -= 2;
  line (e, "if send_replies(s, client, replies_for(data)):");
  e->indent++;
  line (e, "clients.discard(client)");
  e->indent -= 2;
}

char *
sb_python_export (SbSession     *session,
                  SbPythonSide   side,
                  const char    *encoding,
                  SbAutoReply   *rules,
                  GError       **error)
{
  g_auto(Plan) plan = { 0 };
  g_autoptr(GString) out = NULL;
  Emitter e = { NULL, 0 };

  g_return_val_if_fail (SB_IS_SESSION (session), NULL);
  g_return_val_if_fail (side == SB_PYTHON_THIS_SIDE || side == SB_PYTHON_OTHER_SIDE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!python_codec (encoding != NULL ? encoding : "UTF-8", &plan.codec, error))
    return NULL;
  if (!make_plan (&plan, session, side, rules, error))
    return NULL;

  out = g_string_new (NULL);
  e.out = out;

  emit_header (&e, &plan);
  blank (&e);
  emit_helpers (&e, &plan);
  if (plan.rules != NULL && !emit_rules (&e, &plan, error))
    return NULL;

  blank (&e);
  blank (&e);
  line (&e, "def main():");
  e.indent++;
  emit_arguments (&e, &plan);
  emit_socket (&e, &plan);
  if (plan.rules != NULL)
    emit_loop_server (&e, &plan);
  else
    emit_replay (&e, &plan);
  e.indent = 0;

  blank (&e);
  blank (&e);
  line (&e, "if __name__ == \"__main__\":");
  e.indent++;
  comment (&e, _("Received text may hold characters this terminal cannot show: escape them."));
  line (&e, "sys.stdout.reconfigure(errors=\"backslashreplace\")");
  line (&e, "try:");
  e.indent++;
  line (&e, "main()");
  e.indent--;
  line (&e, "except KeyboardInterrupt:");
  e.indent++;
  line (&e, "pass");
  e.indent--;
  comment (&e, _("Timeouts, refused connections, resets: a message, not a traceback."));
  line (&e, "except OSError as error:");
  e.indent++;
  line (&e, "sys.exit(\"error: %s\" % error)");

  return g_string_free (g_steal_pointer (&out), FALSE);
}
