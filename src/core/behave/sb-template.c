/* sb-template.c — parsing templates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any thread: a parsed template is immutable. Expanding is in
 * sb-template-expand.c.
 */
#define G_LOG_DOMAIN "sb-template"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-template-private.h"

G_DEFINE_QUARK (sb-template-error-quark, sb_template_error)

static const char * const placeholder_names[] = {
  "seq", "time", "unix", "random", "uuid", "begin", "end", "len",
  "rx", "rx.1", "file", "crc",
};

const char * const *
sb_template_list_names (void)
{
  static const char **names;
  static gsize done;

  if (g_once_init_enter (&done))
    {
      const char * const *checksums = sb_checksum_list_names ();
      guint n = G_N_ELEMENTS (placeholder_names);
      guint k = g_strv_length ((char **) checksums);

      names = g_new0 (const char *, n + k + 1);
      for (guint i = 0; i < n; i++)
        names[i] = placeholder_names[i];
      for (guint i = 0; i < k; i++)
        names[n + i] = checksums[i];
      g_once_init_leave (&done, 1);
    }
  return names;
}

gboolean
sb_template_text_has_placeholders (const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; (p = strchr (p, '$')) != NULL; p++)
    {
      if (p[1] == '$' && p[2] == '{')
        p += 2;
      else if (p[1] == '{')
        return TRUE;
    }
  return FALSE;
}

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_clear_pointer (&item->source, g_free);
  g_clear_pointer (&item->literal, g_bytes_unref);
  g_clear_pointer (&item->arg, g_free);
  g_clear_pointer (&item->checksum, sb_checksum_unref);
}

/* Parsing state */
typedef struct
{
  const char  *text;
  SbTemplate  *tmpl;
  Item        *item;     /* the placeholder being parsed */
  glong       *error_pos;
  GError     **error;
  const char  *counted;  /* characters are counted up to here… */
  glong        n_counted;/* …and there are this many */
} Parser;

/* The character offset of @at; positions asked for only move forward, so
 * the whole text is counted once. */
static glong
char_pos (Parser     *p,
          const char *at)
{
  if (at < p->counted)
    return g_utf8_pointer_to_offset (p->text, at);
  p->n_counted += g_utf8_pointer_to_offset (p->counted, at);
  p->counted = at;
  return p->n_counted;
}

G_GNUC_PRINTF (3, 4) static gboolean
fail_at (Parser     *p,
         glong       pos,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (p->error_pos != NULL)
    *p->error_pos = pos;
  g_set_error_literal (p->error, SB_TEMPLATE_ERROR, SB_TEMPLATE_ERROR_SYNTAX, message);
  return FALSE;
}

/* "“${seq:x}” at position 4: DETAIL" */
G_GNUC_PRINTF (2, 3) static gboolean
fail_item (Parser     *p,
           const char *format,
           ...)
{
  va_list args;
  g_autofree char *detail = NULL;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  return fail_at (p, p->item->pos, _("“%s” at position %ld: %s"),
                  p->item->source, ITEM_POS (p->item), detail);
}

static gboolean
parse_int (const char *text,
           gint64     *value)
{
  char *end = NULL;
  gboolean negative = text[0] == '-';
  const char *digits = negative || text[0] == '+' ? text + 1 : text;
  guint64 magnitude;

  if (!g_ascii_isdigit (digits[0]))
    return FALSE;
  errno = 0;
  magnitude = g_ascii_strtoull (digits, &end, 0);
  if (errno != 0 || *end != '\0')
    return FALSE;
  if (negative)
    {
      if (magnitude > (guint64) G_MAXINT64 + 1)
        return FALSE;
      *value = (gint64) (0 - magnitude);
    }
  else
    {
      if (magnitude > G_MAXINT64)
        return FALSE;
      *value = (gint64) magnitude;
    }
  return TRUE;
}

