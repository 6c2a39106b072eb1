/* sb-session-file.c — sending a file over a session's streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "sb-session-private.h"

/* Sending a file: read a chunk, queue it to every target peer, and read the
 * next one only when their queues have room, so memory stays bounded by
 * SB_FILE_SEND_WINDOW whatever the file size. */

typedef struct
{
  SbSession      *session;
  GPtrArray      *peers;
  GFile          *file;
  char           *name;
  GInputStream   *input;
  goffset         size;
  goffset         sent;
  SbProgressFunc  progress;
  gpointer        progress_data;
  GDestroyNotify  progress_notify;
  gulong          cancelled_id;
  SbPeer         *waiting_on;
  guint           finished : 1;
} FileSend;

static void
file_send_free (FileSend *fs)
{
  if (fs->progress_notify != NULL)
    fs->progress_notify (fs->progress_data);
  g_clear_object (&fs->session);
  g_clear_pointer (&fs->peers, g_ptr_array_unref);
  g_clear_object (&fs->file);
  g_clear_object (&fs->input);
  g_free (fs->name);
  g_free (fs);
}

static void file_send_read_next (GTask *task);

static void
file_send_finish_task (GTask  *task,
                       GError *error)
{
  FileSend *fs = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (fs->finished)
    {
      g_clear_error (&error);
      return;
    }
  fs->finished = TRUE;

  if (fs->waiting_on != NULL)
    {
      _sb_peer_unwait (fs->waiting_on, task);
      fs->waiting_on = NULL;
      g_object_unref (task);  /* the waiter's reference */
    }

  if (fs->cancelled_id != 0)
    {
      g_cancellable_disconnect (cancellable, fs->cancelled_id);
      fs->cancelled_id = 0;
    }

  if (fs->input != NULL)
    g_input_stream_close_async (fs->input, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sb_session_event (fs->session, NULL, SB_EVENT_INFO,
                           _("Sending “%s” was cancelled after %" PRId64 " of %" PRId64 " bytes"),
                           fs->name, (gint64) fs->sent, (gint64) fs->size);
      else
        _sb_session_event (fs->session, NULL, SB_EVENT_ERROR, "%s", error->message);
      g_task_return_error (task, error);
    }
  else
    {
      if (fs->sent < fs->size)
        _sb_session_event (fs->session, NULL, SB_EVENT_INFO,
                           _("Sent “%s”: %" PRId64 " bytes; the file became shorter (it had %" PRId64 ") while it was sent"),
                           fs->name, (gint64) fs->sent, (gint64) fs->size);
      else
        _sb_session_event (fs->session, NULL, SB_EVENT_INFO,
                           _("Sent “%s”: %" PRId64 " bytes"),
                           fs->name, (gint64) fs->sent);
      g_task_return_boolean (task, TRUE);
    }
}

static void
file_send_drop_closed_peers (FileSend *fs)
{
  for (guint i = fs->peers->len; i > 0; i--)
    {
      if (!sb_peer_is_connected (g_ptr_array_index (fs->peers, i - 1)))
        g_ptr_array_remove_index (fs->peers, i - 1);
    }
}

static gboolean
file_send_check_peers (GTask *task)
{
  FileSend *fs = g_task_get_task_data (task);

  file_send_drop_closed_peers (fs);

  if (fs->peers->len == 0)
    {
      file_send_finish_task (task,
                             g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                          _("The connection closed while sending “%s”: %" PRId64 " of %" PRId64 " bytes were sent"),
                                          fs->name, (gint64) fs->sent, (gint64) fs->size));
      return FALSE;
    }

  return TRUE;
}

static gboolean file_send_on_writable (gpointer data);

/* Reads on when every peer has room; otherwise waits on the first that has not. */
static void
file_send_continue (GTask *task)
{
  FileSend *fs = g_task_get_task_data (task);

  if (fs->finished || !file_send_check_peers (task))
    return;

  for (guint i = 0; i < fs->peers->len; i++)
    {
      SbPeer *peer = g_ptr_array_index (fs->peers, i);

      if (sb_peer_get_pending (peer) >= SB_FILE_SEND_WINDOW)
        {
          fs->waiting_on = peer;
          _sb_peer_wait_writable (peer, file_send_on_writable, g_object_ref (task));
          return;
        }
    }

  file_send_read_next (task);
}

static gboolean
file_send_on_writable (gpointer data)
{
  g_autoptr(GTask) task = data;
  FileSend *fs = g_task_get_task_data (task);

  fs->waiting_on = NULL;
  file_send_continue (task);

  return G_SOURCE_REMOVE;
}

