/* sb-session-page-replay.c — a recorded side of a capture played on the page
 *
 * Window thread only. The replay is attached to the page's session as the
 * setup's responder is, and follows it when a Start makes a new one; what
 * it does shows in the history as info events.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-session-page"

#include "config.h"

#include "sb-session-page-private.h"

void
_sb_session_page_replay_session_replaced (SbSessionPage *self)
{
  if (self->replay != NULL)
    sb_replay_set_session (self->replay, self->session);
}

void
sb_session_page_set_replay (SbSessionPage *self,
                            SbReplay      *replay)
{
  g_return_if_fail (SB_IS_SESSION_PAGE (self));
  g_return_if_fail (replay == NULL || SB_IS_REPLAY (replay));

  if (self->replay == replay)
    return;
  if (self->replay != NULL)
    sb_replay_set_session (self->replay, NULL);
  g_set_object (&self->replay, replay);
  _sb_session_page_replay_session_replaced (self);
}
