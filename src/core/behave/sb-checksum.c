/* sb-checksum.c — sums and CRCs of frames, and checking them on receive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One CRC engine for every width: the register is kept reflected (LSB
 * first), so a byte is one table look-up and a shift whatever the width,
 * and a width below 8 needs no special case. Input bytes of a CRC without
 * refin are reflected on the way in, the register on the way out unless
 * refout.
 */
#define G_LOG_DOMAIN "sb-checksum"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sb-checksum.h"

typedef enum
{
  KIND_SUM8,
  KIND_XOR8,
  KIND_LRC,
  KIND_CRC,
} Kind;

struct _SbChecksum
{
  gatomicrefcount  ref_count;
  Kind             kind;
  char            *name;
  char            *display;     /* "CRC-16/MODBUS" */
  SbCrcParams      params;
  SbByteOrder      order;
  guint64          ref_poly;
  guint64          ref_init;
  guint64          mask;
  guint64          table[256];
};

typedef struct
{
  const char *name;
  const char *alias;
  Kind        kind;
  SbCrcParams params;
  SbByteOrder order;
} CatalogueEntry;

/* Parameters as the CRC catalogue lists them. */
static const CatalogueEntry catalogue[] = {
  { "crc-16/modbus",      "modbus",       KIND_CRC, { 16, 0x8005, 0xffff, TRUE, TRUE, 0 }, SB_BYTE_ORDER_LITTLE },
  { "crc-16/ccitt-false", "crc-16/ibm-3740", KIND_CRC, { 16, 0x1021, 0xffff, FALSE, FALSE, 0 }, SB_BYTE_ORDER_BIG },
  { "crc-16/xmodem",      "xmodem",       KIND_CRC, { 16, 0x1021, 0, FALSE, FALSE, 0 }, SB_BYTE_ORDER_BIG },
  { "crc-16/arc",         "crc-16/ibm",   KIND_CRC, { 16, 0x8005, 0, TRUE, TRUE, 0 }, SB_BYTE_ORDER_BIG },
  { "crc-32",             "crc-32/iso-hdlc", KIND_CRC, { 32, 0x04c11db7, 0xffffffff, TRUE, TRUE, 0xffffffff }, SB_BYTE_ORDER_BIG },
  { "crc-32c",            "crc-32/iscsi", KIND_CRC, { 32, 0x1edc6f41, 0xffffffff, TRUE, TRUE, 0xffffffff }, SB_BYTE_ORDER_BIG },
  { "crc-8",              "crc-8/smbus",  KIND_CRC, { 8, 0x07, 0, FALSE, FALSE, 0 }, SB_BYTE_ORDER_BIG },
  { "sum8",               NULL,           KIND_SUM8, { 8, 0, 0, FALSE, FALSE, 0 }, SB_BYTE_ORDER_BIG },
  { "xor8",               NULL,           KIND_XOR8, { 8, 0, 0, FALSE, FALSE, 0 }, SB_BYTE_ORDER_BIG },
  { "lrc",                NULL,           KIND_LRC, { 8, 0, 0, FALSE, FALSE, 0 }, SB_BYTE_ORDER_BIG },
};

G_DEFINE_QUARK (sb-checksum-error-quark, sb_checksum_error)

static guint64
reflect (guint64 value,
         guint   width)
{
  guint64 out = 0;

  for (guint i = 0; i < width; i++)
    {
      out = (out << 1) | (value & 1);
      value >>= 1;
    }
  return out;
}

static guint64
width_mask (guint width)
{
  return width >= 64 ? G_MAXUINT64 : ((guint64) 1 << width) - 1;
}

