/* sb-python-export-script.c — the parts of the Python script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-python-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sb-python-export-private.h"

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

void
_sb_py_emit_header (Emitter    *e,
                    const Plan *plan)
{
  gboolean templates = _sb_py_rules_have_templates (plan->rules);

  _sb_py_line (e, "#!/usr/bin/env python3");
  _sb_py_comment (e, describe_script (plan));
  if (plan->rules != NULL)
    _sb_py_comment (e, _("It answers by the auto-reply rules of the Sockbench session, one client after another, until you press Ctrl+C."));
  else if (plan->this_side)
    _sb_py_comment (e, _("It does what the Sockbench session did: the same messages, in the same order."));
  else
    _sb_py_comment (e, _("It is the other side of the Sockbench session: it sends what the session received and receives what the session sent."));
  _sb_py_comment (e, _("Only Python’s standard library is needed."));
  _sb_py_comment (e, "");
  if (plan->unix_family)
    _sb_py_comment (e, plan->bind && plan->bind_path != NULL
                       ? _("Usage: python3 SCRIPT [PATH] [--bind PATH]")
                       : _("Usage: python3 SCRIPT [PATH]"));
  else
    _sb_py_comment (e, plan->bind ? _("Usage: python3 SCRIPT [HOST] [PORT] [--bind-host HOST] [--bind-port PORT]")
                                  : _("Usage: python3 SCRIPT [HOST] [PORT]"));
  if (plan->server && !plan->unix_family)
    _sb_py_comment (e, _("Port 0 lets the system choose a free port; the script prints the one it got."));
  if (plan->n_dropped > 0)
    {
      _sb_py_comment (e, "");
      _sb_py_commentf (e, ngettext ("The history had already dropped its oldest record, so the script starts later than the session did.",
                                    "The history had already dropped its %lu oldest records, so the script starts later than the session did.",
                                    (gulong) plan->n_dropped),
                       (gulong) plan->n_dropped);
    }
  _sb_py_blank (e);
  _sb_py_line (e, "import argparse");
  if (binds_path (plan))
    _sb_py_line (e, "import os");
  if (templates)
    _sb_py_line (e, "import datetime");
  if (rules_have (plan->rules, SB_TRIGGER_REGEX))
    _sb_py_line (e, "import re");
  if (templates)
    _sb_py_line (e, "import random");
  _sb_py_line (e, "import socket");
  if (plan->tls)
    _sb_py_line (e, "import ssl");
  if (binds_path (plan))
    _sb_py_line (e, "import stat");
  _sb_py_line (e, "import sys");
  if (templates)
    {
      _sb_py_line (e, "import time");
      _sb_py_line (e, "import uuid");
    }
  _sb_py_blank (e);
}

void
_sb_py_emit_helpers (Emitter    *e,
                     const Plan *plan)
{
  if (plan->codec != NULL)
    {
      _sb_py_comment (e, _("Received bytes are shown as text in this encoding."));
      _sb_py_linef (e, "ENCODING = \"%s\"", plan->codec);
      _sb_py_comment (e, _("Control characters are shown as \\xNN: a terminal would obey them."));
      _sb_py_line (e, "CONTROLS = {c: \"\\\\x%02x\" % c for c in [*range(32), *range(127, 160)] if c not in (9, 10)}");
      _sb_py_blank (e);
      _sb_py_blank (e);
      _sb_py_comment (e, _("Prints received bytes as text; bytes that are not text show as \\xNN."));
      _sb_py_line (e, "def show(data):");
      e->indent++;
      _sb_py_line (e, "text = data.decode(ENCODING, errors=\"backslashreplace\").translate(CONTROLS)");
      _sb_py_line (e, "print(\"received %d bytes: %s\" % (len(data), text), flush=True)");
      e->indent--;
    }
  else
    {
      _sb_py_comment (e, _("Prints received bytes in hexadecimal."));
      _sb_py_line (e, "def show(data):");
      e->indent++;
      _sb_py_line (e, "print(\"received %d bytes: %s\" % (len(data), data.hex(\" \")), flush=True)");
      e->indent--;
    }

  if (plan->stream && plan->rules == NULL && has_step (plan, STEP_RECV))
    {
      _sb_py_blank (e);
      _sb_py_blank (e);
      _sb_py_comment (e, _("Receives exactly size bytes: TCP is a stream, and one message may arrive in several pieces (or two in one)."));
      _sb_py_line (e, "def recv_exactly(sock, size):");
      e->indent++;
      _sb_py_line (e, "data = b\"\"");
      _sb_py_line (e, "while len(data) < size:");
      e->indent++;
      _sb_py_line (e, "chunk = sock.recv(size - len(data))");
      _sb_py_line (e, "if not chunk:");
      e->indent++;
      _sb_py_line (e, "raise ConnectionError(\"the peer closed the connection after %d of %d bytes\" % (len(data), size))");
      e->indent--;
      _sb_py_line (e, "data += chunk");
      e->indent--;
      _sb_py_line (e, "return data");
      e->indent--;
    }

  if (plan->stream && plan->rules == NULL && has_step (plan, STEP_EOF))
    {
      _sb_py_blank (e);
      _sb_py_blank (e);
      _sb_py_comment (e, _("Waits until the peer closes its side: recv() returns b\"\" (EOF)."));
      _sb_py_line (e, "def wait_for_eof(sock):");
      e->indent++;
      _sb_py_line (e, "while True:");
      e->indent++;
      _sb_py_line (e, "data = sock.recv(65536)");
      _sb_py_line (e, "if not data:");
      e->indent++;
      _sb_py_line (e, "print(\"peer closed its side\", flush=True)");
      _sb_py_line (e, "return");
      e->indent--;
      _sb_py_line (e, "show(data)");
      e->indent -= 2;
    }

  if (plan->unix_family)
    {
      _sb_py_blank (e);
      _sb_py_blank (e);
      _sb_py_comment (e, _("A path that starts with @ is a name in Linux’s abstract namespace: no file, a NUL byte first."));
      _sb_py_line (e, "def unix_address(path):");
      e->indent++;
      _sb_py_line (e, "return \"\\0\" + path[1:] if path.startswith(\"@\") else path");
      e->indent--;
    }

  if (binds_path (plan))
    {
      _sb_py_blank (e);
      _sb_py_blank (e);
      _sb_py_comment (e, _("A socket file left by an earlier run makes bind() fail: remove it (only if it is a socket)."));
      _sb_py_line (e, "def remove_stale(path):");
      e->indent++;
      _sb_py_line (e, "try:");
      e->indent++;
      _sb_py_line (e, "if not path.startswith(\"@\") and stat.S_ISSOCK(os.stat(path).st_mode):");
      e->indent++;
      _sb_py_line (e, "os.unlink(path)");
      e->indent -= 2;
      _sb_py_line (e, "except FileNotFoundError:");
      e->indent++;
      _sb_py_line (e, "pass");
      e->indent -= 2;
    }
}

/* What a rule answers with: *@bytes, or for a template that changes per
 * message (${seq}, ${rx}, times, random values) *@tmpl, which the script
 * computes in reply_N() (written by _sb_py_emit_template_reply()). A
 * template that always gives the same bytes (a CRC over fixed bytes) is
 * written as those bytes. */
