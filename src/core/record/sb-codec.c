/* sb-codec.c — text ⇄ bytes, hex and escapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-codec"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sb-codec-private.h"


static const CodecEntry codec_table[] = {
  { { "UTF-8",        N_("Unicode") },                         "UTF-8",        CODEC_UTF8,  1 },
  { { "GBK",          N_("Simplified Chinese (Windows)") },    "GBK",          CODEC_ICONV, 1 },
  { { "GB18030",      N_("Chinese (GB 18030)") },              "GB18030",      CODEC_ICONV, 1 },
  { { "Big5",         N_("Traditional Chinese") },             "BIG5",         CODEC_ICONV, 1 },
  { { "Big5-HKSCS",   N_("Traditional Chinese (Hong Kong)") }, "BIG5-HKSCS",   CODEC_ICONV, 1 },
  { { "Shift_JIS",    N_("Japanese") },                        "SHIFT_JIS",    CODEC_ICONV, 1 },
  { { "EUC-JP",       N_("Japanese (Unix)") },                 "EUC-JP",       CODEC_ICONV, 1 },
  { { "EUC-KR",       N_("Korean") },                          "EUC-KR",       CODEC_ICONV, 1 },
  { { "ISO-8859-1",   N_("Western European (Latin-1)") },      "ISO-8859-1",   CODEC_ICONV, 1 },
  { { "Windows-1252", N_("Western European (Windows)") },      "WINDOWS-1252", CODEC_ICONV, 1 },
  { { "KOI8-R",       N_("Russian") },                         "KOI8-R",       CODEC_ICONV, 1 },
  { { "UTF-16LE",     N_("Unicode, 16-bit little-endian") },   "UTF-16LE",     CODEC_ICONV, 2 },
  { { "UTF-16BE",     N_("Unicode, 16-bit big-endian") },      "UTF-16BE",     CODEC_ICONV, 2 },
  { { SB_ENCODING_HEX, N_("Bytes as hexadecimal") },           NULL,           CODEC_HEX,   1 },
};

/* Aliases are compared after folding: ASCII letters and digits only, lower
 * case, so "UTF_8", "utf8" and "Shift-JIS" need no entry of their own. */
static const struct
{
  const char *folded;
  const char *name;
} codec_aliases[] = {
  { "cp936",        "GBK" },
  { "ms936",        "GBK" },
  { "windows936",   "GBK" },
  { "gb2312",       "GBK" },  /* GBK is a superset */
  { "euccn",        "GBK" },
  { "big5hkscs",    "Big5-HKSCS" },
  { "hkscs",        "Big5-HKSCS" },
  { "sjis",         "Shift_JIS" },
  { "mskanji",      "Shift_JIS" },
  { "latin1",       "ISO-8859-1" },
  { "l1",           "ISO-8859-1" },
  { "iso885911987", "ISO-8859-1" },
  { "cp819",        "ISO-8859-1" },
  { "cp1252",       "Windows-1252" },
  { "win1252",      "Windows-1252" },
};

typedef struct
{
  gboolean supported;
  gboolean ascii_fast;   /* bytes 00–7f always decode to themselves */
} CodecRuntime;

static CodecRuntime   codec_runtime[G_N_ELEMENTS (codec_table)];
static SbEncodingInfo supported_infos[G_N_ELEMENTS (codec_table)];
static guint          n_supported_infos;

/*
 * One GIConv per encoding and thread, shared by the decoders, instead of one
 * per decoder: glibc's iconv state for GBK is ~4.5 KiB, and a decoder is kept
 * per peer and direction. Sharing is sound because every encoding here is
 * stateless and the decoder keeps an unfinished character itself (iconv
 * consumes nothing of it); it resets the descriptor after an error. The
 * decoder looks the descriptor up on the thread it runs on, each feed.
 */
typedef struct
{
  GIConv cd[G_N_ELEMENTS (codec_table)];
} IconvCache;

static void
iconv_cache_free (gpointer data)
{
  IconvCache *cache = data;

  for (guint i = 0; i < G_N_ELEMENTS (cache->cd); i++)
    if (cache->cd[i] != (GIConv) -1)
      g_iconv_close (cache->cd[i]);
  g_free (cache);
}

