/* sb-modbus.h — Modbus/TCP and Modbus RTU requests as templates, answers explained
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests are written as one line: a request name and KEY=VALUE fields,
 *   read-holding-registers unit=1 address=0 count=10
 *   write-single-register unit=1 address=5 value=0x1234
 *   write-multiple-registers unit=1 address=100 values=1,2,3
 * and become hex templates (sb-template.h) for the framing:
 *   Modbus/TCP  ${seq:id=modbus-tid:u16} 00 00 ${len:u16} ${begin}01 03 00 00 00 0a
 *               (MBAP: transaction id from the page's counter, protocol 0,
 *               the length of what follows)
 *   Modbus RTU  01 03 00 00 00 0a ${crc-16/modbus}
 * Functions are rows of a table whose request and answer layouts are data
 * (sb-modbus.c), so another function or register kind is one more row.
 *
 * Any thread: pure functions.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SB_MODBUS_ERROR (sb_modbus_error_quark ())

typedef enum
{
  SB_MODBUS_ERROR_INVALID,   /* a request line or a frame that cannot be read; the message says why */
} SbModbusError;

typedef enum
{
  SB_MODBUS_TCP,   /* "modbus-tcp": MBAP header, no checksum */
  SB_MODBUS_RTU,   /* "modbus-rtu": unit, PDU, CRC-16/MODBUS little-endian */
} SbModbusFraming;

typedef enum
{
  SB_MODBUS_REQUEST,    /* from the client (master) */
  SB_MODBUS_RESPONSE,   /* from the device */
} SbModbusDirection;

/* One decoded frame. */
typedef struct
{
  gint      transaction;   /* MBAP transaction id; -1 for RTU */
  guint8    unit;
  guint8    function;      /* without the exception bit */
  guint8    exception;     /* 0, or the exception code of an exception response */
  gint      address;       /* -1 when the frame has none */
  gint      count;         /* registers, -1 when the frame has none */
  GArray   *values;        /* guint16 register values; empty when none */
} SbModbusFrame;

GQuark              sb_modbus_error_quark        (void);

/* "modbus-tcp" / "modbus-rtu". */
const char         *sb_modbus_framing_to_string  (SbModbusFraming     framing);
gboolean            sb_modbus_framing_from_string (const char         *text,
                                                  SbModbusFraming    *framing);
/* The check spec answers in this framing carry ("crc-16/modbus"), or NULL. Static. */
const char         *sb_modbus_framing_get_check  (SbModbusFraming     framing);

/* The request names ("read-holding-registers", …), NULL-terminated. Static. */
const char * const *sb_modbus_list_requests      (void);
/* What a request does, translated ("Read holding registers"), or NULL. */
const char         *sb_modbus_request_get_title  (const char         *request);
/* Its fields, as a hint ("unit=N address=N count=N"). Static, or NULL. */
const char         *sb_modbus_request_get_fields (const char         *request);

/* Returns the hex template of the request @line in @framing, or NULL with an
 * error naming the field. Newly allocated. */
char               *sb_modbus_request_template   (SbModbusFraming     framing,
                                                  const char         *line,
                                                  GError            **error);

/* Reads @data as a frame; on success fills @frame (clear it with
 * sb_modbus_frame_clear()). Fails for a bad CRC, a wrong MBAP length, an
 * unknown function or a short frame, saying which. */
gboolean            sb_modbus_decode             (SbModbusFraming     framing,
                                                  SbModbusDirection   direction,
                                                  const guint8       *data,
                                                  gsize               len,
                                                  SbModbusFrame      *frame,
                                                  GError            **error);
void                sb_modbus_frame_clear        (SbModbusFrame      *frame);

/* A line for people: "Unit 1, transaction 1: read holding registers: 3 registers: 10, 20, 65535",
 * "Unit 1: exception 2 to write single register: illegal data address (…)",
 * or why the frame cannot be read. Newly allocated, translated. */
char               *sb_modbus_describe           (SbModbusFraming     framing,
                                                  SbModbusDirection   direction,
                                                  const guint8       *data,
                                                  gsize               len);
/* What exception @code means ("illegal data address: …"), translated. Static. */
const char         *sb_modbus_exception_describe (guint8              code);

G_END_DECLS