static gboolean
is_identifier (const char *text)
{
  if (!g_ascii_isalpha (text[0]) && text[0] != '_')
    return FALSE;
  for (const char *c = text; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '_' && *c != '-')
      return FALSE;
  return TRUE;
}

/* One field of a number format; FALSE when @field is no format word. */
static gboolean
parse_format_field (const char *field,
                    NumFormat  *num,
                    gboolean   *order_given)
{
  static const struct { const char *word; NumKind kind; } texts[] = {
    { "dec", NUM_DEC }, { "hex", NUM_HEX }, { "HEX", NUM_HEX_UPPER },
  };

  if (sb_byte_order_from_string (field, &num->order))
    {
      *order_given = TRUE;
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      gsize n = strlen (texts[i].word);

      if (strncmp (field, texts[i].word, n) == 0)
        {
          const char *digits = field + n;
          guint64 width = 0;

          if (*digits != '\0')
            {
              char *end = NULL;

              if (!g_ascii_isdigit (*digits))
                return FALSE;
              width = g_ascii_strtoull (digits, &end, 10);
              if (*end != '\0' || width < 1 || width > 20)
                return FALSE;
            }
          num->kind = texts[i].kind;
          num->digits = (guint) width;
          num->size = 0;
          return TRUE;
        }
    }

  if (field[0] == 'u')
    {
      static const struct { const char *word; guint size; } bins[] = {
        { "u8", 1 }, { "u16", 2 }, { "u32", 4 }, { "u64", 8 },
      };

      for (guint i = 0; i < G_N_ELEMENTS (bins); i++)
        {
          gsize n = strlen (bins[i].word);

          if (strncmp (field, bins[i].word, n) == 0 &&
              (field[n] == '\0' || sb_byte_order_from_string (field + n, &num->order)))
            {
              if (field[n] != '\0')
                *order_given = TRUE;
              num->kind = NUM_BIN;
              num->size = bins[i].size;
              num->digits = 0;
              return TRUE;
            }
        }
    }

  return FALSE;
}

static gboolean
check_format (Parser    *p,
              NumFormat *num,
              gboolean   order_given)
{
  if (order_given && num->kind != NUM_BIN)
    return fail_item (p, _("“le” and “be” apply to the binary formats u16, u32 and u64"));
  return TRUE;
}

static gboolean
bad_field (Parser     *p,
           const char *field)
{
  return fail_item (p, _("“%s” is not a field here; numbers take dec, hex, HEX (dec4, hex8: padded), "
                         "u8, u16, u32, u64 (u16le: little-endian)"), field);
}

static gboolean
parse_seq (Parser *p,
           char  **fields)
{
  Item *item = p->item;
  gboolean order_given = FALSE;

  item->a = 1;
  item->b = 1;
  item->arg = g_strdup ("seq");
  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *f = fields[i];

      if (g_str_has_prefix (f, "start=") || g_str_has_prefix (f, "step="))
        {
          gboolean start = f[2] == 'a';

          if (!parse_int (strchr (f, '=') + 1, start ? &item->a : &item->b))
            return fail_item (p, _("“%s” is not a whole number"), strchr (f, '=') + 1);
        }
      else if (g_str_has_prefix (f, "id="))
        {
          if (!is_identifier (f + 3))
            return fail_item (p, _("“%s” is not a name (letters, digits, “_” and “-”)"), f + 3);
          g_free (item->arg);
          item->arg = g_strdup (f + 3);
        }
      else if (!parse_format_field (f, &item->num, &order_given))
        return bad_field (p, f);
    }
  return check_format (p, &item->num, order_given);
}

static gboolean
parse_number_fields (Parser *p,
                     char  **fields)
{
  gboolean order_given = FALSE;

  for (guint i = 0; fields[i] != NULL; i++)
    if (!parse_format_field (fields[i], &p->item->num, &order_given))
      return bad_field (p, fields[i]);
  return check_format (p, &p->item->num, order_given);
}