static GPrivate iconv_cache = G_PRIVATE_INIT (iconv_cache_free);

/* Returns the calling thread's decoding descriptor for @entry, opened on
 * first use, or (GIConv) -1 if iconv cannot open it. */
static GIConv
thread_iconv (const CodecEntry *entry)
{
  IconvCache *cache = g_private_get (&iconv_cache);
  guint i = entry - codec_table;

  if (cache == NULL)
    {
      cache = g_new (IconvCache, 1);
      for (guint k = 0; k < G_N_ELEMENTS (cache->cd); k++)
        cache->cd[k] = (GIConv) -1;
      g_private_set (&iconv_cache, cache);
    }
  if (cache->cd[i] == (GIConv) -1)
    cache->cd[i] = g_iconv_open ("UTF-8", entry->iconv_name);

  return cache->cd[i];
}

struct _SbDecoder
{
  const CodecEntry *entry;
  SbDecodeFlags     flags;
  gboolean          ascii_fast;
  GIConv            cd;            /* the thread's shared one; (GIConv) -1 unless CODEC_ICONV */
  gboolean          hex_started;
  gsize             n_pending;
  guint8            pending[MAX_PENDING];
};


G_DEFINE_QUARK (sb-codec-error-quark, sb_codec_error)

static gboolean
probe_ascii (GIConv cd)
{
  char in[128];
  char out[128];
  gchar *inbuf = in;
  gchar *outbuf = out;
  gsize inleft = sizeof in;
  gsize outleft = sizeof out;
  guint i;

  for (i = 0; i < sizeof in; i++)
    in[i] = (char) i;

  if (g_iconv (cd, &inbuf, &inleft, &outbuf, &outleft) != 0 || inleft != 0 || outleft != 0)
    return FALSE;

  return memcmp (in, out, sizeof in) == 0;
}

/* Asks iconv once which encodings it really has: the table is a wish list. */
static void
ensure_runtime (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      guint i;

      for (i = 0; i < G_N_ELEMENTS (codec_table); i++)
        {
          const CodecEntry *entry = &codec_table[i];
          CodecRuntime *rt = &codec_runtime[i];

          if (entry->kind == CODEC_ICONV)
            {
              GIConv from = g_iconv_open ("UTF-8", entry->iconv_name);
              GIConv to = g_iconv_open (entry->iconv_name, "UTF-8");

              rt->supported = from != (GIConv) -1 && to != (GIConv) -1;
              /* Not a given: glibc's Shift_JIS reads 5c as ¥ and 7e as ‾. */
              rt->ascii_fast = rt->supported && probe_ascii (from);

              if (from != (GIConv) -1)
                g_iconv_close (from);
              if (to != (GIConv) -1)
                g_iconv_close (to);

              if (!rt->supported)
                g_debug ("iconv does not support %s, not offered", entry->iconv_name);
            }
          else
            {
              rt->supported = TRUE;
              rt->ascii_fast = entry->kind == CODEC_UTF8;
            }

          if (rt->supported)
            supported_infos[n_supported_infos++] = entry->info;
        }

      g_once_init_leave (&initialized, 1);
    }
}

static gboolean
fold_name (const char *name,
           char       *folded,
           gsize       size)
{
  gsize n = 0;

  for (; *name != '\0'; name++)
    {
      if (!g_ascii_isalnum (*name))
        continue;
      if (n + 1 >= size)
        return FALSE;
      folded[n++] = g_ascii_tolower (*name);
    }
  folded[n] = '\0';

  return n > 0;
}

