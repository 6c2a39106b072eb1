/* fuzz-export.c — history records as text, CSV and JSON Lines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: [encoding index] [format] [direction/event] [peer length] peer… payload…
 *
 * The peer label is made as the product makes it for a UNIX socket peer,
 * whose name the sender chooses: sb_address_to_string() of the peer bytes
 * as a path (if they start with '/') or an abstract name.
 *
 * Properties:
 *   - the output is valid UTF-8 and ends with one line end;
 *   - text: one line per record (nothing in a record starts a new line)
 *     that ends with the view of the payload, controls escaped; nothing in
 *     it acts rather than shows (C1 controls, line separators, bidi
 *     controls), whatever the peer named itself;
 *   - CSV: parses (RFC 4180) to exactly 7 cells; hex is the payload's
 *     bytes, length its size, text the decoded view of all of it, each
 *     U+0000 written as the two characters \0 (a NUL cuts a cell short in
 *     most readers; the hex cell holds the exact bytes), a leading '
 *     allowed where the cell looks like a formula;
 *   - JSON Lines: one line, a flat object whose "hex" is the payload and
 *     whose "text" is the decoded view of all of it, NULs included.
 */
#include "config.h"

#include <gio/gunixsocketaddress.h>

#include "sb-address.h"
#include "sb-export.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* RFC 4180 cells of one record line (CRLF at the end), or NULL. */
static GPtrArray *
parse_csv (const char *line,
           gsize       len)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  gsize i = 0;

  if (len < 2 || line[len - 2] != '\r' || line[len - 1] != '\n')
    return NULL;
  len -= 2;

  for (;;)
    {
      GString *cell = g_string_new (NULL);

      if (i < len && line[i] == '"')
        {
          for (i++;; i++)
            {
              if (i >= len)
                {
                  g_string_free (cell, TRUE);
                  return NULL;
                }
              if (line[i] == '"')
                {
                  if (i + 1 < len && line[i + 1] == '"')
                    {
                      g_string_append_c (cell, '"');
                      i++;
                      continue;
                    }
                  i++;
                  break;
                }
              g_string_append_c (cell, line[i]);
            }
        }
      else
        {
          while (i < len && line[i] != ',')
            {
              if (line[i] == '"' || line[i] == '\r' || line[i] == '\n')
                {
                  g_string_free (cell, TRUE);
                  return NULL;
                }
              g_string_append_c (cell, line[i++]);
            }
        }

      g_ptr_array_add (cells, g_string_free (cell, FALSE));
      if (i == len)
        break;
      if (line[i] != ',')
        return NULL;
      i++;
    }

  return g_steal_pointer (&cells);
}

/* Value of "key" in a flat JSON object of strings, numbers and null;
 * strings are unescaped (\u0000 is a NUL inside the GString). NULL if the
 * line is not such an object. */
