/* sb-session-setup.c — everything that describes one page, and its preset group
 *
 * Main thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-setup"

#include "config.h"

#include <glib/gi18n.h>

#include "sb-codec.h"
#include "sb-checksum.h"
#include "sb-framer.h"
#include "sb-relay.h"
#include "sb-session-setup.h"
#include "sb-setup-identity.h"

#define DEFAULT_REPEAT_MS 1000

struct _SbSessionSetup
{
  GObject        parent_instance;

  /* Owned */
  SbSessionSpec *spec;
  char          *encoding;
  SbViewMode     view_mode;
  SbResponder   *responder;
  char          *capture_file;

  /* The send draft */
  char          *send_text;
  gboolean       send_hex;
  gboolean       send_escapes;
  guint          send_line_end;
  char          *send_encoding;     /* "" : the history's */
  guint          send_repeat_ms;
  guint          send_repeat_count;
  char         **send_recent;
  char         **snippets;

  /* How the history is read: framer and check specs, canonical form. */
  char           *framing;
  char           *check;
  gboolean        templates;
  /* A stream client connects again after a close or a failed attempt. */
  gboolean        reconnect;

  /* The scenario pane's script (Lua) */
  char           *scenario;
  /* Relays: faults and rewrite rules, as options (sb-relay.h) */
  char          **relay;
  /* A self-signed server's certificate and key (sb-setup-identity.h) */
  char           *tls_identity;
};

enum {
  PROP_0,
  PROP_SPEC,
  PROP_ENCODING,
  PROP_VIEW_MODE,
  PROP_RESPONDER,
  PROP_CAPTURE_FILE,
  PROP_SEND_TEXT,
  PROP_SEND_HEX,
  PROP_SEND_ESCAPES,
  PROP_SEND_LINE_END,
  PROP_SEND_ENCODING,
  PROP_SEND_REPEAT_MS,
  PROP_SEND_REPEAT_COUNT,
  PROP_SEND_RECENT,
  PROP_FRAMING,
  PROP_CHECK,
  PROP_TEMPLATES,
  PROP_SNIPPETS,
  PROP_RECONNECT,
  PROP_SCENARIO,
  PROP_RELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbSessionSetup, sb_session_setup, G_TYPE_OBJECT)

static const char * const view_mode_names[] = { "text", "hex", "both" };

static void
notify (SbSessionSetup *self,
        guint           prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static SbSessionSpec *
default_spec (void)
{
  SbSessionSpec *spec = sb_session_spec_new (SB_KIND_TCP_SERVER);

  spec->has_bind = TRUE;
  g_free (spec->bind_host);
  spec->bind_host = g_strdup ("127.0.0.1");
  return spec;
}

/* --- Public --- */

SbSessionSetup *
sb_session_setup_new (const SbSessionSpec *spec)
{
  g_autoptr(SbSessionSpec) fallback = spec ? NULL : default_spec ();

  return g_object_new (SB_TYPE_SESSION_SETUP, "spec", spec ? spec : fallback, NULL);
}

SbSessionSetup *
sb_session_setup_new_from_keyfile (GKeyFile    *keyfile,
                                   const char  *group,
                                   GError     **error)
{
  g_autoptr(SbSessionSetup) self = sb_session_setup_new (NULL);

  g_return_val_if_fail (keyfile != NULL, NULL);
  g_return_val_if_fail (group != NULL, NULL);

  if (!sb_session_setup_load (self, keyfile, group, error))
    return NULL;
  return g_steal_pointer (&self);
}

const SbSessionSpec *
sb_session_setup_get_spec (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), NULL);
  return self->spec;
}

void
sb_session_setup_set_spec (SbSessionSetup      *self,
                           const SbSessionSpec *spec)
{
  g_return_if_fail (SB_IS_SESSION_SETUP (self));
  g_return_if_fail (spec != NULL);

  if (self->spec != NULL && sb_session_spec_equal (self->spec, spec) &&
      sb_setup_identity_same (self->spec, spec))
    return;
  g_clear_pointer (&self->spec, sb_session_spec_free);
  self->spec = sb_session_spec_copy (spec);
  sb_setup_identity_attach (self->spec, &self->tls_identity);
  notify (self, PROP_SPEC);
}

