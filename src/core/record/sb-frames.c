/* sb-frames.c — the messages in a history, as a list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Main thread only (the history's).
 */
#define G_LOG_DOMAIN "sb-frames"

#include "config.h"

#include "sb-frames-private.h"

enum {
  PROP_0,
  PROP_HISTORY,
  PROP_FRAMER,
  PROP_MAX_FRAMES,
  PROP_N_RX_FRAMES,
  PROP_N_TX_FRAMES,
  PROP_N_SKIPPED,
  PROP_N_CUT,
  PROP_N_INVALID,
  PROP_N_DROPPED,
  PROP_N_BAD,
  PROP_CHECK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FRAME_ENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void sb_frames_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SbFrames, sb_frames, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, sb_frames_list_model_init))

/* The store */

void
sb_frames_count_frame (SbFrames    *self,
                       const Frame *frame,
                       int          sign)
{
  self->n_frames[frame->direction == SB_DIRECTION_TX] += sign;
  self->n_skipped += sign * (gint64) frame->skipped;
  if (frame->status == SB_FRAME_CUT && !(frame->flags & SB_FRAME_FLAG_CONTINUATION))
    self->n_cut += sign;
  if (frame->status == SB_FRAME_INVALID)
    self->n_invalid += sign;
  if (frame->check == SB_CHECK_BAD + 1 || frame->check == SB_CHECK_SHORT + 1)
    self->n_bad += sign;
}

static void
check_frame (SbFrames *self,
             Frame    *frame)
{
  sb_frames_count_frame (self, frame, -1);
  frame->check = (guint8) (sb_frame_verify (self->history, self->framer, self->check,
                                            frame, NULL, NULL) + 1);
  if (frame->check == SB_CHECK_NONE + 1)
    frame->check = 0;
  sb_frames_count_frame (self, frame, +1);
}

void
sb_frames_check_ended (SbFrames *self,
                       guint64   number)
{
  if (self->check->spec != NULL)
    check_frame (self, frame_at (self, number));
}

void
sb_frames_note_changed (SbFrames *self,
                        guint64   number)
{
  /* A frame in progress changes once per read: note it once in a row. */
  if (number < self->vis_next &&
      (self->changed->len == 0 ||
       g_array_index (self->changed, guint64, self->changed->len - 1) != number))
    g_array_append_val (self->changed, number);
}

static void
drop_front (SbFrames *self,
            guint     n)
{
  GHashTableIter iter;
  gpointer value;

  if (n == 0)
    return;

  for (guint i = 0; i < n; i++)
    sb_frames_count_frame (self, &g_array_index (self->frames, Frame, self->head + i), -1);
  self->head += n;
  self->first_number += n;

  if (self->head >= 4096 && self->head >= self->frames->len / 2)
    {
      g_array_remove_range (self->frames, 0, self->head);
      self->head = 0;
    }

  /* A stream whose frame in progress went shows the rest of it apart. */
  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Stream *stream = value;

      if (stream->pending >= 0 && (guint64) stream->pending < self->first_number)
        {
          stream->pending = -1;
          stream->head_dropped = TRUE;
        }
    }
}

static void
drop_before_serial (SbFrames *self,
                    guint64   serial)
{
  guint n = 0;

  while (self->head + n < self->frames->len &&
         g_array_index (self->frames, Frame, self->head + n).first_serial < serial)
    n++;
  drop_front (self, n);
}

static void
enforce_max_frames (SbFrames *self)
{
  guint64 n = next_number (self) - self->first_number;

  if (n > self->max_frames)
    {
      self->n_dropped += n - self->max_frames;
      drop_front (self, (guint) (n - self->max_frames));
    }
}

/* Frames what the history announced and this has not framed yet. */
static void
frame_new_records (SbFrames *self)
{
  guint n = sb_history_get_n_records (self->history);
  guint64 first = sb_history_get_first_serial (self->history);

  if (self->framed_next < first)
    {
      if (self->framed_next != 0 || g_hash_table_size (self->streams) > 0)
        g_hash_table_remove_all (self->streams);
      self->framed_next = first;
    }

  for (guint64 serial = self->framed_next; serial < first + n; serial++)
    sb_frames_frame_record (self, (guint) (serial - first));
  self->framed_next = MAX (self->framed_next, first + n);
  enforce_max_frames (self);
}

