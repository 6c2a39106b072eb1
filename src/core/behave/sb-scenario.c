/* sb-scenario.c — runs a Lua scenario as a coroutine on the main loop
 *
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-scenario"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-core-enums.h"
#include "sb-scenario-private.h"

/* The count hook runs every HOOK_COUNT instructions: it counts the budget
 * and gives the main loop a turn after SLICE_US of running. */
#define HOOK_COUNT 1000
#define SLICE_US   (10 * G_TIME_SPAN_MILLISECOND)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LINE,
  PROP_STEP_BUDGET,
  PROP_SESSION,
  PROP_N_PASSED,
  PROP_N_FAILED,
  N_PROPS
};

enum {
  TEST_STARTED,
  TEST_FINISHED,
  LOG,
  LINE_CHANGED,
  SESSION_ADDED,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SbScenario, sb_scenario, G_TYPE_OBJECT)
G_DEFINE_QUARK (sb-scenario-error-quark, sb_scenario_error)

static void finish (SbScenario *self, const char *error);

static void
result_free (SbScenarioResult *result)
{
  g_free (result->name);
  g_free (result->message);
  g_free (result);
}

SbScenario *
_sb_scenario_from_lua (lua_State *L)
{
  return *(SbScenario **) lua_getextraspace (L);
}

static void
set_state (SbScenario      *self,
           SbScenarioState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_line (SbScenario *self,
          guint       line)
{
  if (line == 0 || self->line == line)
    return;
  self->line = line;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINE]);
  g_signal_emit (self, signals[LINE_CHANGED], 0, line);
}

/* The line of the innermost function of the script itself (not of the
 * prelude or a C function) that @L is running. */
guint
_sb_scenario_current_line (lua_State *L)
{
  SbScenario *self = _sb_scenario_from_lua (L);
  lua_Debug ar;

  for (int level = 0; lua_getstack (L, level, &ar); level++)
    {
      if (!lua_getinfo (L, "Sl", &ar))
        break;
      if (ar.currentline > 0 && g_str_equal (ar.source, self->source))
        return ar.currentline;
    }

  return 0;
}

char *
_sb_scenario_split_error (SbScenario *self,
                          const char *error,
                          guint      *line)
{
  gsize name_len = strlen (self->name);
  const char *message = error;

  *line = 0;
  if (error == NULL)
    return g_strdup (_("The script raised an error without a message"));

  /* "name:4: name:2: message" (an error through coroutine.wrap): the
   * innermost place is where it happened. */
  for (;;)
    {
      const char *p = message;
      guint64 value = 0;

      if (strncmp (p, self->name, name_len) != 0 || p[name_len] != ':')
        break;
      p += name_len + 1;
      if (!g_ascii_isdigit (*p))
        break;
      while (g_ascii_isdigit (*p) && value < G_MAXUINT)
        value = value * 10 + (guint) (*p++ - '0');
      if (*p != ':')
        break;
      p++;
      while (*p == ' ')
        p++;
      *line = (guint) value;
      message = p;
    }
  return g_strdup (message);
}

void
_sb_scenario_event (SbScenario *self,
                    const char *message)
{
  SbSession *session = self->current != NULL ? self->current->session : self->session;

  if (session != NULL)
    sb_history_append_event (sb_session_get_history (session), SB_EVENT_INFO, 0, message);
}

void
_sb_scenario_log (SbScenario *self,
                  const char *message,
                  guint       line)
{
  g_autofree char *event = g_strdup_printf (_("Scenario: %s"), message);

  _sb_scenario_event (self, event);
  g_signal_emit (self, signals[LOG], 0, message, line);
}

