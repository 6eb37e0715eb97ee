package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.assertReceivesExactly;
import static dev.parley.server.it.ItSupport.assertStrictlyIncreasing;
import static dev.parley.server.it.ItSupport.assertUsable;
import static dev.parley.server.it.ItSupport.expectError;
import static dev.parley.server.it.ItSupport.expectMsg;
import static dev.parley.server.it.ItSupport.ids;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.ref;
import static dev.parley.server.it.ItSupport.register;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.sendMany;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protocol v1 history and ids: the history frame after the welcome, pages, ids that increase
 * strictly per session, and resuming with since without a gap or a duplicate.
 *
 * <p>One server and one redis-server serve every test of the class: each test uses user names of
 * its own, and tests run one after another, so broadcasts from one test never reach another's
 * sessions.
 */
class HistoryIT {
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(HistoryIT.class).servers("history-it")
            .arg("--rate-limit", "0").build();
    private static final ChatServerProcess server = cluster.server();

    // ------------------------------------------------------------------ history

    @Test
    void welcomeIsFollowedByExactlyOneHistoryFrameOfTheRightConversation() {
        String alice = user("hist-a");
        String bob = user("hist-b");
        register(server, alice);
        List<Long> dmIds;
        List<Long> broadcastIds;
        try (TestConnection b = login(server, bob)) {
            dmIds = sendMany(b, alice, 60);
            broadcastIds = sendMany(b, "*", 3);
        }
        // default: the last 50 of the conversation with `to`, oldest first
        try (TestConnection a = server.connect()) {
            a.send(new ClientFrame.Hello(alice, PASSWORD, bob, null, null));
            a.expect(ServerFrame.Welcome.class);
            ServerFrame.History h = a.expect(ServerFrame.History.class);
            assertThat(h.with()).isEqualTo(bob);
            assertThat(ids(h.messages())).isEqualTo(dmIds.subList(10, 60));
            ChatMessage last = h.messages().get(49);
            assertThat(last.from()).isEqualTo(bob);
            assertThat(last.to()).isEqualTo(alice);
            assertThat(last.text()).isEqualTo("m-59");
            assertThat(last.ts()).isPositive();
            assertUsable(a); // nothing else was sent: a single history frame
        }
        // history: N
        try (TestConnection a = server.connect()) {
            a.send(new ClientFrame.Hello(alice, PASSWORD, bob, 7, null));
            a.expect(ServerFrame.Welcome.class);
            assertThat(ids(a.expect(ServerFrame.History.class).messages())).isEqualTo(dmIds.subList(53, 60));
            assertUsable(a);
        }
        // the other side of the same conversation sees the same messages
        try (TestConnection b = server.connect()) {
            b.send(new ClientFrame.Hello(bob, PASSWORD, alice, 1000, null));
            b.expect(ServerFrame.Welcome.class);
            ServerFrame.History h = b.expect(ServerFrame.History.class);
            assertThat(h.with()).isEqualTo(alice);
            assertThat(ids(h.messages())).isEqualTo(dmIds);
        }
        // without `to`: the broadcast conversation, where the DMs do not appear
        try (TestConnection a = server.connect()) {
            a.send(new ClientFrame.Hello(alice, PASSWORD, null, 3, null));
            a.expect(ServerFrame.Welcome.class);
            ServerFrame.History h = a.expect(ServerFrame.History.class);
            assertThat(h.with()).isEqualTo("*");
            assertThat(ids(h.messages())).isEqualTo(broadcastIds);
            assertThat(h.messages()).allSatisfy(m -> assertThat(m.to()).isEqualTo("*"));
            assertUsable(a);
        }
        // history over the maximum is INVALID and does not log in; the connection stays usable
        try (TestConnection a = server.connect()) {
            a.send(new ClientFrame.Hello(alice, PASSWORD, null, 1001, null));
            expectError(a, ErrorCode.INVALID);
            assertUsable(a);
            a.send(new ClientFrame.Send("*", "not logged in", null));
            expectError(a, ErrorCode.NOT_AUTHENTICATED);
        }
    }

