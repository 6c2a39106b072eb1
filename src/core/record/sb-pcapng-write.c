/* sb-pcapng-write.c — sessions written as a pcapng capture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any thread: works on snapshots (SbExportRecord) only.
 *
 * The format (IETF draft "PCAP Next Generation Dump File Format"): one
 * Section Header Block, one Interface Description Block per session, then
 * Enhanced Packet Blocks in time order. Blocks are written little-endian
 * (the byte-order magic says so); the packets inside are network order.
 */
#define G_LOG_DOMAIN "sb-pcapng"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sb-pcapng.h"
#include "sb-session.h"

#define BLOCK_SHB 0x0A0D0D0A
#define BLOCK_IDB 0x00000001
#define BLOCK_EPB 0x00000006

#define OPT_END       0
#define OPT_COMMENT   1
#define OPT_SHB_APP   4
#define OPT_IF_NAME   2
#define OPT_IF_DESC   3
#define OPT_EPB_FLAGS 2

/* IP sessions as Linux captures its loopback: Ethernet with all-zero
 * addresses. (Raw IP would do for Wireshark, but libpcap 1.10 refuses a
 * second raw-IP interface when it reads the file back.) */
#define LINKTYPE_ETHERNET  1
#define LINKTYPE_UPPER_PDU 252   /* Wireshark's exported PDU: tags, then the payload */

#define EXP_PDU_TAG_END        0
#define EXP_PDU_TAG_PROTO_NAME 12

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

#define TCP_WINDOW 65535
/* The receiver acknowledges at least this often within a long message, so
 * what is in flight stays well inside the window. */
#define SEGMENTS_PER_ACK 16
/* Wireshark's largest packet is 256 KiB; a UNIX read is at most 64 KiB,
 * a write may be larger and is cut here. */
#define UNIX_CHUNK 65535
#define IP_MAX_PAYLOAD 65507

enum { LOCAL, REMOTE };

struct _SbPcapngSession
{
  SbKind          kind;
  char           *name;
  GSocketAddress *local;
  GPtrArray      *records;
};

typedef struct
{
  guint      iface;
  guint      order;
  gint64     time_us;
  guint32    flags;     /* epb_flags: 1 inbound, 2 outbound */
  GByteArray *data;
  GPtrArray  *comments;  /* char *, nullable */
} Packet;

typedef struct
{
  gboolean v6;
  guint8   addr[2][16];
  guint16  port[2];
} Endpoints;

typedef struct
{
  Endpoints ends;
  guint32   next_seq[2];
  gboolean  fin[2];
  gboolean  client_is_local;
  Packet   *last;
} Conv;

typedef struct
{
  const SbPcapngSession *session;
  guint       iface;
  guint       mss;
  GPtrArray  *packets;    /* Packet, all interfaces */
  Packet     *last;       /* this interface's last */
  GPtrArray  *pending;    /* comments waiting for this interface's next packet */
  GHashTable *convs;      /* peer label -> Conv */
  Endpoints   local;      /* only the LOCAL side filled */
  guint16     ip_id[2];
} Builder;

SbPcapngSession *
sb_pcapng_session_new (SbKind          kind,
                       const char     *name,
                       GSocketAddress *local,
                       GPtrArray      *records)
{
  SbPcapngSession *session;

  g_return_val_if_fail (records != NULL, NULL);

  session = g_new0 (SbPcapngSession, 1);
  session->kind = kind;
  session->name = g_strdup (name ? name : "");
  session->local = local ? g_object_ref (local) : NULL;
  session->records = g_ptr_array_ref (records);
  return session;
}

void
sb_pcapng_session_free (SbPcapngSession *session)
{
  if (session == NULL)
    return;
  g_free (session->name);
  g_clear_object (&session->local);
  g_ptr_array_unref (session->records);
  g_free (session);
}

SbPcapngSession *
sb_pcapng_session_snapshot (SbSession *session)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *uri = NULL;

  g_return_val_if_fail (SB_IS_SESSION (session), NULL);

  /* Records appended but not yet announced belong in the file too. */
  sb_history_flush (sb_session_get_history (session));
  records = sb_export_snapshot (sb_session_get_history (session));
  uri = sb_session_spec_to_uri (sb_session_get_spec (session));
  return sb_pcapng_session_new (sb_session_get_kind (session), uri,
                                sb_session_get_local_address (session), records);
}

