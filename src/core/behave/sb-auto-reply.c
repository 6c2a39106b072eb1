/* sb-auto-reply.c — rules that answer a peer by themselves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-auto-reply"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sb-auto-reply.h"
#include "sb-codec.h"

/* A rule as the user wrote it, with what can be prepared once. */
typedef struct
{
  SbAutoReplyRule *rule;
  GBytes          *reply;     /* encoded reply (NULL for echo) */
  GBytes          *hex;       /* hex-equals pattern */
  GRegex          *regex;
  SbTemplate      *tmpl;      /* the reply, with templates on */
} Compiled;

struct _SbAutoReply
{
  GPtrArray *rules;   /* Compiled* */
  gboolean   templates;
};

static const char *trigger_names[SB_N_TRIGGERS] = {
  "on-connect", "contains", "hex-equals", "regex", "echo", "any",
};

G_DEFINE_QUARK (sb-auto-reply-error-quark, sb_auto_reply_error)

gboolean
sb_trigger_from_string (const char *text,
                        SbTrigger  *trigger)
{
  for (guint i = 0; i < SB_N_TRIGGERS; i++)
    if (g_strcmp0 (text, trigger_names[i]) == 0)
      {
        *trigger = i;
        return TRUE;
      }
  return FALSE;
}

SbAutoReplyRule *
sb_auto_reply_rule_new (SbTrigger   trigger,
                        const char *pattern,
                        const char *reply,
                        const char *encoding)
{
  SbAutoReplyRule *rule = g_new0 (SbAutoReplyRule, 1);

  rule->trigger = trigger;
  rule->pattern = g_strdup (pattern ? pattern : "");
  rule->reply = g_strdup (reply ? reply : "");
  rule->encoding = g_strdup (encoding ? encoding : "UTF-8");
  return rule;
}

SbAutoReplyRule *
sb_auto_reply_rule_copy (const SbAutoReplyRule *rule)
{
  SbAutoReplyRule *copy;

  g_return_val_if_fail (rule != NULL, NULL);
  copy = sb_auto_reply_rule_new (rule->trigger, rule->pattern, rule->reply, rule->encoding);
  copy->reply_hex = rule->reply_hex;
  copy->close_after = rule->close_after;
  copy->check_filter = rule->check_filter;
  return copy;
}

void
sb_auto_reply_rule_free (SbAutoReplyRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->pattern);
  g_free (rule->reply);
  g_free (rule->encoding);
  g_free (rule);
}

char *
sb_auto_reply_rule_describe (const SbAutoReplyRule *rule)
{
  g_autofree char *when = NULL;
  g_autofree char *what = NULL;

  g_return_val_if_fail (rule != NULL, NULL);

  switch (rule->trigger)
    {
    case SB_TRIGGER_ON_CONNECT:
      when = g_strdup (_("On connect"));
      break;
    case SB_TRIGGER_CONTAINS:
      /* Translators: an auto-reply rule that fires when a message contains the text */
      when = g_strdup_printf (_("Contains “%s”"), rule->pattern);
      break;
    case SB_TRIGGER_HEX_EQUALS:
      when = g_strdup_printf (_("Bytes are %s"), rule->pattern);
      break;
    case SB_TRIGGER_REGEX:
      when = g_strdup_printf (_("Matches /%s/"), rule->pattern);
      break;
    case SB_TRIGGER_ECHO:
      return g_strdup (_("Echo every message"));
    case SB_TRIGGER_ANY:
    case SB_N_TRIGGERS:
    default:
      when = g_strdup (_("Every message"));
      break;
    }

  if (rule->reply_hex)
    what = g_strdup (rule->reply);
  else
    /* Translators: the reply text and its encoding, “hi” (GBK) */
    what = g_strdup_printf (_("“%s” (%s)"), rule->reply, rule->encoding);

  if (rule->check_filter == SB_CHECK_FILTER_BAD)
    {
      char *filtered = NULL;

      if (rule->trigger == SB_TRIGGER_ANY)
        filtered = g_strdup (_("Bad frames"));
      else
        /* Translators: an auto-reply rule's condition limited to frames whose check fails */
        filtered = g_strdup_printf (_("Bad frames, %s"), when);
      g_free (when);
      when = filtered;
    }
  else if (rule->check_filter == SB_CHECK_FILTER_OK)
    {
      char *filtered = NULL;

      if (rule->trigger == SB_TRIGGER_ANY)
        filtered = g_strdup (_("Good frames"));
      else
        /* Translators: an auto-reply rule's condition limited to frames whose check passes */
        filtered = g_strdup_printf (_("Good frames, %s"), when);
      g_free (when);
      when = filtered;
    }

  if (rule->close_after)
    /* Translators: an auto-reply rule, “condition → reply, then close” */
    return g_strdup_printf (_("%s → %s, then close"), when, what);
  /* Translators: an auto-reply rule, “condition → reply” */
  return g_strdup_printf (_("%s → %s"), when, what);
}

