/* sb-headless-private.h — what the headless runner and its printer share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once


#include <glib/gi18n.h>
#include <inttypes.h>
#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <unistd.h>

#include "sb-capture.h"
#include "sb-datagram.h"
#include "sb-checksum.h"
#include "sb-framer-collector.h"
#include "sb-pcapng.h"
#include "sb-replay.h"
#include "sb-headless.h"
#include "sb-preset.h"
#include "sb-scenario-run.h"
#include "sb-session.h"
#include "sb-sessions.h"
#include "sb-session-setup.h"
#include "sb-stream-client.h"
#include "sb-time.h"

/* How long a line whose last character is cut in two waits for the rest of
 * it, with its stream idle, unless --hold says otherwise. */
#define DEFAULT_HOLD_MS 2000

/* Output is written once this much is formatted, and after each batch. */
#define OUTPUT_CHUNK (64 * 1024)

/* Decoders kept for streams with nothing held, at most (datagram senders
 * never say goodbye). */
#define MAX_IDLE_STREAMS 256


/* The exit status when the reader of the output went away (as a process
 * ended by SIGPIPE, as cat is). */
#define STATUS_OUTPUT_CLOSED 141

/* After SIGINT or SIGTERM, how long what was received but not printed yet
 * goes on being printed; the rest is counted on stderr. A flood leaves up
 * to the history's cap behind (256 MiB: seconds of --hex). */
#define SIGNAL_PRINT_MS 250

/* How long the end waits for captures to reach the disk, at most. */
#define CAPTURE_FLUSH_SECONDS 10

typedef struct _Headless Headless;

typedef struct
{
  GString *text;
  /* Non-NULL while the line waits for the next record of this stream. */
  gpointer waiting_on;
} Line;

/* One peer's received bytes on their way to frames. */
typedef struct
{
  SbFramerCollector *collector;
  gint64             last_time;  /* of the last read */
} FrameStream;

typedef struct
{
  SbDecoder *decoder;
  Line      *held;
  gint64     last_read;   /* monotonic, of the read that left a line held */
} Stream;

/* One session, answered by its setup's responder, maybe captured. */
typedef struct
{
  Headless       *headless;
  SbSessionSetup *setup;
  SbSession      *session;
  SbCapture      *capture;
  SbReplay       *replay;     /* --replay, or NULL */
  /* Non-NULL when received lines are frames (a framer or a check is
   * set): each peer's bytes go through its own framer state as the
   * records are printed, so frames come out in their place, one at a time. */
  SbFramer       *framer;
  SbCheckSpec    *check;
  GHashTable     *frame_streams;  /* peer id → FrameStream */
  guint           gap_id;
  guint64         next_serial;
  guint           print_id;
  gboolean        printing;   /* print_pending is on the stack */
  /* (peer id << 2 | direction) → Stream */
  GHashTable     *streams;
  guint           hex : 1;
  guint           joined : 1;
} Runner;

struct _Headless
{
  GMainLoop  *loop;
  /* Asked to end, maybe before the loop ran (everything ended at start). */
  gboolean    quit;
  GPtrArray  *runners;
  GQueue      lines;
  guint       hold_id;
  gint64      hold_us;
  GString    *output;
  char       *join_group;
  char       *join_iface;
  gint64      count;
  gint64      received;
  gboolean    hex;
  gboolean    broadcast;
  /* --replay: the stream every session plays its side of. */
  SbCaptureFile         *replay_capture;
  const SbCaptureStream *replay_stream;
  gboolean               replay_timed;
  /* Printing what is left, all at once. */
  gboolean    exiting;
  /* Monotonic: stopped by a signal, printing what is left ends then. */
  gint64      print_until;
  /* Records left unprinted at print_until, and their data bytes. */
  guint64     unprinted_records;
  guint64     unprinted_bytes;
  /* Writing the output failed: nothing more is written. */
  gboolean    output_failed;
  int         status;
};

/* sb-headless-print.c: records and frames as lines, held, streamed and checked */
void _sb_headless_drain_lines (Headless *self);
void _sb_headless_release_runner_streams (Runner *runner, guint peer_id);
void _sb_headless_quit (Headless *self, int status);
void _sb_headless_stop_all (Headless *self, int status);
gboolean _sb_headless_end_frame_streams (Runner *runner, guint peer_id);
void _sb_headless_print_pending (Runner *runner);
void _sb_headless_line_free (Line *line);