static void
file_send_on_read (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FileSend *fs = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize len;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);

  if (fs->finished)
    {
      g_clear_error (&error);
      return;
    }

  if (bytes == NULL)
    {
      GError *human = g_error_new (error->domain, error->code,
                                   _("Could not read “%s”: %s"), fs->name, error->message);

      g_error_free (error);
      file_send_finish_task (task, human);
      return;
    }

  len = g_bytes_get_size (bytes);
  if (len == 0)
    {
      file_send_finish_task (task, NULL);
      return;
    }

  if (!file_send_check_peers (task))
    return;

  for (guint i = 0; i < fs->peers->len; i++)
    {
      g_autoptr(GError) local_error = NULL;

      /* A failing peer is closed or reported; the others go on. */
      if (!_sb_peer_send (g_ptr_array_index (fs->peers, i), bytes, &local_error))
        _sb_session_event (fs->session, g_ptr_array_index (fs->peers, i),
                           SB_EVENT_ERROR, "%s", local_error->message);
    }

  fs->sent += len;
  if (fs->size < fs->sent)
    fs->size = fs->sent;

  if (fs->progress != NULL)
    fs->progress (fs->sent, fs->size, fs->progress_data);

  file_send_continue (task);
}

static void
file_send_read_next (GTask *task)
{
  FileSend *fs = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (fs->input, SB_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task),
                                   file_send_on_read, g_object_ref (task));
}

static gboolean
file_send_cancel_wait (gpointer data)
{
  GTask *task = data;
  FileSend *fs = g_task_get_task_data (task);

  if (fs->waiting_on != NULL)
    file_send_finish_task (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                      _("Cancelled")));

  return G_SOURCE_REMOVE;
}

static void
file_send_on_cancelled (GCancellable *cancellable,
                        gpointer      user_data)
{
  GTask *task = user_data;
  GSource *source;

  /* Reads see the cancellable themselves; only a wait on a peer does not.
   * Not from inside the handler: finishing disconnects it. And on the
   * task's own thread (the engine's), whoever cancelled. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, file_send_cancel_wait, g_object_ref (task), g_object_unref);
  g_source_set_static_name (source, "[sockbench] file send cancelled");
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

static void
file_send_on_info (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FileSend *fs = g_task_get_task_data (task);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_input_stream_query_info_finish (G_FILE_INPUT_STREAM (object), result, &error);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    fs->size = g_file_info_get_size (info);

  _sb_session_event (fs->session, NULL, SB_EVENT_INFO,
                     _("Sending “%s” (%" PRId64 " bytes)"), fs->name, (gint64) fs->size);

  if (fs->progress != NULL)
    fs->progress (0, fs->size, fs->progress_data);

  file_send_continue (task);
}

static void
file_send_on_open (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FileSend *fs = g_task_get_task_data (task);
  g_autoptr(GFileInputStream) input = NULL;
  GError *error = NULL;

  input = g_file_read_finish (G_FILE (object), result, &error);
  if (input == NULL)
    {
      GError *human = g_error_new (error->domain, error->code,
                                   _("Could not open “%s”: %s"), fs->name, error->message);

      g_error_free (error);
      file_send_finish_task (task, human);
      return;
    }

  fs->input = G_INPUT_STREAM (g_steal_pointer (&input));
  g_file_input_stream_query_info_async (G_FILE_INPUT_STREAM (fs->input),
                                        G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                        G_PRIORITY_DEFAULT,
                                        g_task_get_cancellable (task),
                                        file_send_on_info, g_object_ref (task));
}

/* From the owner's thread: the send runs on the engine, and its progress
 * and completion are handed back to the owner's context, in order. */
typedef struct
{
  SbSession          *session;
  GMainContext       *owner;
  SbProgressFunc      progress;
  gpointer            progress_data;
  GDestroyNotify      progress_notify;
  GAsyncReadyCallback callback;
  gpointer            user_data;
} Relay;

typedef struct
{
  Relay        *relay;
  goffset       sent;
  goffset       total;
  GAsyncResult *result;   /* owned; NULL for progress */
} RelayStep;

static gboolean
relay_step_cb (gpointer data)
{
  RelayStep *step = data;
  Relay *relay = step->relay;

  if (step->result == NULL)
    {
      if (relay->progress != NULL)
        relay->progress (step->sent, step->total, relay->progress_data);
      return G_SOURCE_REMOVE;
    }

  if (relay->callback != NULL)
    relay->callback (G_OBJECT (relay->session), step->result, relay->user_data);
  if (relay->progress_notify != NULL)
    relay->progress_notify (relay->progress_data);
  g_object_unref (relay->session);
  g_main_context_unref (relay->owner);
  g_free (relay);
  return G_SOURCE_REMOVE;
}

static void
relay_step_free (gpointer data)
{
  RelayStep *step = data;

  g_clear_object (&step->result);
  g_free (step);
}

static void
relay_post (Relay        *relay,
            goffset       sent,
            goffset       total,
            GAsyncResult *result)
{
  RelayStep *step = g_new0 (RelayStep, 1);
  GSource *source;

  step->relay = relay;
  step->sent = sent;
  step->total = total;
  step->result = result ? g_object_ref (result) : NULL;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, relay_step_cb, step, relay_step_free);
  g_source_set_static_name (source, "[sockbench] file send (owner)");
  g_source_attach (source, relay->owner);
  g_source_unref (source);
}

