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
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What a person sees: interactive clients run by bin/parley-chat in real terminals ({@link TmuxPanes}). */
class TerminalIT {
    @RegisterExtension
    static final TmuxPanes tmux = new TmuxPanes("terminal-it");

    @TempDir
    static Path dir;

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(TerminalIT.class).servers("terminal-it").build();
    static final ChatServerProcess server = cluster.server();

    @Test
    void twoPeopleChatAndIncomingLinesLeaveTheTypedLineAlone() throws Exception {
        Path alicePassword = Files.writeString(dir.resolve("alice.pw"), "alice secret\n");
        ClientRun.finish("alice secret", "127.0.0.1", port(), "tm_alice", "--listen", "--timeout", "100ms")
                .assertExit(ExitCode.OK);

        // bob types his password at the prompt: it must not be echoed
        tmux.open("bob", "127.0.0.1", port(), "tm_bob", "tm_alice");
        tmux.await("bob", "Password for tm_bob: ");
        tmux.enter("bob", "bob-secret-42");
        // a new name: the password again registers it
        tmux.await("bob", "Password for the new account tm_bob again: ");
        tmux.enter("bob", "bob-secret-42");
        tmux.await("bob", "-- connected to 127.0.0.1:" + port());
        tmux.await("bob", "-- no messages yet with tm_alice");
        assertThat(tmux.pane("bob")).doesNotContain("bob-secret-42");

        tmux.open("alice", "127.0.0.1", port(), "tm_alice", "tm_bob", "--password-file", alicePassword.toString());
        tmux.await("alice", "-- no messages yet with tm_bob");
        tmux.await("alice", "tm_alice -> tm_bob> ");

        // alice is half-way through a line when bob's message arrives
        tmux.type("alice", "draft for bob");
        tmux.await("alice", "tm_alice -> tm_bob> draft for bob");
        tmux.enter("bob", "hi alice");
        tmux.await("alice", p -> lineEndingWith(p, "] tm_bob -> you: hi alice")
                && lastLine(p).equals("tm_alice -> tm_bob> draft for bob"), "bob's line above alice's intact draft");
        assertThat(linesOf(tmux.pane("bob"))).anyMatch(l -> l.matches("\\[\\d\\d:\\d\\d:\\d\\d] you -> tm_alice: hi alice"));

        // the sent line is replaced by the acknowledged message, with its time
        tmux.key("alice", "Enter");
        tmux.await("bob", p -> lineEndingWith(p, "] tm_alice -> you: draft for bob"), "alice's line at bob");
        tmux.await("alice", p -> lineEndingWith(p, "] you -> tm_bob: draft for bob"), "alice's own line");
        assertThat(tmux.pane("alice")).doesNotContain("tm_alice -> tm_bob> draft for bob");

        // a broadcast from a third user shows as one, and messages are coloured on a terminal
        ClientRun.finish("carol pw", "127.0.0.1", port(), "tm_carol", "--send", "cake in the kitchen")
                .assertExit(ExitCode.OK);
        tmux.await("alice", p -> lineEndingWith(p, "] tm_carol -> all: cake in the kitchen"), "broadcast at alice");
        tmux.await("bob", p -> lineEndingWith(p, "] tm_carol -> all: cake in the kitchen"), "broadcast at bob");
        String coloured = tmux.coloured("alice");
        assertThat(coloured).contains("\u001b[");

        tmux.enter("bob", "/who");
        tmux.await("bob", p -> p.matches("(?s).*-- \\d+ online: [^\\n]*tm_alice, tm_bob.*"), "who list");
        tmux.enter("bob", "/nonsense");
        tmux.await("bob", "!! unknown command /nonsense (type /help for the list");

        tmux.enter("alice", "/quit");
        tmux.await("alice", "[parley-chat exited with " + ExitCode.OK + "]");
        tmux.key("bob", "C-d");
        tmux.await("bob", "[parley-chat exited with " + ExitCode.OK + "]");
    }