static gboolean
parse_random (Parser *p,
              char  **fields)
{
  Item *item = p->item;
  guint first = 0;

  if (fields[0] != NULL && parse_int (fields[0], &item->a))
    {
      if (fields[1] == NULL || !parse_int (fields[1], &item->b))
        return fail_item (p, _("a random number needs a range, as in ${random:1:100}"));
      if (item->a > item->b)
        {
          g_autofree char *low = g_strdup_printf ("%" G_GINT64_FORMAT, item->a);
          g_autofree char *high = g_strdup_printf ("%" G_GINT64_FORMAT, item->b);

          return fail_item (p, _("the range is empty: %s is more than %s"), low, high);
        }
      first = 2;
    }
  if (!parse_number_fields (p, fields + first))
    return FALSE;

  if (first == 0)
    {
      /* No range: every value of the format. A full u64 is every 64-bit pattern. */
      item->a = 0;
      item->b = G_MAXUINT32;
      if (item->num.kind == NUM_BIN && item->num.size < 8)
        item->b = (G_GINT64_CONSTANT (1) << (8 * item->num.size)) - 1;
      else if (item->num.kind == NUM_BIN)
        {
          item->a = G_MININT64;
          item->b = G_MAXINT64;
        }
    }
  return TRUE;
}

static gboolean
parse_region_name (Parser     *p,
                   char      **fields,
                   gboolean    numbers)
{
  Item *item = p->item;
  gboolean order_given = FALSE;

  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *f = fields[i];

      if (numbers && parse_format_field (f, &item->num, &order_given))
        continue;
      if (!numbers && item->kind == ITEM_CHECKSUM)
        {
          if (sb_byte_order_from_string (f, &item->order))
            continue;
          if (strcmp (f, "hex") == 0 || strcmp (f, "HEX") == 0)
            {
              item->flag = TRUE;
              item->upper = f[0] == 'H';
              continue;
            }
        }
      if (!is_identifier (f) || item->arg != NULL)
        {
          if (numbers)
            return bad_field (p, f);
          if (item->kind == ITEM_CHECKSUM)
            return fail_item (p, _("“%s” is not a field of a checksum: le, be, hex, HEX or a region name"), f);
          return fail_item (p, _("“%s” is not a region name (letters, digits, “_” and “-”)"), f);
        }
      item->arg = g_strdup (f);
    }
  return !numbers || check_format (p, &item->num, order_given);
}

static gboolean
parse_checksum (Parser     *p,
                const char *name,
                char      **fields)
{
  Item *item = p->item;
  g_autoptr(GError) local = NULL;

  if (strcmp (name, "crc") == 0)
    {
      g_autofree char *custom = NULL;

      if (fields[0] == NULL)
        return fail_item (p, _("a custom CRC needs its parameters, as in ${crc:width=8,poly=0x07}"));
      custom = g_strconcat ("crc:", fields[0], NULL);
      item->checksum = sb_checksum_new_from_string (custom, &local);
      fields++;
    }
  else
    item->checksum = sb_checksum_new_from_string (name, &local);

  if (item->checksum == NULL)
    return fail_item (p, "%s", local->message);

  item->kind = ITEM_CHECKSUM;
  item->order = sb_checksum_get_byte_order (item->checksum);
  return parse_region_name (p, fields, FALSE);
}