const char *
sb_session_setup_get_encoding (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), NULL);
  return self->encoding;
}

void
sb_session_setup_set_encoding (SbSessionSetup *self,
                               const char     *encoding)
{
  const char *canonical;

  g_return_if_fail (SB_IS_SESSION_SETUP (self));

  canonical = sb_codec_canonical_name (encoding ? encoding : "UTF-8");
  g_return_if_fail (canonical != NULL);

  /* "hex" is a way to show bytes, not a text encoding. */
  if (g_str_equal (canonical, SB_ENCODING_HEX))
    {
      sb_session_setup_set_view_mode (self, SB_VIEW_MODE_HEX);
      return;
    }
  if (set_string (&self->encoding, canonical))
    notify (self, PROP_ENCODING);
}

SbViewMode
sb_session_setup_get_view_mode (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), SB_VIEW_MODE_TEXT);
  return self->view_mode;
}

void
sb_session_setup_set_view_mode (SbSessionSetup *self,
                                SbViewMode      mode)
{
  g_return_if_fail (SB_IS_SESSION_SETUP (self));
  g_return_if_fail (mode <= SB_VIEW_MODE_BOTH);

  if (self->view_mode == mode)
    return;
  self->view_mode = mode;
  notify (self, PROP_VIEW_MODE);
}

SbResponder *
sb_session_setup_get_responder (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), NULL);
  return self->responder;
}

const char *
sb_session_setup_get_capture_file (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), NULL);
  return self->capture_file;
}

void
sb_session_setup_set_capture_file (SbSessionSetup *self,
                                   const char     *path)
{
  g_return_if_fail (SB_IS_SESSION_SETUP (self));

  if (path != NULL && *path == '\0')
    path = NULL;
  if (set_string (&self->capture_file, path))
    notify (self, PROP_CAPTURE_FILE);
}

const char *
sb_session_setup_get_send_text (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), NULL);
  return self->send_text;
}

void
sb_session_setup_set_send_text (SbSessionSetup *self,
                                const char     *text)
{
  g_return_if_fail (SB_IS_SESSION_SETUP (self));

  if (set_string (&self->send_text, text ? text : ""))
    notify (self, PROP_SEND_TEXT);
}

gboolean
sb_session_setup_get_send_hex (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), FALSE);
  return self->send_hex;
}

void
sb_session_setup_set_send_hex (SbSessionSetup *self,
                               gboolean        hex)
{
  g_return_if_fail (SB_IS_SESSION_SETUP (self));

  hex = !!hex;
  if (self->send_hex == hex)
    return;
  self->send_hex = hex;
  notify (self, PROP_SEND_HEX);
}

static void
set_send_uint (SbSessionSetup *self,
               guint          *field,
               guint           value,
               guint           prop)
{
  if (*field == value)
    return;
  *field = value;
  notify (self, prop);
}

static void
set_send_recent (SbSessionSetup     *self,
                 const char * const *recent)
{
  if (self->send_recent != NULL && recent != NULL &&
      g_strv_equal ((const char * const *) self->send_recent, recent))
    return;
  g_strfreev (self->send_recent);
  self->send_recent = recent ? g_strdupv ((char **) recent) : g_new0 (char *, 1);
  notify (self, PROP_SEND_RECENT);
}

static void
set_snippets (SbSessionSetup     *self,
              const char * const *snippets)
{
  if (self->snippets != NULL && snippets != NULL &&
      g_strv_equal ((const char * const *) self->snippets, snippets))
    return;
  g_strfreev (self->snippets);
  self->snippets = snippets ? g_strdupv ((char **) snippets) : g_new0 (char *, 1);
  notify (self, PROP_SNIPPETS);
}

