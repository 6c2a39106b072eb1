/* sb-trace-format.c — a traced call as a line of Python or C
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-trace"

#include "config.h"

#include <gio/gunixsocketaddress.h>
#include <glib/gi18n.h>

#include "sb-address.h"
#include "sb-codec.h"
#include "sb-socket-error.h"
#include "sb-trace-private.h"

static char *
socket_name (guint socket_id)
{
  return socket_id == 0 ? g_strdup ("s") : g_strdup_printf ("conn%u", socket_id);
}

static const char *
family_name (gint64 family)
{
  switch (family)
    {
    case G_SOCKET_FAMILY_IPV4: return "AF_INET";
    case G_SOCKET_FAMILY_IPV6: return "AF_INET6";
    case G_SOCKET_FAMILY_UNIX: return "AF_UNIX";
    default: return "AF_UNSPEC";
    }
}

static const char *
type_name (gint64 type)
{
  if (type == SB_TRACE_SOCK_RAW)
    return "SOCK_RAW";

  return type == G_SOCKET_TYPE_DATAGRAM ? "SOCK_DGRAM" : "SOCK_STREAM";
}

/* A short preview of a payload as a literal: b'…' for Python, "…" for C. */
static void
append_bytes_literal (GString      *out,
                      const char   *prefix,
                      char          quote,
                      const guint8 *data,
                      gsize         len)
{
  gsize shown = MIN (len, PREVIEW_BYTES);

  g_string_append (out, prefix);
  g_string_append_c (out, quote);
  for (gsize i = 0; i < shown; i++)
    {
      guint8 c = data[i];

      if (c == '\\' || c == (guint8) quote)
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c >= 0x20 && c < 0x7f)
        g_string_append_c (out, c);
      else
        g_string_append_printf (out, "\\x%02x", c);
    }
  g_string_append_c (out, quote);
  if (shown < len)
    g_string_append (out, "…");
}

static void
append_py_bytes (GString      *out,
                 const guint8 *data,
                 gsize         len)
{
  append_bytes_literal (out, "b", '\'', data, len);
}

static void
append_c_bytes (GString      *out,
                const guint8 *data,
                gsize         len)
{
  append_bytes_literal (out, "", '"', data, len);
}

/* ('127.0.0.1', 80), ('::1', 80), '/tmp/s' — as Python's socket module takes them. */
static void
append_py_address (GString        *out,
                   GSocketAddress *address)
{
  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
      g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));

      g_string_append_printf (out, "('%s', %u)", host, g_inet_socket_address_get_port (inet));
    }
  else if (G_IS_UNIX_SOCKET_ADDRESS (address))
    {
      GUnixSocketAddress *unix_address = G_UNIX_SOCKET_ADDRESS (address);
      const char *path = g_unix_socket_address_get_path (unix_address);
      gsize len = g_unix_socket_address_get_path_len (unix_address);

      if (len == 0)
        g_string_append (out, "''");
      else if (g_unix_socket_address_get_address_type (unix_address) != G_UNIX_SOCKET_ADDRESS_PATH)
        g_string_append_printf (out, "'\\0%.*s'", (int) len, path);
      else
        g_string_append_printf (out, "'%s'", path);
    }
  else
    {
      g_string_append (out, "None");
    }
}

/* A C address as a program fills it, field by field, one statement a line,
 * for the bind() or connect() that follows: the reader sees what they
 * really take. @port overrides the address's port (-1: its own). */