static void
packet_free (Packet *packet)
{
  g_byte_array_unref (packet->data);
  g_clear_pointer (&packet->comments, g_ptr_array_unref);
  g_free (packet);
}

/* Byte writers: pcapng blocks little-endian, packets big-endian. */
static void
put_le16 (GByteArray *out, guint16 v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };

  g_byte_array_append (out, b, 2);
}

static void
put_le32 (GByteArray *out, guint32 v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

  g_byte_array_append (out, b, 4);
}

static void
set_be16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
set_be32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

static void
pad4 (GByteArray *out)
{
  static const guint8 zero[4] = { 0 };

  if (out->len % 4 != 0)
    g_byte_array_append (out, zero, 4 - out->len % 4);
}

static void
put_option (GByteArray   *out,
            guint16       code,
            const void   *value,
            gsize         len)
{
  len = MIN (len, 0xfff8);
  put_le16 (out, code);
  put_le16 (out, len);
  g_byte_array_append (out, value, len);
  pad4 (out);
}

static void
put_string_option (GByteArray *out,
                   guint16     code,
                   const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  put_option (out, code, valid, strlen (valid));
}

/* Starts a block; block_end() fills in its length at both ends. */
static guint
block_begin (GByteArray *out,
             guint32     type)
{
  guint start = out->len;

  put_le32 (out, type);
  put_le32 (out, 0);
  return start;
}

static void
block_end (GByteArray *out,
           guint       start)
{
  guint32 len;

  pad4 (out);
  len = out->len - start + 4;
  put_le32 (out, len);
  out->data[start + 4] = len & 0xff;
  out->data[start + 5] = (len >> 8) & 0xff;
  out->data[start + 6] = (len >> 16) & 0xff;
  out->data[start + 7] = len >> 24;
}

static guint32
sum_bytes (guint32       sum,
           const guint8 *data,
           gsize         len)
{
  for (gsize i = 0; i + 1 < len; i += 2)
    sum += (data[i] << 8) | data[i + 1];
  if (len % 2 != 0)
    sum += data[len - 1] << 8;
  return sum;
}

static guint16
fold (guint32 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

/* Wraps @l4 (a TCP, UDP or ICMP message whose checksum field is at
 * @csum_at, zeroed) in an IP header from @from, and fills in the checksums. */
static GByteArray *
ip_packet (Builder         *b,
           const Endpoints *ends,
           int              from,
           guint8           proto,
           GByteArray      *l4,
           gint             csum_at)
{
  int to = 1 - from;
  GByteArray *out = g_byte_array_sized_new (54 + l4->len);
  guint32 sum = 0;
  guint8 header[40] = { 0 };
  guint8 ethernet[14] = { 0 };

  set_be16 (ethernet + 12, ends->v6 ? 0x86dd : 0x0800);
  g_byte_array_append (out, ethernet, sizeof ethernet);
  if (!ends->v6)
    {
      header[0] = 0x45;
      set_be16 (header + 2, 20 + l4->len);
      set_be16 (header + 4, b->ip_id[from]++);
      set_be16 (header + 6, 0x4000);   /* don't fragment */
      header[8] = 64;
      header[9] = proto;
      memcpy (header + 12, ends->addr[from], 4);
      memcpy (header + 16, ends->addr[to], 4);
      set_be16 (header + 10, fold (sum_bytes (0, header, 20)));
      g_byte_array_append (out, header, 20);
      /* ICMPv4 sums the message alone. */
      if (proto != 1)
        {
          sum = sum_bytes (sum, ends->addr[from], 4);
          sum = sum_bytes (sum, ends->addr[to], 4);
          sum += proto + l4->len;
        }
    }
  else
    {
      header[0] = 0x60;
      set_be16 (header + 4, l4->len);
      header[6] = proto;
      header[7] = 64;
      memcpy (header + 8, ends->addr[from], 16);
      memcpy (header + 24, ends->addr[to], 16);
      g_byte_array_append (out, header, 40);
      sum = sum_bytes (sum, ends->addr[from], 16);
      sum = sum_bytes (sum, ends->addr[to], 16);
      sum += (l4->len >> 16) + (l4->len & 0xffff) + proto;
    }

  if (csum_at >= 0)
    {
      guint16 csum = fold (sum_bytes (sum, l4->data, l4->len));

      /* UDP sends 0 as "no checksum": a computed 0 goes out as all ones. */
      if (proto == 17 && csum == 0)
        csum = 0xffff;
      set_be16 (l4->data + csum_at, csum);
    }
  g_byte_array_append (out, l4->data, l4->len);
  return out;
}

static Packet *
add_packet (Builder    *b,
            gint64      time_us,
            guint32     flags,
            GByteArray *data)
{
  Packet *packet = g_new0 (Packet, 1);

  packet->iface = b->iface;
  packet->order = b->packets->len;
  packet->time_us = time_us;
  packet->flags = flags;
  packet->data = data;
  if (b->pending->len > 0)
    {
      packet->comments = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < b->pending->len; i++)
        g_ptr_array_add (packet->comments, g_strdup (g_ptr_array_index (b->pending, i)));
      g_ptr_array_set_size (b->pending, 0);
    }
  g_ptr_array_add (b->packets, packet);
  b->last = packet;
  return packet;
}