/* Announcing */

static int
compare_numbers (gconstpointer a,
                 gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

#define N_COUNTERS 7

static void
notify_counters (SbFrames      *self,
                 const guint64  before[N_COUNTERS])
{
  const guint64 after[N_COUNTERS] = { self->n_frames[0], self->n_frames[1], self->n_skipped,
                                      self->n_cut, self->n_invalid, self->n_dropped,
                                      self->n_bad };

  for (guint i = 0; i < N_COUNTERS; i++)
    if (before[i] != after[i])
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RX_FRAMES + i]);
}

#define SNAPSHOT_COUNTERS(self) \
  { (self)->n_frames[0], (self)->n_frames[1], (self)->n_skipped, \
    (self)->n_cut, (self)->n_invalid, (self)->n_dropped, (self)->n_bad }

/* After the model shows them: the frames that stopped growing, in the
 * order they ended. */
static void
emit_ended (SbFrames *self)
{
  g_autoptr(GArray) ended = NULL;

  if (self->ended->len == 0)
    return;
  if (!g_signal_has_handler_pending (self, signals[FRAME_ENDED], 0, TRUE))
    {
      g_array_set_size (self->ended, 0);
      return;
    }

  /* A handler may make more frames end: they wait for the next round. */
  ended = g_steal_pointer (&self->ended);
  self->ended = g_array_new (FALSE, FALSE, sizeof (guint64));
  for (guint i = 0; i < ended->len; i++)
    {
      guint64 number = g_array_index (ended, guint64, i);
      g_autoptr(SbFrameItem) item = NULL;

      if (number < self->first_number || number < self->vis_first || number >= self->vis_next)
        continue;
      item = sb_frame_item_new (self->history, self->framer, self->check, number, frame_at (self, number));
      g_signal_emit (self, signals[FRAME_ENDED], 0, item);
    }
}

/* The model must match what each emission announced, at every emission. */
static void
announce (SbFrames *self)
{
  guint64 removed, added, last = G_MAXUINT64;

  removed = MIN (self->first_number, self->vis_next) - self->vis_first;
  if (removed > 0)
    {
      self->vis_first += removed;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, (guint) removed, 0);
    }
  if (self->vis_first == self->vis_next && self->vis_first < self->first_number)
    self->vis_first = self->vis_next = self->first_number;

  g_array_sort (self->changed, compare_numbers);
  for (guint i = 0; i < self->changed->len; i++)
    {
      guint64 number = g_array_index (self->changed, guint64, i);

      if (number == last || number < self->vis_first || number >= self->vis_next)
        continue;
      last = number;
      g_list_model_items_changed (G_LIST_MODEL (self), (guint) (number - self->vis_first), 1, 1);
    }
  g_array_set_size (self->changed, 0);

  added = next_number (self) - self->vis_next;
  if (added > 0)
    {
      guint position = (guint) (self->vis_next - self->vis_first);

      self->vis_next = next_number (self);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, (guint) added);
    }

  emit_ended (self);
}

static void schedule_gap (SbFrames *self);

static void
cancel_gap (SbFrames *self)
{
  if (self->gap_source != NULL)
    {
      g_source_destroy (self->gap_source);
      g_clear_pointer (&self->gap_source, g_source_unref);
    }
}

static gboolean
gap_cb (gpointer user_data)
{
  SbFrames *self = user_data;
  const guint64 before[N_COUNTERS] = SNAPSHOT_COUNTERS (self);
  gint64 now = g_get_real_time ();
  GHashTableIter iter;
  gpointer value;

  g_clear_pointer (&self->gap_source, g_source_unref);

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Stream *stream = value;
      guint64 position = sb_framer_state_get_position (stream->state);

      sb_framer_state_tick (stream->state, now, self->marks);
      sb_frames_apply_marks (self, stream, position);
      if (sb_frames_stream_is_idle (stream))
        g_hash_table_iter_remove (&iter);
    }

  announce (self);
  notify_counters (self, before);
  schedule_gap (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_gap (SbFrames *self)
{
  GHashTableIter iter;
  gpointer value;
  gint64 deadline = G_MAXINT64;
  gint64 delay;

  cancel_gap (self);
  if (sb_framer_get_kind (self->framer) != SB_FRAMER_GAP)
    return;

  g_hash_table_iter_init (&iter, self->streams);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Stream *stream = value;
      gint64 when = sb_framer_state_tick (stream->state, G_MININT64, self->marks);

      if (when != 0)
        deadline = MIN (deadline, when);
    }
  if (deadline == G_MAXINT64)
    return;

  delay = (deadline - g_get_real_time () + 999) / 1000;
  /* The source holds no reference: dispose destroys it. */
  self->gap_source = g_timeout_source_new ((guint) CLAMP (delay, 0, G_MAXINT));
  g_source_set_callback (self->gap_source, gap_cb, self, NULL);
  g_source_set_static_name (self->gap_source, "[sockbench] SbFrames gap");
  g_source_attach (self->gap_source, g_main_context_get_thread_default ());
}

