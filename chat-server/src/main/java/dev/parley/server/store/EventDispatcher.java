package dev.parley.server.store;

import dev.parley.cli.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Reads the fan-out stream that every replica writes to and hands each message, in id order, to
 * the local sessions. It resumes after the last id delivered, so after losing Redis nothing sent
 * meanwhile is lost (unlike Pub/Sub). While the message writer keeps delivering (its store calls
 * return what other replicas stored too; see {@link LiveDelivery}) it stays out of the way: a
 * blocking read would wake this thread and Redis once more for every batch the writer already
 * delivered. It reads again once the writer has been quiet for {@link #WRITER_QUIET_NANOS}, which
 * bounds how late a message from another replica can be.
 */
public final class EventDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);
    private static final int BLOCK_MILLIS = 1000;
    private static final int READ_COUNT = 1000;
    static final long WRITER_QUIET_NANOS = 2_000_000;

    /** Receives what the dispatcher reads, on the dispatcher thread. */
    public interface Listener {
        void onMessages(List<StoredMessage> messages);

        /**
         * This replica cannot deliver every message in order any more (messages were trimmed before
         * it read them, or Redis lost its data): {@code reason} says which.
         */
        void onDiscontinuity(String reason);
    }

    private final ChatStore store;
    private final StoreHealth health;
    private final LiveDelivery delivery;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Jedis connection;

    public EventDispatcher(ChatStore store, StoreHealth health, LiveDelivery delivery) {
        this.store = store;
        this.health = health;
        this.delivery = delivery;
        this.thread = new Thread(this::run, "parley-dispatcher");
        this.thread.setDaemon(true);
    }

    /** Starts reading after the newest message stored so far (once Redis answers). */
    public void start() {
        thread.start();
    }

    private void run() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        while (running) {
            try (Jedis jedis = store.dedicatedConnection(BLOCK_MILLIS + 5000)) {
                connection = jedis;
                long newest = store.lastEventId();
                long lastId = delivery.lastId();
                if (lastId < 0) {
                    delivery.restartAfter(newest);
                } else if (newest < lastId) {
                    // Redis came back without the messages this replica already read: it lost data
                    log.error("Redis restarted without its data (newest message {} < {} already read); "
                            + "start Redis with appendonly yes to keep history across restarts", newest, lastId);
                    delivery.discontinuity("Redis lost messages up to " + lastId);
                    delivery.restartAfter(0);
                }
                backoff.reset();
                while (running) {
                    long quiet = delivery.nanosSinceWriterDelivered();
                    if (quiet < WRITER_QUIET_NANOS) {
                        sleepNanos(WRITER_QUIET_NANOS - quiet);
                    } else {
                        readOnce(jedis);
                    }
                }
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                health.reportFailure(e);
                Duration delay = backoff.next();
                log.debug("Fan-out stream read failed; retrying from id {} in {} ms", delivery.lastId(),
                        delay.toMillis(), e);
                sleepNanos(delay.toNanos());
            } finally {
                connection = null;
            }
        }
    }

    private void readOnce(Jedis jedis) {
        long lastId = delivery.lastId();
        List<Map.Entry<String, List<StreamEntry>>> reply = jedis.xread(
                XReadParams.xReadParams().block(BLOCK_MILLIS).count(READ_COUNT),
                Map.of(Keys.EVENTS, new StreamEntryID(lastId, 0)));
        if (reply == null || reply.isEmpty()) {
            return;
        }
        List<StreamEntry> entries = reply.get(0).getValue();
        if (entries.isEmpty()) {
            return;
        }
        long first = entries.get(0).getID().getTime();
        if (lastId > 0 && first > lastId + 1) {
            delivery.discontinuity("messages " + (lastId + 1) + " to " + (first - 1)
                    + " left the fan-out stream before this replica read them");
        }
        List<StoredMessage> batch = new ArrayList<>(entries.size());
        for (StreamEntry e : entries) {
            batch.add(ChatStore.toStoredMessage(e));
        }
        delivery.offer(lastId, batch);
    }

    private void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        Jedis jedis = connection;
        if (jedis != null) {
            try {
                // unblocks a pending XREAD BLOCK
                jedis.disconnect();
            } catch (RuntimeException e) {
                log.debug("Closing the stream connection", e);
            }
        }
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