static void
comment_packet (Packet     *packet,
                const char *comment)
{
  if (comment == NULL || *comment == '\0')
    return;
  if (packet->comments == NULL)
    packet->comments = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (packet->comments, g_strdup (comment));
}

/* The address of a peer label ("127.0.0.1:5000", "[::1]:5000"), or of a
 * socket address; FALSE when it is not an IP address. */
static gboolean
parse_label (const char *label,
             gboolean   *v6,
             guint8      addr[16],
             guint16    *port)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  gsize size;

  if (label == NULL || !sb_address_parse_host_port (label, FALSE, &host, port, NULL) || host == NULL)
    return FALSE;
  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    return FALSE;
  size = g_inet_address_get_native_size (inet);
  *v6 = size == 16;
  memcpy (addr, g_inet_address_to_bytes (inet), size);
  return TRUE;
}

static void
stand_in (gboolean v6,
          guint8   addr[16],
          int      side)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (v6 ? SB_PCAPNG_STAND_IN_IPV6
                                                                    : SB_PCAPNG_STAND_IN_IPV4);

  memcpy (addr, g_inet_address_to_bytes (inet), v6 ? 16 : 4);
  /* The remote stand-in is the next address: 192.0.2.2, 2001:db8::2. */
  if (side == REMOTE)
    addr[v6 ? 15 : 3]++;
}

/* Both ends for a packet with @label's peer: the local address in the
 * peer's family. A socket bound to every interface (or not bound) talked
 * to a loopback peer from loopback; otherwise an address the history does
 * not know is the stand-in. */
static void
endpoints_for (Builder    *b,
               const char *label,
               Endpoints  *ends)
{
  GInetSocketAddress *local = G_IS_INET_SOCKET_ADDRESS (b->session->local)
                              ? G_INET_SOCKET_ADDRESS (b->session->local) : NULL;
  GInetAddress *laddr = local ? g_inet_socket_address_get_address (local) : NULL;

  memset (ends, 0, sizeof *ends);
  if (!parse_label (label, &ends->v6, ends->addr[REMOTE], &ends->port[REMOTE]))
    {
      ends->v6 = laddr != NULL && g_inet_address_get_family (laddr) == G_SOCKET_FAMILY_IPV6 &&
                 !g_inet_address_get_is_any (laddr);
      stand_in (ends->v6, ends->addr[REMOTE], REMOTE);
      ends->port[REMOTE] = 9;
    }

  ends->port[LOCAL] = local ? g_inet_socket_address_get_port (local) : 9;
  if (laddr != NULL && !g_inet_address_get_is_any (laddr))
    {
      gsize size = g_inet_address_get_native_size (laddr);
      const guint8 *bytes = g_inet_address_to_bytes (laddr);
      static const guint8 mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

      if (size == (ends->v6 ? 16u : 4u))
        {
          memcpy (ends->addr[LOCAL], bytes, size);
          return;
        }
      if (!ends->v6 && size == 16 && memcmp (bytes, mapped, 12) == 0)
        {
          memcpy (ends->addr[LOCAL], bytes + 12, 4);
          return;
        }
    }
  else
    {
      g_autoptr(GInetAddress) remote = g_inet_address_new_from_bytes (ends->addr[REMOTE],
                                                                      ends->v6 ? G_SOCKET_FAMILY_IPV6
                                                                               : G_SOCKET_FAMILY_IPV4);

      if (g_inet_address_get_is_loopback (remote))
        {
          memcpy (ends->addr[LOCAL], ends->addr[REMOTE], ends->v6 ? 16 : 4);
          return;
        }
    }
  stand_in (ends->v6, ends->addr[LOCAL], LOCAL);
}