static void
history_items_changed_cb (SbFrames   *self,
                          guint       position,
                          guint       removed,
                          guint       added,
                          GListModel *history)
{
  const guint64 before[N_COUNTERS] = SNAPSHOT_COUNTERS (self);

  if (removed > 0)
    drop_before_serial (self, sb_history_get_first_serial (self->history));
  if (added > 0)
    frame_new_records (self);

  announce (self);
  notify_counters (self, before);
  schedule_gap (self);
}

static void
history_cleared_cb (SbFrames   *self,
                    GParamSpec *pspec,
                    SbHistory  *history)
{
  /* As the history's own streams: nothing continues over a clear. */
  g_hash_table_remove_all (self->streams);
  self->framed_next = sb_history_get_next_serial (history);
  schedule_gap (self);
}

/* Frames the whole history again; one items-changed for it all. */
static void
reframe (SbFrames *self)
{
  const guint64 before[N_COUNTERS] = SNAPSHOT_COUNTERS (self);
  guint64 n_before = self->vis_next - self->vis_first;
  guint64 n_after;

  g_hash_table_remove_all (self->streams);
  g_array_set_size (self->frames, 0);
  g_array_set_size (self->changed, 0);
  self->head = 0;
  self->first_number = 0;
  self->framed_next = 0;
  self->n_frames[0] = self->n_frames[1] = 0;
  self->n_skipped = self->n_cut = self->n_invalid = self->n_dropped = self->n_bad = 0;

  frame_new_records (self);
  /* Framing the history again ends no frame anew. */
  g_array_set_size (self->ended, 0);

  self->vis_first = self->first_number;
  self->vis_next = next_number (self);
  n_after = self->vis_next - self->vis_first;
  if (n_before > 0 || n_after > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, (guint) n_before, (guint) n_after);
  notify_counters (self, before);
  schedule_gap (self);
}

/* GListModel */

static GType
sb_frames_get_item_type (GListModel *model)
{
  return SB_TYPE_FRAME_ITEM;
}

static guint
sb_frames_get_n_items (GListModel *model)
{
  SbFrames *self = SB_FRAMES (model);

  return (guint) (self->vis_next - self->vis_first);
}

static gpointer
sb_frames_get_item (GListModel *model,
                    guint       position)
{
  SbFrames *self = SB_FRAMES (model);
  guint64 number = self->vis_first + position;
  static const Frame gone = { 0, };

  if (number >= self->vis_next)
    return NULL;
  if (number < self->first_number || number >= next_number (self))
    return sb_frame_item_new (self->history, self->framer, self->check, number, &gone);
  return sb_frame_item_new (self->history, self->framer, self->check, number, frame_at (self, number));
}

static void
sb_frames_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = sb_frames_get_item_type;
  iface->get_n_items = sb_frames_get_n_items;
  iface->get_item = sb_frames_get_item;
}

/* GObject */

