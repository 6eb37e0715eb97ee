package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.command.ExitCode;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Missed messages are seen: the client against the real server and redis-server, as the person sees it. */
class UnreadIT {
    private static final String PW = "correct horse";

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(UnreadIT.class).servers("unread-a", "unread-b").build();
    static final ChatServerProcess laptop = cluster.server("unread-a");
    static final ChatServerProcess phone = cluster.server("unread-b");

    private static String port(ChatServerProcess server) {
        return Integer.toString(server.port());
    }

    @Test
    void aDmSentWhileOfflineIsShownOnConnectAndOnlyOnce() {
        ClientRun.finish(PW, "127.0.0.1", port(laptop), "un_alice", "--listen", "--timeout", "200ms")
                .assertExit(ExitCode.OK);
        ClientRun.finish(PW, "127.0.0.1", port(laptop), "un_bob", "un_alice", "--send", "are you there?")
                .assertExit(ExitCode.OK);
        // no recipient: the DM was only reachable through /to un_bob then /history
        try (ClientRun alice = ClientRun.start(PW, "127.0.0.1", port(laptop), "un_alice", "-i")) {
            alice.awaitOut("-- 1 unread from un_bob:");
            alice.awaitOut("] un_bob -> you: are you there?");
            alice.type("/quit");
            alice.assertExit(ExitCode.OK);
        }
        // shown on the laptop: read on the phone too, which is served by another replica
        try (ClientRun alice = ClientRun.start(PW, "127.0.0.1", port(phone), "un_alice", "-i")) {
            alice.type("/who");
            alice.awaitOut("online:");
            alice.type("/quit");
            alice.assertExit(ExitCode.OK);
            assertThat(alice.out()).doesNotContain("unread from un_bob").doesNotContain("are you there?");
        }
    }

    @Test
    void manyUnreadShowTheNewestAndSayHowManyMore() {
        ClientRun.finish(PW, "127.0.0.1", port(laptop), "un_carol", "--listen", "--timeout", "200ms")
                .assertExit(ExitCode.OK);
        for (int i = 1; i <= 7; i++) {
            ClientRun.finish(PW, "127.0.0.1", port(phone), "un_dave", "un_carol", "--send", "note " + i)
                    .assertExit(ExitCode.OK);
        }
        try (ClientRun carol = ClientRun.start(PW, "127.0.0.1", port(laptop), "un_carol", "-i")) {
            carol.awaitOut("-- 7 unread from un_dave:");
            carol.awaitOut("-- and 2 earlier: /to un_dave then /history");
            carol.awaitOut("] un_dave -> you: note 7");
            carol.type("/quit");
            carol.assertExit(ExitCode.OK);
            assertThat(carol.out()).contains("note 3").doesNotContain("note 2");
        }
    }
}