/* snippet-0, snippet-1, … up to the first missing one. */
static void
load_snippets (SbSessionSetup *self,
               GKeyFile       *keyfile,
               const char     *group)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) snippets = NULL;
  gboolean any = FALSE;

  for (guint i = 0; ; i++)
    {
      g_autofree char *key = g_strdup_printf ("snippet-%u", i);
      g_autofree char *value = g_key_file_get_string (keyfile, group, key, NULL);

      if (value == NULL)
        break;
      g_strv_builder_add (builder, value);
      any = TRUE;
    }
  if (!any)
    return;
  snippets = g_strv_builder_end (builder);
  set_snippets (self, (const char * const *) snippets);
}

static void
save_snippets (SbSessionSetup *self,
               GKeyFile       *keyfile,
               const char     *group)
{
  guint i;

  for (i = 0; self->snippets[i] != NULL; i++)
    {
      g_autofree char *key = g_strdup_printf ("snippet-%u", i);

      g_key_file_set_string (keyfile, group, key, self->snippets[i]);
    }
  /* Snippets removed since the group was last written. */
  for (;; i++)
    {
      g_autofree char *key = g_strdup_printf ("snippet-%u", i);

      if (!g_key_file_remove_key (keyfile, group, key, NULL))
        break;
    }
}

/* --- Key file --- */

void
sb_session_setup_load_draft (SbSessionSetup *self,
                             GKeyFile       *keyfile,
                             const char     *group)
{
  g_autofree char *text = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *encoding = NULL;
  g_auto(GStrv) recent = NULL;
  int line_end, interval, count;

  g_return_if_fail (SB_IS_SESSION_SETUP (self));
  g_return_if_fail (keyfile != NULL);

  g_object_freeze_notify (G_OBJECT (self));

  if ((text = g_key_file_get_string (keyfile, group, "send-text", NULL)) != NULL)
    sb_session_setup_set_send_text (self, text);
  if ((mode = g_key_file_get_string (keyfile, group, "send-mode", NULL)) != NULL)
    sb_session_setup_set_send_hex (self, g_str_equal (mode, "hex"));
  if (g_key_file_has_key (keyfile, group, "send-escapes", NULL))
    {
      gboolean escapes = g_key_file_get_boolean (keyfile, group, "send-escapes", NULL);

      if (self->send_escapes != escapes)
        {
          self->send_escapes = escapes;
          notify (self, PROP_SEND_ESCAPES);
        }
    }
  line_end = g_key_file_get_integer (keyfile, group, "send-line-end", NULL);
  if (line_end >= 0 && line_end < SB_SESSION_SETUP_N_LINE_ENDS)
    set_send_uint (self, &self->send_line_end, line_end, PROP_SEND_LINE_END);
  if ((encoding = g_key_file_get_string (keyfile, group, "send-encoding", NULL)) != NULL)
    {
      const char *canonical = *encoding ? sb_codec_canonical_name (encoding) : "";

      /* An encoding this build does not know falls back to the history's. */
      if (set_string (&self->send_encoding, canonical ? canonical : ""))
        notify (self, PROP_SEND_ENCODING);
    }
  interval = g_key_file_get_integer (keyfile, group, "send-repeat-ms", NULL);
  if (interval > 0)
    set_send_uint (self, &self->send_repeat_ms, interval, PROP_SEND_REPEAT_MS);
  count = g_key_file_get_integer (keyfile, group, "send-repeat-count", NULL);
  if (count >= 0)
    set_send_uint (self, &self->send_repeat_count, count, PROP_SEND_REPEAT_COUNT);
  if ((recent = g_key_file_get_string_list (keyfile, group, "send-recent", NULL, NULL)) != NULL)
    set_send_recent (self, (const char * const *) recent);

  g_object_thaw_notify (G_OBJECT (self));
}