static guint32
direction_flags (int from)
{
  return from == LOCAL ? 2 : 1;
}

static Packet *
tcp_segment (Builder       *b,
             Conv          *conv,
             int            from,
             guint8         flags,
             const guint8  *payload,
             gsize          len,
             gint64         time_us)
{
  int to = 1 - from;
  gboolean syn = (flags & TCP_SYN) != 0;
  guint header_len = syn ? 24 : 20;
  g_autoptr(GByteArray) l4 = g_byte_array_sized_new (header_len + len);
  guint8 header[24] = { 0 };
  Packet *packet;

  set_be16 (header, conv->ends.port[from]);
  set_be16 (header + 2, conv->ends.port[to]);
  set_be32 (header + 4, conv->next_seq[from]);
  set_be32 (header + 8, (flags & TCP_ACK) ? conv->next_seq[to] : 0);
  header[12] = (header_len / 4) << 4;
  header[13] = flags;
  set_be16 (header + 14, TCP_WINDOW);
  if (syn)
    {
      header[20] = 2;   /* MSS */
      header[21] = 4;
      set_be16 (header + 22, b->mss);
    }
  g_byte_array_append (l4, header, header_len);
  if (len > 0)
    g_byte_array_append (l4, payload, len);

  conv->next_seq[from] += len + (syn ? 1 : 0) + ((flags & TCP_FIN) ? 1 : 0);
  packet = add_packet (b, time_us, direction_flags (from),
                       ip_packet (b, &conv->ends, from, 6, l4, 16));
  conv->last = packet;
  return packet;
}

static Conv *
conv_open (Builder    *b,
           const char *label,
           gint64      time_us,
           const char *comment)
{
  Conv *conv = g_new0 (Conv, 1);
  int client, server;
  Packet *syn;
  guint32 hash;

  endpoints_for (b, label, &conv->ends);
  conv->client_is_local = b->session->kind != SB_KIND_TCP_SERVER;
  client = conv->client_is_local ? LOCAL : REMOTE;
  server = 1 - client;
  /* Initial sequence numbers from the connection's addresses and ports
   * alone: both ends of one conversation, exported together, agree. */
  hash = 2166136261u;
  for (guint i = 0; i < (conv->ends.v6 ? 16u : 4u); i++)
    hash = (hash ^ conv->ends.addr[client][i] ^ (conv->ends.addr[server][i] << 8)) * 16777619u;
  hash = (hash ^ conv->ends.port[client] ^ ((guint32) conv->ends.port[server] << 16)) * 16777619u;
  conv->next_seq[client] = hash;
  conv->next_seq[server] = hash * 2654435761u;

  syn = tcp_segment (b, conv, client, TCP_SYN, NULL, 0, time_us);
  comment_packet (syn, comment);
  tcp_segment (b, conv, server, TCP_SYN | TCP_ACK, NULL, 0, time_us);
  tcp_segment (b, conv, client, TCP_ACK, NULL, 0, time_us);

  g_hash_table_replace (b->convs, g_strdup (label), conv);
  return conv;
}

static void
tcp_data (Builder      *b,
          Conv         *conv,
          int           from,
          const guint8 *data,
          gsize         len,
          gint64        time_us)
{
  guint since_ack = 0;

  for (gsize off = 0; off < len;)
    {
      gsize n = MIN (len - off, b->mss);
      gboolean last = off + n == len;

      tcp_segment (b, conv, from, TCP_ACK | (last ? TCP_PSH : 0), data + off, n, time_us);
      off += n;
      if (++since_ack == SEGMENTS_PER_ACK || last)
        {
          tcp_segment (b, conv, 1 - from, TCP_ACK, NULL, 0, time_us);
          since_ack = 0;
        }
    }
}

