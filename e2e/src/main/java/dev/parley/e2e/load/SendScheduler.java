package dev.parley.e2e.load;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The single thread that paces the run: message k is intended at {@code start + k / rate} and
 * goes to connection {@code k mod n}, so sends are spread evenly over time and connections. The
 * schedule is fixed from the start time (open loop): when this thread or the system stalls, the
 * overdue messages go out at once, still stamped with their intended time, and the stall shows
 * in the latency figures instead of thinning the load.
 */
final class SendScheduler implements Runnable {
    /** Most messages a schedule may hold, so that {@code k * 10^9} cannot overflow. */
    static final long MAX_TOTAL = Long.MAX_VALUE / 1_000_000_000L;
    /** Most sends handed out before looking at the clock again, so a long stall cannot monopolise this loop. */
    private static final int MAX_BURST = 1024;
    /** Waits shorter than this are spun: parking costs a system call and oversleeps by more. */
    private static final long SPIN_NANOS = 20_000;

    private final List<LoadClientHandler> senders;
    private final List<LoopSendQueue> queues;
    private final long rate;
    private final long start;
    private final long total;
    private final long quantumNanos;
    private volatile boolean stopped;
    private volatile long dispatched;

    /**
     * @param queues       the send queues of the senders' event loops
     * @param start        absolute {@link System#nanoTime()} of message 0
     * @param total        number of messages in the whole schedule
     * @param quantumNanos least sleep between two hand-outs: more messages per wake-up of the
     *                     event loops, at the cost of up to this much added latency
     */
    SendScheduler(List<LoadClientHandler> senders, List<LoopSendQueue> queues, long rate, long start, long total,
                  long quantumNanos) {
        if (total > MAX_TOTAL) {
            throw new IllegalArgumentException("schedule of " + total + " messages is too long");
        }
        this.senders = List.copyOf(senders);
        this.queues = List.copyOf(queues);
        this.rate = rate;
        this.start = start;
        this.total = total;
        this.quantumNanos = quantumNanos;
    }

    /** Intended time of message {@code k}, absolute nanos. */
    static long intendedAt(long start, long rate, long k) {
        return start + k * 1_000_000_000L / rate;
    }

    /** Sends handed to the loops so far (or refused because a loop's queue was full). */
    long dispatched() {
        return dispatched;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        int n = senders.size();
        long k = 0;
        int sender = 0;
        long lastHandOut = Long.MIN_VALUE / 2;
        while (k < total && !stopped) {
            long now = System.nanoTime();
            long wait = Math.max(intendedAt(start, rate, k) - now, lastHandOut + quantumNanos - now);
            if (wait > SPIN_NANOS) {
                // parkNanos oversleeps by tens of microseconds on Linux; the lag is measured.
                LockSupport.parkNanos(wait);
                continue;
            }
            if (wait > 0) {
                Thread.onSpinWait();
                continue;
            }
            lastHandOut = now;
            for (int burst = 0; burst < MAX_BURST && k < total; burst++) {
                long intended = intendedAt(start, rate, k);
                if (intended > now) {
                    break;
                }
                LoadClientHandler h = senders.get(sender);
                if (!h.queue().offer(h, intended)) {
                    h.queue().countOverflow();
                }
                k++;
                if (++sender == n) {
                    sender = 0;
                }
            }
            for (LoopSendQueue q : queues) {
                q.wakeIfOffered();
            }
            dispatched = k;
        }
    }
}
