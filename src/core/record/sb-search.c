/* sb-search.c — finding bytes in a history
 *
 * On the thread that announces the history (the window's).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-search"

#include "config.h"

#include <string.h>

#include "sb-codec.h"
#include "sb-frames.h"
#include "sb-search.h"

struct _SbSearch
{
  GObject    parent_instance;

  /* Owned */
  SbHistory *history;
  SbFrames  *frames;       /* frames mode when set */
  GBytes    *pattern;      /* NULL without a search */
  GArray    *matches;      /* guint64 serials (frame numbers), ascending */
  guint      scan_source;

  guint64    scan_serial;  /* next serial (frame number) to scan */
};

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_N_MATCHES,
  PROP_SCANNING,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (SbSearch, sb_search, G_TYPE_OBJECT)

static void
emit_changed (SbSearch *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MATCHES]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCANNING]);
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Frame numbers follow model positions: the first frame's number. */
static guint64
frames_first (SbSearch *self)
{
  g_autoptr(SbFrameItem) first = g_list_model_get_item (G_LIST_MODEL (self->frames), 0);

  return first ? sb_frame_item_get_number (first) : self->scan_serial;
}

/* The first key (serial or frame number) still in the model. */
static guint64
search_first (SbSearch *self)
{
  if (self->frames != NULL)
    return frames_first (self);
  return sb_history_get_first_serial (self->history);
}

static guint64
history_end (SbSearch *self)
{
  if (self->frames != NULL)
    return frames_first (self) + g_list_model_get_n_items (G_LIST_MODEL (self->frames));
  return sb_history_get_first_serial (self->history) + sb_history_get_n_records (self->history);
}

static gboolean
scan_frames_step (SbSearch *self,
                  guint     max_frames)
{
  guint64 first = frames_first (self), end = history_end (self);
  guint done = 0;

  if (self->scan_serial < first)
    self->scan_serial = first;
  while (self->scan_serial < end && done < max_frames)
    {
      g_autoptr(SbFrameItem) frame = g_list_model_get_item (G_LIST_MODEL (self->frames),
                                                            (guint) (self->scan_serial - first));
      g_autoptr(GBytes) raw = frame ? sb_frame_item_dup_raw (frame) : NULL;
      gsize len = 0;
      const guint8 *data = raw ? g_bytes_get_data (raw, &len) : NULL;

      if (data != NULL && sb_search_matches_bytes (self, data, len))
        g_array_append_val (self->matches, self->scan_serial);
      self->scan_serial++;
      done++;
    }
  return self->scan_serial < end;
}

gboolean
sb_search_matches_bytes (SbSearch     *self,
                         const guint8 *data,
                         gsize         len)
{
  gsize plen;
  const guint8 *pat;

  g_return_val_if_fail (SB_IS_SEARCH (self), FALSE);

  if (self->pattern == NULL)
    return TRUE;
  pat = g_bytes_get_data (self->pattern, &plen);
  return data != NULL && plen > 0 && memmem (data, len, pat, plen) != NULL;
}

gboolean
sb_search_matches_item (SbSearch      *self,
                        SbHistoryItem *item)
{
  g_autoptr(GBytes) data = NULL;
  gsize len = 0;
  const guint8 *bytes;

  g_return_val_if_fail (SB_IS_SEARCH (self), FALSE);
  g_return_val_if_fail (SB_IS_HISTORY_ITEM (item), FALSE);

  if (self->pattern == NULL)
    return TRUE;
  if (sb_history_item_get_direction (item) == SB_DIRECTION_EVENT)
    return FALSE;
  data = sb_history_item_dup_data (item);
  bytes = data ? g_bytes_get_data (data, &len) : NULL;
  return sb_search_matches_bytes (self, bytes, len);
}

gboolean
sb_search_scan_step (SbSearch *self,
                     guint     max_records)
{
  guint64 first, end;
  guint done = 0;

  g_return_val_if_fail (SB_IS_SEARCH (self), FALSE);

  if (self->pattern == NULL)
    return FALSE;
  if (self->frames != NULL)
    return scan_frames_step (self, max_records);
  first = sb_history_get_first_serial (self->history);
  end = history_end (self);
  if (self->scan_serial < first)
    self->scan_serial = first;

  while (self->scan_serial < end && done < max_records)
    {
      guint position = self->scan_serial - first;

      if (sb_history_get_direction (self->history, position) != SB_DIRECTION_EVENT)
        {
          gsize len = 0;
          const guint8 *data = sb_history_peek_data (self->history, position, &len);

          if (data != NULL && sb_search_matches_bytes (self, data, len))
            g_array_append_val (self->matches, self->scan_serial);
        }
      self->scan_serial++;
      done++;
    }
  return self->scan_serial < end;
}

