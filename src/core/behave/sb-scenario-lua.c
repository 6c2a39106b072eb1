/* sb-scenario-lua.c — the script API and its sandbox
 *
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-scenario"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#include "sb-codec.h"
#include "sb-scenario-private.h"
#include "sb-sessions.h"

/* A script gets at most this much memory. */
#define MEMORY_LIMIT (256 * 1024 * 1024)
#define DEFAULT_EXPECT_MS 5000

#define CONN_TYPE  "sockbench.connection"

static const char prelude[] =
  "local begin_test, end_test, pcall, error = ...\n"
  "function test(name, fn)\n"
  "  begin_test(name, fn)\n"
  "  local ok, err = pcall(fn)\n"
  "  if end_test(ok, err) then error(err, 0) end\n"
  "end\n";

static void *
allocate (void   *ud,
          void   *ptr,
          size_t  osize,
          size_t  nsize)
{
  SbScenario *self = ud;
  void *p;

  if (ptr == NULL)
    osize = 0;
  if (nsize == 0)
    {
      free (ptr);
      self->memory -= osize;
      return NULL;
    }
  if (nsize > osize && self->memory + (nsize - osize) > MEMORY_LIMIT)
    return NULL;
  p = realloc (ptr, nsize);
  if (p == NULL)
    return NULL;
  self->memory = self->memory - osize + nsize;
  return p;
}

/* Lua errors and yields longjmp: a C function holds nothing owned (no
 * g_auto variable in scope) when it raises or yields. These take
 * ownership of what they report and free it before raising. */
void
_sb_scenario_raise_take (lua_State *L,
                         char      *message)
{
  luaL_where (L, 1);
  lua_pushstring (L, message);
  g_free (message);
  lua_concat (L, 2);
  lua_error (L);
  g_assert_not_reached ();
}

void
_sb_scenario_raise_error (lua_State *L,
                          GError    *error)
{
  char *message = g_strdup (error->message);

  g_error_free (error);
  _sb_scenario_raise_take (L, message);
}

/* Raises @message at the caller's line ("name:14: message"). */
void
_sb_scenario_raise (lua_State  *L,
                    const char *message)
{
  luaL_where (L, 1);
  lua_pushstring (L, message);
  lua_concat (L, 2);
  lua_error (L);
  g_assert_not_reached ();
}

static void
raise_abort (lua_State  *L,
             SbScenario *self)
{
  if (self->abort)
    {
      lua_pushstring (L, self->abort_message);
      lua_error (L);
    }
}

static void
must_wait_here (lua_State  *L,
                SbScenario *self,
                const char *function)
{
  raise_abort (L, self);
  if (L == self->co && lua_isyieldable (L))
    return;
  _sb_scenario_raise_take (L, g_strdup_printf (_("%s() can only wait in the scenario itself, not in a coroutine or callback of the script"),
                                               function));
}

static SbScenarioConn *
to_conn (lua_State *L,
         int        index)
{
  SbScenarioConn **p = luaL_testudata (L, index, CONN_TYPE);

  return p != NULL ? *p : NULL;
}

/* The connection a call is for: a connection as first argument (c:send …),
 * or the current one. Sets *@base to the first other argument. */
static SbScenarioConn *
get_conn (lua_State *L,
          int       *base)
{
  SbScenario *self = _sb_scenario_from_lua (L);
  SbScenarioConn *conn = to_conn (L, 1);

  if (conn != NULL)
    {
      *base = 2;
      return conn;
    }
  *base = 1;
  if (self->current == NULL)
    _sb_scenario_raise (L, _("There is no connection yet: call connect() or listen() first"));
  return self->current;
}

/* A reset the script has not seen yet is an error where it goes on. */
static void
check_reset (lua_State      *L,
             SbScenarioConn *conn)
{
  if (conn->reset == NULL)
    return;
  _sb_scenario_raise_take (L, g_steal_pointer (&conn->reset));
}

