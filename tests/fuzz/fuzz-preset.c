/* fuzz-preset.c — loading preset key files, and preset names
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: [mode] bytes…
 *
 * Mode 0 (a preset file): sb_preset_parse never crashes; what it accepts
 * is valid (sb_preset_validate), prints (g_key_file_to_data) to text that
 * is accepted again, and once printed it reads and prints back unchanged
 * (same pages, keys and values); a page's URI, when
 * it has one, goes through sb_session_spec_parse without crashing.
 * Mode 1 (a name): a name that sb_preset_check_name accepts becomes a file
 * right inside the presets folder (no "..", no "/", nothing hidden), named
 * NAME.sbpreset, and sb_preset_name_from_path gives the name back.
 */
#include "config.h"

#include "sb-address.h"
#include "sb-preset.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

#define DIR "/nonexistent/sockbench-fuzz/presets"

static void
same_contents (GKeyFile *a,
               GKeyFile *b)
{
  g_auto(GStrv) groups_a = g_key_file_get_groups (a, NULL);
  g_auto(GStrv) groups_b = g_key_file_get_groups (b, NULL);

  FUZZ_CHECK (g_strv_equal ((const char * const *) groups_a, (const char * const *) groups_b),
              "groups differ after a round trip");

  for (guint i = 0; groups_a[i] != NULL; i++)
    {
      g_auto(GStrv) keys_a = g_key_file_get_keys (a, groups_a[i], NULL, NULL);
      g_auto(GStrv) keys_b = g_key_file_get_keys (b, groups_a[i], NULL, NULL);

      FUZZ_CHECK (keys_a != NULL && keys_b != NULL &&
                  g_strv_equal ((const char * const *) keys_a, (const char * const *) keys_b),
                  "keys of [%s] differ after a round trip", groups_a[i]);
      for (guint k = 0; keys_a[k] != NULL; k++)
        {
          g_autofree char *va = g_key_file_get_value (a, groups_a[i], keys_a[k], NULL);
          g_autofree char *vb = g_key_file_get_value (b, groups_a[i], keys_a[k], NULL);

          /* GKeyFile prints raw values as they are and drops one CR at
           * the end of a line when it reads: "a\r\r" loses a CR per trip. */
          if (va != NULL && vb != NULL)
            {
              gsize la = strlen (va), lb = strlen (vb);

              while (la > 0 && va[la - 1] == '\r')
                va[--la] = '\0';
              while (lb > 0 && vb[lb - 1] == '\r')
                vb[--lb] = '\0';
            }
          FUZZ_CHECK (g_strcmp0 (va, vb) == 0, "[%s] %s changed in a round trip", groups_a[i], keys_a[k]);
        }
    }
}

static void
fuzz_file (const char *data,
           gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) keyfile = sb_preset_parse (data, len, &error);
  g_autoptr(GKeyFile) again = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) pages = NULL;
  gsize text_len = 0;
  gsize n_pages = 0;

  if (keyfile == NULL)
    {
      FUZZ_CHECK (error != NULL && error->message != NULL, "rejected without a message");
      return;
    }

  FUZZ_CHECK (sb_preset_validate (keyfile, NULL), "accepted a preset that does not validate");
  pages = sb_preset_get_pages (keyfile, &n_pages);
  FUZZ_CHECK (n_pages > 0 && g_strv_length (pages) == n_pages, "page count");

  /* GKeyFile normalizes what it prints (a raw value that ends in CRs or
   * holds a NUL does not survive; values the app writes are escaped), so
   * the property is: printed once, the preset is accepted again, and from
   * then on printing and reading change nothing. */
  text = g_key_file_to_data (keyfile, &text_len, NULL);
  again = sb_preset_parse (text, text_len, &error);
  if (again == NULL)
    fuzz_fail ("an accepted preset, printed, is refused: %s", error->message);
  {
    g_autofree char *text2 = g_key_file_to_data (again, &text_len, NULL);
    g_autoptr(GKeyFile) third = sb_preset_parse (text2, text_len, &error);

    if (third == NULL)
      fuzz_fail ("a printed preset, printed again, is refused: %s", error->message);
    same_contents (again, third);
  }

  for (gsize i = 0; i < n_pages; i++)
    {
      g_autofree char *uri = g_key_file_get_string (keyfile, pages[i], "URI", NULL);

      if (uri != NULL)
        {
          g_autoptr(SbSessionSpec) spec = sb_session_spec_parse (uri, NULL);
          (void) spec;
        }
    }
}

static void
fuzz_name (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autofree char *parent_path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *want = NULL;
  g_autofree char *back = NULL;

  if (!sb_preset_check_name (name, &error))
    {
      FUZZ_CHECK (error != NULL, "refused without a message");
      FUZZ_CHECK (sb_preset_get_file (DIR, name, NULL) == NULL, "get_file accepts what check_name refuses");
      return;
    }

  FUZZ_CHECK (strchr (name, '/') == NULL && name[0] != '.', "check_name accepted \"%s\"", name);

  file = sb_preset_get_file (DIR, name, &error);
  FUZZ_CHECK (file != NULL, "get_file refused an accepted name");
  parent = g_file_get_parent (file);
  parent_path = g_file_get_path (parent);
  basename = g_file_get_basename (file);
  want = g_strconcat (name, SB_PRESET_SUFFIX, NULL);
  FUZZ_CHECK (g_strcmp0 (parent_path, DIR) == 0, "\"%s\" lands in %s, not in the presets folder", name, parent_path);
  FUZZ_CHECK (g_strcmp0 (basename, want) == 0, "\"%s\" gives the file name \"%s\"", name, basename);

  back = sb_preset_name_from_path (basename);
  FUZZ_CHECK (g_strcmp0 (back, name) == 0, "\"%s\" → %s → \"%s\"", name, basename, back ? back : "(null)");
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  FuzzInput in = { data, size };
  guint8 mode = fuzz_byte (&in);

  fuzz_init_glib ();

  if (mode & 1)
    {
      g_autofree char *name = g_strndup ((const char *) in.data, in.len);

      fuzz_name (name);
    }
  else
    fuzz_file ((const char *) in.data, in.len);

  return 0;
}