static const CodecEntry *
find_entry (const char *name)
{
  const char *canonical = NULL;
  char folded[32];
  char folded_entry[32];
  guint i;

  ensure_runtime ();

  /* Callers mostly pass a canonical name back. */
  for (i = 0; i < G_N_ELEMENTS (codec_table); i++)
    if (strcmp (name, codec_table[i].info.name) == 0)
      return codec_runtime[i].supported ? &codec_table[i] : NULL;

  if (!fold_name (name, folded, sizeof folded))
    return NULL;

  for (i = 0; i < G_N_ELEMENTS (codec_aliases) && canonical == NULL; i++)
    if (strcmp (folded, codec_aliases[i].folded) == 0)
      canonical = codec_aliases[i].name;

  for (i = 0; i < G_N_ELEMENTS (codec_table); i++)
    {
      gboolean match;

      if (canonical != NULL)
        match = strcmp (canonical, codec_table[i].info.name) == 0;
      else
        match = fold_name (codec_table[i].info.name, folded_entry, sizeof folded_entry)
                && strcmp (folded, folded_entry) == 0;

      if (match)
        return codec_runtime[i].supported ? &codec_table[i] : NULL;
    }

  return NULL;
}

const CodecEntry *
_sb_codec_lookup_entry (const char  *name,
              GError     **error)
{
  const CodecEntry *entry = find_entry (name);

  if (entry == NULL)
    g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNSUPPORTED,
                 _("The encoding “%s” is not supported"), name);

  return entry;
}

static gboolean
is_supported_entry_name (const char *name)
{
  return name != NULL && find_entry (name) != NULL;
}

const SbEncodingInfo *
sb_codec_get_encodings (guint *n_encodings)
{
  ensure_runtime ();

  if (n_encodings != NULL)
    *n_encodings = n_supported_infos;

  return supported_infos;
}

const char *
sb_codec_canonical_name (const char *name)
{
  const CodecEntry *entry;

  g_return_val_if_fail (name != NULL, NULL);

  entry = find_entry (name);

  return entry != NULL ? entry->info.name : NULL;
}

/* Decoding */

static inline gboolean
needs_escape (guint8 c)
{
  return c < 0x20 || c == 0x7f || c == '\\';
}

static void
append_escaped_control (GString *out,
                        guint8   c)
{
  char esc[4] = { '\\', 'x', hex_digits[c >> 4], hex_digits[c & 0xf] };

  switch (c)
    {
    case '\r': g_string_append_len (out, "\\r", 2); break;
    case '\n': g_string_append_len (out, "\\n", 2); break;
    case '\t': g_string_append_len (out, "\\t", 2); break;
    case '\0': g_string_append_len (out, "\\0", 2); break;
    case '\\': g_string_append_len (out, "\\\\", 2); break;
    default:   g_string_append_len (out, esc, 4); break;
    }
}

gboolean
sb_codec_unichar_needs_escape (gunichar c)
{
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
    return TRUE;
  if (c < 0x061c)
    return FALSE;

  return c == 0x061c ||                    /* Arabic letter mark */
         (c >= 0x200b && c <= 0x200f) ||   /* ZWSP, ZWNJ, ZWJ, LRM, RLM */
         (c >= 0x2028 && c <= 0x202e) ||   /* separators, embeddings, overrides */
         (c >= 0x2066 && c <= 0x2069) ||   /* isolates */
         c == 0xfeff;                      /* BOM / zero width no-break space */
}

/* Lead bytes of the UTF-8 of the characters above U+007F that
 * sb_codec_unichar_needs_escape() escapes: C2 (C1 controls), D8 (U+061C),
 * E2 (U+200B–U+2069), EF (U+FEFF). Only those are worth a closer look. */
static inline gboolean
may_need_escape (guint8 lead)
{
  return lead == 0xc2 || lead == 0xd8 || lead == 0xe2 || lead == 0xef;
}

/* Appends valid decoded UTF-8, escaping controls when asked. */
static void
append_text (SbDecoder  *self,
             const char *text,
             gsize       len,
             GString    *out)
{
  gsize start = 0;
  gsize i;

  if (!(self->flags & SB_DECODE_ESCAPE_CONTROLS))
    {
      g_string_append_len (out, text, len);
      return;
    }

  for (i = 0; i < len; i++)
    {
      gunichar c;
      gsize n;

      if (needs_escape ((guint8) text[i]))
        {
          g_string_append_len (out, text + start, i - start);
          append_escaped_control (out, (guint8) text[i]);
          start = i + 1;
          continue;
        }

      if (!may_need_escape ((guint8) text[i]))
        continue;

      /* @text is valid UTF-8. */
      c = g_utf8_get_char (text + i);
      if (!sb_codec_unichar_needs_escape (c))
        continue;

      n = g_unichar_to_utf8 (c, NULL);
      g_string_append_len (out, text + start, i - start);
      g_string_append_printf (out, "\\u%04x", c);
      i += n - 1;
      start = i + 1;
    }

  g_string_append_len (out, text + start, len - start);
}