static gboolean
rule_reply (SbAutoReply            *rules,
            const SbAutoReplyRule  *rule,
            GBytes                **bytes,
            SbTemplate            **tmpl,
            GError                **error)
{
  g_autoptr(SbTemplate) parsed = NULL;

  *bytes = NULL;
  *tmpl = NULL;
  if (!sb_auto_reply_get_templates (rules))
    {
      *bytes = rule->reply_hex ? sb_codec_parse_hex (rule->reply, NULL, error)
                               : sb_codec_encode_escaped (rule->encoding, rule->reply, -1, NULL, error);
      return *bytes != NULL;
    }

  parsed = sb_template_parse (rule->reply, rule->reply_hex ? SB_TEMPLATE_HEX : SB_TEMPLATE_TEXT,
                              rule->encoding, NULL, error);
  if (parsed == NULL)
    return FALSE;
  if (!sb_template_is_constant (parsed))
    {
      *tmpl = g_steal_pointer (&parsed);
      return TRUE;
    }
  *bytes = sb_template_expand (parsed, NULL, NULL, error);
  return *bytes != NULL;
}

/* Appends the reply of rule @index: its bytes, or a call of its reply_N(). */
static void
append_reply (GString      *out,
              GBytes       *bytes,
              guint         index,
              const char   *data,
              const char   *match)
{
  if (bytes != NULL)
    _sb_py_append_bytes (out, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  else
    g_string_append_printf (out, "reply_%u(%s, %s)", index + 1, data, match);
}

/* The close of a try: around replies: a template that cannot be made
 * (a slice past the message's end) stops the replies there, as in Sockbench. */
static void
emit_template_except (Emitter *e)
{
  e->indent--;
  _sb_py_line (e, "except TemplateError as err:");
  e->indent++;
  _sb_py_line (e, "print(\"template:\", err, file=sys.stderr, flush=True)");
  e->indent--;
}

gboolean
_sb_py_emit_rules (Emitter      *e,
                   const Plan   *plan,
                   GError      **error)
{
  guint n = sb_auto_reply_get_n_rules (plan->rules);
  gboolean any_connect = FALSE;
  gboolean templates = _sb_py_rules_have_templates (plan->rules);
  g_autoptr(GPtrArray) replies = g_ptr_array_new_full (n, (GDestroyNotify) g_bytes_unref);

  /* The replies first: the template functions come before their callers,
   * and a reply that cannot be written stops the export before anything. */
  if (templates)
    _sb_py_emit_template_helpers (e);
  for (guint i = 0; i < n; i++)
    {
      const SbAutoReplyRule *rule = sb_auto_reply_get_rule (plan->rules, i);
      g_autoptr(SbTemplate) tmpl = NULL;
      GBytes *reply = NULL;

      if (rule->trigger != SB_TRIGGER_ECHO)
        {
          if (!rule_reply (plan->rules, rule, &reply, &tmpl, error))
            return FALSE;
          if (tmpl != NULL && !_sb_py_emit_template_reply (e, rule, tmpl, i, error))
            return FALSE;
        }
      g_ptr_array_add (replies, reply);
    }

  _sb_py_blank (e);
  _sb_py_blank (e);
  _sb_py_comment (e, _("The auto-reply rules, in order. Each reply is (bytes to send, close after sending)."));
  _sb_py_line (e, "def greetings():");
  e->indent++;
  _sb_py_line (e, "replies = []");
  if (templates)
    {
      _sb_py_line (e, "try:");
      e->indent++;
    }
  for (guint i = 0; i < n; i++)
    {
      const SbAutoReplyRule *rule = sb_auto_reply_get_rule (plan->rules, i);

      if (rule->trigger != SB_TRIGGER_ON_CONNECT)
        continue;

      _sb_py_commentf (e, _("Rule %u: when a client connects."), i + 1);
      _sb_py_start_line (e);
      g_string_append (e->out, "replies.append((");
      append_reply (e->out, g_ptr_array_index (replies, i), i, "b\"\"", "None");
      g_string_append (e->out, rule->close_after ? ", True))\n" : ", False))\n");
      any_connect = TRUE;
    }
  if (!any_connect)
    _sb_py_comment (e, _("(No rule greets a new client.)"));
  if (templates)
    {
      _sb_py_line (e, "pass");
      emit_template_except (e);
    }
  _sb_py_line (e, "return replies");
  e->indent--;
  _sb_py_blank (e);
  _sb_py_blank (e);
  _sb_py_comment (e, _("What the rules answer to one message."));
  _sb_py_line (e, "def replies_for(data):");
  e->indent++;
  _sb_py_line (e, "replies = []");
  if (templates)
    {
      _sb_py_line (e, "try:");
      e->indent++;
    }
  for (guint i = 0; i < n; i++)
    {
      const SbAutoReplyRule *rule = sb_auto_reply_get_rule (plan->rules, i);
      const char *close = rule->close_after ? "True" : "False";
      const char *codec = NULL;
      GBytes *reply = g_ptr_array_index (replies, i);
      const char *match = "None";
      g_autoptr(GBytes) pattern = NULL;

      if (rule->trigger == SB_TRIGGER_ON_CONNECT)
        continue;
      if (rule->check_filter != SB_CHECK_FILTER_NONE)
        {
          g_set_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID,
                       _("Rule %u answers only good or only bad frames; "
                         "the Python export does not verify frames"), i + 1);
          return FALSE;
        }

      if ((rule->trigger == SB_TRIGGER_CONTAINS || rule->trigger == SB_TRIGGER_REGEX) &&
          !_sb_py_codec (rule->encoding, &codec, error))
        return FALSE;

      switch (rule->trigger)
        {
        case SB_TRIGGER_CONTAINS:
          _sb_py_commentf (e, _("Rule %u: the message, read as %s, contains this text."),
                           i + 1, sb_codec_canonical_name (rule->encoding));
          _sb_py_start_line (e);
          g_string_append (e->out, "if ");
          _sb_py_append_str (e->out, rule->pattern);
          g_string_append_printf (e->out, " in data.decode(\"%s\", errors=\"backslashreplace\"):\n", codec);
          break;

        case SB_TRIGGER_REGEX:
          _sb_py_commentf (e, _("Rule %u: the regular expression matches the message, read as %s."),
                           i + 1, sb_codec_canonical_name (rule->encoding));
          _sb_py_start_line (e);
          g_string_append (e->out, "match = re.search(");
          _sb_py_append_str (e->out, rule->pattern);
          g_string_append_printf (e->out, ", data.decode(\"%s\", errors=\"backslashreplace\"))\n", codec);
          _sb_py_line (e, "if match:");
          match = "match";
          break;

        case SB_TRIGGER_HEX_EQUALS:
          pattern = sb_codec_parse_hex (rule->pattern, NULL, error);
          if (pattern == NULL)
            return FALSE;
          _sb_py_commentf (e, _("Rule %u: the message is exactly these bytes."), i + 1);
          _sb_py_start_line (e);
          g_string_append (e->out, "if data == ");
          _sb_py_append_bytes (e->out, g_bytes_get_data (pattern, NULL), g_bytes_get_size (pattern));
          g_string_append (e->out, ":\n");
          break;

        case SB_TRIGGER_ECHO:
          _sb_py_commentf (e, _("Rule %u: echo, the reply is the message itself."), i + 1);
          _sb_py_linef (e, "replies.append((data, %s))", close);
          continue;

        case SB_TRIGGER_ANY:
          _sb_py_commentf (e, _("Rule %u: every message."), i + 1);
          _sb_py_start_line (e);
          g_string_append (e->out, "replies.append((");
          append_reply (e->out, reply, i, "data", "None");
          g_string_append_printf (e->out, ", %s))\n", close);
          continue;

        case SB_TRIGGER_ON_CONNECT:
        case SB_N_TRIGGERS:
        default:
          continue;
        }

      e->indent++;
      _sb_py_start_line (e);
      g_string_append (e->out, "replies.append((");
      append_reply (e->out, reply, i, "data", match);
      g_string_append_printf (e->out, ", %s))\n", close);
      e->indent--;
    }
  if (templates)
    {
      _sb_py_line (e, "pass");
      emit_template_except (e);
    }
  _sb_py_line (e, "return replies");
  e->indent--;

  _sb_py_blank (e);
  _sb_py_blank (e);
  if (plan->stream)
    {
      _sb_py_comment (e, _("Sends replies in order; returns True when one of them closes the connection."));
      _sb_py_line (e, "def send_replies(conn, replies):");
      e->indent++;
      _sb_py_line (e, "for reply, close_after in replies:");
      e->indent++;
      _sb_py_line (e, "conn.sendall(reply)");
      _sb_py_line (e, "if close_after:");
      e->indent++;
      _sb_py_comment (e, _("Done sending: the client reads EOF, then we close."));
      _sb_py_line (e, "conn.shutdown(socket.SHUT_WR)");
      _sb_py_line (e, "return True");
      e->indent -= 2;
      _sb_py_line (e, "return False");
      e->indent--;
    }
  else
    {
      _sb_py_comment (e, _("Sends replies in order; returns True when one of them “closes”: datagrams have no connection, so the client is only forgotten and greeted again next time."));
      _sb_py_line (e, "def send_replies(s, client, replies):");
      e->indent++;
      _sb_py_line (e, "for reply, close_after in replies:");
      e->indent++;
      _sb_py_line (e, "s.sendto(reply, client)");
      _sb_py_line (e, "if close_after:");
      e->indent++;
      _sb_py_line (e, "return True");
      e->indent -= 2;
      _sb_py_line (e, "return False");
      e->indent--;
    }

  return TRUE;
}

