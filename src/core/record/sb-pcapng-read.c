/* sb-pcapng-read.c — a pcap or pcapng capture read back as histories
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any thread. libpcap reads the file (pcap and pcapng, from memory through
 * fmemopen); the link layers, IP, TCP and UDP are parsed here, every
 * length checked against what was captured.
 */
#define G_LOG_DOMAIN "sb-pcapng"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include <glib/gi18n.h>

#include "sb-pcapng.h"

#define LINKTYPE_NULL      0
#define LINKTYPE_ETHERNET  1
#define LINKTYPE_RAW       101
#define LINKTYPE_LOOP      108
#define LINKTYPE_LINUX_SLL 113
#define LINKTYPE_IPV4      228
#define LINKTYPE_IPV6      229
#define LINKTYPE_LINUX_SLL2 276
/* Some systems number raw IP 12 or 14 in the DLT_ space libpcap maps. */
#define DLT_RAW_ALT1       12
#define DLT_RAW_ALT2       14

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

typedef struct
{
  gint64   time_us;
  gboolean from_client;
  guint8   flags;      /* TCP flags; 0 for UDP */
  guint32  seq;
  GBytes  *payload;
} Segment;

typedef struct
{
  SbCaptureStream public;
  /* Endpoints as "addr:port" and raw, to match packets: the client's first. */
  guint8    addr[2][16];
  guint16   port[2];
  gboolean  v6;
  gboolean  closed;     /* a FIN both ways or an RST: a new SYN starts a new stream */
  gboolean  fin[2];
  GPtrArray *segments;  /* Segment */
} Stream;

struct _SbCaptureFile
{
  GPtrArray  *streams;    /* Stream */
  GHashTable *open;       /* key -> Stream, the latest stream of each 4-tuple */
  guint       n_tcp;
  guint       n_udp;
};

typedef struct
{
  gboolean      v6;
  guint8        proto;
  const guint8 *src;
  const guint8 *dst;
  const guint8 *l4;
  gsize         l4_len;
} IpPacket;

static void
segment_free (Segment *segment)
{
  g_bytes_unref (segment->payload);
  g_free (segment);
}

static void
stream_free (Stream *stream)
{
  g_free (stream->public.client);
  g_free (stream->public.server);
  g_ptr_array_unref (stream->segments);
  g_free (stream);
}

void
sb_capture_file_free (SbCaptureFile *capture)
{
  if (capture == NULL)
    return;
  g_ptr_array_unref (capture->streams);
  g_hash_table_unref (capture->open);
  g_free (capture);
}

static guint16
be16 (const guint8 *p)
{
  return (p[0] << 8) | p[1];
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static gboolean
parse_ip (const guint8 *p,
          gsize         len,
          IpPacket     *ip)
{
  if (len < 1)
    return FALSE;
  if ((p[0] >> 4) == 4)
    {
      gsize ihl = (p[0] & 0x0f) * 4;
      gsize total;

      if (len < 20 || ihl < 20 || ihl > len)
        return FALSE;
      total = be16 (p + 2);
      /* Fragments other than a whole datagram are not reassembled. */
      if ((be16 (p + 6) & 0x3fff) != 0)
        return FALSE;
      if (total < ihl)
        return FALSE;
      if (total > len)
        total = len;   /* cut by the snapshot length: keep what is there */
      ip->v6 = FALSE;
      ip->proto = p[9];
      ip->src = p + 12;
      ip->dst = p + 16;
      ip->l4 = p + ihl;
      ip->l4_len = total - ihl;
      return TRUE;
    }
  if ((p[0] >> 4) == 6)
    {
      gsize payload;

      if (len < 40)
        return FALSE;
      payload = be16 (p + 4);
      if (payload > len - 40)
        payload = len - 40;
      ip->v6 = TRUE;
      ip->proto = p[6];
      ip->src = p + 8;
      ip->dst = p + 24;
      ip->l4 = p + 40;
      ip->l4_len = payload;
      return TRUE;
    }
  return FALSE;
}

/* The IP packet inside a frame of @linktype. */
static gboolean
parse_link (int           linktype,
            const guint8 *p,
            gsize         len,
            IpPacket     *ip)
{
  switch (linktype)
    {
    case LINKTYPE_RAW:
    case DLT_RAW_ALT1:
    case DLT_RAW_ALT2:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      return parse_ip (p, len, ip);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      return len >= 4 && parse_ip (p + 4, len - 4, ip);
    case LINKTYPE_ETHERNET:
      {
        gsize off = 12;
        guint16 type;

        if (len < 14)
          return FALSE;
        type = be16 (p + 12);
        while ((type == 0x8100 || type == 0x88a8) && len >= off + 6)
          {
            off += 4;
            type = be16 (p + off);
          }
        off += 2;
        if ((type != 0x0800 && type != 0x86dd) || off > len)
          return FALSE;
        return parse_ip (p + off, len - off, ip);
      }
    case LINKTYPE_LINUX_SLL:
      return len >= 16 && parse_ip (p + 16, len - 16, ip);
    case LINKTYPE_LINUX_SLL2:
      return len >= 20 && parse_ip (p + 20, len - 20, ip);
    default:
      return FALSE;
    }
}

static char *
format_end (gboolean      v6,
            const guint8 *addr,
            guint16       port)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_bytes (addr, v6 ? G_SOCKET_FAMILY_IPV6
                                                                          : G_SOCKET_FAMILY_IPV4);
  g_autofree char *host = g_inet_address_to_string (inet);

  return v6 ? g_strdup_printf ("[%s]:%u", host, port) : g_strdup_printf ("%s:%u", host, port);
}

