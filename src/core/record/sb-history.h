/* sb-history.h — the record of what crossed the wire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-codec.h"
#include "sb-stream-decode.h"

G_BEGIN_DECLS

typedef enum
{
  SB_DIRECTION_RX,
  SB_DIRECTION_TX,
  SB_DIRECTION_EVENT,
} SbDirection;

typedef enum
{
  SB_EVENT_NONE,          /* data records */
  SB_EVENT_LISTENING,     /* a server or bound socket is ready */
  SB_EVENT_CONNECTED,     /* we connected, or a peer was accepted */
  SB_EVENT_PEER_CLOSED,   /* the peer closed its side in order (EOF, FIN) */
  SB_EVENT_HALF_CLOSED,   /* we shut down our write side */
  SB_EVENT_RESET,         /* the connection was reset (RST) */
  SB_EVENT_DISCONNECTED,  /* we closed the connection */
  SB_EVENT_ERROR,         /* an error; the payload is its message */
  SB_EVENT_INFO,          /* anything else worth showing; the payload says what */
  SB_EVENT_STOPPED,       /* the session stopped */
  SB_EVENT_TLS,           /* a TLS handshake ended; the payload says how (version, cipher, ALPN) */
  SB_EVENT_CERTIFICATE,   /* a certificate the peer showed, one line per field (sb-tls.h) */
  SB_EVENT_WARNING,       /* something done that is not safe (an invalid certificate accepted) */
  SB_EVENT_FAULT,         /* a relay changed, held or dropped bytes on purpose; the payload says what */
} SbEventKind;

#define SB_EVENT_LAST SB_EVENT_FAULT

#define SB_HISTORY_DEFAULT_MAX_RECORDS 1000000
#define SB_HISTORY_DEFAULT_MAX_BYTES   (256 * 1024 * 1024)

#define SB_TYPE_HISTORY (sb_history_get_type ())
G_DECLARE_FINAL_TYPE (SbHistory, sb_history, SB, HISTORY, GObject)

#define SB_TYPE_HISTORY_ITEM (sb_history_item_get_type ())
G_DECLARE_FINAL_TYPE (SbHistoryItem, sb_history_item, SB, HISTORY_ITEM, GObject)

/*
 * SbHistory is a GListModel of SbHistoryItem. Records live in a compact store;
 * items are made on demand by get_item. Appends are coalesced: items-changed
 * is emitted from an idle (or by sb_history_flush()), once for the records
 * dropped at the front and once for those added at the end.
 *
 * Every record has a serial number, counting from 0 in append order and never
 * reused; position = serial - first serial still stored.
 *
 * Announced vs stored: appends and caps change the store at once (memory
 * stays bounded even if the idle cannot run), but positions, get_n_items and
 * n-records follow what items-changed has announced. A position whose record
 * was dropped but whose removal is not yet announced answers as an empty
 * record: time 0, direction event, event none, peer 0, no data (NULL from
 * peek/dup, an item whose data is NULL, "" from decode).
 *
 * The flush idle runs at G_PRIORITY_HIGH_IDLE + 10, just above GTK's layout
 * and paint, so a frame shows the rows appended before it.
 *
 * Properties: "n-records", "n-bytes", "n-dropped" (notified at the flush,
 * never per append), "n-cleared" (at the clear), "max-records", "max-bytes"
 * (read-write).
 */
SbHistory    *sb_history_new                (void);
/* @max_records >= 1. The newest record is always kept, even alone larger than
 * @max_bytes. Lowering a cap drops the oldest records and announces it at once. */
void          sb_history_set_limits         (SbHistory     *self,
                                             guint          max_records,
                                             gsize          max_bytes);
guint         sb_history_get_max_records    (SbHistory     *self);
gsize         sb_history_get_max_bytes      (SbHistory     *self);

/* Interns a peer label ("127.0.0.1:5000"); returns its id, never 0.
 * Id 0 means "no peer" (events of the session itself). */
guint         sb_history_intern_peer        (SbHistory     *self,
                                             const char    *label);
/* Returns the label of @peer_id, or "" for 0 and for a peer whose label is
 * gone (no stored record refers to it). Owned by the history. */