static void
append_c_address (GString        *out,
                  GSocketAddress *address,
                  gint64          port)
{
  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
      g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
      gboolean v6 = g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6;
      guint value = port >= 0 ? (guint) port : g_inet_socket_address_get_port (inet);

      if (v6)
        g_string_append_printf (out,
                                "struct sockaddr_in6 addr = { 0 };\n"
                                "addr.sin6_family = AF_INET6;\n"
                                "addr.sin6_port = htons(%u);\n"
                                "inet_pton(AF_INET6, \"%s\", &addr.sin6_addr);\n",
                                value, host);
      else
        g_string_append_printf (out,
                                "struct sockaddr_in addr = { 0 };\n"
                                "addr.sin_family = AF_INET;\n"
                                "addr.sin_port = htons(%u);\n"
                                "inet_pton(AF_INET, \"%s\", &addr.sin_addr);\n",
                                value, host);
    }
  else if (G_IS_UNIX_SOCKET_ADDRESS (address))
    {
      GUnixSocketAddress *unix_address = G_UNIX_SOCKET_ADDRESS (address);
      gsize len = g_unix_socket_address_get_path_len (unix_address);
      const char *path = g_unix_socket_address_get_path (unix_address);
      gboolean abstract = g_unix_socket_address_get_address_type (unix_address) != G_UNIX_SOCKET_ADDRESS_PATH;

      g_string_append (out, "struct sockaddr_un addr = { 0 };\naddr.sun_family = AF_UNIX;\n");
      if (abstract)
        g_string_append_printf (out, "memcpy(addr.sun_path + 1, \"%.*s\", %" G_GSIZE_FORMAT ");  // abstract: sun_path[0] is 0\n",
                                (int) len, path, len);
      else
        g_string_append_printf (out, "strncpy(addr.sun_path, \"%.*s\", sizeof addr.sun_path - 1);\n", (int) len, path);
    }
  else
    g_string_append (out, "struct sockaddr_storage addr = { 0 };\n");
}

/* The text of a payload preview that is not plain ASCII but reads whole in
 * UTF-8 or else GBK: “你好 in GBK”, so that b'\xc4\xe3\xba\xc3' is not only
 * hex to a reader. NULL otherwise. */
static char *
payload_text (const guint8 *data,
              gsize         len)
{
  static const char * const encodings[] = { "UTF-8", "GBK" };
  gsize shown = MIN (len, PREVIEW_BYTES);
  gboolean ascii = TRUE;

  for (gsize i = 0; i < shown; i++)
    if (data[i] >= 0x80)
      ascii = FALSE;
  if (ascii || shown == 0)
    return NULL;

  for (guint e = 0; e < G_N_ELEMENTS (encodings); e++)
    /* A character cut at the preview's end is left out, not failed on. */
    for (gsize cut = 0; cut < 4 && cut < shown; cut++)
      {
        g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (SbTextMark));
        g_autofree char *text = sb_codec_decode (encodings[e], data, shown - cut, SB_DECODE_ESCAPE_CONTROLS, marks);

        if (text != NULL && marks->len == 0)
          /* Translators: the text of a payload beside its bytes in the Calls view, “你好 in GBK” */
          return g_strdup_printf (_("%s%s in %s"), text, shown < len || cut > 0 ? "…" : "",
                                  sb_codec_canonical_name (encodings[e]));
        if (len <= PREVIEW_BYTES && cut == 0)
          break;   /* whole: nothing was cut, no shorter try */
      }
  return NULL;
}

static void
append_py_payload_text (GString      *out,
                        const guint8 *data,
                        gsize         len)
{
  g_autofree char *text = payload_text (data, len);

  if (text != NULL)
    g_string_append_printf (out, " — %s", text);
}

/* A peer label from the history ("127.0.0.1:5000") as a Python address. */
static void
append_py_label (GString    *out,
                 const char *label)
{
  const char *colon = strrchr (label, ':');

  if (label[0] == '/' || label[0] == '@' || colon == NULL)
    {
      g_string_append_printf (out, "'%s'", label);
      return;
    }

  if (label[0] == '[')
    g_string_append_printf (out, "('%.*s', %s)", (int) (colon - label - 2), label + 1, colon + 1);
  else
    g_string_append_printf (out, "('%.*s', %s)", (int) (colon - label), label, colon + 1);
}