static void
append_invalid (const guint8 *bytes,
                gsize         n,
                GString      *out,
                GArray       *marks)
{
  gsize i;

  for (i = 0; i < n; i++)
    {
      char esc[4] = { '\\', 'x', hex_digits[bytes[i] >> 4], hex_digits[bytes[i] & 0xf] };
      SbTextMark mark;

      mark.start = (guint) out->len;
      g_string_append_len (out, esc, sizeof esc);
      mark.end = (guint) out->len;

      if (marks != NULL)
        g_array_append_val (marks, mark);
    }
}

static void
append_hex (SbDecoder    *self,
            const guint8 *data,
            gsize         len,
            GString      *out)
{
  char buf[3 * 256];
  gsize i = 0;

  while (i < len)
    {
      gsize n = 0;

      for (; i < len && n + 3 <= sizeof buf; i++)
        {
          if (self->hex_started)
            buf[n++] = ' ';
          buf[n++] = hex_digits[data[i] >> 4];
          buf[n++] = hex_digits[data[i] & 0xf];
          self->hex_started = TRUE;
        }

      g_string_append_len (out, buf, n);
    }
}

static inline gsize
ascii_run (const guint8 *p,
           gsize         len)
{
  gsize i = 0;

  while (i < len && p[i] < 0x80)
    i++;

  return i;
}

/* Returns the length of the well-formed UTF-8 sequence at @p (Unicode table
 * 3-7: no overlongs, surrogates or values above U+10FFFF), 0 if it is
 * ill-formed, or -1 if it is a valid prefix cut short by the end of input. */
static int
utf8_sequence (const guint8 *p,
               gsize         avail)
{
  guint8 lo = 0x80;
  guint8 hi = 0xbf;
  int n;
  int i;

  if (p[0] >= 0xc2 && p[0] <= 0xdf)
    n = 2;
  else if (p[0] >= 0xe0 && p[0] <= 0xef)
    {
      n = 3;
      if (p[0] == 0xe0)
        lo = 0xa0;
      else if (p[0] == 0xed)
        hi = 0x9f;
    }
  else if (p[0] >= 0xf0 && p[0] <= 0xf4)
    {
      n = 4;
      if (p[0] == 0xf0)
        lo = 0x90;
      else if (p[0] == 0xf4)
        hi = 0x8f;
    }
  else
    return 0;

  for (i = 1; i < n; i++)
    {
      if ((gsize) i >= avail)
        return -1;
      if (p[i] < lo || p[i] > hi)
        return 0;
      lo = 0x80;
      hi = 0xbf;
    }

  return n;
}

/* One byte at a time resync: an ill-formed sequence loses only its first
 * byte, and since its other bytes are continuation bytes (ill-formed on their
 * own) the result equals the "maximal subpart" rule, one \xNN per byte. */
static gsize
decode_run_utf8 (SbDecoder    *self,
                 const guint8 *in,
                 gsize         len,
                 gboolean      final,
                 GString      *out,
                 GArray       *marks)
{
  gsize pos = 0;

  while (pos < len)
    {
      gsize start = pos;
      int n = 0;

      while (pos < len)
        {
          if (in[pos] < 0x80)
            {
              pos += 1 + ascii_run (in + pos + 1, len - pos - 1);
              continue;
            }

          n = utf8_sequence (in + pos, len - pos);
          if (n <= 0)
            break;
          pos += n;
        }

      append_text (self, (const char *) in + start, pos - start, out);

      if (pos == len)
        break;

      if (n < 0 && !final)
        return pos;

      append_invalid (in + pos, 1, out, marks);
      pos++;
    }

  return pos;
}

/* glibc reports EILSEQ only when no following bytes could make the sequence
 * valid (checked for every prefix of up to 4 bytes of the encodings above;
 * the tests check all pairs), so an EILSEQ is escaped right away and only
 * EINVAL waits for more input. */
