/* sb-scenario-private.h — shared by sb-scenario.c and sb-scenario-lua.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <lua.h>
#include <lauxlib.h>

#include "sb-frames.h"
#include "sb-responder.h"
#include "sb-scenario.h"
#include "sb-template.h"

G_BEGIN_DECLS

typedef enum
{
  SB_WAIT_NONE,
  SB_WAIT_CONNECT,   /* a connection to connect or listen */
  SB_WAIT_FRAME,     /* expect */
  SB_WAIT_SLEEP,
  SB_WAIT_SLICE,     /* the hook yielded so the main loop can run */
  SB_WAIT_STEP,      /* paused, stepping */
} SbWaitKind;

typedef struct
{
  GBytes *bytes;
  char   *peer;      /* its label */
  gint64  time;      /* when it arrived, monotonic µs */
} SbQueuedFrame;

/* Frames kept for expect() beyond this are dropped, oldest first. */
#define SB_SCENARIO_MAX_QUEUED 100000

typedef struct
{
  SbScenario      *scenario;    /* borrowed */
  SbSession       *session;     /* owned */
  SbFrames        *frames;      /* owned; NULL: each read is a frame */
  SbTemplateState *templates;
  GQueue           queue;       /* SbQueuedFrame, received and not yet expected */
  char            *uri;
  char            *sender;      /* the peer of the last frame expect returned */
  GBytes          *last_rx;     /* that frame, for ${rx} in templates */
  gint64           last_time;   /* when it arrived, monotonic µs */
  SbResponder     *responder;   /* listen(uri, {echo = true}) */
  char            *reset;       /* a reset not yet reported, or NULL */
  guint            reset_line;
  guint            n_peers_gone;
  gboolean         owned;       /* made by the script: stopped at the end */
  gboolean         closing;     /* closed by the script */
  gboolean         eof;         /* the peer closed in order */
} SbScenarioConn;

struct _SbScenario
{
  GObject     parent_instance;

  /* Owned */
  char       *text;
  char       *name;
  char       *source;        /* "=name", the chunk's source in debug info */
  char       *framing;       /* the page session's framer spec, or NULL */
  GPtrArray  *allowed;       /* readfile() paths */
  SbSession  *session;       /* the page's, nullable */
  GPtrArray  *conns;         /* SbScenarioConn, this run's */
  GPtrArray  *sessions;      /* SbSession, made by this run */
  GPtrArray  *results;       /* SbScenarioResult */
  lua_State  *L;
  lua_State  *co;            /* the script's coroutine (anchored in the registry) */
  gsize       memory;

  SbScenarioState state;
  guint64     budget;
  guint64     steps;
  guint       line;
  guint       n_passed;
  guint       n_failed;

  /* The current test */
  char       *test_name;
  guint       test_line;
  gint64      test_start;
  gboolean    in_test;

  /* Waiting */
  SbWaitKind  wait;
  SbScenarioConn *wait_conn;
  SbScenarioConn *current;
  guint       timer_id;
  gboolean    timed_out;
  guint       resume_id;
  gint64      slice_start;
  guint       slice_line;
  gboolean    stepping;
  gboolean    resuming;      /* inside lua_resume */
  gboolean    abort;         /* budget exhausted or stopped: no more Lua */
  char       *abort_message;
  gboolean    abort_reported;
};

/* sb-scenario.c */
SbScenario     *_sb_scenario_from_lua      (lua_State      *L);
void            _sb_scenario_wake          (SbScenario     *self);
void            _sb_scenario_wake_now      (SbScenario     *self);
void            _sb_scenario_wait          (SbScenario     *self,
                                            SbWaitKind      kind,
                                            SbScenarioConn *conn,
                                            gint64          deadline_us);
void            _sb_scenario_wait_done     (SbScenario     *self);
guint           _sb_scenario_current_line  (lua_State      *L);
void            _sb_scenario_log           (SbScenario     *self,
                                            const char     *message,
                                            guint           line);
void            _sb_scenario_test_begin    (SbScenario     *self,
                                            const char     *name,
                                            guint           line);
void            _sb_scenario_test_end      (SbScenario     *self,
                                            gboolean        passed,
                                            const char     *error);
void            _sb_scenario_event         (SbScenario     *self,
                                            const char     *message);
void            _sb_scenario_session_added (SbScenario     *self,
                                            SbSession      *session);
/* Splits "NAME:LINE: message" into the message and the line. */
char           *_sb_scenario_split_error   (SbScenario     *self,
                                            const char     *error,
                                            guint          *line);

/* sb-scenario-lua.c */
lua_State      *_sb_scenario_lua_new       (SbScenario     *self,
                                            GError        **error);

/* Raise @message at the caller's line ("name:14: message"). Lua errors
 * and yields longjmp: nothing owned may be in scope (no g_auto variable)
 * when a C function raises or yields. _take and _error free what they
 * are given first. */
G_GNUC_NORETURN
void            _sb_scenario_raise         (lua_State      *L,
                                            const char     *message);
G_GNUC_NORETURN
void            _sb_scenario_raise_take    (lua_State      *L,
                                            char           *message);
G_GNUC_NORETURN
void            _sb_scenario_raise_error   (lua_State      *L,
                                            GError         *error);

/* sb-scenario-match.c: hex(), tmpl(), re(), pat() */
void            _sb_scenario_values_register (lua_State    *L);
/* Pushes the frame and its captures when @data matches the pattern at
 * @index; returns how many values it pushed, 0 for no match. */
int             _sb_scenario_match         (lua_State      *L,
                                            int             index,
                                            const guint8   *data,
                                            gsize           len);
/* What a pattern or a frame looks like in messages. Newly allocated. */
char           *_sb_scenario_describe_pattern (lua_State   *L,
                                            int             index);
char           *_sb_scenario_describe_bytes (const guint8  *data,
                                            gsize           len);
/* The bytes send() sends for the value at @index. */
GBytes         *_sb_scenario_to_bytes      (lua_State      *L,
                                            int             index,
                                            SbScenarioConn *conn);

/* sb-scenario-conn.c */
SbScenarioConn *_sb_scenario_conn_new      (SbScenario     *self,
                                            SbSession      *session,
                                            gboolean        owned);
/* @spec: a framer spec, NULL or "none" for each read. */
gboolean        _sb_scenario_conn_set_framing (SbScenarioConn *conn,
                                            const char     *spec,
                                            GError        **error);
void            _sb_scenario_conn_free     (SbScenarioConn *conn);
SbQueuedFrame  *_sb_scenario_conn_pop      (SbScenarioConn *conn);
void            _sb_queued_frame_free      (SbQueuedFrame  *frame);
/* The peer of @conn's session labelled @label, or NULL. Owned. */
SbPeer         *_sb_scenario_conn_find_peer (SbScenarioConn *conn,
                                            const char     *label);

G_END_DECLS
