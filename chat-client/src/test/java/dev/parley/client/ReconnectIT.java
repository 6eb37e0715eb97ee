package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.command.ExitCode;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reconnect and resume: clients on server A see it restart and must end up with every message
 * exactly once, in order. The messages sent while A is down go through server B (same Redis), so
 * the only way to get them is the resume with {@code since}; nothing here depends on timing.
 */
class ReconnectIT {
    private static final String PW = "pw";
    private static final Pattern JSON_ID = Pattern.compile("\"id\":(\\d+)");

    /** Fresh for each test, which restarts servers (and Redis keeps what it acknowledged). */
    @RegisterExtension
    final ParleyCluster cluster = ParleyCluster.builder(ReconnectIT.class).appendOnly().servers("node-a", "node-b")
            .build();
    final RedisServer redis = cluster.redis();
    final ChatServerProcess serverA = cluster.server("node-a");
    final ChatServerProcess serverB = cluster.server("node-b");

    private long sendVia(ChatServerProcess server, String from, String text) {
        ClientRun run = ClientRun.finish(PW, "127.0.0.1", Integer.toString(server.port()), from, "--send", text)
                .assertExit(ExitCode.OK);
        return Long.parseLong(run.out().strip());
    }

    @Test
    void afterAServerRestartNothingIsMissedOrShownTwice() {
        String a = Integer.toString(serverA.port());
        try (ClientRun ivan = ClientRun.start(PW, "127.0.0.1", a, "rc_ivan", "-i");
             ClientRun judy = ClientRun.start(PW, "127.0.0.1", a, "rc_judy", "--listen", "--json", "--count", "7",
                     "--timeout", "90s")) {
            ivan.awaitOut("connected to 127.0.0.1:" + a + " (node node-a)");
            List<Long> ids = new ArrayList<>();
            ids.add(sendVia(serverB, "rc_kim", "m1 before"));
            ids.add(sendVia(serverB, "rc_kim", "m2 before"));
            ivan.awaitOut("] rc_kim -> all: m2 before");
            // ivan's own message is the newest he has seen: the resume replays it and he must not show it twice
            ivan.type("m3 ivan before");
            ivan.awaitOut("] you -> all: m3 ivan before");

            assertThat(serverA.stop(Duration.ofSeconds(30))).as("server A exit code after SIGTERM").isZero();
            ivan.awaitOut("connection lost");

            ids.add(sendVia(serverB, "rc_kim", "m4 while A is down"));
            ids.add(sendVia(serverB, "rc_kim", "m5 while A is down"));
            ivan.type("m6 typed while disconnected");
            ivan.awaitOut("not connected; it will be sent when the connection is back");

            serverA.start();
            ivan.awaitOut("reconnected to 127.0.0.1:" + a + " (node node-a)");
            ivan.awaitOut("] rc_kim -> all: m5 while A is down");
            ivan.awaitOut("] you -> all: m6 typed while disconnected");
            ids.add(sendVia(serverB, "rc_kim", "m7 after"));
            ivan.awaitOut("] rc_kim -> all: m7 after");
            ivan.type("/quit");
            ivan.assertExit(ExitCode.OK);

            String out = ivan.out();
            // every message in order, m6 included: the client sends lines typed while disconnected once the
            // server says the catch-up is complete (caught-up, protocol v1.1)
            List<String> order = List.of("] rc_kim -> all: m1 before", "] rc_kim -> all: m2 before",
                    "] you -> all: m3 ivan before", "] rc_kim -> all: m4 while A is down",
                    "] rc_kim -> all: m5 while A is down", "] you -> all: m6 typed while disconnected",
                    "] rc_kim -> all: m7 after");
            int last = -1;
            for (String line : order) {
                assertThat(ClientRun.occurrences(out, line)).as("times shown: %s%n%s", line, out).isEqualTo(1);
                assertThat(out.indexOf(line)).as("order of %s%n%s", line, out).isGreaterThan(last);
                last = out.indexOf(line);
            }
            assertThat(out.indexOf("] you -> all: m6 typed while disconnected")).isGreaterThan(out.indexOf("-- reconnected"));
            assertThat(out).doesNotContain("out of order");
            // the resume asked for what came after the last message ivan saw, m3 (his own)
            assertThat(out).contains("catching up after message #");

            judy.assertExit(ExitCode.OK);
            List<Long> seen = new ArrayList<>();
            for (String line : judy.outLines()) {
                Matcher m = JSON_ID.matcher(line);
                assertThat(m.find()).as(line).isTrue();
                seen.add(Long.parseLong(m.group(1)));
            }
            assertThat(seen).as("judy's ids%n%s", judy.out()).hasSize(7).isSorted().doesNotHaveDuplicates();
            assertThat(seen).containsAll(ids);
            assertThat(judy.err()).contains("connection lost").contains("reconnected");
        }
    }

