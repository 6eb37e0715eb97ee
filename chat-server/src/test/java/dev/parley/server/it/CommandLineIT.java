package dev.parley.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real jar's command line: bad values exit 2 with one line on stderr; --help lists every option. */
class CommandLineIT {
    private record Result(int code, String out, String err) {
    }

    @Test
    void badOptionValuesExitTwoWithOneLineOnStderr() throws Exception {
        List<List<String>> bad = List.of(
                List.of("--port", "abc"),
                List.of("--port", "70000"),
                List.of("--http-port", "0"),
                List.of("--rate-limit", "-1"),
                List.of("--max-frame-bytes", "10"),
                List.of("--shutdown-grace", "soon"),
                List.of("--redis-url", "http://localhost:6379"),
                List.of("--no-such-option"));
        for (List<String> args : bad) {
            Result r = run(args, Map.of());
            assertThat(r.code()).as("exit code for " + args).isEqualTo(2);
            assertThat(r.out()).as("stdout for " + args).isEmpty();
            assertThat(r.err().strip().lines().toList()).as("stderr for " + args).hasSize(1);
        }
        // a bad value from the environment is just as fatal
        Result env = run(List.of(), Map.of("CHAT_RATE_LIMIT", "lots"));
        assertThat(env.code()).isEqualTo(2);
        assertThat(env.err().strip().lines().toList()).hasSize(1);
        assertThat(env.err()).contains("rate-limit");
    }

    @Test
    void helpListsEveryOption() throws Exception {
        Result r = run(List.of("--help"), Map.of());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--port", "--http-port", "--redis-url", "--node-id", "--rate-limit",
                "--max-frame-bytes", "--admin-token", "--shutdown-grace", "CHAT_PORT", "REDIS_URL");
    }

    private static Result run(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "it-logs", "CommandLineIT"));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("parley.server.jar", "target/chat-server.jar")));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CHAT_") || k.startsWith("REDIS_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chat-server " + args + " did not exit");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
