/* sb-relay.h — a session between a client and a server: both directions
 * recorded, faults on purpose, intercept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-session.h"

G_BEGIN_DECLS

/*
 * A relay listens (relay://, relay-udp://, relay-unix://), opens one
 * upstream connection per client (UDP: one upstream socket per client
 * address) and forwards both ways.
 *
 * The history, per pair of connections: the peer is the client. Its rx
 * records are what the client sent (client → server) and its tx records
 * what the server sent (server → client), each recorded as it was read,
 * before any fault: the history holds what each side really said. What the
 * relay did to the bytes on their way (a delay, a drop, a split, an
 * edit…) is an SB_EVENT_FAULT event of the same peer, so nothing looks like
 * the peer did it. A CONNECTED event names both legs; the peer's EOF, our
 * half-close towards the other side and resets are events of that peer
 * saying which side did what.
 *
 * relay-tls:// ends each client's TLS here (its certificate: cert= or one
 * made at start) and opens TLS upstream (checked against ca=, or the
 * system's authorities; sni=, insecure=1). The pipes start once both
 * handshakes are done and carry plaintext: the history, faults, intercept
 * and rewrites see what the applications said. Each handshake leaves its
 * events (sb-tls.h), the TLS summary saying "With the client: …" or "With
 * the server: …"; an EOF goes on as close_notify, then a shutdown.
 */

typedef enum
{
  SB_RELAY_TO_SERVER,   /* client → server */
  SB_RELAY_TO_CLIENT,   /* server → client */
  SB_RELAY_N_DIRECTIONS
} SbRelayDirection;

/* Faults of one direction. All zero: forward as read. */
typedef struct
{
  guint    delay_ms;       /* added to every write */
  guint    jitter_ms;      /* ± this much, uniform; order is kept */
  guint64  rate;           /* bytes per second, 0: no cap */
  double   loss;           /* datagram relays: percent of datagrams dropped */
  gsize    split;          /* write in pieces of this many bytes, 0: off */
  guint    split_gap_ms;   /* between the pieces of a split write */
  guint    join_ms;        /* gather what is read within this long into one write */
  double   corrupt;        /* percent of writes with one byte changed */
  gboolean silent;         /* hold the connection open but forward nothing */
  guint64  reset_after;    /* streams: reset both legs after this many bytes, 0: never */
} SbRelayFaults;

/* The gap between split pieces when none is given. */
#define SB_RELAY_DEFAULT_SPLIT_GAP_MS 10

/*
 * Fault options as the command line and presets write them; each value
 * may start with "c2s:" or "s2c:" for one direction (*@which), else both:
 *   delay=MS[±JITTER]    (also MS+-JITTER)   added delay, with jitter
 *   loss=PERCENT         datagrams dropped (0–100, decimals allowed, "%" optional)
 *   split=BYTES[/MS]     pieces of BYTES, MS apart (default 10)
 *   join=MS              what arrives within MS goes out as one write
 *   rate=BYTES[k|M]      bytes per second (k = 1,000, M = 1,000,000)
 *   corrupt=PERCENT      writes with one byte changed
 *   silent=on|off        hold open, forward nothing
 *   reset-after=BYTES    reset both legs after BYTES in that direction
 *   off                  (as a value of any option: that fault off)
 * *@which is SB_RELAY_N_DIRECTIONS for both. The error names the option and
 * says how to write it.
 */
gboolean    sb_relay_faults_parse        (SbRelayFaults     *faults,
                                          const char        *name,
                                          const char        *value,
                                          SbRelayDirection  *which,
                                          GError           **error);
/* Returns what @faults do, for people ("delay 100 ms ±10 ms, split 4 B"),
 * or "none". Newly allocated. */
char       *sb_relay_faults_describe     (const SbRelayFaults *faults);
/* "client → server" / "server → client", translated. */
const char *sb_relay_direction_get_label (SbRelayDirection   direction);

/* Sets the faults of one direction for every pair, now and for new ones;
 * recorded as an event. Fails for a session that is not a relay, and for
 * loss on a stream relay or reset-after on a datagram relay. */
