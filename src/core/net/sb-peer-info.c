/* sb-peer-info.c — what a peer tells about itself, on either thread
 *
 * The engine's thread reads the peer's own fields; the owner's thread reads
 * what the engine published for it (flags and counters are atomics).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-peer"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-peer-private.h"

const char *
sb_peer_get_label (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), NULL);
  return self->label;
}

GSocketAddress *
sb_peer_get_address (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), NULL);
  return self->address;
}

guint
sb_peer_get_id (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), 0);
  return self->id;
}

gint64
sb_peer_get_since (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), 0);
  return self->since;
}

gboolean
sb_peer_is_stream (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), FALSE);
  return self->is_stream;
}

enum
{
  PUB_CONNECTED    = 1 << 0,
  PUB_READ_CLOSED  = 1 << 1,
  PUB_WRITE_CLOSED = 1 << 2,
};

/* Engine: the flags, for the owner's thread to read. */
void
_sb_peer_publish (SbPeer *self)
{
  g_atomic_int_set (&self->published,
                    (self->connected ? PUB_CONNECTED : 0) |
                    (self->read_closed ? PUB_READ_CLOSED : 0) |
                    (self->write_closed ? PUB_WRITE_CLOSED : 0));
}

static gboolean
flag (SbPeer *self,
      guint   value,
      gint    bit)
{
  if (sb_engine_is_current (self->engine))
    return value;
  return (g_atomic_int_get (&self->published) & bit) != 0;
}

gboolean
sb_peer_is_connected (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), FALSE);
  return flag (self, self->connected, PUB_CONNECTED);
}

gboolean
sb_peer_get_read_closed (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), FALSE);
  return flag (self, self->read_closed, PUB_READ_CLOSED);
}

gboolean
sb_peer_get_write_closed (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), FALSE);
  return flag (self, self->write_closed, PUB_WRITE_CLOSED);
}

guint64
sb_peer_get_rx_bytes (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), 0);
  return __atomic_load_n (&self->rx_bytes, __ATOMIC_RELAXED);
}

guint64
sb_peer_get_tx_bytes (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), 0);
  return __atomic_load_n (&self->tx_bytes, __ATOMIC_RELAXED);
}

guint64
sb_peer_get_rx_messages (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), 0);
  return __atomic_load_n (&self->rx_messages, __ATOMIC_RELAXED);
}

guint64
sb_peer_get_tx_messages (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), 0);
  return __atomic_load_n (&self->tx_messages, __ATOMIC_RELAXED);
}

gsize
sb_peer_get_pending (SbPeer *self)
{
  g_return_val_if_fail (SB_IS_PEER (self), 0);
  return self->pending;
}

/* Private API */

typedef struct
{
  SbPeer     *self;
  SbTcpInfo  *info;
  GError    **error;
  gboolean    ok;
} TcpInfoCall;

static void
tcp_info_call (gpointer data,
               gpointer unused)
{
  TcpInfoCall *call = data;

  call->ok = sb_peer_get_tcp_info (call->self, call->info, call->error);
}

void
_sb_peer_set_engine (SbPeer   *self,
                     SbEngine *engine)
{
  self->engine = engine;
}

gboolean
sb_peer_get_tcp_info (SbPeer     *self,
                      SbTcpInfo  *info,
                      GError    **error)
{
  g_return_val_if_fail (SB_IS_PEER (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  if (!sb_engine_is_current (self->engine))
    {
      TcpInfoCall call = { self, info, error, FALSE };

      sb_engine_call (self->engine, tcp_info_call, &call);
      return call.ok;
    }

  if (self->socket == NULL || !self->connected)
    {
      g_set_error (error, G_IO_ERROR, self->socket == NULL ? G_IO_ERROR_NOT_SUPPORTED : G_IO_ERROR_CLOSED,
                   self->socket == NULL ? _("%s is not a TCP connection") : _("The connection with %s is closed"),
                   self->label);
      return FALSE;
    }

  return sb_tcp_info_query (self->socket, info, error);
}

GSocketConnection *
_sb_peer_get_connection (SbPeer *self)
{
  return self->connection;
}

void
_sb_peer_set_tls (SbPeer    *self,
                  GIOStream *tls)
{
  g_return_if_fail (self->is_stream);
  g_return_if_fail (self->read_source == NULL);
  g_return_if_fail (G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (tls)));

  g_set_object (&self->tls, tls);
}