static void
add_result (SbScenario *self,
            const char *name,
            gboolean    passed,
            const char *message,
            guint       line,
            gint64      duration_us)
{
  SbScenarioResult *result = g_new0 (SbScenarioResult, 1);
  g_autofree char *event = NULL;

  result->name = g_strdup (name);
  result->passed = passed;
  result->message = passed ? NULL : g_strdup (message);
  result->line = line;
  result->duration_us = duration_us;
  g_ptr_array_add (self->results, result);

  if (passed)
    {
      self->n_passed++;
      event = g_strdup_printf (_("Scenario: test “%s” passed"), name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PASSED]);
    }
  else
    {
      self->n_failed++;
      if (line > 0)
        event = g_strdup_printf (_("Scenario: test “%s” failed at line %u: %s"), name, line, message);
      else
        event = g_strdup_printf (_("Scenario: test “%s” failed: %s"), name, message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
    }
  _sb_scenario_event (self, event);
  g_signal_emit (self, signals[TEST_FINISHED], 0, name, passed, result->message, line);
}

void
_sb_scenario_test_begin (SbScenario *self,
                         const char *name,
                         guint       line)
{
  g_autofree char *event = g_strdup_printf (_("Scenario: test “%s” started"), name);

  g_free (self->test_name);
  self->test_name = g_strdup (name);
  self->test_line = line;
  self->test_start = g_get_monotonic_time ();
  self->in_test = TRUE;
  _sb_scenario_event (self, event);
  g_signal_emit (self, signals[TEST_STARTED], 0, name, line);
}

/* A reset the script did not see yet fails the test it happened in. */
static SbScenarioConn *
take_reset (SbScenario *self)
{
  for (guint i = 0; i < self->conns->len; i++)
    {
      SbScenarioConn *conn = g_ptr_array_index (self->conns, i);

      if (conn->reset != NULL)
        return conn;
    }
  return NULL;
}

void
_sb_scenario_test_end (SbScenario *self,
                       gboolean    passed,
                       const char *error)
{
  g_autofree char *message = NULL;
  guint line = self->test_line;
  SbScenarioConn *reset;

  if (!passed)
    {
      guint error_line;

      message = _sb_scenario_split_error (self, error, &error_line);
      if (error_line > 0)
        line = error_line;
      if (self->abort)
        self->abort_reported = TRUE;
    }
  else if ((reset = take_reset (self)) != NULL)
    {
      passed = FALSE;
      message = g_steal_pointer (&reset->reset);
      line = reset->reset_line;
    }

  self->in_test = FALSE;
  add_result (self, self->test_name, passed, message, line,
              g_get_monotonic_time () - self->test_start);
}

static gboolean
timer_cb (gpointer data)
{
  SbScenario *self = data;

  self->timer_id = 0;
  self->timed_out = TRUE;
  _sb_scenario_wake (self);
  return G_SOURCE_REMOVE;
}

void
_sb_scenario_wait (SbScenario     *self,
                   SbWaitKind      kind,
                   SbScenarioConn *conn,
                   gint64          deadline_us)
{
  self->wait = kind;
  self->wait_conn = conn;
  if (deadline_us > 0 && self->timer_id == 0 && !self->timed_out)
    {
      gint64 left = deadline_us - g_get_monotonic_time ();
      guint ms = left <= 0 ? 0 : (guint) MIN ((left + 999) / 1000, G_MAXUINT);

      self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, ms, timer_cb, self, NULL);
    }
}

void
_sb_scenario_wait_done (SbScenario *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->timed_out = FALSE;
  self->wait = SB_WAIT_NONE;
  self->wait_conn = NULL;
}

static void resume (SbScenario *self);

static gboolean
resume_cb (gpointer data)
{
  SbScenario *self = data;

  self->resume_id = 0;
  resume (self);
  return G_SOURCE_REMOVE;
}

void
_sb_scenario_wake (SbScenario *self)
{
  if (self->resume_id != 0 || self->state != SB_SCENARIO_STATE_RUNNING || self->resuming)
    return;
  /* A slice of a long computation lets the window paint first. */
  self->resume_id = g_idle_add_full (self->wait == SB_WAIT_SLICE ? G_PRIORITY_DEFAULT_IDLE : G_PRIORITY_DEFAULT,
                                     resume_cb, self, NULL);
}

/* Data for the frame the script waits on: resumed at once, inside the
 * session's signal, as a responder answers there (one main-loop turn less
 * per round trip). */