static gboolean
tcp_fin (Builder    *b,
         Conv       *conv,
         int         from,
         gint64      time_us,
         const char *comment)
{
  Packet *fin;

  if (conv->fin[from])
    return FALSE;
  fin = tcp_segment (b, conv, from, TCP_FIN | TCP_ACK, NULL, 0, time_us);
  comment_packet (fin, comment);
  conv->fin[from] = TRUE;
  tcp_segment (b, conv, 1 - from, TCP_ACK, NULL, 0, time_us);
  return TRUE;
}

static char *
event_comment (const SbExportRecord *record)
{
  gsize len;
  const char *text = g_bytes_get_data (record->data, &len);
  g_autofree char *message = len > 0 ? g_utf8_make_valid (text, len) : NULL;

  if (message != NULL && *message != '\0')
    return g_steal_pointer (&message);
  return g_strdup (sb_event_kind_to_string (record->event));
}

/* An event that made no packet of its own: a comment on the last packet of
 * its connection, else of the interface, else on the interface's next one. */
static void
comment_event (Builder    *b,
               Conv       *conv,
               const char *comment)
{
  if (conv != NULL && conv->last != NULL)
    comment_packet (conv->last, comment);
  else if (b->last != NULL)
    comment_packet (b->last, comment);
  else
    g_ptr_array_add (b->pending, g_strdup (comment));
}

static void
tcp_record (Builder              *b,
            const SbExportRecord *record)
{
  const char *label = record->peer;
  Conv *conv = g_hash_table_lookup (b->convs, label);
  g_autofree char *comment = NULL;

  if (record->direction == SB_DIRECTION_EVENT)
    {
      comment = event_comment (record);
      switch (record->event)
        {
        case SB_EVENT_CONNECTED:
          if (*label != '\0')
            {
              conv_open (b, label, record->time_us, comment);
              return;
            }
          break;
        case SB_EVENT_PEER_CLOSED:
          if (conv != NULL && tcp_fin (b, conv, REMOTE, record->time_us, comment))
            return;
          break;
        case SB_EVENT_HALF_CLOSED:
          if (conv != NULL && tcp_fin (b, conv, LOCAL, record->time_us, comment))
            return;
          break;
        case SB_EVENT_RESET:
          if (conv != NULL)
            {
              Packet *rst = tcp_segment (b, conv, REMOTE, TCP_RST | TCP_ACK, NULL, 0, record->time_us);

              comment_packet (rst, comment);
              g_hash_table_remove (b->convs, label);
              return;
            }
          break;
        case SB_EVENT_DISCONNECTED:
          if (conv != NULL)
            {
              if (!tcp_fin (b, conv, LOCAL, record->time_us, comment))
                comment_event (b, conv, comment);
              g_hash_table_remove (b->convs, label);
              return;
            }
          break;
        default:
          break;
        }
      comment_event (b, conv, comment);
      return;
    }

  if (conv == NULL)
    conv = conv_open (b, label, record->time_us, NULL);
  tcp_data (b, conv, record->direction == SB_DIRECTION_TX ? LOCAL : REMOTE,
            g_bytes_get_data (record->data, NULL), g_bytes_get_size (record->data),
            record->time_us);
}

