/* sb-session-page-framing.c — the page's frames and its framing chooser
 *
 * The page owns one SbFrames over its session's history, with the framer
 * the setup's "framing" names; it is made again when the session is
 * replaced. The chooser (a menu button in the setup area) writes "framing"
 * and "check" to the setup, which presets save: common framings, a fixed
 * length, or a spec typed by hand (checked by sb_framer_new_from_spec, its
 * error shown under it), and the checksum frames end with
 * (sb_check_spec_parse).
 *
 * Window thread only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "sb-checksum.h"
#include "sb-session-page-private.h"

typedef enum
{
  FRAMING_NONE,
  FRAMING_LINES,
  FRAMING_CRLF,
  FRAMING_LEN2BE,
  FRAMING_FIXED,
  FRAMING_CUSTOM,
  N_FRAMINGS
} Framing;

/* The presets' specs, canonical (sb_framer_to_spec() gives them back). */
static const char *const framing_specs[] = { "none", "line", "delim:0d0a", "len:2:be", NULL, NULL };

static const char *const check_specs[] = {
  "", "crc-16/modbus", "crc-16/ccitt-false", "crc-16/xmodem", "crc-32", "sum8", "xor8", "lrc", NULL,
};
#define CHECK_CUSTOM (G_N_ELEMENTS (check_specs) - 1)

static const char *
framing_label (Framing framing)
{
  switch (framing)
    {
    case FRAMING_NONE:   return _("None: one row per read");
    case FRAMING_LINES:  return _("Lines (\\n or \\r\\n)");
    case FRAMING_CRLF:   return _("Lines ending in \\r\\n only");
    case FRAMING_LEN2BE: return _("2-byte big-endian length, then the body");
    case FRAMING_FIXED:  return _("Fixed length…");
    case FRAMING_CUSTOM:
    case N_FRAMINGS:
    default:             return _("Other (type a spec)…");
    }
}

static const char *
check_label (guint i)
{
  if (i == 0)
    return _("No checksum");
  if (i == CHECK_CUSTOM)
    return _("Other (type a spec)…");
  return NULL;
}

/* --- Frames --- */

SbFrames *
_sb_session_page_get_frames (SbSessionPage *self)
{
  g_return_val_if_fail (SB_IS_SESSION_PAGE (self), NULL);
  return self->frames;
}

/* Called when the session is replaced: frames over the new history. */
void
_sb_session_page_update_frames (SbSessionPage *self)
{
  SbHistory *history = self->session ? sb_session_get_history (self->session) : NULL;
  g_autoptr(SbFramer) framer = NULL;

  if (self->frames != NULL && history != NULL && sb_frames_get_history (self->frames) == history)
    return;
  g_clear_object (&self->frames);
  if (history != NULL)
    {
      framer = sb_framer_new_from_spec (sb_session_setup_get_framing (self->setup), NULL);
      self->frames = sb_frames_new (history, framer);
      g_object_bind_property (self->setup, "check", self->frames, "check", G_BINDING_SYNC_CREATE);
    }
  /* The views show the page's frames: one row per frame in the history,
   * boundaries in the byte inspector, messages in the sequence diagram. */
  sb_history_view_set_frames (self->history_view, self->frames);
  if (self->teaching_panel != NULL)
    sb_teaching_panel_set_frames (self->teaching_panel, self->frames);
  _sb_session_page_notify_frames (self);
}

/* --- The chooser --- */

static void
update_button_label (SbSessionPage *self)
{
  const char *framing = sb_session_setup_get_framing (self->setup);
  const char *check = sb_session_setup_get_check (self->setup);
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  GtkLabel *label;

  if (g_strcmp0 (framing, "none") == 0)
    /* Translators: the framing button when reads are shown as they came */
    text = g_strdup (C_("framing button", "_Framing"));
  else
    /* Translators: the framing button, %s a framer spec: “Framing: len:2:be” */
    text = g_strdup_printf (_("_Framing: %s"), framing);
  if (check[0] != '\0')
    {
      char *with = g_strdup_printf ("%s · %s", text, check);

      g_free (text);
      text = with;
    }
  /* A long spec is cut in the middle so the status row fits 800 px; the
   * whole of it is in the tooltip. */
  label = GTK_LABEL (gtk_menu_button_get_child (self->framing_button));
  if (label == NULL || !GTK_IS_LABEL (label))
    {
      label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_ellipsize (label, PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_width_chars (label, 8);
      gtk_label_set_max_width_chars (label, 24);
      gtk_label_set_mnemonic_widget (label, GTK_WIDGET (self->framing_button));
      gtk_menu_button_set_child (self->framing_button, GTK_WIDGET (label));
    }
  gtk_label_set_text_with_mnemonic (label, text);
  tooltip = g_strdup_printf ("%s\n%s", pango_layout_get_text (gtk_label_get_layout (label)),
                             _("How the reads become messages (framing), and the checksum each received frame must carry"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->framing_button), tooltip);
}

static void
show_error (GtkLabel     *label,
            const GError *error)
{
  gtk_label_set_text (label, error ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), error != NULL);
}

