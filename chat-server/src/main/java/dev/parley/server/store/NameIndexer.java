package dev.parley.server.store;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Fills the case-insensitive name index ({@link Keys#NAMES}) from the registered accounts once
 * at start, in the background, trying again until Redis answers: accounts registered before the
 * index existed keep working under their exact name and block its case variants once indexed.
 */
public final class NameIndexer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NameIndexer.class);
    private static final long RETRY_SECONDS = 2;
    private static final long SLOW_RETRY_SECONDS = 60;

    private final ChatStore store;
    private final ScheduledExecutorService timer;

    public NameIndexer(ChatStore store) {
        this.store = store;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-name-index");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        timer.execute(this::run);
    }

    private void run() {
        long started = System.nanoTime();
        try {
            long added = store.indexNames();
            log.info("Case-insensitive name index complete: {} names registered before it added, in {} ms", added,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (JedisConnectionException e) {
            // Redis away at start, or lost mid-scan: the scan is idempotent, so start it over
            log.debug("Indexing user names failed; trying again in {} s", RETRY_SECONDS, e);
            retryIn(RETRY_SECONDS);
        } catch (RuntimeException e) {
            log.warn("Indexing user names failed; case variants of names registered before this version may still "
                    + "be registered until it succeeds; trying again in {} s", SLOW_RETRY_SECONDS, e);
            retryIn(SLOW_RETRY_SECONDS);
        }
    }

    private void retryIn(long seconds) {
        if (!timer.isShutdown()) {
            timer.schedule(this::run, seconds, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