void
_sb_py_emit_arguments (Emitter    *e,
                       const Plan *plan)
{
  _sb_py_line (e, "parser = argparse.ArgumentParser()");
  if (plan->unix_family)
    {
      _sb_py_start_line (e);
      g_string_append (e->out, "parser.add_argument(\"path\", nargs=\"?\", default=");
      _sb_py_append_str (e->out, plan->path);
      g_string_append (e->out, ")\n");
      if (plan->bind && plan->bind_path != NULL)
        {
          _sb_py_start_line (e);
          g_string_append (e->out, "parser.add_argument(\"--bind\", default=");
          _sb_py_append_str (e->out, plan->bind_path);
          g_string_append (e->out, ")\n");
        }
    }
  else
    {
      _sb_py_start_line (e);
      g_string_append (e->out, "parser.add_argument(\"host\", nargs=\"?\", default=");
      _sb_py_append_str (e->out, plan->host);
      g_string_append (e->out, ")\n");
      _sb_py_linef (e, "parser.add_argument(\"port\", nargs=\"?\", type=int, default=%u)", plan->port);
      if (plan->bind)
        {
          _sb_py_start_line (e);
          g_string_append (e->out, "parser.add_argument(\"--bind-host\", default=");
          _sb_py_append_str (e->out, plan->bind_host);
          g_string_append (e->out, ")\n");
          _sb_py_linef (e, "parser.add_argument(\"--bind-port\", type=int, default=%u)", plan->bind_port);
        }
    }
  if (plan->tls)
    _sb_py_emit_tls_arguments (e, plan);
  _sb_py_line (e, "args = parser.parse_args()");
  _sb_py_blank (e);
}