/* The chooser shows what the setup says. */
static void
setup_to_chooser (SbSessionPage *self)
{
  const char *framing = sb_session_setup_get_framing (self->setup);
  const char *check = sb_session_setup_get_check (self->setup);
  guint selected = FRAMING_CUSTOM;
  guint check_selected = CHECK_CUSTOM;

  /* Until its popover is first opened there is no chooser to fill. */
  if (self->framing_dropdown == NULL)
    {
      update_button_label (self);
      return;
    }

  self->syncing_framing = TRUE;
  for (guint i = 0; i < FRAMING_FIXED; i++)
    if (g_strcmp0 (framing, framing_specs[i]) == 0)
      selected = i;
  if (selected == FRAMING_CUSTOM && g_str_has_prefix (framing, "fixed:") &&
      strspn (framing + 6, "0123456789") == strlen (framing + 6))
    {
      selected = FRAMING_FIXED;
      gtk_spin_button_set_value (self->fixed_spin, g_ascii_strtod (framing + 6, NULL));
    }
  if (selected == FRAMING_CUSTOM)
    gtk_editable_set_text (GTK_EDITABLE (self->framing_entry), framing);
  gtk_drop_down_set_selected (self->framing_dropdown, selected);

  for (guint i = 0; i < CHECK_CUSTOM; i++)
    if (g_strcmp0 (check, check_specs[i]) == 0)
      check_selected = i;
  if (check_selected == CHECK_CUSTOM)
    gtk_editable_set_text (GTK_EDITABLE (self->check_entry), check);
  gtk_drop_down_set_selected (self->check_dropdown, check_selected);

  gtk_widget_set_visible (GTK_WIDGET (self->fixed_spin), selected == FRAMING_FIXED);
  gtk_widget_set_visible (GTK_WIDGET (self->framing_entry), selected == FRAMING_CUSTOM);
  gtk_widget_set_visible (GTK_WIDGET (self->check_entry), check_selected == CHECK_CUSTOM);
  show_error (self->framing_error, NULL);
  show_error (self->check_error, NULL);
  self->syncing_framing = FALSE;
  update_button_label (self);
}

/* What the chooser says goes to the setup when it is a valid spec; else
 * the error shows under it and the setup keeps what it had. */
static void
chooser_to_setup (SbSessionPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->framing_dropdown);
  guint check_selected = gtk_drop_down_get_selected (self->check_dropdown);
  g_autofree char *spec = NULL;
  g_autofree char *check = NULL;
  g_autoptr(SbFramer) framer = NULL;
  g_autoptr(GError) error = NULL;

  if (self->syncing_framing)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->fixed_spin), selected == FRAMING_FIXED);
  gtk_widget_set_visible (GTK_WIDGET (self->framing_entry), selected == FRAMING_CUSTOM);
  gtk_widget_set_visible (GTK_WIDGET (self->check_entry), check_selected == CHECK_CUSTOM);

  if (selected == FRAMING_FIXED)
    spec = g_strdup_printf ("fixed:%d", gtk_spin_button_get_value_as_int (self->fixed_spin));
  else if (selected == FRAMING_CUSTOM)
    spec = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->framing_entry))));
  else if (selected < FRAMING_FIXED)
    spec = g_strdup (framing_specs[selected]);

  if (spec != NULL && spec[0] != '\0' && (framer = sb_framer_new_from_spec (spec, &error)) != NULL)
    {
      g_autofree char *canonical = sb_framer_to_spec (framer);

      show_error (self->framing_error, NULL);
      self->syncing_framing = TRUE;
      sb_session_setup_set_framing (self->setup, canonical, NULL);
      self->syncing_framing = FALSE;
    }
  else if (spec != NULL && spec[0] != '\0')
    show_error (self->framing_error, error);
  g_clear_error (&error);

  if (check_selected == CHECK_CUSTOM)
    check = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->check_entry))));
  else if (check_selected < CHECK_CUSTOM)
    check = g_strdup (check_specs[check_selected]);
  if (check != NULL)
    {
      g_autoptr(SbCheckSpec) parsed = check[0] != '\0' ? sb_check_spec_parse (check, &error) : NULL;

      if (check[0] == '\0' || parsed != NULL)
        {
          g_autofree char *canonical = parsed ? sb_check_spec_to_string (parsed) : g_strdup ("");

          show_error (self->check_error, NULL);
          self->syncing_framing = TRUE;
          sb_session_setup_set_check (self->setup, canonical, NULL);
          self->syncing_framing = FALSE;
        }
      else
        show_error (self->check_error, error);
    }
  update_button_label (self);
}

