package dev.parley.server.session;

import dev.parley.server.store.ChatStore;
import dev.parley.server.store.StoreHealth;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is online on this replica, as every replica's {@code who} reads it from Redis. A user is
 * added before their {@code welcome} is written, so once a client is welcomed, {@code who} on
 * any replica lists it; the user is removed when their last session here ends. Each change is
 * one set operation, never a rewrite of the whole set (which is written again only to repair
 * it: after a removal failed, or when Redis lost it). A heartbeat every 5 s keeps this replica's
 * set alive; a replica that dies drops out of {@code who} when its heartbeat is older than the
 * TTL.
 *
 * <p>The replica is known in Redis by its <em>instance id</em>, the node id with a random suffix
 * of this process: two servers started with the same {@code --node-id} (a copy-pasted
 * configuration) keep apart their presence and the origins of their connections.
 */
public final class Presence implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Presence.class);
    private static final long HEARTBEAT_MILLIS = 5000;
    /** How long a replica's users count as online after its last heartbeat. */
    public static final long TTL_MILLIS = 15_000;

    private final ChatStore store;
    private final StoreHealth health;
    private final String instance;
    private final long ttlMillis;
    private final int ttlSeconds;
    private final ScheduledExecutorService timer;
    /** Sessions per user on this replica, as published; changed only with the store call that publishes it. */
    private final Object lock = new Object();
    private final Map<String, Integer> sessions = new HashMap<>();
    private boolean dirty;

    public Presence(ChatStore store, StoreHealth health, String nodeId, long ttlMillis) {
        this.store = store;
        this.health = health;
        byte[] suffix = new byte[4];
        new SecureRandom().nextBytes(suffix);
        this.instance = nodeId + "." + HexFormat.of().formatHex(suffix);
        this.ttlMillis = ttlMillis;
        this.ttlSeconds = (int) Math.max(1, ttlMillis / 1000);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-presence");
            t.setDaemon(true);
            return t;
        });
    }

    /** This process's id among the replicas: the node id and a random suffix. */
    public String instance() {
        return instance;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::heartbeat, 0, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * A session of {@code user} starts here: when this returns, every replica's {@code who} lists
     * the user. Blocking (Redis): call it from an executor, before the welcome is written.
     *
     * @throws RuntimeException when Redis could not be told: the login must fail
     */
    public void enter(String user) {
        synchronized (lock) {
            int here = sessions.getOrDefault(user, 0);
            if (here == 0) {
                store.enterPresence(instance, user, System.currentTimeMillis(), ttlSeconds);
            }
            sessions.put(user, here + 1);
        }
    }

    /**
     * Everyone online on a replica whose heartbeat is within the TTL, this one included.
     * Blocking (Redis): call it from an executor.
     */
    public List<String> online() {
        return store.onlineUsers(System.currentTimeMillis(), ttlMillis);
    }

    /** A session of {@code user} that {@link #enter}ed ended. Does not block: Redis is told from the presence thread. */
    public void leave(String user) {
        try {
            timer.execute(() -> remove(user));
        } catch (RejectedExecutionException e) {
            // shutting down: close() withdraws the whole set
        }
    }

    private void remove(String user) {
        synchronized (lock) {
            Integer here = sessions.get(user);
            if (here == null) {
                return;
            }
            if (here > 1) {
                sessions.put(user, here - 1);
                return;
            }
            sessions.remove(user);
            try {
                store.leavePresence(instance, user);
            } catch (RuntimeException e) {
                // the heartbeat writes the whole set again
                dirty = true;
                health.reportFailure(e);
            }
        }
    }

    private void heartbeat() {
        synchronized (lock) {
            try {
                long now = System.currentTimeMillis();
                boolean present = store.presenceHeartbeat(instance, now, ttlSeconds);
                if (dirty || (!present && !sessions.isEmpty())) {
                    log.info("Writing this replica's {} online users to Redis again ({})", sessions.size(),
                            dirty ? "a removal had failed" : "Redis had lost them");
                    store.publishPresence(instance, List.copyOf(sessions.keySet()), now, ttlSeconds);
                    dirty = false;
                }
            } catch (RuntimeException e) {
                // Redis may have restarted without the set: write it whole once it answers again
                dirty = true;
                health.reportFailure(e);
                log.debug("Presence heartbeat failed", e);
            }
        }
    }

    /** Stops the heartbeat and removes this replica's entry, so {@code who} drops its users at once. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
            store.withdrawPresence(instance);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.info("Could not remove this replica from presence; it expires by itself ({})", e.getMessage());
        }
    }
}
