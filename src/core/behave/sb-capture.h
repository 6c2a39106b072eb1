/* sb-capture.h — received bytes, written to a file as they arrive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-session.h"

G_BEGIN_DECLS

typedef enum
{
  SB_CAPTURE_APPEND,    /* add to the end of the file; create it when missing */
  SB_CAPTURE_NEW,       /* create the file; fail with G_IO_ERROR_EXISTS if it is there */
  SB_CAPTURE_REPLACE,   /* empty the file first (only after someone agreed) */
} SbCaptureMode;

/*
 * A capture writes every message the session receives, in arrival order,
 * one asynchronous write at a time. A symbolic link planted at the path is
 * refused, never written through. When the disk falls behind the network by
 * more than SB_CAPTURE_MAX_QUEUED the capture stops with an error instead of
 * dropping bytes.
 *
 * Properties: "session" (nullable), "file" (GFile, the file being written or
 * last written), "active" (open or opening), "bytes-written", "error" (GError
 * boxed: why the capture stopped; its message names the file).
 *
 * Main thread only.
 */

#define SB_CAPTURE_MAX_QUEUED (64 * 1024 * 1024)

#define SB_TYPE_CAPTURE (sb_capture_get_type ())
G_DECLARE_FINAL_TYPE (SbCapture, sb_capture, SB, CAPTURE, GObject)

SbCapture    *sb_capture_new               (void);

SbSession    *sb_capture_get_session       (SbCapture     *self);
void          sb_capture_set_session       (SbCapture     *self,
                                            SbSession     *session);

/* Opens @file in a worker thread and starts writing what arrives from then
 * on; bytes received while it opens are kept. Stops a capture running. */
void          sb_capture_start             (SbCapture     *self,
                                            GFile         *file,
                                            SbCaptureMode  mode);
/* Writes out what is queued, then closes the file. */
void          sb_capture_stop              (SbCapture     *self);

gboolean      sb_capture_is_active         (SbCapture     *self);
/* The file of the capture (running or last), or NULL. Borrowed. */
GFile        *sb_capture_get_file          (SbCapture     *self);
guint64       sb_capture_get_bytes_written (SbCapture     *self);
/* Why the capture stopped, or NULL. Owned by the capture. */
const GError *sb_capture_get_error         (SbCapture     *self);

G_END_DECLS
