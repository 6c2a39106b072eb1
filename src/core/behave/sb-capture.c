/* sb-capture.c — received bytes, written to a file as they arrive
 *
 * The owner's thread (the window's, the headless runner's); the file is
 * opened in a GTask thread and written with asynchronous writes. Bytes a
 * session on an engine receives come in through an inbox, in order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-capture"

#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <string.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>

#include "sb-capture.h"
#include "sb-engine.h"

struct _SbCapture
{
  GObject        parent_instance;

  /* Owned */
  SbSession     *session;
  GFile         *file;
  GError        *error;
  GCancellable  *cancellable;    /* of the current capture */
  GOutputStream *stream;
  GQueue         queue;          /* GBytes waiting to be written, in order */
  gsize          queued;         /* bytes in queue */
  guint64        written;
  gboolean       active;
  gboolean       writing;
  gboolean       closing;        /* stop asked: close once the queue is written */

  /* From the engine's thread */
  pthread_mutex_t inbox_lock;
  GQueue         inbox;          /* inbox_lock: GBytes */
  gboolean       inbox_scheduled; /* inbox_lock */
  gint           capturing;      /* atomic: active, for the engine's thread */
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_FILE,
  PROP_ACTIVE,
  PROP_BYTES_WRITTEN,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SbCapture, sb_capture, G_TYPE_OBJECT)

static void write_next (SbCapture *self);

static void
set_active (SbCapture *self,
            gboolean   active)
{
  if (self->active == active)
    return;
  self->active = active;
  g_atomic_int_set (&self->capturing, active);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
close_stream (SbCapture *self)
{
  g_clear_object (&self->cancellable);
  /* A stream with a write running is closed when the write ends. */
  if (self->stream != NULL && !self->writing)
    g_output_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&self->stream);
  self->writing = FALSE;
  self->closing = FALSE;
}

/* Ends the capture at once: what is queued is dropped, with @error said. */
static void
fail (SbCapture *self,
      GError    *error)
{
  g_queue_clear_full (&self->queue, (GDestroyNotify) g_bytes_unref);
  self->queued = 0;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  close_stream (self);
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  set_active (self, FALSE);
}

static char *
file_name (GFile *file)
{
  return g_file_get_parse_name (file);
}

/* The cause in GIO's "Error writing to file descriptor: No space left on
 * device": our message names the file instead of a descriptor. */
static const char *
write_error_cause (const GError *error)
{
  const char *format = g_dgettext ("glib20", "Error writing to file descriptor: %s");
  const char *arg = strstr (format, "%s");

  if (arg != NULL && strncmp (error->message, format, arg - format) == 0)
    return error->message + (arg - format);
  return error->message;
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SbCapture) self = user_data;
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (G_OUTPUT_STREAM (object) != self->stream)
    {
      /* The capture ended (or another began) while this write ran. */
      g_output_stream_close_async (G_OUTPUT_STREAM (object), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      return;
    }

  self->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *name = file_name (self->file);

          fail (self, g_error_new (error->domain, error->code,
                                   _("Writing received data to “%s” stopped: %s"),
                                   name, write_error_cause (error)));
        }
      return;
    }

  self->written += written;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_WRITTEN]);
  write_next (self);
}