void
_sb_py_emit_socket (Emitter    *e,
                    const Plan *plan)
{
  const char *type = plan->stream ? "socket.SOCK_STREAM" : "socket.SOCK_DGRAM";

  if (plan->unix_family)
    _sb_py_linef (e, "with socket.socket(socket.AF_UNIX, %s) as s:", type);
  else
    {
      _sb_py_comment (e, _("IPv6 (AF_INET6) for an address such as ::1, IPv4 (AF_INET) otherwise."));
      _sb_py_line (e, "family = socket.AF_INET6 if \":\" in args.host else socket.AF_INET");
      _sb_py_linef (e, "with socket.socket(family, %s) as s:", type);
    }
  e->indent++;

  if (plan->server)
    {
      if (plan->unix_family)
        {
          _sb_py_line (e, "remove_stale(args.path)");
          _sb_py_line (e, "s.bind(unix_address(args.path))");
        }
      else
        {
          if (plan->stream)
            {
              _sb_py_comment (e, _("Listen again at once after a restart, even while old connections linger (SO_REUSEADDR)."));
              _sb_py_line (e, "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)");
            }
          _sb_py_line (e, "s.bind((args.host, args.port))");
        }
      if (plan->stream)
        _sb_py_line (e, "s.listen()");
      if (plan->tls)
        _sb_py_emit_tls_context (e, plan);
      if (plan->unix_family)
        _sb_py_line (e, "print(\"listening on\", args.path, flush=True)");
      else
        _sb_py_line (e, "print(\"listening on\", *s.getsockname()[:2], flush=True)");
      return;
    }

  if (plan->bind)
    {
      if (plan->unix_family && plan->bind_path != NULL)
        {
          _sb_py_comment (e, _("A datagram socket needs an address of its own to get replies."));
          _sb_py_line (e, "remove_stale(args.bind)");
          _sb_py_line (e, "s.bind(unix_address(args.bind))");
        }
      else if (plan->unix_family)
        {
          _sb_py_comment (e, _("A datagram socket needs an address of its own to get replies: with \"\", Linux chooses a free name."));
          _sb_py_line (e, "s.bind(\"\")");
        }
      else
        _sb_py_line (e, "s.bind((args.bind_host, args.bind_port))");
    }

  _sb_py_comment (e, _("Give up when the peer stays silent for 10 seconds."));
  _sb_py_linef (e, "s.settimeout(%u)", WAIT_SECONDS);

  if (plan->stream)
    {
      if (plan->unix_family)
        {
          _sb_py_line (e, "s.connect(unix_address(args.path))");
          _sb_py_line (e, "print(\"connected to\", args.path, flush=True)");
        }
      else
        {
          _sb_py_line (e, "s.connect((args.host, args.port))");
          _sb_py_line (e, "print(\"connected to\", args.host, args.port, flush=True)");
          if (plan->tls)
            {
              const char *sni = plan->tls_options ? plan->tls_options->sni : NULL;

              _sb_py_emit_tls_context (e, plan);
              _sb_py_comment (e, _("The handshake: wrap_socket() does it, and checks the certificate."));
              _sb_py_start_line (e);
              g_string_append (e->out, "s = ctx.wrap_socket(s, server_hostname=");
              if (sni != NULL)
                _sb_py_append_str (e->out, sni);
              else
                g_string_append (e->out, "args.host");
              g_string_append (e->out, ")\n");
              _sb_py_line (e, "print(\"TLS\", s.version(), s.cipher()[0], s.selected_alpn_protocol(), flush=True)");
            }
        }
    }
  else if (plan->unix_family)
    _sb_py_line (e, "server = unix_address(args.path)");
  else
    _sb_py_line (e, "server = (args.host, args.port)");
}

