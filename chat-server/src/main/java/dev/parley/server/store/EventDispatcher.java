package dev.parley.server.store;

import dev.parley.cli.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * Reads the fan-out stream that every replica writes to and hands each message, in id order, to
 * the local sessions. It reads {@link Keys#LEGACY_EVENTS} alongside, where replicas of earlier
 * versions still store messages during a rolling upgrade, so their messages reach this replica's
 * sessions live and in order too. It resumes after the last id delivered, so after losing Redis nothing sent
 * meanwhile is lost (unlike Pub/Sub). While the message writer keeps delivering (its store calls
 * return what other replicas stored too; see {@link LiveDelivery}) it stays out of the way: a
 * blocking read would wake this thread and Redis once more for every batch the writer already
 * delivered. It reads again once the writer has been quiet for {@link #WRITER_QUIET_NANOS}, which
 * bounds how late a message from another replica can be.
 */
public final class EventDispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);
    private static final int BLOCK_MILLIS = 1000;
    /**
     * Entries per read. An entry is one stored batch of up to {@code MessageWriter.MAX_BATCH}
     * messages, so this bounds one read to 4,096 messages.
     */
    private static final int READ_COUNT = 8;
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

    /**
     * Messages read from one stream entry: a batch from {@link Keys#FANOUT}, or one legacy
     * message; null when the entry cannot be read.
     */
    private record Span(long first, List<StoredMessage> messages) {
    }

    private void readOnce(Jedis jedis) {
        long lastId = delivery.lastId();
        String cursor = lastId + "-0";
        // raw, not jedis.xread: a fan-out entry's msgs field is length-prefixed bytes, which a
        // String would garble (see ChatStore.fanOutMessages)
        Object reply = jedis.sendCommand(Protocol.Command.XREAD, "COUNT", Integer.toString(READ_COUNT),
                "BLOCK", Integer.toString(BLOCK_MILLIS), "STREAMS", Keys.FANOUT, Keys.LEGACY_EVENTS, cursor, cursor);
        if (!(reply instanceof List<?> streams) || streams.isEmpty()) {
            return;
        }
        // Both streams take ids from one counter. A stream that filled the page may hold more
        // below the other's last id, so only what lies up to the smaller of their page ends is
        // complete; the rest is read again next time.
        List<Span> spans = new ArrayList<>();
        long complete = Long.MAX_VALUE;
        for (Object stream : streams) {
            List<?> entries = (List<?>) ((List<?>) stream).get(1);
            long end = 0;
            for (Object e : entries) {
                end = ChatStore.entryId((List<?>) e);
                List<StoredMessage> messages;
                try {
                    messages = ChatStore.fanOutMessages((List<?>) e);
                } catch (RuntimeException ex) {
                    // not written by this server (by hand, or a version with another format):
                    // reported and stepped over, never read again and again
                    log.error("Fan-out entry {}-0 cannot be read ({}); its messages reach clients only "
                            + "through since", end, ex.getMessage());
                    messages = null;
                }
                spans.add(new Span(end, messages));
            }
            if (entries.size() >= READ_COUNT) {
                complete = Math.min(complete, end);
            }
        }
        spans.sort(Comparator.comparingLong(Span::first));

        List<StoredMessage> run = new ArrayList<>();
        long after = lastId;
        // from an empty stream (cursor 0) the first entry may start anywhere; after it, never
        boolean checked = lastId > 0;
        long expected = lastId + 1;
        for (Span span : spans) {
            if (span.first() > complete) {
                break;
            }
            if (span.messages() == null) {
                delivery.offer(after, run);
                run = new ArrayList<>();
                delivery.discontinuity("fan-out entry " + span.first() + " cannot be read");
                delivery.skipTo(span.first());
                after = span.first();
                // how many ids the entry held is unknown: the next entry starts where it may
                checked = false;
                continue;
            }
            if (checked && span.first() != expected) {
                // what follows on from the cursor, then word of the hole, then what comes after it
                delivery.offer(after, run);
                after = expected - 1;
                run = new ArrayList<>();
                delivery.discontinuity("messages " + expected + " to " + (span.first() - 1)
                        + " are not in the fan-out stream (trimmed before this replica read them)");
            }
            checked = true;
            run.addAll(span.messages());
            expected = span.first() + span.messages().size();
        }
        delivery.offer(after, run);
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
