/* sb-relay-options.c — a relay's faults and rewrite rules as option
 * strings, as the command line and presets write them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-relay"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sb-codec.h"
#include "sb-relay.h"

static void
rule_free (SbRelayRule *rule)
{
  g_bytes_unref (rule->match);
  g_bytes_unref (rule->replace);
  g_free (rule->text);
  g_free (rule);
}

SbRelayOptions *
sb_relay_options_new (void)
{
  SbRelayOptions *self = g_new0 (SbRelayOptions, 1);

  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  return self;
}

void
sb_relay_options_free (SbRelayOptions *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->rules);
  g_free (self);
}

/* "[c2s:|s2c:]FROM=TO" */
static gboolean
add_rule (SbRelayOptions  *self,
          const char      *value,
          GError         **error)
{
  g_autofree char *from_text = NULL;
  g_autoptr(GBytes) match = NULL;
  g_autoptr(GBytes) replace = NULL;
  SbRelayDirection which = SB_RELAY_N_DIRECTIONS;
  const char *text = value;
  const char *eq;
  SbRelayRule *rule;

  if (g_str_has_prefix (text, "c2s:"))
    which = SB_RELAY_TO_SERVER, text += 4;
  else if (g_str_has_prefix (text, "s2c:"))
    which = SB_RELAY_TO_CLIENT, text += 4;

  eq = strchr (text, '=');
  if (eq == NULL || eq == text)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The rewrite “%s” has no FROM=TO: write it as c2s:GET=HEAD"), value);
      return FALSE;
    }
  from_text = g_strndup (text, eq - text);
  if ((match = sb_codec_encode_escaped ("UTF-8", from_text, -1, NULL, error)) == NULL ||
      (replace = sb_codec_encode_escaped ("UTF-8", eq + 1, -1, NULL, error)) == NULL)
    return FALSE;
  if (g_bytes_get_size (match) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A rewrite needs something to look for: the match is empty"));
      return FALSE;
    }

  rule = g_new0 (SbRelayRule, 1);
  rule->direction = which;
  rule->match = g_steal_pointer (&match);
  rule->replace = g_steal_pointer (&replace);
  rule->text = g_strdup (value);
  g_ptr_array_add (self->rules, rule);
  return TRUE;
}

gboolean
sb_relay_options_add (SbRelayOptions  *self,
                      const char      *option,
                      GError         **error)
{
  g_autofree char *name = NULL;
  const char *eq;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (option != NULL, FALSE);

  eq = strchr (option, '=');
  if (eq == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a relay option: write it as NAME=VALUE, e.g. delay=100"), option);
      return FALSE;
    }
  name = g_strndup (option, eq - option);
  if (g_str_equal (name, "rewrite"))
    return add_rule (self, eq + 1, error);

  for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
    {
      SbRelayFaults copy = self->faults[d];
      SbRelayDirection which;

      if (!sb_relay_faults_parse (&copy, name, eq + 1, &which, error))
        return FALSE;
      if (which == SB_RELAY_N_DIRECTIONS || which == d)
        self->faults[d] = copy;
    }
  return TRUE;
}

gboolean
sb_relay_options_add_all (SbRelayOptions      *self,
                          const char * const  *options,
                          GError             **error)
{
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    if (!sb_relay_options_add (self, options[i], error))
      return FALSE;
  return TRUE;
}

/* A percentage as the parser reads it back ("12.5"). */
static char *
format_percent (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", value));
}

GStrv
sb_relay_options_to_strv (const SbRelayOptions *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
    {
      const SbRelayFaults *f = &self->faults[d];
      const char *p = d == SB_RELAY_TO_SERVER ? "c2s:" : "s2c:";

      if (f->delay_ms > 0 || f->jitter_ms > 0)
        {
          g_autofree char *o = f->jitter_ms > 0 ? g_strdup_printf ("delay=%s%u±%u", p, f->delay_ms, f->jitter_ms)
                                                : g_strdup_printf ("delay=%s%u", p, f->delay_ms);
          g_strv_builder_add (builder, o);
        }
      if (f->loss > 0)
        {
          g_autofree char *v = format_percent (f->loss);
          g_autofree char *o = g_strdup_printf ("loss=%s%s", p, v);
          g_strv_builder_add (builder, o);
        }
      if (f->split > 0)
        {
          g_autofree char *o = g_strdup_printf ("split=%s%" G_GSIZE_FORMAT "/%u", p, f->split, f->split_gap_ms);
          g_strv_builder_add (builder, o);
        }
      if (f->join_ms > 0)
        {
          g_autofree char *o = g_strdup_printf ("join=%s%u", p, f->join_ms);
          g_strv_builder_add (builder, o);
        }
      if (f->rate > 0)
        {
          g_autofree char *o = g_strdup_printf ("rate=%s%" G_GUINT64_FORMAT, p, f->rate);
          g_strv_builder_add (builder, o);
        }
      if (f->corrupt > 0)
        {
          g_autofree char *v = format_percent (f->corrupt);
          g_autofree char *o = g_strdup_printf ("corrupt=%s%s", p, v);
          g_strv_builder_add (builder, o);
        }
      if (f->silent)
        {
          g_autofree char *o = g_strdup_printf ("silent=%son", p);
          g_strv_builder_add (builder, o);
        }
      if (f->reset_after > 0)
        {
          g_autofree char *o = g_strdup_printf ("reset-after=%s%" G_GUINT64_FORMAT, p, f->reset_after);
          g_strv_builder_add (builder, o);
        }
    }

  for (guint i = 0; i < self->rules->len; i++)
    {
      SbRelayRule *rule = g_ptr_array_index (self->rules, i);
      g_autofree char *o = g_strconcat ("rewrite=", rule->text, NULL);

      g_strv_builder_add (builder, o);
    }

  return g_strv_builder_end (builder);
}

gboolean
sb_session_relay_apply_options (SbSession             *session,
                                const SbRelayOptions  *options,
                                GError               **error)
{
  g_return_val_if_fail (SB_IS_SESSION (session), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
    {
      if (!sb_session_relay_set_faults (session, d, &options->faults[d], error))
        return FALSE;
      sb_session_relay_clear_rewrites (session, d);
    }

  for (guint i = 0; i < options->rules->len; i++)
    {
      SbRelayRule *rule = g_ptr_array_index (options->rules, i);

      for (guint d = 0; d < SB_RELAY_N_DIRECTIONS; d++)
        if ((rule->direction == SB_RELAY_N_DIRECTIONS || rule->direction == d) &&
            !sb_session_relay_add_rewrite (session, d, rule->match, rule->replace, error))
          return FALSE;
    }

  return TRUE;
}
