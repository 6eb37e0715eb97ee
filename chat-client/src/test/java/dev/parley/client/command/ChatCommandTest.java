package dev.parley.client.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Protocol;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line through picocli's execute, with output captured: no connection is ever made. */
class ChatCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        ClientEnvironment environment = new ClientEnvironment(new ByteArrayInputStream(new byte[0]), env,
                false, false, Clock.systemUTC(), ZoneOffset.UTC, null, () -> {
                    throw new AssertionError("no terminal in unit tests");
                });
        CommandLine cli = ChatCommand.commandLine(environment);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private int run(String... args) {
        return run(Map.of("CHAT_PASSWORD", "pw"), args);
    }

    @Test
    void helpListsArgumentsOptionsAndExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains("Usage: parley-chat")
                .contains("SERVER PORT USERNAME [RECIPIENT]")
                .contains("--password-file=FILE", "--send=TEXT", "--listen", "--count=N", "--timeout=D", "--json",
                        "--no-color", "--history=N")
                .contains("Exit codes:")
                .containsPattern("\n  3 +the server refused the login")
                .containsPattern("\n  4 +the server could not be reached, or SERVER:PORT does not speak the\\s+Parley")
                .containsPattern("\n  130 +Ctrl-C, at the prompt or the password prompt")
                .contains("CHAT_PASSWORD");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void versionNamesTheClient() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("parley-chat ").contains("protocol v" + Protocol.VERSION + ", Java ");
    }

    @Test
    void missingArgumentsExit2WithOneLine() {
        assertThat(run("localhost")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo("parley-chat: Missing required parameters: 'PORT', 'USERNAME'. "
                + "Try 'parley-chat --help'.\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void badPortExits2() {
        assertThat(run("localhost", "http", "alice")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("'http' is not an int").doesNotContain("Usage:");
        assertThat(run("localhost", "70000", "alice")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("PORT must be 1 to 65535, got 70000");
    }

    @Test
    void badNamesExit2() {
        assertThat(run("localhost", "6000", "al ice")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("USERNAME must be 1 to 32 of A-Z a-z 0-9 _ . -, got 'al ice'");
        assertThat(run("localhost", "6000", "server")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("'server' is reserved");
        assertThat(run("localhost", "6000", "alice", "b/b")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("RECIPIENT: not a user name: 'b/b'");
        assertThat(run("localhost", "6000", "alice", "server")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("RECIPIENT: 'server' only makes announcements");
        assertThat(run("", "6000", "alice")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("SERVER is empty");
    }

    @Test
    void optionsThatDoNotGoTogetherExit2() {
        assertUsage("--send and --listen do not go together", "h", "1", "a", "--send", "x", "--listen");
        assertUsage("--count needs --listen", "h", "1", "a", "--count", "3");
        assertUsage("--json needs --listen", "h", "1", "a", "--json");
        assertUsage("--count must be 1 or more, got 0", "h", "1", "a", "--listen", "--count", "0");
        assertUsage("--history must be 0 to 1000, got 1001", "h", "1", "a", "--history", "1001");
        assertUsage("'soon' is not a duration; write 500ms, 10s, 5m, 1h", "h", "1", "a", "--listen", "--timeout", "soon");
        assertUsage("'0s' is zero", "h", "1", "a", "--listen", "--timeout", "0s");
        assertUsage("'10' has no unit; write 10s", "h", "1", "a", "--listen", "--timeout", "10");
        assertUsage("--send needs some text", "h", "1", "a", "--send", " ");
        assertUsage("--send text is 4001 characters, at most 4000", "h", "1", "a", "--send", "x".repeat(4001));
        assertUsage("--interactive does not go with --send or --listen", "h", "1", "a", "-i", "--listen");
        assertUsage("Unknown option: '--colour'", "h", "1", "a", "--colour");
        assertUsage("Unknown option: '--histroy' (did you mean --history?)", "h", "1", "a", "--histroy", "3");
    }

    @Test
    void noPasswordAndNobodyToAskExits2() {
        assertThat(run(Map.of(), "localhost", "6000", "alice", "--send", "hi")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("no password: use --password-file FILE or set CHAT_PASSWORD "
                + "(cannot ask for one: not running in a terminal)");
    }

    @Test
    void missingPasswordFileExits2() {
        assertThat(run(Map.of(), "localhost", "6000", "alice", "--password-file", "/nonexistent/pw"))
                .isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("--password-file /nonexistent/pw does not exist");
    }

    @Test
    void emptyPasswordFromEnvironmentExits2() {
        assertThat(run(Map.of("CHAT_PASSWORD", ""), "localhost", "6000", "alice")).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).contains("the password from CHAT_PASSWORD is empty");
    }

    private void assertUsage(String message, String... args) {
        StringWriter before = new StringWriter();
        before.write(err.toString());
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE);
        String printed = err.toString().substring(before.toString().length());
        assertThat(printed.lines()).as(String.join(" ", args)).hasSize(1);
        assertThat(printed).startsWith("parley-chat: ").contains(message).endsWith(". Try 'parley-chat --help'.\n");
    }
}
