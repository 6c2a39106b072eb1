/* sb-scenario-python.c — a scenario as an equivalent python3 script
 *
 * A translation line by line over tokens, for the scripts scenarios
 * usually are; what it cannot say in Python it names by line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-scenario-python"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "sb-scenario-python-private.h"

typedef enum
{
  BLOCK_TEST,
  BLOCK_PLAIN,     /* for, while, if */
  BLOCK_SKIP,      /* an opener without an equivalent */
} BlockKind;

typedef struct
{
  BlockKind kind;
  char     *test_name;  /* the Python literal */
  char     *function;
  gboolean  has_body;
} Block;

typedef struct
{
  GString   *out;
  GArray    *blocks;     /* Block */
  GPtrArray *unsupported;
  GPtrArray *toks;       /* this line's */
  guint      pos;
  guint      line;
  guint      n_tests;
  int        want;       /* values wanted from expect() */
  char      *current;    /* the current connection's Python name */
} Tr;

static Tok *
peek (Tr   *tr,
      guint ahead)
{
  return tr->pos + ahead < tr->toks->len ? g_ptr_array_index (tr->toks, tr->pos + ahead) : NULL;
}

static gboolean
is (Tok        *tok,
    TokKind     kind,
    const char *text)
{
  return tok != NULL && tok->kind == kind && (text == NULL || g_str_equal (tok->text, text));
}

static gboolean
accept (Tr         *tr,
        TokKind     kind,
        const char *text)
{
  if (!is (peek (tr, 0), kind, text))
    return FALSE;
  tr->pos++;
  return TRUE;
}

static void
append_literal (GString    *out,
                const char *data,
                gsize       len,
                gboolean    bytes)
{
  if (bytes)
    g_string_append_c (out, 'b');
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) data[i];

      if (c == '\\' || c == '"')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c >= 0x20 && c < 0x7f)
        g_string_append_c (out, (char) c);
      else if (bytes)
        g_string_append_printf (out, "\\x%02x", c);
      else
        {
          /* Text: whole characters as \uNNNN, stray bytes as \xNN. */
          gunichar u = g_utf8_get_char_validated (data + i, len - i);

          if (u == (gunichar) -1 || u == (gunichar) -2)
            g_string_append_printf (out, "\\x%02x", c);
          else
            {
              g_string_append_printf (out, u > 0xffff ? "\\U%08x" : "\\u%04x", u);
              i += g_utf8_skip[c] - 1;
            }
        }
    }
  g_string_append_c (out, '"');
}

static const char *python_keywords[] = {
  "False", "None", "True", "as", "assert", "async", "await", "class", "continue",
  "def", "del", "except", "finally", "from", "global", "import", "is", "lambda",
  "nonlocal", "pass", "raise", "try", "with", "yield", "print", "re", "socket",
  "sys", "time", "len", "str", "range", "Conn", NULL
};

static void
append_name (GString    *out,
             const char *name)
{
  g_string_append (out, name);
  if (g_strv_contains (python_keywords, name) || name[0] == '_')
    g_string_append_c (out, '_');
}

static gboolean expression (Tr *tr, GString *out, gboolean bytes);

/* Arguments up to the closing parenthesis (consumed). */
static gboolean
arguments (Tr       *tr,
           GString  *out,
           gboolean  bytes)
{
  gboolean first = TRUE;

  while (!accept (tr, TOK_OP, ")"))
    {
      if (!first)
        {
          if (!accept (tr, TOK_OP, ","))
            return FALSE;
          g_string_append (out, ", ");
        }
      if (!expression (tr, out, bytes))
        return FALSE;
      first = FALSE;
    }
  return TRUE;
}

static const char *conn_methods[] = { "address", "port", "expect", NULL };

/* A call to expect on @conn: pattern, timeout. */
static gboolean
expect_call (Tr         *tr,
             GString    *out,
             const char *conn)
{
  g_string_append_printf (out, "%s.expect(", conn);
  if (!arguments (tr, out, TRUE))
    return FALSE;
  if (tr->want > 1)
    g_string_append_printf (out, ", n=%d", tr->want);
  g_string_append_c (out, ')');
  return TRUE;
}

