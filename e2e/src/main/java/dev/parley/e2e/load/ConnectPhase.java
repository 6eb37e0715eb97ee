package dev.parley.e2e.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Opens the run's connections and logs each one in, with at most {@code maxPendingHellos} logins
 * in flight: the server hashes passwords slowly on purpose, and thousands of hellos at once would
 * only time out. Prints a progress line each second and gives up at a deadline.
 */
final class ConnectPhase implements LoadClientHandler.SetupListener {
    private static final long PROGRESS_EVERY_NANOS = 1_000_000_000L;

    /** Makes the handler of connection {@code index}, reporting its login to {@code listener}. */
    interface HandlerFactory {
        LoadClientHandler create(int index, LoadClientHandler.SetupListener listener);
    }

    private final Bootstrap bootstrap;
    private final int total;
    private final int maxPendingHellos;
    private final HandlerFactory handlers;

    private final Set<LoadClientHandler> ready = new HashSet<>();
    private final List<LoadClientHandler> started = new ArrayList<>();
    private final Map<String, Integer> failureReasons = new TreeMap<>();
    private int next;
    private int inFlight;
    private int failed;
    /** Set at the deadline: outcomes that arrive later are already counted as failures. */
    private boolean closed;

    /**
     * @param bootstrap a bootstrap with everything but the handler and remote address set
     * @param handlers  makes the handler of connection i, reporting to this phase
     */
    ConnectPhase(Bootstrap bootstrap, int total, int maxPendingHellos, HandlerFactory handlers) {
        this.bootstrap = bootstrap;
        this.total = total;
        this.maxPendingHellos = maxPendingHellos;
        this.handlers = handlers;
    }

    /** Connects all, waiting at most {@code timeoutNanos}; returns the logged-in ones by index. */
    List<LoadClientHandler> run(long timeoutNanos, String label, PrintWriter progress) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        long nextProgress = System.nanoTime() + PROGRESS_EVERY_NANOS;
        synchronized (this) {
            launchMore();
            while (ready.size() + failed < total) {
                long now = System.nanoTime();
                if (now >= deadline) {
                    giveUp();
                    break;
                }
                if (now >= nextProgress) {
                    progress.printf("[%s] connecting: %d/%d ready, %d failed, %d logging in%n",
                            label, ready.size(), total, failed, inFlight);
                    progress.flush();
                    nextProgress = now + PROGRESS_EVERY_NANOS;
                }
                long waitNanos = Math.min(deadline, nextProgress) - now;
                wait(Math.max(1, waitNanos / 1_000_000));
            }
            progress.printf("[%s] connected: %d/%d ready, %d failed%n", label, ready.size(), total, failed);
            failureReasons.forEach((reason, n) -> progress.printf("[%s]   %d x %s%n", label, n, reason));
            progress.flush();
            List<LoadClientHandler> result = new ArrayList<>(ready);
            result.sort(Comparator.comparingInt(h -> h.index));
            return result;
        }
    }

    synchronized int failed() {
        return failed;
    }

    synchronized Map<String, Integer> failureReasons() {
        return new TreeMap<>(failureReasons);
    }

    /** Every handler created, logged in or not, so the run can close them all. */
    synchronized List<LoadClientHandler> started() {
        return new ArrayList<>(started);
    }

    @Override
    public synchronized void onReady(LoadClientHandler handler) {
        if (closed) {
            return;
        }
        inFlight--;
        ready.add(handler);
        launchMore();
        notifyAll();
    }

    @Override
    public synchronized void onFailed(LoadClientHandler handler, String reason) {
        if (closed) {
            return;
        }
        inFlight--;
        failed++;
        failureReasons.merge(reason, 1, Integer::sum);
        launchMore();
        notifyAll();
    }

    private void launchMore() {
        while (inFlight < maxPendingHellos && next < total) {
            LoadClientHandler handler = handlers.create(next++, this);
            started.add(handler);
            inFlight++;
            ChannelFuture connect = bootstrap.clone().handler(new LoadClientInitializer(handler)).connect();
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    onFailed(handler, "connect: " + f.cause().getMessage());
                }
            });
        }
    }

    /** Deadline passed: the connections not yet started or logged in count as failed. */
    private void giveUp() {
        closed = true;
        int notStarted = total - next;
        next = total;
        if (notStarted > 0) {
            failed += notStarted;
            failureReasons.merge("not started before the setup deadline", notStarted, Integer::sum);
        }
        for (LoadClientHandler h : started) {
            if (!ready.contains(h)) {
                h.close();
            }
        }
        int stillPending = inFlight;
        if (stillPending > 0) {
            failed += stillPending;
            failureReasons.merge("no welcome before the setup deadline", stillPending, Integer::sum);
            inFlight = 0;
        }
    }
}