static void
compiled_free (gpointer data)
{
  Compiled *c = data;

  sb_auto_reply_rule_free (c->rule);
  g_clear_pointer (&c->reply, g_bytes_unref);
  g_clear_pointer (&c->hex, g_bytes_unref);
  g_clear_pointer (&c->regex, g_regex_unref);
  g_clear_pointer (&c->tmpl, sb_template_unref);
  g_free (c);
}

SbAutoReply *
sb_auto_reply_new (void)
{
  SbAutoReply *self = g_new0 (SbAutoReply, 1);

  self->rules = g_ptr_array_new_with_free_func (compiled_free);
  return self;
}

void
sb_auto_reply_free (SbAutoReply *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->rules);
  g_free (self);
}

static gboolean
prefix_error (GError    **error,
              GError     *local,
              const char *what)
{
  g_set_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID, "%s: %s", what, local->message);
  g_error_free (local);
  return FALSE;
}

static Compiled *compile (const SbAutoReplyRule *rule,
                          gboolean               templates,
                          GError               **error);

gboolean
sb_auto_reply_add_rule (SbAutoReply           *self,
                        const SbAutoReplyRule *rule,
                        GError               **error)
{
  Compiled *c;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (rule->trigger < SB_N_TRIGGERS, FALSE);
  g_return_val_if_fail (rule->check_filter < SB_N_CHECK_FILTERS, FALSE);

  c = compile (rule, self->templates, error);
  if (c == NULL)
    return FALSE;
  g_ptr_array_add (self->rules, c);
  return TRUE;
}

gboolean
sb_auto_reply_get_templates (SbAutoReply *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->templates;
}

gboolean
sb_auto_reply_set_templates (SbAutoReply  *self,
                             gboolean      templates,
                             GError      **error)
{
  g_autoptr(GPtrArray) rules = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  templates = !!templates;
  if (self->templates == templates)
    return TRUE;

  rules = g_ptr_array_new_with_free_func (compiled_free);
  for (guint i = 0; i < self->rules->len; i++)
    {
      Compiled *old = g_ptr_array_index (self->rules, i);
      g_autoptr(GError) local = NULL;
      Compiled *c = compile (old->rule, templates, &local);

      if (c == NULL)
        {
          /* Translators: “Rule 2: Reply: …” */
          g_set_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID,
                       _("Rule %u: %s"), i + 1, local->message);
          return FALSE;
        }
      g_ptr_array_add (rules, c);
    }
  g_ptr_array_unref (self->rules);
  self->rules = g_steal_pointer (&rules);
  self->templates = templates;
  return TRUE;
}

static Compiled *
compile (const SbAutoReplyRule  *rule,
         gboolean                templates,
         GError                **error)
{
  Compiled *c;
  GError *local = NULL;
  const char *encoding;

  encoding = sb_codec_canonical_name (rule->encoding);
  if (encoding == NULL || g_strcmp0 (encoding, SB_ENCODING_HEX) == 0)
    {
      g_set_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID,
                   _("The encoding “%s” is not supported"), rule->encoding);
      return NULL;
    }

  c = g_new0 (Compiled, 1);
  c->rule = sb_auto_reply_rule_copy (rule);
  g_free (c->rule->encoding);
  c->rule->encoding = g_strdup (encoding);

  switch (rule->trigger)
    {
    case SB_TRIGGER_CONTAINS:
      if (rule->pattern == NULL || *rule->pattern == '\0')
        {
          g_set_error_literal (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID,
                               _("Type the text a message must contain"));
          compiled_free (c);
          return NULL;
        }
      break;
    case SB_TRIGGER_HEX_EQUALS:
      c->hex = sb_codec_parse_hex (rule->pattern, NULL, &local);
      if (c->hex == NULL)
        {
          compiled_free (c);
          prefix_error (error, local, _("Pattern"));
          return NULL;
        }
      break;
    case SB_TRIGGER_REGEX:
      c->regex = g_regex_new (rule->pattern, G_REGEX_OPTIMIZE, 0, &local);
      if (c->regex == NULL)
        {
          compiled_free (c);
          prefix_error (error, local, _("Regular expression"));
          return NULL;
        }
      break;
    case SB_TRIGGER_ON_CONNECT:
    case SB_TRIGGER_ECHO:
    case SB_TRIGGER_ANY:
    case SB_N_TRIGGERS:
    default:
      break;
    }

  if (rule->trigger != SB_TRIGGER_ECHO && templates)
    {
      c->tmpl = sb_template_parse (rule->reply ? rule->reply : "",
                                   rule->reply_hex ? SB_TEMPLATE_HEX : SB_TEMPLATE_TEXT,
                                   encoding, NULL, &local);
      if (c->tmpl == NULL)
        {
          compiled_free (c);
          prefix_error (error, local, _("Reply"));
          return NULL;
        }
      c->reply = g_bytes_new (NULL, 0);
    }
  else if (rule->trigger != SB_TRIGGER_ECHO)
    {
      if (rule->reply_hex)
        c->reply = sb_codec_parse_hex (rule->reply, NULL, &local);
      else
        c->reply = sb_codec_encode_escaped (encoding, rule->reply, -1, NULL, &local);
      if (c->reply == NULL)
        {
          compiled_free (c);
          prefix_error (error, local, _("Reply"));
          return NULL;
        }
    }

  return c;
}

