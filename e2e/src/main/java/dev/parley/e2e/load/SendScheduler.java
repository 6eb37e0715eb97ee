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
    /** Most sends handed out before looking at the clock again, so a long stall cannot monopolise this loop. */
    private static final int MAX_BURST = 1024;

    private final List<LoadClientHandler> senders;
    private final long rate;
    private final long start;
    private final long total;
    private volatile boolean stopped;
    private volatile long dispatched;

    /**
     * @param start absolute {@link System#nanoTime()} of message 0
     * @param total number of messages in the whole schedule
     */
    SendScheduler(List<LoadClientHandler> senders, long rate, long start, long total) {
        if (total > MAX_TOTAL) {
            throw new IllegalArgumentException("schedule of " + total + " messages is too long");
        }
        this.senders = List.copyOf(senders);
        this.rate = rate;
        this.start = start;
        this.total = total;
    }

    /** Most messages a schedule may hold, so that {@code k * 10^9} cannot overflow. */
    static final long MAX_TOTAL = Long.MAX_VALUE / 1_000_000_000L;

    /** Intended time of message {@code k}, absolute nanos. */
    static long intendedAt(long start, long rate, long k) {
        return start + k * 1_000_000_000L / rate;
    }

    /** Sends handed to the loops so far. */
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
        while (k < total && !stopped) {
            long intended = intendedAt(start, rate, k);
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                // parkNanos oversleeps by tens of microseconds on Linux; the lag is measured.
                LockSupport.parkNanos(wait);
                continue;
            }
            for (int burst = 0; burst < MAX_BURST && k < total; burst++) {
                senders.get(sender).sendLater(intended);
                k++;
                if (++sender == n) {
                    sender = 0;
                }
                intended = intendedAt(start, rate, k);
                if (intended > System.nanoTime()) {
                    break;
                }
            }
            dispatched = k;
        }
    }
}