static gboolean
parse_placeholder (Parser     *p,
                   const char *name,
                   const char *args)
{
  Item *item = p->item;
  g_auto(GStrv) fields = args != NULL ? g_strsplit (args, ":", -1) : g_new0 (char *, 1);
  guint n_fields = g_strv_length (fields);
  SbTemplate *tmpl = p->tmpl;

  if (strcmp (name, "seq") == 0)
    {
      item->kind = ITEM_SEQ;
      tmpl->uses |= SB_TEMPLATE_USES_SEQ;
      return parse_seq (p, fields);
    }
  if (strcmp (name, "time") == 0)
    {
      item->kind = ITEM_TIME;
      tmpl->uses |= SB_TEMPLATE_USES_TIME;
      if (args != NULL)
        {
          g_autoptr(GDateTime) sample = g_date_time_new_utc (2000, 1, 2, 3, 4, 5);
          g_autofree char *formatted = NULL;

          if (*args == '\0' || (formatted = g_date_time_format (sample, args)) == NULL)
            return fail_item (p, _("“%s” is not a time format (%%Y-%%m-%%d %%H:%%M:%%S and the like)"), args);
          item->arg = g_strdup (args);
        }
      return TRUE;
    }
  if (strcmp (name, "unix") == 0)
    {
      item->kind = ITEM_UNIX;
      tmpl->uses |= SB_TEMPLATE_USES_TIME;
      if (fields[0] != NULL && (strcmp (fields[0], "ms") == 0 || strcmp (fields[0], "s") == 0))
        {
          item->flag = fields[0][0] == 'm';
          return parse_number_fields (p, fields + 1);
        }
      return parse_number_fields (p, fields);
    }
  if (strcmp (name, "random") == 0)
    {
      item->kind = ITEM_RANDOM;
      tmpl->uses |= SB_TEMPLATE_USES_RANDOM;
      return parse_random (p, fields);
    }
  if (strcmp (name, "uuid") == 0)
    {
      item->kind = ITEM_UUID;
      tmpl->uses |= SB_TEMPLATE_USES_RANDOM;
      if (n_fields == 1 && strcmp (fields[0], "bin") == 0)
        item->flag = TRUE;
      else if (n_fields != 0)
        return fail_item (p, _("a uuid is text, or 16 bytes with ${uuid:bin}"));
      return TRUE;
    }
  if (strcmp (name, "begin") == 0 || strcmp (name, "end") == 0)
    {
      item->kind = name[0] == 'b' ? ITEM_BEGIN : ITEM_END;
      if (n_fields > 1 || (n_fields == 1 && !is_identifier (fields[0])))
        return fail_item (p, _("a region marker takes at most a name (letters, digits, “_” and “-”)"));
      item->arg = g_strdup (n_fields == 1 ? fields[0] : "");
      return TRUE;
    }
  if (strcmp (name, "len") == 0)
    {
      item->kind = ITEM_LEN;
      if (!parse_region_name (p, fields, TRUE))
        return FALSE;
      if (item->arg == NULL)
        item->arg = g_strdup ("");
      return TRUE;
    }
  if (strcmp (name, "rx") == 0)
    {
      item->kind = ITEM_RX;
      tmpl->uses |= SB_TEMPLATE_USES_RX;
      if (n_fields == 0)
        return TRUE;
      if (n_fields != 2 || !parse_int (fields[0], &item->a) || !parse_int (fields[1], &item->b))
        return fail_item (p, _("a part of the frame is ${rx:FIRST:LAST}, byte numbers from 0 (-1 is the last byte)"));
      item->flag = TRUE;
      return TRUE;
    }
  if (g_str_has_prefix (name, "rx."))
    {
      item->kind = ITEM_RX_GROUP;
      tmpl->uses |= SB_TEMPLATE_USES_RX;
      if (!g_ascii_isdigit (name[3]) || !parse_int (name + 3, &item->a) || item->a > 99 || n_fields != 0)
        return fail_item (p, _("a capture is ${rx.N}, N from 0 to 99"));
      return TRUE;
    }
  if (strcmp (name, "file") == 0)
    {
      item->kind = ITEM_FILE;
      tmpl->uses |= SB_TEMPLATE_USES_FILE;
      if (args == NULL || *args == '\0')
        return fail_item (p, _("a file is ${file:PATH}"));
      item->arg = g_strdup (args);
      return TRUE;
    }

  {
    g_autoptr(SbChecksum) known = NULL;

    if (strcmp (name, "crc") == 0 || (known = sb_checksum_new_from_string (name, NULL)) != NULL)
      return parse_checksum (p, name, fields);
  }

  if (p->error_pos != NULL)
    *p->error_pos = item->pos;
  g_set_error (p->error, SB_TEMPLATE_ERROR, SB_TEMPLATE_ERROR_UNKNOWN,
               _("“%s” at position %ld is not a placeholder; did you mean “${%s}”?"),
               item->source, ITEM_POS (item), sb_nearest_name (name, sb_template_list_names ()));
  return FALSE;
}