void
_sb_scenario_wake_now (SbScenario *self)
{
  if (self->state != SB_SCENARIO_STATE_RUNNING || self->resuming)
    return;
  g_clear_handle_id (&self->resume_id, g_source_remove);
  resume (self);
}

static void
hook (lua_State *L,
      lua_Debug *ar)
{
  SbScenario *self = _sb_scenario_from_lua (L);

  if (ar->event == LUA_HOOKCOUNT)
    {
      self->steps += HOOK_COUNT;
      if (!self->abort && self->budget > 0 && self->steps > self->budget)
        {
          g_autofree char *budget = g_strdup_printf ("%" G_GUINT64_FORMAT, self->budget);

          self->abort = TRUE;
          self->abort_message =
            g_strdup_printf (_("The script used its whole step budget of %s Lua instructions "
                               "without finishing (an endless loop?) and was stopped"),
                             budget);
        }
      if (self->abort)
        {
          /* Level 0: in a hook, the function that was running. */
          luaL_where (L, 0);
          lua_pushstring (L, self->abort_message);
          lua_concat (L, 2);
          lua_error (L);
        }
      if (L == self->co && lua_isyieldable (L) &&
          g_get_monotonic_time () - self->slice_start > SLICE_US)
        {
          /* Where it was, asked before the yield moves its program counter. */
          if (lua_getinfo (L, "Sl", ar) && g_str_equal (ar->source, self->source) && ar->currentline > 0)
            self->slice_line = ar->currentline;
          else
            self->slice_line = _sb_scenario_current_line (L);
          self->wait = SB_WAIT_SLICE;
          lua_yield (L, 0);
        }
    }
  else if (ar->event == LUA_HOOKLINE && self->stepping && L == self->co && lua_isyieldable (L))
    {
      if (!lua_getinfo (L, "S", ar) || !g_str_equal (ar->source, self->source))
        return;
      self->wait = SB_WAIT_STEP;
      self->line = 0;
      set_line (self, ar->currentline);
      lua_yield (L, 0);
    }
}

static void
update_hook (SbScenario *self)
{
  int mask = LUA_MASKCOUNT | (self->stepping ? LUA_MASKLINE : 0);

  if (self->co != NULL)
    lua_sethook (self->co, hook, mask, HOOK_COUNT);
}

static void
resume (SbScenario *self)
{
  int nres = 0;
  int status;

  if (self->state != SB_SCENARIO_STATE_RUNNING || self->co == NULL)
    return;

  g_object_ref (self);
  self->wait = SB_WAIT_NONE;
  self->resuming = TRUE;
  self->slice_start = g_get_monotonic_time ();
  status = lua_resume (self->co, self->L, 0, &nres);
  self->resuming = FALSE;

  if (status == LUA_YIELD && !self->abort)
    {
      lua_pop (self->co, nres);
      if (self->wait == SB_WAIT_STEP)
        set_state (self, SB_SCENARIO_STATE_PAUSED);
      else
        {
          if (self->wait == SB_WAIT_SLICE)
            {
              set_line (self, self->slice_line);
              _sb_scenario_wake (self);
            }
          else
            set_line (self, _sb_scenario_current_line (self->co));
        }
    }
  else if (status == LUA_YIELD || status == LUA_OK)
    finish (self, self->abort ? self->abort_message : NULL);
  else
    {
      const char *message = lua_tostring (self->co, -1);

      finish (self, message != NULL ? message : luaL_typename (self->co, -1));
    }
  g_object_unref (self);
}

static void
close_lua (SbScenario *self)
{
  g_clear_handle_id (&self->resume_id, g_source_remove);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->co = NULL;
  g_clear_pointer (&self->L, lua_close);
}