void
sb_session_setup_save_draft (SbSessionSetup *self,
                             GKeyFile       *keyfile,
                             const char     *group)
{
  g_return_if_fail (SB_IS_SESSION_SETUP (self));
  g_return_if_fail (keyfile != NULL);

  g_key_file_set_string (keyfile, group, "send-text", self->send_text);
  g_key_file_set_string (keyfile, group, "send-mode", self->send_hex ? "hex" : "text");
  g_key_file_set_boolean (keyfile, group, "send-escapes", self->send_escapes);
  g_key_file_set_integer (keyfile, group, "send-line-end", self->send_line_end);
  g_key_file_set_string (keyfile, group, "send-encoding", self->send_encoding);
  g_key_file_set_integer (keyfile, group, "send-repeat-ms", self->send_repeat_ms);
  g_key_file_set_integer (keyfile, group, "send-repeat-count", self->send_repeat_count);
  g_key_file_set_string_list (keyfile, group, "send-recent",
                              (const char * const *) self->send_recent,
                              g_strv_length (self->send_recent));
}

const char *
sb_session_setup_get_framing (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), NULL);
  return self->framing;
}

gboolean
sb_session_setup_set_framing (SbSessionSetup  *self,
                              const char      *spec,
                              GError         **error)
{
  g_autoptr(SbFramer) framer = NULL;
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), FALSE);

  if (spec == NULL || *spec == '\0')
    spec = "none";
  if (!(framer = sb_framer_new_from_spec (spec, error)))
    return FALSE;
  canonical = sb_framer_to_spec (framer);
  /* The rules answer whole frames. */
  sb_responder_set_framer (self->responder, framer);
  if (set_string (&self->framing, canonical))
    notify (self, PROP_FRAMING);
  return TRUE;
}

const char *
sb_session_setup_get_check (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), NULL);
  return self->check;
}

gboolean
sb_session_setup_set_check (SbSessionSetup  *self,
                            const char      *spec,
                            GError         **error)
{
  g_autoptr(SbCheckSpec) check = NULL;
  g_autofree char *canonical = NULL;

  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), FALSE);

  if (spec != NULL && *spec != '\0')
    {
      if (!(check = sb_check_spec_parse (spec, error)))
        return FALSE;
      canonical = sb_check_spec_to_string (check);
    }
  sb_responder_set_check (self->responder, check);
  if (set_string (&self->check, canonical ? canonical : ""))
    notify (self, PROP_CHECK);
  return TRUE;
}

gboolean
sb_session_setup_get_templates (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), FALSE);
  return self->templates;
}

void
sb_session_setup_set_templates (SbSessionSetup *self,
                                gboolean        templates)
{
  g_return_if_fail (SB_IS_SESSION_SETUP (self));

  templates = !!templates;
  if (self->templates == templates)
    return;
  self->templates = templates;
  /* The replies are templates too; a rule that is not one says so in the
   * responder's error, and the rules stay as they were. */
  g_object_set (self->responder, "templates", templates, NULL);
  notify (self, PROP_TEMPLATES);
}

const char *
sb_session_setup_get_scenario (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), NULL);
  return self->scenario;
}

void
sb_session_setup_set_scenario (SbSessionSetup *self,
                               const char     *text)
{
  g_return_if_fail (SB_IS_SESSION_SETUP (self));

  if (set_string (&self->scenario, text ? text : ""))
    notify (self, PROP_SCENARIO);
}

const char * const *
sb_session_setup_get_relay (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), NULL);
  return (const char * const *) self->relay;
}

gboolean
sb_session_setup_set_relay (SbSessionSetup      *self,
                            const char * const  *options,
                            GError             **error)
{
  g_autoptr(SbRelayOptions) check = sb_relay_options_new ();
  static const char * const none[] = { NULL };

  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), FALSE);

  if (!sb_relay_options_add_all (check, options, error))
    return FALSE;
  if (options == NULL)
    options = none;
  if (g_strv_equal ((const char * const *) self->relay, options))
    return TRUE;
  g_strfreev (self->relay);
  self->relay = g_strdupv ((char **) options);
  notify (self, PROP_RELAY);
  return TRUE;
}

gboolean
sb_session_setup_get_reconnect (SbSessionSetup *self)
{
  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), FALSE);
  return self->reconnect;
}