static void
write_next (SbCapture *self)
{
  g_autoptr(GBytes) bytes = NULL;

  /* One write at a time keeps the bytes in arrival order. */
  if (self->writing || self->stream == NULL)
    return;

  bytes = g_queue_pop_head (&self->queue);
  if (bytes == NULL)
    {
      if (self->closing)
        {
          close_stream (self);
          set_active (self, FALSE);
        }
      return;
    }

  self->queued -= g_bytes_get_size (bytes);
  self->writing = TRUE;
  g_output_stream_write_all_async (self->stream,
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, self->cancellable,
                                   write_cb, g_object_ref (self));
  /* The data must live until the write finishes. */
  g_object_set_data_full (G_OBJECT (self->stream), "sb-writing",
                          g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
take (SbCapture *self,
      GBytes    *bytes)
{
  if (!self->active || self->closing)
    return;

  /* A disk slower than the network must not grow the queue without
   * bound: stop, and say so, rather than drop bytes quietly. */
  if (self->queued + g_bytes_get_size (bytes) > SB_CAPTURE_MAX_QUEUED)
    {
      g_autofree char *size = g_format_size (self->queued);
      g_autofree char *name = file_name (self->file);

      fail (self, g_error_new (G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               _("Writing received data to “%s” stopped: the disk is slower than the network (%s waiting)"),
                               name, size));
      return;
    }

  g_queue_push_tail (&self->queue, g_bytes_ref (bytes));
  self->queued += g_bytes_get_size (bytes);
  write_next (self);
}

static gboolean
drain_inbox (gpointer data)
{
  SbCapture *self = data;
  GQueue inbox;
  GBytes *bytes;

  pthread_mutex_lock (&self->inbox_lock);
  inbox = self->inbox;
  g_queue_init (&self->inbox);
  self->inbox_scheduled = FALSE;
  pthread_mutex_unlock (&self->inbox_lock);

  while ((bytes = g_queue_pop_head (&inbox)) != NULL)
    {
      take (self, bytes);
      g_bytes_unref (bytes);
    }
  return G_SOURCE_REMOVE;
}

static void
received_cb (SbCapture *self,
             SbPeer    *peer,
             GBytes    *bytes,
             SbSession *session)
{
  if (!sb_engine_in_thread ())
    {
      take (self, bytes);
      return;
    }

  if (!g_atomic_int_get (&self->capturing))
    return;
  pthread_mutex_lock (&self->inbox_lock);
  g_queue_push_tail (&self->inbox, g_bytes_ref (bytes));
  if (!self->inbox_scheduled)
    {
      self->inbox_scheduled = TRUE;
      sb_owner_invoke (G_OBJECT (self), drain_inbox, self, NULL);
    }
  pthread_mutex_unlock (&self->inbox_lock);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = source_object;
  SbCaptureMode mode = GPOINTER_TO_INT (task_data);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = file_name (file);
  int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC;
  int fd;

  if (path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("“%s” is not a local file"), name);
      return;
    }

  switch (mode)
    {
    case SB_CAPTURE_APPEND:  flags |= O_APPEND; break;
    case SB_CAPTURE_NEW:     flags |= O_EXCL; break;
    case SB_CAPTURE_REPLACE: flags |= O_TRUNC; break;
    default:                 g_assert_not_reached ();
    }

  /* O_NOFOLLOW: a link planted at the path is refused, not written through. */
  fd = g_open (path, flags, 0666);
  if (fd < 0)
    {
      int errsv = errno;

      if (errsv == ELOOP)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS,
                                 _("“%s” is a symbolic link; choose the file itself"), name);
      else if (errsv == EEXIST)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                                 _("“%s” already exists; received data is not written over it"), name);
      else
        g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (errsv),
                                 _("Cannot write received data to “%s”: %s"), name, g_strerror (errsv));
      return;
    }

  g_task_return_pointer (task, g_unix_output_stream_new (fd, TRUE), g_object_unref);
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SbCapture) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) stream = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;   /* an earlier capture */

  if (stream == NULL)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  self->stream = g_steal_pointer (&stream);
  write_next (self);
}

SbCapture *
sb_capture_new (void)
{
  return g_object_new (SB_TYPE_CAPTURE, NULL);
}

SbSession *
sb_capture_get_session (SbCapture *self)
{
  g_return_val_if_fail (SB_IS_CAPTURE (self), NULL);
  return self->session;
}