/* Literal parts */

static gboolean
add_literal (Parser     *p,
             const char *start,
             const char *end)
{
  SbTemplate *tmpl = p->tmpl;
  g_autoptr(GError) local = NULL;
  GBytes *bytes;
  Item item = { 0 };
  glong pos = -1;

  if (end == start)
    return TRUE;

  if (tmpl->mode == SB_TEMPLATE_HEX)
    {
      g_autofree char *copy = g_strndup (start, end - start);

      bytes = sb_codec_parse_hex (copy, &pos, &local);
    }
  else
    bytes = sb_codec_encode_escaped (tmpl->encoding, start, end - start, &pos, &local);

  if (bytes == NULL)
    {
      /* Again with the text before it as blanks, so the message and the
       * position are those of the whole template. */
      glong before = char_pos (p, start);
      GString *padded = g_string_new (NULL);
      g_autoptr(GBytes) again = NULL;

      for (glong i = 0; i < before; i++)
        g_string_append_c (padded, ' ');
      g_string_append_len (padded, start, end - start);
      g_clear_error (&local);
      if (tmpl->mode == SB_TEMPLATE_HEX)
        again = sb_codec_parse_hex (padded->str, &pos, &local);
      else
        again = sb_codec_encode_escaped (tmpl->encoding, padded->str, padded->len, &pos, &local);
      g_string_free (padded, TRUE);
      if (again == NULL)
        {
          if (p->error_pos != NULL)
            *p->error_pos = pos;
          g_set_error_literal (p->error, SB_TEMPLATE_ERROR, SB_TEMPLATE_ERROR_LITERAL, local->message);
          return FALSE;
        }
      /* Cannot happen: blanks encode everywhere and separate hex. */
      return fail_at (p, before, _("The text at position %ld cannot be encoded"), before + 1);
    }

  item.kind = ITEM_LITERAL;
  item.pos = char_pos (p, start);
  item.literal = bytes;
  g_array_append_val (tmpl->items, item);
  return TRUE;
}

/* Regions and what they measure */

static int
marker_index (GHashTable *markers,
              const char *name)
{
  gpointer value;

  return g_hash_table_lookup_extended (markers, name, NULL, &value) ? GPOINTER_TO_INT (value) : -1;
}

