/* sb-scenario-python.h — a scenario as an equivalent python3 script
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Returns a python3 script (standard library only, newly allocated) that
 * does what the scenario @text does, line by line: connect and listen
 * (tcp, tcp-listen, udp, udp-listen), send, expect (text, hex() and re()
 * patterns; the "line" framing or each read), sleep, log, check, assert,
 * close, shutdown, test(), numeric for loops, while, if/elseif/else and
 * local variables of simple expressions. A line it has no equivalent for
 * becomes a comment that names it, and a call that stops the script there
 * with the same message; @unsupported (nullable) gets their line numbers
 * (GUINT_TO_POINTER), in order. Strings from the script are written as
 * escaped literals; the script's own code is never copied into comments.
 */
char *sb_scenario_to_python (const char  *text,
                             const char  *name,
                             GPtrArray  **unsupported);

G_END_DECLS
