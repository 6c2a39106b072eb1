/* sb-python-export-emit.c — Python literals and lines of the script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-python-export"

#include "config.h"

#include "sb-python-export-private.h"

/* Literals */

static guint
byte_width (guint8 c)
{
  if (c == '\\' || c == '"' || c == '\n' || c == '\r' || c == '\t')
    return 2;
  if (c >= 0x20 && c < 0x7f)
    return 1;
  return 4;
}

static void
append_escaped_byte (GString *out,
                     guint8   c)
{
  switch (c)
    {
    case '\\': g_string_append (out, "\\\\"); break;
    case '"':  g_string_append (out, "\\\""); break;
    case '\n': g_string_append (out, "\\n"); break;
    case '\r': g_string_append (out, "\\r"); break;
    case '\t': g_string_append (out, "\\t"); break;
    default:
      if (c >= 0x20 && c < 0x7f)
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "\\x%02x", c);
      break;
    }
}

/* b"…": printable ASCII only; quote and backslash escaped, \xNN for the rest. */
void
_sb_py_append_bytes (GString      *out,
                     const guint8 *data,
                     gsize         len)
{
  g_string_append (out, "b\"");
  for (gsize i = 0; i < len; i++)
    append_escaped_byte (out, data[i]);
  g_string_append_c (out, '"');
}

/* "…": printable ASCII only. Characters are \xNN, \uNNNN or \UNNNNNNNN;
 * bytes that are not UTF-8 are \udcNN, which Python's file system encoding
 * (surrogateescape) turns back into the same bytes, as paths need. */
void
_sb_py_append_str (GString    *out,
                   const char *text)
{
  const char *p = text;
  const char *end = text + strlen (text);

  g_string_append_c (out, '"');
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2 || c > 0x10FFFF)
        {
          g_string_append_printf (out, "\\udc%02x", (guint8) *p);
          p++;
          continue;
        }

      if (c < 0x80)
        append_escaped_byte (out, (guint8) c);
      else if (c < 0x100)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c < 0x10000)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_printf (out, "\\U%08x", c);
      p = g_utf8_next_char (p);
    }
  g_string_append_c (out, '"');
}
void
_sb_py_start_line (Emitter *e)
{
  for (guint i = 0; i < e->indent; i++)
    g_string_append (e->out, "    ");
}

/* @code is our own Python text (never data). */
void
_sb_py_line (Emitter    *e,
             const char *code)
{
  _sb_py_start_line (e);
  g_string_append (e->out, code);
  g_string_append_c (e->out, '\n');
}

void
_sb_py_linef (Emitter    *e,
              const char *format,
              ...)
{
  va_list args;

  _sb_py_start_line (e);
  va_start (args, format);
  g_string_append_vprintf (e->out, format, args);
  va_end (args);
  g_string_append_c (e->out, '\n');
}

void
_sb_py_blank (Emitter *e)
{
  g_string_append_c (e->out, '\n');
}

/* A comment of translated text: one "# " line per line of @text, controls
 * made spaces, so not even a broken translation can reach the code. */
void
_sb_py_comment (Emitter    *e,
                const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_auto(GStrv) lines = g_strsplit (valid, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      for (char *p = lines[i]; *p; p++)
        if ((guchar) *p < 0x20 || *p == 0x7f)
          *p = ' ';
      g_strchomp (lines[i]);

      _sb_py_start_line (e);
      if (lines[i][0] != '\0')
        {
          g_string_append (e->out, "# ");
          g_string_append (e->out, lines[i]);
        }
      else
        g_string_append_c (e->out, '#');
      g_string_append_c (e->out, '\n');
    }
}

void
_sb_py_commentf (Emitter    *e,
                 const char *format,
                 ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  _sb_py_comment (e, text);
}

/* Writes CALL(<bytes>[, EXTRA]); a payload too long for one line is split
 * into literals, one per line, cut after newlines too. */
void
_sb_py_bytes_call (Emitter      *e,
                   const char   *call,
                   const guint8 *data,
                   gsize         len,
                   const char   *extra)
{
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize total = 0;
  guint width = 0;

  for (gsize i = 0; i < len && total < PIECE_WIDTH; i++)
    total += byte_width (data[i]);

  for (gsize i = 0; i < len && total >= PIECE_WIDTH; i++)
    {
      width += byte_width (data[i]);
      if (i + 1 < len && (width >= PIECE_WIDTH || data[i] == '\n'))
        {
          gsize cut = i + 1;

          g_array_append_val (cuts, cut);
          width = 0;
        }
    }

  _sb_py_start_line (e);
  g_string_append_printf (e->out, "%s(", call);

  if (cuts->len == 0)
    {
      _sb_py_append_bytes (e->out, data, len);
      if (extra != NULL)
        g_string_append_printf (e->out, ", %s", extra);
      g_string_append (e->out, ")\n");
      return;
    }

  g_string_append_c (e->out, '\n');
  e->indent++;
  for (guint i = 0; i <= cuts->len; i++)
    {
      gsize from = i == 0 ? 0 : g_array_index (cuts, gsize, i - 1);
      gsize to = i < cuts->len ? g_array_index (cuts, gsize, i) : len;

      _sb_py_start_line (e);
      _sb_py_append_bytes (e->out, data + from, to - from);
      g_string_append (e->out, i == cuts->len ? ",\n" : "\n");
    }
  if (extra != NULL)
    _sb_py_linef (e, "%s,", extra);
  e->indent--;
  _sb_py_line (e, ")");
}