/* The same key for both directions: the lower end first. */
static char *
stream_key (guint8        proto,
            const IpPacket *ip,
            guint16       sport,
            guint16       dport)
{
  gsize n = ip->v6 ? 16 : 4;
  int order = memcmp (ip->src, ip->dst, n);
  const guint8 *a = ip->src, *b = ip->dst;
  guint16 pa = sport, pb = dport;
  GString *key = g_string_new (NULL);

  if (order > 0 || (order == 0 && sport > dport))
    {
      a = ip->dst;
      b = ip->src;
      pa = dport;
      pb = sport;
    }
  g_string_append_printf (key, "%u/", proto);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (key, "%02x", a[i]);
  g_string_append_printf (key, ":%u/", pa);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (key, "%02x", b[i]);
  g_string_append_printf (key, ":%u", pb);
  return g_string_free (key, FALSE);
}

static Stream *
stream_new (SbCaptureFile  *capture,
            SbCaptureStreamKind kind,
            const IpPacket *ip,
            guint16         sport,
            guint16         dport,
            gint64          time_us)
{
  Stream *stream = g_new0 (Stream, 1);
  gsize n = ip->v6 ? 16 : 4;

  stream->public.kind = kind;
  stream->public.index = kind == SB_CAPTURE_STREAM_TCP ? capture->n_tcp++ : capture->n_udp++;
  stream->public.first_time_us = time_us;
  stream->v6 = ip->v6;
  memcpy (stream->addr[0], ip->src, n);
  memcpy (stream->addr[1], ip->dst, n);
  stream->port[0] = sport;
  stream->port[1] = dport;
  stream->public.client = format_end (ip->v6, ip->src, sport);
  stream->public.server = format_end (ip->v6, ip->dst, dport);
  stream->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) segment_free);
  g_ptr_array_add (capture->streams, stream);
  return stream;
}

