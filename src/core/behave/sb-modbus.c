/* sb-modbus.c — Modbus/TCP and Modbus RTU requests as templates, answers explained
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A function is a row: its code, name, and the layouts of its request and
 * its answer after the unit id and function code. A layout is fields
 * separated by blanks:
 *   NAME:u8 / NAME:u16       a number (big-endian, as Modbus has them)
 *   NAME:u16*                a list of registers (to the end, or as long
 *                            as a size() field before it says)
 *   count(LIST):u16          how many items LIST has
 *   size(LIST):u8            how many bytes LIST takes
 * Names that mean something to the decoder: address, count, value, values.
 */
#define G_LOG_DOMAIN "sb-modbus"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sb-checksum.h"
#include "sb-modbus.h"

typedef struct
{
  guint8      code;
  const char *name;
  const char *title;      /* N_() */
  const char *request;
  const char *response;
} Function;

static const Function functions[] = {
  { 3,  "read-holding-registers",   N_("Read holding registers"),
    "address:u16 count:u16",        "size(values):u8 values:u16*" },
  { 4,  "read-input-registers",     N_("Read input registers"),
    "address:u16 count:u16",        "size(values):u8 values:u16*" },
  { 6,  "write-single-register",    N_("Write single register"),
    "address:u16 value:u16",        "address:u16 value:u16" },
  { 16, "write-multiple-registers", N_("Write multiple registers"),
    "address:u16 count(values):u16 size(values):u8 values:u16*", "address:u16 count:u16" },
};

static const struct
{
  guint8      code;
  const char *text;   /* N_() */
} exceptions[] = {
  { 1,  N_("illegal function (the device does not do this function)") },
  { 2,  N_("illegal data address (the address, or address + count, is not one the device has)") },
  { 3,  N_("illegal data value (a value or count in the request is not allowed)") },
  { 4,  N_("server device failure (the device failed while doing it)") },
  { 5,  N_("acknowledge (accepted; it takes a while)") },
  { 6,  N_("server device busy (try again later)") },
  { 8,  N_("memory parity error (the device's record is damaged)") },
  { 10, N_("gateway path unavailable (the gateway cannot reach that unit)") },
  { 11, N_("gateway target device failed to respond (no answer behind the gateway)") },
};

G_DEFINE_QUARK (sb-modbus-error-quark, sb_modbus_error)

const char *
sb_modbus_framing_to_string (SbModbusFraming framing)
{
  return framing == SB_MODBUS_RTU ? "modbus-rtu" : "modbus-tcp";
}

gboolean
sb_modbus_framing_from_string (const char      *text,
                               SbModbusFraming *framing)
{
  if (g_ascii_strcasecmp (text, "modbus-tcp") == 0)
    *framing = SB_MODBUS_TCP;
  else if (g_ascii_strcasecmp (text, "modbus-rtu") == 0)
    *framing = SB_MODBUS_RTU;
  else
    return FALSE;
  return TRUE;
}

const char *
sb_modbus_framing_get_check (SbModbusFraming framing)
{
  return framing == SB_MODBUS_RTU ? "crc-16/modbus" : NULL;
}

const char * const *
sb_modbus_list_requests (void)
{
  static const char *names[G_N_ELEMENTS (functions) + 1];
  static gsize done;

  if (g_once_init_enter (&done))
    {
      for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
        names[i] = functions[i].name;
      g_once_init_leave (&done, 1);
    }
  return names;
}

static const Function *
find_by_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    if (g_ascii_strcasecmp (functions[i].name, name) == 0)
      return &functions[i];
  return NULL;
}

static const Function *
find_by_code (guint8 code)
{
  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    if (functions[i].code == code)
      return &functions[i];
  return NULL;
}

const char *
sb_modbus_request_get_title (const char *request)
{
  const Function *f = find_by_name (request);

  return f ? _(f->title) : NULL;
}

const char *
sb_modbus_request_get_fields (const char *request)
{
  const Function *f = find_by_name (request);

  if (f == NULL)
    return NULL;
  switch (f->code)
    {
    case 6:
      return "unit=N address=N value=N";
    case 16:
      return "unit=N address=N values=N,N,…";
    default:
      return "unit=N address=N count=N";
    }
}

const char *
sb_modbus_exception_describe (guint8 code)
{
  for (guint i = 0; i < G_N_ELEMENTS (exceptions); i++)
    if (exceptions[i].code == code)
      return _(exceptions[i].text);
  return _("an exception Modbus does not define");
}

/* Layout fields */

typedef enum
{
  FIELD_NUMBER,
  FIELD_LIST,
  FIELD_COUNT,
  FIELD_SIZE,
} FieldKind;

