/* sb-test-util.h — what the socket tests share: bounded waits, sessions
 * from URIs, and reading back what a session recorded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-engine.h"
#include "sb-framer.h"
#include "sb-session.h"

G_BEGIN_DECLS

/* Every wait is bounded; a test that hangs fails here instead. (tools/test
 * --tsan, where everything runs 5–15 times slower, builds with a longer one.) */
#ifndef SB_TEST_WAIT_SECONDS
#define SB_TEST_WAIT_SECONDS 10
#endif

gboolean    sb_test_tick             (gpointer     data);

#define WAIT_UNTIL(expr) G_STMT_START {                                               \
    gint64 _deadline = g_get_monotonic_time () + SB_TEST_WAIT_SECONDS * G_USEC_PER_SEC; \
    guint _tick = g_timeout_add (10, sb_test_tick, NULL);                             \
    while (!(expr))                                                                   \
      {                                                                               \
        if (g_get_monotonic_time () > _deadline)                                      \
          g_error ("timed out waiting for %s", #expr);                                \
        g_main_context_iteration (NULL, TRUE);                                        \
      }                                                                               \
    g_source_remove (_tick);                                                          \
  } G_STMT_END

/* A temporary folder for the test program, removed by sb_test_run(). */
extern char *sb_test_tmpdir;

void        sb_test_init             (int         *argc,
                                      char      ***argv);
int         sb_test_run              (void);

SbSession  *session_for              (const char  *uri);
SbSession  *start                    (const char  *uri);
gboolean    is_ready                 (SbSession   *session);
SbSession  *start_ready              (const char  *uri);
/* A session on @engine (NULL: this thread), started and ready. */
SbSession  *start_ready_on           (const char  *uri,
                                      SbEngine    *engine);
guint16     local_port               (SbSession   *session);
SbSession  *start_client_to          (const char  *scheme,
                                      const char  *host,
                                      SbSession   *server);
guint       n_peers                  (SbSession   *session);
/* Borrowed from the session's peer list. */
SbPeer     *peer_at                  (SbSession   *session,
                                      guint        i);
/* All payload bytes recorded in @direction, in order. */
GByteArray *collect                  (SbSession   *session,
                                      SbDirection  direction);
gsize       collected_len            (SbSession   *session,
                                      SbDirection  direction);
guint       count_events             (SbSession   *session,
                                      SbEventKind  kind);
gboolean    received_equals          (SbSession   *session,
                                      const char  *text);
void        send_text                (SbSession   *session,
                                      SbPeer      *peer,
                                      const char  *text);
/* Stops @session, drops the caller's reference and waits until it is
 * finalized (what the stop cancelled lets go of it in its callbacks). */
void        stop_and_free            (SbSession   *session);
gboolean    have_ipv6                (void);
/* The framer of @spec, which must be valid. */
SbFramer   *framer                   (const char  *spec);
/* Descriptors this process has open now (/proc/self/fd, its own included). */
guint       n_open_fds               (void);
/* A plain blocking socket connected to @server, for peers that misbehave. */
GSocket    *raw_connect              (SbSession   *server);

G_END_DECLS