    @Test
    void historyPagesWithBeforeAndLimit() {
        String alice = user("page-a");
        String bob = user("page-b");
        register(server, bob);
        try (TestConnection a = login(server, alice)) {
            List<Long> sent = sendMany(a, bob, 60);
            // newest page first, then older pages with `before` the oldest id seen
            List<Long> collected = new ArrayList<>();
            Long before = null;
            for (int page = 0; page < 10; page++) {
                a.send(new ClientFrame.HistoryRequest(bob, before, 25));
                ServerFrame.History h = a.expect(ServerFrame.History.class);
                assertThat(h.with()).isEqualTo(bob);
                List<Long> ids = ids(h.messages());
                assertStrictlyIncreasing(ids, "history page");
                if (before != null) {
                    long bound = before;
                    assertThat(ids).allSatisfy(id -> assertThat(id).isLessThan(bound));
                }
                collected.addAll(0, ids);
                if (ids.size() < 25) {
                    break;
                }
                before = ids.get(0);
            }
            assertThat(collected).isEqualTo(sent);
            // the default limit is 50
            a.send(new ClientFrame.HistoryRequest(bob, null, null));
            assertThat(ids(a.expect(ServerFrame.History.class).messages())).isEqualTo(sent.subList(10, 60));
            // `before` is exclusive
            a.send(new ClientFrame.HistoryRequest(bob, sent.get(5), 1000));
            assertThat(ids(a.expect(ServerFrame.History.class).messages())).isEqualTo(sent.subList(0, 5));
            // limit over 1000 or under 1 is INVALID and the connection stays usable
            a.send(new ClientFrame.HistoryRequest(bob, null, 1001));
            expectError(a, ErrorCode.INVALID);
            a.send(new ClientFrame.HistoryRequest(bob, null, 0));
            expectError(a, ErrorCode.INVALID);
            assertUsable(a);
        }
    }

    // ------------------------------------------------------------------ ordering and resume

    @Test
    void idsIncreaseStrictlyPerSessionAndAcrossConcurrentSenders() throws Exception {
        int senders = 3;
        int perSender = 100;
        List<TestConnection> conns = new ArrayList<>();
        try {
            List<TestConnection> observers = List.of(login(server, user("ord-o1")), login(server, user("ord-o2")));
            conns.addAll(observers);
            List<TestConnection> sending = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                sending.add(login(server, user("ord-s")));
            }
            conns.addAll(sending);
            List<List<Long>> ackIds = Collections.synchronizedList(new ArrayList<>());
            List<List<Long>> seenBySenders = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (TestConnection s : sending) {
                Thread t = new Thread(() -> {
                    try {
                        List<Long> acks = new ArrayList<>();
                        List<Long> msgs = new ArrayList<>();
                        for (int i = 0; i < perSender; i++) {
                            s.send(new ClientFrame.Send("*", "n" + i, "o" + i));
                        }
                        long end = System.nanoTime() + WAIT.toNanos();
                        while (acks.size() < perSender && System.nanoTime() < end) {
                            ServerFrame f = s.next(Duration.ofMillis(500));
                            if (f instanceof ServerFrame.Ack a) {
                                assertThat(a.ref()).isEqualTo("o" + acks.size());
                                acks.add(a.id());
                            } else if (f instanceof ServerFrame.Msg m) {
                                msgs.add(m.message().id());
                            } else if (f != null) {
                                throw new AssertionError("unexpected " + f);
                            }
                        }
                        ackIds.add(acks);
                        seenBySenders.add(msgs);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                threads.add(t);
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join(WAIT.toMillis() * 2);
            }
            if (failure.get() != null) {
                throw new AssertionError("sender failed", failure.get());
            }
            assertThat(ackIds).hasSize(senders);
            TreeSet<Long> all = new TreeSet<>();
            for (List<Long> acks : ackIds) {
                assertThat(acks).hasSize(perSender);
                assertStrictlyIncreasing(acks, "acks of one connection");
                all.addAll(acks);
            }
            assertThat(all).as("ids are unique across senders").hasSize(senders * perSender);
            List<Long> expected = new ArrayList<>(all);
            for (TestConnection o : observers) {
                assertReceivesExactly(o, expected, "msgs of an observer");
            }
            for (List<Long> msgs : seenBySenders) {
                assertStrictlyIncreasing(msgs, "msgs of a sender");
            }
        } finally {
            conns.forEach(TestConnection::close);
        }
    }

    @Test
    void sinceResumesWithEveryMissedMessageThenLiveWithoutGapOrDuplicateWhileOthersSend() throws Exception {
        String reader = user("since-r");
        String writer = user("since-w");
        register(server, reader);
        int total = 300;
        List<Long> acked = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch halfway = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (TestConnection w = login(server, writer)) {
            // a bounded sender: one message at a time, alternating broadcasts and DMs to the reader
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < total; i++) {
                        acked.add(sendAcked(w, i % 2 == 0 ? "*" : reader, "s" + i).id());
                        if (i == 100) {
                            halfway.countDown();
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                    halfway.countDown();
                }
            }, "since-sender");
            sender.start();
            assertThat(halfway.await(20, TimeUnit.SECONDS)).isTrue();
            long since = acked.get(40);
            try (TestConnection r = ItSupport.resume(server, reader, since)) {
                sender.join(30_000);
                assertThat(sender.isAlive()).isFalse();
                if (failure.get() != null) {
                    throw new AssertionError("sender failed", failure.get());
                }
                List<Long> expected = acked.stream().filter(id -> id > since).toList();
                // after a welcome with since only msg frames come: awaitMsgIds fails on anything else
                assertReceivesExactly(r, expected, "msgs after since");
                // and live traffic keeps coming
                ServerFrame.Ack after = sendAcked(w, reader, "after");
                assertThat(expectMsg(r).id()).isEqualTo(after.id());
                assertUsable(r);
            }
        }
    }

