/* sb-read-gate.c — let the rest of the main loop run during a flood
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sb-read-gate"

#include "config.h"

#include "sb-read-gate.h"

/* How long readers may keep the loop to themselves at least. */
#define MIN_BUDGET_US (8 * 1000)
/* Twice the rest's time, but no more than this unless the rest took longer:
 * a frame waits for the reading, and 2 × 40 ms of reading after a 40 ms
 * frame made the next frame 80 ms late. */
#define MAX_DOUBLE_BUDGET_US (32 * 1000)
/* Below the history's announcement (HIGH_IDLE + 10) and GTK's paint (+ 20). */
#define GATE_PRIORITY (G_PRIORITY_HIGH_IDLE + 30)

typedef struct
{
  GObject          *reader;
  SbReadGateResume  resume;
} Waiter;

/* The main loop is single-threaded; so is the gate. */
static guint   idle_id;
static gint64  open_since;
static gint64  closed_at;
static gint64  budget = MIN_BUDGET_US;
static GArray *waiters;

static gboolean
reopen (gpointer data)
{
  g_autoptr(GArray) resumed = g_steal_pointer (&waiters);
  gint64 now = g_get_monotonic_time ();

  idle_id = 0;
  open_since = 0;

  /* Read twice as long as the rest took (up to MAX_DOUBLE_BUDGET_US), and
   * never less than it took, so that slow frames slow the reading down but
   * never starve it. */
  if (closed_at != 0)
    {
      gint64 rest = now - closed_at;

      budget = MAX (MIN_BUDGET_US, MAX (rest, MIN (2 * rest, MAX_DOUBLE_BUDGET_US)));
    }
  else
    budget = MIN_BUDGET_US;
  closed_at = 0;

  for (guint i = 0; resumed != NULL && i < resumed->len; i++)
    {
      Waiter *waiter = &g_array_index (resumed, Waiter, i);

      waiter->resume (waiter->reader);
      g_object_unref (waiter->reader);
    }

  return G_SOURCE_REMOVE;
}

gboolean
sb_read_gate_pass (GObject          *reader,
                   SbReadGateResume  resume)
{
  gint64 now = g_get_monotonic_time ();
  Waiter waiter;

  g_return_val_if_fail (G_IS_OBJECT (reader), TRUE);
  g_return_val_if_fail (resume != NULL, TRUE);

  /* Each burst of reading starts by queueing the idle that ends it: if the
   * loop reaches it soon, nobody ever waits. */
  if (idle_id == 0)
    {
      open_since = now;
      idle_id = g_idle_add_full (GATE_PRIORITY, reopen, NULL, NULL);
      return TRUE;
    }

  if (closed_at == 0 && now - open_since < budget)
    return TRUE;

  if (closed_at == 0)
    closed_at = now;

  if (waiters == NULL)
    waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));

  waiter.reader = g_object_ref (reader);
  waiter.resume = resume;
  g_array_append_val (waiters, waiter);

  return FALSE;
}
