/* sb-history-item.c — one record of the history, as a list item; names of kinds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-history"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-history-private.h"

G_DEFINE_FINAL_TYPE (SbHistoryItem, sb_history_item, G_TYPE_OBJECT)

static void
sb_history_item_finalize (GObject *object)
{
  SbHistoryItem *self = SB_HISTORY_ITEM (object);

  g_clear_object (&self->history);

  G_OBJECT_CLASS (sb_history_item_parent_class)->finalize (object);
}

static void
sb_history_item_class_init (SbHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sb_history_item_finalize;
}

static void
sb_history_item_init (SbHistoryItem *self)
{
}
/* SbHistoryItem API */

SbHistory *
sb_history_item_get_history (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), NULL);

  return self->history;
}

guint64
sb_history_item_get_serial (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), 0);

  return self->serial;
}

gint64
sb_history_item_get_time (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), 0);

  return self->time_us;
}

SbDirection
sb_history_item_get_direction (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), SB_DIRECTION_EVENT);

  return self->direction;
}

SbEventKind
sb_history_item_get_event (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), SB_EVENT_NONE);

  return self->event;
}

guint
sb_history_item_get_peer (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), 0);

  return self->peer;
}

const char *
sb_history_item_get_peer_label (SbHistoryItem *self)
{
  HISTORY_LOCKED (self->history);
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), "");

  return sb_history_get_peer_label (self->history, self->peer);
}

gsize
sb_history_item_get_length (SbHistoryItem *self)
{
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), 0);

  return self->length;
}

GBytes *
sb_history_item_dup_data (SbHistoryItem *self)
{
  HISTORY_LOCKED (self->history);
  SbHistory *history;
  Record *record;

  g_return_val_if_fail (SB_IS_HISTORY_ITEM (self), NULL);

  history = self->history;
  if (!store_has (history, self->serial))
    return NULL;

  record = record_at (history, self->serial);
  return g_bytes_new (_sb_history_record_data (history, record), record->length);
}

/* Names */

const char *
sb_direction_to_string (SbDirection direction)
{
  switch (direction)
    {
    case SB_DIRECTION_RX:
      return "rx";
    case SB_DIRECTION_TX:
      return "tx";
    case SB_DIRECTION_EVENT:
      return "event";
    default:
      g_return_val_if_reached ("unknown");
    }
}

const char *
sb_event_kind_to_string (SbEventKind event)
{
  static const char * const names[] = {
    [SB_EVENT_NONE] = "none",
    [SB_EVENT_LISTENING] = "listening",
    [SB_EVENT_CONNECTED] = "connected",
    [SB_EVENT_PEER_CLOSED] = "peer-closed",
    [SB_EVENT_HALF_CLOSED] = "half-closed",
    [SB_EVENT_RESET] = "reset",
    [SB_EVENT_DISCONNECTED] = "disconnected",
    [SB_EVENT_ERROR] = "error",
    [SB_EVENT_INFO] = "info",
    [SB_EVENT_STOPPED] = "stopped",
    [SB_EVENT_TLS] = "tls",
    [SB_EVENT_CERTIFICATE] = "certificate",
    [SB_EVENT_WARNING] = "warning",
    [SB_EVENT_FAULT] = "fault",
  };

  g_return_val_if_fail ((guint) event < G_N_ELEMENTS (names), "unknown");

  return names[event];
}

const char *
sb_event_kind_get_label (SbEventKind event)
{
  switch (event)
    {
    case SB_EVENT_LISTENING:    return _("Listening");
    case SB_EVENT_CONNECTED:    return _("Connected");
    case SB_EVENT_PEER_CLOSED:  return _("Closed by the peer");
    case SB_EVENT_HALF_CLOSED:  return _("Sending side closed");
    case SB_EVENT_RESET:        return _("Connection reset");
    case SB_EVENT_DISCONNECTED: return _("Disconnected");
    case SB_EVENT_ERROR:        return _("Error");
    case SB_EVENT_STOPPED:      return _("Stopped");
    case SB_EVENT_TLS:          return _("TLS handshake");
    case SB_EVENT_CERTIFICATE:  return _("Certificate");
    case SB_EVENT_WARNING:      return _("Warning");
    case SB_EVENT_FAULT:        return _("Fault on purpose");
    case SB_EVENT_INFO:
    case SB_EVENT_NONE:
    default:                    return "";
    }
}