/* One operand: a literal, a name, a call this translation knows, or a
 * parenthesised expression, with unary operators before it. */
static gboolean
primary (Tr       *tr,
         GString  *out,
         gboolean  bytes)
{
  Tok *tok = peek (tr, 0);

  if (tok == NULL)
    return FALSE;
  if (accept (tr, TOK_OP, "-"))
    {
      g_string_append_c (out, '-');
      return primary (tr, out, bytes);
    }
  if (accept (tr, TOK_NAME, "not"))
    {
      g_string_append (out, "not ");
      return primary (tr, out, bytes);
    }
  if (accept (tr, TOK_OP, "#"))
    {
      g_string_append (out, "len(");
      if (!primary (tr, out, bytes))
        return FALSE;
      g_string_append_c (out, ')');
      return TRUE;
    }
  if (accept (tr, TOK_OP, "("))
    {
      g_string_append_c (out, '(');
      if (!expression (tr, out, bytes) || !accept (tr, TOK_OP, ")"))
        return FALSE;
      g_string_append_c (out, ')');
      return TRUE;
    }
  tr->pos++;
  if (tok->kind == TOK_STR)
    {
      append_literal (out, tok->text, tok->len, bytes);
      return TRUE;
    }
  if (tok->kind == TOK_NUM)
    {
      g_string_append (out, tok->text);
      return TRUE;
    }
  if (tok->kind != TOK_NAME)
    return FALSE;

  if (g_str_equal (tok->text, "nil"))
    g_string_append (out, "None");
  else if (g_str_equal (tok->text, "true"))
    g_string_append (out, "True");
  else if (g_str_equal (tok->text, "false"))
    g_string_append (out, "False");
  else if (accept (tr, TOK_OP, "("))
    {
      const char *name = tok->text;

      if (g_str_equal (name, "expect"))
        return tr->current != NULL && expect_call (tr, out, tr->current);
      if (g_str_equal (name, "address") || g_str_equal (name, "port"))
        {
          if (tr->current == NULL || !accept (tr, TOK_OP, ")"))
            return FALSE;
          g_string_append_printf (out, "%s.%s()", tr->current, name);
          return TRUE;
        }
      if (g_str_equal (name, "hex"))
        g_string_append (out, "bytes.fromhex(");
      else if (g_str_equal (name, "re"))
        g_string_append (out, "re.compile(");
      else if (g_str_equal (name, "tostring"))
        g_string_append (out, "str(");
      else if (g_str_equal (name, "tonumber"))
        g_string_append (out, "_num(");
      else if (g_str_equal (name, "assert"))
        {
          g_string_append (out, "_assert(");
          if (!expression (tr, out, TRUE))
            return FALSE;
          if (accept (tr, TOK_OP, ","))
            {
              g_string_append (out, ", ");
              if (!expression (tr, out, FALSE))
                return FALSE;
            }
          if (!accept (tr, TOK_OP, ")"))
            return FALSE;
          g_string_append_c (out, ')');
          return TRUE;
        }
      else
        return FALSE;
      if (!arguments (tr, out, g_str_equal (name, "hex") ? FALSE : g_str_equal (name, "re") ? TRUE : bytes))
        return FALSE;
      g_string_append_c (out, ')');
    }
  else if (is (peek (tr, 0), TOK_OP, ":") && is (peek (tr, 1), TOK_NAME, NULL) &&
           g_strv_contains (conn_methods, ((Tok *) peek (tr, 1))->text) && is (peek (tr, 2), TOK_OP, "("))
    {
      g_autoptr(GString) conn = g_string_new (NULL);
      const char *method = peek (tr, 1)->text;

      append_name (conn, tok->text);
      tr->pos += 3;
      if (g_str_equal (method, "expect"))
        return expect_call (tr, out, conn->str);
      if (!accept (tr, TOK_OP, ")"))
        return FALSE;
      g_string_append_printf (out, "%s.%s()", conn->str, method);
    }
  else if (is (peek (tr, 0), TOK_OP, ".") || is (peek (tr, 0), TOK_OP, ":") ||
           is (peek (tr, 0), TOK_OP, "[") || is (peek (tr, 0), TOK_OP, "{"))
    return FALSE;
  else
    append_name (out, tok->text);
  return TRUE;
}

