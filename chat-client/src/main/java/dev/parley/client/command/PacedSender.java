package dev.parley.client.command;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Sends typed lines no faster than the server takes them: a bounded queue drained by its own
 * thread under the rate the server's welcome announced, so that a paste of many lines is not
 * refused line by line with RATE_LIMITED. The listener hears the backlog's size as it changes.
 */
final class PacedSender implements AutoCloseable {
    /** Lines held at most: a paste of thousands of lines is refused beyond it rather than held for minutes. */
    static final int CAPACITY = 2000;

    /** One line to send: to a user or {@code *}. */
    record Line(String to, String text) {
    }

    private final Deque<Line> queue = new ArrayDeque<>();
    private final Consumer<Line> sink;
    private final IntConsumer backlogChanged;
    private final Thread worker;
    /** Lines a second; 0 sends at once. */
    private double rate;
    private double burst;
    private double tokens;
    private long last = System.nanoTime();
    /** No sending before this time (nanoTime), after the server said when to retry. */
    private long pausedUntil = System.nanoTime();
    /** Taken from the queue, not yet handed to the sink: counted as waiting until it is. */
    private boolean sending;
    private boolean closed;

    PacedSender(Consumer<Line> sink, IntConsumer backlogChanged) {
        this.sink = sink;
        this.backlogChanged = backlogChanged;
        this.worker = new Thread(this::drain, "parley-paced-sender");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * The server's limit, from its welcome (null: none said). Kept under it with room to spare:
     * {@code /who}, {@code /history} and the server's own clock take from the same budget, and
     * lines typed at human speed still go at once.
     */
    synchronized void rate(Integer perSecond) {
        rate = perSecond == null || perSecond <= 0 ? 0 : perSecond * 0.8;
        burst = Math.max(1, (perSecond == null ? 0 : perSecond) / 2.0);
        // a new connection: the server's budget for it starts full
        tokens = burst;
        notifyAll();
    }

    /** Queues a line; false when the queue is full. */
    boolean offer(Line line) {
        int waiting;
        synchronized (this) {
            if (closed || queue.size() >= CAPACITY) {
                return false;
            }
            queue.addLast(line);
            waiting = waiting();
            notifyAll();
        }
        backlogChanged.accept(waiting);
        return true;
    }

    /** The server dropped {@code line} (RATE_LIMITED): it goes first again, after {@code retryAfter}. */
    void retry(Line line, Duration retryAfter) {
        int waiting;
        synchronized (this) {
            queue.addFirst(line);
            pausedUntil = Math.max(pausedUntil, System.nanoTime() + retryAfter.toNanos());
            tokens = 0;
            waiting = waiting();
            notifyAll();
        }
        backlogChanged.accept(waiting);
    }

    /** Lines typed and not yet sent. */
    synchronized int waiting() {
        return queue.size() + (sending ? 1 : 0);
    }

    /** Waits until every queued line is sent, at most {@code timeout}; true when it is. */
    synchronized boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (waiting() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** How long the lines waiting now take to drain at the server's rate. */
    synchronized Duration drainTime() {
        return rate == 0 ? Duration.ZERO : Duration.ofMillis((long) (waiting() * 1000 / rate));
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void drain() {
        while (true) {
            Line line;
            synchronized (this) {
                try {
                    line = awaitTurn();
                } catch (InterruptedException e) {
                    return;
                }
                if (line == null) {
                    return;
                }
                sending = true;
            }
            try {
                sink.accept(line);
            } finally {
                int waiting;
                synchronized (this) {
                    sending = false;
                    waiting = waiting();
                    notifyAll();
                }
                backlogChanged.accept(waiting);
            }
        }
    }

    /** The next line once the budget allows it; null when closed. Holds the lock. */
    private Line awaitTurn() throws InterruptedException {
        while (true) {
            if (closed) {
                return null;
            }
            long now = System.nanoTime();
            if (rate > 0) {
                tokens = Math.min(burst, tokens + (now - last) * rate / 1e9);
            }
            last = now;
            if (!queue.isEmpty()) {
                long pause = pausedUntil - now;
                long refill = rate == 0 || tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) * 1e9 / rate);
                long waitNanos = Math.max(pause, refill);
                if (waitNanos <= 0) {
                    if (rate > 0) {
                        tokens -= 1;
                    }
                    return queue.pollFirst();
                }
                wait(Math.max(1, waitNanos / 1_000_000));
            } else {
                wait();
            }
        }
    }
}
