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
        ConnectionLimits limits) {

    public ServerConfig {
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * What a connection may hold of the server, whoever opens it.
     *
     * @param loginTimeout        from connect to a successful hello
     * @param idleTimeout         a logged-in connection that sends nothing this long is closed
     * @param maxConnections      chat connections at once, over every address
     * @param maxPerAddress       chat connections at once from one address; 0 for no limit
     * @param httpBind            address the HTTP port listens on ({@code 0.0.0.0}: every one)
     * @param httpTimeout         an HTTP connection silent this long is closed, and none lives longer than 4 times it
     */
    public record ConnectionLimits(Duration loginTimeout, Duration idleTimeout, int maxConnections,
                                   int maxPerAddress, String httpBind, Duration httpTimeout) {
        public ConnectionLimits {
            Objects.requireNonNull(loginTimeout, "loginTimeout");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(httpBind, "httpBind");
            Objects.requireNonNull(httpTimeout, "httpTimeout");
        }

        /** The command line's defaults. */
        public static ConnectionLimits defaults() {
            return new ConnectionLimits(Duration.ofSeconds(30), Duration.ofMinutes(2), 20_000, 0, "0.0.0.0",
                    Duration.ofSeconds(15));
        }
    }

    public boolean adminEnabled() {
        return adminToken != null && !adminToken.isEmpty();
    }

    /** Defaults for tests and embedding: the same values the command line uses. */
    public static ServerConfig defaults(int port, int httpPort, URI redisUrl, String nodeId) {
        return new ServerConfig(port, httpPort, redisUrl, nodeId, 50, 65536, null, Duration.ofSeconds(10),
                1 << 20, 10_000, 200_000, 10_000, ConnectionLimits.defaults());
    }
}