static void
ip_datagram (Builder              *b,
             const SbExportRecord *record,
             gboolean              icmp)
{
  int from = record->direction == SB_DIRECTION_TX ? LOCAL : REMOTE;
  gsize len = g_bytes_get_size (record->data);
  const guint8 *data = g_bytes_get_data (record->data, NULL);
  g_autoptr(GByteArray) l4 = NULL;
  Endpoints ends;
  Packet *packet;

  endpoints_for (b, record->peer, &ends);
  len = MIN (len, IP_MAX_PAYLOAD);
  l4 = g_byte_array_sized_new (len + 8);
  if (icmp)
    {
      /* The message as recorded; its checksum is computed again (the
       * kernel fills in ICMPv6's and a ping socket its identifier). */
      g_byte_array_append (l4, data, len);
      if (len >= 4)
        {
          l4->data[2] = l4->data[3] = 0;
          packet = add_packet (b, record->time_us, direction_flags (from),
                               ip_packet (b, &ends, from, ends.v6 ? 58 : 1, l4, 2));
        }
      else
        packet = add_packet (b, record->time_us, direction_flags (from),
                             ip_packet (b, &ends, from, ends.v6 ? 58 : 1, l4, -1));
    }
  else
    {
      guint8 header[8] = { 0 };

      set_be16 (header, ends.port[from]);
      set_be16 (header + 2, ends.port[1 - from]);
      set_be16 (header + 4, 8 + len);
      g_byte_array_append (l4, header, 8);
      g_byte_array_append (l4, data, len);
      packet = add_packet (b, record->time_us, direction_flags (from),
                           ip_packet (b, &ends, from, 17, l4, 6));
    }
  if (len < g_bytes_get_size (record->data))
    comment_packet (packet, _("Sockbench: the datagram was longer than an IP packet holds; its end is left out"));
}

/* UNIX sockets: Wireshark's exported PDU, handed to its "data" dissector. */
static void
unix_record (Builder              *b,
             const SbExportRecord *record)
{
  static const char proto[8] = "data";
  gsize len = g_bytes_get_size (record->data);
  const guint8 *data = g_bytes_get_data (record->data, NULL);
  int from = record->direction == SB_DIRECTION_TX ? LOCAL : REMOTE;
  gsize off = 0;

  do
    {
      gsize n = MIN (len - off, UNIX_CHUNK);
      GByteArray *pdu = g_byte_array_sized_new (n + 16);
      guint8 tag[4];

      /* The name NUL-padded to a multiple of 4, its length the padded one. */
      set_be16 (tag, EXP_PDU_TAG_PROTO_NAME);
      set_be16 (tag + 2, sizeof proto);
      g_byte_array_append (pdu, tag, 4);
      g_byte_array_append (pdu, (const guint8 *) proto, sizeof proto);
      set_be16 (tag, EXP_PDU_TAG_END);
      set_be16 (tag + 2, 0);
      g_byte_array_append (pdu, tag, 4);
      g_byte_array_append (pdu, data + off, n);
      add_packet (b, record->time_us, direction_flags (from), pdu);
      off += n;
    }
  while (off < len);
}

static void
build_session (Builder               *b,
               const SbPcapngSession *session)
{
  gboolean is_tcp = session->kind == SB_KIND_TCP_CLIENT || session->kind == SB_KIND_TCP_SERVER;

  for (guint i = 0; i < session->records->len; i++)
    {
      const SbExportRecord *record = g_ptr_array_index (session->records, i);

      if (record->is_frame)
        continue;
      if (is_tcp)
        {
          tcp_record (b, record);
          continue;
        }
      if (record->direction == SB_DIRECTION_EVENT)
        {
          g_autofree char *comment = event_comment (record);

          comment_event (b, NULL, comment);
          continue;
        }
      if (sb_kind_is_unix (session->kind))
        unix_record (b, record);
      else
        ip_datagram (b, record, session->kind == SB_KIND_ICMP);
    }
}

static int
compare_packets (gconstpointer a,
                 gconstpointer b)
{
  const Packet *pa = *(Packet * const *) a;
  const Packet *pb = *(Packet * const *) b;

  if (pa->time_us != pb->time_us)
    return pa->time_us < pb->time_us ? -1 : 1;
  return pa->order < pb->order ? -1 : pa->order > pb->order;
}

static const char *
kind_description (SbKind kind)
{
  if (sb_kind_is_unix (kind))
    return "Sockbench session: UNIX socket payloads (exported PDU, data)";
  if (kind == SB_KIND_TCP_CLIENT || kind == SB_KIND_TCP_SERVER)
    return "Sockbench session: recorded TCP payloads, synthesized IP and TCP headers";
  return "Sockbench session: recorded payloads, synthesized IP headers";
}