void
sb_auto_reply_remove_rule (SbAutoReply *self,
                           guint        index)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->rules->len);
  g_ptr_array_remove_index (self->rules, index);
}

void
sb_auto_reply_clear (SbAutoReply *self)
{
  g_return_if_fail (self != NULL);
  g_ptr_array_set_size (self->rules, 0);
}

guint
sb_auto_reply_get_n_rules (SbAutoReply *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rules->len;
}

const SbAutoReplyRule *
sb_auto_reply_get_rule (SbAutoReply *self,
                        guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->rules->len, NULL);
  return ((Compiled *) g_ptr_array_index (self->rules, index))->rule;
}

static void
action_free (gpointer data)
{
  SbAutoReplyAction *action = data;

  g_bytes_unref (action->bytes);
  g_clear_pointer (&action->tmpl, sb_template_unref);
  for (guint i = 0; i < action->n_groups; i++)
    g_free (action->groups[i]);
  g_free (action->groups);
  g_free (action);
}

static SbAutoReplyAction *
add_action (GPtrArray *actions,
            GBytes    *bytes,
            gboolean   close_after)
{
  SbAutoReplyAction *action = g_new0 (SbAutoReplyAction, 1);

  action->bytes = bytes;
  action->close_after = close_after;
  g_ptr_array_add (actions, action);
  return action;
}

static SbAutoReplyAction *
add_rule_action (GPtrArray *actions,
                 Compiled  *c)
{
  SbAutoReplyAction *action = add_action (actions, g_bytes_ref (c->reply), c->rule->close_after);

  if (c->tmpl != NULL)
    action->tmpl = sb_template_ref (c->tmpl);
  return action;
}

GPtrArray *
sb_auto_reply_on_connect (SbAutoReply *self)
{
  GPtrArray *actions = g_ptr_array_new_with_free_func (action_free);

  g_return_val_if_fail (self != NULL, actions);

  for (guint i = 0; i < self->rules->len; i++)
    {
      Compiled *c = g_ptr_array_index (self->rules, i);

      if (c->rule->trigger == SB_TRIGGER_ON_CONNECT)
        add_rule_action (actions, c);
    }
  return actions;
}

GPtrArray *
sb_auto_reply_on_message (SbAutoReply  *self,
                          const guint8 *data,
                          gsize         len)
{
  return sb_auto_reply_on_frame (self, data, len, SB_CHECK_NONE);
}

static gboolean
check_passes (SbCheckFilter filter,
              SbCheckStatus status)
{
  switch (filter)
    {
    case SB_CHECK_FILTER_OK:
      return status == SB_CHECK_OK;
    case SB_CHECK_FILTER_BAD:
      return status == SB_CHECK_BAD || status == SB_CHECK_SHORT;
    case SB_CHECK_FILTER_NONE:
    case SB_N_CHECK_FILTERS:
    default:
      return TRUE;
    }
}