static void
setup_framing_cb (SbSessionPage *self)
{
  g_autoptr(SbFramer) framer = NULL;

  if (self->frames != NULL &&
      (framer = sb_framer_new_from_spec (sb_session_setup_get_framing (self->setup), NULL)) != NULL)
    sb_frames_set_framer (self->frames, framer);
  if (!self->syncing_framing)
    setup_to_chooser (self);
  else
    update_button_label (self);
}

static GtkWidget *
caption (const char *text,
         GtkWidget  *mnemonic_widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), mnemonic_widget);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

static GtkWidget *
error_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_visible (label, FALSE);
  return label;
}

/* The chooser is made when its popover first opens: a page that never
 * frames never pays for its drop-downs. */
static void
create_chooser (GtkMenuButton *button,
                gpointer       user_data)
{
  SbSessionPage *self = user_data;
  g_autoptr(GtkStringList) framings = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) checks = gtk_string_list_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *hint;

  for (guint i = 0; i < N_FRAMINGS; i++)
    gtk_string_list_append (framings, framing_label (i));
  for (guint i = 0; i < G_N_ELEMENTS (check_specs); i++)
    {
      const char *label = check_label (i);

      if (label != NULL)
        gtk_string_list_append (checks, label);
      else
        {
          /* Translators: a checksum choice, %s its name: “Frames end with crc-16/modbus” */
          g_autofree char *text = g_strdup_printf (_("Frames end with %s"), check_specs[i]);

          gtk_string_list_append (checks, text);
        }
    }

  self->framing_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&framings)), NULL));
  self->fixed_spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (1, 65536, 1));
  gtk_spin_button_set_value (self->fixed_spin, 8);
  self->framing_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->framing_entry, "len:2:be:0:0");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->framing_entry),
                               _("delim:HEX, fixed:N, len:SIZE:be|le[:OFFSET[:ADJUST]], gap:MS, slip, cobs, line, json"));
  self->framing_error = GTK_LABEL (error_label ());
  self->check_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&checks)), NULL));
  self->check_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->check_entry, "crc-16/modbus:0:-3:le");
  self->check_error = GTK_LABEL (error_label ());
  hint = gtk_label_new (_("Frames are a view: the reads stay in the history as they came, and changing the framing frames them again."));
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (hint), 40);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");

  gtk_box_append (GTK_BOX (box), caption (_("_Messages in the stream"), GTK_WIDGET (self->framing_dropdown)));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->framing_dropdown));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->fixed_spin));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->framing_entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->framing_error));
  gtk_box_append (GTK_BOX (box), caption (_("_Checksum"), GTK_WIDGET (self->check_dropdown)));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->check_dropdown));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->check_entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->check_error));
  gtk_box_append (GTK_BOX (box), hint);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (self->framing_button, popover);
  /* Once made, it stays. */
  gtk_menu_button_set_create_popup_func (self->framing_button, NULL, NULL, NULL);

  g_signal_connect_swapped (self->framing_dropdown, "notify::selected", G_CALLBACK (chooser_to_setup), self);
  g_signal_connect_swapped (self->fixed_spin, "value-changed", G_CALLBACK (chooser_to_setup), self);
  g_signal_connect_swapped (self->framing_entry, "changed", G_CALLBACK (chooser_to_setup), self);
  g_signal_connect_swapped (self->check_dropdown, "notify::selected", G_CALLBACK (chooser_to_setup), self);
  g_signal_connect_swapped (self->check_entry, "changed", G_CALLBACK (chooser_to_setup), self);
  setup_to_chooser (self);
}

void
_sb_session_page_init_framing (SbSessionPage *self)
{
  gtk_menu_button_set_create_popup_func (self->framing_button, create_chooser, self, NULL);
  g_signal_connect_object (self->setup, "notify::framing", G_CALLBACK (setup_framing_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->setup, "notify::check", G_CALLBACK (setup_framing_cb), self, G_CONNECT_SWAPPED);
  setup_to_chooser (self);
}