static void
add_packet (SbCaptureFile *capture,
            gint64         time_us,
            IpPacket      *ip)
{
  SbCaptureStreamKind kind;
  guint16 sport, dport;
  gsize header;
  guint8 flags = 0;
  guint32 seq = 0;
  g_autofree char *key = NULL;
  Stream *stream;
  Segment *segment;
  gsize n = ip->v6 ? 16 : 4;

  if (ip->proto == 6)
    {
      if (ip->l4_len < 20)
        return;
      header = (ip->l4[12] >> 4) * 4;
      if (header < 20 || header > ip->l4_len)
        return;
      kind = SB_CAPTURE_STREAM_TCP;
      flags = ip->l4[13];
      seq = be32 (ip->l4 + 4);
    }
  else if (ip->proto == 17)
    {
      gsize ulen;

      if (ip->l4_len < 8)
        return;
      header = 8;
      ulen = be16 (ip->l4 + 4);
      if (ulen < 8)
        return;
      kind = SB_CAPTURE_STREAM_UDP;
      if (ulen < ip->l4_len)
        ip->l4_len = ulen;
    }
  else
    return;

  sport = be16 (ip->l4);
  dport = be16 (ip->l4 + 2);
  key = stream_key (ip->proto, ip, sport, dport);
  stream = g_hash_table_lookup (capture->open, key);

  /* A SYN on a finished connection (the same ports again) starts a new one. */
  if (stream != NULL && kind == SB_CAPTURE_STREAM_TCP &&
      (flags & (TCP_SYN | TCP_ACK)) == TCP_SYN && stream->closed)
    stream = NULL;
  if (stream == NULL)
    {
      stream = stream_new (capture, kind, ip, sport, dport, time_us);
      g_hash_table_replace (capture->open, g_steal_pointer (&key), stream);
    }

  segment = g_new0 (Segment, 1);
  segment->time_us = time_us;
  segment->from_client = memcmp (ip->src, stream->addr[0], n) == 0 && sport == stream->port[0];
  segment->flags = flags;
  segment->seq = seq;
  segment->payload = g_bytes_new (ip->l4 + header, ip->l4_len - header);
  g_ptr_array_add (stream->segments, segment);

  stream->public.n_packets++;
  stream->public.n_bytes += ip->l4_len - header;
  if (flags & TCP_RST)
    stream->closed = TRUE;
  if (flags & TCP_FIN)
    {
      stream->fin[segment->from_client ? 0 : 1] = TRUE;
      stream->closed = stream->fin[0] && stream->fin[1];
    }
}

/* A lying timestamp is clamped: a history's times are µs since 1970 that
 * fit in 64 bits. */
static gint64
time_of (const struct pcap_pkthdr *header)
{
  gint64 max_sec = G_MAXINT64 / G_USEC_PER_SEC - 1;
  gint64 sec = CLAMP ((gint64) header->ts.tv_sec, 0, max_sec);
  gint64 usec = CLAMP ((gint64) header->ts.tv_usec, 0, G_USEC_PER_SEC - 1);

  return sec * G_USEC_PER_SEC + usec;
}

static SbCaptureFile *
read_pcap (pcap_t  *pcap,
           GError **error)
{
  g_autoptr(SbCaptureFile) capture = g_new0 (SbCaptureFile, 1);
  struct pcap_pkthdr *header;
  const u_char *data;
  int linktype = pcap_datalink (pcap);
  int status;

  capture->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) stream_free);
  capture->open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  while ((status = pcap_next_ex (pcap, &header, &data)) == 1)
    {
      IpPacket ip;
      gint64 time_us = time_of (header);

      if (parse_link (linktype, data, header->caplen, &ip))
        add_packet (capture, time_us, &ip);
    }

  /* A capture cut short keeps the packets before the cut. */
  if (status == PCAP_ERROR && capture->streams->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The capture is damaged: %s"), pcap_geterr (pcap));
      return NULL;
    }
  if (capture->streams->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("The capture holds no TCP stream and no UDP conversation"));
      return NULL;
    }
  return g_steal_pointer (&capture);
}

SbCaptureFile *
sb_capture_file_new_from_bytes (GBytes  *bytes,
                                GError **error)
{
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  gsize len;
  gconstpointer data;
  FILE *fp;
  pcap_t *pcap;
  SbCaptureFile *capture;

  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The capture file is empty"));
      return NULL;
    }
  fp = fmemopen ((void *) data, len, "rb");
  if (fp == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, g_strerror (errno));
      return NULL;
    }
  /* libpcap closes @fp with the handle. */
  pcap = pcap_fopen_offline_with_tstamp_precision (fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
  if (pcap == NULL)
    {
      fclose (fp);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Not a capture Sockbench can read (pcap or pcapng): %s"), errbuf);
      return NULL;
    }
  capture = read_pcap (pcap, error);
  pcap_close (pcap);
  return capture;
}

SbCaptureFile *
sb_capture_file_new_from_file (GFile   *file,
                               GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  SbCaptureFile *capture;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  name = g_file_get_parse_name (file);
  bytes = g_file_load_bytes (file, NULL, NULL, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Cannot read “%s”: %s"), name, local_error->message);
      return NULL;
    }
  capture = sb_capture_file_new_from_bytes (bytes, &local_error);
  if (capture == NULL)
    g_set_error (error, local_error->domain, local_error->code, "%s: %s", name, local_error->message);
  return capture;
}

GPtrArray *
sb_capture_file_get_streams (SbCaptureFile *capture)
{
  g_return_val_if_fail (capture != NULL, NULL);
  return capture->streams;
}