static SbChecksum *
checksum_new (Kind               kind,
              const SbCrcParams *params,
              SbByteOrder        order,
              const char        *name)
{
  SbChecksum *self = g_new0 (SbChecksum, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->params = *params;
  self->order = order;
  self->mask = width_mask (params->width);

  if (name != NULL)
    self->name = g_strdup (name);
  else
    self->name = g_strdup_printf ("crc:width=%u,poly=0x%" G_GINT64_MODIFIER "x,init=0x%" G_GINT64_MODIFIER "x,"
                                  "refin=%s,refout=%s,xorout=0x%" G_GINT64_MODIFIER "x",
                                  params->width, params->poly, params->init,
                                  params->refin ? "true" : "false",
                                  params->refout ? "true" : "false",
                                  params->xorout);
  self->display = name != NULL ? g_ascii_strup (name, -1) : g_strdup (_("Custom CRC"));

  if (kind == KIND_CRC)
    {
      self->ref_poly = reflect (params->poly, params->width);
      self->ref_init = reflect (params->init, params->width);
      for (guint i = 0; i < 256; i++)
        {
          guint64 crc = i;

          for (guint bit = 0; bit < 8; bit++)
            crc = (crc & 1) ? (crc >> 1) ^ self->ref_poly : crc >> 1;
          self->table[i] = crc;
        }
    }

  return self;
}

static SbChecksum *
catalogue_get (guint index)
{
  static SbChecksum *made[G_N_ELEMENTS (catalogue)];
  static gsize done;

  if (g_once_init_enter (&done))
    {
      for (guint i = 0; i < G_N_ELEMENTS (catalogue); i++)
        made[i] = checksum_new (catalogue[i].kind, &catalogue[i].params,
                                catalogue[i].order, catalogue[i].name);
      g_once_init_leave (&done, 1);
    }

  return sb_checksum_ref (made[index]);
}

const char * const *
sb_checksum_list_names (void)
{
  static const char *names[G_N_ELEMENTS (catalogue) + 1];
  static gsize done;

  if (g_once_init_enter (&done))
    {
      for (guint i = 0; i < G_N_ELEMENTS (catalogue); i++)
        names[i] = catalogue[i].name;
      g_once_init_leave (&done, 1);
    }
  return names;
}

/* Lower case without "-", "/" and "_", for comparing what was typed. */
static char *
fold_name (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p; p++)
    if (*p != '-' && *p != '/' && *p != '_' && *p != ' ')
      g_string_append_c (out, g_ascii_tolower (*p));
  return g_string_free (out, FALSE);
}

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = g_new (guint, lb + 1);

  for (gsize j = 0; j <= lb; j++)
    row[j] = j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diag = row[0];

      row[0] = i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint up = row[j];
          guint best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);

          best = MIN (best, up + 1);
          best = MIN (best, row[j - 1] + 1);
          row[j] = best;
          diag = up;
        }
    }
  return row[lb];
}

static guint
name_score (const char *typed,
            const char *name)
{
  g_autofree char *folded = fold_name (name);

  return (*typed && g_str_has_prefix (folded, typed)) ? 0 : edit_distance (typed, folded) + 1;
}

const char *
sb_nearest_name (const char         *typed,
                 const char * const *names)
{
  g_autofree char *folded = NULL;
  const char *best = NULL;
  guint best_score = G_MAXUINT;

  g_return_val_if_fail (typed != NULL, NULL);
  g_return_val_if_fail (names != NULL, NULL);

  folded = fold_name (typed);
  for (guint i = 0; names[i] != NULL; i++)
    {
      guint score = name_score (folded, names[i]);

      if (score < best_score)
        {
          best_score = score;
          best = names[i];
        }
    }
  return best;
}

const char *
sb_checksum_nearest_name (const char *name)
{
  g_autofree char *typed = NULL;
  const char *best = catalogue[0].name;
  guint best_score = G_MAXUINT;

  g_return_val_if_fail (name != NULL, NULL);

  typed = fold_name (name);
  for (guint i = 0; i < G_N_ELEMENTS (catalogue); i++)
    {
      const char *names[2] = { catalogue[i].name, catalogue[i].alias };

      for (guint k = 0; k < 2; k++)
        {
          guint score;

          if (names[k] == NULL)
            continue;
          score = name_score (typed, names[k]);
          if (score < best_score)
            {
              best_score = score;
              best = catalogue[i].name;
            }
        }
    }
  return best;
}