void
sb_session_setup_set_reconnect (SbSessionSetup *self,
                                gboolean        reconnect)
{
  g_return_if_fail (SB_IS_SESSION_SETUP (self));

  reconnect = !!reconnect;
  if (self->reconnect == reconnect)
    return;
  self->reconnect = reconnect;
  notify (self, PROP_RECONNECT);
}

gboolean
sb_session_setup_load (SbSessionSetup  *self,
                       GKeyFile        *keyfile,
                       const char      *group,
                       GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *capture = NULL;
  g_autoptr(SbSessionSpec) spec = NULL;
  g_autoptr(SbResponder) rules = NULL;
  g_autofree char *framing = NULL;
  g_autofree char *check = NULL;
  g_autoptr(SbFramer) framer = NULL;
  g_autoptr(SbCheckSpec) check_spec = NULL;
  g_autofree char *scenario = NULL;
  g_auto(GStrv) relay = NULL;
  g_autoptr(SbRelayOptions) relay_options = sb_relay_options_new ();
  gboolean templates;
  gboolean reconnect;
  const char *canonical = NULL;
  int view_mode = -1;

  g_return_val_if_fail (SB_IS_SESSION_SETUP (self), FALSE);
  g_return_val_if_fail (keyfile != NULL, FALSE);
  g_return_val_if_fail (group != NULL, FALSE);

  /* Check everything before changing anything. */
  if (!(uri = g_key_file_get_string (keyfile, group, "URI", &local_error)) ||
      !(spec = sb_session_spec_parse (uri, &local_error)) ||
      !sb_setup_identity_load (spec, keyfile, group, &local_error))
    goto fail;

  encoding = g_key_file_get_string (keyfile, group, "encoding", NULL);
  if (encoding != NULL)
    {
      canonical = sb_codec_canonical_name (encoding);
      if (canonical == NULL || g_str_equal (canonical, SB_ENCODING_HEX))
        {
          g_set_error (&local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       _("The encoding “%s” is not supported"), encoding);
          goto fail;
        }
    }

  mode = g_key_file_get_string (keyfile, group, "view-mode", NULL);
  for (guint i = 0; mode != NULL && i < G_N_ELEMENTS (view_mode_names); i++)
    if (g_str_equal (mode, view_mode_names[i]))
      view_mode = i;

  templates = g_key_file_get_boolean (keyfile, group, "templates", NULL);
  rules = sb_responder_new ();
  /* No rules yet: this cannot fail. */
  sb_responder_set_templates (rules, templates, NULL);
  if (!sb_auto_reply_load (sb_responder_get_auto_reply (rules), keyfile, group, &local_error))
    goto fail;

  capture = g_key_file_get_string (keyfile, group, "capture-file", NULL);

  framing = g_key_file_get_string (keyfile, group, "framing", NULL);
  if (framing != NULL && !(framer = sb_framer_new_from_spec (framing, &local_error)))
    goto fail;
  check = g_key_file_get_string (keyfile, group, "check", NULL);
  if (check != NULL && *check != '\0' && !(check_spec = sb_check_spec_parse (check, &local_error)))
    goto fail;
  reconnect = g_key_file_get_boolean (keyfile, group, "reconnect", NULL);
  scenario = g_key_file_get_string (keyfile, group, "scenario", NULL);
  relay = g_key_file_get_string_list (keyfile, group, "relay", NULL, NULL);
  if (!sb_relay_options_add_all (relay_options, (const char * const *) relay, &local_error))
    goto fail;

  g_object_freeze_notify (G_OBJECT (self));
  sb_session_setup_set_spec (self, spec);
  if (canonical != NULL)
    sb_session_setup_set_encoding (self, canonical);
  if (view_mode >= 0)
    sb_session_setup_set_view_mode (self, view_mode);
  sb_session_setup_set_capture_file (self, capture);
  sb_session_setup_set_framing (self, framing, NULL);
  sb_session_setup_set_check (self, check, NULL);
  sb_session_setup_set_templates (self, templates);
  sb_session_setup_set_reconnect (self, reconnect);
  sb_session_setup_set_scenario (self, scenario);
  sb_session_setup_set_relay (self, (const char * const *) relay, NULL);
  sb_responder_copy_rules (self->responder, rules);
  sb_session_setup_load_draft (self, keyfile, group);
  load_snippets (self, keyfile, group);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;

fail:
  /* Translators: “Page 2: The encoding “X” is not supported” */
  g_set_error (error, local_error->domain, local_error->code,
               _("%s: %s"), group, local_error->message);
  return FALSE;
}

