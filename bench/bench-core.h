/* bench-core.h — what the benchmark programs that link the core share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * They run the real core objects (SbSession, SbHistory) on a GLib main loop
 * in-process, print "key value" lines on stdout for bench/driver.py like the
 * POSIX programs, and bound every wait.
 */
#pragma once

#include <gio/gio.h>

#include "sb-bench-probe.h"
#include "sb-session.h"

G_BEGIN_DECLS

typedef gboolean (*BenchCondition) (gpointer data);

/* Parses "--name=VALUE" options into @entries (a GOptionEntry array);
 * exits with status 2 on a bad command line. */
void       bench_parse_options   (int           *argc,
                                  char        ***argv,
                                  const char    *summary,
                                  GOptionEntry  *entries);
/* Prints "KEY VALUE" on stdout and flushes. */
void       bench_out             (const char    *key,
                                  const char    *format,
                                  ...) G_GNUC_PRINTF (2, 3);
/* Iterates the default main context until @condition holds or @seconds
 * passed. Returns the condition's last value. */
gboolean   bench_wait            (BenchCondition condition,
                                  gpointer       data,
                                  double         seconds);
/* Runs the main loop for @seconds. */
void       bench_run_for         (double         seconds);
/* Starts a session for @uri and waits (at most 10 s) until it listens or is
 * connected; exits with status 1 if it fails. */
SbSession *bench_start_session   (const char    *uri);
guint16    bench_session_port    (SbSession     *session);
/* Prints loop_p50_ms, loop_p99_ms, loop_max_ms, frame_… */
void       bench_out_lateness    (void);
/* Prints rss_kb and hwm_kb. */
void       bench_out_memory      (void);
/* The kernel's drop counter of the UDP socket on 127.0.0.1:@port, or -1. */
gint64     bench_udp_drops       (guint16        port);

G_END_DECLS