gboolean
sb_search_get_scanning (SbSearch *self)
{
  g_return_val_if_fail (SB_IS_SEARCH (self), FALSE);
  return self->scan_source != 0;
}

static gboolean
scan_cb (gpointer user_data)
{
  SbSearch *self = user_data;
  gboolean more = sb_search_scan_step (self, SB_SEARCH_CHUNK);

  if (!more)
    self->scan_source = 0;
  emit_changed (self);
  return more ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
schedule_scan (SbSearch *self)
{
  if (self->scan_source == 0 && self->pattern != NULL && self->scan_serial < history_end (self))
    self->scan_source = g_idle_add_full (G_PRIORITY_LOW, scan_cb, self, NULL);
}

/* Matches whose records were dropped by the cap or cleared are gone. */
static gboolean
forget_dropped (SbSearch *self)
{
  guint n = sb_search_find_index (self, search_first (self));

  if (n == 0)
    return FALSE;
  g_array_remove_range (self->matches, 0, n);
  return TRUE;
}

static void
history_items_changed_cb (SbSearch   *self,
                          guint       position,
                          guint       removed,
                          guint       added,
                          GListModel *model)
{
  gboolean changed = FALSE;

  /* In frames mode the frames say what changed. */
  if (self->frames != NULL)
    return;

  if (removed > 0)
    changed = forget_dropped (self);
  if (added > 0 && self->scan_source == 0)
    {
      schedule_scan (self);
      changed |= self->scan_source != 0;
    }
  if (changed)
    emit_changed (self);
}

/* Frames change in place as they grow, and all at once when framed again:
 * what was replaced is scanned again. */
static void
frames_items_changed_cb (SbSearch   *self,
                         guint       position,
                         guint       removed,
                         guint       added,
                         GListModel *model)
{
  guint64 from;
  guint keep;

  if (position == 0 && added == 0)
    {
      if (forget_dropped (self))
        emit_changed (self);
      return;
    }
  from = frames_first (self) + position;
  if (position == 0)
    from = 0;   /* framed again: numbers start over */
  keep = sb_search_find_index (self, from);
  if (keep < self->matches->len)
    g_array_set_size (self->matches, keep);
  if (self->scan_serial > from)
    self->scan_serial = from;
  forget_dropped (self);
  schedule_scan (self);
  emit_changed (self);
}

void
sb_search_set_frames (SbSearch *self,
                      SbFrames *frames)
{
  g_return_if_fail (SB_IS_SEARCH (self));
  g_return_if_fail (frames == NULL || SB_IS_FRAMES (frames));
  g_return_if_fail (frames == NULL || sb_frames_get_history (frames) == self->history);

  if (self->frames == frames)
    return;
  if (self->frames != NULL)
    g_signal_handlers_disconnect_by_data (self->frames, self);
  g_set_object (&self->frames, frames);
  if (frames != NULL)
    g_signal_connect_object (frames, "items-changed",
                             G_CALLBACK (frames_items_changed_cb), self, G_CONNECT_SWAPPED);

  /* Matching starts over, in the new keys. */
  g_clear_handle_id (&self->scan_source, g_source_remove);
  g_array_set_size (self->matches, 0);
  self->scan_serial = search_first (self);
  schedule_scan (self);
  emit_changed (self);
}

SbFrames *
sb_search_get_frames (SbSearch *self)
{
  g_return_val_if_fail (SB_IS_SEARCH (self), NULL);
  return self->frames;
}

gboolean
sb_search_set_pattern (SbSearch    *self,
                       const char  *text,
                       gboolean     hex,
                       const char  *encoding,
                       GError     **error)
{
  g_autoptr(GBytes) pattern = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SB_IS_SEARCH (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_clear_handle_id (&self->scan_source, g_source_remove);
  g_clear_pointer (&self->pattern, g_bytes_unref);
  g_array_set_size (self->matches, 0);
  self->scan_serial = search_first (self);

  if (text != NULL && *text != '\0')
    {
      if (hex)
        pattern = sb_codec_parse_hex (text, NULL, &local_error);
      else
        pattern = sb_codec_encode (encoding != NULL ? encoding : "UTF-8", text, -1, NULL, &local_error);
    }
  if (pattern != NULL && g_bytes_get_size (pattern) > 0)
    self->pattern = g_steal_pointer (&pattern);

  schedule_scan (self);
  emit_changed (self);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
sb_search_has_pattern (SbSearch *self)
{
  g_return_val_if_fail (SB_IS_SEARCH (self), FALSE);
  return self->pattern != NULL;
}

guint
sb_search_get_n_matches (SbSearch *self)
{
  g_return_val_if_fail (SB_IS_SEARCH (self), 0);
  return self->matches->len;
}

guint64
sb_search_get_match (SbSearch *self,
                     guint     index)
{
  g_return_val_if_fail (SB_IS_SEARCH (self), 0);
  g_return_val_if_fail (index < self->matches->len, 0);
  return g_array_index (self->matches, guint64, index);
}

guint
sb_search_find_index (SbSearch *self,
                      guint64   serial)
{
  guint lo = 0, hi;

  g_return_val_if_fail (SB_IS_SEARCH (self), 0);

  hi = self->matches->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->matches, guint64, mid) < serial)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

gboolean
sb_search_step (SbSearch *self,
                gint64    from,
                gboolean  forward,
                guint64  *serial)
{
  guint n, index;

  g_return_val_if_fail (SB_IS_SEARCH (self), FALSE);
  g_return_val_if_fail (serial != NULL, FALSE);

  n = self->matches->len;
  if (n == 0)
    return FALSE;
  if (from < 0)
    index = forward ? 0 : n - 1;
  else
    {
      index = sb_search_find_index (self, (guint64) from);
      if (forward)
        {
          if (index < n && g_array_index (self->matches, guint64, index) == (guint64) from)
            index++;
          if (index >= n)
            index = 0;   /* wrap around */
        }
      else
        index = index == 0 ? n - 1 : index - 1;
    }
  *serial = g_array_index (self->matches, guint64, index);
  return TRUE;
}

SbHistory *
sb_search_get_history (SbSearch *self)
{
  g_return_val_if_fail (SB_IS_SEARCH (self), NULL);
  return self->history;
}

SbSearch *
sb_search_new (SbHistory *history)
{
  g_return_val_if_fail (SB_IS_HISTORY (history), NULL);
  return g_object_new (SB_TYPE_SEARCH, "history", history, NULL);
}

static void
sb_search_constructed (GObject *object)
{
  SbSearch *self = SB_SEARCH (object);

  G_OBJECT_CLASS (sb_search_parent_class)->constructed (object);

  g_assert (self->history != NULL);
  self->scan_serial = sb_history_get_first_serial (self->history);
  g_signal_connect_object (self->history, "items-changed",
                           G_CALLBACK (history_items_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
sb_search_dispose (GObject *object)
{
  SbSearch *self = SB_SEARCH (object);

  g_clear_handle_id (&self->scan_source, g_source_remove);
  if (self->frames != NULL)
    g_signal_handlers_disconnect_by_data (self->frames, self);
  g_clear_object (&self->frames);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (sb_search_parent_class)->dispose (object);
}

static void
sb_search_finalize (GObject *object)
{
  SbSearch *self = SB_SEARCH (object);

  g_clear_pointer (&self->pattern, g_bytes_unref);
  g_clear_pointer (&self->matches, g_array_unref);

  G_OBJECT_CLASS (sb_search_parent_class)->finalize (object);
}

static void
sb_search_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SbSearch *self = SB_SEARCH (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_N_MATCHES:
      g_value_set_uint (value, self->matches->len);
      break;
    case PROP_SCANNING:
      g_value_set_boolean (value, self->scan_source != 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_search_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SbSearch *self = SB_SEARCH (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      self->history = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_search_class_init (SbSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = sb_search_constructed;
  object_class->dispose = sb_search_dispose;
  object_class->finalize = sb_search_finalize;
  object_class->get_property = sb_search_get_property;
  object_class->set_property = sb_search_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, SB_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_MATCHES] =
    g_param_spec_uint ("n-matches", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SCANNING] =
    g_param_spec_boolean ("scanning", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sb_search_init (SbSearch *self)
{
  self->matches = g_array_new (FALSE, FALSE, sizeof (guint64));
}