/* Repeated exchanges become a loop over their data once there are this
 * many in a row. */
#define LOOP_MIN 4

/* How many times the steps from @first repeat a pattern of @period kinds
 * (1: SEND or RECV; 2: SEND then RECV, or RECV then SEND). */
static guint
count_repeats (const Plan *plan,
               guint       first,
               guint       period)
{
  guint n = 0;

  while (first + (n + 1) * period <= plan->steps->len)
    {
      gboolean same = TRUE;

      for (guint k = 0; k < period; k++)
        {
          StepKind kind = g_array_index (plan->steps, Step, first + n * period + k).kind;
          StepKind want = g_array_index (plan->steps, Step, first + k).kind;

          if (kind != want || (kind != STEP_SEND && kind != STEP_RECV))
            same = FALSE;
        }
      if (!same)
        break;
      n++;
    }
  return n;
}

/* @n repeats of @period steps from @first as a list and a loop. */
static void
emit_loop (Emitter    *e,
           const Plan *plan,
           const char *sock,
           const char *to,
           guint       first,
           guint       period,
           guint       n,
           guint       number)
{
  const char *send_call = plan->stream ? "sendall" : "sendto";

  _sb_py_commentf (e, ngettext ("%u exchange in a row, as data and a loop.",
                                "%u exchanges in a row, as data and a loop.", n), n);
  _sb_py_linef (e, "EXCHANGES_%u = [", number);
  e->indent++;
  for (guint r = 0; r < n; r++)
    {
      _sb_py_start_line (e);
      g_string_append_c (e->out, '(');
      for (guint k = 0; k < period; k++)
        {
          const Step *step = &g_array_index (plan->steps, Step, first + r * period + k);

          if (k > 0)
            g_string_append (e->out, ", ");
          if (step->kind == STEP_SEND)
            _sb_py_append_bytes (e->out, step->data, step->len);
          else
            g_string_append_printf (e->out, "%lu", (gulong) step->len);
        }
      g_string_append (e->out, period == 1 ? ",),\n" : "),\n");
    }
  e->indent--;
  _sb_py_line (e, "]");
  _sb_py_start_line (e);
  g_string_append (e->out, "for ");
  for (guint k = 0; k < period; k++)
    g_string_append_printf (e->out, "%sstep%u", k > 0 ? ", " : "", k);
  g_string_append_printf (e->out, "%s in EXCHANGES_%u:\n", period == 1 ? "," : "", number);
  e->indent++;
  for (guint k = 0; k < period; k++)
    {
      const Step *step = &g_array_index (plan->steps, Step, first + k);

      if (step->kind == STEP_SEND)
        {
          if (plan->stream)
            _sb_py_linef (e, "%s.%s(step%u)", sock, send_call, k);
          else
            _sb_py_linef (e, "%s.%s(step%u, %s)", sock, send_call, k, to);
        }
      else if (plan->stream)
        _sb_py_linef (e, "show(recv_exactly(%s, step%u))", sock, k);
      else
        {
          _sb_py_linef (e, "data, addr = %s.recvfrom(%u)", sock, DATAGRAM_BUFFER);
          _sb_py_line (e, "show(data)");
        }
    }
  e->indent--;
}