static void
finish (SbScenario *self,
        const char *error)
{
  g_autoptr(GPtrArray) conns = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *message = NULL;
  guint line = 0;

  if (error != NULL && !(self->abort && self->abort_reported))
    {
      message = _sb_scenario_split_error (self, error, &line);
      if (line == 0)
        line = self->line;
      add_result (self, self->in_test ? self->test_name : self->name, FALSE, message, line,
                  self->in_test ? g_get_monotonic_time () - self->test_start : 0);
    }
  else if (self->in_test)
    _sb_scenario_test_end (self, FALSE, _("The scenario ended inside this test"));
  else if (self->results->len == 0)
    add_result (self, self->name, TRUE, NULL, 0, 0);
  self->in_test = FALSE;

  _sb_scenario_wait_done (self);
  close_lua (self);

  /* What the script made stops with it; the page's session does not. */
  conns = g_steal_pointer (&self->conns);
  self->conns = g_ptr_array_new_with_free_func ((GDestroyNotify) _sb_scenario_conn_free);
  self->current = NULL;
  g_clear_pointer (&conns, g_ptr_array_unref);

  set_state (self, SB_SCENARIO_STATE_FINISHED);
  summary = sb_scenario_dup_summary (self);
  _sb_scenario_event (self, summary);
  g_signal_emit (self, signals[FINISHED], 0, summary);
}

static void
sb_scenario_dispose (GObject *object)
{
  SbScenario *self = SB_SCENARIO (object);

  close_lua (self);
  g_clear_pointer (&self->conns, g_ptr_array_unref);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sb_scenario_parent_class)->dispose (object);
}

static void
sb_scenario_finalize (GObject *object)
{
  SbScenario *self = SB_SCENARIO (object);

  g_free (self->text);
  g_free (self->name);
  g_free (self->source);
  g_free (self->framing);
  g_free (self->test_name);
  g_free (self->abort_message);
  g_ptr_array_unref (self->allowed);
  g_ptr_array_unref (self->results);

  G_OBJECT_CLASS (sb_scenario_parent_class)->finalize (object);
}

