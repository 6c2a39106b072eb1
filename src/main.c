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
#include "sb-sessions.h"
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
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SOCKBENCH_LOCALEDIR") ? g_getenv ("SOCKBENCH_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Only with SOCKBENCH_BENCH=1: a main-loop latency probe for bench/. */
  sb_bench_probe_init ();

  /* The network runs on the engine's thread; this one prints or draws. */
  sb_sessions_set_engine (sb_engine_get_default ());

  if (wants_headless (argc, argv))
    status = sb_headless_run (argc, argv);
  else
#if HAVE_GTK
    status = sb_application_run (argc, argv);
#else
    {
      g_printerr ("%s\n", _("This build of Sockbench has no window; run it with --headless."));
      status = 2;
    }
#endif

  sb_sessions_set_engine (NULL);
  sb_engine_shutdown ();
  return status;
}

