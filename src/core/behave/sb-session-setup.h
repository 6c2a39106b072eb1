/* sb-session-setup.h — everything that describes one page, and its preset group
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sb-address.h"
#include "sb-responder.h"
#include "sb-view-mode.h"

G_BEGIN_DECLS

/*
 * A setup is what a page is, without the page: the session spec, the
 * encoding and view mode of its history, its auto-reply rules (an
 * SbResponder), where received data is captured, and the send draft with its
 * options. The window's pages bind to one; the headless runner builds its
 * sessions from them. One setup reads and writes one key file group:
 *
 *   URI=tcp-listen://127.0.0.1:0       the session spec (required)
 *   encoding=UTF-8                     the history's encoding
 *   view-mode=text                     text, hex or both
 *   capture-file=/path                 append received bytes here (optional)
 *   send-text=hello\n                  the send draft
 *   send-mode=text                     text or hex
 *   send-escapes=true                  read \r \n \t \\ \0 \xNN in the draft
 *   send-line-end=0                    0 none, 1 LF, 2 CRLF, 3 CR
 *   send-encoding=                     empty: the same as the history
 *   send-repeat-ms=1000
 *   send-repeat-count=0
 *   send-recent=a;b;                   recently sent texts
 *   framing=len:2:be                   how reads become messages (sb-framer.h)
 *   check=crc-16/modbus                checksum each received frame must carry
 *   templates=true                     the draft and the replies are templates
 *   reconnect=true                     a stream client connects again by itself
 *                                        (sb-stream-client.h; written only when on)
 *   snippet-0=…                        named saved messages, as the send
 *   snippet-1=…                          panel writes them (opaque here)
 *   auto-reply-0=trigger;pattern;reply;encoding;text|hex;close|keep
 *   auto-reply-1=…
 *   scenario=test("x", …)            the scenario pane's Lua script (optional)
 *   relay=delay=c2s:100±20;rewrite=c2s:GET=HEAD;   relays: faults and rewrite
 *                                        rules (sb-relay.h options; optional)
 *   tls-self-signed=-----BEGIN CERTIFICATE-----\n…   a self-signed TLS/DTLS
 *                                        server's certificate and key, PEM, made
 *                                        once and kept (sb-setup-identity.h)
 *
 * Every key but URI is optional and keeps its default when missing, so
 * presets written before a key existed still open.
 *
 * Properties (all notify explicitly): "spec" (boxed SbSessionSpec),
 * "encoding", "view-mode", "responder" (read-only, owned), "capture-file"
 * (nullable path), "send-text", "send-hex", "send-escapes", "send-line-end",
 * "send-encoding", "send-repeat-ms", "send-repeat-count", "send-recent",
 * "framing" (a framer spec, canonical; "none" by default), "check" (a check
 * spec, canonical; "" for none), "templates" (boolean),
 * "snippets" (a string array, one string a snippet), "reconnect"
 * (boolean: the stream client's "reconnect"), "scenario" (the scenario
 * pane's script, "" for none), "relay" (a string array of relay options,
 * sb-relay.h). Setting "framing"
 * or "check" through g_object_set() with an invalid spec is a programming
 * error: editors use the setters, which report it.
 *
 * Main thread only.
 */

#define SB_SESSION_SETUP_N_LINE_ENDS 4

#define SB_TYPE_SESSION_SETUP (sb_session_setup_get_type ())
G_DECLARE_FINAL_TYPE (SbSessionSetup, sb_session_setup, SB, SESSION_SETUP, GObject)

/* Returns a setup for @spec (NULL: a TCP server on 127.0.0.1, port 0). */
SbSessionSetup      *sb_session_setup_new               (const SbSessionSpec *spec);
/* Returns the setup of @group, or NULL with @error (which names the group). */
SbSessionSetup      *sb_session_setup_new_from_keyfile  (GKeyFile            *keyfile,
                                                         const char          *group,
                                                         GError             **error);

/* Reads @group: every value is checked first, and on failure nothing changes. */
gboolean             sb_session_setup_load              (SbSessionSetup      *self,
                                                         GKeyFile            *keyfile,
                                                         const char          *group,
                                                         GError             **error);