static void
write_idb (GByteArray            *out,
           const SbPcapngSession *session,
           GPtrArray             *orphans)
{
  guint start = block_begin (out, BLOCK_IDB);

  put_le16 (out, sb_kind_is_unix (session->kind) ? LINKTYPE_UPPER_PDU : LINKTYPE_ETHERNET);
  put_le16 (out, 0);
  put_le32 (out, 0);   /* no snapshot length limit */
  put_string_option (out, OPT_IF_NAME, session->name);
  put_string_option (out, OPT_IF_DESC, kind_description (session->kind));
  for (guint i = 0; orphans != NULL && i < orphans->len; i++)
    put_string_option (out, OPT_COMMENT, g_ptr_array_index (orphans, i));
  put_option (out, OPT_END, NULL, 0);
  block_end (out, start);
}

static void
write_epb (GByteArray   *out,
           const Packet *packet)
{
  guint start = block_begin (out, BLOCK_EPB);
  guint64 ts = (guint64) MAX (packet->time_us, 0);
  guint8 flags[4];

  put_le32 (out, packet->iface);
  put_le32 (out, ts >> 32);
  put_le32 (out, ts & 0xffffffff);
  put_le32 (out, packet->data->len);
  put_le32 (out, packet->data->len);
  g_byte_array_append (out, packet->data->data, packet->data->len);
  pad4 (out);
  for (guint i = 0; packet->comments != NULL && i < packet->comments->len; i++)
    put_string_option (out, OPT_COMMENT, g_ptr_array_index (packet->comments, i));
  flags[0] = packet->flags & 0xff;
  flags[1] = flags[2] = flags[3] = 0;
  put_option (out, OPT_EPB_FLAGS, flags, 4);
  put_option (out, OPT_END, NULL, 0);
  block_end (out, start);
}

GBytes *
sb_pcapng_build (GPtrArray *sessions,
                 guint      mss)
{
  g_autoptr(GPtrArray) packets = g_ptr_array_new_with_free_func ((GDestroyNotify) packet_free);
  g_autoptr(GPtrArray) orphans = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GByteArray *out = g_byte_array_new ();
  guint start;

  g_return_val_if_fail (sessions != NULL, NULL);

  if (mss == 0)
    mss = SB_PCAPNG_DEFAULT_MSS;
  mss = CLAMP (mss, 64, 65495);

  for (guint i = 0; i < sessions->len; i++)
    {
      Builder b = { 0 };

      b.session = g_ptr_array_index (sessions, i);
      b.iface = i;
      b.mss = mss;
      b.packets = packets;
      b.pending = g_ptr_array_new_with_free_func (g_free);
      b.convs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      build_session (&b, b.session);
      /* Events after the last packet were put on it; those of an
       * interface with no packet at all go on the interface. */
      g_ptr_array_add (orphans, b.pending);
      g_hash_table_unref (b.convs);
    }
  g_ptr_array_sort (packets, compare_packets);

  start = block_begin (out, BLOCK_SHB);
  put_le32 (out, 0x1A2B3C4D);
  put_le16 (out, 1);
  put_le16 (out, 0);
  put_le32 (out, 0xffffffff);   /* section length: not given */
  put_le32 (out, 0xffffffff);
  put_string_option (out, OPT_SHB_APP, "Sockbench " PACKAGE_VERSION);
  put_option (out, OPT_END, NULL, 0);
  block_end (out, start);

  for (guint i = 0; i < sessions->len; i++)
    write_idb (out, g_ptr_array_index (sessions, i), g_ptr_array_index (orphans, i));
  for (guint i = 0; i < packets->len; i++)
    write_epb (out, g_ptr_array_index (packets, i));

  return g_byte_array_free_to_bytes (out);
}

gboolean
sb_pcapng_write_file (GFile      *file,
                      GPtrArray  *sessions,
                      GError    **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (sessions != NULL, FALSE);

  bytes = sb_pcapng_build (sessions, 0);
  return sb_export_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      !sb_pcapng_write_file (G_FILE (source_object), task_data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
sb_pcapng_write_async (GFile              *file,
                       GPtrArray          *sessions,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (sessions != NULL);

  task = g_task_new (file, cancellable, callback, user_data);
  g_task_set_source_tag (task, sb_pcapng_write_async);
  g_task_set_task_data (task, g_ptr_array_ref (sessions), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, write_thread);
}

gboolean
sb_pcapng_write_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sb_pcapng_write_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
