package dev.parley.server.store;

import dev.parley.protocol.ChatMessage;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.support.LogThrottle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores messages in batches on one thread of its own: whatever queued while the previous batch
 * was in Redis goes in the next script call, so throughput grows with load instead of paying a
 * round trip per message. The queue is bounded; a full queue refuses new messages at once. When
 * only a few messages wait, it lingers a little for more (see {@code --store-linger}), until enough
 * have come or the linger is up: every script call costs Redis and this server a fixed price in
 * system calls and wake-ups, whatever it holds.
 * <p>
 * The same call returns what other replicas stored since this one last delivered, so the writer
 * hands its batch to the local sessions itself, right behind the acks (see {@link LiveDelivery}):
 * one hop from send to recipient instead of a second trip through Redis and the dispatcher.
 */
public final class MessageWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessageWriter.class);
    private static final int MAX_BATCH = 512;
    /** A batch this large is stored at once; a smaller one waits the linger for company. */
    private static final int LINGER_BELOW = 8;
    /** The most messages from other replicas one store call brings back; more are left to the dispatcher. */
    private static final int MAX_BEFORE = 1000;
    /** A full queue is logged at most every 10 s, not once per refused message. */
    private final LogThrottle fullQueue = new LogThrottle(10, TimeUnit.SECONDS);

    /** What became of one message; delivered on the writer thread. */
    public sealed interface Outcome {
        record Stored(long id, long ts) implements Outcome {
        }

        record NoSuchUser() implements Outcome {
        }

        /** The send's client id was already used, within its retention, for a different message. */
        record IdReused() implements Outcome {
        }

        /** Not acknowledged; {@code maybeStored} when the store went away mid-write, so it may hold it. */
        record Unavailable(String reason, boolean maybeStored) implements Outcome {
        }
    }

    /** Receives a message's outcome, on the executor given with the message. */
    public interface Callback {
        void done(Outcome outcome);
    }

    private record Pending(NewMessage message, Executor executor, Callback callback) {
    }

    private final ChatStore store;
    private final StoreHealth health;
    private final ServerMetrics metrics;
    private final LiveDelivery delivery;
    private final long lingerNanos;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private volatile boolean running = true;
    /** Queued sends that end the writer's linger early; {@code Integer.MAX_VALUE} while it is not lingering. */
    private volatile int lingerEndsAt = Integer.MAX_VALUE;

    public MessageWriter(ChatStore store, StoreHealth health, ServerMetrics metrics, int capacity,
            Duration linger, LiveDelivery delivery) {
        this.store = store;
        this.lingerNanos = linger.toNanos();
        this.health = health;
        this.metrics = metrics;
        this.delivery = delivery;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, "parley-writer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /**
     * Queues a message whose outcome {@code callback} receives on {@code executor} (the caller's
     * event loop); false when the queue is full or the writer stopped (nothing was queued).
     */
    public boolean submit(NewMessage message, Executor executor, Callback callback) {
        if (!running) {
            return false;
        }
        if (queue.offer(new Pending(message, executor, callback))) {
            int endsAt = lingerEndsAt;
            if (endsAt != Integer.MAX_VALUE && queue.size() >= endsAt) {
                // enough for a batch worth a script call: the writer need not wait out its linger
                LockSupport.unpark(thread);
            }
            return true;
        }
        long refused = fullQueue.occurred();
        if (refused != LogThrottle.SKIP) {
            log.warn("Refusing sends with UNAVAILABLE: {} messages already wait for Redis (store too slow for the load);"
                    + " {} refused since the last line about it", queue.size(), refused);
        }
        return false;
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
                if (lingerNanos > 0 && batch.size() < LINGER_BELOW) {
                    linger(LINGER_BELOW - batch.size());
                    queue.drainTo(batch, MAX_BATCH - batch.size());
                }
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

    /**
     * Waits up to the linger for {@code wanted} more sends. Parked, not polling: sends queued
     * meanwhile do not wake this thread one by one, only the one that makes the batch large
     * enough. At a high rate that comes long before the linger ends, so the linger adds little
     * latency there, where the batches fill by themselves.
     */
    private void linger(int wanted) {
        long deadline = System.nanoTime() + lingerNanos;
        lingerEndsAt = wanted;
        try {
            long left;
            while (running && queue.size() < wanted && (left = deadline - System.nanoTime()) > 0
                    && !Thread.currentThread().isInterrupted()) {
                LockSupport.parkNanos(left);
            }
        } finally {
            lingerEndsAt = Integer.MAX_VALUE;
        }
    }

    private void storeBatch(List<Pending> batch, List<NewMessage> messages) {
        long ts = System.currentTimeMillis();
        long started = System.nanoTime();
        long after = delivery.lastId();
        ChatStore.StoreResult result;
        try {
            result = store.store(messages, ts, after, MAX_BEFORE);
        } catch (RuntimeException e) {
            // the script may or may not have run: nothing is acknowledged, and the client is told
            // the message may be stored, so it sends it again with the same id (or looks for it)
            health.reportFailure(e);
            Outcome unavailable = new Outcome.Unavailable("message store unreachable", true);
            Outcome[] outcomes = new Outcome[batch.size()];
            Arrays.fill(outcomes, unavailable);
            complete(batch, outcomes);
            return;
        }
        metrics.storeBatch(batch.size(), System.nanoTime() - started);
        ChatStore.Stored[] stored = result.stored();
        Outcome[] outcomes = new Outcome[stored.length];
        for (int i = 0; i < stored.length; i++) {
            long id = stored[i].id();
            outcomes[i] = id == 0 ? new Outcome.NoSuchUser() : id < 0 ? new Outcome.IdReused()
                    : new Outcome.Stored(id, stored[i].ts());
        }
        complete(batch, outcomes);
        deliver(after, result, messages);
    }

    /**
     * Offers the other replicas' messages the store call returned, then this batch's new ones, as
     * one run after {@code after}. Nothing is offered unless the ids follow on without a hole
     * (entries trimmed, or Redis reset its counter): the dispatcher then reads the stream and
     * reports what is missing.
     */
    private void deliver(long after, ChatStore.StoreResult result, List<NewMessage> messages) {
        if (result.before() == null || result.firstNew() <= 0) {
            return;
        }
        List<StoredMessage> run = new ArrayList<>(result.before().size() + messages.size());
        run.addAll(result.before());
        ChatStore.Stored[] stored = result.stored();
        for (int i = 0; i < stored.length; i++) {
            if (stored[i].id() >= result.firstNew()) {
                NewMessage m = messages.get(i);
                run.add(new StoredMessage(new ChatMessage(stored[i].id(), m.from(), m.to(), m.text(), stored[i].ts()),
                        m.origin()));
            }
        }
        long expected = after + 1;
        for (StoredMessage s : run) {
            if (s.message().id() != expected++) {
                return;
            }
        }
        try {
            delivery.offerFromWriter(after, run);
        } catch (RuntimeException e) {
            log.warn("Could not hand {} stored messages to the local sessions", run.size(), e);
        }
    }

    /**
     * Hands outcomes back with one task per executor rather than one per message: a batch's acks
     * for all connections of one event loop cost a single wake-up of that loop.
     */
    private static void complete(List<Pending> batch, Outcome[] outcomes) {
        Map<Executor, List<Runnable>> byExecutor = new IdentityHashMap<>();
        for (int i = 0; i < outcomes.length; i++) {
            Pending p = batch.get(i);
            Outcome outcome = outcomes[i];
            byExecutor.computeIfAbsent(p.executor(), e -> new ArrayList<>()).add(() -> p.callback().done(outcome));
        }
        for (Map.Entry<Executor, List<Runnable>> e : byExecutor.entrySet()) {
            List<Runnable> tasks = e.getValue();
            try {
                e.getKey().execute(() -> {
                    for (Runnable task : tasks) {
                        try {
                            task.run();
                        } catch (RuntimeException ex) {
                            log.warn("Could not hand a store result back to its connection", ex);
                        }
                    }
                });
            } catch (RejectedExecutionException ex) {
                log.debug("Event loop gone while handing back {} store results", tasks.size());
            }
        }
    }

    private void failAll(String reason) {
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        Outcome[] outcomes = new Outcome[rest.size()];
        Arrays.fill(outcomes, new Outcome.Unavailable(reason, false));
        complete(rest, outcomes);
    }

    /** Stores what is queued (waiting at most {@code millis}), then stops; the rest gets UNAVAILABLE. */
    public void drainAndStop(long millis) {
        running = false;
        // out of a linger at once: what waits is stored now
        LockSupport.unpark(thread);
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