static void
sb_frames_constructed (GObject *object)
{
  SbFrames *self = SB_FRAMES (object);

  G_OBJECT_CLASS (sb_frames_parent_class)->constructed (object);

  g_assert (self->history != NULL);
  if (self->framer == NULL)
    self->framer = sb_framer_new_from_spec ("none", NULL);

  g_signal_connect_object (self->history, "items-changed",
                           G_CALLBACK (history_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->history, "notify::n-cleared",
                           G_CALLBACK (history_cleared_cb), self, G_CONNECT_SWAPPED);
  self->constructed = TRUE;
  reframe (self);
}

static void
sb_frames_dispose (GObject *object)
{
  SbFrames *self = SB_FRAMES (object);

  cancel_gap (self);

  G_OBJECT_CLASS (sb_frames_parent_class)->dispose (object);
}

static void
sb_frames_finalize (GObject *object)
{
  SbFrames *self = SB_FRAMES (object);

  g_clear_object (&self->history);
  g_clear_pointer (&self->framer, sb_framer_unref);
  g_clear_pointer (&self->frames, g_array_unref);
  g_clear_pointer (&self->streams, g_hash_table_unref);
  g_clear_pointer (&self->marks, g_array_unref);
  g_clear_pointer (&self->changed, g_array_unref);
  g_clear_pointer (&self->ended, g_array_unref);
  g_clear_pointer (&self->check, sb_frames_check_unref);

  G_OBJECT_CLASS (sb_frames_parent_class)->finalize (object);
}

static void
sb_frames_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SbFrames *self = SB_FRAMES (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      g_value_set_object (value, self->history);
      break;
    case PROP_FRAMER:
      g_value_set_boxed (value, self->framer);
      break;
    case PROP_MAX_FRAMES:
      g_value_set_uint (value, self->max_frames);
      break;
    case PROP_N_RX_FRAMES:
      g_value_set_uint64 (value, self->n_frames[0]);
      break;
    case PROP_N_TX_FRAMES:
      g_value_set_uint64 (value, self->n_frames[1]);
      break;
    case PROP_N_SKIPPED:
      g_value_set_uint64 (value, self->n_skipped);
      break;
    case PROP_N_CUT:
      g_value_set_uint64 (value, self->n_cut);
      break;
    case PROP_N_INVALID:
      g_value_set_uint64 (value, self->n_invalid);
      break;
    case PROP_N_DROPPED:
      g_value_set_uint64 (value, self->n_dropped);
      break;
    case PROP_N_BAD:
      g_value_set_uint64 (value, self->n_bad);
      break;
    case PROP_CHECK:
      g_value_set_string (value, self->check->text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_frames_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SbFrames *self = SB_FRAMES (object);

  switch (prop_id)
    {
    case PROP_HISTORY:
      self->history = g_value_dup_object (value);
      break;
    case PROP_FRAMER:
      if (!self->constructed)
        self->framer = g_value_dup_boxed (value);
      else
        sb_frames_set_framer (self, g_value_get_boxed (value));
      break;
    case PROP_MAX_FRAMES:
      sb_frames_set_max_frames (self, g_value_get_uint (value));
      break;
    case PROP_CHECK:
      {
        g_autoptr(GError) error = NULL;

        if (!sb_frames_set_check (self, g_value_get_string (value), &error))
          g_warning ("Cannot set the check: %s", error->message);
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_frames_class_init (SbFramesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const char *counters[] = { "n-rx-frames", "n-tx-frames", "n-skipped", "n-cut", "n-invalid",
                             "n-dropped", "n-bad" };

  object_class->constructed = sb_frames_constructed;
  object_class->dispose = sb_frames_dispose;
  object_class->finalize = sb_frames_finalize;
  object_class->get_property = sb_frames_get_property;
  object_class->set_property = sb_frames_set_property;

  properties[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, SB_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRAMER] =
    g_param_spec_boxed ("framer", NULL, NULL, SB_TYPE_FRAMER,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_FRAMES] =
    g_param_spec_uint ("max-frames", NULL, NULL, 1, G_MAXUINT, SB_FRAMES_DEFAULT_MAX_FRAMES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECK] =
    g_param_spec_string ("check", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  for (guint i = 0; i < G_N_ELEMENTS (counters); i++)
    properties[PROP_N_RX_FRAMES + i] =
      g_param_spec_uint64 (counters[i], NULL, NULL, 0, G_MAXUINT64, 0,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A frame stopped growing: complete, cut, invalid, or ended with its
   * stream. Emitted after the model shows it, for frames made as records
   * arrive (not when the whole history is framed again). */
  signals[FRAME_ENDED] =
    g_signal_new ("frame-ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SB_TYPE_FRAME_ITEM);
}

static void
sb_frames_init (SbFrames *self)
{
  self->frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  self->streams = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, sb_frames_stream_free);
  self->marks = g_array_new (FALSE, FALSE, sizeof (SbFramerMark));
  self->changed = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->ended = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->max_frames = SB_FRAMES_DEFAULT_MAX_FRAMES;
  self->check = g_atomic_rc_box_new0 (SbFramesCheck);
  self->check->text = g_strdup ("");
}

/* Public API */

SbFrames *
sb_frames_new (SbHistory *history,
               SbFramer  *framer)
{
  g_return_val_if_fail (SB_IS_HISTORY (history), NULL);

  return g_object_new (SB_TYPE_FRAMES, "history", history, "framer", framer, NULL);
}

SbHistory *
sb_frames_get_history (SbFrames *self)
{
  g_return_val_if_fail (SB_IS_FRAMES (self), NULL);

  return self->history;
}

SbFramer *
sb_frames_get_framer (SbFrames *self)
{
  g_return_val_if_fail (SB_IS_FRAMES (self), NULL);

  return self->framer;
}

void
sb_frames_set_framer (SbFrames *self,
                      SbFramer *framer)
{
  g_autoptr(SbFramer) none = NULL;

  g_return_if_fail (SB_IS_FRAMES (self));

  if (framer == NULL)
    framer = none = sb_framer_new_from_spec ("none", NULL);
  if (sb_framer_equal (framer, self->framer))
    return;

  g_clear_pointer (&self->framer, sb_framer_unref);
  self->framer = sb_framer_ref (framer);
  reframe (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAMER]);
}

gboolean
sb_frames_set_spec (SbFrames    *self,
                    const char  *spec,
                    GError     **error)
{
  g_autoptr(SbFramer) framer = NULL;

  g_return_val_if_fail (SB_IS_FRAMES (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  framer = sb_framer_new_from_spec (spec, error);
  if (framer == NULL)
    return FALSE;
  sb_frames_set_framer (self, framer);
  return TRUE;
}

guint
sb_frames_get_max_frames (SbFrames *self)
{
  g_return_val_if_fail (SB_IS_FRAMES (self), 0);

  return self->max_frames;
}

void
sb_frames_set_max_frames (SbFrames *self,
                          guint     max_frames)
{
  g_return_if_fail (SB_IS_FRAMES (self));
  g_return_if_fail (max_frames > 0);

  if (self->max_frames == max_frames)
    return;

  self->max_frames = max_frames;
  if (self->constructed)
    {
      const guint64 before[N_COUNTERS] = SNAPSHOT_COUNTERS (self);

      enforce_max_frames (self);
      announce (self);
      notify_counters (self, before);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_FRAMES]);
}

const char *
sb_frames_get_check (SbFrames *self)
{
  g_return_val_if_fail (SB_IS_FRAMES (self), "");

  return self->check->text;
}

gboolean
sb_frames_set_check (SbFrames    *self,
                     const char  *spec,
                     GError     **error)
{
  g_autoptr(SbCheckSpec) parsed = NULL;
  SbFramesCheck *check;
  guint64 n_items;

  g_return_val_if_fail (SB_IS_FRAMES (self), FALSE);

  if (spec == NULL)
    spec = "";
  if (g_strcmp0 (spec, self->check->text) == 0)
    return TRUE;
  if (*spec != '\0' && (parsed = sb_check_spec_parse (spec, error)) == NULL)
    return FALSE;

  /* Items made before keep the check they were made with. */
  check = g_atomic_rc_box_new0 (SbFramesCheck);
  check->spec = g_steal_pointer (&parsed);
  check->text = g_strdup (spec);
  g_clear_pointer (&self->check, sb_frames_check_unref);
  self->check = check;

  if (self->constructed)
    {
      const guint64 before[N_COUNTERS] = SNAPSHOT_COUNTERS (self);
      GHashTableIter iter;
      gpointer value;
      g_autoptr(GHashTable) in_progress = g_hash_table_new (g_int64_hash, g_int64_equal);

      /* A frame still growing is checked when it ends. */
      g_hash_table_iter_init (&iter, self->streams);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Stream *) value)->pending >= 0)
          g_hash_table_add (in_progress, &((Stream *) value)->pending);

      for (guint i = self->head; i < self->frames->len; i++)
        {
          Frame *frame = &g_array_index (self->frames, Frame, i);
          gint64 number = (gint64) (self->first_number + (i - self->head));

          if (g_hash_table_contains (in_progress, &number))
            continue;
          if (check->spec == NULL)
            {
              sb_frames_count_frame (self, frame, -1);
              frame->check = 0;
              sb_frames_count_frame (self, frame, +1);
            }
          else
            check_frame (self, frame);
        }

      n_items = self->vis_next - self->vis_first;
      if (n_items > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, (guint) n_items, (guint) n_items);
      notify_counters (self, before);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECK]);
  return TRUE;
}

guint64
sb_frames_get_n_bad (SbFrames *self)
{
  g_return_val_if_fail (SB_IS_FRAMES (self), 0);

  return self->n_bad;
}

guint64
sb_frames_get_n_frames (SbFrames    *self,
                        SbDirection  direction)
{
  g_return_val_if_fail (SB_IS_FRAMES (self), 0);
  g_return_val_if_fail (direction == SB_DIRECTION_RX || direction == SB_DIRECTION_TX, 0);

  return self->n_frames[direction == SB_DIRECTION_TX];
}

guint64
sb_frames_get_n_skipped (SbFrames *self)
{
  g_return_val_if_fail (SB_IS_FRAMES (self), 0);

  return self->n_skipped;
}

guint64
sb_frames_get_n_cut (SbFrames *self)
{
  g_return_val_if_fail (SB_IS_FRAMES (self), 0);

  return self->n_cut;
}

guint64
sb_frames_get_n_invalid (SbFrames *self)
{
  g_return_val_if_fail (SB_IS_FRAMES (self), 0);

  return self->n_invalid;
}

guint64
sb_frames_get_n_dropped (SbFrames *self)
{
  g_return_val_if_fail (SB_IS_FRAMES (self), 0);

  return self->n_dropped;
}

gboolean
sb_frames_find_number (SbFrames *self,
                       guint64   number,
                       guint    *position)
{
  g_return_val_if_fail (SB_IS_FRAMES (self), FALSE);

  if (number < self->vis_first || number < self->first_number || number >= self->vis_next)
    return FALSE;
  if (position != NULL)
    *position = (guint) (number - self->vis_first);
  return TRUE;
}

GArray *
sb_frames_find_read (SbFrames *self,
                     guint64   serial)
{
  GArray *positions;
  guint lo, hi, history_position;
  SbDirection direction;
  guint peer;

  g_return_val_if_fail (SB_IS_FRAMES (self), NULL);

  positions = g_array_new (FALSE, FALSE, sizeof (guint));
  if (self->first_number >= self->vis_next ||
      !sb_history_find_serial (self->history, serial, &history_position) ||
      sb_history_get_direction (self->history, history_position) == SB_DIRECTION_EVENT)
    return positions;
  direction = sb_history_get_direction (self->history, history_position);
  peer = sb_history_get_peer (self->history, history_position);

  /* First frame starting after the read: frames are in the order they began. */
  lo = 0;
  hi = (guint) (self->vis_next - MAX (self->vis_first, self->first_number));
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (frame_at (self, MAX (self->vis_first, self->first_number) + mid)->first_serial <= serial)
        lo = mid + 1;
      else
        hi = mid;
    }

  /* Back from there to the first frame of the stream that began before it. */
  for (guint i = lo; i > 0; i--)
    {
      guint64 number = MAX (self->vis_first, self->first_number) + i - 1;
      const Frame *frame = frame_at (self, number);

      if (frame->peer != peer || frame->direction != direction)
        continue;
      if (frame->first_serial + frame->last_delta >= serial)
        {
          guint position = (guint) (number - self->vis_first);

          g_array_prepend_val (positions, position);
        }
      if (frame->first_serial < serial)
        break;
    }
  return positions;
}

guint64
sb_frames_frame_history (SbHistory *history,
                         SbFramer  *framer)
{
  g_autoptr(SbFrames) frames = NULL;

  g_return_val_if_fail (SB_IS_HISTORY (history), 0);
  g_return_val_if_fail (framer != NULL, 0);

  frames = sb_frames_new (history, framer);
  return frames->n_frames[0] + frames->n_frames[1] + frames->n_dropped;
}
