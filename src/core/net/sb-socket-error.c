/* sb-socket-error.c — socket failures in words a person can act on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-socket-error"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "sb-socket-error.h"

static const struct {
  int         errnum;
  const char *name;
} errno_names[] = {
  { ECONNREFUSED,  "ECONNREFUSED" },
  { ECONNRESET,    "ECONNRESET" },
  { ECONNABORTED,  "ECONNABORTED" },
  { EPIPE,         "EPIPE" },
  { ETIMEDOUT,     "ETIMEDOUT" },
  { EHOSTUNREACH,  "EHOSTUNREACH" },
  { ENETUNREACH,   "ENETUNREACH" },
  { EADDRINUSE,    "EADDRINUSE" },
  { EADDRNOTAVAIL, "EADDRNOTAVAIL" },
  { EACCES,        "EACCES" },
  { EPERM,         "EPERM" },
  { ENOENT,        "ENOENT" },
  { ENOTDIR,       "ENOTDIR" },
  { ENAMETOOLONG,  "ENAMETOOLONG" },
  { EMSGSIZE,      "EMSGSIZE" },
  { ENOBUFS,       "ENOBUFS" },
  { EAFNOSUPPORT,  "EAFNOSUPPORT" },
  { EINVAL,        "EINVAL" },
  { ENOTCONN,      "ENOTCONN" },
  { EPROTOTYPE,    "EPROTOTYPE" },
};

/* GIO keeps the errno only in the message ("…: Connection refused"), and
 * maps several errnos to G_IO_ERROR_FAILED: find it again by its text. */
static int
guess_errno (const GError *error)
{
  /* The words first: GIO gives ECONNRESET and EPIPE the same code. */
  for (guint i = 0; i < G_N_ELEMENTS (errno_names); i++)
    {
      if (g_str_has_suffix (error->message, g_strerror (errno_names[i].errnum)))
        return errno_names[i].errnum;
    }

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CONNECTION_REFUSED: return ECONNREFUSED;
        case G_IO_ERROR_TIMED_OUT: return ETIMEDOUT;
        case G_IO_ERROR_HOST_UNREACHABLE: return EHOSTUNREACH;
        case G_IO_ERROR_NETWORK_UNREACHABLE: return ENETUNREACH;
        case G_IO_ERROR_ADDRESS_IN_USE: return EADDRINUSE;
        case G_IO_ERROR_BROKEN_PIPE: return EPIPE;
        case G_IO_ERROR_NOT_FOUND: return ENOENT;
        case G_IO_ERROR_FILENAME_TOO_LONG: return ENAMETOOLONG;
        case G_IO_ERROR_MESSAGE_TOO_LARGE: return EMSGSIZE;
        case G_IO_ERROR_NOT_CONNECTED: return ENOTCONN;
        default: break;
        }
    }

  if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_PERMISSION_DENIED)
    return EACCES;
  if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_CONNECTION_CLOSED)
    return ECONNRESET;

  return 0;
}

const char *
sb_socket_error_errno_name (const GError *error)
{
  int errnum;

  g_return_val_if_fail (error != NULL, NULL);

  errnum = guess_errno (error);
  for (guint i = 0; i < G_N_ELEMENTS (errno_names); i++)
    {
      if (errno_names[i].errnum == errnum)
        return errno_names[i].name;
    }

  return NULL;
}

static int
port_of (const char *where)
{
  const char *colon = where ? strrchr (where, ':') : NULL;
  char *end = NULL;
  long port;

  if (colon == NULL || colon[1] == '\0')
    return -1;

  port = strtol (colon + 1, &end, 10);
  if (*end != '\0' || port < 0 || port > 65535)
    return -1;

  return (int) port;
}

static char *
describe (const GError *error,
          SbSocketOp    op,
          const char   *where)
{
  int errnum = guess_errno (error);
  int port = port_of (where);

  if (error->domain == G_RESOLVER_ERROR)
    {
      if (error->code == G_RESOLVER_ERROR_NOT_FOUND)
        return g_strdup_printf (_("The host name “%s” was not found; check its spelling or use an IP address"), where);
      return g_strdup_printf (_("The host name “%s” could not be looked up right now (%s)"), where, error->message);
    }

  switch (errnum)
    {
    case ECONNREFUSED:
      if (port < 0)
        return g_strdup_printf (_("Connection refused by %s: nothing is listening there"), where);
      return g_strdup_printf (_("Connection refused by %s: nothing is listening on that port"), where);

    case ETIMEDOUT:
      return g_strdup_printf (_("Connecting to %s timed out"), where);

    case EHOSTUNREACH:
      return g_strdup_printf (_("No route to %s: the host is unreachable"), where);

    case ENETUNREACH:
      return g_strdup_printf (_("No route to %s: the network is unreachable"), where);

    case EADDRINUSE:
      if (port > 0)
        return g_strdup_printf (_("Port %d is already in use by another program (%s)"), port, where);
      return g_strdup_printf (_("The address %s is already in use; remove the file or choose another path"), where);

    case EADDRNOTAVAIL:
      return g_strdup_printf (_("%s is not an address of this computer"), where);

    case EACCES:
    case EPERM:
      if (op == SB_SOCKET_OP_BIND && port > 0 && port < 1024)
        return g_strdup_printf (_("Port %d needs administrator rights: ports below 1024 are reserved (%s)"), port, where);
      if (op == SB_SOCKET_OP_SEND)
        return g_strdup_printf (_("Permission denied sending to %s (a broadcast address needs broadcast to be turned on)"), where);
      return g_strdup_printf (_("Permission denied for %s"), where);

    case ENOENT:
      return g_strdup_printf (_("%s does not exist"), where);

    case ENOTDIR:
      return g_strdup_printf (_("A folder in the path %s does not exist"), where);

    case ENAMETOOLONG:
      return g_strdup_printf (_("The path %s is too long for a UNIX socket"), where);

    case ECONNRESET:
      return g_strdup_printf (_("The connection with %s was reset"), where);

    case EPIPE:
      return g_strdup_printf (_("The connection with %s is closed; the data could not be sent"), where);

    case EMSGSIZE:
      return g_strdup_printf (_("The datagram is too large to send to %s"), where);

    case EAFNOSUPPORT:
      return g_strdup_printf (_("%s uses an address family this system does not support"), where);

    case EPROTOTYPE:
      return g_strdup_printf (_("%s is a socket of another type (stream or datagram)"), where);

    default:
      break;
    }

  switch (op)
    {
    case SB_SOCKET_OP_CONNECT:
      return g_strdup_printf (_("Could not connect to %s: %s"), where, error->message);
    case SB_SOCKET_OP_BIND:
      return g_strdup_printf (_("Could not listen on %s: %s"), where, error->message);
    case SB_SOCKET_OP_RESOLVE:
      return g_strdup_printf (_("Could not look up %s: %s"), where, error->message);
    case SB_SOCKET_OP_SEND:
      return g_strdup_printf (_("Could not send to %s: %s"), where, error->message);
    case SB_SOCKET_OP_RECEIVE:
      return g_strdup_printf (_("Could not receive from %s: %s"), where, error->message);
    case SB_SOCKET_OP_OPTION:
    default:
      return g_strdup_printf (_("%s: %s"), where, error->message);
    }
}

GError *
sb_socket_error_humanize (const GError *error,
                          SbSocketOp    op,
                          const char   *where)
{
  g_autofree char *message = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  if (where == NULL)
    where = "?";

  message = describe (error, op, where);

  return g_error_new_literal (error->domain, error->code, message);
}
