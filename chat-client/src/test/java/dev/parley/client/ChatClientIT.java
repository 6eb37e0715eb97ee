package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.command.ExitCode;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.Deadline;
import dev.parley.testkit.FreePort;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The client against the real server jar and a real redis-server: what issue 3 asks, exit code by exit code. */
class ChatClientIT {
    private static final String PW = "correct horse";
    private static final String ADMIN_TOKEN = "it-admin-token";

    @TempDir
    static Path dir;

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(ChatClientIT.class).servers("client-it")
            .arg("--admin-token", ADMIN_TOKEN).build();
    static final ChatServerProcess server = cluster.server();

    private static String port() {
        return Integer.toString(server.port());
    }

    /** Logs a user in once so that it exists and can receive direct messages. */
    private static void register(String user) {
        ClientRun.finish(PW, "127.0.0.1", port(), user, "--listen", "--timeout", "200ms").assertExit(ExitCode.OK);
    }

    private static long send(String from, String to, String text) {
        List<String> args = new ArrayList<>(List.of("127.0.0.1", port(), from));
        if (to != null) {
            args.add(to);
        }
        args.addAll(List.of("--send", text));
        ClientRun run = ClientRun.finish(PW, args.toArray(String[]::new)).assertExit(ExitCode.OK);
        return Long.parseLong(run.out().strip());
    }

    @Test
    void twoClientsDirectMessageEachOther() {
        register("dm_alice");
        register("dm_bob");
        try (ClientRun alice = ClientRun.start(PW, "127.0.0.1", port(), "dm_alice", "dm_bob", "-i");
             ClientRun bob = ClientRun.start(PW, "127.0.0.1", port(), "dm_bob", "dm_alice", "-i")) {
            alice.awaitOut("no messages yet with dm_bob");
            bob.awaitOut("no messages yet with dm_alice");
            alice.type("hi bob");
            bob.awaitOut("] dm_alice -> you: hi bob");
            alice.awaitOut("] you -> dm_bob: hi bob");
            bob.type("hi alice, lunch?");
            alice.awaitOut("] dm_bob -> you: hi alice, lunch?");
            bob.awaitOut("] you -> dm_alice: hi alice, lunch?");
            // /msg sends one DM elsewhere without switching; an unknown user is reported in words
            alice.type("/msg nobody_here hello?");
            alice.awaitOut("!! not sent to nobody_here (no such user: nobody_here): \"hello?\"");
            alice.type("/quit");
            alice.assertExit(ExitCode.OK);
            bob.endInput();
            bob.assertExit(ExitCode.OK);
            assertThat(ClientRun.occurrences(bob.out(), "hi bob")).isEqualTo(1);
        }
    }

