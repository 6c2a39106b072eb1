/* sb-relay-control.c — a relay's faults and intercept, set from outside
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-relay"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "sb-relay-private.h"

/* Engine thread only, but for the public calls, which go there from the
 * owner's thread. */

/* Printable ASCII as it is, anything else as \xNN: an edit shown in an event. */
static char *
escape_bytes (GBytes *bytes,
              gsize   max)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < MIN (len, max); i++)
    {
      if (data[i] >= 0x20 && data[i] < 0x7f && data[i] != '\\')
        g_string_append_c (out, data[i]);
      else
        g_string_append_printf (out, "\\x%02X", data[i]);
    }
  if (len > max)
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

/* Public API */

static SbRelay *
relay_of (SbSession  *session,
          GError    **error)
{
  if (SB_IS_RELAY (session))
    return SB_RELAY (session);

  g_set_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED,
               _("Only relay sessions have faults and intercept"));
  return NULL;
}

/* Calls from the owner's thread run on the engine's (sb-session-owner.c). */
typedef enum
{
  RELAY_SET_FAULTS,
  RELAY_GET_FAULTS,
  RELAY_SET_SEED,
  RELAY_SET_INTERCEPT,
  RELAY_GET_INTERCEPT,
  RELAY_DUP_HELD,
  RELAY_RELEASE,
  RELAY_ADD_REWRITE,
  RELAY_CLEAR_REWRITES,
} RelayOpKind;

typedef struct
{
  RelayOpKind          kind;
  SbSession           *session;
  SbRelayDirection     direction;
  const SbRelayFaults *faults_in;
  SbRelayFaults       *faults_out;
  guint32              seed;
  gboolean             flag;
  SbPeer              *peer;
  GBytes              *bytes;
  GBytes              *bytes2;
  GError             **error;
  gboolean             ok;
  GBytes              *result;
} RelayOp;

static void
run_relay_op (gpointer data,
              gpointer unused)
{
  RelayOp *op = data;

  switch (op->kind)
    {
    case RELAY_SET_FAULTS:
      op->ok = sb_session_relay_set_faults (op->session, op->direction, op->faults_in, op->error);
      break;
    case RELAY_GET_FAULTS:
      op->ok = sb_session_relay_get_faults (op->session, op->direction, op->faults_out);
      break;
    case RELAY_SET_SEED:
      sb_session_relay_set_seed (op->session, op->seed);
      break;
    case RELAY_SET_INTERCEPT:
      op->ok = sb_session_relay_set_intercept (op->session, op->direction, op->flag, op->error);
      break;
    case RELAY_GET_INTERCEPT:
      op->ok = sb_session_relay_get_intercept (op->session, op->direction);
      break;
    case RELAY_DUP_HELD:
      op->result = sb_session_relay_dup_held (op->session, op->peer, op->direction);
      break;
    case RELAY_RELEASE:
      op->ok = sb_session_relay_release (op->session, op->peer, op->direction, op->bytes, op->flag, op->error);
      break;
    case RELAY_ADD_REWRITE:
      op->ok = sb_session_relay_add_rewrite (op->session, op->direction, op->bytes, op->bytes2, op->error);
      break;
    case RELAY_CLEAR_REWRITES:
      sb_session_relay_clear_rewrites (op->session, op->direction);
      break;
    default:
      g_assert_not_reached ();
    }
}

#define ON_ENGINE(ret, ...) \
  G_STMT_START { \
    RelayOp op = { __VA_ARGS__ }; \
    if (_sb_session_call (session, run_relay_op, &op)) \
      return ret; \
  } G_STMT_END

/* Getters: no announcement from inside them. */
#define PEEK_ON_ENGINE(ret, ...) \
  G_STMT_START { \
    RelayOp op = { __VA_ARGS__ }; \
    if (_sb_session_peek (session, run_relay_op, &op)) \
      return ret; \
  } G_STMT_END