static const char *
sockopt_level (SbSockopt option)
{
  switch (option)
    {
    case SB_SOCKOPT_TCP_NODELAY: return "IPPROTO_TCP";
    case SB_SOCKOPT_IP_ADD_MEMBERSHIP:
    case SB_SOCKOPT_IP_DROP_MEMBERSHIP:
    case SB_SOCKOPT_IP_MULTICAST_IF:
    case SB_SOCKOPT_IP_MULTICAST_TTL: return "IPPROTO_IP";
    case SB_SOCKOPT_IPV6_V6ONLY:
    case SB_SOCKOPT_IPV6_JOIN_GROUP:
    case SB_SOCKOPT_IPV6_LEAVE_GROUP:
    case SB_SOCKOPT_IPV6_MULTICAST_IF:
    case SB_SOCKOPT_IPV6_MULTICAST_HOPS: return "IPPROTO_IPV6";
    case SB_SOCKOPT_SO_REUSEADDR:
    case SB_SOCKOPT_SO_BROADCAST:
    case SB_SOCKOPT_SO_RCVBUF:
    default: return "SOL_SOCKET";
    }
}

static const char *
sockopt_name (SbSockopt option)
{
  switch (option)
    {
    case SB_SOCKOPT_SO_REUSEADDR: return "SO_REUSEADDR";
    case SB_SOCKOPT_SO_BROADCAST: return "SO_BROADCAST";
    case SB_SOCKOPT_SO_RCVBUF: return "SO_RCVBUF";
    case SB_SOCKOPT_TCP_NODELAY: return "TCP_NODELAY";
    case SB_SOCKOPT_IP_ADD_MEMBERSHIP: return "IP_ADD_MEMBERSHIP";
    case SB_SOCKOPT_IP_DROP_MEMBERSHIP: return "IP_DROP_MEMBERSHIP";
    case SB_SOCKOPT_IP_MULTICAST_IF: return "IP_MULTICAST_IF";
    case SB_SOCKOPT_IP_MULTICAST_TTL: return "IP_MULTICAST_TTL";
    case SB_SOCKOPT_IPV6_V6ONLY: return "IPV6_V6ONLY";
    case SB_SOCKOPT_IPV6_JOIN_GROUP: return "IPV6_JOIN_GROUP";
    case SB_SOCKOPT_IPV6_LEAVE_GROUP: return "IPV6_LEAVE_GROUP";
    case SB_SOCKOPT_IPV6_MULTICAST_IF: return "IPV6_MULTICAST_IF";
    case SB_SOCKOPT_IPV6_MULTICAST_HOPS: return "IPV6_MULTICAST_HOPS";
    default: return "?";
    }
}

static const char *
sockopt_why (SbSockopt option)
{
  switch (option)
    {
    case SB_SOCKOPT_SO_REUSEADDR: return _("listen again at once after a restart");
    case SB_SOCKOPT_SO_BROADCAST: return _("allow sending to broadcast addresses");
    case SB_SOCKOPT_SO_RCVBUF: return _("room for bursts of datagrams");
    case SB_SOCKOPT_TCP_NODELAY: return _("send small messages at once (no Nagle delay)");
    case SB_SOCKOPT_IP_ADD_MEMBERSHIP:
    case SB_SOCKOPT_IPV6_JOIN_GROUP: return _("receive the group’s datagrams");
    case SB_SOCKOPT_IP_DROP_MEMBERSHIP:
    case SB_SOCKOPT_IPV6_LEAVE_GROUP: return _("stop receiving the group’s datagrams");
    case SB_SOCKOPT_IP_MULTICAST_IF:
    case SB_SOCKOPT_IPV6_MULTICAST_IF: return _("send multicast through this interface");
    case SB_SOCKOPT_IP_MULTICAST_TTL:
    case SB_SOCKOPT_IPV6_MULTICAST_HOPS: return _("how far multicast may travel (0: this host)");
    case SB_SOCKOPT_IPV6_V6ONLY: return _("0: accept IPv4 clients on an IPv6 socket too");
    default: return "";
    }
}

