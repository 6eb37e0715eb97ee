package dev.parley.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a real {@code redis-server} and chat server processes on it, so
 * that a test class shows only what it checks:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ParleyCluster cluster = ParleyCluster.builder(ClusterIT.class)
 *         .servers("east", "west").arg("--rate-limit", "0").build();
 * static final ChatServerProcess east = cluster.server("east");
 * }</pre>
 *
 * <p>The processes exist (ports picked) from {@code build()}, so a test can name them in fields;
 * they run only during the tests. On a static field they are started before the first test and
 * stopped after the last; on an instance field each test gets fresh ones. Servers start in the
 * order named and stop in the reverse order, Redis last. A test may stop, kill and start them
 * itself; whatever runs at the end is stopped. Logs go to {@code target/it-logs/<TestClass>/},
 * Redis data to a fresh {@code target/it-redis/<TestClass>-<nanos>/}, so a run never sees an
 * earlier run's data.
 */
public final class ParleyCluster implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /**
     * PBKDF2 iterations for new password hashes: cheap, so that the many logins of a test do not
     * dominate its run time (the server's default, 600,000, costs a good part of a second each).
     */
    public static final int TEST_PASSWORD_ITERATIONS = 1000;

    private final Path logDir;
    private final List<String> args;
    private final Map<String, String> env;
    private final RedisServer redis;
    private final Map<String, ChatServerProcess> servers = new LinkedHashMap<>();
    private boolean perClass;

    private ParleyCluster(Builder b) {
        String name = b.testClass.getSimpleName();
        this.logDir = Path.of("target", "it-logs", name).toAbsolutePath();
        List<String> all = new ArrayList<>(List.of("--password-iterations", Integer.toString(b.passwordIterations)));
        all.addAll(b.args);
        this.args = List.copyOf(all);
        this.env = Map.copyOf(b.env);
        this.redis = RedisServer.create(Path.of("target", "it-redis", name + "-" + System.nanoTime()).toAbsolutePath(),
                b.appendOnly);
        for (String id : b.nodeIds) {
            servers.put(id, newServer(id).build());
        }
    }

    /** A cluster for the tests of {@code testClass}, whose name its log and data folders take. */
    public static Builder builder(Class<?> testClass) {
        return new Builder(testClass);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        // a test that froze Redis (pause()) and failed before resuming it must not freeze the next
        // test, nor the servers' shutdown
        if (redis.isAlive()) {
            redis.resume();
        }
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The Redis every server of this cluster uses. */
    public RedisServer redis() {
        return redis;
    }

    /** The one server of a cluster built with one. */
    public ChatServerProcess server() {
        if (servers.size() != 1) {
            throw new IllegalStateException("this cluster has " + servers.size() + " servers " + servers.keySet()
                    + "; name the one meant with server(nodeId)");
        }
        return servers.values().iterator().next();
    }

    /** The server with {@code nodeId}. */
    public ChatServerProcess server(String nodeId) {
        ChatServerProcess server = servers.get(nodeId);
        if (server == null) {
            throw new IllegalArgumentException("no server " + nodeId + " in this cluster, only " + servers.keySet());
        }
        return server;
    }

    /**
     * A builder for one more server like this cluster's (same Redis, options, environment and log
     * folder). The cluster does not own it: the test starts it and closes it.
     */
    public ChatServerProcess.Builder newServer(String nodeId) {
        ChatServerProcess.Builder b = ChatServerProcess.builder(redis.url(), logDir).nodeId(nodeId)
                .arg(args.toArray(String[]::new));
        env.forEach(b::env);
        return b;
    }

    private void start() {
        try {
            redis.start();
            for (ChatServerProcess server : servers.values()) {
                server.start();
            }
        } catch (RuntimeException | Error e) {
            // stop what did start before reporting: nothing half-started outlives the failure
            try {
                stop();
            } catch (RuntimeException | Error stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
    }

    private void stop() {
        List<AutoCloseable> order = new ArrayList<>(servers.values());
        Collections.reverse(order);
        order.add(redis);
        Closer.closeAll(order.toArray(AutoCloseable[]::new));
    }

    /** What to start: Redis, and the servers by node id, each with the same options. */
    public static final class Builder {
        private final Class<?> testClass;
        private boolean appendOnly;
        private final List<String> nodeIds = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private int passwordIterations = TEST_PASSWORD_ITERATIONS;

        private Builder(Class<?> testClass) {
            this.testClass = testClass;
        }

        /** Redis with AOF, {@code appendfsync always}: a restart, even after SIGKILL, keeps every acknowledged write. */
        public Builder appendOnly() {
            this.appendOnly = true;
            return this;
        }

        /** Servers with these node ids, started in this order (several calls add up). */
        public Builder servers(String... ids) {
            for (String id : ids) {
                if (nodeIds.contains(id)) {
                    throw new IllegalArgumentException("node id " + id + " given twice; for two servers with one "
                            + "id, start the second with newServer(id)");
                }
                nodeIds.add(id);
            }
            return this;
        }

        /** Command-line options for every server. */
        public Builder arg(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        /** An environment variable for every server. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** {@code --password-iterations}, set apart because the server takes the option only once. */
        public Builder passwordIterations(int iterations) {
            this.passwordIterations = iterations;
            return this;
        }

        public ParleyCluster build() {
            return new ParleyCluster(this);
        }
    }
}
