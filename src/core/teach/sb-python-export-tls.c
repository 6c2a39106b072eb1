/* sb-python-export-tls.c — the ssl module's part of an exported script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-python-export"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-python-export-private.h"

static void
emit_path_argument (Emitter    *e,
                    const char *name,
                    const char *value,
                    gboolean    required)
{
  _sb_py_start_line (e);
  g_string_append_printf (e->out, "parser.add_argument(\"%s\", default=", name);
  if (value != NULL)
    _sb_py_append_str (e->out, value);
  else
    g_string_append (e->out, "None");
  if (required && value == NULL)
    g_string_append (e->out, ", required=True");
  g_string_append (e->out, ")\n");
}

/* --cert, --key, --ca (and --insecure for clients), with this side's files. */
void
_sb_py_emit_tls_arguments (Emitter    *e,
                           const Plan *plan)
{
  const SbTlsOptions *o = plan->tls_options;

  if (plan->server)
    {
      if (o != NULL && o->self_signed)
        _sb_py_comment (e, _("The Sockbench server made its own certificate; Python cannot, so give one (PEM)."));
      emit_path_argument (e, "--cert", o ? o->cert_file : NULL, TRUE);
      emit_path_argument (e, "--key", o ? (o->key_file ? o->key_file : o->cert_file) : NULL, FALSE);
      _sb_py_comment (e, _("With --ca, every client must show a certificate that CA signed (mutual TLS)."));
      emit_path_argument (e, "--ca", o ? o->ca_file : NULL, FALSE);
      return;
    }

  _sb_py_comment (e, _("The server’s certificate is checked against --ca (default: the system’s authorities)."));
  emit_path_argument (e, "--ca", o ? o->ca_file : NULL, FALSE);
  _sb_py_comment (e, _("A client certificate for mutual TLS (optional)."));
  emit_path_argument (e, "--cert", o ? o->cert_file : NULL, FALSE);
  emit_path_argument (e, "--key", o ? (o->key_file ? o->key_file : o->cert_file) : NULL, FALSE);
  _sb_py_linef (e, "parser.add_argument(\"--insecure\", action=\"store_true\", default=%s)",
                o != NULL && o->insecure ? "True" : "False");
}

/* The ssl.SSLContext of either side; ALPN as the session offered it. */
void
_sb_py_emit_tls_context (Emitter    *e,
                         const Plan *plan)
{
  g_auto(GStrv) alpn = sb_tls_options_get_alpn (plan->tls_options);

  if (plan->server)
    {
      _sb_py_comment (e, _("TLS: the server shows its certificate; each accepted connection is wrapped."));
      _sb_py_line (e, "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)");
      _sb_py_line (e, "ctx.load_cert_chain(args.cert, args.key or args.cert)");
      _sb_py_line (e, "if args.ca:");
      e->indent++;
      _sb_py_line (e, "ctx.load_verify_locations(args.ca)");
      _sb_py_line (e, "ctx.verify_mode = ssl.CERT_REQUIRED");
      e->indent--;
    }
  else
    {
      _sb_py_comment (e, _("TLS: check the server’s certificate and name, unless --insecure."));
      _sb_py_line (e, "ctx = ssl.create_default_context(cafile=args.ca)");
      _sb_py_line (e, "if args.insecure:");
      e->indent++;
      _sb_py_comment (e, _("Not safe: anyone could be at the other end."));
      _sb_py_line (e, "ctx.check_hostname = False");
      _sb_py_line (e, "ctx.verify_mode = ssl.CERT_NONE");
      e->indent--;
      _sb_py_line (e, "if args.cert:");
      e->indent++;
      _sb_py_line (e, "ctx.load_cert_chain(args.cert, args.key or args.cert)");
      e->indent--;
    }

  if (alpn != NULL)
    {
      _sb_py_start_line (e);
      g_string_append (e->out, "ctx.set_alpn_protocols([");
      for (guint i = 0; alpn[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (e->out, ", ");
          _sb_py_append_str (e->out, alpn[i]);
        }
      g_string_append (e->out, "])\n");
    }
}

/* After accept(): the handshake happens in wrap_socket(). */
void
_sb_py_emit_tls_accept (Emitter    *e,
                        const Plan *plan)
{
  if (!plan->tls)
    return;
  _sb_py_line (e, "conn = ctx.wrap_socket(conn, server_side=True)");
  _sb_py_line (e, "print(\"TLS\", conn.version(), conn.cipher()[0], flush=True)");
}