static const char *
python_exception (const char *errno_name)
{
  static const struct { const char *name; const char *exception; } map[] = {
    { "ECONNREFUSED", "ConnectionRefusedError" },
    { "ECONNRESET", "ConnectionResetError" },
    { "ECONNABORTED", "ConnectionAbortedError" },
    { "EPIPE", "BrokenPipeError" },
    { "ETIMEDOUT", "TimeoutError" },
    { "ENOENT", "FileNotFoundError" },
    { "EACCES", "PermissionError" },
    { "EPERM", "PermissionError" },
  };

  if (errno_name != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (map); i++)
      if (g_str_equal (map[i].name, errno_name))
        return map[i].exception;

  return "OSError";
}

static void
append_failure (SbTraceCall   *self,
                GString       *out,
                SbTraceSyntax  syntax)
{
  const char *errno_name = self->detail->errno_name;

  if (syntax == SB_TRACE_PYTHON)
    g_string_append_printf (out, "  # %s%s%s%s: %s",
                            python_exception (errno_name),
                            errno_name ? " (" : "", errno_name ? errno_name : "", errno_name ? ")" : "",
                            self->detail->message);
  else
    g_string_append_printf (out, "  // = -1 %s: %s",
                            errno_name ? errno_name : "", self->detail->message);
}

static gboolean
is_tls_socket (SbTraceCall *self)
{
  gboolean tls;

  pthread_mutex_lock (&self->trace->lock);
  tls = g_hash_table_contains (self->trace->tls_sockets, GUINT_TO_POINTER (self->entry.socket_id + 1));
  pthread_mutex_unlock (&self->trace->lock);
  return tls;
}

