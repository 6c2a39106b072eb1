/* sb-session-page-python.h — a session page's "Export as Python…" actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sb-python-export.h"

G_BEGIN_DECLS

/*
 * Installs on the session page's class:
 *   page.export-python         this side as a python3 script, with a save dialog
 *   page.export-python-other   the other side (a client for a server, …)
 *   page.export-python-to      ("this" or "other", path or URI): no dialog
 * The script replaces the file atomically and is made executable for
 * whoever may read it. Errors show in the page's message bar.
 */
void  _sb_session_page_class_init_python (GtkWidgetClass *widget_class);

/* A file name for the script, "tcp_server_30000.py" or
 * "tcp_client_for_30000.py": the number is always the server's port (or
 * the name of its UNIX socket). Newly allocated. */
char *_sb_session_page_python_file_name  (const SbSessionSpec *spec,
                                          GSocketAddress      *local,
                                          SbPythonSide         side);

G_END_DECLS