gboolean
sb_session_relay_set_faults (SbSession           *session,
                             SbRelayDirection     direction,
                             const SbRelayFaults *faults,
                             GError             **error)
{
  SbRelay *self;
  SbRelayFaults wanted;
  g_autofree char *text = NULL;

  g_return_val_if_fail (SB_IS_SESSION (session), FALSE);

  ON_ENGINE (op.ok, .kind = RELAY_SET_FAULTS, .session = session, .direction = direction,
             .faults_in = faults, .error = error);
  g_return_val_if_fail (direction < SB_RELAY_N_DIRECTIONS, FALSE);
  g_return_val_if_fail (faults != NULL, FALSE);

  if ((self = relay_of (session, error)) == NULL)
    return FALSE;

  if (faults->loss > 0 && !_sb_relay_is_datagram (self))
    {
      g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED,
                           _("Only a datagram relay drops datagrams: a stream has none to drop (try corrupt, split or reset-after)"));
      return FALSE;
    }
  if (faults->reset_after > 0 && _sb_relay_is_datagram (self))
    {
      g_set_error_literal (error, SB_SESSION_ERROR, SB_SESSION_ERROR_UNSUPPORTED,
                           _("Only a stream relay can reset after some bytes: datagrams have no connection to reset"));
      return FALSE;
    }

  /* The gap of a split that is off means nothing. */
  wanted = *faults;
  if (wanted.split == 0)
    wanted.split_gap_ms = 0;
  if (memcmp (&self->faults[direction], &wanted, sizeof wanted) == 0)
    return TRUE;

  self->faults[direction] = wanted;
  text = sb_relay_faults_describe (&wanted);
  /* Translators: a direction ("client → server") and its faults. */
  _sb_session_event (session, NULL, SB_EVENT_FAULT, _("Faults %s from now on: %s"),
                     sb_relay_direction_get_label (direction), text);

  for (guint i = self->pairs->len; i > 0; i--)
    {
      SbRelayPair *pair = g_ptr_array_index (self->pairs, i - 1);

      _sb_relay_pipe_faults_changed (&pair->pipes[direction]);
    }

  return TRUE;
}

gboolean
sb_session_relay_get_faults (SbSession        *session,
                             SbRelayDirection  direction,
                             SbRelayFaults    *faults)
{
  g_return_val_if_fail (SB_IS_SESSION (session), FALSE);
  g_return_val_if_fail (direction < SB_RELAY_N_DIRECTIONS, FALSE);
  g_return_val_if_fail (faults != NULL, FALSE);

  PEEK_ON_ENGINE (op.ok, .kind = RELAY_GET_FAULTS, .session = session, .direction = direction,
             .faults_out = faults);

  if (!SB_IS_RELAY (session))
    return FALSE;

  *faults = SB_RELAY (session)->faults[direction];
  return TRUE;
}

void
sb_session_relay_set_seed (SbSession *session,
                           guint32    seed)
{
  g_return_if_fail (SB_IS_RELAY (session));

  ON_ENGINE (, .kind = RELAY_SET_SEED, .session = session, .seed = seed);

  g_rand_set_seed (SB_RELAY (session)->rand, seed);
}

gboolean
sb_session_relay_set_intercept (SbSession         *session,
                                SbRelayDirection   direction,
                                gboolean           intercept,
                                GError           **error)
{
  SbRelay *self;

  g_return_val_if_fail (SB_IS_SESSION (session), FALSE);
  g_return_val_if_fail (direction < SB_RELAY_N_DIRECTIONS, FALSE);

  ON_ENGINE (op.ok, .kind = RELAY_SET_INTERCEPT, .session = session, .direction = direction,
             .flag = intercept, .error = error);

  if ((self = relay_of (session, error)) == NULL)
    return FALSE;

  intercept = !!intercept;
  if (self->intercept[direction] == intercept)
    return TRUE;

  self->intercept[direction] = intercept;
  _sb_session_event (session, NULL, SB_EVENT_FAULT,
                     intercept ? _("Intercept %s: on (each read waits to be forwarded, edited or dropped)")
                               : _("Intercept %s: off"),
                     sb_relay_direction_get_label (direction));

  if (!intercept)
    {
      for (guint i = self->pairs->len; i > 0; i--)
        {
          SbRelayPair *pair = g_ptr_array_index (self->pairs, i - 1);

          if (pair->pipes[direction].held != NULL)
            sb_session_relay_release (session, pair->peer, direction, NULL, FALSE, NULL);
        }
    }

  return TRUE;
}

