package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.command.ChatCommand;
import dev.parley.client.command.ClientEnvironment;
import dev.parley.testkit.Deadline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;

/**
 * One client run in this JVM through picocli's execute, on its own thread: the test types lines
 * into its standard input, reads what it printed so far, and waits for its exit code.
 */
final class ClientRun implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    private final LinePipe stdin = new LinePipe();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final String name;

    private ClientRun(String password, String... args) {
        this.name = String.join(" ", args);
        ClientEnvironment environment = new ClientEnvironment(stdin, Map.of("CHAT_PASSWORD", password), false, false,
                Clock.systemDefaultZone(), ZoneId.systemDefault(), null, () -> {
                    throw new IllegalStateException("no terminal in this test");
                });
        CommandLine cli = ChatCommand.commandLine(environment);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        Thread thread = new Thread(() -> {
            try {
                exit.complete(cli.execute(args));
            } catch (RuntimeException | Error e) {
                exit.completeExceptionally(e);
            }
        }, "client " + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts {@code parley-chat args} with {@code CHAT_PASSWORD=password}. */
    static ClientRun start(String password, String... args) {
        return new ClientRun(password, args);
    }

    /** Runs to the end with no input and returns the finished run. */
    static ClientRun finish(String password, String... args) {
        ClientRun run = start(password, args);
        run.endInput();
        run.awaitExit();
        return run;
    }

    void type(String line) {
        stdin.type(line);
    }

    /** Ends standard input, as Ctrl-D does at a terminal. */
    void endInput() {
        stdin.end();
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /** Output lines, for exact checks. */
    List<String> outLines() {
        return new ArrayList<>(Arrays.asList(out().split("\n")));
    }

    /** Waits until standard output holds {@code text}. */
    void awaitOut(String text) {
        if (!Deadline.await(WAIT, () -> out().contains(text))) {
            throw new AssertionError("'" + name + "' did not print \"" + text + "\" within " + WAIT
                    + "\n--- out:\n" + out() + "--- err:\n" + err());
        }
    }

    /** Waits until standard output holds {@code text} {@code times} times. */
    void awaitOut(String text, int times) {
        if (!Deadline.await(WAIT, () -> occurrences(out(), text) >= times)) {
            throw new AssertionError("'" + name + "' did not print \"" + text + "\" " + times + " times within " + WAIT
                    + "\n--- out:\n" + out() + "--- err:\n" + err());
        }
    }

    int awaitExit() {
        try {
            return exit.get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("'" + name + "' did not exit\n--- out:\n" + out() + "--- err:\n" + err(), e);
        } catch (ExecutionException e) {
            throw new AssertionError("'" + name + "' failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Asserts the run ended with {@code code}, showing its output if not. */
    ClientRun assertExit(int code) {
        assertThat(awaitExit()).as("exit code of '%s'%n--- out:%n%s--- err:%n%s", name, out(), err()).isEqualTo(code);
        return this;
    }

    static int occurrences(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        endInput();
    }
}