static void
sb_scenario_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SbScenario *self = SB_SCENARIO (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LINE:
      g_value_set_uint (value, self->line);
      break;
    case PROP_STEP_BUDGET:
      g_value_set_uint64 (value, self->budget);
      break;
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_N_PASSED:
      g_value_set_uint (value, self->n_passed);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_scenario_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SbScenario *self = SB_SCENARIO (object);

  switch (prop_id)
    {
    case PROP_STEP_BUDGET:
      sb_scenario_set_step_budget (self, g_value_get_uint64 (value));
      break;
    case PROP_SESSION:
      sb_scenario_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_scenario_class_init (SbScenarioClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_scenario_dispose;
  object_class->finalize = sb_scenario_finalize;
  object_class->get_property = sb_scenario_get_property;
  object_class->set_property = sb_scenario_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SB_TYPE_SCENARIO_STATE, SB_SCENARIO_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LINE] =
    g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STEP_BUDGET] =
    g_param_spec_uint64 ("step-budget", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_PASSED] =
    g_param_spec_uint ("n-passed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_FAILED] =
    g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TEST_STARTED] =
    g_signal_new ("test-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
  signals[TEST_FINISHED] =
    g_signal_new ("test-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_BOOLEAN, G_TYPE_STRING, G_TYPE_UINT);
  signals[LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
  signals[LINE_CHANGED] =
    g_signal_new ("line-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SESSION_ADDED] =
    g_signal_new ("session-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SB_TYPE_SESSION);
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
sb_scenario_init (SbScenario *self)
{
  self->allowed = g_ptr_array_new_with_free_func (g_free);
  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify) result_free);
  self->conns = g_ptr_array_new_with_free_func ((GDestroyNotify) _sb_scenario_conn_free);
  self->sessions = g_ptr_array_new_with_free_func (g_object_unref);
}

SbScenario *
sb_scenario_new (void)
{
  return g_object_new (SB_TYPE_SCENARIO, NULL);
}

void
_sb_scenario_session_added (SbScenario *self,
                            SbSession  *session)
{
  g_ptr_array_add (self->sessions, g_object_ref (session));
  g_signal_emit (self, signals[SESSION_ADDED], 0, session);
}

gboolean
sb_scenario_load_text (SbScenario  *self,
                       const char  *text,
                       const char  *name,
                       GError     **error)
{
  g_autofree char *chunk = NULL;
  lua_State *L;
  int status;

  g_return_val_if_fail (SB_IS_SCENARIO (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (self->state == SB_SCENARIO_STATE_RUNNING || self->state == SB_SCENARIO_STATE_PAUSED)
    {
      g_set_error_literal (error, SB_SCENARIO_ERROR, SB_SCENARIO_ERROR_BUSY,
                           _("The scenario is running; stop it first"));
      return FALSE;
    }

  /* Compile once to report syntax errors now; each run compiles again. */
  L = luaL_newstate ();
  if (L == NULL)
    {
      g_set_error_literal (error, SB_SCENARIO_ERROR, SB_SCENARIO_ERROR_SYNTAX, g_strerror (ENOMEM));
      return FALSE;
    }
  chunk = g_strconcat ("=", name != NULL ? name : "scenario", NULL);
  status = luaL_loadbufferx (L, text, strlen (text), chunk, "t");
  if (status != LUA_OK)
    {
      g_set_error (error, SB_SCENARIO_ERROR, SB_SCENARIO_ERROR_SYNTAX,
                   _("Syntax error: %s"), lua_tostring (L, -1));
      lua_close (L);
      return FALSE;
    }
  lua_close (L);

  g_free (self->text);
  self->text = g_strdup (text);
  g_free (self->name);
  self->name = g_strdup (name != NULL ? name : "scenario");
  g_free (self->source);
  self->source = g_strconcat ("=", self->name, NULL);
  return TRUE;
}

gboolean
sb_scenario_load_file (SbScenario  *self,
                       const char  *path,
                       GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SB_IS_SCENARIO (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &text, NULL, &local_error))
    {
      g_set_error_literal (error, SB_SCENARIO_ERROR, SB_SCENARIO_ERROR_FILE, local_error->message);
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, SB_SCENARIO_ERROR, SB_SCENARIO_ERROR_FILE,
                   _("“%s” is not UTF-8 text"), display);
      return FALSE;
    }
  name = g_path_get_basename (path);
  return sb_scenario_load_text (self, text, name, error);
}

const char *
sb_scenario_get_text (SbScenario *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), NULL);
  return self->text;
}

const char *
sb_scenario_get_name (SbScenario *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), NULL);
  return self->name;
}

void
sb_scenario_allow_file (SbScenario *self,
                        const char *path)
{
  g_return_if_fail (SB_IS_SCENARIO (self));
  g_return_if_fail (path != NULL);
  g_ptr_array_add (self->allowed, g_strdup (path));
}

void
sb_scenario_set_step_budget (SbScenario *self,
                             guint64     budget)
{
  g_return_if_fail (SB_IS_SCENARIO (self));
  if (self->budget == budget)
    return;
  self->budget = budget;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP_BUDGET]);
}

guint64
sb_scenario_get_step_budget (SbScenario *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), 0);
  return self->budget;
}

void
sb_scenario_set_session (SbScenario *self,
                         SbSession  *session)
{
  g_return_if_fail (SB_IS_SCENARIO (self));
  g_return_if_fail (session == NULL || SB_IS_SESSION (session));
  if (g_set_object (&self->session, session))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

SbSession *
sb_scenario_get_session (SbScenario *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), NULL);
  return self->session;
}

void
sb_scenario_set_framing (SbScenario *self,
                         const char *spec)
{
  g_return_if_fail (SB_IS_SCENARIO (self));
  g_free (self->framing);
  self->framing = g_strdup (spec);
}

