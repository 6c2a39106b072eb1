/* sb-framer.c — framing rules: spec strings, payloads and explanations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-framer"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-framer-private.h"

G_DEFINE_QUARK (sb-framer-error-quark, sb_framer_error)
G_DEFINE_BOXED_TYPE (SbFramer, sb_framer, sb_framer_ref, sb_framer_unref)

static const struct
{
  const char  *name;
  SbFramerKind kind;
} kind_names[] = {
  { "none", SB_FRAMER_NONE },
  { "delim", SB_FRAMER_DELIMITER },
  { "line", SB_FRAMER_LINE },
  { "fixed", SB_FRAMER_FIXED },
  { "len", SB_FRAMER_LENGTH },
  { "gap", SB_FRAMER_GAP },
  { "marker", SB_FRAMER_MARKER },
  { "slip", SB_FRAMER_SLIP },
  { "cobs", SB_FRAMER_COBS },
  { "json", SB_FRAMER_JSON },
  { "jsonl", SB_FRAMER_JSON_LINES },
};

#define MAX_GAP_MS   3600000
#define MAX_OFFSET   65536

static const char *
kind_name (SbFramerKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (kind_names[i].kind == kind)
      return kind_names[i].name;
  g_return_val_if_reached ("none");
}

/* Parsing */

typedef struct
{
  const char *spec;
  char       *text;   /* the field, nul-terminated */
  gsize       start;  /* byte offset of the field in spec */
} Field;

static void G_GNUC_PRINTF (4, 5)
spec_error (GError     **error,
            const char  *spec,
            gsize        byte_offset,
            const char  *format,
            ...)
{
  g_autofree char *what = NULL;
  glong position;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  position = g_utf8_validate (spec, byte_offset, NULL)
             ? g_utf8_strlen (spec, byte_offset) + 1
             : (glong) byte_offset + 1;
  /* Translators: "Frame spec “len:3:be”, at character 5: …" */
  g_set_error (error, SB_FRAMER_ERROR, SB_FRAMER_ERROR_INVALID_SPEC,
               _("Frame spec “%s”, at character %ld: %s"), spec, position, what);
}

