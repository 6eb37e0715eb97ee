package dev.parley.e2e.load;

import io.netty.channel.EventLoop;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sends the scheduler has handed to one event loop and that loop has not made yet: a bounded
 * single-producer (scheduler) single-consumer (loop) ring. The loop is woken with one task for as
 * many sends as have queued up meanwhile, instead of one task and one wake-up per message, and
 * nothing is allocated per send.
 */
final class LoopSendQueue implements Runnable {
    /** Sends made per task run: a backlog after a stall must not keep the loop from reading. */
    private static final int MAX_PER_RUN = 1024;

    private final EventLoop loop;
    private final RunMetrics metrics;
    private final int mask;
    private final LoadClientHandler[] senders;
    private final long[] intended;
    // Volatile (sequentially consistent) on purpose: the producer's "publish tail, then read
    // scheduled" and the consumer's "clear scheduled, then read tail" must not both miss.
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong head = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Scheduler thread only: something was offered since the last wake. */
    private boolean offered;

    /** @param capacity a power of two; sends that find the ring full are counted, not queued */
    LoopSendQueue(EventLoop loop, RunMetrics metrics, int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.loop = loop;
        this.metrics = metrics;
        this.mask = capacity - 1;
        this.senders = new LoadClientHandler[capacity];
        this.intended = new long[capacity];
    }

    /** Scheduler thread only. Returns false when the loop is so far behind that the ring is full. */
    boolean offer(LoadClientHandler sender, long intendedNanos) {
        long t = tail.get();
        if (t - head.get() > mask) {
            return false;
        }
        int i = (int) (t & mask);
        senders[i] = sender;
        intended[i] = intendedNanos;
        tail.set(t + 1);
        offered = true;
        return true;
    }

    /** Scheduler thread only: makes sure the loop will drain what was offered since the last call. */
    void wakeIfOffered() {
        if (offered) {
            offered = false;
            wake();
        }
    }

    private void wake() {
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    /** On the loop: makes the queued sends, at most {@link #MAX_PER_RUN} before letting I/O run. */
    @Override
    public void run() {
        scheduled.set(false);
        long h = head.get();
        long t = tail.get();
        long end = Math.min(t, h + MAX_PER_RUN);
        for (; h < end; h++) {
            int i = (int) (h & mask);
            LoadClientHandler sender = senders[i];
            senders[i] = null;
            sender.sendNow(intended[i]);
        }
        head.set(h);
        if (h < t) {
            wake();
        }
    }

    /** Sends the ring refused because the loop fell a whole ring behind. */
    void countOverflow() {
        metrics.handled.increment();
        metrics.overflowed.increment();
    }
}