static gsize
decode_run_iconv (SbDecoder    *self,
                  const guint8 *in,
                  gsize         len,
                  gboolean      final,
                  GString      *out,
                  GArray       *marks)
{
  char buf[4096];
  gsize pos = 0;

  self->cd = thread_iconv (self->entry);
  g_assert (self->cd != (GIConv) -1);

  while (pos < len)
    {
      gchar *inbuf;
      gchar *outbuf = buf;
      gsize inleft;
      gsize outleft = sizeof buf;
      gsize unit;
      gsize r;
      int saved_errno;

      if (self->ascii_fast && in[pos] < 0x80)
        {
          gsize run = ascii_run (in + pos, len - pos);

          append_text (self, (const char *) in + pos, run, out);
          pos += run;
          continue;
        }

      inbuf = (gchar *) in + pos;
      inleft = len - pos;
      r = g_iconv (self->cd, &inbuf, &inleft, &outbuf, &outleft);
      saved_errno = errno;

      append_text (self, buf, outbuf - buf, out);
      pos = (const guint8 *) inbuf - in;

      if (r != (gsize) -1 || saved_errno == E2BIG)
        continue;

      if (saved_errno == EINVAL && !final && len - pos < MAX_CHAR_LEN)
        return pos;

      /* EILSEQ, or an unfinished character at the very end */
      unit = MIN (self->entry->unit, len - pos);
      append_invalid (in + pos, unit, out, marks);
      pos += unit;
      g_iconv (self->cd, NULL, NULL, NULL, NULL);
    }

  return pos;
}

/* Decodes as much of @in as possible and returns how many bytes were used;
 * the rest is an incomplete character (never when @final). */
static gsize
decode_run (SbDecoder    *self,
            const guint8 *in,
            gsize         len,
            gboolean      final,
            GString      *out,
            GArray       *marks)
{
  if (self->entry->kind == CODEC_UTF8)
    return decode_run_utf8 (self, in, len, final, out, marks);
  else
    return decode_run_iconv (self, in, len, final, out, marks);
}

SbDecoder *
sb_decoder_new (const char     *encoding,
                SbDecodeFlags   flags,
                GError        **error)
{
  const CodecEntry *entry;
  SbDecoder *self;

  g_return_val_if_fail (encoding != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  entry = _sb_codec_lookup_entry (encoding, error);
  if (entry == NULL)
    return NULL;

  self = g_new0 (SbDecoder, 1);
  self->entry = entry;
  self->flags = flags;
  self->ascii_fast = codec_runtime[entry - codec_table].ascii_fast;
  self->cd = (GIConv) -1;

  if (entry->kind == CODEC_ICONV)
    {
      self->cd = thread_iconv (entry);
      if (self->cd == (GIConv) -1)
        {
          g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_UNSUPPORTED,
                       _("The encoding “%s” is not supported"), entry->info.name);
          g_free (self);
          return NULL;
        }
    }

  return self;
}

void
sb_decoder_free (SbDecoder *self)
{
  if (self == NULL)
    return;

  /* The descriptor is the thread's, shared. */
  g_free (self);
}

void
sb_decoder_reset (SbDecoder *self)
{
  g_return_if_fail (self != NULL);

  self->n_pending = 0;
  self->hex_started = FALSE;
}

gsize
sb_decoder_get_pending (SbDecoder *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_pending;
}

