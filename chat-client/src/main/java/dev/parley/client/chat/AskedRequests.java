package dev.parley.client.chat;

import dev.parley.protocol.ServerFrame;
import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The requests the server answers without a ref (history, who, unread), oldest first, in the
 * order it answers them, and how many are not yet answered on the screen, for leaving only once
 * they are. Shared by the thread that asks and the one that reads the answers; no I/O.
 */
public final class AskedRequests {
    /**
     * One request awaiting its answer: shown when it comes, or handed to a waiting {@code /to}.
     * {@code unread}: the login's unread request, which a server older than it refuses as UNKNOWN_TYPE.
     */
    public record Asked(CompletableFuture<ServerFrame> check, boolean unread) {
        /** A request whose answer is shown. */
        public static Asked shown() {
            return new Asked(null, false);
        }

        /** A request whose answer goes to {@code check} rather than the screen. */
        public static Asked check(CompletableFuture<ServerFrame> check) {
            return new Asked(check, false);
        }

        public static Asked unreadOnLogin() {
            return new Asked(null, true);
        }
    }

    private final Queue<Asked> asked = new ConcurrentLinkedQueue<>();
    /** Guarded by this. */
    private int unanswered;

    /** {@code what} is about to be sent: call before sending, as the answer may come before send returns. */
    public void add(Asked what) {
        asked.add(what);
        synchronized (this) {
            unanswered++;
        }
    }

    /** {@code what} could not be sent after all. */
    public void withdraw(Asked what) {
        asked.remove(what);
        answered();
    }

    /** The oldest request, taken: its answer came; null when none was asked. */
    public Asked take() {
        return asked.poll();
    }

    /** Whether the oldest request is the login's unread request. */
    public boolean oldestIsUnread() {
        Asked oldest = asked.peek();
        return oldest != null && oldest.unread();
    }

    /** Takes the oldest request's answer: true when a {@code /to} waits for it, which then shows it. */
    public boolean answersCheck(ServerFrame frame) {
        Asked oldest = asked.poll();
        if (oldest == null || oldest.check() == null) {
            return false;
        }
        oldest.check().complete(frame);
        return true;
    }

    /** An answer is on the screen. */
    public synchronized void answered() {
        if (unanswered > 0) {
            unanswered--;
        }
        notifyAll();
    }

    /** Waits until the requests asked have been answered on the screen, at most {@code timeout}. */
    public synchronized boolean awaitAnswers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unanswered > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** The connection that owed these answers is gone: a waiting {@code /to} stops waiting. */
    public void forget() {
        synchronized (this) {
            unanswered = 0;
            notifyAll();
        }
        for (Asked a = asked.poll(); a != null; a = asked.poll()) {
            if (a.check() != null) {
                a.check().completeExceptionally(new IOException("connection lost"));
            }
        }
    }
}