static void
emit_steps (Emitter    *e,
            const Plan *plan,
            const char *sock,
            const char *to)
{
  g_autofree char *send_call = g_strdup_printf (plan->stream ? "%s.sendall" : "%s.sendto", sock);
  guint loops = 0;

  for (guint i = 0; i < plan->steps->len; i++)
    {
      const Step *step = &g_array_index (plan->steps, Step, i);
      guint pairs = count_repeats (plan, i, 2);
      guint singles = count_repeats (plan, i, 1);

      /* A pair alternates: SEND RECV, or RECV SEND. */
      if (i + 1 < plan->steps->len && g_array_index (plan->steps, Step, i + 1).kind == step->kind)
        pairs = 0;
      if (pairs >= LOOP_MIN && pairs * 2 >= singles)
        {
          emit_loop (e, plan, sock, to, i, 2, pairs, ++loops);
          i += pairs * 2 - 1;
          continue;
        }
      if (singles >= LOOP_MIN)
        {
          emit_loop (e, plan, sock, to, i, 1, singles, ++loops);
          i += singles - 1;
          continue;
        }

      switch (step->kind)
        {
        case STEP_SEND:
          if (plan->stream)
            _sb_py_commentf (e, ngettext ("Send %lu byte.", "Send %lu bytes.", (gulong) step->len),
                             (gulong) step->len);
          else
            _sb_py_commentf (e, ngettext ("Send a datagram of %lu byte.", "Send a datagram of %lu bytes.",
                                          (gulong) step->len),
                             (gulong) step->len);
          _sb_py_bytes_call (e, send_call, step->data, step->len, plan->stream ? NULL : to);
          break;

        case STEP_RECV:
          if (plan->stream)
            {
              _sb_py_commentf (e, ngettext ("Receive %lu byte.", "Receive %lu bytes.", (gulong) step->len),
                               (gulong) step->len);
              _sb_py_linef (e, "show(recv_exactly(%s, %lu))", sock, (gulong) step->len);
            }
          else
            {
              _sb_py_commentf (e, ngettext ("Receive a datagram (%lu byte in the session).",
                                            "Receive a datagram (%lu bytes in the session).",
                                            (gulong) step->len),
                               (gulong) step->len);
              _sb_py_linef (e, "data, addr = %s.recvfrom(%u)", sock, DATAGRAM_BUFFER);
              _sb_py_line (e, "show(data)");
            }
          break;

        case STEP_SHUTDOWN:
          _sb_py_comment (e, _("Done sending: shut down our side (the peer reads EOF) but keep receiving."));
          _sb_py_linef (e, "%s.shutdown(socket.SHUT_WR)", sock);
          break;

        case STEP_EOF:
          _sb_py_comment (e, _("Wait until the peer closes its side (EOF)."));
          _sb_py_linef (e, "wait_for_eof(%s)", sock);
          break;

        case STEP_RESET:
          _sb_py_comment (e, _("Here the connection was reset (RST)."));
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

void
_sb_py_emit_replay (Emitter    *e,
                    const Plan *plan)
{
  if (plan->stream && plan->server)
    {
      if (!plan->has_peer)
        {
          _sb_py_comment (e, _("Nobody connected during the session."));
          return;
        }
      _sb_py_comment (e, _("Wait for a client; conn is the connection with it."));
      _sb_py_line (e, "conn, addr = s.accept()");
      _sb_py_emit_tls_accept (e, plan);
      _sb_py_line (e, "with conn:");
      e->indent++;
      _sb_py_line (e, "print(\"connected by\", addr, flush=True)");
      _sb_py_comment (e, _("Give up when the peer stays silent for 10 seconds."));
      _sb_py_linef (e, "conn.settimeout(%u)", WAIT_SECONDS);
      emit_steps (e, plan, "conn", NULL);
      _sb_py_comment (e, _("Leaving “with” closes the connection."));
      e->indent--;
      return;
    }

  if (plan->stream)
    {
      emit_steps (e, plan, "s", NULL);
      _sb_py_comment (e, _("Leaving “with” closes the socket."));
      return;
    }

  if (!plan->server)
    {
      emit_steps (e, plan, "s", "server");
      return;
    }

  if (plan->steps->len == 0)
    {
      _sb_py_comment (e, _("No datagram was exchanged during the session."));
      return;
    }

  if (plan->have_first)
    {
      _sb_py_comment (e, _("The session spoke first, to this address."));
      _sb_py_start_line (e);
      g_string_append (e->out, "client = ");
      if (plan->unix_family)
        {
          g_string_append (e->out, "unix_address(");
          _sb_py_append_str (e->out, plan->first_path);
          g_string_append (e->out, ")\n");
        }
      else
        {
          g_string_append_c (e->out, '(');
          _sb_py_append_str (e->out, plan->first_host);
          g_string_append_printf (e->out, ", %u)\n", plan->first_port);
        }
      _sb_py_comment (e, _("Give up when the peer stays silent for 10 seconds."));
      _sb_py_linef (e, "s.settimeout(%u)", WAIT_SECONDS);
      emit_steps (e, plan, "s", "client");
      return;
    }

  {
    Plan rest = *plan;
    g_autoptr(GArray) steps = g_array_new (FALSE, FALSE, sizeof (Step));

    /* The first step is a receive (a send would have set have_first). */
    _sb_py_comment (e, _("The first datagram tells who the client is; wait for it as long as it takes."));
    _sb_py_linef (e, "data, client = s.recvfrom(%u)", DATAGRAM_BUFFER);
    _sb_py_line (e, "show(data)");
    _sb_py_comment (e, _("Give up when the peer stays silent for 10 seconds."));
    _sb_py_linef (e, "s.settimeout(%u)", WAIT_SECONDS);

    g_array_append_vals (steps, plan->steps->data + sizeof (Step), plan->steps->len - 1);
    rest.steps = steps;
    emit_steps (e, &rest, "s", "client");
  }
}

void
_sb_py_emit_loop_server (Emitter    *e,
                         const Plan *plan)
{
  _sb_py_comment (e, _("Answer until Ctrl+C."));
  if (plan->stream)
    {
      _sb_py_comment (e, _("One client at a time: the next one waits in the listen() queue."));
      _sb_py_line (e, "while True:");
      e->indent++;
      _sb_py_line (e, "conn, addr = s.accept()");
      if (plan->tls)
        {
          _sb_py_line (e, "try:");
          e->indent++;
          _sb_py_emit_tls_accept (e, plan);
          e->indent--;
          _sb_py_line (e, "except ssl.SSLError as error:");
          e->indent++;
          _sb_py_line (e, "print(\"TLS handshake failed:\", error, flush=True)");
          _sb_py_line (e, "conn.close()");
          _sb_py_line (e, "continue");
          e->indent--;
        }
      _sb_py_line (e, "with conn:");
      e->indent++;
      _sb_py_line (e, "print(\"connected by\", addr, flush=True)");
      _sb_py_line (e, "if send_replies(conn, greetings()):");
      e->indent++;
      _sb_py_line (e, "continue");
      e->indent--;
      _sb_py_comment (e, _("Each recv() is one message, as Sockbench saw it."));
      _sb_py_line (e, "while True:");
      e->indent++;
      _sb_py_line (e, "data = conn.recv(65536)");
      _sb_py_line (e, "if not data:");
      e->indent++;
      _sb_py_line (e, "print(\"peer closed its side\", flush=True)");
      _sb_py_line (e, "break");
      e->indent--;
      _sb_py_line (e, "show(data)");
      _sb_py_line (e, "if send_replies(conn, replies_for(data)):");
      e->indent++;
      _sb_py_line (e, "break");
      e->indent -= 4;
      return;
    }

  _sb_py_comment (e, _("Clients seen so far: a new one is greeted first."));
  _sb_py_line (e, "clients = set()");
  _sb_py_line (e, "while True:");
  e->indent++;
  _sb_py_linef (e, "data, client = s.recvfrom(%u)", DATAGRAM_BUFFER);
  _sb_py_line (e, "show(data)");
  if (plan->unix_family)
    {
      _sb_py_line (e, "if not client:");
      e->indent++;
      _sb_py_comment (e, _("A sender without a name of its own cannot be answered."));
      _sb_py_line (e, "continue");
      e->indent--;
    }
  _sb_py_line (e, "if client not in clients:");
  e->indent++;
  _sb_py_line (e, "clients.add(client)");
  _sb_py_line (e, "if send_replies(s, client, greetings()):");
  e->indent++;
  _sb_py_line (e, "clients.discard(client)");
  e->indent -= 2;
  _sb_py_line (e, "if send_replies(s, client, replies_for(data)):");
  e->indent++;
  _sb_py_line (e, "clients.discard(client)");
  e->indent -= 2;
}