static gboolean
resolve_regions (Parser *p)
{
  GArray *items = p->tmpl->items;
  int n = (int) items->len;
  g_autoptr(GHashTable) begins = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) ends = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree int *text_lens = g_new0 (int, n + 1);   /* text lengths among the items before */
  int last_begin = -1, last_end = -1;                  /* unnamed markers so far */

  /* Markers first: a length may come before the region it measures. */
  for (int i = 0; i < n; i++)
    {
      Item *item = &g_array_index (items, Item, i);
      GHashTable *markers = item->kind == ITEM_BEGIN ? begins : ends;

      text_lens[i + 1] = text_lens[i] + (item->kind == ITEM_LEN && item->num.kind != NUM_BIN);
      if (item->kind != ITEM_BEGIN && item->kind != ITEM_END)
        continue;
      p->item = item;
      if (g_hash_table_contains (markers, item->arg))
        return fail_item (p, _("this region is marked already at position %ld"),
                          ITEM_POS (&g_array_index (items, Item, marker_index (markers, item->arg))));
      if (item->kind == ITEM_END && !g_hash_table_contains (begins, item->arg))
        return fail_item (p, _("an end needs its ${begin%s%s} before it"),
                          *item->arg ? ":" : "", item->arg);
      g_hash_table_insert (markers, item->arg, GINT_TO_POINTER (i));
    }

  for (int i = 0; i < n; i++)
    {
      Item *item = &g_array_index (items, Item, i);

      p->item = item;
      if (item->kind == ITEM_BEGIN && *item->arg == '\0')
        last_begin = i;
      else if (item->kind == ITEM_END && *item->arg == '\0')
        last_end = i;
      else if (item->kind == ITEM_LEN || (item->kind == ITEM_CHECKSUM && item->arg != NULL))
        {
          int begin = marker_index (begins, item->arg);
          int end = marker_index (ends, item->arg);

          if (begin < 0)
            return fail_item (p, _("there is no ${begin%s%s} to measure from"),
                              *item->arg ? ":" : "", item->arg);
          item->first = begin;
          item->last = end >= 0 ? end : n;
          if (item->kind == ITEM_CHECKSUM && item->first < i && i < item->last)
            return fail_item (p, _("a checksum cannot lie inside the region it covers"));
          /* A length written as text changes size with its value: the
           * region it measures must not hold one (its own or another). */
          if (item->kind == ITEM_LEN && item->num.kind != NUM_BIN &&
              text_lens[item->last] - text_lens[item->first + 1] > 0)
            {
              for (int k = item->first + 1; k < item->last; k++)
                if (text_lens[k + 1] > text_lens[k])
                  {
                    p->item = &g_array_index (items, Item, k);
                    break;
                  }
              return fail_item (p, _("a length inside the region a text length measures "
                                     "must be binary (u8, u16, u32 or u64)"));
            }
        }
      else if (item->kind == ITEM_CHECKSUM)
        {
          item->first = last_begin;
          item->last = last_end > last_begin && last_begin >= 0 ? last_end : i;
        }
    }
  return TRUE;
}

