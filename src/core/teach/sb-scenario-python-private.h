/* sb-scenario-python-private.h — shared by sb-scenario-python*.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-scenario-python.h"

G_BEGIN_DECLS

typedef enum
{
  TOK_STR,
  TOK_NUM,
  TOK_NAME,
  TOK_OP,
} TokKind;

typedef struct
{
  TokKind  kind;
  char    *text;    /* NAME, NUM, OP; for STR the decoded bytes */
  gsize    len;
} Tok;

extern const char _sb_scenario_python_prelude[];

void     _sb_scenario_py_tok_free (Tok        *tok);
/* Splits one line into tokens; FALSE for what it does not read (long
 * strings, unfinished strings). A "--" comment ends the line. */
gboolean _sb_scenario_py_tokenize (const char *line,
                                   GPtrArray  *toks);

G_END_DECLS