/* An expression up to a comma, closing bracket, "do", "then" or the end.
 * Operands of ".." become bytes (or text for log and messages). */
static gboolean
expression (Tr       *tr,
            GString  *out,
            gboolean  bytes)
{
  static const char *binary[] = { "==", "~=", "<", ">", "<=", ">=", "+", "-", "*", "/", "//", "%", "^", NULL };

  for (;;)
    {
      g_autoptr(GString) operand = g_string_new (NULL);
      guint start = tr->pos;
      Tok *op;

      if (!primary (tr, operand, bytes))
        return FALSE;
      op = peek (tr, 0);
      if (is (op, TOK_OP, "..") || (start > 0 && is (g_ptr_array_index (tr->toks, start - 1), TOK_OP, "..")))
        {
          Tok *first = g_ptr_array_index (tr->toks, start);

          if (tr->pos == start + 1 && first->kind == TOK_STR)
            g_string_append (out, operand->str);
          else
            g_string_append_printf (out, bytes ? "_b(%s)" : "str(%s)", operand->str);
        }
      else
        g_string_append (out, operand->str);

      if (op == NULL)
        return TRUE;
      if (op->kind == TOK_OP && g_str_equal (op->text, ".."))
        g_string_append (out, " + ");
      else if (op->kind == TOK_OP && g_strv_contains (binary, op->text))
        g_string_append_printf (out, " %s ", g_str_equal (op->text, "~=") ? "!=" :
                                             g_str_equal (op->text, "^") ? "**" : op->text);
      else if (is (op, TOK_NAME, "and") || is (op, TOK_NAME, "or"))
        g_string_append_printf (out, " %s ", op->text);
      else
        return TRUE;
      tr->pos++;
    }
}

static void
indent (Tr *tr)
{
  for (guint i = 0; i < tr->blocks->len; i++)
    g_string_append (tr->out, "    ");
  if (tr->blocks->len > 0)
    g_array_index (tr->blocks, Block, tr->blocks->len - 1).has_body = TRUE;
}

static void
emit (Tr         *tr,
      const char *text)
{
  indent (tr);
  g_string_append (tr->out, text);
  g_string_append_c (tr->out, '\n');
}

static void
push_block (Tr        *tr,
            BlockKind  kind,
            char      *test_name,
            char      *function)
{
  Block block = { kind, test_name, function, FALSE };

  g_array_append_val (tr->blocks, block);
}

static gboolean
pop_block (Tr        *tr,
           gboolean   test_end)
{
  Block block;

  if (tr->blocks->len == 0)
    return FALSE;
  block = g_array_index (tr->blocks, Block, tr->blocks->len - 1);
  if ((block.kind == BLOCK_TEST) != test_end)
    return FALSE;
  if (!block.has_body)
    emit (tr, "pass");
  g_array_set_size (tr->blocks, tr->blocks->len - 1);
  if (block.kind == BLOCK_TEST)
    {
      indent (tr);
      g_string_append_printf (tr->out, "run_test(%s, %s)\n\n", block.test_name, block.function);
    }
  g_free (block.test_name);
  g_free (block.function);
  return TRUE;
}

