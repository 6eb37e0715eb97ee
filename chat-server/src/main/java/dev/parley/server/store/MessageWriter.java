package dev.parley.server.store;

import dev.parley.server.metrics.ServerMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores messages in batches on one thread of its own: whatever queued while the previous batch
 * was in Redis goes in the next script call, so throughput grows with load instead of paying a
 * round trip per message. The queue is bounded; a full queue refuses new messages at once.
 */
public final class MessageWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessageWriter.class);
    private static final int MAX_BATCH = 512;

    /** What became of one message; delivered on the writer thread. */
    public sealed interface Outcome {
        record Stored(long id, long ts) implements Outcome {
        }

        record NoSuchUser() implements Outcome {
        }

        record Unavailable(String reason) implements Outcome {
        }
    }

    /** Receives a message's outcome; must not block (hand work to an event loop). */
    public interface Callback {
        void done(Outcome outcome);
    }

    private record Pending(NewMessage message, Callback callback) {
    }

    private final ChatStore store;
    private final StoreHealth health;
    private final ServerMetrics metrics;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private volatile boolean running = true;

    public MessageWriter(ChatStore store, StoreHealth health, ServerMetrics metrics, int capacity) {
        this.store = store;
        this.health = health;
        this.metrics = metrics;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "parley-writer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Queues a message; false when the queue is full or the writer stopped (nothing was queued). */
    public boolean submit(NewMessage message, Callback callback) {
        return running && queue.offer(new Pending(message, callback));
    }

    /** Messages waiting to be stored. */
    public int backlog() {
        return queue.size();
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        List<NewMessage> messages = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                for (Pending p : batch) {
                    messages.add(p.message());
                }
                storeBatch(batch, messages);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
                messages.clear();
            }
        }
        failAll("server is shutting down");
    }

    private void storeBatch(List<Pending> batch, List<NewMessage> messages) {
        long ts = System.currentTimeMillis();
        long started = System.nanoTime();
        long[] ids;
        try {
            ids = store.store(messages, ts);
        } catch (RuntimeException e) {
            // the script may or may not have run: nothing is acknowledged, clients may resend
            health.reportFailure(e);
            for (Pending p : batch) {
                complete(p, new Outcome.Unavailable("message store unreachable"));
            }
            return;
        }
        metrics.storeBatch(batch.size(), System.nanoTime() - started);
        for (int i = 0; i < ids.length; i++) {
            Pending p = batch.get(i);
            complete(p, ids[i] == 0 ? new Outcome.NoSuchUser() : new Outcome.Stored(ids[i], ts));
        }
    }

    private static void complete(Pending p, Outcome outcome) {
        try {
            p.callback().done(outcome);
        } catch (RuntimeException e) {
            log.warn("Could not hand a store result back to its connection", e);
        }
    }

    private void failAll(String reason) {
        for (Pending p = queue.poll(); p != null; p = queue.poll()) {
            complete(p, new Outcome.Unavailable(reason));
        }
    }

    /** Stores what is queued (waiting at most {@code millis}), then stops; the rest gets UNAVAILABLE. */
    public void drainAndStop(long millis) {
        running = false;
        try {
            thread.join(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }

    @Override
    public void close() {
        drainAndStop(1000);
    }
}
