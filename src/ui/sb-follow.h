/* sb-follow.h — follow the newest row of a growing list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Keeps a scrolled list at its newest row while the user is there: the
 * user scrolling up stops following, scrolling back to the bottom (or
 * sb_follow_jump(), "Jump to newest") starts it again. The scroll happens in
 * an idle between the models' announcements and GTK's layout and paint, so
 * a flood never keeps the newest row out of sight; when the layout itself
 * moves the bottom (rows measured), the list is scrolled back in the same
 * frame's next layout pass, so an announcement costs one frame.
 *
 * The owner (a view) keeps the follow and clears it first in its dispose;
 * the widgets and models given here are borrowed. */
#define SB_TYPE_FOLLOW (sb_follow_get_type ())
G_DECLARE_FINAL_TYPE (SbFollow, sb_follow, SB, FOLLOW, GObject)

/* Scrolls the view to its newest row. */
typedef void (*SbFollowScrollFunc) (gpointer user_data);

/* A follow that calls @scroll (with @user_data) to reach the newest row;
 * with @scroll NULL it moves the adjustment to its bottom. */
SbFollow *sb_follow_new              (SbFollowScrollFunc scroll,
                                      gpointer           user_data);
/* A follow for a GtkListView or GtkColumnView showing @model: it scrolls to
 * the model's last item, and new items in @model bring it there. */
SbFollow *sb_follow_new_for_list     (GtkWidget         *list_or_column_view,
                                      GListModel        *model);

/* The vertical adjustment the user scrolls (NULL to let go). Its changes
 * tell whether the user is at the bottom; a change of its size scrolls
 * again while following. */
void      sb_follow_set_adjustment   (SbFollow          *self,
                                      GtkAdjustment     *adjustment);
/* Property "following" (read-only, notifies). */
gboolean  sb_follow_get_following    (SbFollow          *self);
/* Sets following without scrolling (a view that selected a row itself). */
void      sb_follow_set_following    (SbFollow          *self,
                                      gboolean           following);
/* While paused nothing scrolls (the history's Pause); unpausing follows. */
void      sb_follow_set_paused       (SbFollow          *self,
                                      gboolean           paused);
/* Starts following and scrolls to the newest row: "Jump to newest". */
void      sb_follow_jump             (SbFollow          *self);
/* Scrolls to the newest row soon, if following and not paused. */
void      sb_follow_schedule         (SbFollow          *self);
/* Sets the adjustment's value for the program, not the user: it is not
 * taken as a scroll up. */
void      sb_follow_set_value        (SbFollow          *self,
                                      double             value);
/* Scrolls @list_or_column_view to @position (GTK 4.8 has no
 * gtk_list_view_scroll_to()). */
void      sb_follow_scroll_list_to   (GtkWidget         *list_or_column_view,
                                      guint              position);

G_END_DECLS
