package dev.parley.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The real chat server jar in a child JVM on free loopback ports. The jar path comes from the
 * {@code parley.server.jar} system property (set by the build) or defaults to the module's target.
 */
public final class ChatServerProcess extends ManagedProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final int httpPort;
    private final String nodeId;

    private ChatServerProcess(List<String> command, Map<String, String> env, Path log,
                              int port, int httpPort, String nodeId) {
        super("chat-server:" + nodeId, command, env, log);
        this.port = port;
        this.httpPort = httpPort;
        this.nodeId = nodeId;
    }

    /** A builder for a server that talks to {@code redisUrl}; logs go under {@code logDir}. */
    public static Builder builder(String redisUrl, Path logDir) {
        return new Builder(redisUrl, logDir);
    }

    public int port() {
        return port;
    }

    public int httpPort() {
        return httpPort;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Starts the process and waits until {@code /readyz} answers 200. */
    @Override
    public synchronized void start() {
        super.start();
        if (!Deadline.await(Duration.ofSeconds(30), () -> !isAlive() || httpStatus("/readyz") == 200)) {
            throw new IllegalStateException("chat server " + nodeId + " did not become ready: " + logText());
        }
        if (!isAlive()) {
            throw new IllegalStateException("chat server " + nodeId + " exited at start: " + logText());
        }
    }

    /** Starts the process without waiting for readiness (for tests of start-up failures). */
    public synchronized void startNoWait() {
        super.start();
    }

    /** The HTTP status of a GET on the server's HTTP port, or -1 when it does not answer. */
    public int httpStatus(String path) {
        HttpResponse<String> response = get(path);
        return response == null ? -1 : response.statusCode();
    }

    /** A GET on the server's HTTP port, or null when it does not answer. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build());
    }

    /** A POST of a JSON body on the server's HTTP port, or null when it does not answer. */
    public HttpResponse<String> post(String path, String json, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return send(request.build());
    }

    /** Opens a protocol connection to this server. */
    public TestConnection connect() {
        return TestConnection.open("127.0.0.1", port);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Options of the server process; anything not set takes the server's default. */
    public static final class Builder {
        private final String redisUrl;
        private final Path logDir;
        private final List<String> extraArgs = new ArrayList<>();
        private final Map<String, String> env = new HashMap<>();
        private String nodeId = "node-" + FreePort.pick();
        private int port = FreePort.pick();
        private int httpPort = FreePort.pick();

        private Builder(String redisUrl, Path logDir) {
            this.redisUrl = redisUrl;
            this.logDir = logDir;
        }

        public Builder nodeId(String id) {
            this.nodeId = id;
            return this;
        }

        /** Reuse fixed ports, e.g. to restart a server where its clients expect it. */
        public Builder ports(int chatPort, int httpPort) {
            this.port = chatPort;
            this.httpPort = httpPort;
            return this;
        }

        public Builder arg(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public ChatServerProcess build() {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-jar", jar().toString(),
                    "--port", Integer.toString(port),
                    "--http-port", Integer.toString(httpPort),
                    "--redis-url", redisUrl,
                    "--node-id", nodeId));
            command.addAll(extraArgs);
            return new ChatServerProcess(command, env, logDir.resolve(nodeId + ".log"), port, httpPort, nodeId);
        }

        /** Builds and starts, waiting for readiness. */
        public ChatServerProcess start() {
            ChatServerProcess server = build();
            server.start();
            return server;
        }

        private static Path jar() {
            String configured = System.getProperty("parley.server.jar");
            Path jar = configured != null ? Path.of(configured)
                    : Path.of("..", "chat-server", "target", "chat-server.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("no server jar at " + jar.toAbsolutePath()
                        + ": run `mvn -pl chat-server -am package -DskipTests` first");
            }
            return jar;
        }
    }
}
