/* sb-scenario-match.c — a scenario's values: hex(), tmpl(), re(), pat(),
 * matching frames and describing patterns
 *
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-scenario"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-codec.h"
#include "sb-scenario-private.h"

#define VALUE_TYPE "sockbench.value"

typedef enum
{
  VALUE_HEX,
  VALUE_TEMPLATE,
  VALUE_REGEX,
  VALUE_PATTERN,
} ValueKind;

/* hex(), tmpl(), re(), pat() */
typedef struct
{
  ValueKind   kind;
  GBytes     *bytes;
  SbTemplate *tmpl;
  GRegex     *regex;
  char       *text;
} Value;

static Value *
to_value (lua_State *L,
          int        index)
{
  return luaL_testudata (L, index, VALUE_TYPE);
}

/* What a pattern or datum looks like in messages. */
char *
_sb_scenario_describe_bytes (const guint8 *data,
                gsize         len)
{
  if (g_utf8_validate ((const char *) data, len, NULL) && memchr (data, 0, len) == NULL)
    {
      g_autofree char *text = g_strndup ((const char *) data, len);
      g_autofree char *escaped = g_strescape (text, "\"");

      if (g_utf8_strlen (escaped, -1) > 60)
        {
          char *end = g_utf8_offset_to_pointer (escaped, 60);

          *end = '\0';
          return g_strdup_printf ("“%s…”", escaped);
        }
      return g_strdup_printf ("“%s”", escaped);
    }
  return sb_codec_format_hex (data, MIN (len, 32));
}

char *
_sb_scenario_describe_pattern (lua_State *L,
                  int        index)
{
  Value *value = to_value (L, index);
  const char *text;
  size_t len;

  if (value != NULL)
    {
      switch (value->kind)
        {
        case VALUE_HEX:
          {
            gsize n;
            const guint8 *data = g_bytes_get_data (value->bytes, &n);

            return sb_codec_format_hex (data, n);
          }
        case VALUE_REGEX:
          return g_strdup_printf ("re(%s)", g_regex_get_pattern (value->regex));
        case VALUE_PATTERN:
          return g_strdup_printf ("pat(%s)", value->text);
        case VALUE_TEMPLATE:
        default:
          break;
        }
    }
  if (lua_isfunction (L, index))
    return g_strdup (_("a frame the function accepts"));
  text = lua_tolstring (L, index, &len);
  if (text == NULL || len == 0)
    return g_strdup (_("a frame"));
  return _sb_scenario_describe_bytes ((const guint8 *) text, len);
}

/* Pushes the frame and its captures when @data matches the pattern at
 * @index; returns how many values it pushed, 0 for no match. */
int
_sb_scenario_match (lua_State    *L,
       int           index,
       const guint8 *data,
       gsize         len)
{
  Value *value = to_value (L, index);
  int top = lua_gettop (L);

  if (value != NULL && value->kind == VALUE_REGEX)
    {
      g_autoptr(GMatchInfo) info = NULL;
      int groups;

      if (!g_regex_match_full (value->regex, (const char *) data, len, 0, 0, &info, NULL))
        return 0;
      lua_pushlstring (L, (const char *) data, len);
      groups = g_match_info_get_match_count (info);
      for (int i = groups > 1 ? 1 : 0; i < MAX (groups, 1); i++)
        {
          int start, end;

          if (g_match_info_fetch_pos (info, i, &start, &end) && start >= 0)
            lua_pushlstring (L, (const char *) data + start, end - start);
          else
            lua_pushnil (L);
        }
      return lua_gettop (L) - top;
    }

  if (value != NULL && value->kind == VALUE_PATTERN)
    {
      lua_getglobal (L, "string");
      lua_getfield (L, -1, "match");
      lua_remove (L, -2);
      lua_pushlstring (L, (const char *) data, len);
      lua_pushstring (L, value->text);
      lua_call (L, 2, LUA_MULTRET);
      if (lua_gettop (L) == top || lua_isnil (L, top + 1))
        {
          lua_settop (L, top);
          return 0;
        }
      lua_pushlstring (L, (const char *) data, len);
      lua_insert (L, top + 1);
      return lua_gettop (L) - top;
    }

  if (lua_isfunction (L, index))
    {
      lua_pushvalue (L, index);
      lua_pushlstring (L, (const char *) data, len);
      lua_call (L, 1, LUA_MULTRET);
      if (lua_gettop (L) == top || !lua_toboolean (L, top + 1))
        {
          lua_settop (L, top);
          return 0;
        }
      /* Its other values are the captures; a lone true is none. */
      if (lua_gettop (L) > top + 1 || lua_isboolean (L, top + 1))
        lua_remove (L, top + 1);
      lua_pushlstring (L, (const char *) data, len);
      lua_insert (L, top + 1);
      return lua_gettop (L) - top;
    }

  {
    const char *needle;
    size_t needle_len = 0;

    if (value != NULL && value->kind == VALUE_HEX)
      needle = g_bytes_get_data (value->bytes, &needle_len);
    else
      needle = lua_tolstring (L, index, &needle_len);

    if (needle_len > 0 && memmem (data, len, needle, needle_len) == NULL)
      return 0;
    lua_pushlstring (L, (const char *) data, len);
    return 1;
  }
}