static gboolean
parse_u64 (const char *text,
           guint64    *value)
{
  char *end = NULL;

  if (text[0] == '\0' || text[0] == '-' || text[0] == '+' || g_ascii_isspace (text[0]))
    return FALSE;
  errno = 0;
  *value = g_ascii_strtoull (text, &end, 0);
  return errno == 0 && end != text && *end == '\0';
}

static gboolean
parse_bool (const char *text,
            gboolean   *value)
{
  if (g_ascii_strcasecmp (text, "true") == 0 || strcmp (text, "1") == 0)
    *value = TRUE;
  else if (g_ascii_strcasecmp (text, "false") == 0 || strcmp (text, "0") == 0)
    *value = FALSE;
  else
    return FALSE;
  return TRUE;
}

static SbChecksum *
parse_custom (const char  *text,
              GError     **error)
{
  g_auto(GStrv) fields = g_strsplit_set (text, ", \t", -1);
  SbCrcParams params = { 0, 0, 0, FALSE, FALSE, 0 };
  gboolean have_width = FALSE, have_poly = FALSE, have_refout = FALSE;

  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *field = fields[i];
      const char *eq = strchr (field, '=');
      g_autofree char *key = NULL;
      const char *value;
      gboolean ok;

      if (*field == '\0')
        continue;
      if (eq == NULL)
        {
          g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                       _("“%s” in a custom CRC is not KEY=VALUE (width, poly, init, refin, refout, xorout)"), field);
          return NULL;
        }
      key = g_ascii_strdown (field, eq - field);
      value = eq + 1;
      if (strcmp (key, "width") == 0)
        {
          guint64 w = 0;

          ok = parse_u64 (value, &w);
          if (ok && (w < 1 || w > 64))
            {
              g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                           _("A CRC is 1 to 64 bits wide, not %s"), value);
              return NULL;
            }
          params.width = (guint) w;
          have_width = ok;
        }
      else if (strcmp (key, "poly") == 0)
        ok = have_poly = parse_u64 (value, &params.poly);
      else if (strcmp (key, "init") == 0)
        ok = parse_u64 (value, &params.init);
      else if (strcmp (key, "xorout") == 0)
        ok = parse_u64 (value, &params.xorout);
      else if (strcmp (key, "refin") == 0)
        ok = parse_bool (value, &params.refin);
      else if (strcmp (key, "refout") == 0)
        ok = have_refout = parse_bool (value, &params.refout);
      else
        {
          g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                       _("A custom CRC has no parameter “%s” (width, poly, init, refin, refout, xorout)"), key);
          return NULL;
        }
      if (!ok)
        {
          g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                       _("“%s” is not a valid value for the CRC parameter “%s”"), value, key);
          return NULL;
        }
    }

  if (!have_width || !have_poly)
    {
      g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                   _("A custom CRC needs at least width=BITS and poly=NUMBER, as in “crc:width=16,poly=0x8005”"));
      return NULL;
    }
  if (!have_refout)
    params.refout = params.refin;

  return sb_checksum_new_crc (&params, error);
}

SbChecksum *
sb_checksum_new_from_string (const char  *name,
                             GError     **error)
{
  g_return_val_if_fail (name != NULL, NULL);

  if (!g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_UNKNOWN,
                   _("A checksum name is text; this one is not valid UTF-8"));
      return NULL;
    }

  if (g_ascii_strncasecmp (name, "crc:", 4) == 0)
    return parse_custom (name + 4, error);

  if (*name == '\0')
    {
      g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_UNKNOWN,
                   _("Name a checksum, as “crc-16/modbus” or “crc-32”"));
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (catalogue); i++)
    if (g_ascii_strcasecmp (name, catalogue[i].name) == 0 ||
        (catalogue[i].alias != NULL && g_ascii_strcasecmp (name, catalogue[i].alias) == 0))
      return catalogue_get (i);

  g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_UNKNOWN,
               _("No checksum is called “%s”; did you mean “%s”?"),
               name, sb_checksum_nearest_name (name));
  return NULL;
}