    @Test
    void aWrongPasswordAtThePromptExits3WithTheReason() throws Exception {
        ClientRun.finish("dan pw", "127.0.0.1", port(), "tm_dan", "--listen", "--timeout", "100ms").assertExit(ExitCode.OK);
        tmux.open("dan", "127.0.0.1", port(), "tm_dan");
        tmux.await("dan", "Password for tm_dan: ");
        tmux.enter("dan", "not dans password");
        tmux.await("dan", "parley-chat: login refused: ");
        tmux.await("dan", "[parley-chat exited with " + ExitCode.LOGIN_REFUSED + "]");
    }

    @Test
    void noColorMeansNoEscapes() throws Exception {
        Path password = Files.writeString(dir.resolve("erin.pw"), "erin pw\n");
        tmux.open("erin", "127.0.0.1", port(), "tm_erin", "--no-color", "--password-file", password.toString());
        tmux.await("erin", "-- connected to");
        tmux.await("erin", "tm_erin -> all> ");
        tmux.enter("erin", "plain text please");
        tmux.await("erin", p -> lineEndingWith(p, "] you -> all: plain text please"), "erin's own line");
        String raw = tmux.coloured("erin");
        String messageLine = Arrays.stream(raw.split("\n")).filter(l -> l.contains("plain text please")).findFirst().orElseThrow();
        assertThat(messageLine).doesNotContain("\u001b[3").doesNotContain("\u001b[1");
        tmux.enter("erin", "/quit");
        tmux.await("erin", "[parley-chat exited with 0]");
    }

    @Test
    void anEmptyPasswordAsksAgainAndCtrlCThereExits130OnAFreshLine() throws Exception {
        tmux.open("fay", "127.0.0.1", port(), "tm_fay");
        tmux.await("fay", "Password for tm_fay: ");
        tmux.key("fay", "Enter");
        tmux.await("fay", "The password cannot be empty. Password for tm_fay: ");
        tmux.key("fay", "C-c");
        tmux.await("fay", "[parley-chat exited with " + ExitCode.INTERRUPTED + "]");
        // the shell's next words start a line of their own
        assertThat(tmux.shownLines("fay")).endsWith(
                "The password cannot be empty. Password for tm_fay:",
                "[parley-chat exited with " + ExitCode.INTERRUPTED + "]");
    }

    @Test
    void ctrlCAtThePromptExits130SilentlyOnAnEmptyOrAHalfTypedLine() throws Exception {
        Path password = Files.writeString(dir.resolve("gus.pw"), "gus pw\n");
        for (String typed : List.of("", "half a line")) {
            String pane = typed.isEmpty() ? "gus_empty" : "gus_half";
            tmux.open(pane, "127.0.0.1", port(), "tm_gus", "--password-file", password.toString());
            tmux.await(pane, "tm_gus -> all> ");
            tmux.type(pane, typed);
            tmux.await(pane, "tm_gus -> all> " + typed);
            tmux.key(pane, "C-c");
            tmux.await(pane, "[parley-chat exited with " + ExitCode.INTERRUPTED + "]");
            List<String> lines = tmux.shownLines(pane);
            // the shell's next words start a line of their own, and the client said nothing on the way out
            assertThat(lines.get(lines.size() - 1)).isEqualTo("[parley-chat exited with " + ExitCode.INTERRUPTED + "]");
            assertThat(lines).noneMatch(l -> l.startsWith("!! "));
        }
    }

    @Test
    void aLineOverTheLimitIsRefusedAndStaysInTheInputLine() throws Exception {
        Path password = Files.writeString(dir.resolve("hal.pw"), "hal pw\n");
        tmux.open("hal", "127.0.0.1", port(), "tm_hal", "--password-file", password.toString());
        tmux.await("hal", "tm_hal -> all> ");
        String tooLong = "y".repeat(3999) + "zz";
        tmux.type("hal", tooLong);
        tmux.await("hal", "tm_hal -> all> " + tooLong);
        tmux.key("hal", "Enter");
        tmux.await("hal", "!! message too long: 4001 characters, at most 4000; it is back in the input line to shorten");
        tmux.await("hal", p -> lastLine(p).equals("tm_hal -> all> " + tooLong), "the refused line, back for editing");
        tmux.key("hal", "BSpace");
        tmux.key("hal", "Enter");
        tmux.await("hal", p -> lineEndingWith(p, "] you -> all: " + "y".repeat(3999) + "z"), "the shortened line sent");
        tmux.enter("hal", "/quit");
        tmux.await("hal", "[parley-chat exited with " + ExitCode.OK + "]");
    }

