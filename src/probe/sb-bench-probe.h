/* sb-bench-probe.h — main-loop latency probe and counters for benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sb-session.h"

G_BEGIN_DECLS

/*
 * With SOCKBENCH_BENCH=1 in the environment, sb_bench_probe_init() starts two
 * probes on the default main context and prints their counters to stderr at
 * exit and on SIGUSR1 (SIGUSR2 resets them). Without the variable every
 * function here returns at once: nothing is allocated, no source is added.
 *
 *   loop   a 10 ms timer at G_PRIORITY_DEFAULT (where socket I/O runs);
 *          its lateness is how long the main loop kept it waiting.
 *   frame  the same at G_PRIORITY_HIGH_IDLE + 20 (where GTK lays out and
 *          paints): how long a frame would have had to wait.
 *
 * A tick that is L late also stands for the ticks it made miss (L - 10 ms,
 * L - 20 ms, …), so one long stall weighs as what it is, not one sample.
 * Lines printed (one "sockbench-bench:" line each):
 *   loop samples=N p50_ms=X p99_ms=X max_ms=X over_50ms=N
 *   frame samples=N …
 *   memory rss_kb=N hwm_kb=N
 *   session uri=U state=S peers=N rx_messages=N rx_bytes=N tx_messages=N tx_bytes=N records=N dropped=N
 * and, as a watched session gets its local address:
 *   listening uri=U address=A
 */

typedef enum
{
  SB_BENCH_PROBE_LOOP,
  SB_BENCH_PROBE_FRAME,
} SbBenchProbeKind;

typedef struct
{
  guint64 samples;
  double  p50_ms;
  double  p99_ms;
  double  max_ms;
  guint64 over_50ms;
} SbBenchLateness;

/* TRUE when SOCKBENCH_BENCH is set to anything but "" or "0". */
gboolean sb_bench_probe_enabled       (void);
/* The one hook for main(): starts the probes when enabled. */
void     sb_bench_probe_init          (void);
/* Starts the probes whatever the environment says (benchmark programs);
 * nothing is printed at exit unless enabled. */
void     sb_bench_probe_start         (void);
/* Forgets the samples taken so far. */
void     sb_bench_probe_reset         (void);
void     sb_bench_probe_get_lateness  (SbBenchProbeKind  kind,
                                       SbBenchLateness  *lateness);
/* Reports @session's counters with the others (when enabled). */
void     sb_bench_probe_watch_session (SbSession        *session);
/* Prints every counter now (to stderr). */
void     sb_bench_probe_print         (void);

/* Resident and peak resident memory of this process, in KiB (0 if unknown). */
gsize    sb_bench_probe_get_rss_kb    (gsize            *hwm_kb);

G_END_DECLS
