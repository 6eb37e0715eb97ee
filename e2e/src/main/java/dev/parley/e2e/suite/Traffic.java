package dev.parley.e2e.suite;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Open-loop traffic: sends fall due at a fixed rate whatever the service does, handed round the
 * users in turn; every {@code broadcastEvery}-th is a broadcast, the rest direct messages. The
 * rate can change while it runs (the autoscaling scenario raises and lowers it). A user between
 * connections skips its turn (counted), so a fault shows as fewer sends, not a growing queue.
 */
final class Traffic implements AutoCloseable {
    private static final long TICK_NANOS = 5_000_000L;
    /** Falling further behind than this skips ahead instead of bursting. */
    private static final long MAX_BEHIND_NANOS = 1_000_000_000L;

    private final List<SoakClient> clients;
    private final long origin;
    private final int broadcastEvery;
    private final Thread thread;
    private volatile boolean stopped;

    // Written under this lock by setRate, read by the thread.
    private double rate;
    private long baseNanos;
    private long baseIssued;
    private long issued;

    Traffic(List<SoakClient> clients, long origin, double rate, int broadcastEvery) {
        this.clients = List.copyOf(clients);
        this.origin = origin;
        this.broadcastEvery = broadcastEvery;
        this.rate = rate;
        this.baseNanos = now();
        this.thread = new Thread(this::run, "soak-traffic");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Changes the rate from now on. */
    synchronized void setRate(double perSecond) {
        baseIssued = issued;
        baseNanos = now();
        rate = perSecond;
    }

    synchronized double rate() {
        return rate;
    }

    private long now() {
        return System.nanoTime() - origin;
    }

    private void run() {
        while (!stopped) {
            issueDue();
            try {
                TimeUnit.NANOSECONDS.sleep(TICK_NANOS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void issueDue() {
        long now = now();
        double perNano = rate / 1e9;
        long due = baseIssued + (long) ((now - baseNanos) * perNano);
        if (perNano > 0 && (due - issued) / perNano > MAX_BEHIND_NANOS) {
            // This JVM was paused or starved: start again from now rather than catch up in a burst.
            baseIssued = issued;
            baseNanos = now;
            return;
        }
        while (issued < due) {
            long intended = baseNanos + (long) ((issued - baseIssued) / perNano);
            SoakClient client = clients.get((int) (issued % clients.size()));
            client.send(intended, broadcastEvery > 0 && issued % broadcastEvery == broadcastEvery - 1);
            issued++;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(5000);
    }
}
