package dev.parley.server.session;

import dev.parley.server.store.ChatStore;
import dev.parley.server.store.StoreHealth;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other replicas who is online here: the whole set, whenever it changed (checked every
 * 200 ms) and at least every 5 s as a heartbeat. A replica that stops publishing drops out of
 * {@code who} when its entry expires.
 */
public final class PresencePublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PresencePublisher.class);
    private static final long HEARTBEAT_MILLIS = 5000;

    private final SessionRegistry registry;
    private final ChatStore store;
    private final StoreHealth health;
    private final String node;
    private final int ttlSeconds;
    private final ScheduledExecutorService timer;
    private long lastPublished;

    public PresencePublisher(SessionRegistry registry, ChatStore store, StoreHealth health, String node,
                             long ttlMillis) {
        this.registry = registry;
        this.store = store;
        this.health = health;
        this.node = node;
        this.ttlSeconds = (int) Math.max(1, ttlMillis / 1000);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-presence");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::tick, 0, 200, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        long now = System.currentTimeMillis();
        boolean changed = registry.takeUsersChanged();
        if (!changed && now - lastPublished < HEARTBEAT_MILLIS) {
            return;
        }
        try {
            store.publishPresence(node, new ArrayList<>(registry.users()), now, ttlSeconds);
            lastPublished = now;
        } catch (RuntimeException e) {
            // try again on the next tick
            registry.markUsersChanged();
            health.reportFailure(e);
            log.debug("Could not publish presence", e);
        }
    }

    /** Stops publishing and removes this replica's entry, so {@code who} drops its users at once. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
            store.withdrawPresence(node);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.info("Could not remove this replica from presence; it expires by itself ({})", e.getMessage());
        }
    }
}