    @Test
    void dmsThatArrivedWhileAwayAreShownOnConnectAndThenCountAsRead() throws Exception {
        Path password = Files.writeString(dir.resolve("ivy.pw"), "ivy pw\n");
        ClientRun.finish("ivy pw", "127.0.0.1", port(), "tm_ivy", "--listen", "--timeout", "100ms").assertExit(ExitCode.OK);
        for (String text : List.of("lunch at noon?", "or 12:30")) {
            ClientRun.finish("jon pw", "127.0.0.1", port(), "tm_jon", "tm_ivy", "--send", text).assertExit(ExitCode.OK);
        }

        // ivy connects to the broadcast: jon's DMs are not in its history, so they come as unread
        tmux.open("ivy", "127.0.0.1", port(), "tm_ivy", "--password-file", password.toString());
        tmux.await("ivy", "-- 2 unread from tm_jon:");
        tmux.await("ivy", p -> lineEndingWith(p, "] tm_jon -> you: or 12:30"), "the newest unread DM");
        List<String> lines = tmux.shownLines("ivy");
        int heading = lines.indexOf("-- 2 unread from tm_jon:");
        assertThat(lines.subList(heading + 1, heading + 3)).satisfiesExactly(
                l -> assertThat(l).matches("\\[\\d\\d:\\d\\d:\\d\\d] tm_jon -> you: lunch at noon\\?"),
                l -> assertThat(l).matches("\\[\\d\\d:\\d\\d:\\d\\d] tm_jon -> you: or 12:30"));
        tmux.enter("ivy", "/quit");
        tmux.await("ivy", "[parley-chat exited with " + ExitCode.OK + "]");

        // shown once means read: the next session, on any device, does not list them again
        tmux.open("ivy_again", "127.0.0.1", port(), "tm_ivy", "--password-file", password.toString());
        tmux.await("ivy_again", "tm_ivy -> all> ");
        // answers come in the order asked: once /who is answered, the unread answer was shown
        tmux.enter("ivy_again", "/who");
        tmux.await("ivy_again", p -> p.contains(" online: "), "who list");
        assertThat(tmux.pane("ivy_again")).doesNotContain("unread from tm_jon").doesNotContain("lunch at noon?");
        tmux.enter("ivy_again", "/quit");
        tmux.await("ivy_again", "[parley-chat exited with " + ExitCode.OK + "]");
    }

    @Test
    void aMessageTheServerHasNotAnsweredIsCountedInThePromptUntilItIs() throws Exception {
        Path password = Files.writeString(dir.resolve("kit.pw"), "kit pw\n");
        tmux.open("kit", "127.0.0.1", port(), "tm_kit", "--password-file", password.toString());
        tmux.await("kit", "tm_kit -> all> ");
        cluster.redis().pause();
        try {
            tmux.enter("kit", "stuck for a moment");
            // an answer takes milliseconds; after a second without one the prompt says so
            tmux.await("kit", p -> lastLine(p).equals("[1 unconfirmed] tm_kit -> all>"), "the unconfirmed count");
        } finally {
            cluster.redis().resume();
        }
        tmux.await("kit", p -> lineEndingWith(p, "] you -> all: stuck for a moment")
                && lastLine(p).equals("tm_kit -> all>"), "the stored line, and the count gone");
        tmux.enter("kit", "/quit");
        tmux.await("kit", "[parley-chat exited with " + ExitCode.OK + "]");
    }

    private static String port() {
        return Integer.toString(server.port());
    }
}