    @Test
    void broadcastReachesEveryoneAndListenPrintsJson() {
        register("bc_carol");
        try (ClientRun carol = ClientRun.start(PW, "127.0.0.1", port(), "bc_carol", "-i");
             ClientRun listener = ClientRun.start(PW, "127.0.0.1", port(), "bc_erin", "--listen", "--json", "--count", "2",
                     "--timeout", "20s")) {
            carol.awaitOut("connected to 127.0.0.1:" + port());
            awaitLoggedIn("bc_erin");
            long id1 = send("bc_dave", null, "lunch?");
            carol.awaitOut("] bc_dave -> all: lunch?");
            carol.type("yes, 12:30");
            carol.awaitOut("] you -> all: yes, 12:30");
            listener.assertExit(ExitCode.OK);
            List<String> lines = listener.outLines();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).startsWith("{\"type\":\"msg\",\"id\":" + id1 + ",\"from\":\"bc_dave\",\"to\":\"*\","
                    + "\"text\":\"lunch?\",\"ts\":");
            assertThat(lines.get(1)).contains("\"from\":\"bc_carol\",\"to\":\"*\",\"text\":\"yes, 12:30\"");
            carol.type("/quit");
            carol.assertExit(ExitCode.OK);
        }
    }

    @Test
    void announcementsFromTheServerStandOut() {
        try (ClientRun wes = ClientRun.start(PW, "127.0.0.1", port(), "an_wes", "-i");
             ClientRun json = ClientRun.start(PW, "127.0.0.1", port(), "an_xena", "--listen", "--json", "--count", "1",
                     "--timeout", "20s")) {
            wes.awaitOut("connected to");
            awaitLoggedIn("an_xena");
            assertThat(server.post("/admin/broadcast", "{\"text\":\"maintenance at 15:00\"}", ADMIN_TOKEN).statusCode())
                    .isBetween(200, 299);
            wes.awaitOut("] *** server -> all: maintenance at 15:00");
            json.assertExit(ExitCode.OK);
            assertThat(json.out()).contains("\"from\":\"server\",\"to\":\"*\",\"text\":\"maintenance at 15:00\"");
            wes.type("/quit");
            wes.assertExit(ExitCode.OK);
        }
    }

    @Test
    void historyOnConnectShowsTheConversationOldestFirst() {
        register("hi_frank");
        register("hi_gina");
        send("hi_frank", "hi_gina", "one");
        send("hi_gina", "hi_frank", "two");
        send("hi_frank", "hi_gina", "three");
        send("hi_frank", null, "a broadcast, not part of the conversation");
        try (ClientRun gina = ClientRun.start(PW, "127.0.0.1", port(), "hi_gina", "hi_frank", "-i")) {
            gina.awaitOut("] hi_frank -> you: three");
            gina.endInput();
            gina.assertExit(ExitCode.OK);
            String out = gina.out();
            assertThat(out).contains("-- last 3 messages with hi_frank:\n");
            assertThat(out.indexOf("] hi_frank -> you: one"))
                    .isLessThan(out.indexOf("] you -> hi_frank: two"))
                    .isLessThan(out.indexOf("] hi_frank -> you: three"));
            assertThat(out).doesNotContain("a broadcast, not part");
        }
    }

    @Test
    void historyPagesBackWithoutRepeats() {
        register("pg_henry");
        register("pg_iris");
        for (int i = 1; i <= 7; i++) {
            send("pg_henry", "pg_iris", "page message " + i);
        }
        try (ClientRun iris = ClientRun.start(PW, "127.0.0.1", port(), "pg_iris", "pg_henry", "-i", "--history", "3")) {
            iris.awaitOut("-- last 3 messages with pg_henry:");
            iris.awaitOut("page message 7");
            iris.type("/history 2");
            iris.awaitOut("-- 2 earlier messages with pg_henry:");
            iris.awaitOut("page message 3");
            iris.type("/history");
            iris.awaitOut("-- 2 earlier messages with pg_henry:", 2);
            iris.awaitOut("page message 1");
            iris.type("/history");
            iris.awaitOut("-- no earlier messages with pg_henry");
            iris.endInput();
            iris.assertExit(ExitCode.OK);
            String out = iris.out();
            List<String> order = List.of("page message 5", "page message 6", "page message 7",
                    "page message 3", "page message 4", "page message 1", "page message 2");
            int last = -1;
            for (String text : order) {
                assertThat(ClientRun.occurrences(out, text)).as(text).isEqualTo(1);
                assertThat(out.indexOf(text)).as(text).isGreaterThan(last);
                last = out.indexOf(text);
            }
        }
    }

    @Test
    void aRecipientWhoHasNotJoinedYetIsSaidSoAndTheSessionGoesOn() {
        try (ClientRun uma = ClientRun.start(PW, "127.0.0.1", port(), "nj_uma", "nj_victor", "-i")) {
            uma.awaitOut("!! nj_victor is not a registered user yet: messages to nj_victor are refused until they log in once");
            uma.type("are you there?");
            uma.awaitOut("!! not sent to nj_victor (no such user: nj_victor): \"are you there?\"");
            register("nj_victor");
            uma.type("now?");
            uma.awaitOut("] you -> nj_victor: now?");
            uma.type("/quit");
            uma.assertExit(ExitCode.OK);
        }
    }

    @Test
    void toAnUnknownUserSaysSoAtOnceAndKeepsTheRecipient() {
        register("to_lena");
        register("to_mia");
        try (ClientRun lena = ClientRun.start(PW, "127.0.0.1", port(), "to_lena", "to_mia", "-i");
             ClientRun mia = ClientRun.start(PW, "127.0.0.1", port(), "to_mia", "--listen", "--count", "1",
                     "--timeout", "20s")) {
            lena.awaitOut("no messages yet with to_mia");
            awaitLoggedIn("to_mia");
            lena.type("/to to_nobdy");
            lena.awaitOut("!! no such user: to_nobdy; still talking to to_mia");
            lena.type("still for mia");
            lena.awaitOut("] you -> to_mia: still for mia");
            mia.assertExit(ExitCode.OK);
            assertThat(mia.out()).endsWith("] to_lena -> you: still for mia\n");
            lena.type("/all");
            lena.type("/to to_mia");
            lena.awaitOut("-- now talking to to_mia (/all for everyone)");
            lena.type("/quit");
            lena.assertExit(ExitCode.OK);
            assertThat(lena.out()).doesNotContain("now talking to to_nobdy").doesNotContain("not sent");
        }
    }

    @Test
    void whoHelpAndUnknownCommands() {
        try (ClientRun jack = ClientRun.start(PW, "127.0.0.1", port(), "cmd_jack", "-i")) {
            jack.awaitOut("connected to");
            jack.type("/who");
            jack.awaitOut("online: ");
            jack.type("/help");
            jack.awaitOut("/history [N]");
            jack.type("/dance");
            jack.awaitOut("!! unknown command /dance (type /help for the list");
            register("cmd_kate");
            jack.type("/to cmd_kate");
            jack.awaitOut("-- now talking to cmd_kate");
            jack.type("/all");
            jack.awaitOut("-- now talking to everyone");
            jack.type("/quit");
            jack.assertExit(ExitCode.OK);
            assertThat(jack.out()).containsPattern("-- \\d+ online: [^\\n]*cmd_jack");
        }
    }

    @Test
    void pipedLinesAreSentInOrderThenTheClientExits() {
        register("pipe_lou");
        try (ClientRun listener = ClientRun.start(PW, "127.0.0.1", port(), "pipe_lou", "pipe_max", "--listen",
                "--count", "3", "--timeout", "20s")) {
            awaitLoggedIn("pipe_lou");
            ClientRun pipe = ClientRun.start(PW, "127.0.0.1", port(), "pipe_max", "pipe_lou");
            pipe.type("first line");
            pipe.type("");
            pipe.type("second line");
            pipe.type("third line");
            pipe.endInput();
            pipe.assertExit(ExitCode.OK);
            assertThat(pipe.out()).isEmpty();
            listener.assertExit(ExitCode.OK);
            List<String> lines = listener.outLines();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).endsWith("] pipe_max -> you: first line");
            assertThat(lines.get(1)).endsWith("] pipe_max -> you: second line");
            assertThat(lines.get(2)).endsWith("] pipe_max -> you: third line");
        }
    }

    @Test
    void pipedLinesToAnUnknownUserFailWithExit1() {
        ClientRun pipe = ClientRun.start(PW, "127.0.0.1", port(), "pipe_nina", "nobody_at_all");
        pipe.type("anyone?");
        pipe.endInput();
        pipe.assertExit(ExitCode.FAILED);
        assertThat(pipe.err()).contains("line 1: not sent to nobody_at_all (no such user: nobody_at_all)");
    }

    // ---------------------------------------------------------------- exit codes

    @Test
    void exit0AfterQuitCtrlDAndAcknowledgedSend() {
        ClientRun quit = ClientRun.start(PW, "127.0.0.1", port(), "ex_olga", "-i");
        quit.type("/quit");
        quit.assertExit(ExitCode.OK);
        ClientRun eof = ClientRun.start(PW, "127.0.0.1", port(), "ex_olga", "-i");
        eof.endInput();
        eof.assertExit(ExitCode.OK);
        ClientRun sent = ClientRun.finish(PW, "127.0.0.1", port(), "ex_olga", "--send", "hello").assertExit(ExitCode.OK);
        assertThat(sent.out().strip()).matches("\\d+");
    }

    @Test
    void exit1WhenAMessageIsRefusedOrAListenTimesOut() {
        ClientRun refused = ClientRun.finish(PW, "127.0.0.1", port(), "ex_pia", "no_such_user_x", "--send", "hi")
                .assertExit(ExitCode.FAILED);
        assertThat(refused.err()).contains("not sent to no_such_user_x (no such user: no_such_user_x): \"hi\"");
        ClientRun quiet = ClientRun.finish(PW, "127.0.0.1", port(), "ex_pia", "ex_quinn", "--listen", "--count", "1",
                "--timeout", "1s").assertExit(ExitCode.FAILED);
        assertThat(quiet.err()).contains("timed out after 1 s with 0 of 1 messages");
        ClientRun enough = ClientRun.finish(PW, "127.0.0.1", port(), "ex_pia", "--listen", "--timeout", "500ms")
                .assertExit(ExitCode.OK);
        assertThat(enough.err()).isEmpty();
    }

    @Test
    void exit2OnWrongUsage() {
        ClientRun run = ClientRun.finish(PW, "127.0.0.1", port()).assertExit(ExitCode.USAGE);
        assertThat(run.err()).isEqualTo("parley-chat: Missing required parameter: 'USERNAME'. Try 'parley-chat --help'.\n");
    }

    @Test
    void exit3WhenTheServerRefusesTheLogin() {
        register("ex_rita");
        ClientRun send = ClientRun.finish("wrong password", "127.0.0.1", port(), "ex_rita", "--send", "hi")
                .assertExit(ExitCode.LOGIN_REFUSED);
        assertThat(send.err()).startsWith("parley-chat: login refused: ");
        ClientRun interactive = ClientRun.finish("wrong password", "127.0.0.1", port(), "ex_rita", "-i")
                .assertExit(ExitCode.LOGIN_REFUSED);
        assertThat(interactive.err()).startsWith("parley-chat: login refused: ");
        ClientRun listen = ClientRun.finish("wrong password", "127.0.0.1", port(), "ex_rita", "--listen")
                .assertExit(ExitCode.LOGIN_REFUSED);
        assertThat(listen.err()).startsWith("parley-chat: login refused: ");
    }

    @Test
    void exit4WhenTheServerCannotBeReached() {
        int closed = FreePort.pick();
        ClientRun run = ClientRun.finish(PW, "127.0.0.1", Integer.toString(closed), "ex_sam", "-i")
                .assertExit(ExitCode.UNREACHABLE);
        assertThat(run.err().strip()).isEqualTo("parley-chat: cannot reach 127.0.0.1:" + closed + ": connection refused");
        ClientRun unknown = ClientRun.finish(PW, "no-such-host.invalid", "6000", "ex_sam", "--send", "x")
                .assertExit(ExitCode.UNREACHABLE);
        assertThat(unknown.err().strip()).isEqualTo(
                "parley-chat: cannot reach no-such-host.invalid:6000: unknown host no-such-host.invalid");
    }

    @Test
    void exit4WhenThePortDoesNotSpeakParley() throws Exception {
        String http = Integer.toString(server.httpPort());
        ClientRun atHttp = ClientRun.finish(PW, "127.0.0.1", http, "np_ada", "-i").assertExit(ExitCode.UNREACHABLE);
        assertThat(atHttp.err()).isEqualTo("parley-chat: 127.0.0.1:" + http + " speaks HTTP, not the Parley chat "
                + "protocol: is it the server's HTTP port? The chat port is usually 6000\n");
        assertThat(atHttp.out()).isEmpty();

        String redis = Integer.toString(cluster.redis().port());
        ClientRun atRedis = ClientRun.finish(PW, "127.0.0.1", redis, "np_ada", "--send", "hi")
                .assertExit(ExitCode.UNREACHABLE);
        assertThat(atRedis.err()).isEqualTo("parley-chat: 127.0.0.1:" + redis + " does not speak the Parley chat "
                + "protocol: its answer to the login is not a Parley frame. The chat port is usually 6000\n");

        // the kernel completes the TCP handshake for a listener that never accepts: a peer that never answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(silent.getLocalPort());
            ClientRun atSilence = ClientRun.finish(PW, "127.0.0.1", port, "np_ada", "--listen")
                    .assertExit(ExitCode.UNREACHABLE);
            assertThat(atSilence.err()).isEqualTo("parley-chat: 127.0.0.1:" + port + " accepted the connection but "
                    + "did not answer the login within 10 s: is it a Parley chat port (usually 6000)?\n");
        }
    }

    // ---------------------------------------------------------------- the jar and the launcher

    @Test
    void launcherRunsTheShadedJar() throws Exception {
        Path launcher = Path.of(System.getProperty("parley.client.launcher", "bin/parley-chat"));
        Process version = launch(launcher, List.of("--version"), PW);
        assertThat(exitOf(version)).isZero();
        assertThat(read(version)).startsWith("parley-chat 0.1.0");

        Process usage = launch(launcher, List.of("127.0.0.1"), PW);
        assertThat(exitOf(usage)).isEqualTo(ExitCode.USAGE);
        assertThat(new String(usage.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("parley-chat: Missing required parameters: 'PORT', 'USERNAME'. Try 'parley-chat --help'.\n");

        Process send = launch(launcher, List.of("127.0.0.1", port(), "jar_tom", "--send", "from the jar"), PW);
        assertThat(exitOf(send)).isZero();
        assertThat(read(send).strip()).matches("\\d+");

        Path passwordFile = Files.writeString(dir.resolve("tom.pw"), "not his password\n");
        Process refused = launch(launcher, List.of("127.0.0.1", port(), "jar_tom", "--password-file",
                passwordFile.toString(), "--send", "x"), null);
        assertThat(exitOf(refused)).isEqualTo(ExitCode.LOGIN_REFUSED);
    }

    private static Process launch(Path launcher, List<String> args, String password) throws IOException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().remove("CHAT_PASSWORD");
        if (password != null) {
            builder.environment().put("CHAT_PASSWORD", password);
        }
        String jar = System.getProperty("parley.client.jar");
        if (jar != null) {
            builder.environment().put("PARLEY_CHAT_JAR", jar);
        }
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return builder.start();
    }

    private static int exitOf(Process process) throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not exit within 30s");
        }
        return process.exitValue();
    }

    private static String read(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Waits until the server lists {@code user} as online (the listener's login is done). */
    private static void awaitLoggedIn(String user) {
        try (TestConnection watcher = server.connect()) {
            watcher.hello("it_watcher", PW);
            boolean online = Deadline.await(Duration.ofSeconds(10), () -> {
                watcher.send(new ClientFrame.Who());
                return watcher.skipUntil(ServerFrame.WhoList.class, Duration.ofSeconds(5)).users().contains(user);
            });
            assertThat(online).as(user + " online").isTrue();
        }
    }
}
