package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.expectMsg;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.Closer;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code who} across replicas tells the truth: a user is listed everywhere as soon as they are
 * welcomed, and until their last session ends; replicas started with the same node id do not
 * mix up their users or their connections.
 */
class PresenceIT {
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(PresenceIT.class).servers("p-east", "p-west").build();
    private static final ChatServerProcess east = cluster.server("p-east");
    private static final ChatServerProcess west = cluster.server("p-west");

    private static List<String> who(TestConnection c) {
        c.send(new ClientFrame.Who());
        return c.expect(ServerFrame.WhoList.class).users();
    }

    @Test
    void aWelcomedUserIsListedByWhoOnEveryReplicaAtOnce() {
        List<TestConnection> opened = new ArrayList<>();
        try (TestConnection observer = login(west, user("p-observer"))) {
            for (int i = 0; i < 20; i++) {
                String newcomer = user("p-new");
                // login() returns once the welcome (and the history after it) arrived
                opened.add(login(east, newcomer));
                assertThat(who(observer)).as("who on the other replica right after %s's welcome", newcomer)
                        .contains(newcomer);
            }
        } finally {
            Closer.closeQuietly(opened.toArray(AutoCloseable[]::new));
        }
    }

    @Test
    void aUserStaysListedUntilTheirLastSessionEnds() throws Exception {
        String carol = user("p-carol");
        try (TestConnection observer = login(west, user("p-watcher"))) {
            TestConnection first = login(east, carol);
            try (TestConnection second = login(east, carol)) {
                first.close();
                // the server has seen the first session end by then; the second keeps carol online
                Thread.sleep(1000);
                assertThat(who(observer)).contains(carol);
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(who(observer)).doesNotContain(carol));
        }
    }

    @Test
    void replicasWithTheSameNodeIdKeepTheirUsersAndConnectionsApart() {
        String x = user("p-x");
        String y = user("p-y");
        // two servers with one node id, as a copy-pasted configuration would start them
        try (ChatServerProcess one = cluster.newServer("p-twin").start();
             ChatServerProcess other = cluster.newServer("p-twin").start();
             // each server's first connection: with the node id alone in their origin, they would be taken for one
             TestConnection onEast = login(one, x);
             TestConnection onTwin = login(other, y)) {
            assertThat(who(onEast)).contains(x, y);
            assertThat(who(onTwin)).contains(x, y);
            ServerFrame.Ack ack = sendAcked(onEast, "*", "hello twin");
            ChatMessage got = expectMsg(onTwin);
            assertThat(got.id()).isEqualTo(ack.id());
            assertThat(got.from()).isEqualTo(x);
        }
    }
}
