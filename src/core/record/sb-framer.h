/* sb-framer.h — messages out of a byte stream: framing rules and their state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A framer is an immutable rule that cuts a byte stream into messages
 * (frames). It is written as a spec string, the one presets and --frame store:
 *
 *   none                  one frame per read
 *   delim:HEX[:strip]     ends after the delimiter bytes (delim:0d0a, delim:7e)
 *   line[:strip]          ends after \n (a \r before it is part of the end)
 *   fixed:N               N bytes each
 *   len:SIZE:be|le[:OFFSET[:ADJUST]][:incl]
 *                         a SIZE-byte (1, 2, 4) length field at OFFSET; the
 *                         body after the field is LENGTH + ADJUST bytes, or
 *                         with incl the whole frame is (the length counts the
 *                         header). The frame holds the field and what precedes it.
 *   gap:MS                a new frame after MS milliseconds of silence
 *   marker:HEX            each frame starts with the marker; bytes before the
 *                         first marker (or after a cut) are skipped and counted
 *   slip, cobs            RFC 1055 SLIP, COBS (delimited by 00); the payload is decoded
 *   json                  one JSON value each (whitespace between them is no frame)
 *   jsonl                 one line each, which should hold one JSON value
 *
 * Every kind takes a last option max=N (bytes, default 1 MiB): a frame that
 * grows past it is cut there and flagged. "strip" keeps the raw frame as on
 * the wire and leaves the delimiter out of the payload only.
 *
 * Thread-safe (immutable once made); a state is used by one thread.
 */

#define SB_FRAMER_DEFAULT_MAX_FRAME (1024 * 1024)
/* Longest delimiter or marker. */
#define SB_FRAMER_MAX_PATTERN 64

typedef enum
{
  SB_FRAMER_NONE,
  SB_FRAMER_DELIMITER,
  SB_FRAMER_LINE,
  SB_FRAMER_FIXED,
  SB_FRAMER_LENGTH,
  SB_FRAMER_GAP,
  SB_FRAMER_MARKER,
  SB_FRAMER_SLIP,
  SB_FRAMER_COBS,
  SB_FRAMER_JSON,
  SB_FRAMER_JSON_LINES,
} SbFramerKind;

typedef enum
{
  SB_FRAME_COMPLETE,
  SB_FRAME_INCOMPLETE,   /* still waiting for bytes (or its stream ended first) */
  SB_FRAME_CUT,          /* a piece of a frame longer than the limit */
  SB_FRAME_INVALID,      /* delimited, but its contents break the framing */
} SbFrameStatus;

typedef enum
{
  SB_FRAME_FLAG_NONE         = 0,
  SB_FRAME_FLAG_CONTINUATION = 1 << 0,  /* the rest of a frame cut before */
  SB_FRAME_FLAG_HEAD_DROPPED = 1 << 1,  /* its first bytes left the history */
  SB_FRAME_FLAG_STREAM_ENDED = 1 << 2,  /* ended by the end of its stream */
} SbFrameFlags;

/* Why a frame ended where it did (or what an incomplete one waits for). */
typedef enum
{
  SB_FRAME_REASON_NONE,
  SB_FRAME_REASON_READ,          /* none: one read */
  SB_FRAME_REASON_DELIMITER,     /* detail: for line, 1 = \n, 2 = \r\n */
  SB_FRAME_REASON_FIXED,
  SB_FRAME_REASON_LENGTH_FIELD,  /* the length field is not complete yet */
  SB_FRAME_REASON_LENGTH,        /* detail: the length field's value */
  SB_FRAME_REASON_BAD_LENGTH,    /* detail: the value; frame shorter than its header */
  SB_FRAME_REASON_GAP,           /* detail: the silence after it, ms */
  SB_FRAME_REASON_MARKER,
  SB_FRAME_REASON_SLIP,          /* detail: decoded bytes */
  SB_FRAME_REASON_BAD_SLIP,      /* detail: offset of the bad escape in the frame */
  SB_FRAME_REASON_COBS,          /* detail: decoded bytes */
  SB_FRAME_REASON_BAD_COBS,      /* detail: offset of the code that overruns */
  SB_FRAME_REASON_JSON,          /* detail: SbJsonKind */
  SB_FRAME_REASON_BAD_JSON,      /* detail: offset of the first error in the frame */
  SB_FRAME_REASON_JSON_LINE,     /* detail: JSON values in the line */
  SB_FRAME_REASON_LIMIT,         /* cut at the limit */
  SB_FRAME_REASON_STREAM_END,    /* its stream ended */
} SbFrameReason;

typedef enum
{
  SB_JSON_KIND_OBJECT = 1,
  SB_JSON_KIND_ARRAY,
  SB_JSON_KIND_STRING,
  SB_JSON_KIND_NUMBER,
  SB_JSON_KIND_LITERAL,
} SbJsonKind;

/* What a frame is, apart from where its bytes are. */
typedef struct
{
  guint64        length;    /* raw bytes, as on the wire */
  guint64        skipped;   /* garbage skipped just before it */
  guint64        missing;   /* incomplete: bytes still needed, 0 if not known */
  guint64        detail;    /* see SbFrameReason */
  SbFrameStatus  status;
  SbFrameReason  reason;
  SbFrameFlags   flags;
} SbFrameInfo;