void
sb_session_setup_save (SbSessionSetup *self,
                       GKeyFile       *keyfile,
                       const char     *group)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (SB_IS_SESSION_SETUP (self));
  g_return_if_fail (keyfile != NULL);
  g_return_if_fail (group != NULL);

  uri = sb_session_spec_to_uri (self->spec);
  g_key_file_set_string (keyfile, group, "URI", uri);
  sb_setup_identity_save (self->spec, keyfile, group);
  g_key_file_set_string (keyfile, group, "encoding", self->encoding);
  g_key_file_set_string (keyfile, group, "view-mode", view_mode_names[self->view_mode]);
  if (self->capture_file != NULL)
    g_key_file_set_string (keyfile, group, "capture-file", self->capture_file);
  else
    g_key_file_remove_key (keyfile, group, "capture-file", NULL);
  g_key_file_set_string (keyfile, group, "framing", self->framing);
  g_key_file_set_string (keyfile, group, "check", self->check);
  g_key_file_set_boolean (keyfile, group, "templates", self->templates);
  /* Written only when on: it means nothing to most kinds of session. */
  if (self->reconnect)
    g_key_file_set_boolean (keyfile, group, "reconnect", TRUE);
  else
    g_key_file_remove_key (keyfile, group, "reconnect", NULL);
  if (*self->scenario != '\0')
    g_key_file_set_string (keyfile, group, "scenario", self->scenario);
  else
    g_key_file_remove_key (keyfile, group, "scenario", NULL);
  if (self->relay[0] != NULL)
    g_key_file_set_string_list (keyfile, group, "relay", (const char * const *) self->relay,
                                g_strv_length (self->relay));
  else
    g_key_file_remove_key (keyfile, group, "relay", NULL);
  sb_session_setup_save_draft (self, keyfile, group);
  save_snippets (self, keyfile, group);
  sb_auto_reply_save (sb_responder_get_auto_reply (self->responder), keyfile, group);
}

/* --- GObject --- */

static void
sb_session_setup_finalize (GObject *object)
{
  SbSessionSetup *self = SB_SESSION_SETUP (object);

  g_clear_pointer (&self->spec, sb_session_spec_free);
  g_clear_pointer (&self->encoding, g_free);
  g_clear_object (&self->responder);
  g_clear_pointer (&self->capture_file, g_free);
  g_clear_pointer (&self->send_text, g_free);
  g_clear_pointer (&self->send_encoding, g_free);
  g_clear_pointer (&self->send_recent, g_strfreev);
  g_clear_pointer (&self->snippets, g_strfreev);
  g_clear_pointer (&self->framing, g_free);
  g_clear_pointer (&self->check, g_free);
  g_clear_pointer (&self->scenario, g_free);
  g_clear_pointer (&self->relay, g_strfreev);
  g_clear_pointer (&self->tls_identity, g_free);

  G_OBJECT_CLASS (sb_session_setup_parent_class)->finalize (object);
}