/* Writes every key of @group (auto-reply keys of removed rules are dropped). */
void                 sb_session_setup_save              (SbSessionSetup      *self,
                                                         GKeyFile            *keyfile,
                                                         const char          *group);
/* The send-* keys alone, for editors that keep their draft as keys. */
void                 sb_session_setup_load_draft        (SbSessionSetup      *self,
                                                         GKeyFile            *keyfile,
                                                         const char          *group);
void                 sb_session_setup_save_draft        (SbSessionSetup      *self,
                                                         GKeyFile            *keyfile,
                                                         const char          *group);

/* Borrowed. */
const SbSessionSpec *sb_session_setup_get_spec          (SbSessionSetup      *self);
void                 sb_session_setup_set_spec          (SbSessionSetup      *self,
                                                         const SbSessionSpec *spec);
const char          *sb_session_setup_get_encoding      (SbSessionSetup      *self);
/* @encoding must be one sb_codec_canonical_name() knows; "hex" sets the
 * view mode to SB_VIEW_MODE_HEX instead, as the history view does. */
void                 sb_session_setup_set_encoding      (SbSessionSetup      *self,
                                                         const char          *encoding);
SbViewMode           sb_session_setup_get_view_mode     (SbSessionSetup      *self);
void                 sb_session_setup_set_view_mode     (SbSessionSetup      *self,
                                                         SbViewMode           mode);
/* The rules. Borrowed; lives as long as the setup. */
SbResponder         *sb_session_setup_get_responder     (SbSessionSetup      *self);
/* The capture path, or NULL. Borrowed. */
const char          *sb_session_setup_get_capture_file  (SbSessionSetup      *self);
void                 sb_session_setup_set_capture_file  (SbSessionSetup      *self,
                                                         const char          *path);
const char          *sb_session_setup_get_send_text     (SbSessionSetup      *self);
void                 sb_session_setup_set_send_text     (SbSessionSetup      *self,
                                                         const char          *text);
gboolean             sb_session_setup_get_send_hex      (SbSessionSetup      *self);
void                 sb_session_setup_set_send_hex      (SbSessionSetup      *self,
                                                         gboolean             hex);

/* The framer spec (sb-framer.h), canonical: never NULL, "none" by default. */
const char          *sb_session_setup_get_framing      (SbSessionSetup      *self);
/* NULL or "" means "none". On an invalid spec nothing changes. */
gboolean             sb_session_setup_set_framing      (SbSessionSetup      *self,
                                                        const char          *spec,
                                                        GError             **error);
/* The check spec (sb-checksum.h), canonical; "" when frames are not checked. */
const char          *sb_session_setup_get_check        (SbSessionSetup      *self);
gboolean             sb_session_setup_set_check        (SbSessionSetup      *self,
                                                        const char          *spec,
                                                        GError             **error);
/* Whether the send draft and the rules' replies are templates (sb-template.h). */
gboolean             sb_session_setup_get_templates    (SbSessionSetup      *self);
void                 sb_session_setup_set_templates    (SbSessionSetup      *self,
                                                        gboolean             templates);
/* Whether a stream client reconnects by itself (off by default). */
gboolean             sb_session_setup_get_reconnect    (SbSessionSetup      *self);
void                 sb_session_setup_set_reconnect    (SbSessionSetup      *self,
                                                        gboolean             reconnect);

/* Relays: faults and rewrite rules as options ("delay=c2s:100", …; see
 * sb-relay.h); empty for none. Borrowed. Setting checks every option and
 * changes nothing when one is wrong. */
const char * const  *sb_session_setup_get_relay        (SbSessionSetup      *self);
gboolean             sb_session_setup_set_relay        (SbSessionSetup      *self,
                                                         const char * const  *options,
                                                         GError             **error);
/* The scenario pane's script (Lua); "" for none. Borrowed. */
const char          *sb_session_setup_get_scenario     (SbSessionSetup      *self);
void                 sb_session_setup_set_scenario     (SbSessionSetup      *self,
                                                        const char          *text);

G_END_DECLS
