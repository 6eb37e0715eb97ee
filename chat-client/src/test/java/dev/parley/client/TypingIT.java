package dev.parley.client;

import static dev.parley.client.TmuxPanes.lastLine;
import static dev.parley.client.TmuxPanes.lineEndingWith;
import static dev.parley.client.TmuxPanes.linesOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.command.ExitCode;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typing and pasting as a person does, in real terminals ({@link TmuxPanes}): a paste faster
 * than the server's rate limit, Tab, a dumb terminal, and the first login of a new name. The
 * server allows 10 frames a second, so that a paste takes long enough to watch it drain.
 */
class TypingIT {
    private static final int RATE = 10;
    @RegisterExtension
    static final TmuxPanes tmux = new TmuxPanes("typing-it");

    @TempDir
    static Path dir;

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(TypingIT.class).servers("typing-it")
            .arg("--rate-limit", Integer.toString(RATE)).build();
    static final ChatServerProcess server = cluster.server();

    @Test
    void aPasteOf120LinesFasterThanTheRateLimitIsSentPacedWithACountAndNoneRefused() throws Exception {
        Path password = Files.writeString(dir.resolve("pat.pw"), "pat pw\n");
        tmux.open("pat", "127.0.0.1", port(), "ty_pat", "--no-color", "--password-file", password.toString());
        tmux.await("pat", "ty_pat -> all> ");
        String lines = IntStream.rangeClosed(1, 120).mapToObj(i -> "pasted line " + i + "\n").collect(Collectors.joining());
        tmux.paste("pat", lines);

        // while the backlog drains, the prompt counts what is left
        tmux.await("pat", p -> lastLine(p).matches("\\[\\d+ to send] ty_pat -> all>"), "the count of lines to send");
        // 120 lines at under 10 a second
        tmux.await("pat", Duration.ofSeconds(40), p -> lineEndingWith(p, "] you -> all: pasted line 120"), "the last line");
        tmux.await("pat", p -> lastLine(p).equals("ty_pat -> all>"), "the prompt without a count");

        List<String> shown = linesOf(tmux.scrollback("pat"));
        assertThat(shown).noneMatch(l -> l.contains("too fast")).noneMatch(l -> l.startsWith("!! "));
        List<String> sent = shown.stream().filter(l -> l.contains("] you -> all: pasted line "))
                .map(l -> l.substring(l.indexOf("pasted line "))).toList();
        assertThat(sent).as("every pasted line, once, in order")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 120).mapToObj(i -> "pasted line " + i).toList());

        tmux.enter("pat", "/quit");
        tmux.await("pat", "[parley-chat exited with " + ExitCode.OK + "]");
    }

    @Test
    void tabCompletesCommandsAndTheNamesOfUsersOnlineOrTalkedTo() throws Exception {
        Path password = Files.writeString(dir.resolve("tia.pw"), "tia pw\n");
        ClientRun.finish("tia pw", "127.0.0.1", port(), "ty_tia", "--listen", "--timeout", "100ms").assertExit(ExitCode.OK);
        try (ClientRun online = ClientRun.start("bo pw", "127.0.0.1", port(), "ty_bo", "--listen", "--timeout", "60s")) {
            tmux.open("tia", "127.0.0.1", port(), "ty_tia", "--no-color", "--password-file", password.toString());
            tmux.await("tia", "ty_tia -> all> ");
            // ty_cy writes to tia, then leaves
            ClientRun.finish("cy pw", "127.0.0.1", port(), "ty_cy", "ty_tia", "--send", "hello tia").assertExit(ExitCode.OK);
            tmux.await("tia", p -> lineEndingWith(p, "] ty_cy -> you: hello tia"), "ty_cy's message");

            tmux.type("tia", "/wh");
            tmux.key("tia", "Tab");
            tmux.await("tia", p -> lastLine(p).equals("ty_tia -> all> /who"), "/who completed");
            tmux.key("tia", "Enter");
            tmux.await("tia", p -> p.matches("(?s).*-- \\d+ online: [^\\n]*ty_bo, [^\\n]*ty_tia.*"), "who list");

            // online: from the who list
            tmux.type("tia", "/to ty_b");
            tmux.key("tia", "Tab");
            tmux.await("tia", p -> lastLine(p).equals("ty_tia -> all> /to ty_bo"), "ty_bo completed");
            tmux.key("tia", "Enter");
            tmux.await("tia", "-- now talking to ty_bo");

            // talked to: ty_cy is gone, but wrote to tia
            tmux.type("tia", "/msg ty_c");
            tmux.key("tia", "Tab");
            tmux.await("tia", p -> lastLine(p).equals("ty_tia -> ty_bo> /msg ty_cy"), "ty_cy completed");
            tmux.enter("tia", " thanks");
            tmux.await("tia", p -> lineEndingWith(p, "] you -> ty_cy: thanks"), "the message to ty_cy");

            tmux.enter("tia", "/quit");
            tmux.await("tia", "[parley-chat exited with " + ExitCode.OK + "]");
        }
    }

    @Test
    void aDumbTerminalGetsPlainLinesWithoutEscapes() throws Exception {
        Path password = Files.writeString(dir.resolve("dee.pw"), "dee pw\n");
        Path raw = dir.resolve("dee.raw");
        tmux.openWithEnv("dee", List.of("TERM=dumb"), "127.0.0.1", port(), "ty_dee", "--password-file",
                password.toString());
        tmux.record("dee", raw);
        tmux.await("dee", "-- connected to");
        tmux.enter("dee", "plain as can be");
        tmux.await("dee", p -> lineEndingWith(p, "] you -> all: plain as can be"), "dee's own line");
        tmux.enter("dee", "/quit");
        tmux.await("dee", "[parley-chat exited with " + ExitCode.OK + "]");
        String written = Files.readString(raw);
        assertThat(written).contains("] you -> all: plain as can be").doesNotContain("\u001b");
        // no redraw: carriage returns only as the terminal's own line ends
        assertThat(written.replace("\r\n", "\n")).doesNotContain("\r");
    }

    @Test
    void aNewNameAtThePasswordPromptIsConfirmedBeforeItIsRegistered() throws Exception {
        tmux.open("alcie", "127.0.0.1", port(), "ty_alcie", "--no-color");
        tmux.await("alcie", "Password for ty_alcie: ");
        tmux.enter("alcie", "first try");
        tmux.await("alcie", "parley-chat: there is no account named ty_alcie yet; type the same password again to"
                + " register it (Ctrl-C to stop)");
        tmux.await("alcie", "Password for the new account ty_alcie again: ");
        // the typo was in the name: the person does not confirm, and nothing is registered
        tmux.enter("alcie", "something else");
        tmux.await("alcie", "parley-chat: the passwords differ; no account registered");
        tmux.await("alcie", "[parley-chat exited with " + ExitCode.LOGIN_REFUSED + "]");
        assertThat(cluster.redis().command("HEXISTS parley:users ty_alcie")).isEqualTo(":0");

        tmux.open("alcie2", "127.0.0.1", port(), "ty_alcie", "--no-color");
        tmux.await("alcie2", "Password for ty_alcie: ");
        tmux.enter("alcie2", "meant it");
        tmux.await("alcie2", "Password for the new account ty_alcie again: ");
        tmux.enter("alcie2", "meant it");
        tmux.await("alcie2", "parley-chat: registered new account ty_alcie");
        tmux.await("alcie2", "ty_alcie -> all> ");
        tmux.key("alcie2", "C-d");
        tmux.await("alcie2", "[parley-chat exited with " + ExitCode.OK + "]");

        // the account exists now: its next login asks once
        tmux.open("alcie3", "127.0.0.1", port(), "ty_alcie", "--no-color");
        tmux.await("alcie3", "Password for ty_alcie: ");
        tmux.enter("alcie3", "meant it");
        tmux.await("alcie3", "ty_alcie -> all> ");
        assertThat(tmux.pane("alcie3")).doesNotContain("Password for the new account")
                .doesNotContain("registered new account");
        tmux.key("alcie3", "C-d");
        tmux.await("alcie3", "[parley-chat exited with " + ExitCode.OK + "]");
    }

    @Test
    void fromAScriptANewNameRegistersAndSaysSoOnStandardError() {
        ClientRun first = ClientRun.finish("scripted pw", "127.0.0.1", port(), "ty_script", "--send", "hi");
        first.assertExit(ExitCode.OK);
        assertThat(first.err()).contains("registered new account ty_script");
        ClientRun again = ClientRun.finish("scripted pw", "127.0.0.1", port(), "ty_script", "--send", "hi again");
        again.assertExit(ExitCode.OK);
        assertThat(again.err()).doesNotContain("registered");
    }

    @Test
    void pipedCommandsWithInteractiveWaitForTheAnswersBeforeExiting() {
        ClientRun run = ClientRun.start("pip pw", "127.0.0.1", port(), "ty_pip", "-i");
        run.type("/who");
        run.endInput();
        run.assertExit(ExitCode.OK);
        assertThat(run.out()).containsPattern("-- \\d+ online: [^\n]*ty_pip");
    }

    private static String port() {
        return Integer.toString(server.port());
    }
}