SbChecksum *
sb_checksum_new_crc (const SbCrcParams  *params,
                     GError            **error)
{
  guint64 mask;

  g_return_val_if_fail (params != NULL, NULL);

  if (params->width < 1 || params->width > 64)
    {
      g_autofree char *width_text = g_strdup_printf ("%u", params->width);

      g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                   _("A CRC is 1 to 64 bits wide, not %s"), width_text);
      return NULL;
    }
  mask = width_mask (params->width);
  if ((params->poly & ~mask) || (params->init & ~mask) || (params->xorout & ~mask))
    {
      g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                   _("The polynomial, init and xorout of a %u-bit CRC must fit in %u bits"),
                   params->width, params->width);
      return NULL;
    }
  if ((params->poly & 1) == 0)
    {
      g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                   _("A CRC polynomial is odd (its lowest bit is set), as 0x8005 or 0x04c11db7"));
      return NULL;
    }

  return checksum_new (KIND_CRC, params, SB_BYTE_ORDER_BIG, NULL);
}

SbChecksum *
sb_checksum_ref (SbChecksum *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sb_checksum_unref (SbChecksum *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->name);
      g_free (self->display);
      g_free (self);
    }
}

const char *
sb_checksum_get_name (const SbChecksum *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

guint
sb_checksum_get_width (const SbChecksum *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->params.width;
}

guint
sb_checksum_get_size (const SbChecksum *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return (self->params.width + 7) / 8;
}

SbByteOrder
sb_checksum_get_byte_order (const SbChecksum *self)
{
  g_return_val_if_fail (self != NULL, SB_BYTE_ORDER_BIG);
  return self->order;
}

gboolean
sb_checksum_get_crc_params (const SbChecksum *self,
                            SbCrcParams      *params)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->kind != KIND_CRC)
    return FALSE;
  if (params != NULL)
    *params = self->params;
  return TRUE;
}

guint64
sb_checksum_start (const SbChecksum *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->kind == KIND_CRC ? self->ref_init : 0;
}

guint64
sb_checksum_update (const SbChecksum *self,
                    guint64           state,
                    const guint8     *data,
                    gsize             len)
{
  static guint8 reflected[256];
  static gsize reflected_done;

  g_return_val_if_fail (self != NULL, state);
  g_return_val_if_fail (data != NULL || len == 0, state);

  switch (self->kind)
    {
    case KIND_SUM8:
    case KIND_LRC:
      for (gsize i = 0; i < len; i++)
        state += data[i];
      return state & 0xff;
    case KIND_XOR8:
      for (gsize i = 0; i < len; i++)
        state ^= data[i];
      return state;
    case KIND_CRC:
    default:
      break;
    }

  if (self->params.refin)
    {
      for (gsize i = 0; i < len; i++)
        state = self->table[(state ^ data[i]) & 0xff] ^ (state >> 8);
      return state;
    }

  if (g_once_init_enter (&reflected_done))
    {
      for (guint i = 0; i < 256; i++)
        reflected[i] = (guint8) reflect (i, 8);
      g_once_init_leave (&reflected_done, 1);
    }
  for (gsize i = 0; i < len; i++)
    state = self->table[(state ^ reflected[data[i]]) & 0xff] ^ (state >> 8);
  return state;
}

guint64
sb_checksum_finish (const SbChecksum *self,
                    guint64           state)
{
  g_return_val_if_fail (self != NULL, 0);

  switch (self->kind)
    {
    case KIND_SUM8:
    case KIND_XOR8:
      return state & 0xff;
    case KIND_LRC:
      return (0x100 - (state & 0xff)) & 0xff;
    case KIND_CRC:
    default:
      break;
    }

  if (!self->params.refout)
    state = reflect (state, self->params.width);
  return (state ^ self->params.xorout) & self->mask;
}

guint64
sb_checksum_compute (const SbChecksum *self,
                     const guint8     *data,
                     gsize             len)
{
  g_return_val_if_fail (self != NULL, 0);

  return sb_checksum_finish (self, sb_checksum_update (self, sb_checksum_start (self), data, len));
}

