package dev.parley.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.config.ServerConfig;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.session.Fanout;
import dev.parley.server.session.SessionRegistry;
import dev.parley.server.store.ChatStore;
import dev.parley.server.store.LiveDelivery;
import dev.parley.server.store.MessageWriter;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.StoreHealth;
import dev.parley.testkit.RedisServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store writer's linger waits for company for a small batch, and ends as soon as the batch is
 * large enough rather than when its time is up: at a high rate it must not hold messages back.
 * The linger here is a minute, so only its early end can store a full batch within the test.
 */
class StoreLingerIT {
    private static final Duration LONG_LINGER = Duration.ofMinutes(1);
    /** The batch size at which the writer stops lingering (MessageWriter.LINGER_BELOW). */
    private static final int FULL = 8;

    @TempDir
    Path dir;
    private RedisServer redis;
    private ChatStore store;
    private StoreHealth health;
    private MessageWriter writer;
    private final List<MessageWriter.Outcome> outcomes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        redis = RedisServer.start(dir, false);
        ServerConfig config = ServerConfig.defaults(6000, 8080, URI.create(redis.url()), "linger-it");
        store = new ChatStore(config, 2);
        health = new StoreHealth(store);
        store.register("ann", "x");
        store.register("bob", "x");
        writer = new MessageWriter(store, health, new ServerMetrics(), 64, LONG_LINGER,
                new LiveDelivery(new Fanout(new SessionRegistry())));
        writer.start();
    }

    @AfterEach
    void stop() {
        writer.drainAndStop(0);
        health.close();
        store.close();
        redis.close();
    }

    private void send(int i) {
        assertThat(writer.submit(new NewMessage("ann", "bob", "m" + i, "linger-it/1"), Runnable::run, outcomes::add))
                .isTrue();
    }

    @Test
    void aSmallBatchWaitsAndAFullOneIsStoredAtOnce() throws InterruptedException {
        send(0);
        // lingering: the lone message waits for company (without a linger it is stored in a few ms)
        Thread.sleep(300);
        assertThat(outcomes).isEmpty();
        for (int i = 1; i < FULL; i++) {
            send(i);
        }
        // the eighth message ends the linger: all are stored well before the minute is up
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == FULL);
        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(MessageWriter.Outcome.Stored.class));
        assertThat(outcomes.stream().mapToLong(o -> ((MessageWriter.Outcome.Stored) o).id()))
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }
}
