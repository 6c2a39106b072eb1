/* replay-main.c — runs a libFuzzer harness over saved inputs, without libFuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   replay-NAME PATH…
 *
 * Linked with one tests/fuzz/fuzz-NAME.c in the normal build (gcc, no
 * libFuzzer), so tools/test replays every corpus and regression input and a
 * harness whose model no longer matches the product fails there, not only
 * in a fuzzing run. Calls LLVMFuzzerInitialize() if the harness has one,
 * then LLVMFuzzerTestOneInput() once on the empty input and once for every
 * file given and every file in every folder given (in name order, hidden
 * files left out). Each input is printed before it runs, so the last name
 * printed is the one that broke a property (an abort). Exits 1 if a path
 * cannot be read or no input was found.
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
/* Weak: harnesses without one leave it NULL. */
int LLVMFuzzerInitialize (int *argc, char ***argv) __attribute__ ((weak));

static gboolean
replay_file (const char *path,
             guint      *n_inputs)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *exact = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      fprintf (stderr, "replay: %s\n", error->message);
      return FALSE;
    }

  /* A copy of exactly @len bytes: reading past the end is then caught by
   * the sanitizers (g_file_get_contents adds a NUL). */
  exact = g_malloc (MAX (len, 1));
  if (len > 0)
    memcpy (exact, contents, len);

  printf ("%s (%zu bytes)\n", path, len);
  fflush (stdout);
  LLVMFuzzerTestOneInput (exact, len);
  (*n_inputs)++;

  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static gboolean
replay_dir (const char *path,
            guint      *n_inputs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      fprintf (stderr, "replay: %s\n", error->message);
      return FALSE;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file = g_build_filename (path, g_ptr_array_index (names, i), NULL);

      if (g_file_test (file, G_FILE_TEST_IS_DIR))
        continue;
      if (!replay_file (file, n_inputs))
        return FALSE;
    }

  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  static const uint8_t empty[1];
  guint n_inputs = 0;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s FILE-OR-FOLDER…\n", argv[0]);
      return 1;
    }

  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize (&argc, &argv);

  printf ("(empty input)\n");
  fflush (stdout);
  LLVMFuzzerTestOneInput (empty, 0);

  for (int i = 1; i < argc; i++)
    {
      gboolean ok = g_file_test (argv[i], G_FILE_TEST_IS_DIR)
                    ? replay_dir (argv[i], &n_inputs)
                    : replay_file (argv[i], &n_inputs);

      if (!ok)
        return 1;
    }

  if (n_inputs == 0)
    {
      fprintf (stderr, "replay: no inputs in the paths given\n");
      return 1;
    }

  printf ("replayed %u inputs and the empty one\n", n_inputs);
  return 0;
}
