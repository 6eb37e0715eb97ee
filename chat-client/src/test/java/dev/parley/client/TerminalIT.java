package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.command.ExitCode;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.Deadline;
import dev.parley.testkit.ParleyCluster;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees: interactive clients run by bin/parley-chat in real terminals (tmux panes),
 * typed into with send-keys and read with capture-pane. Each pane's command prints its exit code
 * when the client ends, and the pane stays so the test can read it.
 */
class TerminalIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SOCKET = "parley-terminal-it-" + ProcessHandle.current().pid();

    @TempDir
    static Path dir;

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(TerminalIT.class).servers("terminal-it").build();
    static final ChatServerProcess server = cluster.server();

    @BeforeAll
    static void start() throws Exception {
        if (!onPath("tmux")) {
            throw new IllegalStateException("tmux is not installed: `apt-get install tmux` (make test installs it)");
        }
        // a session that outlives the clients keeps the tmux server up; remain-on-exit keeps ended panes readable
        tmux("new-session", "-d", "-s", "keep", "-x", "120", "-y", "40");
        tmux("set-option", "-g", "remain-on-exit", "on");
    }

    @AfterAll
    static void stop() throws Exception {
        tmux("kill-server");
    }

    @Test
    void twoPeopleChatAndIncomingLinesLeaveTheTypedLineAlone() throws Exception {
        Path alicePassword = Files.writeString(dir.resolve("alice.pw"), "alice secret\n");
        ClientRun.finish("alice secret", "127.0.0.1", port(), "tm_alice", "--listen", "--timeout", "100ms")
                .assertExit(ExitCode.OK);

        // bob types his password at the prompt: it must not be echoed
        openPane("bob", "127.0.0.1", port(), "tm_bob", "tm_alice");
        awaitPane("bob", "Password for tm_bob: ");
        type("bob", "bob-secret-42");
        key("bob", "Enter");
        awaitPane("bob", "-- connected to 127.0.0.1:" + port());
        awaitPane("bob", "-- no messages yet with tm_alice");
        assertThat(pane("bob")).doesNotContain("bob-secret-42");

        openPane("alice", "127.0.0.1", port(), "tm_alice", "tm_bob", "--password-file", alicePassword.toString());
        awaitPane("alice", "-- no messages yet with tm_bob");
        awaitPane("alice", "tm_alice -> tm_bob> ");

        // alice is half-way through a line when bob's message arrives
        type("alice", "draft for bob");
        awaitPane("alice", "tm_alice -> tm_bob> draft for bob");
        type("bob", "hi alice");
        key("bob", "Enter");
        awaitPane("alice", p -> lineEndingWith(p, "] tm_bob -> you: hi alice")
                && lastLine(p).equals("tm_alice -> tm_bob> draft for bob"), "bob's line above alice's intact draft");
        assertThat(linesOf(pane("bob"))).anyMatch(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] you -> tm_alice: hi alice"));

        // the sent line is replaced by the acknowledged message, with its time
        key("alice", "Enter");
        awaitPane("bob", p -> lineEndingWith(p, "] tm_alice -> you: draft for bob"), "alice's line at bob");
        awaitPane("alice", p -> lineEndingWith(p, "] you -> tm_bob: draft for bob"), "alice's own line");
        assertThat(pane("alice")).doesNotContain("tm_alice -> tm_bob> draft for bob");

        // a broadcast from a third user shows as one, and messages are coloured on a terminal
        ClientRun.finish("carol pw", "127.0.0.1", port(), "tm_carol", "--send", "cake in the kitchen")
                .assertExit(ExitCode.OK);
        awaitPane("alice", p -> lineEndingWith(p, "] tm_carol -> all: cake in the kitchen"), "broadcast at alice");
        awaitPane("bob", p -> lineEndingWith(p, "] tm_carol -> all: cake in the kitchen"), "broadcast at bob");
        String coloured = tmux("capture-pane", "-p", "-e", "-J", "-t", "alice");
        assertThat(coloured).contains("\u001b[");

        type("bob", "/who");
        key("bob", "Enter");
        awaitPane("bob", p -> p.matches("(?s).*-- \\d+ online: [^\\n]*tm_alice, tm_bob.*"), "who list");
        type("bob", "/nonsense");
        key("bob", "Enter");
        awaitPane("bob", "!! unknown command /nonsense (type /help for the list");

        type("alice", "/quit");
        key("alice", "Enter");
        awaitPane("alice", "[parley-chat exited with " + ExitCode.OK + "]");
        key("bob", "C-d");
        awaitPane("bob", "[parley-chat exited with " + ExitCode.OK + "]");
    }

    @Test
    void aWrongPasswordAtThePromptExits3WithTheReason() throws Exception {
        ClientRun.finish("dan pw", "127.0.0.1", port(), "tm_dan", "--listen", "--timeout", "100ms").assertExit(ExitCode.OK);
        openPane("dan", "127.0.0.1", port(), "tm_dan");
        awaitPane("dan", "Password for tm_dan: ");
        type("dan", "not dans password");
        key("dan", "Enter");
        awaitPane("dan", "parley-chat: login refused: ");
        awaitPane("dan", "[parley-chat exited with " + ExitCode.LOGIN_REFUSED + "]");
    }

    @Test
    void noColorMeansNoEscapes() throws Exception {
        Path password = Files.writeString(dir.resolve("erin.pw"), "erin pw\n");
        openPane("erin", "127.0.0.1", port(), "tm_erin", "--no-color", "--password-file", password.toString());
        awaitPane("erin", "-- connected to");
        awaitPane("erin", "tm_erin -> all> ");
        type("erin", "plain text please");
        key("erin", "Enter");
        awaitPane("erin", p -> lineEndingWith(p, "] you -> all: plain text please"), "erin's own line");
        String raw = tmux("capture-pane", "-p", "-e", "-J", "-t", "erin");
        String messageLine = Arrays.stream(raw.split("\n")).filter(l -> l.contains("plain text please")).findFirst().orElseThrow();
        assertThat(messageLine).doesNotContain("\u001b[3").doesNotContain("\u001b[1");
        type("erin", "/quit");
        key("erin", "Enter");
        awaitPane("erin", "[parley-chat exited with 0]");
    }

    @Test
    void anEmptyPasswordAsksAgainAndCtrlCThereExits130OnAFreshLine() throws Exception {
        openPane("fay", "127.0.0.1", port(), "tm_fay");
        awaitPane("fay", "Password for tm_fay: ");
        key("fay", "Enter");
        awaitPane("fay", "The password cannot be empty. Password for tm_fay: ");
        key("fay", "C-c");
        awaitPane("fay", "[parley-chat exited with " + ExitCode.INTERRUPTED + "]");
        // the shell's next words start a line of their own
        assertThat(shownLines("fay")).endsWith(
                "The password cannot be empty. Password for tm_fay:",
                "[parley-chat exited with " + ExitCode.INTERRUPTED + "]");
    }

    @Test
    void ctrlCAtThePromptExits130SilentlyOnAnEmptyOrAHalfTypedLine() throws Exception {
        Path password = Files.writeString(dir.resolve("gus.pw"), "gus pw\n");
        for (String typed : List.of("", "half a line")) {
            String pane = typed.isEmpty() ? "gus_empty" : "gus_half";
            openPane(pane, "127.0.0.1", port(), "tm_gus", "--password-file", password.toString());
            awaitPane(pane, "tm_gus -> all> ");
            type(pane, typed);
            awaitPane(pane, "tm_gus -> all> " + typed);
            key(pane, "C-c");
            awaitPane(pane, "[parley-chat exited with " + ExitCode.INTERRUPTED + "]");
            List<String> lines = shownLines(pane);
            // the shell's next words start a line of their own, and the client said nothing on the way out
            assertThat(lines.get(lines.size() - 1)).isEqualTo("[parley-chat exited with " + ExitCode.INTERRUPTED + "]");
            assertThat(lines).noneMatch(l -> l.startsWith("!! "));
        }
    }

    @Test
    void aLineOverTheLimitIsRefusedAndStaysInTheInputLine() throws Exception {
        Path password = Files.writeString(dir.resolve("hal.pw"), "hal pw\n");
        openPane("hal", "127.0.0.1", port(), "tm_hal", "--password-file", password.toString());
        awaitPane("hal", "tm_hal -> all> ");
        String tooLong = "y".repeat(3999) + "zz";
        type("hal", tooLong);
        awaitPane("hal", "tm_hal -> all> " + tooLong);
        key("hal", "Enter");
        awaitPane("hal", "!! message too long: 4001 characters, at most 4000; it is back in the input line to shorten");
        awaitPane("hal", p -> lastLine(p).equals("tm_hal -> all> " + tooLong), "the refused line, back for editing");
        key("hal", "BSpace");
        key("hal", "Enter");
        awaitPane("hal", p -> lineEndingWith(p, "] you -> all: " + "y".repeat(3999) + "z"), "the shortened line sent");
        type("hal", "/quit");
        key("hal", "Enter");
        awaitPane("hal", "[parley-chat exited with " + ExitCode.OK + "]");
    }

    // ---------------------------------------------------------------- tmux

    private static String port() {
        return Integer.toString(server.port());
    }

    /** Starts bin/parley-chat with {@code args} in a new tmux session named {@code name}. */
    private static void openPane(String name, String... args) throws Exception {
        String launcher = Path.of(System.getProperty("parley.client.launcher", "bin/parley-chat")).toAbsolutePath().toString();
        StringBuilder command = new StringBuilder("env -u CHAT_PASSWORD ").append(quote(launcher));
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

    private static void type(String name, String text) throws Exception {
        tmux("send-keys", "-t", name, "-l", text);
    }

    private static void key(String name, String key) throws Exception {
        tmux("send-keys", "-t", name, key);
    }

    /** The pane's text as shown, wrapped lines joined. */
    private static String pane(String name) {
        try {
            return tmux("capture-pane", "-p", "-J", "-t", name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot capture pane " + name, e);
        }
    }

    private static void awaitPane(String name, String text) {
        awaitPane(name, p -> p.contains(text), "\"" + text + "\"");
    }

    private static void awaitPane(String name, Predicate<String> condition, String what) {
        if (!Deadline.await(WAIT, () -> condition.test(pane(name)))) {
            throw new AssertionError("pane " + name + " did not show " + what + " within " + WAIT
                    + "\n--- pane:\n" + pane(name));
        }
    }

    private static List<String> linesOf(String pane) {
        return Arrays.stream(pane.split("\n")).map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    }

    /** The lines the programs in the pane printed, without tmux's own note on an ended pane. */
    private static List<String> shownLines(String name) {
        return linesOf(pane(name)).stream().filter(l -> !l.startsWith("Pane is dead")).toList();
    }

    private static String lastLine(String pane) {
        List<String> lines = linesOf(pane);
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static boolean lineEndingWith(String pane, String end) {
        return linesOf(pane).stream().anyMatch(l -> l.endsWith(end));
    }

    private static String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", SOCKET, "-f", "/dev/null"));
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