char *
sb_capture_stream_describe (const SbCaptureStream *stream)
{
  g_autofree char *size = NULL;

  g_return_val_if_fail (stream != NULL, NULL);

  size = g_format_size (stream->n_bytes);
  /* Translators: a stream found in a capture: "TCP 3: 127.0.0.1:40000 ⇄
   * 127.0.0.1:5000, 12 packets, 345 bytes" (the last %s is a size as GLib
   * writes it: "345 bytes", "1.0 MB") */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s %u: %s ⇄ %s, %u packet, %s",
                                       "%s %u: %s ⇄ %s, %u packets, %s",
                                       stream->n_packets),
                          stream->kind == SB_CAPTURE_STREAM_TCP ? "TCP" : "UDP",
                          stream->index, stream->client, stream->server,
                          stream->n_packets, size);
}

const SbCaptureStream *
sb_capture_file_find_stream (SbCaptureFile *capture,
                             const char    *which,
                             GError       **error)
{
  SbCaptureStreamKind kind = SB_CAPTURE_STREAM_TCP;
  gboolean any_kind = FALSE;
  const char *number = which;
  guint64 index;

  g_return_val_if_fail (capture != NULL, NULL);

  if (which == NULL || *which == '\0')
    which = number = "0", any_kind = TRUE;
  else if (g_str_has_prefix (which, "tcp:"))
    number = which + 4;
  else if (g_str_has_prefix (which, "udp:"))
    number = which + 4, kind = SB_CAPTURE_STREAM_UDP;
  else
    any_kind = TRUE;

  if (!g_ascii_string_to_unsigned (number, 10, 0, G_MAXUINT, &index, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” names no stream: write tcp:N, udp:N or N"), which);
      return NULL;
    }
  if (any_kind)
    {
      if (index < capture->streams->len)
        return &((Stream *) g_ptr_array_index (capture->streams, index))->public;
    }
  else
    {
      for (guint i = 0; i < capture->streams->len; i++)
        {
          Stream *stream = g_ptr_array_index (capture->streams, i);

          if (stream->public.kind == kind && stream->public.index == index)
            return &stream->public;
        }
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The capture has no stream “%s”"), which);
  return NULL;
}

/* One direction of a TCP stream, put back in order. */
typedef struct
{
  gboolean  started;
  guint32   next;
  GPtrArray *later;   /* Segment (borrowed), ahead of @next */
} Reassembly;

static void
emit_bytes (SbHistory    *history,
            SbDirection   direction,
            guint         peer,
            gint64        time_us,
            const guint8 *data,
            gsize         len)
{
  if (len > 0)
    sb_history_append (history, time_us, direction, SB_EVENT_NONE, peer, data, len);
}

static void
emit_event (SbHistory   *history,
            gint64       time_us,
            SbEventKind  event,
            guint        peer,
            const char  *message)
{
  sb_history_append (history, time_us, SB_DIRECTION_EVENT, event, peer,
                     (const guint8 *) message, strlen (message));
}

/* Appends the new part of @segment, if it starts at or before @r->next;
 * TRUE if it was used up (or is wholly old). */
static gboolean
reassemble_one (Reassembly    *r,
                const Segment *segment,
                SbHistory     *history,
                SbDirection    direction,
                guint          peer)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (segment->payload, &len);
  guint32 seq = segment->seq + ((segment->flags & TCP_SYN) ? 1 : 0);
  gint32 ahead = (gint32) (seq - r->next);

  if (ahead > 0)
    return FALSE;
  if ((gint64) len + ahead > 0)
    {
      emit_bytes (history, direction, peer, segment->time_us, data - ahead, len + ahead);
      r->next = seq + len;
    }
  return TRUE;
}

/* Segments that arrived early follow on now. */
static void
drain_later (Reassembly *r,
             SbHistory  *history,
             SbDirection direction,
             guint       peer)
{
  gboolean progress;

  do
    {
      progress = FALSE;
      for (guint i = 0; i < r->later->len; i++)
        if (reassemble_one (r, g_ptr_array_index (r->later, i), history, direction, peer))
          {
            g_ptr_array_remove_index (r->later, i);
            progress = TRUE;
            break;
          }
    }
  while (progress);
}

static void
reassemble (Reassembly    *r,
            const Segment *segment,
            SbHistory     *history,
            SbDirection    direction,
            guint          peer)
{
  if (!r->started)
    {
      r->started = TRUE;
      r->next = segment->seq + ((segment->flags & TCP_SYN) ? 1 : 0);
    }
  if (g_bytes_get_size (segment->payload) == 0)
    return;
  if (!reassemble_one (r, segment, history, direction, peer))
    {
      g_ptr_array_add (r->later, (gpointer) segment);
      return;
    }
  drain_later (r, history, direction, peer);
}

/* What the capture lost (a segment never seen, not even again): the bytes
 * after the hole are kept, the hole is said where it was. */
static void
skip_holes (Reassembly *r,
            SbHistory  *history,
            SbDirection direction,
            guint       peer)
{
  while (r->later->len > 0)
    {
      const Segment *first = NULL;
      gint32 nearest = G_MAXINT32;
      g_autofree char *message = NULL;

      for (guint i = 0; i < r->later->len; i++)
        {
          const Segment *segment = g_ptr_array_index (r->later, i);
          gint32 ahead = (gint32) (segment->seq + ((segment->flags & TCP_SYN) ? 1 : 0) - r->next);

          if (first == NULL || ahead < nearest)
            {
              first = segment;
              nearest = ahead;
            }
        }
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d byte is missing from the capture here",
                                              "%d bytes are missing from the capture here", nearest),
                                 nearest);
      emit_event (history, first->time_us, SB_EVENT_INFO, peer, message);
      r->next += nearest;
      drain_later (r, history, direction, peer);
    }
}