#define SB_FRAMER_ERROR (sb_framer_error_quark ())

typedef enum
{
  SB_FRAMER_ERROR_INVALID_SPEC,
} SbFramerError;

GQuark        sb_framer_error_quark      (void);

#define SB_TYPE_FRAMER (sb_framer_get_type ())
typedef struct _SbFramer SbFramer;

GType         sb_framer_get_type         (void) G_GNUC_CONST;
/* Parses @spec. On failure the GError names the character position (1-based)
 * and what was expected there. Returns a new reference. */
SbFramer     *sb_framer_new_from_spec    (const char      *spec,
                                          GError         **error);
SbFramer     *sb_framer_ref              (SbFramer        *self);
void          sb_framer_unref            (SbFramer        *self);
/* The canonical spec: parsing it gives an equal framer. Newly allocated. */
char         *sb_framer_to_spec          (const SbFramer  *self);
gboolean      sb_framer_equal            (const SbFramer  *a,
                                          const SbFramer  *b);
SbFramerKind  sb_framer_get_kind         (const SbFramer  *self);
gsize         sb_framer_get_max_frame    (const SbFramer  *self);
/* gap: the silence in ms; fixed: the length; 0 otherwise. */
guint         sb_framer_get_number       (const SbFramer  *self);
/* What the rule does, for people ("2-byte big-endian length field"),
 * translated. Newly allocated. */
char         *sb_framer_describe         (const SbFramer  *self);

/* The payload of a raw frame: decoded for slip and cobs, without its
 * delimiter with strip, the raw bytes otherwise. Bytes that break the
 * encoding are kept as they are. */
GBytes       *sb_framer_decode_payload   (const SbFramer  *self,
                                          const guint8    *raw,
                                          gsize            len);
/* Why the frame split where it did, one line per fact, translated.
 * Newly allocated. */
char         *sb_framer_explain          (const SbFramer  *self,
                                          const SbFrameInfo *info);

/* Streaming: one state per stream (peer and direction). Positions in marks
 * count the bytes fed to the state since it was made or reset. A frame can
 * begin or end in bytes fed before (a marker split across reads), never
 * more than SB_FRAMER_MAX_PATTERN bytes back. */
typedef enum
{
  SB_FRAMER_MARK_BEGIN,  /* info.skipped, info.flags */
  SB_FRAMER_MARK_END,    /* everything else in info */
} SbFramerMarkKind;

typedef struct
{
  SbFramerMarkKind kind;
  guint64          position;   /* BEGIN: first byte; END: just past the last */
  SbFrameInfo      info;
} SbFramerMark;

typedef struct _SbFramerState SbFramerState;

SbFramerState *sb_framer_state_new       (SbFramer        *framer);
void          sb_framer_state_free       (SbFramerState   *self);
void          sb_framer_state_reset      (SbFramerState   *self);
/* Bytes fed since the state was made or reset. */
guint64       sb_framer_state_get_position (SbFramerState *self);
/* Frames @data (one read at @time_us, used by gap), appending SbFramerMarks
 * to @marks. */
void          sb_framer_state_feed       (SbFramerState   *self,
                                          const guint8    *data,
                                          gsize            len,
                                          gint64           time_us,
                                          GArray          *marks);
/* gap: ends the frame in progress if @now_us is at least the gap after its
 * last read. Returns the time it would end it at, or 0 if nothing waits. */
gint64        sb_framer_state_tick       (SbFramerState   *self,
                                          gint64           now_us,
                                          GArray          *marks);
/* The stream ended: a frame in progress ends (complete for gap, marker and a
 * bare JSON number, incomplete otherwise), and the state is reset. */
void          sb_framer_state_end        (SbFramerState   *self,
                                          GArray          *marks);
/* If a frame is in progress, fills @info (status incomplete, its length so
 * far and what it waits for), *@begin with its start, and returns TRUE. */
gboolean      sb_framer_state_get_pending (SbFramerState  *self,
                                           guint64        *begin,
                                           SbFrameInfo    *info);
/* TRUE when the state is as new: dropping it loses nothing. */
gboolean      sb_framer_state_is_idle    (SbFramerState   *self);

/* Frames handed out as they end, with their bytes (sb-framer-collector.h).
 * @data (@len bytes, info->length) is valid during the call only. Returns
 * FALSE to stop: the frames still to come from this call are not handed
 * out. The function may free the collector (it is freed once the call that
 * runs the function returns). */
typedef gboolean (*SbFramerFrameFunc) (const guint8      *data,
                                       gsize              len,
                                       const SbFrameInfo *info,
                                       gpointer           user_data);

typedef struct _SbFramerCollector SbFramerCollector;

/* Frames @data as one stream read in one go (for tests and tools): returns
 * the marks, ending the stream if @end. */
GArray       *sb_framer_split            (SbFramer        *self,
                                          const guint8    *data,
                                          gsize            len,
                                          gboolean         end);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbFramer, sb_framer_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbFramerState, sb_framer_state_free)

G_END_DECLS
