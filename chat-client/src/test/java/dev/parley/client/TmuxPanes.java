package dev.parley.client;

import dev.parley.testkit.Deadline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real terminals for interactive clients, as a JUnit extension (register it static): bin/parley-chat
 * in tmux panes on a tmux server of the test class's own, started before its tests and killed after
 * them, typed into with send-keys and read with capture-pane. Each pane's command prints its exit
 * code when the client ends, and the pane stays so the test can read it.
 */
final class TmuxPanes implements BeforeAllCallback, AfterAllCallback {
    static final Duration WAIT = Duration.ofSeconds(20);

    private final String socket;

    /** Panes on a tmux server named after {@code test} and this JVM. */
    TmuxPanes(String test) {
        this.socket = "parley-" + test + "-" + ProcessHandle.current().pid();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        if (!onPath("tmux")) {
            throw new IllegalStateException("tmux is not installed: `apt-get install tmux` (make test installs it)");
        }
        // a session that outlives the clients keeps the tmux server up; remain-on-exit keeps ended panes readable
        tmux("new-session", "-d", "-s", "keep", "-x", "120", "-y", "40");
        tmux("set-option", "-g", "remain-on-exit", "on");
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException, InterruptedException {
        tmux("kill-server");
    }

    /** Starts bin/parley-chat with {@code args} in a new tmux session named {@code name}. */
    void open(String name, String... args) throws IOException, InterruptedException {
        openWithEnv(name, List.of(), args);
    }

    /** As {@link #open}, with {@code env} ({@code NAME=value}) set for the client. */
    void openWithEnv(String name, List<String> env, String... args) throws IOException, InterruptedException {
        String launcher = Path.of(System.getProperty("parley.client.launcher", "bin/parley-chat")).toAbsolutePath().toString();
        StringBuilder command = new StringBuilder("env -u CHAT_PASSWORD");
        for (String assignment : env) {
            command.append(' ').append(quote(assignment));
        }
        command.append(' ').append(quote(launcher));
        for (String arg : args) {
            command.append(' ').append(quote(arg));
        }
        command.append("; echo \"[parley-chat exited with $?]\"");
        List<String> tmuxArgs = new ArrayList<>(List.of("new-session", "-d", "-s", name, "-x", "120", "-y", "40",
                "-e", "JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java")));
        String jar = System.getProperty("parley.client.jar");
        if (jar != null) {
            tmuxArgs.addAll(List.of("-e", "PARLEY_CHAT_JAR=" + jar));
        }
        tmuxArgs.add(command.toString());
        tmux(tmuxArgs.toArray(String[]::new));
    }

    /** Copies every byte the pane's program writes from now on to {@code file}, escapes included. */
    void record(String name, Path file) throws IOException, InterruptedException {
        tmux("pipe-pane", "-o", "-t", name, "cat >> " + quote(file.toString()));
    }

    /** Pastes {@code text} as a terminal without bracketed paste does: the characters, lines ended by CR. */
    void paste(String name, String text) throws IOException, InterruptedException {
        Path buffer = Files.createTempFile("parley-paste", ".txt");
        try {
            Files.writeString(buffer, text);
            tmux("load-buffer", buffer.toString());
            tmux("paste-buffer", "-t", name);
        } finally {
            Files.delete(buffer);
        }
    }

    void type(String name, String text) throws IOException, InterruptedException {
        tmux("send-keys", "-t", name, "-l", text);
    }

    /** Types {@code text} and presses Enter. */
    void enter(String name, String text) throws IOException, InterruptedException {
        type(name, text);
        key(name, "Enter");
    }

    void key(String name, String key) throws IOException, InterruptedException {
        tmux("send-keys", "-t", name, key);
    }

    /** The pane's text as shown, wrapped lines joined. */
    String pane(String name) {
        return capture(name, "-p", "-J", "-t", name);
    }

    /** The pane's text with everything scrolled off the top, wrapped lines joined. */
    String scrollback(String name) {
        return capture(name, "-p", "-J", "-S", "-", "-t", name);
    }

    /** The pane's text as shown, with the escapes of its colours. */
    String coloured(String name) {
        return capture(name, "-p", "-e", "-J", "-t", name);
    }

    private String capture(String name, String... args) {
        List<String> all = new ArrayList<>(List.of("capture-pane"));
        all.addAll(List.of(args));
        try {
            return tmux(all.toArray(String[]::new));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot capture pane " + name, e);
        }
    }

    void await(String name, String text) {
        await(name, p -> p.contains(text), "\"" + text + "\"");
    }

    void await(String name, Predicate<String> condition, String what) {
        await(name, WAIT, condition, what);
    }

    void await(String name, Duration wait, Predicate<String> condition, String what) {
        if (!Deadline.await(wait, () -> condition.test(pane(name)))) {
            throw new AssertionError("pane " + name + " did not show " + what + " within " + wait
                    + "\n--- pane:\n" + pane(name));
        }
    }

    static List<String> linesOf(String pane) {
        return Arrays.stream(pane.split("\n")).map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    }

    /** The lines the programs in the pane printed, without tmux's own note on an ended pane. */
    List<String> shownLines(String name) {
        return linesOf(pane(name)).stream().filter(l -> !l.startsWith("Pane is dead")).toList();
    }

    static String lastLine(String pane) {
        List<String> lines = linesOf(pane);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    static boolean lineEndingWith(String pane, String end) {
        return linesOf(pane).stream().anyMatch(l -> l.endsWith(end));
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("tmux did not answer within 10s: " + command);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("tmux failed (" + process.exitValue() + "): " + command + "\n" + output);
        }
        return output;
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
