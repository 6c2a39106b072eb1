/* sb-python-export.c — a session as a standalone python3 script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-python-export"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sb-python-export-private.h"

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
gboolean
_sb_py_codec (const char  *encoding,
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
        case SB_EVENT_FAULT:
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
    case SB_KIND_TLS_CLIENT:
    case SB_KIND_TLS_SERVER:
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
  plan->tls = sb_kind_is_tls (spec->kind);
  plan->tls_options = this_side ? spec->tls : NULL;
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

  if (!_sb_py_codec (encoding != NULL ? encoding : "UTF-8", &plan.codec, error))
    return NULL;
  if (!make_plan (&plan, session, side, rules, error))
    return NULL;

  out = g_string_new (NULL);
  e.out = out;

  _sb_py_emit_header (&e, &plan);
  _sb_py_blank (&e);
  _sb_py_emit_helpers (&e, &plan);
  if (plan.rules != NULL && !_sb_py_emit_rules (&e, &plan, error))
    return NULL;

  _sb_py_blank (&e);
  _sb_py_blank (&e);
  _sb_py_line (&e, "def main():");
  e.indent++;
  _sb_py_emit_arguments (&e, &plan);
  _sb_py_emit_socket (&e, &plan);
  if (plan.rules != NULL)
    _sb_py_emit_loop_server (&e, &plan);
  else
    _sb_py_emit_replay (&e, &plan);
  e.indent = 0;

  _sb_py_blank (&e);
  _sb_py_blank (&e);
  _sb_py_line (&e, "if __name__ == \"__main__\":");
  e.indent++;
  _sb_py_comment (&e, _("Received text may hold characters this terminal cannot show: escape them."));
  _sb_py_line (&e, "sys.stdout.reconfigure(errors=\"backslashreplace\")");
  _sb_py_line (&e, "try:");
  e.indent++;
  _sb_py_line (&e, "main()");
  e.indent--;
  _sb_py_line (&e, "except KeyboardInterrupt:");
  e.indent++;
  _sb_py_line (&e, "pass");
  e.indent--;
  _sb_py_comment (&e, _("Timeouts, refused connections, resets: a message, not a traceback."));
  _sb_py_line (&e, "except OSError as error:");
  e.indent++;
  _sb_py_line (&e, "sys.exit(\"error: %s\" % error)");

  return g_string_free (g_steal_pointer (&out), FALSE);
}
