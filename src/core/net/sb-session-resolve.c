/* sb-session-resolve.c — looking up a host name without blocking
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session"

#include "config.h"

#include "sb-session-private.h"

typedef struct
{
  SbSession      *session;
  char           *host;
  guint16         port;
  SbResolvedFunc  done;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->session);
  g_free (lookup->host);
  g_free (lookup);
}

static void
on_resolved (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Lookup *lookup = user_data;
  SbSession *self = lookup->session;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &error);

  if (addresses == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          GError *human = sb_socket_error_humanize (error, SB_SOCKET_OP_RESOLVE, lookup->host);

          _sb_session_trace (self, SB_CALL_GETADDRINFO, 0, NULL, 0, 0, lookup->host, human);
          _sb_session_fail (self, human);
        }
      lookup_free (lookup);
      return;
    }

  /* Prefer IPv4 when both exist, as most devices speak it. */
  for (GList *l = addresses; l != NULL; l = l->next)
    {
      if (address == NULL || g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
        {
          g_clear_object (&address);
          address = g_inet_socket_address_new (l->data, lookup->port);
          if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4)
            break;
        }
    }
  g_resolver_free_addresses (addresses);

  _sb_session_trace (self, SB_CALL_GETADDRINFO, 0, address, 0, 0, lookup->host, NULL);
  lookup->done (self, address);
  lookup_free (lookup);
}

void
_sb_session_resolve (SbSession      *self,
                     const char     *host,
                     guint16         port,
                     SbResolvedFunc  done)
{
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  Lookup *lookup = g_new0 (Lookup, 1);

  lookup->session = g_object_ref (self);
  lookup->host = g_strdup (host);
  lookup->port = port;
  lookup->done = done;

  _sb_session_set_state (self, SB_SESSION_STATE_RESOLVING);
  g_resolver_lookup_by_name_async (resolver, host, _sb_session_get_cancellable (self),
                                   on_resolved, lookup);
}