void
sb_put_uint (guint64      value,
             guint        size,
             SbByteOrder  order,
             guint8      *out)
{
  g_return_if_fail (size >= 1 && size <= 8);

  for (guint i = 0; i < size; i++)
    {
      guint8 b = (guint8) (value >> (8 * i));

      if (order == SB_BYTE_ORDER_LITTLE)
        out[i] = b;
      else
        out[size - 1 - i] = b;
    }
}

guint64
sb_get_uint (const guint8 *data,
             guint         size,
             SbByteOrder   order)
{
  guint64 value = 0;

  g_return_val_if_fail (size >= 1 && size <= 8, 0);

  for (guint i = 0; i < size; i++)
    {
      guint8 b = order == SB_BYTE_ORDER_LITTLE ? data[size - 1 - i] : data[i];

      value = (value << 8) | b;
    }
  return value;
}

gboolean
sb_byte_order_from_string (const char  *text,
                           SbByteOrder *order)
{
  if (g_ascii_strcasecmp (text, "le") == 0)
    *order = SB_BYTE_ORDER_LITTLE;
  else if (g_ascii_strcasecmp (text, "be") == 0)
    *order = SB_BYTE_ORDER_BIG;
  else
    return FALSE;
  return TRUE;
}

const char *
sb_byte_order_to_string (SbByteOrder order)
{
  return order == SB_BYTE_ORDER_LITTLE ? "le" : "be";
}

/* Check specs */

struct _SbCheckSpec
{
  SbChecksum *checksum;
  gint64      first;
  gint64      last;
  gboolean    ranged;   /* FIRST:LAST given and not the default */
  SbByteOrder order;
};

static gboolean
parse_offset (const char *text,
              gint64     *value)
{
  char *end = NULL;

  if (text[0] == '\0' || g_ascii_isspace (text[0]))
    return FALSE;
  errno = 0;
  *value = g_ascii_strtoll (text, &end, 10);
  return errno == 0 && end != text && *end == '\0' &&
         *value > -(1 << 30) && *value < (1 << 30);
}

SbCheckSpec *
sb_check_spec_parse (const char  *text,
                     GError     **error)
{
  g_auto(GStrv) fields = NULL;
  g_autoptr(SbChecksum) checksum = NULL;
  g_autoptr(SbCheckSpec) spec = NULL;
  guint n, i = 1;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                   _("A checksum name is text; this one is not valid UTF-8"));
      return NULL;
    }

  fields = g_strsplit (text, ":", -1);
  n = g_strv_length (fields);
  if (n == 0 || fields[0][0] == '\0')
    {
      g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                   _("A check names a checksum, as in “crc-16/modbus” or “crc-32:0:-5”"));
      return NULL;
    }

  if (g_ascii_strcasecmp (fields[0], "crc") == 0)
    {
      g_autofree char *custom = NULL;

      if (n < 2)
        {
          g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                       _("A custom CRC needs at least width=BITS and poly=NUMBER, as in “crc:width=16,poly=0x8005”"));
          return NULL;
        }
      custom = g_strconcat ("crc:", fields[1], NULL);
      checksum = sb_checksum_new_from_string (custom, error);
      i = 2;
    }
  else
    checksum = sb_checksum_new_from_string (fields[0], error);
  if (checksum == NULL)
    return NULL;

  spec = g_new0 (SbCheckSpec, 1);
  spec->order = sb_checksum_get_byte_order (checksum);
  spec->first = 0;
  spec->last = -1 - (gint64) sb_checksum_get_size (checksum);

  if (i < n && !sb_byte_order_from_string (fields[i], &spec->order))
    {
      if (i + 1 >= n || !parse_offset (fields[i], &spec->first) || !parse_offset (fields[i + 1], &spec->last))
        {
          g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                       _("“%s”: after the checksum come FIRST:LAST (byte numbers, -1 is the last byte) and “le” or “be”"),
                       text);
          return NULL;
        }
      i += 2;
      if (i < n && !sb_byte_order_from_string (fields[i++], &spec->order))
        i = n + 1;
    }
  else if (i < n)
    i++;

  if (i != n)
    {
      g_set_error (error, SB_CHECKSUM_ERROR, SB_CHECKSUM_ERROR_INVALID,
                   _("“%s”: after the checksum come FIRST:LAST (byte numbers, -1 is the last byte) and “le” or “be”"),
                   text);
      return NULL;
    }

  spec->ranged = !(spec->first == 0 && spec->last == -1 - (gint64) sb_checksum_get_size (checksum));
  spec->checksum = g_steal_pointer (&checksum);
  return g_steal_pointer (&spec);
}