SbTemplate *
sb_template_parse (const char      *text,
                   SbTemplateMode   mode,
                   const char      *encoding,
                   glong           *error_pos,
                   GError         **error)
{
  g_autoptr(SbTemplate) tmpl = NULL;
  Parser p = { text, NULL, NULL, error_pos, error, text, 0 };
  const char *run, *c, *stop;

  g_return_val_if_fail (text != NULL, NULL);

  if (error_pos != NULL)
    *error_pos = -1;

  if (!g_utf8_validate (text, -1, &stop))
    {
      glong pos = g_utf8_pointer_to_offset (text, stop);

      if (error_pos != NULL)
        *error_pos = pos;
      g_set_error (error, SB_TEMPLATE_ERROR, SB_TEMPLATE_ERROR_LITERAL,
                   _("The text is not valid UTF-8 at position %ld"), pos + 1);
      return NULL;
    }

  if (mode == SB_TEMPLATE_TEXT && encoding != NULL &&
      g_strcmp0 (sb_codec_canonical_name (encoding), SB_ENCODING_HEX) == 0)
    mode = SB_TEMPLATE_HEX;
  if (mode == SB_TEMPLATE_HEX || encoding == NULL)
    encoding = "UTF-8";
  if (sb_codec_canonical_name (encoding) == NULL)
    {
      g_set_error (error, SB_TEMPLATE_ERROR, SB_TEMPLATE_ERROR_LITERAL,
                   _("The encoding “%s” is not supported"), encoding);
      return NULL;
    }

  tmpl = g_new0 (SbTemplate, 1);
  g_atomic_ref_count_init (&tmpl->ref_count);
  tmpl->text = g_strdup (text);
  tmpl->mode = mode;
  tmpl->encoding = g_strdup (sb_codec_canonical_name (encoding));
  tmpl->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (tmpl->items, item_clear);
  p.tmpl = tmpl;

  run = text;
  for (c = text; *c; )
    {
      const char *open, *close, *colon;
      g_autofree char *name = NULL;
      g_autofree char *args = NULL;
      Item item = { 0 };

      if (c[0] != '$')
        {
          c++;
          continue;
        }
      if (c[1] == '$' && c[2] == '{')
        {
          /* "$${": the run keeps one "$", the next starts at "{". */
          if (!add_literal (&p, run, c + 1))
            return NULL;
          run = c + 2;
          c += 3;
          continue;
        }
      if (c[1] != '{')
        {
          c++;
          continue;
        }

      if (!add_literal (&p, run, c))
        return NULL;

      open = c + 2;
      for (close = open; *close && *close != '}' && *close != '\n' &&
                         !(close[0] == '$' && close[1] == '{'); close++)
        ;
      if (*close != '}')
        {
          glong at = char_pos (&p, close);
          g_autofree char *shown = g_strndup (c, close - c);

          if (g_utf8_strlen (shown, -1) > 24)
            {
              g_autofree char *head = g_utf8_substring (shown, 0, 23);

              g_free (shown);
              shown = g_strconcat (head, "…", NULL);
            }
          fail_at (&p, at, _("“%s”: missing “}” at position %ld"), shown, at + 1);
          return NULL;
        }

      colon = memchr (open, ':', close - open);
      name = g_strndup (open, (colon ? colon : close) - open);
      if (colon != NULL)
        args = g_strndup (colon + 1, close - colon - 1);

      item.pos = char_pos (&p, c);
      item.source = g_strndup (c, close + 1 - c);
      item.num.kind = NUM_DEC;
      item.num.order = SB_BYTE_ORDER_BIG;
      item.first = -1;
      item.last = -1;
      g_array_append_val (tmpl->items, item);
      p.item = &g_array_index (tmpl->items, Item, tmpl->items->len - 1);

      if (!parse_placeholder (&p, name, args))
        return NULL;

      c = close + 1;
      run = c;
    }

  if (!add_literal (&p, run, c))
    return NULL;
  if (!resolve_regions (&p))
    return NULL;

  return g_steal_pointer (&tmpl);
}

SbTemplate *
sb_template_ref (SbTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sb_template_unref (SbTemplate *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->text);
      g_free (self->encoding);
      g_array_unref (self->items);
      g_free (self);
    }
}

const char *
sb_template_get_text (SbTemplate *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->text;
}

SbTemplateMode
sb_template_get_mode (SbTemplate *self)
{
  g_return_val_if_fail (self != NULL, SB_TEMPLATE_TEXT);
  return self->mode;
}

SbTemplateUses
sb_template_get_uses (SbTemplate *self)
{
  g_return_val_if_fail (self != NULL, SB_TEMPLATE_USES_NOTHING);
  return self->uses;
}

gboolean
sb_template_is_constant (SbTemplate *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->uses == SB_TEMPLATE_USES_NOTHING;
}

/* States */

SbTemplateState *
sb_template_state_new_with_seed (guint32 seed)
{
  SbTemplateState *state = g_new0 (SbTemplateState, 1);

  state->counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->rand = g_rand_new_with_seed (seed);
  return state;
}

SbTemplateState *
sb_template_state_new (void)
{
  SbTemplateState *state = sb_template_state_new_with_seed (0);

  g_rand_free (state->rand);
  state->rand = g_rand_new ();
  return state;
}

void
sb_template_state_free (SbTemplateState *state)
{
  if (state == NULL)
    return;
  g_hash_table_unref (state->counters);
  g_rand_free (state->rand);
  g_free (state);
}

void
sb_template_state_reset (SbTemplateState *state)
{
  g_return_if_fail (state != NULL);
  g_hash_table_remove_all (state->counters);
}
