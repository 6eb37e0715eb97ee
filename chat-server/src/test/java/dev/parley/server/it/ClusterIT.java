package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.assertReceivesExactly;
import static dev.parley.server.it.ItSupport.assertStrictlyIncreasing;
import static dev.parley.server.it.ItSupport.framesUntilMsg;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.msgIds;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two server processes sharing one Redis behave as one service. */
class ClusterIT {
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(ClusterIT.class).servers("east", "west")
            .arg("--rate-limit", "0").build();
    private static final ChatServerProcess east = cluster.server("east");
    private static final ChatServerProcess west = cluster.server("west");

    @Test
    void aDmCrossesServersAndWhoSeesUsersOnBoth() {
        String alice = user("x-alice");
        String bob = user("x-bob");
        String marker = user("x-mark");
        try (TestConnection aEast = login(east, alice);
             TestConnection aWest = login(west, alice);
             TestConnection bWest = login(west, bob);
             TestConnection m = login(east, marker)) {
            assertThat(welcomeNode(east)).isEqualTo("east");
            ServerFrame.Ack ack = sendAcked(aEast, bob, "across");
            ChatMessage atBob = ItSupport.expectMsg(bWest);
            assertThat(atBob.id()).isEqualTo(ack.id());
            assertThat(atBob.from()).isEqualTo(alice);
            assertThat(atBob.text()).isEqualTo("across");
            assertThat(ItSupport.expectMsg(aWest).id()).isEqualTo(ack.id());
            long markerId = sendAcked(m, "*", "marker").id();
            assertThat(msgIds(framesUntilMsg(aEast, markerId))).containsExactly(markerId);
            // the reply from west reaches alice on east
            ServerFrame.Ack reply = sendAcked(bWest, alice, "back");
            assertThat(ItSupport.expectMsg(aEast).id()).isEqualTo(reply.id());
            // who on either server sees users connected to the other one
            for (TestConnection c : List.of(aEast, bWest)) {
                await().atMost(WAIT).untilAsserted(() -> {
                    c.send(new ClientFrame.Who());
                    assertThat(c.skipUntil(ServerFrame.WhoList.class, WAIT).users()).contains(alice, bob, marker);
                });
            }
        }
        // and a user that left west disappears from who on east
        try (TestConnection probe = login(east, user("x-probe"))) {
            await().atMost(WAIT).untilAsserted(() -> {
                probe.send(new ClientFrame.Who());
                assertThat(probe.skipUntil(ServerFrame.WhoList.class, WAIT).users()).doesNotContain(bob);
            });
        }
    }

    /**
     * Other replicas' messages travel in one fan-out entry per batch, each text length-prefixed in
     * bytes: texts with multi-byte characters, the prefix's own separator, digits and NUL must
     * come out as they went in, whether the receiving replica reads them itself (it is quiet) or
     * its store writer brings them back with its own batch (it sends right after).
     */
    @Test
    void textsCrossReplicasUnchanged() {
        List<String> texts = List.of("naïve café, 🌍 and 日本語", "5:ab:c", "12", ":", "\u0000 nul \u0000",
                "é".repeat(3000), "a\nb\tc \"quoted\"");
        String receiver = user("t-recv");
        try (TestConnection sender = login(east, user("t-send")); TestConnection r = login(west, receiver);
                TestConnection westSender = login(west, user("t-send-w"))) {
            List<Long> ids = new ArrayList<>();
            for (String text : texts) {
                ids.add(sendAcked(sender, receiver, text).id());
            }
            west.pause();
            try {
                for (String text : texts) {
                    ids.add(sendAcked(sender, receiver, text).id());
                }
            } finally {
                west.resume();
            }
            ids.add(sendAcked(westSender, receiver, "from west").id());
            List<ChatMessage> got = ItSupport.messages(framesUntilMsg(r, ids.get(ids.size() - 1)));
            List<String> expected = new ArrayList<>(texts);
            expected.addAll(texts);
            expected.add("from west");
            assertThat(got).extracting(ChatMessage::id).isEqualTo(ids);
            assertThat(got).extracting(ChatMessage::text).isEqualTo(expected);
        }
    }

    @Test
    void idsAreGloballyOrderedAcrossServers() throws Exception {
        int perSender = 100;
        List<TestConnection> conns = new ArrayList<>();
        try {
            TestConnection oEast = login(east, user("g-obs-e"));
            TestConnection oWest = login(west, user("g-obs-w"));
            conns.add(oEast);
            conns.add(oWest);
            List<TestConnection> senders = List.of(login(east, user("g-s-e")), login(west, user("g-s-w")),
                    login(east, user("g-s-e2")), login(west, user("g-s-w2")));
            conns.addAll(senders);
            List<Long> all = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (TestConnection s : senders) {
                threads.add(new Thread(() -> {
                    try {
                        List<Long> mine = new ArrayList<>();
                        for (int i = 0; i < perSender; i++) {
                            mine.add(sendAcked(s, "*", "g" + i).id());
                        }
                        assertStrictlyIncreasing(mine, "acks of one sender");
                        all.addAll(mine);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join(30_000);
            }
            if (failure.get() != null) {
                throw new AssertionError("a sender failed", failure.get());
            }
            List<Long> expected = new ArrayList<>(new TreeSet<>(all));
            assertThat(expected).as("ids unique across both servers").hasSize(senders.size() * perSender);
            for (TestConnection o : List.of(oEast, oWest)) {
                assertReceivesExactly(o, expected, "both servers deliver every message in the one global order");
            }
        } finally {
            conns.forEach(TestConnection::close);
        }
    }

    @Test
    void sinceOnOneServerCatchesUpWithWhatIsSentOnTheOtherWithoutGapOrDuplicate() throws Exception {
        String reader = user("xs-reader");
        String writer = user("xs-writer");
        ItSupport.register(west, reader);
        int total = 200;
        List<Long> acked = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (TestConnection w = login(east, writer)) {
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < total; i++) {
                        acked.add(sendAcked(w, i % 2 == 0 ? reader : "*", "xs" + i).id());
                        if (i == 60) {
                            started.countDown();
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                    started.countDown();
                }
            }, "east-sender");
            sender.start();
            assertThat(started.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            long since = acked.get(20);
            try (TestConnection r = ItSupport.resume(west, reader, since)) {
                sender.join(30_000);
                if (failure.get() != null) {
                    throw new AssertionError("sender failed", failure.get());
                }
                List<Long> expected = acked.stream().filter(id -> id > since).toList();
                assertReceivesExactly(r, expected, "msgs after since");
            }
        }
    }

    private static String welcomeNode(ChatServerProcess server) {
        try (TestConnection c = server.connect()) {
            c.send(new ClientFrame.Hello(user("node"), ItSupport.PASSWORD, null, 0, null));
            return c.expect(ServerFrame.Welcome.class).node();
        }
    }
}