/* expect: the stack is conn?, pattern, timeout, deadline, last frame. */
static int
expect_k (lua_State     *L,
          int            status,
          lua_KContext   ctx)
{
  SbScenario *self = _sb_scenario_from_lua (L);
  int base = (int) ctx;
  SbScenarioConn *conn = base == 2 ? to_conn (L, 1) : self->current;
  gint64 deadline = lua_tointeger (L, base + 2);
  SbQueuedFrame *frame;
  g_autofree char *what = NULL;
  g_autofree char *reason = NULL;
  SbSessionState state;

  raise_abort (L, self);
  while ((frame = _sb_scenario_conn_pop (conn)) != NULL)
    {
      gint64 time = frame->time;
      const char *data;
      size_t len;
      int n;

      /* On the stack, not owned here: a pattern function may raise. */
      lua_pushlstring (L, g_bytes_get_data (frame->bytes, NULL), g_bytes_get_size (frame->bytes));
      lua_pushstring (L, frame->peer);
      _sb_queued_frame_free (frame);
      data = lua_tolstring (L, -2, &len);

      n = _sb_scenario_match (L, base, (const guint8 *) data, len);
      if (n > 0)
        {
          int top = lua_gettop (L);

          g_free (conn->sender);
          conn->sender = g_strdup (lua_tostring (L, top - n));
          g_clear_pointer (&conn->last_rx, g_bytes_unref);
          conn->last_rx = g_bytes_new (data, len);
          conn->last_time = time;
          lua_remove (L, top - n);
          lua_remove (L, top - n - 1);
          _sb_scenario_wait_done (self);
          return n;
        }
      lua_pop (L, 1);
      lua_replace (L, base + 3);
    }

  if (conn->reset != NULL)
    {
      _sb_scenario_wait_done (self);
      check_reset (L, conn);
    }

  state = sb_session_get_state (conn->session);
  if (state == SB_SESSION_STATE_FAILED || state == SB_SESSION_STATE_CLOSED ||
      (conn->eof && g_list_model_get_n_items (sb_session_get_peers (conn->session)) == 0))
    {
      what = _sb_scenario_describe_pattern (L, base);
      reason = g_strdup_printf (_("the connection closed while expecting %s"), what);
    }
  else if (self->timed_out || g_get_monotonic_time () >= deadline)
    {
      what = _sb_scenario_describe_pattern (L, base);
      reason = g_strdup_printf (_("expected %s within %u ms"), what,
                                (guint) lua_tointeger (L, base + 1));
    }

  if (reason != NULL)
    {
      _sb_scenario_wait_done (self);
      if (lua_isstring (L, base + 3))
        {
          size_t len;
          const char *last = lua_tolstring (L, base + 3, &len);
          g_autofree char *shown = _sb_scenario_describe_bytes ((const guint8 *) last, len);
          g_autofree char *full = g_strdup_printf (_("%s (the last frame was %s)"), reason, shown);

          g_free (reason);
          reason = g_steal_pointer (&full);
        }
      lua_pushnil (L);
      lua_pushstring (L, reason);
      return 2;
    }

  _sb_scenario_wait (self, SB_WAIT_FRAME, conn, deadline);
  return lua_yieldk (L, 0, ctx, expect_k);
}

static int
l_expect (lua_State *L)
{
  SbScenario *self = _sb_scenario_from_lua (L);
  int base;
  SbScenarioConn *conn = get_conn (L, &base);
  lua_Integer timeout = luaL_optinteger (L, base + 1, DEFAULT_EXPECT_MS);

  (void) conn;
  must_wait_here (L, self, "expect");
  if (timeout < 0)
    luaL_argerror (L, base + 1, _("the timeout must be 0 or more milliseconds"));
  check_reset (L, conn);
  lua_settop (L, base + 1);
  lua_pushinteger (L, timeout);
  lua_replace (L, base + 1);
  lua_pushinteger (L, g_get_monotonic_time () + timeout * G_TIME_SPAN_MILLISECOND);
  lua_pushnil (L);
  _sb_scenario_wait_done (self);
  return expect_k (L, LUA_OK, base);
}

static int
sleep_k (lua_State    *L,
         int           status,
         lua_KContext  ctx)
{
  SbScenario *self = _sb_scenario_from_lua (L);
  gint64 deadline = lua_tointeger (L, 2);

  raise_abort (L, self);
  if (self->timed_out || g_get_monotonic_time () >= deadline)
    {
      _sb_scenario_wait_done (self);
      return 0;
    }
  _sb_scenario_wait (self, SB_WAIT_SLEEP, NULL, deadline);
  return lua_yieldk (L, 0, ctx, sleep_k);
}

static int
l_sleep (lua_State *L)
{
  SbScenario *self = _sb_scenario_from_lua (L);
  lua_Integer ms = luaL_checkinteger (L, 1);

  must_wait_here (L, self, "sleep");
  lua_settop (L, 1);
  lua_pushinteger (L, g_get_monotonic_time () + MAX (ms, 0) * G_TIME_SPAN_MILLISECOND);
  _sb_scenario_wait_done (self);
  return sleep_k (L, LUA_OK, 0);
}