const char   *sb_history_get_peer_label     (SbHistory     *self,
                                             guint          peer_id);
/* A live peer holds its label so it outlives the records that use it. */
void          sb_history_hold_peer          (SbHistory     *self,
                                             guint          peer_id);
void          sb_history_release_peer       (SbHistory     *self,
                                             guint          peer_id);
/* Labels the history keeps now (id 0 not counted). */
guint         sb_history_get_n_peer_labels  (SbHistory     *self);

/* Appends a record, copying @data. Returns its serial. */
guint64       sb_history_append             (SbHistory     *self,
                                             gint64         time_us,
                                             SbDirection    direction,
                                             SbEventKind    event,
                                             guint          peer_id,
                                             const guint8  *data,
                                             gsize          len);
/* Appends an event record whose payload is the UTF-8 @message. */
guint64       sb_history_append_event       (SbHistory     *self,
                                             SbEventKind    event,
                                             guint          peer_id,
                                             const char    *message);

/* Emits pending items-changed now. */
void          sb_history_flush              (SbHistory     *self);
/* A new source, not attached, with no callback, that is ready when a
 * threaded history announces next (at once when it may now), at the
 * history's priority. What announces with the history (the trace) waits
 * for it, so that both reach the window in one main-loop iteration and one
 * frame. */
GSource      *sb_history_create_flush_source (SbHistory    *self);
/* Removes every record; they are counted as cleared, not dropped. */
void          sb_history_clear              (SbHistory     *self);

/* Records currently stored, as the model sees them after the last flush. */
guint         sb_history_get_n_records      (SbHistory     *self);
/* Payload bytes in the store now (flushed or not). */
gsize         sb_history_get_n_bytes        (SbHistory     *self);
/* Records dropped by the caps / removed by clear, since creation. */
guint64       sb_history_get_n_dropped      (SbHistory     *self);
guint64       sb_history_get_n_cleared      (SbHistory     *self);
/* Serial of the record at position 0, and of the next record to be appended
 * (the store's: until the flush it may be ahead of first + n_records). */
guint64       sb_history_get_first_serial   (SbHistory     *self);
/* The serial of the oldest record still stored: ahead of the first serial
 * while the drop of older records is not yet announced. */
guint64       sb_history_get_stored_first_serial (SbHistory *self);
guint64       sb_history_get_next_serial    (SbHistory     *self);

/* Accessors by position (0 … n_records-1, model positions). */
guint64       sb_history_get_serial         (SbHistory     *self,
                                             guint          position);
gint64        sb_history_get_time           (SbHistory     *self,
                                             guint          position);
SbDirection   sb_history_get_direction      (SbHistory     *self,
                                             guint          position);
SbEventKind   sb_history_get_event          (SbHistory     *self,
                                             guint          position);
guint         sb_history_get_peer           (SbHistory     *self,
                                             guint          position);
/* Returns the payload, NULL if the record is already dropped. Payloads never
 * move: it stays valid until the record is dropped (by an append over a cap,
 * or a lower cap) or cleared. */
const guint8 *sb_history_peek_data          (SbHistory     *self,
                                             guint          position,
                                             gsize         *len);
GBytes       *sb_history_dup_data           (SbHistory     *self,
                                             guint          position);
/* Finds the position of @serial; FALSE if it was dropped or is not yet visible. */
gboolean      sb_history_find_serial        (SbHistory     *self,
                                             guint64        serial,
                                             guint         *position);

/* Decodes the record at @position as a view: a character split across this
 * record and the previous record of the same peer and direction is shown
 * whole in this one (and its first bytes are not shown in the previous one
 * while this one exists). Events are returned as their message. Newly allocated.
 *
 * A stream is one (peer, direction); connection events (listening, connected,
 * reset, disconnected, stopped; peer-closed for rx, half-closed for tx) end it,
 * for every peer when their peer is 0. Decode looks back at least 4 records of
 * the stream, further while they are tiny. "hex" formats the record's own
 * bytes; an encoding the codec does not support falls back to hex. This is
 * sb_stream_decode_append() over the store: an export of the same records
 * (sb-export.h) reads the same. */
