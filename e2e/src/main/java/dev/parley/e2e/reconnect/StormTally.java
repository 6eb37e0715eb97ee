package dev.parley.e2e.reconnect;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What the clients of a reconnection storm report, from their event loops: first logins, drops,
 * returns (with the time each client was away), and refusals by reason. The command waits on it.
 */
final class StormTally {
    /** Longest time away a client can be recorded with: ten minutes, in microseconds. */
    private static final long MAX_AWAY_MICROS = TimeUnit.MINUTES.toMicros(10);

    /** How a client got back in. */
    enum Login { PASSWORD, TOKEN }

    private final Histogram away = new Histogram(MAX_AWAY_MICROS, 3);
    private final Map<String, Integer> refusals = new TreeMap<>();
    private final Map<Login, Integer> returnsBy = new TreeMap<>();
    private int firstLogins;
    private int failed;
    private int dropped;
    private int back;
    private long firstDrop = -1;
    private long firstAccept = -1;
    private long lastBack = -1;

    synchronized void firstLogin() {
        firstLogins++;
        notifyAll();
    }

    /** A client gave up for good: {@code reason} says why. */
    synchronized void failed(String reason) {
        failed++;
        refusals.merge(reason, 1, Integer::sum);
        notifyAll();
    }

    synchronized void dropped(long nanos) {
        dropped++;
        if (firstDrop < 0) {
            firstDrop = nanos;
        }
        notifyAll();
    }

    /** A connection opened after the first drop: the server takes connections again. */
    synchronized void accepted(long nanos) {
        if (firstDrop >= 0 && firstAccept < 0) {
            firstAccept = nanos;
        }
    }

    synchronized void back(long nanos, long awayNanos, Login login) {
        back++;
        lastBack = Math.max(lastBack, nanos);
        away.recordValue(Math.min(MAX_AWAY_MICROS, TimeUnit.NANOSECONDS.toMicros(awayNanos)));
        returnsBy.merge(login, 1, Integer::sum);
        notifyAll();
    }

    /** A login attempt was refused and will be retried ({@code UNAVAILABLE}, a refused token, ...). */
    synchronized void refused(String reason) {
        refusals.merge(reason, 1, Integer::sum);
    }

    synchronized int firstLogins() {
        return firstLogins;
    }

    synchronized int failed() {
        return failed;
    }

    synchronized int dropped() {
        return dropped;
    }

    synchronized int back() {
        return back;
    }

    /** Waits until something is reported or {@code deadline} (nanos) passes. */
    synchronized void awaitChange(long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(500)));
        }
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(firstLogins, failed, dropped, back,
                firstDrop < 0 || lastBack < firstDrop ? -1 : lastBack - firstDrop,
                firstAccept < 0 || lastBack < firstAccept ? -1 : lastBack - firstAccept,
                firstDrop < 0 || firstAccept < 0 ? -1 : firstAccept - firstDrop,
                away.copy(), new TreeMap<>(returnsBy), new TreeMap<>(refusals));
    }

    /**
     * @param allBackNanos     from the first drop to the last return, or -1
     * @param fromAcceptNanos  from the server's first accepted connection after the drop to the last return, or -1
     * @param downNanos        from the first drop to that first accepted connection, or -1
     */
    record Snapshot(int firstLogins, int failed, int dropped, int back, long allBackNanos, long fromAcceptNanos,
                    long downNanos, Histogram away, Map<Login, Integer> returnsBy, Map<String, Integer> refusals) {
    }
}