    /**
     * The trust case across a reconnection: a DM whose write reached Redis but whose answer died
     * with the server. The client keeps it pending, sends it again with the same id once it is
     * back, and the server answers with the original ack: stored once, shown once, never "not sent".
     */
    @Test
    void aDmWhoseAckDiedWithTheServerIsSentAgainAfterTheReconnectionAndStoredOnce() {
        String text = "the server crashed while storing this";
        String a = Integer.toString(serverA.port());
        String b = Integer.toString(serverB.port());
        ClientRun.finish(PW, "127.0.0.1", a, "rt_lee", "--listen", "--timeout", "100ms").assertExit(ExitCode.OK);
        ClientRun.finish(PW, "127.0.0.1", b, "rt_max", "--listen", "--timeout", "100ms").assertExit(ExitCode.OK);
        try (ClientRun lee = ClientRun.start(PW, "127.0.0.1", a, "rt_lee", "rt_max", "-i");
             ClientRun max = ClientRun.start(PW, "127.0.0.1", b, "rt_max", "rt_lee", "-i")) {
            lee.awaitOut("no messages yet with rt_max");
            max.awaitOut("no messages yet with rt_lee");
            // a store already made: server A's Redis connections are open, so the frozen Redis
            // receives the write itself (a new connection would stop at its handshake)
            lee.type("before the crash");
            max.awaitOut("] rt_lee -> you: before the crash");

            redis.pause();
            lee.type(text);
            // server A gave up waiting for Redis: its write sits in Redis's input, outcome unknown
            lee.awaitOut("-- pending to rt_max (");
            serverA.kill();
            lee.awaitOut("connection lost");
            // the write lands now, and nobody is left to tell lee
            redis.resume();
            max.awaitOut("] rt_lee -> you: " + text);

            serverA.start();
            lee.awaitOut("reconnected to 127.0.0.1:" + a);
            lee.awaitOut("] you -> rt_max: " + text);
            // a marker after it: anything repeated would have come before
            lee.type("after the crash");
            max.awaitOut("] rt_lee -> you: after the crash");
            lee.awaitOut("] you -> rt_max: after the crash");
            lee.type("/quit");
            max.type("/quit");
            lee.assertExit(ExitCode.OK);
            max.assertExit(ExitCode.OK);

            assertThat(ClientRun.occurrences(max.out(), text)).as("max's screen%n%s", max.out()).isEqualTo(1);
            assertThat(ClientRun.occurrences(lee.out(), "] you -> rt_max: " + text)).as(lee.out()).isEqualTo(1);
            assertThat(lee.out()).as("lee's screen").doesNotContain("not sent");
        }
        try (ClientRun later = ClientRun.start(PW, "127.0.0.1", b, "rt_max", "rt_lee", "-i")) {
            later.awaitOut("last 3 messages with rt_lee:");
            later.type("/quit");
            later.assertExit(ExitCode.OK);
            assertThat(ClientRun.occurrences(later.out(), text)).as("the history%n%s", later.out()).isEqualTo(1);
        }
    }

    @Test
    void aClientOnTheOtherReplicaSeesTheSameMessagesOnce() {
        String a = Integer.toString(serverA.port());
        String b = Integer.toString(serverB.port());
        ClientRun.finish(PW, "127.0.0.1", b, "rp_lena", "--listen", "--timeout", "100ms").assertExit(ExitCode.OK);
        ClientRun.finish(PW, "127.0.0.1", a, "rp_mark", "--listen", "--timeout", "100ms").assertExit(ExitCode.OK);
        try (ClientRun lena = ClientRun.start(PW, "127.0.0.1", b, "rp_lena", "rp_mark", "-i");
             ClientRun mark = ClientRun.start(PW, "127.0.0.1", a, "rp_mark", "rp_lena", "-i")) {
            lena.awaitOut("no messages yet with rp_mark");
            mark.awaitOut("no messages yet with rp_lena");
            mark.type("across replicas");
            lena.awaitOut("] rp_mark -> you: across replicas");
            lena.type("got it");
            mark.awaitOut("] rp_lena -> you: got it");
            mark.type("/quit");
            lena.type("/quit");
            mark.assertExit(ExitCode.OK);
            lena.assertExit(ExitCode.OK);
            assertThat(ClientRun.occurrences(lena.out(), "across replicas")).isEqualTo(1);
        }
    }

    @Test
    void aLoginRefusedOnReconnectionEndsWithExit3() {
        // the password cannot change in protocol v1, so a refusal on reconnection is staged with a fresh
        // store: the restarted server has forgotten rc_nora, and a different user registered the name
        String a = Integer.toString(serverA.port());
        try (ClientRun nora = ClientRun.start(PW, "127.0.0.1", a, "rc_nora", "-i")) {
            nora.awaitOut("connected to");
            serverA.stop(Duration.ofSeconds(30));
            serverB.stop(Duration.ofSeconds(30));
            nora.awaitOut("connection lost");
            redis.command("FLUSHALL");
            serverB.start();
            ClientRun.finish("another password", "127.0.0.1", Integer.toString(serverB.port()), "rc_nora",
                    "--send", "mine now").assertExit(ExitCode.OK);
            serverA.start();
            nora.awaitOut("login refused on reconnection");
            nora.assertExit(ExitCode.LOGIN_REFUSED);
        }
    }
}