typedef struct
{
  FieldKind kind;
  char     *name;    /* the field, or the list a count / size is of */
  guint     size;    /* bytes of the number, or of one list item */
} Field;

static void
field_clear (gpointer data)
{
  g_free (((Field *) data)->name);
}

static GArray *
layout_parse (const char *layout)
{
  g_auto(GStrv) tokens = g_strsplit (layout, " ", -1);
  GArray *fields = g_array_new (FALSE, TRUE, sizeof (Field));

  g_array_set_clear_func (fields, field_clear);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      const char *colon = strrchr (tokens[i], ':');
      const char *type = colon + 1;
      g_autofree char *name = g_strndup (tokens[i], colon - tokens[i]);
      Field field = { FIELD_NUMBER, NULL, type[1] == '8' ? 1 : 2 };

      if (g_str_has_suffix (type, "*"))
        field.kind = FIELD_LIST;
      if (g_str_has_prefix (name, "count(") || g_str_has_prefix (name, "size("))
        {
          field.kind = name[0] == 'c' ? FIELD_COUNT : FIELD_SIZE;
          field.name = g_strndup (strchr (name, '(') + 1, strlen (strchr (name, '(') + 1) - 1);
        }
      else
        field.name = g_steal_pointer (&name);
      g_array_append_val (fields, field);
    }
  return fields;
}

static gboolean
parse_number (const char *text,
              guint64     max,
              guint64    *value)
{
  char *end = NULL;

  if (!g_ascii_isdigit (text[0]))
    return FALSE;
  errno = 0;
  *value = g_ascii_strtoull (text, &end, 0);
  return errno == 0 && *end == '\0' && *value <= max;
}

static void
append_number (GString *out,
               guint64  value,
               guint    size)
{
  for (guint i = size; i > 0; i--)
    g_string_append_printf (out, " %02x", (guint) (value >> (8 * (i - 1))) & 0xff);
}

static glong
utf8_error_position (const char *text)
{
  const char *stop = NULL;

  g_utf8_validate (text, -1, &stop);
  return g_utf8_pointer_to_offset (text, stop) + 1;
}

char *
sb_modbus_request_template (SbModbusFraming   framing,
                            const char       *line,
                            GError          **error)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GHashTable) args = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) fields = NULL;
  g_autoptr(GString) pdu = NULL;
  const Function *f;
  guint64 unit = 1;
  guint n_words;

  g_return_val_if_fail (line != NULL, NULL);

  if (!g_utf8_validate (line, -1, NULL))
    {
      g_set_error (error, SB_MODBUS_ERROR, SB_MODBUS_ERROR_INVALID,
                   _("The text is not valid UTF-8 at position %ld"), utf8_error_position (line));
      return NULL;
    }

  words = g_strsplit_set (line, " \t", -1);
  n_words = g_strv_length (words);
  f = n_words > 0 ? find_by_name (words[0]) : NULL;
  if (f == NULL)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) sb_modbus_list_requests ());

      g_set_error (error, SB_MODBUS_ERROR, SB_MODBUS_ERROR_INVALID,
                   _("“%s” is not a Modbus request; these are: %s"),
                   n_words > 0 ? words[0] : "", known);
      return NULL;
    }

  fields = layout_parse (f->request);
  for (guint i = 1; i < n_words; i++)
    {
      char *eq = strchr (words[i], '=');
      gboolean known = FALSE;

      if (*words[i] == '\0')
        continue;
      if (eq != NULL)
        {
          *eq = '\0';
          known = strcmp (words[i], "unit") == 0;
          for (guint k = 0; k < fields->len && !known; k++)
            {
              Field *field = &g_array_index (fields, Field, k);

              known = (field->kind == FIELD_NUMBER || field->kind == FIELD_LIST) &&
                      strcmp (field->name, words[i]) == 0;
            }
        }
      if (!known)
        {
          g_set_error (error, SB_MODBUS_ERROR, SB_MODBUS_ERROR_INVALID,
                       _("“%s” is not a field of %s; it takes %s"),
                       words[i], f->name, sb_modbus_request_get_fields (f->name));
          return NULL;
        }
      g_hash_table_insert (args, words[i], eq + 1);
    }

  if (g_hash_table_contains (args, "unit") &&
      !parse_number (g_hash_table_lookup (args, "unit"), 255, &unit))
    {
      g_set_error (error, SB_MODBUS_ERROR, SB_MODBUS_ERROR_INVALID,
                   _("“%s” is not a number from 0 to %u for %s"),
                   (const char *) g_hash_table_lookup (args, "unit"), 255, "unit");
      return NULL;
    }

  pdu = g_string_new (NULL);
  g_string_append_printf (pdu, "%02x %02x", (guint) unit, f->code);
  for (guint i = 0; i < fields->len; i++)
    {
      Field *field = &g_array_index (fields, Field, i);
      const char *value = g_hash_table_lookup (args, field->name);
      guint64 max = field->size == 1 ? 0xff : 0xffff;

      if (field->kind == FIELD_COUNT || field->kind == FIELD_SIZE)
        {
          g_auto(GStrv) items = NULL;
          guint64 n;

          value = g_hash_table_lookup (args, field->name);
          items = value ? g_strsplit (value, ",", -1) : g_new0 (char *, 1);
          n = g_strv_length (items);
          if (field->kind == FIELD_SIZE)
            n *= 2;
          if (n > max)
            {
              g_set_error (error, SB_MODBUS_ERROR, SB_MODBUS_ERROR_INVALID,
                           _("Too many values for %s: %u at most"), f->name, (guint) (max / 2));
              return NULL;
            }
          append_number (pdu, n, field->size);
          continue;
        }

      if (value == NULL || *value == '\0')
        {
          g_set_error (error, SB_MODBUS_ERROR, SB_MODBUS_ERROR_INVALID,
                       _("%s needs %s=…; it takes %s"),
                       f->name, field->name, sb_modbus_request_get_fields (f->name));
          return NULL;
        }

      {
        g_auto(GStrv) items = field->kind == FIELD_LIST ? g_strsplit (value, ",", -1)
                                                        : g_strsplit (value, "\n", 1);

        for (guint k = 0; items[k] != NULL; k++)
          {
            guint64 number;

            if (!parse_number (items[k], max, &number))
              {
                g_set_error (error, SB_MODBUS_ERROR, SB_MODBUS_ERROR_INVALID,
                             _("“%s” is not a number from 0 to %u for %s"),
                             items[k], (guint) max, field->name);
                return NULL;
              }
            append_number (pdu, number, field->size);
          }
      }
    }

  if (framing == SB_MODBUS_RTU)
    return g_strdup_printf ("%s ${crc-16/modbus}", pdu->str);
  return g_strdup_printf ("${seq:id=modbus-tid:u16} 00 00 ${len:u16} ${begin}%s", pdu->str);
}

