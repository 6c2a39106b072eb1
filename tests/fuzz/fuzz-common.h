/* fuzz-common.h — shared by the libFuzzer harnesses in tests/fuzz/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every harness takes a few leading bytes of the input as choices (which
 * encoding, where to cut) and the rest as data. A broken property is an
 * abort() with a message saying which, so libFuzzer saves the input as a
 * crash and tools/fuzz counts it.
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  const guint8 *data;
  gsize         len;
} FuzzInput;

static inline guint8
fuzz_byte (FuzzInput *in)
{
  guint8 b;

  if (in->len == 0)
    return 0;
  b = in->data[0];
  in->data++;
  in->len--;
  return b;
}

static inline guint16
fuzz_u16 (FuzzInput *in)
{
  guint16 hi = fuzz_byte (in);

  return (guint16) (hi << 8 | fuzz_byte (in));
}

G_GNUC_NORETURN G_GNUC_PRINTF (1, 2) static inline void
fuzz_fail (const char *format,
           ...)
{
  va_list args;

  va_start (args, format);
  fputs ("FUZZ PROPERTY BROKEN: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  abort ();
}

#define FUZZ_CHECK(expr, ...) G_STMT_START { \
    if (G_UNLIKELY (!(expr)))                 \
      fuzz_fail (__VA_ARGS__);                \
  } G_STMT_END

/* memcmp that accepts NULL with length 0 (empty GBytes have no data). */
static inline gboolean
fuzz_mem_equal (const void *a,
                gsize       a_len,
                const void *b,
                gsize       b_len)
{
  return a_len == b_len && (a_len == 0 || memcmp (a, b, a_len) == 0);
}

static inline gboolean
fuzz_bytes_equal (GBytes     *bytes,
                  const void *data,
                  gsize       len)
{
  gsize n = 0;
  const void *p = g_bytes_get_data (bytes, &n);

  return fuzz_mem_equal (p, n, data, len);
}

/* UTF-8 validity where U+0000 is allowed (g_utf8_validate stops at NUL). */
static inline gboolean
fuzz_utf8_valid (const char *text,
                 gsize       len)
{
  const char *end = text + len;

  while (text < end)
    {
      const char *stop;

      if (g_utf8_validate_len (text, end - text, &stop))
        return TRUE;
      if (*stop != '\0')
        return FALSE;
      text = stop + 1;
    }

  return TRUE;
}

/* The characters above U+007F that SB_DECODE_ESCAPE_CONTROLS writes as
 * \uNNNN (and peer labels as \xNN) because they would act on a terminal or
 * change what is shown: C1 controls (U+0080–U+009F), the Arabic letter mark
 * (U+061C), ZWSP, ZWNJ, ZWJ, LRM, RLM (U+200B–U+200F), the line and
 * paragraph separators and the bidi embeddings and overrides
 * (U+2028–U+202E), the bidi isolates (U+2066–U+2069) and the BOM (U+FEFF).
 * Written apart from sb_codec_unichar_needs_escape() on purpose: a model,
 * not a copy; test-codec checks the predicate against the same list. */
static inline gboolean
fuzz_is_escaped_unichar (gunichar c)
{
  return (c >= 0x80 && c <= 0x9f) ||
         c == 0x061c ||
         (c >= 0x200b && c <= 0x200f) ||
         (c >= 0x2028 && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069) ||
         c == 0xfeff;
}

/* Prints @len bytes as hex to stderr after a label (for failure reports). */
static inline void
fuzz_dump (const char   *label,
           const guint8 *data,
           gsize         len)
{
  fprintf (stderr, "%s (%zu):", label, len);
  for (gsize i = 0; i < len && i < 512; i++)
    fprintf (stderr, " %02x", data[i]);
  fputs (len > 512 ? " …\n" : "\n", stderr);
}

/* GLib criticals and warnings are bugs here too. abort() rather than GLib's
 * own fatal path (a SIGTRAP, which libFuzzer does not catch), so the input
 * is saved as a crash. */
static void
fuzz_log_handler (const char     *domain,
                  GLogLevelFlags  level,
                  const char     *message,
                  gpointer        data)
{
  /* GLib 2.74's g_key_file_get_string() sets its own error twice for a
   * value with a bad escape and a trailing backslash ("a\\q\\"): GLib's bug,
   * not ours (it still returns a value and an error). */
  if (g_strcmp0 (domain, "GLib") == 0 &&
      g_str_has_prefix (message, "GError set over the top of a previous GError") &&
      strstr (message, "escape character at end of line") != NULL)
    return;

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    fuzz_fail ("%s: %s", domain ? domain : "?", message);
}

static inline void
fuzz_init_glib (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_setenv ("G_SLICE", "always-malloc", TRUE);
  g_log_set_default_handler (fuzz_log_handler, NULL);
}