GPtrArray *
sb_auto_reply_on_frame (SbAutoReply   *self,
                        const guint8  *data,
                        gsize          len,
                        SbCheckStatus  status)
{
  GPtrArray *actions = g_ptr_array_new_with_free_func (action_free);
  GHashTable *decoded;

  g_return_val_if_fail (self != NULL, actions);

  /* Text is decoded at most once per encoding, and only when a rule needs it. */
  decoded = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  for (guint i = 0; i < self->rules->len; i++)
    {
      Compiled *c = g_ptr_array_index (self->rules, i);
      const char *text = NULL;
      gboolean fire = FALSE;
      GMatchInfo *match = NULL;

      if (!check_passes (c->rule->check_filter, status))
        continue;

      if (c->rule->trigger == SB_TRIGGER_CONTAINS || c->rule->trigger == SB_TRIGGER_REGEX)
        {
          text = g_hash_table_lookup (decoded, c->rule->encoding);
          if (text == NULL)
            {
              char *t = sb_codec_decode (c->rule->encoding, data, len, SB_DECODE_DEFAULT, NULL);
              g_hash_table_insert (decoded, c->rule->encoding, t);
              text = t;
            }
        }

      switch (c->rule->trigger)
        {
        case SB_TRIGGER_CONTAINS:
          fire = strstr (text, c->rule->pattern) != NULL;
          break;
        case SB_TRIGGER_HEX_EQUALS:
          {
            gsize plen;
            const guint8 *p = g_bytes_get_data (c->hex, &plen);
            fire = plen == len && (len == 0 || memcmp (p, data, len) == 0);
          }
          break;
        case SB_TRIGGER_REGEX:
          fire = g_regex_match (c->regex, text, 0, c->tmpl != NULL ? &match : NULL);
          break;
        case SB_TRIGGER_ECHO:
          add_action (actions, g_bytes_new (data, len), c->rule->close_after);
          break;
        case SB_TRIGGER_ANY:
          fire = TRUE;
          break;
        case SB_TRIGGER_ON_CONNECT:
        case SB_N_TRIGGERS:
        default:
          break;
        }

      if (fire)
        {
          SbAutoReplyAction *action = add_rule_action (actions, c);

          /* ${rx.N}: the captures, an unmatched group as NULL. */
          if (match != NULL)
            {
              gint n = g_match_info_get_match_count (match);

              action->n_groups = (guint) MAX (n, 0);
              action->groups = g_new0 (char *, action->n_groups + 1);
              for (gint g = 0; g < n; g++)
                {
                  gint start = -1, end = -1;

                  if (g_match_info_fetch_pos (match, g, &start, &end) && start >= 0)
                    action->groups[g] = g_strndup (text + start, (gsize) (end - start));
                }
            }
        }
      g_clear_pointer (&match, g_match_info_free);
    }

  g_hash_table_unref (decoded);
  return actions;
}

void
sb_auto_reply_save (SbAutoReply *self,
                    GKeyFile    *keyfile,
                    const char  *group)
{
  g_auto(GStrv) keys = NULL;

  g_return_if_fail (self != NULL);

  /* Drop rules saved before, so fewer rules do not leave stale keys. */
  keys = g_key_file_get_keys (keyfile, group, NULL, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    if (g_str_has_prefix (keys[i], "auto-reply-"))
      g_key_file_remove_key (keyfile, group, keys[i], NULL);

  for (guint i = 0; i < self->rules->len; i++)
    {
      const SbAutoReplyRule *rule = ((Compiled *) g_ptr_array_index (self->rules, i))->rule;
      g_autofree char *key = g_strdup_printf ("auto-reply-%u", i);
      const char *values[] = {
        trigger_names[rule->trigger],
        rule->pattern,
        rule->reply,
        rule->encoding,
        rule->reply_hex ? "hex" : "text",
        rule->close_after ? "close" : "keep",
        rule->check_filter == SB_CHECK_FILTER_OK ? "good" : "bad",
      };
      /* Without a filter the line stays as it was before filters existed. */
      gsize n = rule->check_filter == SB_CHECK_FILTER_NONE ? 6 : 7;

      g_key_file_set_string_list (keyfile, group, key, values, n);
    }
}

gboolean
sb_auto_reply_load (SbAutoReply *self,
                    GKeyFile    *keyfile,
                    const char  *group,
                    GError     **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  sb_auto_reply_clear (self);
  for (guint i = 0; ; i++)
    {
      g_autofree char *key = g_strdup_printf ("auto-reply-%u", i);
      g_auto(GStrv) values = NULL;
      g_autoptr(SbAutoReplyRule) rule = NULL;
      gsize n = 0;
      SbTrigger trigger;

      if (!g_key_file_has_key (keyfile, group, key, NULL))
        return TRUE;
      values = g_key_file_get_string_list (keyfile, group, key, &n, error);
      if (values == NULL)
        return FALSE;
      if (n < 6 || !sb_trigger_from_string (values[0], &trigger))
        {
          g_set_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID,
                       _("The auto-reply rule “%s” cannot be read"), key);
          return FALSE;
        }
      rule = sb_auto_reply_rule_new (trigger, values[1], values[2], values[3]);
      rule->reply_hex = g_str_equal (values[4], "hex");
      rule->close_after = g_str_equal (values[5], "close");
      if (n > 6)
        {
          if (g_str_equal (values[6], "good"))
            rule->check_filter = SB_CHECK_FILTER_OK;
          else if (g_str_equal (values[6], "bad"))
            rule->check_filter = SB_CHECK_FILTER_BAD;
          else if (*values[6] != '\0')
            {
              g_set_error (error, SB_AUTO_REPLY_ERROR, SB_AUTO_REPLY_ERROR_INVALID,
                           _("The auto-reply rule “%s” cannot be read"), key);
              return FALSE;
            }
        }
      if (!sb_auto_reply_add_rule (self, rule, error))
        return FALSE;
    }
}
