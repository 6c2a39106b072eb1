/* sb-sessions.c — making a session of the right kind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-sessions"

#include "config.h"

#include "sb-datagram.h"
#include "sb-icmp.h"
#include "sb-session-private.h"
#include "sb-relay.h"
#include "sb-sessions.h"
#include "sb-stream-client.h"
#include "sb-stream-server.h"
#include "sb-tls-dtls.h"

static SbSessionCreatedHook created_hook;
static gpointer created_hook_data;
static SbEngine *default_engine;

void
sb_sessions_set_engine (SbEngine *engine)
{
  default_engine = engine;
}

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
  return sb_session_new_on (spec, default_engine);
}

SbSession *
sb_session_new_on (const SbSessionSpec *spec,
                   SbEngine            *engine)
{
  SbSession *session;
  GType type;

  g_return_val_if_fail (spec != NULL, NULL);

  switch (spec->kind)
    {
    case SB_KIND_TCP_CLIENT:
    case SB_KIND_UNIX_CLIENT:
    case SB_KIND_TLS_CLIENT:
      type = SB_TYPE_STREAM_CLIENT;
      break;

    case SB_KIND_TCP_SERVER:
    case SB_KIND_UNIX_SERVER:
    case SB_KIND_TLS_SERVER:
      type = SB_TYPE_STREAM_SERVER;
      break;

    case SB_KIND_UDP:
    case SB_KIND_UNIX_DGRAM:
      type = SB_TYPE_DATAGRAM;
      break;

    case SB_KIND_ICMP:
      type = SB_TYPE_ICMP;
      break;

    case SB_KIND_DTLS_CLIENT:
    case SB_KIND_DTLS_SERVER:
      type = SB_TYPE_DTLS_SESSION;
      break;

    case SB_KIND_RELAY_TCP:
    case SB_KIND_RELAY_UDP:
    case SB_KIND_RELAY_UNIX:
    case SB_KIND_RELAY_TLS:
      type = SB_TYPE_RELAY;
      break;

    case SB_N_KINDS:
    default:
      g_return_val_if_reached (NULL);
    }

  session = g_object_new (type, "spec", spec, NULL);
  _sb_session_set_engine (session, engine);
  if (created_hook != NULL)
    created_hook (session, created_hook_data);

  return session;
}