/* connect/listen(uri [, {frame = "…"}]) after the "(": Python for it. */
static gboolean
open_call (Tr       *tr,
           GString  *out,
           gboolean  listen)
{
  g_autoptr(GString) uri = g_string_new (NULL);
  g_autofree char *frame = NULL;

  if (!expression (tr, uri, FALSE))
    return FALSE;
  if (accept (tr, TOK_OP, ","))
    {
      if (!accept (tr, TOK_OP, "{"))
        return FALSE;
      while (!accept (tr, TOK_OP, "}"))
        {
          Tok *key = peek (tr, 0);
          Tok *value = peek (tr, 2);

          if (!is (key, TOK_NAME, NULL) || !is (peek (tr, 1), TOK_OP, "=") || value == NULL ||
              (value->kind != TOK_STR && value->kind != TOK_NUM))
            return FALSE;
          if (g_str_equal (key->text, "frame"))
            {
              if (value->kind != TOK_STR || (!g_str_equal (value->text, "line") && !g_str_equal (value->text, "none")))
                return FALSE;
              frame = g_strdup (value->text);
            }
          else if (!g_str_equal (key->text, "timeout"))
            return FALSE;
          tr->pos += 3;
          accept (tr, TOK_OP, ",");
        }
    }
  if (!accept (tr, TOK_OP, ")"))
    return FALSE;
  g_string_append_printf (out, "_open(%s, frame=%s%s%s, listen=%s)", uri->str,
                          frame != NULL ? "\"" : "", frame != NULL ? frame : "None",
                          frame != NULL ? "\"" : "", listen ? "True" : "False");
  return TRUE;
}

static gboolean
in_function (Tr *tr)
{
  for (guint i = 0; i < tr->blocks->len; i++)
    if (g_array_index (tr->blocks, Block, i).kind == BLOCK_TEST)
      return TRUE;
  return FALSE;
}

/* [local] a, b = expression */
static gboolean
assignment (Tr *tr)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) value = g_string_new (NULL);
  g_autofree char *first = NULL;
  gboolean local = accept (tr, TOK_NAME, "local");
  int n = 0;

  do
    {
      Tok *name = peek (tr, 0);

      if (!is (name, TOK_NAME, NULL))
        return FALSE;
      if (n > 0)
        g_string_append (names, ", ");
      append_name (names, name->text);
      if (first == NULL)
        first = g_strdup (names->str);
      tr->pos++;
      n++;
    }
  while (accept (tr, TOK_OP, ","));
  if (!accept (tr, TOK_OP, "="))
    return FALSE;

  if ((is (peek (tr, 0), TOK_NAME, "connect") || is (peek (tr, 0), TOK_NAME, "listen")) &&
      is (peek (tr, 1), TOK_OP, "(") && n == 1)
    {
      gboolean listen = g_str_equal (peek (tr, 0)->text, "listen");

      tr->pos += 2;
      if (!open_call (tr, value, listen))
        return FALSE;
      g_free (tr->current);
      tr->current = g_strdup (first);
    }
  else
    {
      tr->want = n;
      if (!expression (tr, value, TRUE))
        return FALSE;
    }
  if (!local && in_function (tr))
    {
      g_autofree char *global = g_strdup_printf ("global %s", names->str);

      emit (tr, global);
    }
  indent (tr);
  g_string_append_printf (tr->out, "%s = %s\n", names->str, value->str);
  return TRUE;
}

/* A statement that calls a function of the API, on the current connection
 * or a named one (c:send …). */
