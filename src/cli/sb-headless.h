/* sb-headless.h — run sessions without a window, one line per record
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Parses the command line (sockbench --headless URI… [options]), runs the
 * sessions on a main loop and returns the process exit status. */
int sb_headless_run (int    argc,
                     char **argv);

G_END_DECLS