void
sb_capture_set_session (SbCapture *self,
                        SbSession *session)
{
  g_return_if_fail (SB_IS_CAPTURE (self));
  g_return_if_fail (session == NULL || SB_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (session, "received", G_CALLBACK (received_cb), self, G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

void
sb_capture_start (SbCapture     *self,
                  GFile         *file,
                  SbCaptureMode  mode)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SB_IS_CAPTURE (self));
  g_return_if_fail (G_IS_FILE (file));

  /* A new capture: what the last one still queued is dropped with it. */
  g_queue_clear_full (&self->queue, (GDestroyNotify) g_bytes_unref);
  self->queued = 0;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  close_stream (self);

  g_set_object (&self->file, file);
  self->written = 0;
  self->cancellable = g_cancellable_new ();
  if (self->error != NULL)
    {
      g_clear_error (&self->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  set_active (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_WRITTEN]);

  task = g_task_new (file, self->cancellable, open_cb, g_object_ref (self));
  g_task_set_source_tag (task, sb_capture_start);
  g_task_set_task_data (task, GINT_TO_POINTER (mode), NULL);
  g_task_run_in_thread (task, open_thread);
}

void
sb_capture_stop (SbCapture *self)
{
  g_return_if_fail (SB_IS_CAPTURE (self));

  if (!self->active)
    return;
  /* What the engine handed over before the stop is written too. */
  drain_inbox (self);
  if (self->stream == NULL)
    {
      /* Still opening: nothing was written, nothing will be. */
      g_queue_clear_full (&self->queue, (GDestroyNotify) g_bytes_unref);
      self->queued = 0;
      g_cancellable_cancel (self->cancellable);
      close_stream (self);
      set_active (self, FALSE);
      return;
    }
  self->closing = TRUE;
  write_next (self);
}

gboolean
sb_capture_is_active (SbCapture *self)
{
  g_return_val_if_fail (SB_IS_CAPTURE (self), FALSE);
  return self->active;
}

GFile *
sb_capture_get_file (SbCapture *self)
{
  g_return_val_if_fail (SB_IS_CAPTURE (self), NULL);
  return self->file;
}

guint64
sb_capture_get_bytes_written (SbCapture *self)
{
  g_return_val_if_fail (SB_IS_CAPTURE (self), 0);
  return self->written;
}

const GError *
sb_capture_get_error (SbCapture *self)
{
  g_return_val_if_fail (SB_IS_CAPTURE (self), NULL);
  return self->error;
}

static void
sb_capture_dispose (GObject *object)
{
  SbCapture *self = SB_CAPTURE (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  close_stream (self);
  g_queue_clear_full (&self->queue, (GDestroyNotify) g_bytes_unref);
  self->queued = 0;

  G_OBJECT_CLASS (sb_capture_parent_class)->dispose (object);
}

static void
sb_capture_finalize (GObject *object)
{
  SbCapture *self = SB_CAPTURE (object);

  g_clear_object (&self->file);
  g_clear_error (&self->error);
  g_queue_clear_full (&self->inbox, (GDestroyNotify) g_bytes_unref);
  pthread_mutex_destroy (&self->inbox_lock);

  G_OBJECT_CLASS (sb_capture_parent_class)->finalize (object);
}

static void
sb_capture_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SbCapture *self = SB_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_BYTES_WRITTEN:
      g_value_set_uint64 (value, self->written);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_capture_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SbCapture *self = SB_CAPTURE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      sb_capture_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sb_capture_class_init (SbCaptureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sb_capture_dispose;
  object_class->finalize = sb_capture_finalize;
  object_class->get_property = sb_capture_get_property;
  object_class->set_property = sb_capture_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BYTES_WRITTEN] =
    g_param_spec_uint64 ("bytes-written", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sb_capture_init (SbCapture *self)
{
  g_queue_init (&self->queue);
  g_queue_init (&self->inbox);
  pthread_mutex_init (&self->inbox_lock, NULL);
  sb_owner_notify_init (G_OBJECT (self));
}