static gboolean
call_statement (Tr *tr)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *conn = NULL;
  const char *name;

  if (is (peek (tr, 1), TOK_OP, ":"))
    {
      g_autoptr(GString) n = g_string_new (NULL);

      append_name (n, peek (tr, 0)->text);
      conn = g_string_free (g_steal_pointer (&n), FALSE);
      tr->pos += 2;
    }
  if (!is (peek (tr, 0), TOK_NAME, NULL) || !is (peek (tr, 1), TOK_OP, "("))
    return FALSE;
  name = peek (tr, 0)->text;
  tr->pos += 2;
  if (conn == NULL && tr->current != NULL)
    conn = g_strdup (tr->current);

  if (g_str_equal (name, "connect") || g_str_equal (name, "listen"))
    {
      if (conn != NULL && !g_str_equal (conn, "conn"))
        return FALSE;
      if (!open_call (tr, out, g_str_equal (name, "listen")))
        return FALSE;
      if (in_function (tr))
        emit (tr, "global conn");
      indent (tr);
      g_string_append_printf (tr->out, "conn = %s\n", out->str);
      g_free (tr->current);
      tr->current = g_strdup ("conn");
      return TRUE;
    }
  if (g_str_equal (name, "sleep"))
    {
      if (!expression (tr, out, FALSE) || !accept (tr, TOK_OP, ")"))
        return FALSE;
      indent (tr);
      g_string_append_printf (tr->out, "time.sleep(%s / 1000)\n", out->str);
      return TRUE;
    }
  if (g_str_equal (name, "log") || g_str_equal (name, "print"))
    {
      if (!arguments (tr, out, FALSE))
        return FALSE;
      indent (tr);
      g_string_append_printf (tr->out, "print(\"#\", %s, flush=True)\n", out->str);
      return TRUE;
    }
  if (g_str_equal (name, "check") || g_str_equal (name, "assert"))
    {
      g_autoptr(GString) message = g_string_new (NULL);

      if (!expression (tr, out, TRUE))
        return FALSE;
      if (accept (tr, TOK_OP, ",") && !expression (tr, message, FALSE))
        return FALSE;
      if (!accept (tr, TOK_OP, ")"))
        return FALSE;
      indent (tr);
      g_string_append_printf (tr->out, "_assert(%s%s%s)\n", out->str,
                              message->len > 0 ? ", " : "", message->str);
      return TRUE;
    }
  if (g_str_equal (name, "use"))
    {
      Tok *target = peek (tr, 0);
      g_autoptr(GString) n = g_string_new (NULL);

      if (!is (target, TOK_NAME, NULL) || !is (peek (tr, 1), TOK_OP, ")"))
        return FALSE;
      append_name (n, target->text);
      tr->pos += 2;
      g_free (tr->current);
      tr->current = g_string_free (g_steal_pointer (&n), FALSE);
      return TRUE;
    }
  if (conn == NULL)
    return FALSE;
  if (g_str_equal (name, "send"))
    {
      if (!expression (tr, out, TRUE) || !accept (tr, TOK_OP, ")"))
        return FALSE;
      indent (tr);
      g_string_append_printf (tr->out, "%s.send(%s)\n", conn, out->str);
      return TRUE;
    }
  if (g_str_equal (name, "expect"))
    {
      if (!expect_call (tr, out, conn))
        return FALSE;
      emit (tr, out->str);
      return TRUE;
    }
  if ((g_str_equal (name, "close") || g_str_equal (name, "shutdown")) && accept (tr, TOK_OP, ")"))
    {
      indent (tr);
      g_string_append_printf (tr->out, "%s.%s()\n", conn, name);
      return TRUE;
    }
  return FALSE;
}