static gboolean
start (SbScenario  *self,
       gboolean     stepping,
       GError     **error)
{
  g_autofree char *chunk = NULL;
  int status;

  if (self->text == NULL)
    {
      g_set_error_literal (error, SB_SCENARIO_ERROR, SB_SCENARIO_ERROR_SYNTAX,
                           _("There is no script to run"));
      return FALSE;
    }
  if (self->state == SB_SCENARIO_STATE_RUNNING || self->state == SB_SCENARIO_STATE_PAUSED)
    {
      g_set_error_literal (error, SB_SCENARIO_ERROR, SB_SCENARIO_ERROR_BUSY,
                           _("The scenario is running; stop it first"));
      return FALSE;
    }

  g_ptr_array_set_size (self->results, 0);
  g_ptr_array_set_size (self->sessions, 0);
  self->n_passed = self->n_failed = 0;
  self->steps = 0;
  self->line = 0;
  self->abort = self->abort_reported = FALSE;
  g_clear_pointer (&self->abort_message, g_free);
  self->in_test = FALSE;
  self->stepping = stepping;
  _sb_scenario_wait_done (self);

  self->L = _sb_scenario_lua_new (self, error);
  if (self->L == NULL)
    return FALSE;
  self->co = lua_newthread (self->L);
  luaL_ref (self->L, LUA_REGISTRYINDEX);

  chunk = g_strconcat ("=", self->name, NULL);
  status = luaL_loadbufferx (self->co, self->text, strlen (self->text), chunk, "t");
  if (status != LUA_OK)
    {
      g_set_error (error, SB_SCENARIO_ERROR, SB_SCENARIO_ERROR_SYNTAX,
                   _("Syntax error: %s"), lua_tostring (self->co, -1));
      close_lua (self);
      return FALSE;
    }
  update_hook (self);

  if (self->session != NULL)
    {
      self->current = _sb_scenario_conn_new (self, self->session, FALSE);
      if (!_sb_scenario_conn_set_framing (self->current, self->framing, error))
        {
          g_prefix_error (error, "%s", _("Framing: "));
          g_ptr_array_set_size (self->conns, 0);
          self->current = NULL;
          close_lua (self);
          return FALSE;
        }
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PASSED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
  set_state (self, SB_SCENARIO_STATE_RUNNING);
  resume (self);
  return TRUE;
}

gboolean
sb_scenario_run (SbScenario  *self,
                 GError     **error)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), FALSE);
  return start (self, FALSE, error);
}

gboolean
sb_scenario_step (SbScenario  *self,
                  GError     **error)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), FALSE);

  if (self->state == SB_SCENARIO_STATE_PAUSED)
    {
      set_state (self, SB_SCENARIO_STATE_RUNNING);
      resume (self);
      return TRUE;
    }
  if (self->state == SB_SCENARIO_STATE_RUNNING)
    {
      self->stepping = TRUE;
      update_hook (self);
      return TRUE;
    }
  return start (self, TRUE, error);
}

void
sb_scenario_continue (SbScenario *self)
{
  g_return_if_fail (SB_IS_SCENARIO (self));

  self->stepping = FALSE;
  update_hook (self);
  if (self->state == SB_SCENARIO_STATE_PAUSED)
    {
      set_state (self, SB_SCENARIO_STATE_RUNNING);
      resume (self);
    }
}

void
sb_scenario_stop (SbScenario *self)
{
  g_return_if_fail (SB_IS_SCENARIO (self));

  if (self->state != SB_SCENARIO_STATE_RUNNING && self->state != SB_SCENARIO_STATE_PAUSED)
    return;

  if (!self->abort)
    {
      self->abort = TRUE;
      if (self->line > 0)
        self->abort_message = g_strdup_printf ("%s:%u: %s", self->name, self->line, _("Stopped"));
      else
        self->abort_message = g_strdup (_("Stopped"));
    }
  /* Inside the script (a signal handler it caused): the hook or the next
   * wait ends it. */
  if (self->resuming)
    return;
  finish (self, self->abort_message);
}

SbScenarioState
sb_scenario_get_state (SbScenario *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), SB_SCENARIO_STATE_IDLE);
  return self->state;
}

guint
sb_scenario_get_line (SbScenario *self)
{
  g_return_val_if_fail (SB_IS_SCENARIO (self), 0);
  return self->line;
}