static void
push_conn (lua_State      *L,
           SbScenarioConn *conn)
{
  SbScenarioConn **p = lua_newuserdatauv (L, sizeof *p, 0);

  *p = conn;
  luaL_setmetatable (L, CONN_TYPE);
}

/* connect / listen: the stack is uri, options, then the connection. */
static int
open_k (lua_State    *L,
        int           status,
        lua_KContext  ctx)
{
  SbScenario *self = _sb_scenario_from_lua (L);
  SbScenarioConn *conn = to_conn (L, 3);
  SbSessionState state = sb_session_get_state (conn->session);

  raise_abort (L, self);
  if (state == SB_SESSION_STATE_CONNECTED || state == SB_SESSION_STATE_LISTENING)
    {
      _sb_scenario_wait_done (self);
      self->current = conn;
      return 1;
    }
  if (state == SB_SESSION_STATE_FAILED || state == SB_SESSION_STATE_CLOSED)
    {
      const GError *error = sb_session_get_error (conn->session);

      _sb_scenario_wait_done (self);
      _sb_scenario_raise_take (L, g_strdup_printf (_("Could not open %s: %s"), conn->uri,
                                                   error != NULL ? error->message : _("the session closed")));
    }
  _sb_scenario_wait (self, SB_WAIT_CONNECT, conn, 0);
  return lua_yieldk (L, 0, ctx, open_k);
}

static int
open_session (lua_State *L,
              gboolean   server)
{
  SbScenario *self = _sb_scenario_from_lua (L);
  const char *uri = luaL_checkstring (L, 1);
  GError *error = NULL;
  SbSessionSpec *spec;
  SbSession *session;
  const char *frame = NULL;
  lua_Integer timeout = -1;
  gboolean echo = FALSE;
  SbScenarioConn *conn;
  gboolean is_server;

  must_wait_here (L, self, server ? "listen" : "connect");
  lua_settop (L, 2);
  if (!lua_isnoneornil (L, 2))
    {
      luaL_checktype (L, 2, LUA_TTABLE);
      lua_getfield (L, 2, "frame");
      frame = lua_tostring (L, -1);
      lua_pop (L, 1);
      lua_getfield (L, 2, "timeout");
      timeout = lua_isnil (L, -1) ? -1 : luaL_checkinteger (L, -1);
      lua_pop (L, 1);
      lua_getfield (L, 2, "echo");
      echo = lua_toboolean (L, -1);
      lua_pop (L, 1);
    }

  spec = sb_session_spec_parse (uri, &error);
  if (spec == NULL)
    _sb_scenario_raise_error (L, error);
  if (spec->kind == SB_KIND_UDP || spec->kind == SB_KIND_UNIX_DGRAM)
    is_server = spec->host == NULL && spec->path == NULL;
  else
    is_server = sb_kind_is_server (spec->kind);
  if (spec->kind == SB_KIND_ICMP || server != is_server)
    {
      SbKind kind = spec->kind;

      sb_session_spec_free (spec);
      if (kind == SB_KIND_ICMP)
        _sb_scenario_raise (L, _("Scenarios cannot use icmp:// sessions"));
      if (server)
        _sb_scenario_raise (L, _("listen() takes a listening URI such as tcp-listen://127.0.0.1:0; use connect() for this one"));
      _sb_scenario_raise (L, _("connect() takes a URI to connect to such as tcp://127.0.0.1:7; use listen() for this one"));
    }

  /* Scenarios run their sessions on their own thread: a script and its
   * sockets take turns on one main loop. */
  session = sb_session_new_on (spec, NULL);
  sb_session_spec_free (spec);
  if (timeout >= 0)
    sb_session_set_timeout (session, (guint) MIN ((timeout + 999) / 1000, G_MAXUINT));
  /* The connection holds the session from here on, until the run ends. */
  conn = _sb_scenario_conn_new (self, session, TRUE);
  g_object_unref (session);
  conn->uri = g_strdup (uri);
  if (!_sb_scenario_conn_set_framing (conn, frame, &error))
    _sb_scenario_raise_error (L, error);
  if (echo)
    {
      SbAutoReplyRule *rule = sb_auto_reply_rule_new (SB_TRIGGER_ECHO, NULL, NULL, "UTF-8");
      gboolean added;

      /* The engine answers by itself, without waking the script. */
      conn->responder = sb_responder_new ();
      added = sb_responder_add_rule (conn->responder, rule, &error);
      sb_auto_reply_rule_free (rule);
      if (!added)
        _sb_scenario_raise_error (L, error);
      sb_responder_set_session (conn->responder, session);
    }
  push_conn (L, conn);
  _sb_scenario_session_added (self, session);
  sb_session_start (session);
  _sb_scenario_wait_done (self);
  return open_k (L, LUA_OK, 0);
}