static gboolean
statement (Tr *tr)
{
  g_autoptr(GString) out = g_string_new (NULL);
  Tok *tok = peek (tr, 0);

  tr->want = 1;
  if (is (tok, TOK_NAME, "test") && is (peek (tr, 1), TOK_OP, "(") && is (peek (tr, 2), TOK_STR, NULL) &&
      is (peek (tr, 3), TOK_OP, ",") && is (peek (tr, 4), TOK_NAME, "function") &&
      is (peek (tr, 5), TOK_OP, "(") && is (peek (tr, 6), TOK_OP, ")") && peek (tr, 7) == NULL &&
      !in_function (tr))
    {
      Tok *name = peek (tr, 2);
      g_autoptr(GString) literal = g_string_new (NULL);
      g_autofree char *function = NULL;

      append_literal (literal, name->text, name->len, FALSE);
      function = g_strdup_printf ("test_%u", ++tr->n_tests);
      indent (tr);
      g_string_append_printf (tr->out, "def %s():\n", function);
      push_block (tr, BLOCK_TEST, g_string_free (g_steal_pointer (&literal), FALSE), g_steal_pointer (&function));
      tr->pos = tr->toks->len;
      return TRUE;
    }
  if (is (tok, TOK_NAME, "end") && is (peek (tr, 1), TOK_OP, ")") && peek (tr, 2) == NULL)
    return pop_block (tr, TRUE);
  if (is (tok, TOK_NAME, "end") && peek (tr, 1) == NULL)
    return pop_block (tr, FALSE);
  if (is (tok, TOK_NAME, "for") && is (peek (tr, 1), TOK_NAME, NULL) && is (peek (tr, 2), TOK_OP, "="))
    {
      g_autoptr(GString) from = g_string_new (NULL);
      g_autoptr(GString) to = g_string_new (NULL);
      g_autoptr(GString) step = g_string_new (NULL);
      g_autoptr(GString) var = g_string_new (NULL);

      append_name (var, peek (tr, 1)->text);
      tr->pos += 3;
      if (!expression (tr, from, FALSE) || !accept (tr, TOK_OP, ",") || !expression (tr, to, FALSE))
        return FALSE;
      if (accept (tr, TOK_OP, ",") && !expression (tr, step, FALSE))
        return FALSE;
      if (!accept (tr, TOK_NAME, "do") || peek (tr, 0) != NULL)
        return FALSE;
      indent (tr);
      g_string_append_printf (tr->out, "for %s in range(%s, %s + 1%s%s):\n", var->str, from->str, to->str,
                              step->len > 0 ? ", " : "", step->str);
      push_block (tr, BLOCK_PLAIN, NULL, NULL);
      return TRUE;
    }
  if (accept (tr, TOK_NAME, "while"))
    {
      if (!expression (tr, out, TRUE) || !accept (tr, TOK_NAME, "do") || peek (tr, 0) != NULL)
        return FALSE;
      indent (tr);
      g_string_append_printf (tr->out, "while %s:\n", out->str);
      push_block (tr, BLOCK_PLAIN, NULL, NULL);
      return TRUE;
    }
  if (is (tok, TOK_NAME, "if") || is (tok, TOK_NAME, "elseif"))
    {
      gboolean elif = g_str_equal (tok->text, "elseif");

      tr->pos++;
      if (!expression (tr, out, TRUE) || !accept (tr, TOK_NAME, "then") || peek (tr, 0) != NULL)
        return FALSE;
      if (elif && !pop_block (tr, FALSE))
        return FALSE;
      indent (tr);
      g_string_append_printf (tr->out, "%s %s:\n", elif ? "elif" : "if", out->str);
      push_block (tr, BLOCK_PLAIN, NULL, NULL);
      return TRUE;
    }
  if (is (tok, TOK_NAME, "else") && peek (tr, 1) == NULL)
    {
      if (!pop_block (tr, FALSE))
        return FALSE;
      emit (tr, "else:");
      push_block (tr, BLOCK_PLAIN, NULL, NULL);
      tr->pos++;
      return TRUE;
    }
  if ((is (tok, TOK_NAME, "break") || is (tok, TOK_NAME, "return")) && peek (tr, 1) == NULL)
    {
      emit (tr, tok->text);
      tr->pos++;
      return TRUE;
    }
  if (is (tok, TOK_NAME, "local") || (is (tok, TOK_NAME, NULL) &&
      (is (peek (tr, 1), TOK_OP, "=") || is (peek (tr, 1), TOK_OP, ","))))
    return assignment (tr) && peek (tr, 0) == NULL;
  if (is (tok, TOK_NAME, NULL))
    return call_statement (tr) && peek (tr, 0) == NULL;
  return FALSE;
}

/* Opens a block in Lua (so its "end" has something to close). */
static gboolean
opens_block (GPtrArray *toks)
{
  int depth = 0;

  for (guint i = 0; i < toks->len; i++)
    {
      Tok *tok = g_ptr_array_index (toks, i);

      if (is (tok, TOK_NAME, "function") || is (tok, TOK_NAME, "do") || is (tok, TOK_NAME, "then") ||
          is (tok, TOK_NAME, "repeat"))
        depth++;
      else if (is (tok, TOK_NAME, "end") || is (tok, TOK_NAME, "until"))
        depth--;
    }
  return depth > 0;
}