gboolean    sb_session_relay_set_faults  (SbSession           *session,
                                          SbRelayDirection     direction,
                                          const SbRelayFaults *faults,
                                          GError             **error);
gboolean    sb_session_relay_get_faults  (SbSession           *session,
                                          SbRelayDirection     direction,
                                          SbRelayFaults       *faults);
/* Seeds the random choices (jitter, loss, corruption) so a run repeats. */
void        sb_session_relay_set_seed    (SbSession           *session,
                                          guint32              seed);

/* Intercept: while on, each read in @direction (a datagram, or what one
 * read of a stream returned) is held before any fault, reading that
 * direction stops, and an event says so. Turning it off forwards what is
 * held. */
gboolean    sb_session_relay_set_intercept (SbSession         *session,
                                            SbRelayDirection   direction,
                                            gboolean           intercept,
                                            GError           **error);
gboolean    sb_session_relay_get_intercept (SbSession         *session,
                                            SbRelayDirection   direction);
/* The bytes held for @peer in @direction, or NULL. */
GBytes     *sb_session_relay_dup_held    (SbSession           *session,
                                          SbPeer              *peer,
                                          SbRelayDirection     direction);
/* Lets the held bytes go: @replacement (NULL: as they were) goes on
 * through the faults, or nothing when @drop. Recorded as an event (an edit
 * shows the bytes sent instead). Reading resumes, and the next read is
 * held again while intercept is on. */
gboolean    sb_session_relay_release     (SbSession           *session,
                                          SbPeer              *peer,
                                          SbRelayDirection     direction,
                                          GBytes              *replacement,
                                          gboolean             drop,
                                          GError             **error);

/* Rules that rewrite in passing: every occurrence of @match in a read of
 * @direction (a datagram, or what one read of a stream returned: a match
 * cut across two reads is not seen) is replaced by @replace, before
 * intercept and the faults; each rewrite applied is an event. Rules apply
 * in the order they were added. */
gboolean    sb_session_relay_add_rewrite (SbSession         *session,
                                          SbRelayDirection   direction,
                                          GBytes            *match,
                                          GBytes            *replace,
                                          GError           **error);
void        sb_session_relay_clear_rewrites (SbSession      *session,
                                             SbRelayDirection direction);

/* A rewrite rule as its option gives it: "[c2s:|s2c:]FROM=TO". */
typedef struct
{
  SbRelayDirection  direction;   /* SB_RELAY_N_DIRECTIONS: both */
  GBytes           *match;
  GBytes           *replace;
  char             *text;        /* the option's value, as written */
} SbRelayRule;

/* Faults and rules of both directions, read from option strings as the
 * command line and presets write them ("delay=c2s:100±20", "loss=5",
 * "rewrite=s2c:ok=OK"; the values as sb_relay_faults_parse() reads them)
 * and written back the same way. */
typedef struct
{
  SbRelayFaults  faults[SB_RELAY_N_DIRECTIONS];
  GPtrArray     *rules;          /* SbRelayRule* */
} SbRelayOptions;

SbRelayOptions *sb_relay_options_new      (void);
void            sb_relay_options_free     (SbRelayOptions      *self);
/* Adds one option "NAME=VALUE"; the error says what is wrong with it. */
gboolean        sb_relay_options_add      (SbRelayOptions      *self,
                                           const char          *option,
                                           GError             **error);
gboolean        sb_relay_options_add_all  (SbRelayOptions      *self,
                                           const char * const  *options,
                                           GError             **error);
/* Newly allocated; sb_relay_options_add_all() reads it back to the same. */
GStrv           sb_relay_options_to_strv  (const SbRelayOptions *self);
/* Sets both directions' faults and rules of @session to @options. */
gboolean        sb_session_relay_apply_options (SbSession             *session,
                                                const SbRelayOptions  *options,
                                                GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SbRelayOptions, sb_relay_options_free)

#define SB_TYPE_RELAY (sb_relay_get_type ())
G_DECLARE_FINAL_TYPE (SbRelay, sb_relay, SB, RELAY, SbSession)

G_END_DECLS