static int
l_connect (lua_State *L)
{
  return open_session (L, FALSE);
}

static int
l_listen (lua_State *L)
{
  return open_session (L, TRUE);
}

static SbPeer *opt_peer (lua_State *L, SbScenarioConn *conn, int index);

static int
l_send (lua_State *L)
{
  int base;
  SbScenarioConn *conn = get_conn (L, &base);
  GBytes *bytes;
  SbPeer *peer;
  GError *error = NULL;
  gboolean sent;

  check_reset (L, conn);
  peer = opt_peer (L, conn, base + 1);
  if (peer != NULL)
    g_object_unref (peer);   /* the session's list keeps it; looked up again below */
  bytes = _sb_scenario_to_bytes (L, base, conn);
  peer = lua_isnoneornil (L, base + 1) ? NULL : _sb_scenario_conn_find_peer (conn, lua_tostring (L, base + 1));
  sent = sb_session_send (conn->session, peer, bytes, &error);
  g_bytes_unref (bytes);
  g_clear_object (&peer);
  if (!sent)
    _sb_scenario_raise_error (L, error);
  lua_pushboolean (L, TRUE);
  return 1;
}

static int
l_peers (lua_State *L)
{
  int base;
  SbScenarioConn *conn = get_conn (L, &base);
  GListModel *peers = sb_session_get_peers (conn->session);
  guint n = g_list_model_get_n_items (peers);

  lua_createtable (L, (int) n, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SbPeer) peer = g_list_model_get_item (peers, i);

      lua_pushstring (L, sb_peer_get_label (peer));
      lua_rawseti (L, -2, (lua_Integer) i + 1);
    }
  return 1;
}

static int
l_sender (lua_State *L)
{
  int base;
  SbScenarioConn *conn = get_conn (L, &base);

  lua_pushstring (L, conn->sender);
  return 1;
}

static int
l_address (lua_State *L)
{
  int base;
  SbScenarioConn *conn = get_conn (L, &base);
  GSocketAddress *address = sb_session_get_local_address (conn->session);
  g_autofree char *text = address != NULL ? sb_address_to_string (address) : NULL;

  lua_pushstring (L, text);
  return 1;
}

/* When the last frame expect() returned arrived, in ms of the clock now() reads. */
static int
l_time (lua_State *L)
{
  int base;
  SbScenarioConn *conn = get_conn (L, &base);

  if (conn->last_time == 0)
    lua_pushnil (L);
  else
    lua_pushnumber (L, conn->last_time / 1000.0);
  return 1;
}

/* A monotonic clock in ms (fractions included), for round-trip times. */
static int
l_now (lua_State *L)
{
  lua_pushnumber (L, g_get_monotonic_time () / 1000.0);
  return 1;
}