char         *sb_history_decode             (SbHistory     *self,
                                             guint          position,
                                             const char    *encoding,
                                             SbDecodeFlags  flags,
                                             GArray        *marks);

/* As sb_history_decode(), from at most the first @max_bytes of the record:
 * what a cell needs of a 64 KiB record, at the cost of those bytes only. A
 * character cut at @max_bytes is left out; *@truncated (if given) is set to
 * whether bytes were left. Newly allocated. */
char         *sb_history_decode_prefix      (SbHistory     *self,
                                             guint          position,
                                             const char    *encoding,
                                             SbDecodeFlags  flags,
                                             GArray        *marks,
                                             gsize          max_bytes,
                                             gboolean      *truncated);

/* What the text of the record at @position covers besides its own bytes,
 * as sb_history_decode() shows it in @encoding: the carried bytes of the
 * previous records of its stream, and how many of its last bytes the next
 * record shows. FALSE if the record is dropped, an event, or @encoding is hex
 * or not supported (the text is then the record's bytes alone). */
gboolean      sb_history_get_stream_span    (SbHistory     *self,
                                             guint          position,
                                             const char    *encoding,
                                             SbStreamSpan  *span);

/* The stream rules of the history for records copied out of it (an export
 * snapshot): add the records in order; each add returns the index of the
 * previous record of the same stream, or SB_STREAM_NO_RECORD (an event, an
 * empty record, the first record of a stream). Events end the streams they
 * concern, as in the history. */
/* Whether @event (of a peer, or of the whole session when its peer is 0)
 * ends the streams it concerns, and which: a connection boundary ends both
 * directions, the peer's EOF its received stream, our half-close the sent
 * one. Bytes after a boundary never continue a character or a frame cut
 * before it. The one rule for the history's decode and for framing. */
gboolean      sb_event_kind_ends_streams    (SbEventKind    event,
                                             gboolean      *rx,
                                             gboolean      *tx);

typedef struct _SbStreamLinks SbStreamLinks;

SbStreamLinks *sb_stream_links_new          (void);
void          sb_stream_links_free          (SbStreamLinks *links);
void          sb_stream_links_clear         (SbStreamLinks *links);
/* Ends both streams of @peer and forgets them. */
void          sb_stream_links_forget_peer   (SbStreamLinks *links,
                                             guint          peer);
guint64       sb_stream_links_add           (SbStreamLinks *links,
                                             guint64        index,
                                             SbDirection    direction,
                                             SbEventKind    event,
                                             guint          peer,
                                             gsize          length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbStreamLinks, sb_stream_links_free)

/* SbHistoryItem: a view of one record; it stays valid (returning its last
 * values) even after the record is dropped from the store. */
SbHistory    *sb_history_item_get_history   (SbHistoryItem *self);
guint64       sb_history_item_get_serial    (SbHistoryItem *self);
gint64        sb_history_item_get_time      (SbHistoryItem *self);
SbDirection   sb_history_item_get_direction (SbHistoryItem *self);
SbEventKind   sb_history_item_get_event     (SbHistoryItem *self);
guint         sb_history_item_get_peer      (SbHistoryItem *self);
const char   *sb_history_item_get_peer_label (SbHistoryItem *self);
gsize         sb_history_item_get_length    (SbHistoryItem *self);
/* Returns the payload bytes, or NULL if the record was dropped. */
GBytes       *sb_history_item_dup_data      (SbHistoryItem *self);

const char   *sb_direction_to_string        (SbDirection    direction);  /* "rx", "tx", "event" */
const char   *sb_event_kind_to_string       (SbEventKind    event);      /* "connected", … */
/* The kind for people ("Connection reset"), translated; "" for none and info. */
const char   *sb_event_kind_get_label       (SbEventKind    event);

/* Appended on another thread (an engine's) than the one that made it and
 * reads its positions: dropped records are freed at the owner's flush, and
 * announcements are spaced (see sb-history-private.h, "Threads"). */
void          sb_history_set_threaded       (SbHistory     *self,
                                             gboolean       threaded);

G_END_DECLS