SbHistory *
sb_capture_file_to_history (SbCaptureFile         *capture,
                            const SbCaptureStream *public,
                            gboolean               as_server)
{
  const Stream *stream = (const Stream *) public;
  SbHistory *history;
  guint peer;
  Reassembly r[2] = { { 0 }, { 0 } };   /* [0]: from the client */

  g_return_val_if_fail (capture != NULL, NULL);
  g_return_val_if_fail (public != NULL, NULL);

  history = sb_history_new ();
  peer = sb_history_intern_peer (history, as_server ? public->client : public->server);
  r[0].later = g_ptr_array_new ();
  r[1].later = g_ptr_array_new ();

  for (guint i = 0; i < stream->segments->len; i++)
    {
      const Segment *segment = g_ptr_array_index (stream->segments, i);
      /* tx: sent by the side the history is seen from. */
      gboolean ours = segment->from_client != as_server;
      SbDirection direction = ours ? SB_DIRECTION_TX : SB_DIRECTION_RX;

      if (public->kind == SB_CAPTURE_STREAM_UDP)
        {
          gsize len;
          const guint8 *data = g_bytes_get_data (segment->payload, &len);

          sb_history_append (history, segment->time_us, direction, SB_EVENT_NONE, peer, data, len);
          continue;
        }

      if ((segment->flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
        {
          g_autofree char *message = g_strdup_printf (_("Connected: %s ⇄ %s"), public->client, public->server);

          emit_event (history, segment->time_us, SB_EVENT_CONNECTED, peer, message);
        }
      reassemble (&r[segment->from_client ? 0 : 1], segment, history, direction, peer);
      if (segment->flags & TCP_RST)
        {
          g_autofree char *message = g_strdup_printf (_("Connection reset by %s (RST)"),
                                                      segment->from_client ? public->client : public->server);

          emit_event (history, segment->time_us, SB_EVENT_RESET, peer, message);
        }
      else if (segment->flags & TCP_FIN)
        {
          g_autofree char *message = g_strdup_printf (_("%s closed its side of the connection (FIN)"),
                                                      segment->from_client ? public->client : public->server);

          emit_event (history, segment->time_us, ours ? SB_EVENT_HALF_CLOSED : SB_EVENT_PEER_CLOSED,
                      peer, message);
        }
    }

  if (public->kind == SB_CAPTURE_STREAM_TCP)
    {
      skip_holes (&r[0], history, as_server ? SB_DIRECTION_RX : SB_DIRECTION_TX, peer);
      skip_holes (&r[1], history, as_server ? SB_DIRECTION_TX : SB_DIRECTION_RX, peer);
    }
  g_ptr_array_unref (r[0].later);
  g_ptr_array_unref (r[1].later);
  sb_history_flush (history);
  return history;
}
