package dev.parley.server.config;

import dev.parley.cli.DurationConverter;
import dev.parley.cli.ManifestVersionProvider;
import dev.parley.cli.PositiveDurationConverter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The server's command line: every option also reads an environment variable, so the same image
 * runs from flags on a laptop and from env in a pod. Values are checked here, before anything
 * starts, and a bad one ends the process with exit code 2 and a one-line reason.
 */
@Command(name = "chat-server", mixinStandardHelpOptions = true, versionProvider = ManifestVersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Parley chat server: protocol v1 over TCP, history in Redis.")
public final class ServerCommand implements Callable<Integer> {
    /** The longest any duration option may be: a longer one is a typo (2h for 2m), not a setting. */
    private static final Duration LONGEST = Duration.ofHours(1);

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:CHAT_PORT:-6000}",
            description = "Chat TCP port (env CHAT_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:CHAT_HTTP_PORT:-8080}",
            description = "HTTP port for /healthz, /readyz, /metrics, /admin (env CHAT_HTTP_PORT, default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--redis-url", paramLabel = "URL", defaultValue = "${env:REDIS_URL}",
            description = "Redis to store in (env REDIS_URL, else REDIS_HOST and REDIS_PORT, else redis://localhost:6379).")
    String redisUrl;

    @Option(names = "--node-id", paramLabel = "ID", defaultValue = "${env:CHAT_NODE_ID}",
            description = "This replica's name in welcome frames and presence (env CHAT_NODE_ID, default the host name).")
    String nodeId;

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "${env:CHAT_RATE_LIMIT:-50}",
            description = "Frames per second per connection; 0 turns the limit off (env CHAT_RATE_LIMIT, default ${DEFAULT-VALUE}).")
    int rateLimit;

    @Option(names = "--max-frame-bytes", paramLabel = "BYTES", defaultValue = "${env:CHAT_MAX_FRAME_BYTES:-65536}",
            description = "Longest accepted line (env CHAT_MAX_FRAME_BYTES, default ${DEFAULT-VALUE}).")
    int maxFrameBytes;

    @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:CHAT_ADMIN_TOKEN}",
            description = "Bearer token for POST /admin/broadcast; unset disables it (env CHAT_ADMIN_TOKEN).")
    String adminToken;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "${env:CHAT_SHUTDOWN_GRACE:-10s}",
            converter = DurationConverter.class,
            description = "Time to finish in-flight work after SIGTERM, e.g. 10s, 500ms, 1m; every duration option "
                    + "takes a number and a unit (ms, s, m, h) or ISO-8601 (env CHAT_SHUTDOWN_GRACE, default ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Option(names = "--max-outbound-bytes", paramLabel = "BYTES", defaultValue = "${env:CHAT_MAX_OUTBOUND_BYTES:-1048576}",
            description = "Unsent bytes a connection may hold before it is dropped as too slow (env CHAT_MAX_OUTBOUND_BYTES, default ${DEFAULT-VALUE}).")
    int maxOutboundBytes;

    @Option(names = "--history-retention", paramLabel = "N", defaultValue = "${env:CHAT_HISTORY_RETENTION:-10000}",
            description = "Messages kept per conversation, at least (env CHAT_HISTORY_RETENTION, default ${DEFAULT-VALUE}).")
    int historyRetention;

    @Option(names = "--events-retention", paramLabel = "N", defaultValue = "${env:CHAT_EVENTS_RETENTION:-200000}",
            description = "Messages kept in the replica fan-out stream, at least (env CHAT_EVENTS_RETENTION, default ${DEFAULT-VALUE}).")
    int eventsRetention;

    @Option(names = "--password-iterations", paramLabel = "N", defaultValue = "${env:CHAT_PASSWORD_ITERATIONS:-600000}",
            description = "PBKDF2 iterations for new password hashes (env CHAT_PASSWORD_ITERATIONS, default ${DEFAULT-VALUE}).")
    int passwordIterations;

    @Option(names = "--store-linger", paramLabel = "DURATION", defaultValue = "${env:CHAT_STORE_LINGER:-500us}",
            converter = DurationConverter.class,
            description = "When only a few sends wait to be stored, wait up to this much longer for more, so Redis "
                    + "gets fewer, larger writes: less CPU for the server and Redis at moderate load, for at most this "
                    + "much latency; never when a batch is already large, and no longer once it is; 0 turns it off "
                    + "(env CHAT_STORE_LINGER, "
                    + "default ${DEFAULT-VALUE}).")
    Duration storeLinger;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "${env:CHAT_IO_THREADS:-0}",
            description = "Threads that read and write the chat connections; 0: one per core the server may use. "
                    + "Fewer cost less CPU per message (each wake-up finds more connections ready) but make the tail "
                    + "worse when the cores are busy: on 2 cores, 1 thread took about 12% less CPU per DM at 10,000/s "
                    + "and had about twice as long a p99 at 30,000/s (docs/benchmarks.md) "
                    + "(env CHAT_IO_THREADS, default ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--login-backoff", paramLabel = "DURATION", defaultValue = "${env:CHAT_LOGIN_BACKOFF:-1s}",
            converter = DurationConverter.class,
            description = "After " + ServerConfig.LoginLimits.FAILURES_BEFORE_BACKOFF + " wrong passwords in a row "
                    + "for one account, its logins are refused for this long, on every replica, doubling with each "
                    + "further wrong one up to " + ServerConfig.LoginLimits.BACKOFF_CAP_FACTOR + " times it; a right "
                    + "password resets it; 0 turns it off (env CHAT_LOGIN_BACKOFF, default ${DEFAULT-VALUE}).")
    Duration loginBackoff;

    @Option(names = "--auth-queue", paramLabel = "N", defaultValue = "${env:CHAT_AUTH_QUEUE:-64}",
            description = "Hellos that may wait for a password check; more are answered UNAVAILABLE at once rather "
                    + "than late (env CHAT_AUTH_QUEUE, default ${DEFAULT-VALUE}).")
    int authQueue;

    @Option(names = "--max-sessions-per-user", paramLabel = "N", defaultValue = "${env:CHAT_MAX_SESSIONS_PER_USER:-20}",
            description = "Sessions one user may have on this replica at once (each replica counts its own); a hello "
                    + "beyond it is refused with INVALID (env CHAT_MAX_SESSIONS_PER_USER, default ${DEFAULT-VALUE}).")
    int maxSessionsPerUser;

    @Option(names = "--login-timeout", paramLabel = "DURATION", defaultValue = "${env:CHAT_LOGIN_TIMEOUT:-30s}",
            converter = PositiveDurationConverter.class,
            description = "A connection not logged in this long after connecting is closed (env CHAT_LOGIN_TIMEOUT, default ${DEFAULT-VALUE}).")
    Duration loginTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "${env:CHAT_IDLE_TIMEOUT:-2m}",
            converter = PositiveDurationConverter.class,
            description = "A logged-in connection that sends nothing this long is closed; clients ping when they have "
                    + "nothing else to say (env CHAT_IDLE_TIMEOUT, default ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "${env:CHAT_MAX_CONNECTIONS:-20000}",
            description = "Chat connections at once; more are refused with UNAVAILABLE (env CHAT_MAX_CONNECTIONS, default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-connections-per-address", paramLabel = "N",
            defaultValue = "${env:CHAT_MAX_CONNECTIONS_PER_ADDRESS:-0}",
            description = "Chat connections at once from one client address; 0: no limit, the default, because "
                    + "behind a NodePort or load balancer clients may share the node's address "
                    + "(env CHAT_MAX_CONNECTIONS_PER_ADDRESS, default ${DEFAULT-VALUE}).")
    int maxPerAddress;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "${env:CHAT_BIND:-*}",
            description = "Address the chat port listens on, e.g. 127.0.0.1; * for every address, IPv4 and IPv6 "
                    + "(env CHAT_BIND, default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--http-bind", paramLabel = "ADDRESS", defaultValue = "${env:CHAT_HTTP_BIND:-0.0.0.0}",
            description = "Address the HTTP port listens on, e.g. 127.0.0.1 (env CHAT_HTTP_BIND, default ${DEFAULT-VALUE}).")
    String httpBind;

    @Option(names = "--http-timeout", paramLabel = "DURATION", defaultValue = "${env:CHAT_HTTP_TIMEOUT:-15s}",
            converter = PositiveDurationConverter.class,
            description = "An HTTP connection silent this long is closed, and none is kept longer than 4 times it "
                    + "(env CHAT_HTTP_TIMEOUT, default ${DEFAULT-VALUE}).")
    Duration httpTimeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private ServerConfig parsed;

    /** Validates the options; the caller starts the server from {@link #config()}. */
    @Override
    public Integer call() {
        parsed = toConfig();
        return 0;
    }

    /** The configuration of a successful parse, or null (bad options, --help, --version). */
    public ServerConfig config() {
        return parsed;
    }

    /** A command line for {@code command} that prints a bad value's reason on one line and exits 2. */
    public static CommandLine commandLine(ServerCommand command) {
        CommandLine cli = new CommandLine(command);
        cli.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("chat-server: " + ex.getMessage() + " (see --help)");
            return CommandLine.ExitCode.USAGE;
        });
        return cli;
    }

    private ServerConfig toConfig() {
        CommandLine cli = spec.commandLine();
        checkPort(cli, "--port", port);
        checkPort(cli, "--http-port", httpPort);
        if (port == httpPort) {
            throw bad(cli, "--port and --http-port must differ, both are " + port);
        }
        check(cli, rateLimit >= 0 && rateLimit <= 1_000_000, "--rate-limit must be 0 to 1000000, got " + rateLimit);
        check(cli, maxFrameBytes >= 256 && maxFrameBytes <= 16 << 20,
                "--max-frame-bytes must be 256 to 16777216, got " + maxFrameBytes);
        check(cli, maxOutboundBytes >= 64 << 10 && maxOutboundBytes <= 1 << 30,
                "--max-outbound-bytes must be 65536 to 1073741824, got " + maxOutboundBytes);
        check(cli, historyRetention >= 100, "--history-retention must be at least 100, got " + historyRetention);
        check(cli, eventsRetention >= 1000, "--events-retention must be at least 1000, got " + eventsRetention);
        check(cli, passwordIterations >= 1000 && passwordIterations <= 10_000_000,
                "--password-iterations must be 1000 to 10000000, got " + passwordIterations);
        check(cli, maxConnections >= 1 && maxConnections <= 1_000_000,
                "--max-connections must be 1 to 1000000, got " + maxConnections);
        check(cli, maxPerAddress >= 0 && maxPerAddress <= maxConnections,
                "--max-connections-per-address must be 0 to --max-connections, got " + maxPerAddress);
        check(cli, bind != null && !bind.isBlank(), "--bind must name an address");
        check(cli, httpBind != null && !httpBind.isBlank(), "--http-bind must name an address");
        checkAtMost(cli, "--shutdown-grace", shutdownGrace, LONGEST);
        checkAtMost(cli, "--login-timeout", loginTimeout, LONGEST);
        checkAtMost(cli, "--idle-timeout", idleTimeout, LONGEST);
        checkAtMost(cli, "--http-timeout", httpTimeout, LONGEST);
        checkAtMost(cli, "--login-backoff", loginBackoff, Duration.ofMinutes(1));
        checkAtMost(cli, "--store-linger", storeLinger, Duration.ofMillis(10));
        check(cli, ioThreads >= 0 && ioThreads <= 256, "--io-threads must be 0 (automatic) to 256, got " + ioThreads);
        ServerConfig.ConnectionLimits limits = new ServerConfig.ConnectionLimits(loginTimeout, idleTimeout,
                maxConnections, maxPerAddress, bind.trim(), httpBind.trim(), httpTimeout);
        check(cli, authQueue >= 1 && authQueue <= 100_000, "--auth-queue must be 1 to 100000, got " + authQueue);
        check(cli, maxSessionsPerUser >= 1 && maxSessionsPerUser <= 100_000,
                "--max-sessions-per-user must be 1 to 100000, got " + maxSessionsPerUser);
        ServerConfig.LoginLimits logins = new ServerConfig.LoginLimits(loginBackoff, authQueue, maxSessionsPerUser);
        String node = nodeId == null || nodeId.isBlank() ? hostName() : nodeId.trim();
        check(cli, node.matches("[A-Za-z0-9_.-]{1,63}"), "--node-id must be 1 to 63 of A-Z a-z 0-9 _ . -, got '" + node + "'");
        return new ServerConfig(port, httpPort, redisUri(cli), node, rateLimit, maxFrameBytes,
                adminToken == null || adminToken.isEmpty() ? null : adminToken, shutdownGrace,
                maxOutboundBytes, historyRetention, eventsRetention, passwordIterations, storeLinger,
                ioThreads == 0 ? ServerConfig.automaticIoThreads() : ioThreads, limits, logins);
    }

    private URI redisUri(CommandLine cli) {
        String url = redisUrl;
        if (url == null || url.isBlank()) {
            String host = System.getenv().getOrDefault("REDIS_HOST", "localhost");
            String redisPort = System.getenv().getOrDefault("REDIS_PORT", "6379");
            url = "redis://" + host + ":" + redisPort;
        }
        try {
            URI uri = new URI(url.trim());
            check(cli, ("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null,
                    "--redis-url must look like redis://HOST:PORT, got '" + url + "'");
            check(cli, uri.getPort() == -1 || (uri.getPort() > 0 && uri.getPort() < 65536),
                    "--redis-url has a bad port: '" + url + "'");
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw bad(cli, "--redis-url is not a URL: '" + url + "'");
        }
    }

    private static void checkAtMost(CommandLine cli, String name, Duration value, Duration most) {
        check(cli, value.compareTo(most) <= 0, name + " must be at most " + DurationConverter.format(most) + ", got "
                + DurationConverter.format(value));
    }

    private static void checkPort(CommandLine cli, String name, int value) {
        check(cli, value > 0 && value < 65536, name + " must be 1 to 65535, got " + value);
    }

    private static void check(CommandLine cli, boolean ok, String message) {
        if (!ok) {
            throw bad(cli, message);
        }
    }

    private static CommandLine.ParameterException bad(CommandLine cli, String message) {
        return new CommandLine.ParameterException(cli, message);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "chat-server";
        }
    }
}