static int
l_port (lua_State *L)
{
  int base;
  SbScenarioConn *conn = get_conn (L, &base);
  GSocketAddress *address = sb_session_get_local_address (conn->session);

  if (address != NULL && G_IS_INET_SOCKET_ADDRESS (address))
    lua_pushinteger (L, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  else
    lua_pushnil (L);
  return 1;
}

/* The peer labelled by the string at @index (NULL for none), checked
 * before anything is owned: it raises. Returns a reference. */
static SbPeer *
opt_peer (lua_State      *L,
          SbScenarioConn *conn,
          int             index)
{
  const char *label;
  SbPeer *peer;

  if (lua_isnoneornil (L, index))
    return NULL;
  label = luaL_checkstring (L, index);
  peer = _sb_scenario_conn_find_peer (conn, label);
  if (peer == NULL)
    _sb_scenario_raise_take (L, g_strdup_printf (_("No peer “%s” is connected"), label));
  return peer;
}

static int
l_close (lua_State *L)
{
  int base;
  SbScenarioConn *conn = get_conn (L, &base);
  SbPeer *peer = opt_peer (L, conn, base);
  GError *error = NULL;

  if (peer != NULL)
    {
      gboolean done = sb_session_disconnect_peer (conn->session, peer, &error);

      g_object_unref (peer);
      if (!done)
        _sb_scenario_raise_error (L, error);
      return 0;
    }
  conn->closing = TRUE;
  sb_session_stop (conn->session);
  return 0;
}

static int
l_shutdown (lua_State *L)
{
  int base;
  SbScenarioConn *conn = get_conn (L, &base);
  SbPeer *peer = opt_peer (L, conn, base);
  GError *error = NULL;
  gboolean done = sb_session_shutdown_write (conn->session, peer, &error);

  g_clear_object (&peer);
  if (!done)
    _sb_scenario_raise_error (L, error);
  return 0;
}

static int
l_use (lua_State *L)
{
  SbScenario *self = _sb_scenario_from_lua (L);
  SbScenarioConn *conn = to_conn (L, 1);

  if (conn == NULL)
    luaL_typeerror (L, 1, "connection");
  self->current = conn;
  return 0;
}

static int
l_log (lua_State *L)
{
  SbScenario *self = _sb_scenario_from_lua (L);
  int n = lua_gettop (L);
  luaL_Buffer buffer;

  luaL_buffinit (L, &buffer);
  for (int i = 1; i <= n; i++)
    {
      if (i > 1)
        luaL_addchar (&buffer, ' ');
      luaL_tolstring (L, i, NULL);
      luaL_addvalue (&buffer);
    }
  luaL_pushresult (&buffer);
  _sb_scenario_log (self, lua_tostring (L, -1), _sb_scenario_current_line (L));
  return 0;
}

static int
l_check (lua_State *L)
{
  luaL_checkany (L, 1);
  if (!lua_toboolean (L, 1))
    {
      const char *message = luaL_optstring (L, 2, NULL);

      _sb_scenario_raise (L, message != NULL ? message : _("check failed"));
    }
  lua_settop (L, 1);
  return 1;
}

static int
l_assert (lua_State *L)
{
  luaL_checkany (L, 1);
  if (!lua_toboolean (L, 1))
    {
      if (lua_isnoneornil (L, 2))
        _sb_scenario_raise (L, _("assertion failed"));
      _sb_scenario_raise (L, luaL_tolstring (L, 2, NULL));
    }
  return lua_gettop (L);
}

static int
l_readfile (lua_State *L)
{
  SbScenario *self = _sb_scenario_from_lua (L);
  const char *path = luaL_checkstring (L, 1);
  GError *error = NULL;
  char *data = NULL;
  gsize len;
  gboolean allowed = FALSE;

  for (guint i = 0; i < self->allowed->len && !allowed; i++)
    allowed = g_str_equal (g_ptr_array_index (self->allowed, i), path);
  if (!allowed)
    _sb_scenario_raise_take (L, g_strdup_printf (_("readfile(): “%s” was not named as a file the scenario may read"), path));
  if (!g_file_get_contents (path, &data, &len, &error))
    {
      lua_pushnil (L);
      lua_pushstring (L, error->message);
      g_error_free (error);
      return 2;
    }
  lua_pushlstring (L, data, len);
  g_free (data);
  return 1;
}

static int
conn_tostring (lua_State *L)
{
  SbScenarioConn *conn = to_conn (L, 1);

  lua_pushfstring (L, "connection(%s)", conn->uri != NULL ? conn->uri : "session");
  return 1;
}

static int
l_begin_test (lua_State *L)
{
  SbScenario *self = _sb_scenario_from_lua (L);

  if (!lua_isstring (L, 1) || !lua_isfunction (L, 2))
    {
      luaL_where (L, 2);
      lua_pushstring (L, _("test() takes a name and a function: test(\"name\", function() … end)"));
      lua_concat (L, 2);
      return lua_error (L);
    }
  if (self->in_test)
    {
      luaL_where (L, 2);
      lua_pushstring (L, _("test() cannot be called inside another test"));
      lua_concat (L, 2);
      return lua_error (L);
    }
  _sb_scenario_test_begin (self, lua_tostring (L, 1), _sb_scenario_current_line (L));
  return 0;
}

static int
l_end_test (lua_State *L)
{
  SbScenario *self = _sb_scenario_from_lua (L);
  gboolean ok = lua_toboolean (L, 1);

  if (!self->in_test)
    return 0;
  _sb_scenario_test_end (self, ok, ok ? NULL : luaL_tolstring (L, 2, NULL));
  lua_pushboolean (L, self->abort);
  return 1;
}

/* load() of text only: compiled chunks could break out of the sandbox. */
static int
l_load (lua_State *L)
{
  int n = lua_gettop (L);

  lua_pushvalue (L, lua_upvalueindex (1));
  lua_pushvalue (L, 1);
  if (n >= 2)
    lua_pushvalue (L, 2);
  else
    lua_pushnil (L);
  lua_pushliteral (L, "t");
  if (n >= 4)
    {
      lua_pushvalue (L, 4);
      lua_call (L, 4, LUA_MULTRET);
    }
  else
    lua_call (L, 3, LUA_MULTRET);
  return lua_gettop (L) - n;
}

static const luaL_Reg api[] = {
  { "connect", l_connect },
  { "listen", l_listen },
  { "send", l_send },
  { "expect", l_expect },
  { "sleep", l_sleep },
  { "peers", l_peers },
  { "sender", l_sender },
  { "address", l_address },
  { "port", l_port },
  { "time", l_time },
  { "now", l_now },
  { "close", l_close },
  { "shutdown", l_shutdown },
  { "use", l_use },
  { "log", l_log },
  { "print", l_log },
  { "check", l_check },
  { "assert", l_assert },
  { "readfile", l_readfile },
  { NULL, NULL }
};

static const luaL_Reg conn_methods[] = {
  { "send", l_send },
  { "expect", l_expect },
  { "peers", l_peers },
  { "sender", l_sender },
  { "address", l_address },
  { "port", l_port },
  { "time", l_time },
  { "close", l_close },
  { "shutdown", l_shutdown },
  { NULL, NULL }
};

static int
setup (lua_State *L)
{
  static const luaL_Reg libs[] = {
    { LUA_GNAME, luaopen_base },
    { LUA_STRLIBNAME, luaopen_string },
    { LUA_TABLIBNAME, luaopen_table },
    { LUA_MATHLIBNAME, luaopen_math },
    { LUA_UTF8LIBNAME, luaopen_utf8 },
    { LUA_COLIBNAME, luaopen_coroutine },
  };

  for (guint i = 0; i < G_N_ELEMENTS (libs); i++)
    {
      luaL_requiref (L, libs[i].name, libs[i].func, 1);
      lua_pop (L, 1);
    }

  lua_pushglobaltable (L);
  lua_pushnil (L);
  lua_setfield (L, -2, "dofile");
  lua_pushnil (L);
  lua_setfield (L, -2, "loadfile");
  lua_getfield (L, -1, "load");
  lua_pushcclosure (L, l_load, 1);
  lua_setfield (L, -2, "load");
  lua_getfield (L, -1, "string");
  lua_pushnil (L);
  lua_setfield (L, -2, "dump");
  lua_pop (L, 1);
  luaL_setfuncs (L, api, 0);
  lua_pop (L, 1);

  luaL_newmetatable (L, CONN_TYPE);
  luaL_newlib (L, conn_methods);
  lua_setfield (L, -2, "__index");
  lua_pushcfunction (L, conn_tostring);
  lua_setfield (L, -2, "__tostring");
  lua_pop (L, 1);

  _sb_scenario_values_register (L);

  if (luaL_loadbufferx (L, prelude, sizeof prelude - 1, "=prelude", "t") != LUA_OK)
    return lua_error (L);
  lua_pushcfunction (L, l_begin_test);
  lua_pushcfunction (L, l_end_test);
  lua_getglobal (L, "pcall");
  lua_getglobal (L, "error");
  lua_call (L, 4, 0);
  return 0;
}

lua_State *
_sb_scenario_lua_new (SbScenario  *self,
                      GError     **error)
{
  lua_State *L;

  self->memory = 0;
  L = lua_newstate (allocate, self);
  if (L == NULL)
    {
      g_set_error_literal (error, SB_SCENARIO_ERROR, SB_SCENARIO_ERROR_SYNTAX,
                           _("Not enough memory to start the script"));
      return NULL;
    }
  *(SbScenario **) lua_getextraspace (L) = self;

  lua_pushcfunction (L, setup);
  if (lua_pcall (L, 0, 0, 0) != LUA_OK)
    {
      g_set_error (error, SB_SCENARIO_ERROR, SB_SCENARIO_ERROR_SYNTAX,
                   "%s", lua_tostring (L, -1));
      lua_close (L);
      return NULL;
    }
  return L;
}
