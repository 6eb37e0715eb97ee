package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerCommandTest {
    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();
    private final ServerCommand command = new ServerCommand();

    private int run(String... args) {
        CommandLine cli = ServerCommand.commandLine(command);
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(out));
        return cli.execute(args);
    }

    @Test
    void defaultsMatchTheDocumentedTable() {
        assertThat(run("--node-id", "n1")).isZero();
        ServerConfig c = command.config();
        // environment variables may be set where tests run; only assert what they cannot change
        assertThat(c.nodeId()).isEqualTo("n1");
        if (System.getenv("CHAT_PORT") == null) {
            assertThat(c.port()).isEqualTo(6000);
        }
        if (System.getenv("CHAT_HTTP_PORT") == null) {
            assertThat(c.httpPort()).isEqualTo(8080);
        }
        if (System.getenv("CHAT_RATE_LIMIT") == null) {
            assertThat(c.rateLimit()).isEqualTo(50);
        }
        if (System.getenv("CHAT_SHUTDOWN_GRACE") == null) {
            assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        }
        if (System.getenv("CHAT_ADMIN_TOKEN") == null) {
            assertThat(c.adminEnabled()).isFalse();
        }
    }

    @Test
    void parsesEveryOption() {
        assertThat(run("--port", "7000", "--http-port", "7001", "--redis-url", "redis://redis.example:7379",
                "--node-id", "a.b-c", "--rate-limit", "0", "--max-frame-bytes", "1024", "--admin-token", "t",
                "--shutdown-grace", "500ms")).isZero();
        ServerConfig c = command.config();
        assertThat(c.port()).isEqualTo(7000);
        assertThat(c.httpPort()).isEqualTo(7001);
        assertThat(c.redisUrl().getHost()).isEqualTo("redis.example");
        assertThat(c.redisUrl().getPort()).isEqualTo(7379);
        assertThat(c.rateLimit()).isZero();
        assertThat(c.maxFrameBytes()).isEqualTo(1024);
        assertThat(c.adminToken()).isEqualTo("t");
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void parsesTheConnectionLimits() {
        assertThat(run("--node-id", "n1", "--login-timeout", "5s", "--idle-timeout", "1m", "--max-connections", "100",
                "--max-connections-per-address", "10", "--bind", "127.0.0.2", "--http-bind", "127.0.0.1", "--http-timeout", "500ms")).isZero();
        ServerConfig.ConnectionLimits l = command.config().limits();
        assertThat(l).isEqualTo(new ServerConfig.ConnectionLimits(Duration.ofSeconds(5), Duration.ofMinutes(1), 100, 10,
                "127.0.0.2", "127.0.0.1", Duration.ofMillis(500)));
    }

    @Test
    void parsesTheLoginLimits() {
        assertThat(run("--node-id", "n1", "--login-backoff", "250ms", "--auth-queue", "8",
                "--max-sessions-per-user", "2")).isZero();
        ServerConfig.LoginLimits l = command.config().logins();
        assertThat(l).isEqualTo(new ServerConfig.LoginLimits(Duration.ofMillis(250), 8, 2));
        assertThat(l.longestLock()).isEqualTo(Duration.ofMillis(250 * 300));
        assertThat(run("--node-id", "n1", "--login-backoff", "0")).isZero();
        assertThat(command.config().logins().backoffEnabled()).isFalse();
    }

    @Test
    void badValuesExitTwoWithOneLine() {
        String[][] bad = {{"--port", "abc"}, {"--port", "70000"}, {"--rate-limit", "-1"},
            {"--shutdown-grace", "soon"}, {"--redis-url", "http://x"}, {"--max-frame-bytes", "1"},
            {"--node-id", "bad id"}, {"--port", "7000", "--http-port", "7000"}, {"--no-such-option"},
            {"--login-timeout", "0s"}, {"--idle-timeout", "2h"}, {"--max-connections", "0"},
            {"--max-connections", "10", "--max-connections-per-address", "11"}, {"--http-timeout", "later"},
            {"--login-backoff", "2m"}, {"--login-backoff", "soon"}, {"--auth-queue", "0"},
            {"--max-sessions-per-user", "0"}, {"--shutdown-grace", "10"}, {"--shutdown-grace", "PT2H"},
            {"--store-linger", "11ms"}, {"--store-linger", "500"}, {"--io-threads", "-1"}, {"--io-threads", "257"}};
        for (String[] args : bad) {
            err.getBuffer().setLength(0);
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
            String printed = err.toString().strip();
            assertThat(printed).as(String.join(" ", args)).startsWith("chat-server: ").doesNotContain("\n");
            assertThat(command.config()).isNull();
        }
    }

    @Test
    void durationsTakeTheSharedGrammarAndTheReasonNamesTheOption() {
        assertThat(run("--node-id", "n1", "--shutdown-grace", "PT1M30S", "--idle-timeout", "1h",
                "--login-backoff", "0s")).isZero();
        assertThat(command.config().shutdownGrace()).isEqualTo(Duration.ofSeconds(90));
        assertThat(command.config().limits().idleTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(command.config().logins().backoffEnabled()).isFalse();

        assertThat(run("--node-id", "n1", "--idle-timeout", "90m")).isEqualTo(2);
        assertThat(err.toString()).contains("--idle-timeout must be at most 1h, got 90m");
        err.getBuffer().setLength(0);
        assertThat(run("--node-id", "n1", "--login-timeout", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--login-timeout", "'0' is zero");
        err.getBuffer().setLength(0);
        assertThat(run("--node-id", "n1", "--http-timeout", "15")).isEqualTo(2);
        assertThat(err.toString()).contains("--http-timeout", "'15' has no unit");
    }

    @Test
    void ioThreadsAreAsAskedOrOnePerCore() {
        assertThat(run("--node-id", "n1", "--io-threads", "3")).isZero();
        assertThat(command.config().ioThreads()).isEqualTo(3);
        assertThat(run("--node-id", "n1", "--io-threads", "0")).isZero();
        assertThat(command.config().ioThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(run("--node-id", "n1", "--io-threads", "300")).isEqualTo(2);
        assertThat(err.toString()).contains("--io-threads must be 0 (automatic) to 256, got 300");
    }

    @Test
    void theStoreLingerTakesMicrosecondsAndZeroTurnsItOff() {
        assertThat(run("--node-id", "n1", "--store-linger", "250us")).isZero();
        assertThat(command.config().storeLinger()).isEqualTo(Duration.ofNanos(250_000));
        assertThat(run("--node-id", "n1", "--store-linger", "0")).isZero();
        assertThat(command.config().storeLinger()).isZero();
        if (System.getenv("CHAT_STORE_LINGER") == null) {
            assertThat(run("--node-id", "n1")).isZero();
            assertThat(command.config().storeLinger()).isEqualTo(ServerConfig.DEFAULT_STORE_LINGER);
        }
        assertThat(run("--node-id", "n1", "--store-linger", "1s")).isEqualTo(2);
        assertThat(err.toString()).contains("--store-linger must be at most 10ms, got 1s");
    }

    @Test
    void versionNamesTheServer() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("chat-server ");
        assertThat(command.config()).isNull();
    }

    @Test
    void helpListsEveryOptionWithItsEnvironmentVariable() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--port", "CHAT_PORT", "--http-port", "CHAT_HTTP_PORT", "--redis-url",
                "REDIS_URL", "--node-id", "CHAT_NODE_ID", "--rate-limit", "CHAT_RATE_LIMIT", "--max-frame-bytes",
                "CHAT_MAX_FRAME_BYTES", "--admin-token", "CHAT_ADMIN_TOKEN", "--shutdown-grace", "CHAT_SHUTDOWN_GRACE",
                "--bind", "CHAT_BIND", "--http-bind", "CHAT_HTTP_BIND");
        assertThat(command.config()).isNull();
    }
}
