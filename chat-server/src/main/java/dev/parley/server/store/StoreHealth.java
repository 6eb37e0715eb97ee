package dev.parley.server.store;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis answers. Checked every second and on every store failure, so {@code send} can
 * answer UNAVAILABLE at once while Redis is away and /readyz turns 503, and both recover by
 * themselves when it returns.
 */
public final class StoreHealth implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);

    private final ChatStore store;
    private final ScheduledExecutorService timer;
    private volatile boolean up;

    public StoreHealth(ChatStore store) {
        this.store = store;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-store-health");
            t.setDaemon(true);
            return t;
        });
    }

    /** Checks once now, then every second. */
    public void start() {
        check();
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    public boolean isUp() {
        return up;
    }

    /** Called by whoever saw a Redis call fail, so the state changes without waiting for the timer. */
    public void reportFailure(Exception e) {
        if (up) {
            up = false;
            log.warn("Lost the connection to Redis ({}); sends answer UNAVAILABLE until it is back", e.getMessage());
        }
    }

    void check() {
        boolean now;
        try {
            now = store.ping();
        } catch (RuntimeException e) {
            now = false;
        }
        if (now && !up) {
            log.info("Redis at {} answers; accepting messages", store.describe());
        } else if (!now && up) {
            log.warn("Redis at {} does not answer; sends answer UNAVAILABLE until it is back", store.describe());
        }
        up = now;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
