/* sb-scenario.h — scripted conversations: send, expect, wait, loop (Lua 5.4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-session.h"

G_BEGIN_DECLS

/*
 * A scenario is a Lua 5.4 script run as a coroutine on the thread-default
 * main context of whoever calls sb_scenario_run(): never a blocking call,
 * never a second loop. connect/listen, expect and sleep yield; sessions'
 * signals, frames and g_timeout sources resume them.
 *
 * The script API (names are a contract: they may grow, not change):
 *
 *   c = connect(uri [, {frame = "line", timeout = ms}])
 *   c = listen(uri [, {frame = …, echo = true}])
 *                                     the new connection becomes the current one;
 *                                     echo: the engine echoes what it receives
 *   send(data [, peer])               data: a string, hex("01 03"), tmpl("…${seq}")
 *   frame, cap1, … = expect(pattern [, timeout_ms])
 *                                     nil, reason on timeout or close
 *   sleep(ms)   peers()   sender()   address()   port()   close()   shutdown()
 *   now()                             a monotonic clock, ms
 *   time()                            when the last frame expect() returned arrived (now()'s clock)
 *   log(…)   check(cond, message)   assert(cond, message)   test(name, fn)
 *   use(c)   hex(text)   tmpl(text [, "hex"])   re(pcre)   pat(lua_pattern)
 *   readfile(path)                    only paths allowed by sb_scenario_allow_file()
 *
 * Each connection has methods of the same names (c:send, c:expect, c:close,
 * c:shutdown, c:peers, c:sender, c:address, c:port, c:time); the global functions act on the
 * current connection. Patterns: a plain string matches a frame that contains
 * it, hex("01 03") one that contains those bytes, re("OK (\\d+)") a GRegex
 * (PCRE) over the raw bytes, pat("OK (%d+)") a Lua pattern, a function
 * fn(frame) one for which it returns a true value (its further values are
 * the captures), nil or "" any frame.
 * Frames that do not match are passed over (they stay in the history).
 * expect returns the frame and the captures (the match itself when the
 * pattern has no groups). Frames come from the connection's framer (the
 * "frame" option, a framer spec: line, delim:0d0a, len:2:be, …; default:
 * each read, or each datagram).
 *
 * Sandbox: base (no dofile, loadfile; load takes text only), string (no
 * dump), table, math, utf8, coroutine. No io, os, package or debug; print
 * goes to log. expect, sleep, connect and listen must be called from the
 * scenario itself, not from a coroutine the script made.
 *
 * Failures and script errors name their line. A peer that resets
 * mid-scenario fails the current test at the line the script was at.
 *
 * Properties: "state" (SbScenarioState), "line" (the line the script is at
 * or waits on), "step-budget" (Lua instructions, 0 for no limit), "session"
 * (nullable: the page's session, the current connection from the start),
 * "n-passed", "n-failed".
 *
 * Signals:
 *   test-started (const char *name, guint line)
 *   test-finished (const char *name, gboolean passed, const char *message, guint line)
 *   log (const char *message, guint line)
 *   line-changed (guint line)       when the script waits, pauses or ends
 *                                    (and at every line while stepping)
 *   session-added (SbSession *session)   connect() or listen() made it
 *   finished (const char *summary)  "12 passed, 1 failed: expected OK within
 *                                    500 ms at line 14"
 *
 * Each result and log line is also an event in the history of the current
 * connection's session.
 *
 * Main thread only (the one that runs it).
 */

typedef enum
{
  SB_SCENARIO_STATE_IDLE,
  SB_SCENARIO_STATE_RUNNING,
  SB_SCENARIO_STATE_PAUSED,     /* stepping: waits for sb_scenario_step() */
  SB_SCENARIO_STATE_FINISHED,
} SbScenarioState;

#define SB_SCENARIO_ERROR (sb_scenario_error_quark ())
typedef enum
{
  SB_SCENARIO_ERROR_SYNTAX,     /* the script does not compile; the message names the line */
  SB_SCENARIO_ERROR_FILE,       /* the script file cannot be read */
  SB_SCENARIO_ERROR_BUSY,       /* it is running */
} SbScenarioError;

/* The default step budget of a run without a window. */
#define SB_SCENARIO_DEFAULT_STEP_BUDGET G_GUINT64_CONSTANT (200000000)

/* One test's result; "script" results stand for code outside any test. */
typedef struct
{
  char    *name;
  gboolean passed;
  char    *message;   /* NULL when passed */
  guint    line;      /* of the failure, or of the test() call; 0 if unknown */
  gint64   duration_us;
} SbScenarioResult;

#define SB_TYPE_SCENARIO (sb_scenario_get_type ())
G_DECLARE_FINAL_TYPE (SbScenario, sb_scenario, SB, SCENARIO, GObject)

GQuark          sb_scenario_error_quark     (void);

SbScenario     *sb_scenario_new             (void);
/* Compiles @text (named @name in messages, e.g. "poll.lua"). On a syntax
 * error nothing changes and the message names the line. */
gboolean        sb_scenario_load_text       (SbScenario   *self,
                                             const char   *text,
                                             const char   *name,
                                             GError      **error);
gboolean        sb_scenario_load_file       (SbScenario   *self,
                                             const char   *path,
                                             GError      **error);
/* The script's text and name, or NULL before one is loaded. */
const char     *sb_scenario_get_text        (SbScenario   *self);
const char     *sb_scenario_get_name        (SbScenario   *self);

/* readfile() may read @path (exactly as given). */
void            sb_scenario_allow_file      (SbScenario   *self,
                                             const char   *path);
void            sb_scenario_set_step_budget (SbScenario   *self,
                                             guint64       budget);
guint64         sb_scenario_get_step_budget (SbScenario   *self);
/* The page's session: the current connection from the start; it is not
 * stopped when the scenario ends. */
void            sb_scenario_set_session     (SbScenario   *self,
                                             SbSession    *session);
SbSession      *sb_scenario_get_session     (SbScenario   *self);
/* The framer spec expect() uses on the page's session (its setup's
 * "framing"); NULL or "none": each read. Checked at the next run. */
void            sb_scenario_set_framing     (SbScenario   *self,
                                             const char   *spec);

/* Starts the loaded script from the top (results cleared). Runs until its
 * first wait before returning. */
gboolean        sb_scenario_run             (SbScenario   *self,
                                             GError      **error);
/* Starts it paused before its first line, or runs one more line when
 * paused. While running, pauses at the next line. */
gboolean        sb_scenario_step            (SbScenario   *self,
                                             GError      **error);
/* Goes on from a pause without stepping. */
void            sb_scenario_continue        (SbScenario   *self);
/* Stops at once, from outside, at any time: the current test fails as
 * stopped, the sessions the script made stop, "finished" is emitted. */
void            sb_scenario_stop            (SbScenario   *self);

SbScenarioState sb_scenario_get_state       (SbScenario   *self);
guint           sb_scenario_get_line        (SbScenario   *self);
guint           sb_scenario_get_n_passed    (SbScenario   *self);
guint           sb_scenario_get_n_failed    (SbScenario   *self);
guint           sb_scenario_get_n_results   (SbScenario   *self);
/* Borrowed; valid until the next run. */
const SbScenarioResult *sb_scenario_get_result (SbScenario *self,
                                             guint         index);
/* "12 passed, 1 failed: expected OK within 500 ms at line 14", translated.
 * Newly allocated. */
char           *sb_scenario_dup_summary     (SbScenario   *self);
/* The sessions connect() and listen() made in this run, in order. Borrowed. */
GPtrArray      *sb_scenario_get_sessions    (SbScenario   *self);

G_END_DECLS
