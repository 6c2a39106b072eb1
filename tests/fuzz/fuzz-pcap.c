/* fuzz-pcap.c — captures read back: pcap and pcapng through libpcap, then
 * the link layers, IP, TCP and UDP, then the streams as histories
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a capture file, whole or cut, its blocks and lengths lying.
 *
 * Properties:
 *   - reading never crashes, and either fails with a message or finds at
 *     least one stream;
 *   - each stream's description is valid UTF-8;
 *   - a stream seen from either side holds no more payload bytes than its
 *     packets carried (reassembly never repeats a byte), and its records
 *     are data (rx, tx) or events.
 */
#include "config.h"

#include "sb-pcapng.h"
#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_history (SbHistory             *history,
               const SbCaptureStream *stream)
{
  guint64 total = 0;

  for (guint i = 0; i < sb_history_get_n_records (history); i++)
    {
      gsize len = 0;

      sb_history_peek_data (history, i, &len);
      if (sb_history_get_direction (history, i) != SB_DIRECTION_EVENT)
        total += len;
      else if (sb_history_get_event (history, i) == SB_EVENT_NONE)
        {
          fprintf (stderr, "an event record without a kind\n");
          abort ();
        }
    }
  if (total > stream->n_bytes)
    {
      fprintf (stderr, "the history holds %" G_GUINT64_FORMAT " bytes of %" G_GUINT64_FORMAT "\n",
               total, stream->n_bytes);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCaptureFile) capture = sb_capture_file_new_from_bytes (bytes, &error);
  GPtrArray *streams;

  if (capture == NULL)
    {
      if (error == NULL || !g_utf8_validate (error->message, -1, NULL))
        {
          fprintf (stderr, "failed without a readable message\n");
          abort ();
        }
      return 0;
    }

  streams = sb_capture_file_get_streams (capture);
  if (streams->len == 0)
    {
      fprintf (stderr, "read, but no stream\n");
      abort ();
    }
  for (guint i = 0; i < streams->len; i++)
    {
      const SbCaptureStream *stream = g_ptr_array_index (streams, i);
      g_autofree char *text = sb_capture_stream_describe (stream);

      if (!g_utf8_validate (text, -1, NULL))
        {
          fprintf (stderr, "a description that is not UTF-8\n");
          abort ();
        }
      for (int side = 0; side < 2; side++)
        {
          g_autoptr(SbHistory) history = sb_capture_file_to_history (capture, stream, side);

          check_history (history, stream);
        }
    }
  return 0;
}
