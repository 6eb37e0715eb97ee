package dev.parley.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real {@code redis-server} on a free loopback port, with its data directory under the test's
 * folder. With AOF on, a restart keeps every acknowledged write ({@code appendfsync always}).
 */
public final class RedisServer extends ManagedProcess {
    private final int port;
    private final Path dir;

    private RedisServer(int port, Path dir, boolean appendOnly) {
        super("redis-server:" + port, List.of(executable(),
                "--port", Integer.toString(port),
                "--bind", "127.0.0.1",
                "--dir", dir.toString(),
                "--save", "",
                "--appendonly", appendOnly ? "yes" : "no",
                "--appendfsync", "always",
                "--daemonize", "no",
                "--loglevel", "warning"), Map.of(), dir.resolve("redis.log"));
        this.port = port;
        this.dir = dir;
    }

    /** Starts redis-server with its data in {@code dir} and waits until it answers PING. */
    public static RedisServer start(Path dir, boolean appendOnly) {
        RedisServer redis = create(dir, appendOnly);
        redis.start();
        return redis;
    }

    /** A redis-server on a port picked now, with its data in {@code dir}, not started yet. */
    public static RedisServer create(Path dir, boolean appendOnly) {
        return new RedisServer(FreePort.pick(), dir, appendOnly);
    }

    @Override
    public synchronized void start() {
        super.start(); // creates dir, the log's folder
        if (!Deadline.await(Duration.ofSeconds(20), this::answersPing)) {
            throw new IllegalStateException("redis-server did not answer on port " + port + ": " + logText());
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    /** Runs one inline command (e.g. {@code "DBSIZE"}) and returns the raw first reply line. */
    public String command(String inline) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("redis on port " + port + " did not answer " + inline, e);
        }
    }

    public boolean answersPing() {
        try {
            return isAlive() && "+PONG".equals(command("PING"));
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private static String executable() {
        String configured = System.getenv("REDIS_SERVER");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("redis-server is not installed: run `make test`, which installs it, "
                + "or `apt-get install redis-server`, or set REDIS_SERVER");
    }
}