static void
relay_progress (goffset  sent,
                goffset  total,
                gpointer user_data)
{
  relay_post (user_data, sent, total, NULL);
}

static void
relay_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  relay_post (user_data, 0, 0, result);
}

typedef struct
{
  SbSession    *self;
  SbPeer       *peer;
  GFile        *file;
  GCancellable *cancellable;
  Relay        *relay;
} RelayStart;

static void
relay_start (gpointer data,
             gpointer unused)
{
  RelayStart *start = data;

  sb_session_send_file_async (start->self, start->peer, start->file, start->cancellable,
                              relay_progress, start->relay, NULL,
                              relay_done, start->relay);
}

void
sb_session_send_file_async (SbSession           *self,
                            SbPeer              *peer,
                            GFile               *file,
                            GCancellable        *cancellable,
                            SbProgressFunc       progress,
                            gpointer             progress_data,
                            GDestroyNotify       progress_notify,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *peers = sb_session_get_peers (self);
  FileSend *fs;

  g_return_if_fail (SB_IS_SESSION (self));
  g_return_if_fail (peer == NULL || SB_IS_PEER (peer));
  g_return_if_fail (G_IS_FILE (file));

  if (_sb_session_get_engine (self) != NULL &&
      !sb_engine_is_current (_sb_session_get_engine (self)))
    {
      Relay *relay = g_new0 (Relay, 1);
      RelayStart start = { self, peer, file, cancellable, relay };

      relay->session = g_object_ref (self);
      relay->owner = g_main_context_ref_thread_default ();
      relay->progress = progress;
      relay->progress_data = progress_data;
      relay->progress_notify = progress_notify;
      relay->callback = callback;
      relay->user_data = user_data;
      _sb_session_call (self, relay_start, &start);
      return;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sb_session_send_file_async);

  fs = g_new0 (FileSend, 1);
  fs->session = g_object_ref (self);
  fs->file = g_object_ref (file);
  fs->name = g_file_get_parse_name (file);
  fs->peers = g_ptr_array_new_with_free_func (g_object_unref);
  fs->progress = progress;
  fs->progress_data = progress_data;
  fs->progress_notify = progress_notify;
  g_task_set_task_data (task, fs, (GDestroyNotify) file_send_free);

  if (!sb_kind_is_stream (sb_session_get_kind (self)))
    {
      g_task_return_new_error (task, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED,
                               _("Files can be sent over streams only (TCP or UNIX stream)"));
      return;
    }

  if (!_sb_session_check_ready (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (peer != NULL)
    g_ptr_array_add (fs->peers, g_object_ref (peer));
  else
    for (guint i = 0, n = g_list_model_get_n_items (peers); i < n; i++)
      g_ptr_array_add (fs->peers, g_list_model_get_item (peers, i));

  file_send_drop_closed_peers (fs);
  if (fs->peers->len == 0)
    {
      g_task_return_new_error (task, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                               peer != NULL ? _("The connection with %s is closed")
                                            : _("No client is connected"),
                               peer != NULL ? sb_peer_get_label (peer) : "");
      return;
    }

  if (cancellable != NULL)
    fs->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (file_send_on_cancelled), task, NULL);

  g_file_read_async (file, G_PRIORITY_DEFAULT, cancellable, file_send_on_open, g_object_ref (task));
}

gboolean
sb_session_send_file_finish (SbSession     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (SB_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