static void
format_data_call (SbTraceCall   *self,
                  GString       *out,
                  SbTraceSyntax  syntax)
{
  SbHistory *history = self->trace->history;
  g_autofree char *sock = socket_name (self->entry.socket_id);
  const guint8 *data = NULL;
  const char *peer = "";
  gsize len = 0;
  guint position;

  if (!sb_history_find_serial (history, self->entry.serial, &position))
    {
      g_string_append_printf (out, syntax == SB_TRACE_PYTHON ? "# %s" : "// %s",
                              _("(this message was dropped from the history)"));
      return;
    }

  data = sb_history_peek_data (history, position, &len);
  peer = sb_history_get_peer_label (history, sb_history_get_peer (history, position));

  /* Over TLS, C reads and writes through OpenSSL; Python's SSLSocket keeps send()/recv(). */
  if (syntax == SB_TRACE_C && is_tls_socket (self))
    {
      if (self->entry.kind == SB_CALL_SEND)
        {
          g_string_append_printf (out, "SSL_write(ssl_%s, ", sock);
          append_c_bytes (out, data, len);
          g_string_append_printf (out, ", %" G_GSIZE_FORMAT ");  // = %" G_GSIZE_FORMAT, len, len);
          append_py_payload_text (out, data, len);
          return;
        }
      if (self->entry.kind == SB_CALL_RECV)
        {
          g_string_append_printf (out, "SSL_read(ssl_%s, buf, sizeof buf);  // = %" G_GSIZE_FORMAT ": ", sock, len);
          append_c_bytes (out, data, len);
          append_py_payload_text (out, data, len);
          return;
        }
    }

  switch ((SbCallKind) self->entry.kind)
    {
    case SB_CALL_SEND:
      if (syntax == SB_TRACE_PYTHON)
        {
          g_string_append_printf (out, "%s.send(", sock);
          append_py_bytes (out, data, len);
          g_string_append_printf (out, ")  # %" G_GSIZE_FORMAT, len);
          append_py_payload_text (out, data, len);
        }
      else
        {
          g_string_append_printf (out, "send(%s, ", sock);
          append_c_bytes (out, data, len);
          g_string_append_printf (out, ", %" G_GSIZE_FORMAT ", 0);  // = %" G_GSIZE_FORMAT, len, len);
          append_py_payload_text (out, data, len);
        }
      break;

    case SB_CALL_SENDTO:
      if (syntax == SB_TRACE_PYTHON)
        {
          g_string_append_printf (out, "%s.sendto(", sock);
          append_py_bytes (out, data, len);
          g_string_append (out, ", ");
          append_py_label (out, peer);
          g_string_append_printf (out, ")  # %" G_GSIZE_FORMAT, len);
          append_py_payload_text (out, data, len);
        }
      else
        {
          g_string_append_printf (out, "sendto(%s, ", sock);
          append_c_bytes (out, data, len);
          g_string_append_printf (out, ", %" G_GSIZE_FORMAT ", 0, (struct sockaddr *) &to, sizeof to);  // = %" G_GSIZE_FORMAT " to %s",
                                  len, len, peer);
          append_py_payload_text (out, data, len);
        }
      break;

    case SB_CALL_RECV:
      if (syntax == SB_TRACE_PYTHON)
        {
          g_string_append_printf (out, "data = %s.recv(%d)  # ", sock, RECV_SIZE);
          append_py_bytes (out, data, len);
          g_string_append_printf (out, " (%" G_GSIZE_FORMAT ")", len);
          append_py_payload_text (out, data, len);
        }
      else
        {
          g_string_append_printf (out, "recv(%s, buf, sizeof buf, 0);  // = %" G_GSIZE_FORMAT ": ", sock, len);
          append_c_bytes (out, data, len);
          append_py_payload_text (out, data, len);
        }
      break;

    case SB_CALL_RECVFROM:
      if (syntax == SB_TRACE_PYTHON)
        {
          g_string_append_printf (out, "data, addr = %s.recvfrom(%d)  # ", sock, RECV_SIZE);
          append_py_bytes (out, data, len);
          g_string_append (out, ", ");
          append_py_label (out, peer);
          append_py_payload_text (out, data, len);
        }
      else
        {
          g_string_append_printf (out, "recvfrom(%s, buf, sizeof buf, 0, (struct sockaddr *) &from, &fromlen);  // = %" G_GSIZE_FORMAT " from %s: ",
                                  sock, len, peer);
          append_c_bytes (out, data, len);
          append_py_payload_text (out, data, len);
        }
      break;

    case SB_CALL_GETADDRINFO:
    case SB_CALL_SOCKET:
    case SB_CALL_SETSOCKOPT:
    case SB_CALL_BIND:
    case SB_CALL_LISTEN:
    case SB_CALL_ACCEPT:
    case SB_CALL_CONNECT:
    case SB_CALL_SHUTDOWN:
    case SB_CALL_CLOSE:
    case SB_CALL_TLS_WRAP:
    case SB_CALL_TLS_HANDSHAKE:
    case SB_CALL_TLS_PEERCERT:
    default:
      g_assert_not_reached ();
    }
}