    @Test
    void v11WelcomeTellsTheNewestIdAndACatchUpEndsWithCaughtUp() {
        String reader = user("v11-r");
        register(server, reader);
        try (TestConnection w = login(server, user("v11-w"))) {
            List<Long> sent = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                sent.add(sendAcked(w, i % 2 == 0 ? "*" : reader, "v11 " + i).id());
            }
            long since = sent.get(1);
            try (TestConnection r = server.connect()) {
                r.send(new ClientFrame.Hello(reader, PASSWORD, null, null, since, Protocol.VERSION));
                assertThat(r.expect(ServerFrame.Welcome.class).last()).isEqualTo(sent.get(4));
                assertThat(expectMsg(r).id()).isEqualTo(sent.get(2));
                assertThat(expectMsg(r).id()).isEqualTo(sent.get(3));
                assertThat(expectMsg(r).id()).isEqualTo(sent.get(4));
                assertThat(r.expect(ServerFrame.CaughtUp.class).last()).isEqualTo(sent.get(4));
                long live = sendAcked(w, reader, "live").id();
                assertThat(expectMsg(r).id()).isEqualTo(live);
            }
            // nothing to catch up on: caught-up at since itself
            long newest = sendAcked(w, "*", "newest").id();
            try (TestConnection r = server.connect()) {
                r.send(new ClientFrame.Hello(reader, PASSWORD, null, null, newest, Protocol.VERSION));
                assertThat(r.expect(ServerFrame.Welcome.class).last()).isEqualTo(newest);
                assertThat(r.expect(ServerFrame.CaughtUp.class).last()).isEqualTo(newest);
            }
            // a v1.0 client (no version) gets no frame it does not know
            try (TestConnection r = ItSupport.resume(server, reader, since)) {
                for (int i = 0; i < 5; i++) {
                    expectMsg(r);
                }
                assertUsable(r);
            }
        }
    }

    @Test
    void sinceWithMoreThanOnePageToCatchUpLosesNothingSentMeanwhile() throws Exception {
        String reader = user("since2-r");
        String writer = user("since2-w");
        register(server, reader);
        List<Long> acked = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (TestConnection w = login(server, writer);
             TestConnection w2 = login(server, user("since2-w2"))) {
            long since = sendAcked(w, "*", "baseline").id();
            // more than one page (1000) of broadcasts to catch up on
            acked.addAll(sendMany(w, "*", 1500));
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < 3000 && !stop.get(); i++) {
                        acked.add(sendAcked(w2, i % 2 == 0 ? reader : "*", "during " + i).id());
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "since2-sender");
            sender.start();
            try (TestConnection r = ItSupport.resume(server, reader, since)) {
                // let the sender run on a little after the catch-up, then stop it
                List<Long> got = new ArrayList<>();
                long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < end) {
                    ServerFrame f = r.next(Duration.ofMillis(200));
                    if (f instanceof ServerFrame.Msg m) {
                        got.add(m.message().id());
                    }
                }
                stop.set(true);
                sender.join(20_000);
                if (failure.get() != null) {
                    throw new AssertionError("sender failed", failure.get());
                }
                List<Long> expected = new ArrayList<>(acked);
                expected.sort(null);
                long end2 = System.nanoTime() + WAIT.toNanos();
                while (got.size() < expected.size() && System.nanoTime() < end2) {
                    ServerFrame f = r.next(Duration.ofMillis(500));
                    if (f instanceof ServerFrame.Msg m) {
                        got.add(m.message().id());
                    } else if (f == null) {
                        break;
                    }
                }
                assertStrictlyIncreasing(got, "msgs after since");
                List<Long> missing = new ArrayList<>(expected);
                missing.removeAll(got);
                assertThat(missing).as("acked messages above since that never reached the resumed session").isEmpty();
                assertThat(got).isEqualTo(expected);
            }
        }
    }
}
