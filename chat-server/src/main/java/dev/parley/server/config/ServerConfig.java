package dev.parley.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/** Everything the server needs to start, already validated. */
public record ServerConfig(
        int port,
        int httpPort,
        URI redisUrl,
        String nodeId,
        int rateLimit,
        int maxFrameBytes,
        String adminToken,
        Duration shutdownGrace,
        int maxOutboundBytes,
        int historyRetention,
        int eventsRetention,
        int passwordIterations,
        Duration storeLinger,
        int ioThreads,
        ConnectionLimits limits,
        LoginLimits logins) {

    public ServerConfig {
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(storeLinger, "storeLinger");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(logins, "logins");
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be at least 1, got " + ioThreads);
        }
    }

    /**
     * What a connection may hold of the server, whoever opens it.
     *
     * @param loginTimeout        from connect to a successful hello
     * @param idleTimeout         a logged-in connection that sends nothing this long is closed
     * @param maxConnections      chat connections at once, over every address
     * @param maxPerAddress       chat connections at once from one address; 0 for no limit
     * @param bind                address the chat port listens on ({@code 0.0.0.0}: every one)
     * @param httpBind            address the HTTP port listens on ({@code 0.0.0.0}: every one)
     * @param httpTimeout         an HTTP connection silent this long is closed, and none lives longer than 4 times it
     */
    public record ConnectionLimits(Duration loginTimeout, Duration idleTimeout, int maxConnections,
                                   int maxPerAddress, String bind, String httpBind, Duration httpTimeout) {
        public ConnectionLimits {
            Objects.requireNonNull(loginTimeout, "loginTimeout");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(bind, "bind");
            Objects.requireNonNull(httpBind, "httpBind");
            Objects.requireNonNull(httpTimeout, "httpTimeout");
        }

        /** The command line's defaults. */
        public static ConnectionLimits defaults() {
            return new ConnectionLimits(Duration.ofSeconds(30), Duration.ofMinutes(2), 20_000, 0, "0.0.0.0", "0.0.0.0",
                    Duration.ofSeconds(15));
        }
    }

    /**
     * What logging in may cost the server, and how often one account may be guessed at.
     *
     * @param backoff the first lock of an account after {@link #FAILURES_BEFORE_BACKOFF} wrong
     *                passwords in a row, doubling with each further one up to
     *                {@link #BACKOFF_CAP_FACTOR} times it; zero turns the backoff off
     * @param authQueue hellos that may wait for an auth thread; more are refused at once
     * @param maxSessionsPerUser sessions one user may have on this replica at once
     */
    public record LoginLimits(Duration backoff, int authQueue, int maxSessionsPerUser) {
        /** Wrong passwords in a row an account is allowed before its logins are refused for a while. */
        public static final int FAILURES_BEFORE_BACKOFF = 5;
        /** The longest lock, in multiples of the first: 5 minutes at the default 1 s. */
        public static final int BACKOFF_CAP_FACTOR = 300;
        /** Failures are forgotten this many longest locks after the last lock ends: 15 minutes at the default. */
        public static final int FAILURE_MEMORY_FACTOR = 3;

        public LoginLimits {
            Objects.requireNonNull(backoff, "backoff");
        }

        /** The command line's defaults. */
        public static LoginLimits defaults() {
            return new LoginLimits(Duration.ofSeconds(1), 64, 20);
        }

        public boolean backoffEnabled() {
            return !backoff.isZero();
        }

        public Duration longestLock() {
            return backoff.multipliedBy(BACKOFF_CAP_FACTOR);
        }

        public Duration failureMemory() {
            return longestLock().multipliedBy(FAILURE_MEMORY_FACTOR);
        }
    }

    public boolean adminEnabled() {
        return adminToken != null && !adminToken.isEmpty();
    }

    /** How long the store writer waits to fill a small batch; see {@code --store-linger}. */
    public static final Duration DEFAULT_STORE_LINGER = Duration.ofNanos(500_000);

    /**
     * The chat connections' event loops when none are asked for: one per core this process may use.
     * Fewer save CPU at moderate load and lengthen the tail at high load (see {@code --io-threads}).
     */
    public static int automaticIoThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Defaults for tests and embedding: the same values the command line uses. */
    public static ServerConfig defaults(int port, int httpPort, URI redisUrl, String nodeId) {
        return new ServerConfig(port, httpPort, redisUrl, nodeId, 50, 65536, null, Duration.ofSeconds(10),
                1 << 20, 10_000, 200_000, 600_000, DEFAULT_STORE_LINGER, automaticIoThreads(), ConnectionLimits.defaults(),
                LoginLimits.defaults());
    }
}