char *
sb_trace_call_format (SbTraceCall   *self,
                      SbTraceSyntax  syntax)
{
  g_autofree char *sock = NULL;
  GString *out;
  Detail *d;
  gboolean py = syntax == SB_TRACE_PYTHON;

  g_return_val_if_fail (SB_IS_TRACE_CALL (self), NULL);

  out = g_string_new (NULL);

  if (self->detail == NULL)
    {
      format_data_call (self, out, syntax);
      return g_string_free (out, FALSE);
    }

  d = self->detail;
  sock = socket_name (self->entry.socket_id);

  switch ((SbCallKind) self->entry.kind)
    {
    case SB_CALL_GETADDRINFO:
      if (py)
        g_string_append_printf (out, "socket.getaddrinfo('%s', None)", d->text ? d->text : "");
      else
        g_string_append_printf (out, "getaddrinfo(\"%s\", NULL, &hints, &res);", d->text ? d->text : "");
      if (!(self->entry.flags & ENTRY_FAILED) && d->address != NULL)
        {
          g_autoptr(GInetAddress) inet = NULL;
          g_autofree char *first = NULL;

          inet = g_object_ref (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (d->address)));
          first = g_inet_address_to_string (inet);
          g_string_append_printf (out, py ? "  # %s" : "  // %s", first);
        }
      break;

    case SB_CALL_SOCKET:
      if (py && d->text != NULL)
        g_string_append_printf (out, "%s = socket.socket(socket.%s, socket.%s, socket.%s)",
                                sock, family_name (d->arg1), type_name (d->arg2), d->text);
      else if (py)
        g_string_append_printf (out, "%s = socket.socket(socket.%s, socket.%s)",
                                sock, family_name (d->arg1), type_name (d->arg2));
      else
        g_string_append_printf (out, "int %s = socket(%s, %s, %s);",
                                sock, family_name (d->arg1), type_name (d->arg2),
                                d->text != NULL ? d->text : "0");
      break;

    case SB_CALL_SETSOCKOPT:
      if (py)
        {
          if (d->text != NULL)
            g_string_append_printf (out, "%s.setsockopt(socket.%s, socket.%s, %s)",
                                    sock, sockopt_level (d->arg1), sockopt_name (d->arg1), d->text);
          else
            g_string_append_printf (out, "%s.setsockopt(socket.%s, socket.%s, %" G_GINT64_FORMAT ")",
                                    sock, sockopt_level (d->arg1), sockopt_name (d->arg1), d->arg2);
        }
      else
        {
          g_string_append_printf (out, "setsockopt(%s, %s, %s, ", sock, sockopt_level (d->arg1), sockopt_name (d->arg1));
          if (d->text != NULL)
            g_string_append_printf (out, "/* %s */ &mreq, sizeof mreq);", d->text);
          else
            g_string_append_printf (out, "&(int){%" G_GINT64_FORMAT "}, sizeof (int));", d->arg2);
        }
      if (!(self->entry.flags & ENTRY_FAILED))
        g_string_append_printf (out, py ? "  # %s" : "  // %s", sockopt_why (d->arg1));
      break;

    case SB_CALL_BIND:
      if (py)
        {
          g_string_append_printf (out, "%s.bind(", sock);
          append_py_address (out, d->address);
          g_string_append_c (out, ')');
        }
      else
        {
          append_c_address (out, d->address, d->arg1 == 0 ? 0 : -1);
          g_string_append_printf (out, "bind(%s, (struct sockaddr *) &addr, sizeof addr);", sock);
        }
      if (!(self->entry.flags & ENTRY_FAILED) && d->arg1 == 0 && G_IS_INET_SOCKET_ADDRESS (d->address))
        {
          g_autofree char *note = NULL;

          /* Translators: %u is the port the kernel chose after bind() to port 0 */
          note = g_strdup_printf (_("port 0: the kernel chose %u"),
                                  g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (d->address)));
          g_string_append_printf (out, py ? "  # %s" : "  // %s", note);
        }
      break;

    case SB_CALL_LISTEN:
      g_string_append_printf (out, py ? "%s.listen(%" G_GINT64_FORMAT ")" : "listen(%s, %" G_GINT64_FORMAT ");",
                              sock, d->arg1);
      break;

    case SB_CALL_ACCEPT:
      if (py)
        {
          g_string_append_printf (out, "%s, addr = s.accept()  # ", sock);
          append_py_address (out, d->address);
        }
      else
        {
          g_autofree char *label = d->address ? sb_address_to_string (d->address) : g_strdup ("?");

          g_string_append_printf (out, "int %s = accept(s, (struct sockaddr *) &peer, &peerlen);  // %s", sock, label);
        }
      break;

    case SB_CALL_CONNECT:
      if (py)
        {
          g_string_append_printf (out, "%s.connect(", sock);
          append_py_address (out, d->address);
          g_string_append_c (out, ')');
        }
      else
        {
          append_c_address (out, d->address, -1);
          g_string_append_printf (out, "connect(%s, (struct sockaddr *) &addr, sizeof addr);", sock);
          if (!(self->entry.flags & ENTRY_FAILED))
            g_string_append (out, "  // = 0");
        }
      break;

    case SB_CALL_RECV:
      /* Only an end of stream or a failure gets here; data has a record. */
      if (py)
        g_string_append_printf (out, "data = %s.recv(%d)", sock, RECV_SIZE);
      else if (is_tls_socket (self))
        g_string_append_printf (out, "SSL_read(ssl_%s, buf, sizeof buf);", sock);
      else
        g_string_append_printf (out, "recv(%s, buf, sizeof buf, 0);", sock);
      if (!(self->entry.flags & ENTRY_FAILED))
        g_string_append_printf (out, py ? "  # b'' — %s" : "  // = 0: %s",
                                _("the peer closed its side (EOF)"));
      break;

    case SB_CALL_SEND:
    case SB_CALL_SENDTO:
    case SB_CALL_RECVFROM:
      if (py)
        g_string_append_printf (out, "%s.%s(…)", sock,
                                self->entry.kind == SB_CALL_SEND ? "send" :
                                self->entry.kind == SB_CALL_SENDTO ? "sendto" : "recvfrom");
      else
        g_string_append_printf (out, "%s(%s, …);",
                                self->entry.kind == SB_CALL_SEND ? "send" :
                                self->entry.kind == SB_CALL_SENDTO ? "sendto" : "recvfrom", sock);
      break;

    case SB_CALL_SHUTDOWN:
      {
        const char *how = d->arg1 == 0 ? "SHUT_RD" : d->arg1 == 1 ? "SHUT_WR" : "SHUT_RDWR";

        if (py)
          g_string_append_printf (out, "%s.shutdown(socket.%s)", sock, how);
        else
          g_string_append_printf (out, "shutdown(%s, %s);", sock, how);
      }
      break;

    case SB_CALL_CLOSE:
      g_string_append_printf (out, py ? "%s.close()" : "close(%s);", sock);
      break;

    case SB_CALL_TLS_WRAP:
      if (py && d->arg1)
        g_string_append_printf (out, "%s = ctx.wrap_socket(%s, server_side=True, do_handshake_on_connect=False)",
                                sock, sock);
      else if (py)
        g_string_append_printf (out, "%s = ctx.wrap_socket(%s, server_hostname='%s', do_handshake_on_connect=False)",
                                sock, sock, d->text ? d->text : "");
      else if (d->arg1)
        g_string_append_printf (out, "SSL *ssl_%s = SSL_new(ctx); SSL_set_fd(ssl_%s, %s);", sock, sock, sock);
      else
        g_string_append_printf (out, "SSL *ssl_%s = SSL_new(ctx); SSL_set_fd(ssl_%s, %s); SSL_set_tlsext_host_name(ssl_%s, \"%s\");",
                                sock, sock, sock, sock, d->text ? d->text : "");
      break;

    case SB_CALL_TLS_HANDSHAKE:
      if (py)
        g_string_append_printf (out, "%s.do_handshake()", sock);
      else
        g_string_append_printf (out, d->arg1 ? "SSL_accept(ssl_%s);" : "SSL_connect(ssl_%s);", sock);
      if (!(self->entry.flags & ENTRY_FAILED) && d->text != NULL)
        g_string_append_printf (out, py ? "  # %s" : "  // = 1: %s", d->text);
      break;

    case SB_CALL_TLS_PEERCERT:
      if (py)
        g_string_append_printf (out, "cert = %s.getpeercert()", sock);
      else
        g_string_append_printf (out, "X509 *cert = SSL_get_peer_certificate(ssl_%s);", sock);
      /* Translators: the peer showed no certificate (after getpeercert()) */
      g_string_append_printf (out, py ? "  # %s" : "  // %s", d->text ? d->text : _("none"));
      break;

    default:
      g_assert_not_reached ();
    }

  if ((self->entry.flags & ENTRY_FAILED))
    append_failure (self, out, syntax);

  return g_string_free (out, FALSE);
}