GBytes *
_sb_scenario_to_bytes (lua_State      *L,
                       int             index,
                       SbScenarioConn *conn)
{
  Value *value = to_value (L, index);
  size_t len;
  const char *text;

  if (value != NULL && value->kind == VALUE_HEX)
    return g_bytes_ref (value->bytes);
  if (value != NULL && value->kind == VALUE_TEMPLATE)
    {
      SbTemplateContext context = { 0 };
      GError *error = NULL;
      GBytes *bytes;

      context.rx = conn->last_rx;
      bytes = sb_template_expand (value->tmpl, conn->templates, &context, &error);
      if (bytes == NULL)
        _sb_scenario_raise_error (L, error);
      return bytes;
    }
  if (value != NULL)
    _sb_scenario_raise (L, _("send() takes a string, hex(…) or tmpl(…), not a pattern"));
  if (!lua_isstring (L, index))
    luaL_typeerror (L, index, "string");
  text = lua_tolstring (L, index, &len);
  return g_bytes_new (text, len);
}

static Value *
new_value (lua_State *L,
           ValueKind  kind)
{
  Value *value = lua_newuserdatauv (L, sizeof *value, 0);

  memset (value, 0, sizeof *value);
  value->kind = kind;
  luaL_setmetatable (L, VALUE_TYPE);
  return value;
}

static int
l_hex (lua_State *L)
{
  const char *text = luaL_checkstring (L, 1);
  GError *error = NULL;
  GBytes *bytes = sb_codec_parse_hex (text, NULL, &error);

  if (bytes == NULL)
    _sb_scenario_raise_error (L, error);
  new_value (L, VALUE_HEX)->bytes = bytes;
  return 1;
}

static int
l_tmpl (lua_State *L)
{
  const char *text = luaL_checkstring (L, 1);
  const char *mode = luaL_optstring (L, 2, "text");
  GError *error = NULL;
  SbTemplate *tmpl;

  if (!g_str_equal (mode, "text") && !g_str_equal (mode, "hex"))
    luaL_argerror (L, 2, "\"text\" or \"hex\"");
  tmpl = sb_template_parse (text, g_str_equal (mode, "hex") ? SB_TEMPLATE_HEX : SB_TEMPLATE_TEXT,
                            NULL, NULL, &error);
  if (tmpl == NULL)
    _sb_scenario_raise_error (L, error);
  new_value (L, VALUE_TEMPLATE)->tmpl = tmpl;
  return 1;
}

static int
l_re (lua_State *L)
{
  const char *text = luaL_checkstring (L, 1);
  GError *error = NULL;
  GRegex *regex = g_regex_new (text, G_REGEX_RAW | G_REGEX_OPTIMIZE, 0, &error);

  if (regex == NULL)
    _sb_scenario_raise_error (L, error);
  new_value (L, VALUE_REGEX)->regex = regex;
  return 1;
}

static int
l_pat (lua_State *L)
{
  const char *text = luaL_checkstring (L, 1);

  new_value (L, VALUE_PATTERN)->text = g_strdup (text);
  return 1;
}

static int
value_gc (lua_State *L)
{
  Value *value = luaL_checkudata (L, 1, VALUE_TYPE);

  g_clear_pointer (&value->bytes, g_bytes_unref);
  g_clear_pointer (&value->tmpl, sb_template_unref);
  g_clear_pointer (&value->regex, g_regex_unref);
  g_clear_pointer (&value->text, g_free);
  return 0;
}

static int
value_tostring (lua_State *L)
{
  Value *value = luaL_checkudata (L, 1, VALUE_TYPE);
  g_autofree char *text = NULL;

  if (value->kind == VALUE_TEMPLATE)
    text = g_strdup_printf ("tmpl(%s)", sb_template_get_text (value->tmpl));
  else
    text = _sb_scenario_describe_pattern (L, 1);
  lua_pushstring (L, text);
  return 1;
}

static const luaL_Reg value_functions[] = {
  { "hex", l_hex },
  { "tmpl", l_tmpl },
  { "re", l_re },
  { "pat", l_pat },
  { NULL, NULL }
};

void
_sb_scenario_values_register (lua_State *L)
{
  luaL_newmetatable (L, VALUE_TYPE);
  lua_pushcfunction (L, value_gc);
  lua_setfield (L, -2, "__gc");
  lua_pushcfunction (L, value_tostring);
  lua_setfield (L, -2, "__tostring");
  lua_pop (L, 1);

  lua_pushglobaltable (L);
  luaL_setfuncs (L, value_functions, 0);
  lua_pop (L, 1);
}