static void
mark_unsupported (Tr *tr)
{
  g_autofree char *comment = g_strdup_printf ("# line %u: %s", tr->line,
                                              /* Translators: in a Python script exported from a scenario */
                                              _("no Python equivalent; the script stops here"));
  g_autofree char *call = g_strdup_printf ("_unsupported(%u)", tr->line);

  if (tr->unsupported != NULL)
    g_ptr_array_add (tr->unsupported, GUINT_TO_POINTER (tr->line));
  emit (tr, comment);
  emit (tr, call);
  if (opens_block (tr->toks))
    {
      emit (tr, "if False:");
      push_block (tr, BLOCK_SKIP, NULL, NULL);
    }
}

char *
sb_scenario_to_python (const char  *text,
                       const char  *name,
                       GPtrArray  **unsupported)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) header = g_string_new ("#!/usr/bin/env python3\n");
  Tr tr = { 0 };

  g_return_val_if_fail (text != NULL, NULL);

  tr.out = g_string_new (NULL);
  tr.blocks = g_array_new (FALSE, FALSE, sizeof (Block));
  tr.unsupported = g_ptr_array_new ();
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) toks = g_ptr_array_new_with_free_func ((GDestroyNotify) _sb_scenario_py_tok_free);
      gsize mark = tr.out->len;
      guint depth = tr.blocks->len;

      tr.line = i + 1;
      tr.toks = toks;
      tr.pos = 0;
      if (!_sb_scenario_py_tokenize (lines[i], toks))
        {
          mark_unsupported (&tr);
          continue;
        }
      if (toks->len == 0)
        continue;
      if (tr.blocks->len > 0 && g_array_index (tr.blocks, Block, tr.blocks->len - 1).kind == BLOCK_SKIP &&
          is (g_ptr_array_index (toks, 0), TOK_NAME, "end"))
        {
          Block *block = &g_array_index (tr.blocks, Block, tr.blocks->len - 1);

          if (!block->has_body)
            emit (&tr, "pass");
          g_array_set_size (tr.blocks, tr.blocks->len - 1);
          continue;
        }
      if (!statement (&tr))
        {
          g_string_truncate (tr.out, mark);
          while (tr.blocks->len > depth)
            {
              Block *block = &g_array_index (tr.blocks, Block, tr.blocks->len - 1);

              g_free (block->test_name);
              g_free (block->function);
              g_array_set_size (tr.blocks, tr.blocks->len - 1);
            }
          mark_unsupported (&tr);
        }
    }
  while (tr.blocks->len > 0)
    if (!pop_block (&tr, g_array_index (tr.blocks, Block, tr.blocks->len - 1).kind == BLOCK_TEST))
      g_array_set_size (tr.blocks, tr.blocks->len - 1);

  g_string_append (header, "# ");
  {
    g_autoptr(GString) shown = g_string_new (NULL);

    append_literal (shown, name != NULL ? name : "scenario", strlen (name != NULL ? name : "scenario"), FALSE);
    g_string_append_printf (header, _("The scenario %s as a python3 script, exported by Sockbench."), shown->str);
  }
  g_string_append (header, "\n# ");
  g_string_append (header, _("It prints TAP like sockbench --headless --scenario."));
  g_string_append_c (header, '\n');
  if (tr.unsupported->len > 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < tr.unsupported->len; i++)
        g_string_append_printf (list, "%s%u", i > 0 ? ", " : "",
                                GPOINTER_TO_UINT (g_ptr_array_index (tr.unsupported, i)));
      g_string_append (header, "# ");
      g_string_append_printf (header, _("Lines without a Python equivalent: %s"), list->str);
      g_string_append_c (header, '\n');
    }
  g_string_append (header, _sb_scenario_python_prelude);
  g_string_append (header, tr.out->str);
  g_string_append (header, "\nprint(\"1..%d\" % len(_results))\n"
                           "sys.exit(1 if any(_results) else 0)\n");

  g_string_free (tr.out, TRUE);
  g_array_unref (tr.blocks);
  g_free (tr.current);
  if (unsupported != NULL)
    *unsupported = g_steal_pointer (&tr.unsupported);
  else
    g_ptr_array_unref (tr.unsupported);
  return g_string_free (g_steal_pointer (&header), FALSE);
}
