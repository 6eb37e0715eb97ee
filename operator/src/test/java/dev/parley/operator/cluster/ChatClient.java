package dev.parley.operator.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The parley-chat jar, run as a script would: --send and --listen, with a password from the environment. */
final class ChatClient {
    private final Path jar;
    private final String host;
    private final int port;

    ChatClient(Path jar, String host, int port) {
        this.jar = jar;
        this.host = host;
        this.port = port;
    }

    /** Started, not waited for: a listener that prints {@code count} messages as JSON lines. */
    Process listen(String user, String with, int count) throws IOException {
        return start(user, List.of(with, "--listen", "--count", String.valueOf(count), "--json", "--history", "0",
                "--timeout", "90s"));
    }

    /**
     * Sends one message, to {@code to} or (null) to everyone, and returns the client's output (the
     * message id); fails on a non-zero exit.
     */
    String send(String user, String to, String text) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        if (to != null) {
            args.add(to);
        }
        args.addAll(List.of("--send", text, "--timeout", "20s"));
        return finish(start(user, args), 60);
    }

    /** Waits for the process and returns its standard output; fails on a non-zero exit or after the timeout. */
    static String finish(Process p, int seconds) throws InterruptedException, IOException {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("parley-chat did not finish within " + seconds + " s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("parley-chat exited " + p.exitValue() + ": " + err + out);
        }
        return out;
    }

    private Process start(String user, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar.toString(), host, String.valueOf(port), user));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CHAT_PASSWORD", "pw-" + user + "-cluster-test");
        builder.environment().put("NO_COLOR", "1");
        return builder.start();
    }
}