static GString *
json_get (const char *line,
          const char *key)
{
  const char *p = line;
  GString *found = NULL;

  if (*p++ != '{')
    return NULL;

  while (*p != '}')
    {
      GString *k = g_string_new (NULL);
      GString *v = g_string_new (NULL);
      gboolean is_key = TRUE;

      for (GString *s = k; s != NULL; s = (s == k ? v : NULL))
        {
          if (!is_key && *p != '"')
            {
              while (*p && *p != ',' && *p != '}')
                g_string_append_c (v, *p++);
              break;
            }
          if (*p++ != '"')
            goto fail;
          while (*p != '"')
            {
              if ((guint8) *p < 0x20)
                goto fail;
              if (*p != '\\')
                {
                  g_string_append_c (s, *p++);
                  continue;
                }
              p++;
              switch (*p)
                {
                case '"': case '\\': case '/': g_string_append_c (s, *p); break;
                case 'b': g_string_append_c (s, '\b'); break;
                case 'f': g_string_append_c (s, '\f'); break;
                case 'n': g_string_append_c (s, '\n'); break;
                case 'r': g_string_append_c (s, '\r'); break;
                case 't': g_string_append_c (s, '\t'); break;
                case 'u':
                  {
                    char hex[5] = { 0 };
                    gunichar c;

                    for (int j = 0; j < 4; j++)
                      if (!g_ascii_isxdigit ((hex[j] = p[1 + j])))
                        goto fail;
                    c = (gunichar) strtoul (hex, NULL, 16);
                    if (c >= 0xd800 && c < 0xe000)
                      goto fail;  /* the exporter never needs pairs */
                    g_string_append_unichar (s, c);
                    p += 4;
                  }
                  break;
                default:
                  goto fail;
                }
              p++;
            }
          p++;
          if (is_key)
            {
              if (*p++ != ':')
                goto fail;
              is_key = FALSE;
            }
        }

      if (strcmp (k->str, key) == 0 && found == NULL)
        found = g_string_new_len (v->str, v->len);
      g_string_free (k, TRUE);
      g_string_free (v, TRUE);
      if (*p == ',')
        p++;
      else if (*p != '}')
        goto fail_found;
      continue;

    fail:
      g_string_free (k, TRUE);
      g_string_free (v, TRUE);
    fail_found:
      if (found != NULL)
        g_string_free (found, TRUE);
      return NULL;
    }

  if (strcmp (p, "}\n") != 0)
    {
      if (found != NULL)
        g_string_free (found, TRUE);
      return NULL;
    }
  return found;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  FuzzInput in = { data, size };
  const SbEncodingInfo *encodings;
  const char *encoding;
  guint n_encodings;
  SbExportFormat format;
  SbDirection direction;
  SbEventKind event = SB_EVENT_NONE;
  g_autofree char *peer = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(SbExportRecord) record = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) view = g_string_new (NULL);
  g_autofree char *hex = NULL;
  guint8 b;
  gsize peer_len;

  fuzz_init_glib ();

  encodings = sb_codec_get_encodings (&n_encodings);
  encoding = encodings[fuzz_byte (&in) % n_encodings].name;
  format = fuzz_byte (&in) % 3;
  b = fuzz_byte (&in);
  direction = b % 3;
  if (direction == SB_DIRECTION_EVENT)
    event = 1 + (b >> 2) % SB_EVENT_STOPPED;
  peer_len = fuzz_byte (&in) % 16;
  peer_len = MIN (peer_len, in.len);
  if (peer_len == 0)
    peer = g_strdup ("");
  else
    {
      g_autofree char *path = g_strndup ((const char *) in.data, peer_len);
      g_autoptr(GSocketAddress) address =
        path[0] == '/' ? g_unix_socket_address_new_with_type (path, -1, G_UNIX_SOCKET_ADDRESS_PATH)
                       : g_unix_socket_address_new_with_type ((const char *) in.data, (gint) peer_len,
                                                              G_UNIX_SOCKET_ADDRESS_ABSTRACT);

      peer = sb_address_to_string (address);
    }
  in.data += peer_len;
  in.len -= peer_len;
  payload = g_bytes_new (in.data, in.len);
  record = sb_export_record_new ((gint64) g_get_real_time (), direction, event, peer, payload);

  sb_export_append_record (format, encoding, record, out);
  FUZZ_CHECK (fuzz_utf8_valid (out->str, out->len) && memchr (out->str, '\0', out->len) == NULL,
              "export is not UTF-8 text");
  FUZZ_CHECK (out->len > 0 && out->str[out->len - 1] == '\n', "a record does not end its line");

  hex = direction == SB_DIRECTION_EVENT ? g_strdup ("") : sb_codec_format_hex (in.data, in.len);
  {
    /* A GString: the view may hold NULs, and what follows them counts. */
    g_autoptr(SbDecoder) decoder =
      sb_decoder_new (direction == SB_DIRECTION_EVENT ? "UTF-8" : encoding,
                      format == SB_EXPORT_TEXT ? SB_DECODE_ESCAPE_CONTROLS : SB_DECODE_DEFAULT, NULL);

    sb_decoder_feed (decoder, in.data, in.len, view, NULL);
    sb_decoder_finish (decoder, view, NULL);
  }

  switch (format)
    {
    case SB_EXPORT_TEXT:
      FUZZ_CHECK (memchr (out->str, '\n', out->len - 1) == NULL && memchr (out->str, '\r', out->len) == NULL,
                  "text export: a record spans lines: %s", out->str);
      for (const char *p = out->str; *p != '\0'; p = g_utf8_next_char (p))
        FUZZ_CHECK (!fuzz_is_escaped_unichar (g_utf8_get_char (p)),
                    "text export shows U+%04X as is (peer label \"%s\"): %s",
                    g_utf8_get_char (p), peer, out->str);
      FUZZ_CHECK (memchr (view->str, '\0', view->len) == NULL, "text view holds a NUL");
      FUZZ_CHECK (out->len >= view->len + 2 && out->str[out->len - view->len - 2] == ' ' &&
                  memcmp (out->str + out->len - view->len - 1, view->str, view->len) == 0,
                  "text export does not end with the view \"%s\": %s", view->str, out->str);
      break;

    case SB_EXPORT_CSV:
      {
        g_autoptr(GPtrArray) cells = parse_csv (out->str, out->len);
        g_autoptr(GString) want = g_string_new (NULL);
        const char *text;
        g_autofree char *len_text = g_strdup_printf ("%zu", direction == SB_DIRECTION_EVENT ? 0 : in.len);

        if (cells == NULL || cells->len != 7)
          fuzz_fail ("CSV record does not parse to 7 cells: %s", out->str);
        FUZZ_CHECK (strcmp (g_ptr_array_index (cells, 6), hex) == 0, "CSV hex cell is not the payload");
        FUZZ_CHECK (strcmp (g_ptr_array_index (cells, 4), len_text) == 0, "CSV length cell");
        text = g_ptr_array_index (cells, 5);
        if (view->len > 0 && strchr ("=+-@\t\r", view->str[0]) != NULL && view->str[0] != '\0')
          {
            FUZZ_CHECK (text[0] == '\'', "CSV: formula-looking text \"%s\" without a leading '", view->str);
            text++;
          }
        for (gsize i = 0; i < view->len; i++)
          {
            if (view->str[i] == '\0')
              g_string_append (want, "\\0");
            else
              g_string_append_c (want, view->str[i]);
          }
        if (strcmp (text, want->str) != 0)
          fuzz_fail ("CSV text cell \"%s\" is not the decoded payload \"%s\"", text, want->str);
      }
      break;

    case SB_EXPORT_JSONL:
    default:
      {
        g_autoptr(GString) jhex = NULL;
        g_autoptr(GString) jtext = NULL;

        FUZZ_CHECK (memchr (out->str, '\n', out->len - 1) == NULL, "JSON Lines record spans lines");
        jhex = json_get (out->str, "hex");
        jtext = json_get (out->str, "text");
        if (jhex == NULL || jtext == NULL)
          fuzz_fail ("JSON Lines record is not a flat object with text and hex: %s", out->str);
        FUZZ_CHECK (strcmp (jhex->str, hex) == 0 && jhex->len == strlen (hex), "JSON hex is not the payload");
        if (!g_string_equal (jtext, view))
          fuzz_fail ("JSON text \"%s\" is not the decoded payload", jtext->str);
      }
      break;
    }

  return 0;
}
