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
        int passwordIterations) {

    public ServerConfig {
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }

    public boolean adminEnabled() {
        return adminToken != null && !adminToken.isEmpty();
    }

    /** Defaults for tests and embedding: the same values the command line uses. */
    public static ServerConfig defaults(int port, int httpPort, URI redisUrl, String nodeId) {
        return new ServerConfig(port, httpPort, redisUrl, nodeId, 50, 65536, null, Duration.ofSeconds(10),
                1 << 20, 10_000, 200_000, 10_000);
    }
}