gboolean
sb_session_relay_get_intercept (SbSession        *session,
                                SbRelayDirection  direction)
{
  g_return_val_if_fail (SB_IS_SESSION (session), FALSE);
  g_return_val_if_fail (direction < SB_RELAY_N_DIRECTIONS, FALSE);

  PEEK_ON_ENGINE (op.ok, .kind = RELAY_GET_INTERCEPT, .session = session, .direction = direction);

  return SB_IS_RELAY (session) && SB_RELAY (session)->intercept[direction];
}

GBytes *
sb_session_relay_dup_held (SbSession        *session,
                           SbPeer           *peer,
                           SbRelayDirection  direction)
{
  SbRelayPair *pair;

  g_return_val_if_fail (SB_IS_SESSION (session), NULL);
  g_return_val_if_fail (direction < SB_RELAY_N_DIRECTIONS, NULL);

  PEEK_ON_ENGINE (op.result, .kind = RELAY_DUP_HELD, .session = session, .peer = peer, .direction = direction);

  if (!SB_IS_RELAY (session) || (pair = _sb_relay_find_pair (SB_RELAY (session), peer)) == NULL)
    return NULL;

  return pair->pipes[direction].held ? g_bytes_ref (pair->pipes[direction].held) : NULL;
}

gboolean
sb_session_relay_release (SbSession         *session,
                          SbPeer            *peer,
                          SbRelayDirection   direction,
                          GBytes            *replacement,
                          gboolean           drop,
                          GError           **error)
{
  SbRelay *self;
  SbRelayPair *pair;
  SbRelayPipe *pipe;
  g_autoptr(GBytes) held = NULL;
  gsize len;

  g_return_val_if_fail (SB_IS_SESSION (session), FALSE);
  g_return_val_if_fail (direction < SB_RELAY_N_DIRECTIONS, FALSE);

  ON_ENGINE (op.ok, .kind = RELAY_RELEASE, .session = session, .peer = peer, .direction = direction,
             .bytes = replacement, .flag = drop, .error = error);

  if ((self = relay_of (session, error)) == NULL)
    return FALSE;

  pair = peer != NULL ? _sb_relay_find_pair (self, peer) : NULL;
  if (pair == NULL || pair->pipes[direction].held == NULL)
    {
      g_set_error (error, SB_SESSION_ERROR, SB_SESSION_ERROR_NOT_READY,
                   _("Nothing is held %s for %s"), sb_relay_direction_get_label (direction),
                   peer != NULL ? sb_peer_get_label (peer) : "?");
      return FALSE;
    }

  pipe = &pair->pipes[direction];
  held = g_steal_pointer (&pipe->held);
  len = g_bytes_get_size (held);
  pipe->queued -= len;

  if (drop)
    {
      _sb_relay_fault_event (pair, direction, _("Dropped %" PRIu64 " intercepted bytes"), (guint64) len);
    }
  else if (replacement != NULL && !g_bytes_equal (replacement, held))
    {
      gsize size = g_bytes_get_size (replacement);
      g_autofree char *shown = escape_bytes (replacement, 256);

      _sb_relay_fault_event (pair, direction,
                             _("Forwarded an edit: %" PRIu64 " bytes instead of %" PRIu64 ": “%s”"),
                             (guint64) size, (guint64) len, shown);
      _sb_relay_pipe_forward (pipe, replacement);
    }
  else
    {
      _sb_relay_fault_event (pair, direction, _("Forwarded %" PRIu64 " intercepted bytes"), (guint64) len);
      _sb_relay_pipe_forward (pipe, held);
    }

  if (!pair->closed)
    _sb_relay_pipe_update_reading (pipe);
  return TRUE;
}

/* Rewrites */

void
_sb_relay_rewrite_free (SbRelayRewrite *rewrite)
{
  g_bytes_unref (rewrite->match);
  g_bytes_unref (rewrite->replace);
  g_free (rewrite);
}