void
sb_check_spec_free (SbCheckSpec *spec)
{
  if (spec == NULL)
    return;
  g_clear_pointer (&spec->checksum, sb_checksum_unref);
  g_free (spec);
}

SbCheckSpec *
sb_check_spec_copy (const SbCheckSpec *spec)
{
  SbCheckSpec *copy;

  g_return_val_if_fail (spec != NULL, NULL);

  copy = g_memdup2 (spec, sizeof *spec);
  copy->checksum = sb_checksum_ref (spec->checksum);
  return copy;
}

char *
sb_check_spec_to_string (const SbCheckSpec *spec)
{
  GString *out;

  g_return_val_if_fail (spec != NULL, NULL);

  out = g_string_new (sb_checksum_get_name (spec->checksum));
  if (spec->ranged)
    g_string_append_printf (out, ":%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, spec->first, spec->last);
  if (spec->order != sb_checksum_get_byte_order (spec->checksum))
    g_string_append_printf (out, ":%s", sb_byte_order_to_string (spec->order));
  return g_string_free (out, FALSE);
}

SbChecksum *
sb_check_spec_get_checksum (const SbCheckSpec *spec)
{
  g_return_val_if_fail (spec != NULL, NULL);
  return spec->checksum;
}

SbCheckStatus
sb_check_spec_verify (const SbCheckSpec *spec,
                      const guint8      *data,
                      gsize              len,
                      SbCheckResult     *result)
{
  SbCheckResult r = { SB_CHECK_SHORT, 0, 0, 0, 0, 0 };
  guint size;
  gint64 first, last;

  g_return_val_if_fail (spec != NULL, SB_CHECK_SHORT);
  g_return_val_if_fail (data != NULL || len == 0, SB_CHECK_SHORT);

  size = sb_checksum_get_size (spec->checksum);
  first = spec->first < 0 ? (gint64) len + spec->first : spec->first;
  last = spec->last < 0 ? (gint64) len + spec->last : spec->last;

  if (first >= 0 && last >= first - 1 && last + 1 + (gint64) size <= (gint64) len)
    {
      r.first = (gsize) first;
      r.last = (gsize) last;
      r.at = (gsize) last + 1;
      r.expected = sb_checksum_compute (spec->checksum, data + first, (gsize) (last + 1 - first));
      r.found = sb_get_uint (data + r.at, size, spec->order);
      r.status = r.expected == r.found ? SB_CHECK_OK : SB_CHECK_BAD;
    }

  if (result != NULL)
    *result = r;
  return r.status;
}

static char *
format_value (guint64     value,
              guint       size,
              SbByteOrder order)
{
  guint8 bytes[8];
  GString *out = g_string_new (NULL);

  sb_put_uint (value, size, order, bytes);
  for (guint i = 0; i < size; i++)
    g_string_append_printf (out, i ? " %02x" : "%02x", bytes[i]);
  return g_string_free (out, FALSE);
}

char *
sb_check_result_describe (const SbCheckSpec   *spec,
                          const SbCheckResult *result,
                          gsize                len)
{
  const char *name;
  guint size;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (result != NULL, NULL);

  name = spec->checksum->display;
  size = sb_checksum_get_size (spec->checksum);

  if (result->status == SB_CHECK_SHORT)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s: frame too short (%lu byte)",
                                         "%s: frame too short (%lu bytes)", len),
                            name, (gulong) len);

  {
    g_autofree char *expected = format_value (result->expected, size, spec->order);
    g_autofree char *found = format_value (result->found, size, spec->order);

    if (result->status == SB_CHECK_OK)
      return g_strdup_printf (_("%s ok (%s)"), name, found);
    return g_strdup_printf (_("%s bad: expected %s, found %s"), name, expected, found);
  }
}
