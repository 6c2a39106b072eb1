/* sb-python-export-private.h — what the parts of sb-python-export share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-codec.h"
#include "sb-python-export.h"
#include "sb-template.h"

G_BEGIN_DECLS

/*
 * The script is built from our own constant text plus literals. Anything
 * that came from the network or the user (payloads, patterns, replies,
 * hosts, paths, peer labels) goes through append_py_bytes() or
 * append_py_str(), which write printable ASCII only, so it cannot end a
 * literal, a line or a comment. Comments hold translated text only, one
 * line each, without control characters.
 */

/* Bytes of payload per literal piece; long messages are split over lines. */
#define PIECE_WIDTH 64
/* recvfrom() size: the most a Sockbench datagram socket reads, too. */
#define DATAGRAM_BUFFER 65536
/* settimeout() of every socket that waits for the peer during a replay. */
#define WAIT_SECONDS 10

typedef enum
{
  STEP_SEND,
  STEP_RECV,
  STEP_SHUTDOWN,   /* shutdown(SHUT_WR): we are done sending */
  STEP_EOF,        /* the peer is done sending: recv() returns b'' */
  STEP_RESET,      /* the connection was reset here; a comment only */
} StepKind;

typedef struct
{
  StepKind      kind;
  const guint8 *data;   /* borrowed from the history (valid during the export) */
  gsize         len;
} Step;

typedef struct
{
  gboolean     unix_family;
  gboolean     stream;
  gboolean     server;       /* the script listens (stream) or waits for the first datagram */
  gboolean     this_side;

  /* The server's address, for both roles. */
  char        *host;
  guint16      port;
  char        *path;

  /* Datagram clients: bind before sending. No bind_path with bind:
   * let Linux choose a name (autobind), so replies can come back. */
  gboolean     bind;
  char        *bind_host;
  guint16      bind_port;
  char        *bind_path;

  /* Datagram servers whose first step is a send: where it goes. */
  gboolean     have_first;
  char        *first_host;
  guint16      first_port;
  char        *first_path;

  GArray      *steps;         /* Step */
  gboolean     has_peer;      /* someone was there (stream servers accept one) */
  guint64      n_dropped;
  const char  *codec;         /* Python codec for the received text; NULL: hex */
  SbAutoReply *rules;         /* this side of a server with rules: a loop server */

  /* TLS (ssl module) over the stream; the options of this side's session,
   * NULL for the other side's script (it gets its own by arguments). */
  gboolean            tls;
  const SbTlsOptions *tls_options;
} Plan;

typedef struct
{
  GString *out;
  guint    indent;   /* levels of four spaces */
} Emitter;

/* sb-python-export.c */
/* Sets *@codec to the Python codec for @encoding (NULL for "hex"); FALSE
 * with @error when Python has none. */
gboolean _sb_py_codec            (const char   *encoding,
                                  const char  **codec,
                                  GError      **error);

/* sb-python-export-emit.c: literals and lines */
void     _sb_py_append_bytes     (GString      *out,
                                  const guint8 *data,
                                  gsize         len);
void     _sb_py_append_str       (GString      *out,
                                  const char   *text);
void     _sb_py_start_line       (Emitter      *e);
void     _sb_py_line             (Emitter      *e,
                                  const char   *code);
void     _sb_py_linef            (Emitter      *e,
                                  const char   *format,
                                  ...) G_GNUC_PRINTF (2, 3);
void     _sb_py_blank            (Emitter      *e);
void     _sb_py_comment          (Emitter      *e,
                                  const char   *text);
void     _sb_py_commentf         (Emitter      *e,
                                  const char   *format,
                                  ...) G_GNUC_PRINTF (2, 3);
void     _sb_py_bytes_call       (Emitter      *e,
                                  const char   *call,
                                  const guint8 *data,
                                  gsize         len,
                                  const char   *extra);

/* sb-python-export-script.c: the parts of the script */
void     _sb_py_emit_header      (Emitter      *e,
                                  const Plan   *plan);
void     _sb_py_emit_helpers     (Emitter      *e,
                                  const Plan   *plan);
gboolean _sb_py_emit_rules       (Emitter      *e,
                                  const Plan   *plan,
                                  GError      **error);
void     _sb_py_emit_arguments   (Emitter      *e,
                                  const Plan   *plan);
void     _sb_py_emit_socket      (Emitter      *e,
                                  const Plan   *plan);
void     _sb_py_emit_replay      (Emitter      *e,
                                  const Plan   *plan);
void     _sb_py_emit_loop_server (Emitter      *e,
                                  const Plan   *plan);

/* sb-python-export-tls.c: TLS through the ssl module */
/* --cert, --key, --ca (--insecure for clients), defaults from this side. */
void     _sb_py_emit_tls_arguments (Emitter    *e,
                                    const Plan *plan);
/* ctx: the ssl.SSLContext of the script's side, ALPN as the session offered. */
void     _sb_py_emit_tls_context   (Emitter    *e,
                                    const Plan *plan);
/* After accept(): conn = ctx.wrap_socket(…), which does the handshake. */
void     _sb_py_emit_tls_accept    (Emitter    *e,
                                    const Plan *plan);

/* sb-python-export-template.c: template replies computed by the script */
/* TRUE when the rules have a template reply that changes per message. */
gboolean _sb_py_rules_have_templates (SbAutoReply           *rules);
void     _sb_py_emit_template_helpers (Emitter              *e);
/* Writes reply_N(data, match) for rule @index (0-based), or FALSE with an
 * error naming the rule and what the script cannot compute. */
gboolean _sb_py_emit_template_reply (Emitter                *e,
                                     const SbAutoReplyRule  *rule,
                                     SbTemplate             *tmpl,
                                     guint                   index,
                                     GError                **error);

G_END_DECLS
