/* sb-sessions.c — making a session of the right kind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-sessions"

#include "config.h"

#include "sb-datagram.h"
#include "sb-icmp.h"
#include "sb-relay.h"
#include "sb-sessions.h"
#include "sb-stream-client.h"
#include "sb-stream-server.h"

static SbSessionCreatedHook created_hook;
static gpointer created_hook_data;

void
sb_session_set_created_hook (SbSessionCreatedHook hook,
                             gpointer             user_data)
{
  created_hook = hook;
  created_hook_data = user_data;
}

SbSession *
sb_session_new (const SbSessionSpec *spec)
{
  SbSession *session;
  GType type;

  g_return_val_if_fail (spec != NULL, NULL);

  switch (spec->kind)
    {
    case SB_KIND_TCP_CLIENT:
    case SB_KIND_UNIX_CLIENT:
      type = SB_TYPE_STREAM_CLIENT;
      break;

    case SB_KIND_TCP_SERVER:
    case SB_KIND_UNIX_SERVER:
      type = SB_TYPE_STREAM_SERVER;
      break;

    case SB_KIND_UDP:
    case SB_KIND_UNIX_DGRAM:
      type = SB_TYPE_DATAGRAM;
      break;

    case SB_KIND_ICMP:
      type = SB_TYPE_ICMP;
      break;

    case SB_KIND_RELAY_TCP:
    case SB_KIND_RELAY_UDP:
    case SB_KIND_RELAY_UNIX:
      type = SB_TYPE_RELAY;
      break;

    case SB_N_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }

  session = g_object_new (type, "spec", spec, NULL);
  if (created_hook != NULL)
    created_hook (session, created_hook_data);

  return session;
}