/* Decoding */

G_GNUC_PRINTF (2, 3) static gboolean
bad_frame (GError    **error,
           const char *format,
           ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, SB_MODBUS_ERROR, SB_MODBUS_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
decode_layout (const Function *f,
               const char     *layout,
               const guint8   *data,
               gsize           len,
               SbModbusFrame  *frame,
               GError        **error)
{
  g_autoptr(GArray) fields = layout_parse (layout);
  gsize at = 0;
  gssize list_bytes = -1;

  for (guint i = 0; i < fields->len; i++)
    {
      Field *field = &g_array_index (fields, Field, i);

      if (field->kind == FIELD_LIST)
        {
          gsize n = list_bytes >= 0 ? (gsize) list_bytes : len - at;

          if (n > len - at || n % field->size != 0)
            return bad_frame (error, _("%s: the frame has %lu bytes of registers, not the %lu it says"),
                              _(f->title), (gulong) (len - at), (gulong) n);
          for (gsize k = 0; k < n; k += field->size)
            {
              guint16 v = (guint16) sb_get_uint (data + at + k, field->size, SB_BYTE_ORDER_BIG);

              g_array_append_val (frame->values, v);
            }
          at += n;
          if (frame->count < 0)
            frame->count = (gint) frame->values->len;
          continue;
        }

      if (len - at < field->size)
        return bad_frame (error, _("%s: the frame ends before its field “%s”"), _(f->title),
                          field->kind == FIELD_NUMBER ? field->name
                          : field->kind == FIELD_COUNT ? "count" : "size");
      {
        guint value = (guint) sb_get_uint (data + at, field->size, SB_BYTE_ORDER_BIG);

        at += field->size;
        if (field->kind == FIELD_SIZE)
          list_bytes = value;
        else if (field->kind == FIELD_COUNT || strcmp (field->name, "count") == 0)
          frame->count = (gint) value;
        else if (strcmp (field->name, "address") == 0)
          frame->address = (gint) value;
        else
          {
            guint16 v = (guint16) value;

            g_array_append_val (frame->values, v);
          }
      }
    }

  if (at != len)
    return bad_frame (error, g_dngettext (GETTEXT_PACKAGE,
                                          "%s: %lu byte more than the frame should have",
                                          "%s: %lu bytes more than the frame should have", len - at),
                      _(f->title), (gulong) (len - at));
  return TRUE;
}

gboolean
sb_modbus_decode (SbModbusFraming    framing,
                  SbModbusDirection  direction,
                  const guint8      *data,
                  gsize              len,
                  SbModbusFrame     *frame,
                  GError           **error)
{
  const guint8 *pdu;
  gsize pdu_len;
  const Function *f;
  guint8 code;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  memset (frame, 0, sizeof *frame);
  frame->transaction = -1;
  frame->address = -1;
  frame->count = -1;
  frame->values = g_array_new (FALSE, FALSE, sizeof (guint16));

  if (framing == SB_MODBUS_TCP)
    {
      guint protocol, length;

      if (len < 8)
        return bad_frame (error, _("A Modbus/TCP frame has at least 8 bytes, not %lu"), (gulong) len);
      frame->transaction = (gint) sb_get_uint (data, 2, SB_BYTE_ORDER_BIG);
      protocol = (guint) sb_get_uint (data + 2, 2, SB_BYTE_ORDER_BIG);
      length = (guint) sb_get_uint (data + 4, 2, SB_BYTE_ORDER_BIG);
      if (protocol != 0)
        return bad_frame (error, _("The protocol id is %u, not 0: this is not Modbus"), protocol);
      if (length != len - 6)
        return bad_frame (error, _("The MBAP header says %u bytes follow, but %lu do"),
                          length, (gulong) (len - 6));
      frame->unit = data[6];
      pdu = data + 7;
      pdu_len = len - 7;
    }
  else
    {
      g_autoptr(SbCheckSpec) spec = sb_check_spec_parse ("crc-16/modbus", NULL);
      SbCheckResult result;

      if (len < 4)
        return bad_frame (error, _("A Modbus RTU frame has at least 4 bytes, not %lu"), (gulong) len);
      if (sb_check_spec_verify (spec, data, len, &result) != SB_CHECK_OK)
        {
          g_autofree char *why = sb_check_result_describe (spec, &result, len);

          return bad_frame (error, "%s", why);
        }
      frame->unit = data[0];
      pdu = data + 1;
      pdu_len = len - 3;
    }

  code = pdu[0];
  frame->function = code & 0x7f;
  f = find_by_code (frame->function);
  if (code & 0x80)
    {
      if (pdu_len != 2)
        return bad_frame (error, _("An exception response has a function code and an exception code, %lu bytes here"),
                          (gulong) pdu_len);
      frame->exception = pdu[1];
      return TRUE;
    }
  if (f == NULL)
    return bad_frame (error, _("Function %u is not one Sockbench reads"), code);

  return decode_layout (f, direction == SB_MODBUS_REQUEST ? f->request : f->response,
                        pdu + 1, pdu_len - 1, frame, error);
}

void
sb_modbus_frame_clear (SbModbusFrame *frame)
{
  g_return_if_fail (frame != NULL);
  g_clear_pointer (&frame->values, g_array_unref);
}

char *
sb_modbus_describe (SbModbusFraming    framing,
                    SbModbusDirection  direction,
                    const guint8      *data,
                    gsize              len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *who = NULL;
  const Function *f;
  const char *title;
  SbModbusFrame frame;

  if (!sb_modbus_decode (framing, direction, data, len, &frame, &error))
    {
      sb_modbus_frame_clear (&frame);
      return g_strdup (error->message);
    }

  f = find_by_code (frame.function);
  title = f != NULL ? _(f->title) : NULL;
  who = frame.transaction >= 0
          ? g_strdup_printf (_("Unit %u, transaction %d"), frame.unit, frame.transaction)
          : g_strdup_printf (_("Unit %u"), frame.unit);

  if (frame.exception != 0)
    {
      g_autofree char *what = title ? g_strdup (title) : g_strdup_printf (_("function %u"), frame.function);

      g_string_printf (out, _("%s: exception %u to %s: %s"), who, frame.exception, what,
                       sb_modbus_exception_describe (frame.exception));
      sb_modbus_frame_clear (&frame);
      return g_strdup (out->str);
    }

  g_string_printf (out, "%s: %s", who, title);
  if (frame.address >= 0)
    g_string_append_printf (out, _(", address %d"), frame.address);
  if (frame.count >= 0)
    g_string_append_printf (out, g_dngettext (GETTEXT_PACKAGE, ", %d register", ", %d registers", frame.count),
                            frame.count);
  if (frame.values->len > 0)
    {
      g_string_append (out, ": ");
      for (guint i = 0; i < frame.values->len; i++)
        g_string_append_printf (out, i ? ", %u" : "%u", g_array_index (frame.values, guint16, i));
    }

  sb_modbus_frame_clear (&frame);
  return g_strdup (out->str);
}