void
sb_decoder_feed (SbDecoder    *self,
                 const guint8 *data,
                 gsize         len,
                 GString      *out,
                 GArray       *marks)
{
  gsize used;

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);
  g_return_if_fail (out != NULL);
  g_return_if_fail (marks == NULL || g_array_get_element_size (marks) == sizeof (SbTextMark));

  if (self->entry->kind == CODEC_HEX)
    {
      append_hex (self, data, len, out);
      return;
    }

  /* Finish the character split by the previous feed: decode the kept bytes
   * with a little new data behind them, then go on in @data itself. */
  while (self->n_pending > 0 && len > 0)
    {
      guint8 joint[2 * MAX_PENDING];
      gsize kept = self->n_pending;
      gsize n = MIN (len, sizeof joint - kept);

      memcpy (joint, self->pending, kept);
      memcpy (joint + kept, data, n);
      used = decode_run (self, joint, kept + n, FALSE, out, marks);

      if (used >= kept)
        {
          self->n_pending = 0;
          data += used - kept;
          len -= used - kept;
        }
      else
        {
          self->n_pending = kept + n - used;
          g_assert (self->n_pending <= MAX_PENDING);
          memmove (self->pending, joint + used, self->n_pending);
          data += n;
          len -= n;
        }
    }

  if (len == 0)
    return;

  used = decode_run (self, data, len, FALSE, out, marks);
  self->n_pending = len - used;
  g_assert (self->n_pending <= MAX_PENDING);
  memcpy (self->pending, data + used, self->n_pending);
}

void
sb_decoder_finish (SbDecoder *self,
                   GString   *out,
                   GArray    *marks)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail (marks == NULL || g_array_get_element_size (marks) == sizeof (SbTextMark));

  if (self->n_pending > 0)
    {
      guint8 kept[MAX_PENDING];
      gsize n = self->n_pending;

      /* Resync as if the stream had ended: the first byte is escaped and
       * what follows it may still be text. */
      memcpy (kept, self->pending, n);
      self->n_pending = 0;
      decode_run (self, kept, n, TRUE, out, marks);
    }

  sb_decoder_reset (self);
}

char *
sb_codec_decode (const char    *encoding,
                 const guint8  *data,
                 gsize          len,
                 SbDecodeFlags  flags,
                 GArray        *marks)
{
  g_autoptr(SbDecoder) decoder = NULL;
  GString *out;

  g_return_val_if_fail (is_supported_entry_name (encoding), NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (marks == NULL || g_array_get_element_size (marks) == sizeof (SbTextMark), NULL);

  decoder = sb_decoder_new (encoding, flags, NULL);
  if (decoder == NULL)
    return g_strdup ("");

  out = g_string_sized_new (len + 16);

  if (decoder->entry->kind == CODEC_HEX)
    append_hex (decoder, data, len, out);
  else
    decode_run (decoder, data, len, TRUE, out, marks);

  return g_string_free (out, FALSE);
}

char *
_sb_codec_dup_char (const char *p)
{
  return g_strndup (p, g_utf8_next_char (p) - p);
}

gboolean
_sb_codec_check_text (const char  *text,
            gsize        len,
            glong       *error_pos,
            GError     **error)
{
  const char *end;
  glong pos;

  if (g_utf8_validate_len (text, len, &end))
    return TRUE;

  pos = g_utf8_pointer_to_offset (text, end);
  if (error_pos != NULL)
    *error_pos = pos;
  g_set_error (error, SB_CODEC_ERROR, SB_CODEC_ERROR_INVALID_TEXT,
               _("The text is not valid UTF-8 at position %ld"), pos + 1);

  return FALSE;
}

const char *
sb_codec_encoding_for_languages (const char * const *languages)
{
  const char *lang;

  /* Only the most wanted language counts; "C" means no preference. */
  if (languages == NULL || languages[0] == NULL)
    return "UTF-8";

  lang = languages[0];

  if (g_str_has_prefix (lang, "zh_TW") ||
      g_str_has_prefix (lang, "zh_HK") ||
      g_str_has_prefix (lang, "zh_MO") ||
      g_str_has_prefix (lang, "zh_Hant"))
    return sb_codec_canonical_name ("BIG5") ? sb_codec_canonical_name ("BIG5") : "BIG5";

  if (g_str_equal (lang, "zh") ||
      g_str_has_prefix (lang, "zh_") ||
      g_str_has_prefix (lang, "zh.") ||
      g_str_has_prefix (lang, "zh@"))
    return sb_codec_canonical_name ("GB18030") ? sb_codec_canonical_name ("GB18030") : "GB18030";

  return sb_codec_canonical_name ("UTF-8") ? sb_codec_canonical_name ("UTF-8") : "UTF-8";
}

const char *
sb_codec_default_encoding (void)
{
  return sb_codec_encoding_for_languages (g_get_language_names ());
}
