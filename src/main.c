/* main.c — locale, gettext, then the window or the headless runner
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "sb-bench-probe.h"
#include "sb-headless.h"
#if HAVE_GTK
# include "sb-application.h"
#endif

static gboolean
wants_headless (int    argc,
                char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_str_equal (argv[i], "--headless"))
        return TRUE;
    }

  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SOCKBENCH_LOCALEDIR") ? g_getenv ("SOCKBENCH_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Only with SOCKBENCH_BENCH=1: a main-loop latency probe for bench/. */
  sb_bench_probe_init ();

  if (wants_headless (argc, argv))
    return sb_headless_run (argc, argv);

#if HAVE_GTK
  return sb_application_run (argc, argv);
#else
  g_printerr ("%s\n", _("This build of Sockbench has no window; run it with --headless."));
  return 2;
#endif
}