static void
sb_session_setup_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SbSessionSetup *self = SB_SESSION_SETUP (object);

  switch (prop_id)
    {
    case PROP_SPEC:
      g_value_set_boxed (value, self->spec);
      break;
    case PROP_ENCODING:
      g_value_set_string (value, self->encoding);
      break;
    case PROP_VIEW_MODE:
      g_value_set_enum (value, self->view_mode);
      break;
    case PROP_RESPONDER:
      g_value_set_object (value, self->responder);
      break;
    case PROP_CAPTURE_FILE:
      g_value_set_string (value, self->capture_file);
      break;
    case PROP_SEND_TEXT:
      g_value_set_string (value, self->send_text);
      break;
    case PROP_SEND_HEX:
      g_value_set_boolean (value, self->send_hex);
      break;
    case PROP_SEND_ESCAPES:
      g_value_set_boolean (value, self->send_escapes);
      break;
    case PROP_SEND_LINE_END:
      g_value_set_uint (value, self->send_line_end);
      break;
    case PROP_SEND_ENCODING:
      g_value_set_string (value, self->send_encoding);
      break;
    case PROP_SEND_REPEAT_MS:
      g_value_set_uint (value, self->send_repeat_ms);
      break;
    case PROP_SEND_REPEAT_COUNT:
      g_value_set_uint (value, self->send_repeat_count);
      break;
    case PROP_SEND_RECENT:
      g_value_set_boxed (value, self->send_recent);
      break;
    case PROP_FRAMING:
      g_value_set_string (value, self->framing);
      break;
    case PROP_CHECK:
      g_value_set_string (value, self->check);
      break;
    case PROP_TEMPLATES:
      g_value_set_boolean (value, self->templates);
      break;
    case PROP_SNIPPETS:
      g_value_set_boxed (value, self->snippets);
      break;
    case PROP_RECONNECT:
      g_value_set_boolean (value, self->reconnect);
      break;
    case PROP_SCENARIO:
      g_value_set_string (value, self->scenario);
      break;
    case PROP_RELAY:
      g_value_set_boxed (value, self->relay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_session_setup_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SbSessionSetup *self = SB_SESSION_SETUP (object);

  switch (prop_id)
    {
    case PROP_SPEC:
      {
        const SbSessionSpec *spec = g_value_get_boxed (value);
        g_autoptr(SbSessionSpec) fallback = spec ? NULL : default_spec ();

        sb_session_setup_set_spec (self, spec ? spec : fallback);
      }
      break;
    case PROP_ENCODING:
      sb_session_setup_set_encoding (self, g_value_get_string (value));
      break;
    case PROP_VIEW_MODE:
      sb_session_setup_set_view_mode (self, g_value_get_enum (value));
      break;
    case PROP_CAPTURE_FILE:
      sb_session_setup_set_capture_file (self, g_value_get_string (value));
      break;
    case PROP_SEND_TEXT:
      sb_session_setup_set_send_text (self, g_value_get_string (value));
      break;
    case PROP_SEND_HEX:
      sb_session_setup_set_send_hex (self, g_value_get_boolean (value));
      break;
    case PROP_SEND_ESCAPES:
      if (self->send_escapes != g_value_get_boolean (value))
        {
          self->send_escapes = g_value_get_boolean (value);
          notify (self, PROP_SEND_ESCAPES);
        }
      break;
    case PROP_SEND_LINE_END:
      set_send_uint (self, &self->send_line_end, g_value_get_uint (value), PROP_SEND_LINE_END);
      break;
    case PROP_SEND_ENCODING:
      {
        const char *encoding = g_value_get_string (value);
        const char *canonical = encoding && *encoding ? sb_codec_canonical_name (encoding) : "";

        if (set_string (&self->send_encoding, canonical ? canonical : ""))
          notify (self, PROP_SEND_ENCODING);
      }
      break;
    case PROP_SEND_REPEAT_MS:
      set_send_uint (self, &self->send_repeat_ms, g_value_get_uint (value), PROP_SEND_REPEAT_MS);
      break;
    case PROP_SEND_REPEAT_COUNT:
      set_send_uint (self, &self->send_repeat_count, g_value_get_uint (value), PROP_SEND_REPEAT_COUNT);
      break;
    case PROP_SEND_RECENT:
      set_send_recent (self, g_value_get_boxed (value));
      break;
    case PROP_FRAMING:
      if (!sb_session_setup_set_framing (self, g_value_get_string (value), NULL))
        g_critical ("“%s” is not a framing spec", g_value_get_string (value));
      break;
    case PROP_CHECK:
      if (!sb_session_setup_set_check (self, g_value_get_string (value), NULL))
        g_critical ("“%s” is not a check spec", g_value_get_string (value));
      break;
    case PROP_TEMPLATES:
      sb_session_setup_set_templates (self, g_value_get_boolean (value));
      break;
    case PROP_SNIPPETS:
      set_snippets (self, g_value_get_boxed (value));
      break;
    case PROP_RECONNECT:
      sb_session_setup_set_reconnect (self, g_value_get_boolean (value));
      break;
    case PROP_SCENARIO:
      sb_session_setup_set_scenario (self, g_value_get_string (value));
      break;
    case PROP_RELAY:
      sb_session_setup_set_relay (self, g_value_get_boxed (value), NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_session_setup_class_init (SbSessionSetupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sb_session_setup_finalize;
  object_class->get_property = sb_session_setup_get_property;
  object_class->set_property = sb_session_setup_set_property;

  properties[PROP_SPEC] =
    g_param_spec_boxed ("spec", NULL, NULL, SB_TYPE_SESSION_SPEC, rw);
  properties[PROP_ENCODING] =
    g_param_spec_string ("encoding", NULL, NULL, "UTF-8", rw);
  properties[PROP_VIEW_MODE] =
    g_param_spec_enum ("view-mode", NULL, NULL, SB_TYPE_VIEW_MODE, SB_VIEW_MODE_TEXT, rw);
  properties[PROP_RESPONDER] =
    g_param_spec_object ("responder", NULL, NULL, SB_TYPE_RESPONDER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAPTURE_FILE] =
    g_param_spec_string ("capture-file", NULL, NULL, NULL, rw);
  properties[PROP_SEND_TEXT] =
    g_param_spec_string ("send-text", NULL, NULL, "", rw);
  properties[PROP_SEND_HEX] =
    g_param_spec_boolean ("send-hex", NULL, NULL, FALSE, rw);
  properties[PROP_SEND_ESCAPES] =
    g_param_spec_boolean ("send-escapes", NULL, NULL, FALSE, rw);
  properties[PROP_SEND_LINE_END] =
    g_param_spec_uint ("send-line-end", NULL, NULL, 0, SB_SESSION_SETUP_N_LINE_ENDS - 1, 0, rw);
  properties[PROP_SEND_ENCODING] =
    g_param_spec_string ("send-encoding", NULL, NULL, "", rw);
  properties[PROP_SEND_REPEAT_MS] =
    g_param_spec_uint ("send-repeat-ms", NULL, NULL, 1, 3600000, DEFAULT_REPEAT_MS, rw);
  properties[PROP_SEND_REPEAT_COUNT] =
    g_param_spec_uint ("send-repeat-count", NULL, NULL, 0, G_MAXINT, 0, rw);
  properties[PROP_SEND_RECENT] =
    g_param_spec_boxed ("send-recent", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_FRAMING] =
    g_param_spec_string ("framing", NULL, NULL, "none", rw);
  properties[PROP_CHECK] =
    g_param_spec_string ("check", NULL, NULL, "", rw);
  properties[PROP_TEMPLATES] =
    g_param_spec_boolean ("templates", NULL, NULL, FALSE, rw);
  properties[PROP_SNIPPETS] =
    g_param_spec_boxed ("snippets", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_RECONNECT] =
    g_param_spec_boolean ("reconnect", NULL, NULL, FALSE, rw);
  properties[PROP_SCENARIO] =
    g_param_spec_string ("scenario", NULL, NULL, "", rw);
  properties[PROP_RELAY] =
    g_param_spec_boxed ("relay", NULL, NULL, G_TYPE_STRV, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_session_setup_init (SbSessionSetup *self)
{
  self->spec = default_spec ();
  self->encoding = g_strdup ("UTF-8");
  self->responder = sb_responder_new ();
  self->send_text = g_strdup ("");
  self->send_encoding = g_strdup ("");
  self->send_repeat_ms = DEFAULT_REPEAT_MS;
  self->send_recent = g_new0 (char *, 1);
  self->snippets = g_new0 (char *, 1);
  self->framing = g_strdup ("none");
  self->check = g_strdup ("");
  self->scenario = g_strdup ("");
  self->relay = g_new0 (char *, 1);
}