GBytes *
_sb_relay_rewrite (SbRelayPair      *pair,
                   SbRelayDirection  direction,
                   GBytes           *bytes)
{
  GPtrArray *rewrites = pair->relay->rewrites[direction];
  g_autoptr(GBytes) current = g_bytes_ref (bytes);

  for (guint i = 0; i < rewrites->len; i++)
    {
      SbRelayRewrite *rewrite = g_ptr_array_index (rewrites, i);
      gsize len = 0, match_len = 0, replace_len = 0;
      const guint8 *data = g_bytes_get_data (current, &len);
      const guint8 *match = g_bytes_get_data (rewrite->match, &match_len);
      const guint8 *replace = g_bytes_get_data (rewrite->replace, &replace_len);
      g_autoptr(GByteArray) out = NULL;
      g_autofree char *from = NULL;
      g_autofree char *to = NULL;
      gsize at = 0;
      guint count = 0;

      while (at + match_len <= len)
        {
          const guint8 *found = memmem (data + at, len - at, match, match_len);

          if (found == NULL)
            break;
          if (out == NULL)
            out = g_byte_array_sized_new (len);
          g_byte_array_append (out, data + at, found - (data + at));
          g_byte_array_append (out, replace, replace_len);
          at = found - data + match_len;
          count++;
        }
      if (count == 0)
        continue;

      g_byte_array_append (out, data + at, len - at);
      g_clear_pointer (&current, g_bytes_unref);
      current = g_byte_array_free_to_bytes (g_steal_pointer (&out));
      from = escape_bytes (rewrite->match, 64);
      to = escape_bytes (rewrite->replace, 64);
      _sb_relay_fault_event (pair, direction, g_dngettext (GETTEXT_PACKAGE, "Rewrote %u match of “%s” as “%s”",
                                                           "Rewrote %u matches of “%s” as “%s”", count),
                             count, from, to);
    }

  return g_steal_pointer (&current);
}

gboolean
sb_session_relay_add_rewrite (SbSession         *session,
                              SbRelayDirection   direction,
                              GBytes            *match,
                              GBytes            *replace,
                              GError           **error)
{
  SbRelay *self;
  SbRelayRewrite *rewrite;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_val_if_fail (SB_IS_SESSION (session), FALSE);
  g_return_val_if_fail (direction < SB_RELAY_N_DIRECTIONS, FALSE);
  g_return_val_if_fail (match != NULL && replace != NULL, FALSE);

  ON_ENGINE (op.ok, .kind = RELAY_ADD_REWRITE, .session = session, .direction = direction,
             .bytes = match, .bytes2 = replace, .error = error);

  if ((self = relay_of (session, error)) == NULL)
    return FALSE;
  if (g_bytes_get_size (match) == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A rewrite needs something to look for: the match is empty"));
      return FALSE;
    }

  rewrite = g_new0 (SbRelayRewrite, 1);
  rewrite->match = g_bytes_ref (match);
  rewrite->replace = g_bytes_ref (replace);
  g_ptr_array_add (self->rewrites[direction], rewrite);

  from = escape_bytes (match, 64);
  to = escape_bytes (replace, 64);
  /* Translators: a direction ("client → server"), then the bytes looked for and what replaces them. */
  _sb_session_event (session, NULL, SB_EVENT_FAULT, _("Rewrite %s from now on: “%s” → “%s”"),
                     sb_relay_direction_get_label (direction), from, to);
  return TRUE;
}

void
sb_session_relay_clear_rewrites (SbSession        *session,
                                 SbRelayDirection  direction)
{
  SbRelay *self;

  g_return_if_fail (SB_IS_SESSION (session));
  g_return_if_fail (direction < SB_RELAY_N_DIRECTIONS);

  ON_ENGINE (, .kind = RELAY_CLEAR_REWRITES, .session = session, .direction = direction);

  if (!SB_IS_RELAY (session))
    return;
  self = SB_RELAY (session);
  if (self->rewrites[direction]->len == 0)
    return;
  g_ptr_array_set_size (self->rewrites[direction], 0);
  _sb_session_event (session, NULL, SB_EVENT_FAULT, _("Rewrites %s: none from now on"),
                     sb_relay_direction_get_label (direction));
}