static gboolean
parse_unsigned (const Field *field,
                guint64      min,
                guint64      max,
                const char  *what,
                guint64     *out,
                GError     **error)
{
  if (!g_ascii_string_to_unsigned (field->text, 10, min, max, out, NULL))
    {
      /* Translators: "the length must be a number from 1 to 1048576, not “x”" */
      spec_error (error, field->spec, field->start,
                  _("%s must be a whole number from %llu to %llu, not “%s”"),
                  what, (unsigned long long) min, (unsigned long long) max, field->text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_pattern (SbFramer    *self,
               const Field *field,
               GError     **error)
{
  const char *text = field->text;
  gsize n = strlen (text);

  if (g_str_has_prefix (text, "0x") || g_str_has_prefix (text, "0X"))
    {
      text += 2;
      n -= 2;
    }
  if (n == 0 || n % 2 != 0 || n / 2 > SB_FRAMER_MAX_PATTERN)
    {
      spec_error (error, field->spec, field->start,
                  _("expected 1 to %d bytes as pairs of hex digits (“0d0a”), not “%s”"),
                  SB_FRAMER_MAX_PATTERN, field->text);
      return FALSE;
    }
  for (gsize i = 0; i < n; i += 2)
    {
      int hi = g_ascii_xdigit_value (text[i]);
      int lo = g_ascii_xdigit_value (text[i + 1]);

      if (hi < 0 || lo < 0)
        {
          gsize bad = (gsize) (text - field->text) + i + (hi < 0 ? 0 : 1);

          spec_error (error, field->spec, field->start + bad,
                      _("“%c” is not a hex digit"), text[i + (hi < 0 ? 0 : 1)]);
          return FALSE;
        }
      self->pattern[i / 2] = (guint8) (hi << 4 | lo);
    }
  self->pattern_len = (guint) (n / 2);

  /* The KMP fallback table. */
  self->fallback[0] = 0;
  for (guint i = 1, k = 0; i < self->pattern_len; i++)
    {
      while (k > 0 && self->pattern[i] != self->pattern[k])
        k = self->fallback[k - 1];
      if (self->pattern[i] == self->pattern[k])
        k++;
      self->fallback[i] = (guint8) k;
    }
  return TRUE;
}

static SbFramer *
framer_new (SbFramerKind kind)
{
  SbFramer *self = g_new0 (SbFramer, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->max_frame = SB_FRAMER_DEFAULT_MAX_FRAME;
  if (kind == SB_FRAMER_LINE)
    {
      self->pattern[0] = '\n';
      self->pattern_len = 1;
    }
  return self;
}

static gboolean
parse_option (SbFramer    *self,
              const Field *field,
              GError     **error)
{
  if (g_str_equal (field->text, "strip") &&
      (self->kind == SB_FRAMER_DELIMITER || self->kind == SB_FRAMER_LINE))
    {
      self->strip = TRUE;
      return TRUE;
    }
  if (g_str_equal (field->text, "incl") && self->kind == SB_FRAMER_LENGTH)
    {
      self->counts_header = TRUE;
      return TRUE;
    }
  if (g_str_has_prefix (field->text, "max="))
    {
      Field value = { field->spec, field->text + 4, field->start + 4 };
      guint64 max;

      if (!parse_unsigned (&value, 1, G_MAXUINT32, _("the frame limit"), &max, error))
        return FALSE;
      self->max_frame = max;
      return TRUE;
    }

  switch (self->kind)
    {
    case SB_FRAMER_DELIMITER:
    case SB_FRAMER_LINE:
      spec_error (error, field->spec, field->start,
                  _("expected “strip” or “max=BYTES”, not “%s”"), field->text);
      break;
    case SB_FRAMER_LENGTH:
      spec_error (error, field->spec, field->start,
                  _("expected an offset, an adjustment, “incl” or “max=BYTES”, not “%s”"),
                  field->text);
      break;
    case SB_FRAMER_NONE:
    case SB_FRAMER_FIXED:
    case SB_FRAMER_GAP:
    case SB_FRAMER_MARKER:
    case SB_FRAMER_SLIP:
    case SB_FRAMER_COBS:
    case SB_FRAMER_JSON:
    case SB_FRAMER_JSON_LINES:
    default:
      spec_error (error, field->spec, field->start,
                  _("expected “max=BYTES” or the end, not “%s”"), field->text);
      break;
    }
  return FALSE;
}

static gboolean
parse_length_fields (SbFramer  *self,
                     Field     *fields,
                     guint      n_fields,
                     guint     *next,
                     GError   **error)
{
  guint64 value;
  gint64 adjust;

  if (n_fields < 3)
    {
      spec_error (error, fields[0].spec, strlen (fields[0].spec),
                  _("expected “len:SIZE:be” or “len:SIZE:le” (SIZE 1, 2 or 4)"));
      return FALSE;
    }
  if (!g_str_equal (fields[1].text, "1") && !g_str_equal (fields[1].text, "2") &&
      !g_str_equal (fields[1].text, "4"))
    {
      spec_error (error, fields[1].spec, fields[1].start,
                  _("the length field has 1, 2 or 4 bytes, not “%s”"), fields[1].text);
      return FALSE;
    }
  self->size = (guint) (fields[1].text[0] - '0');

  if (g_str_equal (fields[2].text, "be"))
    self->big_endian = TRUE;
  else if (!g_str_equal (fields[2].text, "le"))
    {
      spec_error (error, fields[2].spec, fields[2].start,
                  _("expected “be” (big-endian) or “le” (little-endian), not “%s”"),
                  fields[2].text);
      return FALSE;
    }

  *next = 3;
  if (*next < n_fields && g_ascii_isdigit (fields[*next].text[0]))
    {
      if (!parse_unsigned (&fields[*next], 0, MAX_OFFSET, _("the offset"), &value, error))
        return FALSE;
      self->offset = (guint) value;
      (*next)++;

      if (*next < n_fields &&
          (g_ascii_isdigit (fields[*next].text[0]) || fields[*next].text[0] == '-' ||
           fields[*next].text[0] == '+'))
        {
          const char *text = fields[*next].text + (fields[*next].text[0] == '+');

          if (!g_ascii_string_to_signed (text, 10, -MAX_OFFSET, MAX_OFFSET, &adjust, NULL))
            {
              spec_error (error, fields[*next].spec, fields[*next].start,
                          _("the adjustment must be a whole number from %d to %d, not “%s”"),
                          -MAX_OFFSET, MAX_OFFSET, fields[*next].text);
              return FALSE;
            }
          self->adjust = (gint) adjust;
          (*next)++;
        }
    }
  return TRUE;
}

SbFramer *
sb_framer_new_from_spec (const char  *spec,
                         GError     **error)
{
  g_autoptr(SbFramer) self = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree Field *fields = NULL;
  guint n_fields, next = 1;
  gsize start = 0;
  guint64 value;
  gboolean found = FALSE;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parts = g_strsplit (spec, ":", -1);
  n_fields = g_strv_length (parts);
  if (n_fields == 0)
    {
      spec_error (error, spec, 0,
                  _("expected a kind: none, delim, line, fixed, len, gap, marker, slip, cobs, json or jsonl"));
      return NULL;
    }

  fields = g_new0 (Field, n_fields);
  for (guint i = 0; i < n_fields; i++)
    {
      fields[i] = (Field) { spec, parts[i], start };
      if (parts[i][0] == '\0')
        {
          if (i == 0)
            spec_error (error, spec, start,
                        _("expected a kind: none, delim, line, fixed, len, gap, marker, slip, cobs, json or jsonl"));
          else
            spec_error (error, spec, start, _("empty field"));
          return NULL;
        }
      start += strlen (parts[i]) + 1;
    }

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (parts[0], kind_names[i].name))
      {
        self = framer_new (kind_names[i].kind);
        found = TRUE;
        break;
      }
  if (!found)
    {
      spec_error (error, spec, 0,
                  _("unknown kind “%s”; expected none, delim, line, fixed, len, gap, marker, slip, cobs, json or jsonl"),
                  parts[0]);
      return NULL;
    }

  switch (self->kind)
    {
    case SB_FRAMER_DELIMITER:
    case SB_FRAMER_MARKER:
      if (n_fields < 2)
        {
          spec_error (error, spec, strlen (spec),
                      _("expected “:HEX” with the bytes (“%s:0d0a”)"), parts[0]);
          return NULL;
        }
      if (!parse_pattern (self, &fields[1], error))
        return NULL;
      next = 2;
      break;

    case SB_FRAMER_FIXED:
    case SB_FRAMER_GAP:
      if (n_fields < 2)
        {
          spec_error (error, spec, strlen (spec),
                      self->kind == SB_FRAMER_FIXED
                      ? _("expected “fixed:BYTES”")
                      : _("expected “gap:MILLISECONDS”"));
          return NULL;
        }
      if (!parse_unsigned (&fields[1], 1,
                           self->kind == SB_FRAMER_FIXED ? G_MAXUINT32 : MAX_GAP_MS,
                           self->kind == SB_FRAMER_FIXED ? _("the length") : _("the gap"),
                           &value, error))
        return NULL;
      self->number = (guint) value;
      next = 2;
      break;

    case SB_FRAMER_LENGTH:
      if (!parse_length_fields (self, fields, n_fields, &next, error))
        return NULL;
      break;

    case SB_FRAMER_NONE:
    case SB_FRAMER_LINE:
    case SB_FRAMER_SLIP:
    case SB_FRAMER_COBS:
    case SB_FRAMER_JSON:
    case SB_FRAMER_JSON_LINES:
    default:
      break;
    }

  for (; next < n_fields; next++)
    if (!parse_option (self, &fields[next], error))
      return NULL;

  if (self->kind == SB_FRAMER_FIXED && self->number > self->max_frame)
    {
      spec_error (error, spec, fields[1].start,
                  _("a fixed length of %u bytes is more than the frame limit of %zu bytes"),
                  self->number, self->max_frame);
      return NULL;
    }
  if (self->kind == SB_FRAMER_LENGTH && self->offset + self->size > self->max_frame)
    {
      spec_error (error, spec, fields[1].start,
                  _("the %u-byte header is longer than the frame limit of %zu bytes"),
                  self->offset + self->size, self->max_frame);
      return NULL;
    }

  return g_steal_pointer (&self);
}

SbFramer *
sb_framer_ref (SbFramer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sb_framer_unref (SbFramer *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    g_free (self);
}

char *
sb_framer_to_spec (const SbFramer *self)
{
  GString *spec;

  g_return_val_if_fail (self != NULL, NULL);

  spec = g_string_new (kind_name (self->kind));

  switch (self->kind)
    {
    case SB_FRAMER_DELIMITER:
    case SB_FRAMER_MARKER:
      g_string_append_c (spec, ':');
      for (guint i = 0; i < self->pattern_len; i++)
        g_string_append_printf (spec, "%02x", self->pattern[i]);
      break;
    case SB_FRAMER_FIXED:
    case SB_FRAMER_GAP:
      g_string_append_printf (spec, ":%u", self->number);
      break;
    case SB_FRAMER_LENGTH:
      g_string_append_printf (spec, ":%u:%s", self->size, self->big_endian ? "be" : "le");
      if (self->offset != 0 || self->adjust != 0)
        g_string_append_printf (spec, ":%u", self->offset);
      if (self->adjust != 0)
        g_string_append_printf (spec, ":%d", self->adjust);
      if (self->counts_header)
        g_string_append (spec, ":incl");
      break;
    case SB_FRAMER_NONE:
    case SB_FRAMER_LINE:
    case SB_FRAMER_SLIP:
    case SB_FRAMER_COBS:
    case SB_FRAMER_JSON:
    case SB_FRAMER_JSON_LINES:
    default:
      break;
    }

  if (self->strip)
    g_string_append (spec, ":strip");
  if (self->max_frame != SB_FRAMER_DEFAULT_MAX_FRAME)
    g_string_append_printf (spec, ":max=%zu", self->max_frame);

  return g_string_free (spec, FALSE);
}

gboolean
sb_framer_equal (const SbFramer *a,
                 const SbFramer *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->kind == b->kind && a->max_frame == b->max_frame &&
         a->pattern_len == b->pattern_len &&
         memcmp (a->pattern, b->pattern, a->pattern_len) == 0 &&
         a->strip == b->strip && a->number == b->number && a->size == b->size &&
         a->big_endian == b->big_endian && a->offset == b->offset &&
         a->adjust == b->adjust && a->counts_header == b->counts_header;
}

SbFramerKind
sb_framer_get_kind (const SbFramer *self)
{
  g_return_val_if_fail (self != NULL, SB_FRAMER_NONE);

  return self->kind;
}

gsize
sb_framer_get_max_frame (const SbFramer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->max_frame;
}

guint
sb_framer_get_number (const SbFramer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->number;
}

static char *
format_pattern (const SbFramer *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->pattern_len; i++)
    g_string_append_printf (text, i == 0 ? "%02X" : " %02X", self->pattern[i]);
  return g_string_free (text, FALSE);
}

char *
sb_framer_describe (const SbFramer *self)
{
  g_autofree char *pattern = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  switch (self->kind)
    {
    case SB_FRAMER_NONE:
      return g_strdup (_("One message per read"));
    case SB_FRAMER_DELIMITER:
      pattern = format_pattern (self);
      return g_strdup_printf (self->strip ? _("Ends with %s (left out of the payload)")
                                          : _("Ends with %s"), pattern);
    case SB_FRAMER_LINE:
      return g_strdup (self->strip ? _("One line each (the line end left out of the payload)")
                                   : _("One line each"));
    case SB_FRAMER_FIXED:
      return g_strdup_printf (ngettext ("%u byte each", "%u bytes each",
                                           self->number), self->number);
    case SB_FRAMER_LENGTH:
      return g_strdup_printf (self->big_endian ? _("%u-byte big-endian length field at byte %u")
                                               : _("%u-byte little-endian length field at byte %u"),
                              self->size, self->offset);
    case SB_FRAMER_GAP:
      return g_strdup_printf (_("A new message after %u ms of silence"), self->number);
    case SB_FRAMER_MARKER:
      pattern = format_pattern (self);
      return g_strdup_printf (_("Each message starts with %s"), pattern);
    case SB_FRAMER_SLIP:
      return g_strdup (_("SLIP (RFC 1055)"));
    case SB_FRAMER_COBS:
      return g_strdup (_("COBS, ended by 00"));
    case SB_FRAMER_JSON:
      return g_strdup (_("One JSON value each"));
    case SB_FRAMER_JSON_LINES:
      return g_strdup (_("One JSON value per line"));
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Payloads */

static GBytes *
decode_slip (const guint8 *raw,
             gsize         len)
{
  GByteArray *out = g_byte_array_sized_new ((guint) len);

  for (gsize i = 0; i < len; i++)
    {
      guint8 b = raw[i];

      if (b == SLIP_END)
        continue;
      if (b == SLIP_ESC && i + 1 < len)
        {
          if (raw[i + 1] == SLIP_ESC_END)
            b = SLIP_END, i++;
          else if (raw[i + 1] == SLIP_ESC_ESC)
            b = SLIP_ESC, i++;
        }
      g_byte_array_append (out, &b, 1);
    }
  return g_byte_array_free_to_bytes (out);
}

static GBytes *
decode_cobs (const guint8 *raw,
             gsize         len)
{
  GByteArray *out = g_byte_array_sized_new ((guint) len);
  static const guint8 zero = 0;
  gsize i = 0;

  /* Delimiters before the frame (empty frames) and the one ending it. */
  while (i < len && raw[i] == 0)
    i++;
  if (len > i && raw[len - 1] == 0)
    len--;

  while (i < len)
    {
      guint code = raw[i++];
      gsize n = MIN ((gsize) code - 1, len - i);

      g_byte_array_append (out, raw + i, (guint) n);
      i += n;
      if (code < 0xff && i < len)
        g_byte_array_append (out, &zero, 1);
    }
  return g_byte_array_free_to_bytes (out);
}

GBytes *
sb_framer_decode_payload (const SbFramer *self,
                          const guint8   *raw,
                          gsize           len)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (raw != NULL || len == 0, NULL);

  switch (self->kind)
    {
    case SB_FRAMER_SLIP:
      return decode_slip (raw, len);
    case SB_FRAMER_COBS:
      return decode_cobs (raw, len);
    case SB_FRAMER_DELIMITER:
      if (self->strip && len >= self->pattern_len &&
          memcmp (raw + len - self->pattern_len, self->pattern, self->pattern_len) == 0)
        len -= self->pattern_len;
      break;
    case SB_FRAMER_LINE:
      if (self->strip && len > 0 && raw[len - 1] == '\n')
        len -= (len > 1 && raw[len - 2] == '\r') ? 2 : 1;
      break;
    case SB_FRAMER_NONE:
    case SB_FRAMER_FIXED:
    case SB_FRAMER_LENGTH:
    case SB_FRAMER_GAP:
    case SB_FRAMER_MARKER:
    case SB_FRAMER_JSON:
    case SB_FRAMER_JSON_LINES:
    default:
      break;
    }
  return g_bytes_new (raw, len);
}

/* Explanations */

static const char *
json_kind_label (guint64 kind)
{
  switch (kind)
    {
    case SB_JSON_KIND_OBJECT:
      return _("A complete JSON object");
    case SB_JSON_KIND_ARRAY:
      return _("A complete JSON array");
    case SB_JSON_KIND_STRING:
      return _("A complete JSON string");
    case SB_JSON_KIND_NUMBER:
      return _("A JSON number");
    case SB_JSON_KIND_LITERAL:
    default:
      return _("A JSON true, false or null");
    }
}

static void
explain_length (const SbFramer    *self,
                const SbFrameInfo *info,
                GString           *out)
{
  guint header = self->offset + self->size;
  gint64 value = (gint64) info->detail + self->adjust;
  g_autofree char *field = g_strdup_printf ("0x%0*" G_GINT64_MODIFIER "X",
                                            (int) self->size * 2, info->detail);

  if (info->reason == SB_FRAME_REASON_BAD_LENGTH)
    g_string_append_printf (out, _("Length field %s gives a frame of %lld bytes, shorter than its %u-byte header"),
                            field, (long long) (self->counts_header ? value : value + header), header);
  else if (self->counts_header && self->adjust == 0)
    g_string_append_printf (out, _("Length field %s = %lld bytes in all, header included"),
                            field, (long long) value);
  else if (self->counts_header)
    g_string_append_printf (out, _("Length field %s %+d = %lld bytes in all, header included"),
                            field, self->adjust, (long long) value);
  else if (self->adjust == 0)
    g_string_append_printf (out, _("Length field %s = %lld bytes + %u header"),
                            field, (long long) value, header);
  else
    g_string_append_printf (out, _("Length field %s %+d = %lld bytes + %u header"),
                            field, self->adjust, (long long) value, header);
}

static void
explain_main (const SbFramer    *self,
              const SbFrameInfo *info,
              GString           *out)
{
  gboolean done = info->status != SB_FRAME_INCOMPLETE;
  g_autofree char *pattern = NULL;

  switch (info->reason)
    {
    case SB_FRAME_REASON_READ:
      g_string_append_printf (out, ngettext ("One read of %llu byte",
                                                "One read of %llu bytes", info->length),
                              (unsigned long long) info->length);
      break;
    case SB_FRAME_REASON_DELIMITER:
      if (self->kind == SB_FRAMER_LINE || self->kind == SB_FRAMER_JSON_LINES)
        g_string_append (out, !done ? _("No line end yet")
                              : info->detail == 2 ? _("Ended by the line end \\r\\n")
                              : _("Ended by the line end \\n"));
      else
        {
          pattern = format_pattern (self);
          g_string_append_printf (out, done ? _("Ended by the delimiter %s")
                                            : _("No delimiter %s yet"), pattern);
        }
      break;
    case SB_FRAME_REASON_FIXED:
      g_string_append_printf (out, ngettext ("Fixed length of %u byte",
                                                "Fixed length of %u bytes", self->number),
                              self->number);
      break;
    case SB_FRAME_REASON_LENGTH_FIELD:
      g_string_append_printf (out, _("Waiting for the rest of the %u-byte header"),
                              self->offset + self->size);
      break;
    case SB_FRAME_REASON_LENGTH:
    case SB_FRAME_REASON_BAD_LENGTH:
      explain_length (self, info, out);
      break;
    case SB_FRAME_REASON_GAP:
      if (done)
        g_string_append_printf (out, _("Ended by %llu ms of silence (the gap is %u ms)"),
                                (unsigned long long) info->detail, self->number);
      else
        g_string_append_printf (out, _("Waiting for %u ms of silence"), self->number);
      break;
    case SB_FRAME_REASON_MARKER:
      pattern = format_pattern (self);
      g_string_append_printf (out, done ? _("From the marker %s to the next marker")
                                        : _("From the marker %s; the next marker ends it"),
                              pattern);
      break;
    case SB_FRAME_REASON_SLIP:
      if (done)
        g_string_append_printf (out, _("Ended by SLIP END (C0); %llu bytes decoded"),
                                (unsigned long long) info->detail);
      else
        g_string_append (out, _("Waiting for SLIP END (C0)"));
      break;
    case SB_FRAME_REASON_BAD_SLIP:
      g_string_append_printf (out, _("Ended by SLIP END (C0); the escape DB at byte %llu is followed by neither DC nor DD"),
                              (unsigned long long) info->detail + 1);
      break;
    case SB_FRAME_REASON_COBS:
      if (done)
        g_string_append_printf (out, _("Ended by COBS delimiter 00; %llu bytes decoded"),
                                (unsigned long long) info->detail);
      else
        g_string_append (out, _("Waiting for the COBS delimiter 00"));
      break;
    case SB_FRAME_REASON_BAD_COBS:
      g_string_append_printf (out, _("Ended by COBS delimiter 00; the code at byte %llu runs past the end of the frame"),
                              (unsigned long long) info->detail + 1);
      break;
    case SB_FRAME_REASON_JSON:
      if (done)
        g_string_append (out, json_kind_label (info->detail));
      else
        g_string_append (out, _("A JSON value not closed yet"));
      break;
    case SB_FRAME_REASON_BAD_JSON:
      g_string_append_printf (out, _("Not valid JSON from byte %llu"),
                              (unsigned long long) info->detail + 1);
      break;
    case SB_FRAME_REASON_JSON_LINE:
      if (info->status == SB_FRAME_INVALID)
        g_string_append_printf (out, ngettext ("The line holds %llu JSON value, not exactly one valid one",
                                                  "The line holds %llu JSON values, not exactly one valid one",
                                                  info->detail), (unsigned long long) info->detail);
      else if (done)
        g_string_append (out, _("One line holding one JSON value"));
      else
        g_string_append (out, _("No line end yet"));
      break;
    case SB_FRAME_REASON_LIMIT:
      g_string_append_printf (out, _("Cut at the frame limit of %zu bytes"),
                              self->max_frame);
      break;
    case SB_FRAME_REASON_STREAM_END:
      g_string_append (out, _("Ended with its stream"));
      break;
    case SB_FRAME_REASON_NONE:
    default:
      break;
    }
}

char *
sb_framer_explain (const SbFramer    *self,
                   const SbFrameInfo *info)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (info != NULL, NULL);

  out = g_string_new (NULL);
  explain_main (self, info, out);

#define NEXT_LINE() G_STMT_START { if (out->len > 0) g_string_append_c (out, '\n'); } G_STMT_END

  if (info->status == SB_FRAME_INCOMPLETE && info->missing > 0)
    {
      NEXT_LINE ();
      g_string_append_printf (out, ngettext ("Waiting for %llu more byte",
                                                "Waiting for %llu more bytes",
                                                info->missing), (unsigned long long) info->missing);
    }
  if (info->status == SB_FRAME_INCOMPLETE && (info->flags & SB_FRAME_FLAG_STREAM_ENDED))
    {
      NEXT_LINE ();
      g_string_append (out, _("Its stream ended before it was complete"));
    }
  if (info->flags & SB_FRAME_FLAG_CONTINUATION)
    {
      NEXT_LINE ();
      g_string_append_printf (out, _("The rest of a frame cut at the limit of %zu bytes"),
                              self->max_frame);
    }
  if (info->flags & SB_FRAME_FLAG_HEAD_DROPPED)
    {
      NEXT_LINE ();
      g_string_append (out, _("Its first bytes were dropped from the history"));
    }
  if (info->skipped > 0)
    {
      NEXT_LINE ();
      g_string_append_printf (out, ngettext ("%llu byte skipped before it",
                                                "%llu bytes skipped before it",
                                                info->skipped), (unsigned long long) info->skipped);
    }

#undef NEXT_LINE

  return g_string_free (out, FALSE);
}
