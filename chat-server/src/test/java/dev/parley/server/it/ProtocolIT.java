package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.assertReceivesExactly;
import static dev.parley.server.it.ItSupport.assertStrictlyIncreasing;
import static dev.parley.server.it.ItSupport.assertUsable;
import static dev.parley.server.it.ItSupport.awaitAck;
import static dev.parley.server.it.ItSupport.expectError;
import static dev.parley.server.it.ItSupport.expectMsg;
import static dev.parley.server.it.ItSupport.framesUntilMsg;
import static dev.parley.server.it.ItSupport.ids;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.msgIds;
import static dev.parley.server.it.ItSupport.ref;
import static dev.parley.server.it.ItSupport.register;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.Closer;
import dev.parley.testkit.RedisServer;
import dev.parley.testkit.TestConnection;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Protocol v1 rules against one real server process and one real redis-server, shared by the
 * tests of this class: each test uses user names of its own, and tests run one after another, so
 * broadcasts from one test never reach another's sessions.
 */
class ProtocolIT {
    private static final int MAX_FRAME = 20_000;
    private static final String TOKEN = "it-admin-token";

    private static RedisServer redis;
    private static ChatServerProcess server;

    @BeforeAll
    static void start() {
        redis = ItSupport.startRedis(ProtocolIT.class, false);
        server = ItSupport.server(ProtocolIT.class, redis, "protocol-it")
                .arg("--rate-limit", "0", "--max-frame-bytes", Integer.toString(MAX_FRAME))
                // the admin token comes from the environment: options also read env variables
                .env("CHAT_ADMIN_TOKEN", TOKEN)
                .start();
    }

    @AfterAll
    static void stop() {
        Closer.closeAll(server, redis);
    }

    // ------------------------------------------------------------------ login

    @Test
    void helloRegistersThenRequiresTheSamePassword() {
        String alice = user("alice");
        try (TestConnection first = server.connect()) {
            first.send(new ClientFrame.Hello(alice, "pw-one", null, null, null));
            ServerFrame.Welcome welcome = first.expect(ServerFrame.Welcome.class);
            assertThat(welcome.user()).isEqualTo(alice);
            assertThat(welcome.node()).isEqualTo("protocol-it");
            first.expect(ServerFrame.History.class);
        }
        try (TestConnection wrong = server.connect()) {
            wrong.send(new ClientFrame.Hello(alice, "pw-two", null, null, null));
            expectError(wrong, ErrorCode.AUTH_FAILED);
            assertThat(wrong.awaitClosed(WAIT)).as("connection closed after AUTH_FAILED").isTrue();
        }
        try (TestConnection again = server.connect()) {
            again.send(new ClientFrame.Hello(alice, "pw-one", null, 0, null));
            again.expect(ServerFrame.Welcome.class);
            again.expect(ServerFrame.History.class);
            // a verified login is remembered by the server; a wrong password must still fail after it
            try (TestConnection wrongAgain = server.connect()) {
                wrongAgain.send(new ClientFrame.Hello(alice, "pw-one ", null, 0, null));
                expectError(wrongAgain, ErrorCode.AUTH_FAILED);
                assertThat(wrongAgain.awaitClosed(WAIT)).isTrue();
            }
            assertUsable(again);
        }
    }

    @Test
    void concurrentFirstHellosWithDifferentPasswordsRegisterOnlyOne() throws Exception {
        String name = user("race");
        int n = 6;
        List<TestConnection> conns = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                conns.add(server.connect());
            }
            for (int i = 0; i < n; i++) {
                conns.get(i).send(new ClientFrame.Hello(name, "password-" + i, null, 0, null));
            }
            int welcomed = 0;
            for (TestConnection c : conns) {
                ServerFrame f = c.next(WAIT);
                if (f instanceof ServerFrame.Welcome) {
                    welcomed++;
                } else {
                    assertThat(f).isInstanceOf(ServerFrame.Error.class);
                    assertThat(((ServerFrame.Error) f).code()).isEqualTo(ErrorCode.AUTH_FAILED);
                }
            }
            assertThat(welcomed).as("exactly one password registered the name").isEqualTo(1);
        } finally {
            conns.forEach(TestConnection::close);
        }
    }

    @Test
    void reservedAndMalformedUserNamesAreInvalidAndTheConnectionStaysUsable() {
        try (TestConnection c = server.connect()) {
            for (String bad : List.of("server", "", "has space", "x".repeat(33), "caf\u00e9", "a/b", "*")) {
                c.send(new ClientFrame.Hello(bad, PASSWORD, null, null, null));
                ServerFrame.Error e = expectError(c, ErrorCode.INVALID);
                assertThat(e.message()).as("reason for '" + bad + "'").isNotBlank();
                assertUsable(c);
            }
            c.send(new ClientFrame.Hello("x", "", null, null, null));
            expectError(c, ErrorCode.INVALID);
            // after all that, the same connection can still log in, with a 32-character name
            String longest = user("l".repeat(40));
            assertThat(longest).hasSize(32);
            c.send(new ClientFrame.Hello(longest, PASSWORD, null, 0, null));
            assertThat(c.expect(ServerFrame.Welcome.class).user()).isEqualTo(longest);
        }
    }

    @Test
    void reservedNamesCannotBeRegisteredInAnyCase() {
        try (TestConnection c = server.connect()) {
            for (String reserved : List.of("Server", "SERVER", "admin", "Admin", "system", "SyStEm")) {
                c.send(new ClientFrame.Hello(reserved, PASSWORD, null, 0, null));
                ServerFrame.Error e = expectError(c, ErrorCode.INVALID);
                assertThat(e.message()).contains("the name " + reserved + " is reserved");
            }
            // nothing was registered: the names are still free of accounts, and the connection works
            String fine = user("not-admin");
            c.send(new ClientFrame.Hello(fine, PASSWORD, null, 0, null));
            assertThat(c.expect(ServerFrame.Welcome.class).user()).isEqualTo(fine);
        }
        assertThat(redis.command("HEXISTS parley:users admin")).isEqualTo(":0");
        assertThat(redis.command("HEXISTS parley:users Server")).isEqualTo(":0");
    }

    @Test
    void textWithAnUnpairedSurrogateIsRefusedNotChanged() {
        String alice = user("sur-a");
        String bob = user("sur-b");
        register(server, bob);
        try (TestConnection a = login(server, alice)) {
            // JSON may escape a lone surrogate; it is not Unicode text, so it cannot be stored as sent
            a.sendRaw(("{\"type\":\"send\",\"to\":\"" + bob + "\",\"text\":\"a\\ud800b\",\"ref\":\"s1\"}\n")
                    .getBytes(StandardCharsets.UTF_8));
            ServerFrame.Error e = expectError(a, ErrorCode.INVALID);
            assertThat(e.ref()).isEqualTo("s1");
            assertThat(e.message()).contains("not valid Unicode");
            // a proper pair (an emoji) is fine
            assertThat(sendAcked(a, bob, "ok \ud83d\ude00").id()).isPositive();
            a.send(new ClientFrame.HistoryRequest(bob, null, 10));
            List<ChatMessage> stored = a.skipUntil(ServerFrame.History.class, WAIT).messages();
            assertThat(stored).extracting(ChatMessage::text).containsExactly("ok \ud83d\ude00");
        }
    }

    @Test
    void onlyHelloAndPingAreAnsweredBeforeLogin() {
        try (TestConnection c = server.connect()) {
            assertUsable(c);
            c.send(new ClientFrame.Send("*", "too early", "early-1"));
            assertThat(expectError(c, ErrorCode.NOT_AUTHENTICATED).ref()).isEqualTo("early-1");
            c.send(new ClientFrame.HistoryRequest("*", null, null));
            expectError(c, ErrorCode.NOT_AUTHENTICATED);
            c.send(new ClientFrame.Who());
            expectError(c, ErrorCode.NOT_AUTHENTICATED);
            c.send(new ClientFrame.Bye());
            expectError(c, ErrorCode.NOT_AUTHENTICATED);
            assertUsable(c);
            String u = user("late");
            c.send(new ClientFrame.Hello(u, PASSWORD, null, 0, null));
            c.expect(ServerFrame.Welcome.class);
            c.expect(ServerFrame.History.class);
            // and a second hello on a logged-in connection is refused without closing it
            c.send(new ClientFrame.Hello(u, PASSWORD, null, 0, null));
            expectError(c, ErrorCode.INVALID);
            assertUsable(c);
        }
    }

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

    // ------------------------------------------------------------------ fan-out

    @Test
    void dmReachesEverySessionOfTheRecipientAndTheSendersOtherSessionsButNotTheSendingOne() {
        String alice = user("dm-a");
        String bob = user("dm-b");
        String carol = user("dm-c");
        String marker = user("dm-m");
        try (TestConnection a1 = login(server, alice);
             TestConnection a2 = login(server, alice);
             TestConnection b1 = login(server, bob);
             TestConnection b2 = login(server, bob);
             TestConnection c1 = login(server, carol);
             TestConnection m = login(server, marker)) {
            ServerFrame.Ack ack = sendAcked(a1, bob, "hello bob");
            long markerId = sendAcked(m, "*", "marker").id();
            for (TestConnection receiver : List.of(a2, b1, b2)) {
                List<ServerFrame> frames = framesUntilMsg(receiver, markerId);
                assertThat(msgIds(frames)).containsExactly(ack.id(), markerId);
                ChatMessage dm = ((ServerFrame.Msg) frames.get(0)).message();
                assertThat(dm.from()).isEqualTo(alice);
                assertThat(dm.to()).isEqualTo(bob);
                assertThat(dm.text()).isEqualTo("hello bob");
                assertThat(dm.ts()).isEqualTo(ack.ts());
            }
            // the sending session got the ack only, carol nothing
            assertThat(msgIds(framesUntilMsg(a1, markerId))).containsExactly(markerId);
            assertThat(msgIds(framesUntilMsg(c1, markerId))).containsExactly(markerId);
            // the reply goes the other way
            ServerFrame.Ack reply = sendAcked(b2, alice, "hi alice");
            for (TestConnection receiver : List.of(a1, a2, b1)) {
                ChatMessage got = expectMsg(receiver);
                assertThat(got.id()).isEqualTo(reply.id());
                assertThat(got.from()).isEqualTo(bob);
            }
            long marker2 = sendAcked(m, "*", "marker 2").id();
            assertThat(msgIds(framesUntilMsg(b2, marker2))).containsExactly(marker2);
            assertThat(msgIds(framesUntilMsg(c1, marker2))).containsExactly(marker2);
        }
    }

    @Test
    void dmToSelfReachesOtherSessionsOnce() {
        String alice = user("self");
        String marker = user("self-m");
        try (TestConnection a1 = login(server, alice);
             TestConnection a2 = login(server, alice);
             TestConnection m = login(server, marker)) {
            ServerFrame.Ack ack = sendAcked(a1, alice, "note to self");
            long markerId = sendAcked(m, "*", "marker").id();
            assertThat(msgIds(framesUntilMsg(a2, markerId))).containsExactly(ack.id(), markerId);
            assertThat(msgIds(framesUntilMsg(a1, markerId))).containsExactly(markerId);
        }
    }

    @Test
    void broadcastReachesEveryOtherSession() {
        String alice = user("bc-a");
        String bob = user("bc-b");
        String carol = user("bc-c");
        try (TestConnection a1 = login(server, alice);
             TestConnection a2 = login(server, alice);
             TestConnection b = login(server, bob);
             TestConnection c = login(server, carol, bob)) {
            ServerFrame.Ack ack = sendAcked(a1, "*", "hello all");
            for (TestConnection receiver : List.of(a2, b, c)) {
                ChatMessage got = expectMsg(receiver);
                assertThat(got.id()).isEqualTo(ack.id());
                assertThat(got.from()).isEqualTo(alice);
                assertThat(got.to()).isEqualTo("*");
                assertThat(got.text()).isEqualTo("hello all");
            }
            long markerId = sendAcked(b, "*", "marker").id();
            assertThat(msgIds(framesUntilMsg(a1, markerId))).containsExactly(markerId);
        }
    }

    @Test
    void sendWithoutToGoesToTheSessionDefaultElseToEveryone() {
        String alice = user("def-a");
        String bob = user("def-b");
        String carol = user("def-c");
        try (TestConnection b = login(server, bob);
             TestConnection c = login(server, carol);
             TestConnection a = login(server, alice, bob)) {
            ServerFrame.Ack dm = sendAcked(a, null, "to my default");
            ChatMessage got = expectMsg(b);
            assertThat(got.id()).isEqualTo(dm.id());
            assertThat(got.to()).isEqualTo(bob);
            // carol has no default: her send goes to everyone
            ServerFrame.Ack bc = sendAcked(c, null, "to everyone");
            assertThat(expectMsg(b).id()).isEqualTo(bc.id());
            ChatMessage atAlice = expectMsg(a);
            assertThat(atAlice.id()).as("carol's broadcast is the first msg alice gets: the DM was not echoed")
                    .isEqualTo(bc.id());
            assertThat(atAlice.to()).isEqualTo("*");
        }
    }

    @Test
    void dmToAnOfflineUserIsKeptAndDeliveredThroughHistoryAndSince() {
        String alice = user("off-a");
        String bob = user("off-b");
        register(server, alice);
        long before;
        ServerFrame.Ack ack;
        try (TestConnection b = login(server, bob)) {
            before = sendAcked(b, "*", "before").id();
            ack = sendAcked(b, alice, "while you were away");
        }
        try (TestConnection a = server.connect()) {
            a.send(new ClientFrame.Hello(alice, PASSWORD, bob, null, null));
            a.expect(ServerFrame.Welcome.class);
            ServerFrame.History h = a.expect(ServerFrame.History.class);
            assertThat(h.messages()).extracting(ChatMessage::id, ChatMessage::text)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(ack.id(), "while you were away"));
        }
        try (TestConnection a = ItSupport.resume(server, alice, before)) {
            ChatMessage m = expectMsg(a);
            assertThat(m.id()).isEqualTo(ack.id());
            assertThat(m.from()).isEqualTo(bob);
            assertThat(m.to()).isEqualTo(alice);
            assertUsable(a);
        }
    }

    @Test
    void unknownUsersAreNoSuchUserAndTheConnectionStaysUsable() {
        String alice = user("nsu-a");
        String ghost = user("ghost");
        try (TestConnection a = login(server, alice)) {
            a.send(new ClientFrame.Send(ghost, "anyone there?", "nsu-1"));
            ServerFrame.Error e = expectError(a, ErrorCode.NO_SUCH_USER);
            assertThat(e.ref()).isEqualTo("nsu-1");
            a.send(new ClientFrame.HistoryRequest(ghost, null, null));
            expectError(a, ErrorCode.NO_SUCH_USER);
            assertUsable(a);
            sendAcked(a, "*", "still here");
        }
        // a DM to nobody is not stored: the ghost cannot be registered and then read it
        try (TestConnection g = login(server, ghost, alice)) {
            g.send(new ClientFrame.HistoryRequest(alice, null, null));
            assertThat(g.expect(ServerFrame.History.class).messages()).isEmpty();
        }
        try (TestConnection c = server.connect()) {
            c.send(new ClientFrame.Hello(user("nsu-c"), PASSWORD, user("nobody"), null, null));
            expectError(c, ErrorCode.NO_SUCH_USER);
            assertUsable(c);
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

    // ------------------------------------------------------------------ errors

    @Test
    void malformedFramesAreAnsweredAndNeitherCloseTheConnectionNorDisturbOthers() {
        String bad = user("bad");
        String watcher = user("watch");
        try (TestConnection w = login(server, watcher);
             TestConnection c = login(server, bad)) {
            Map<byte[], ErrorCode> cases = new LinkedHashMap<>();
            cases.put(ascii("hello"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"ping\"} {}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("[1,2]"), ErrorCode.BAD_FRAME);
            cases.put(ascii("\"send\""), ErrorCode.BAD_FRAME);
            cases.put(ascii("42"), ErrorCode.BAD_FRAME);
            cases.put(ascii("null"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":7}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"send\"}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"send\",\"text\":5}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"send\",\"text\":\"x\",\"to\":[\"a\"]}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"history\"}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"history\",\"with\":\"*\",\"limit\":\"ten\"}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"history\",\"with\":\"*\",\"before\":1.5}"), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"hello\",\"user\":\"x\"}"), ErrorCode.BAD_FRAME);
            cases.put(utf8Broken(0xC3, 0x28), ErrorCode.BAD_FRAME);
            cases.put(utf8Broken(0xC0, 0xAF), ErrorCode.BAD_FRAME);
            cases.put(utf8Broken(0x80), ErrorCode.BAD_FRAME);
            cases.put(utf8Broken(0xED, 0xA0, 0x80), ErrorCode.BAD_FRAME);
            cases.put(utf8Broken(0xF8, 0x88, 0x80, 0x80, 0x80), ErrorCode.BAD_FRAME);
            cases.put(ascii("{\"type\":\"dance\"}"), ErrorCode.UNKNOWN_TYPE);
            cases.put(ascii("{\"type\":\"\"}"), ErrorCode.UNKNOWN_TYPE);
            cases.put(ascii("{\"type\":\"send\",\"text\":\"\",\"ref\":\"empty\"}"), ErrorCode.INVALID);
            cases.put(ascii("{\"type\":\"send\",\"text\":\"" + "x".repeat(4001) + "\"}"), ErrorCode.INVALID);
            cases.put(ascii("{\"type\":\"send\",\"text\":\"x\",\"to\":\"not a name\"}"), ErrorCode.INVALID);
            cases.put(ascii("{\"type\":\"send\",\"text\":\"x\",\"ref\":\"" + "r".repeat(129) + "\"}"), ErrorCode.INVALID);
            cases.put(ascii("{\"type\":\"history\",\"with\":\"*\",\"limit\":1001}"), ErrorCode.INVALID);
            for (Map.Entry<byte[], ErrorCode> e : cases.entrySet()) {
                c.sendRaw(e.getKey());
                ServerFrame f = c.next(WAIT);
                assertThat(f).as("answer to " + new String(e.getKey(), StandardCharsets.UTF_8).strip())
                        .isInstanceOf(ServerFrame.Error.class);
                assertThat(((ServerFrame.Error) f).code())
                        .as("code for " + new String(e.getKey(), StandardCharsets.UTF_8).strip())
                        .isEqualTo(e.getValue());
                assertUsable(c);
            }
            // the ref of a readable frame comes back with its error
            c.sendRaw(ascii("{\"type\":\"send\",\"text\":\"\",\"ref\":\"r-empty\"}"));
            assertThat(expectError(c, ErrorCode.INVALID).ref()).isEqualTo("r-empty");
            // nothing was stored, nothing reached the watcher, and both still work
            ServerFrame.Ack ack = sendAcked(c, "*", "after the storm");
            List<ServerFrame> watcherSaw = framesUntilMsg(w, ack.id());
            assertThat(watcherSaw).hasSize(1);
            assertUsable(w);
        }
    }

    @Test
    void textLengthCountsCharactersNotBytes() {
        String alice = user("len");
        String emoji = "\uD83D\uDE00"; // one character, four bytes in UTF-8
        try (TestConnection a = login(server, alice)) {
            // written as raw UTF-8 (16 kB), not as JSON escapes, to stay under the frame limit
            a.sendRaw(ascii("{\"type\":\"send\",\"to\":\"" + alice + "\",\"text\":\"" + emoji.repeat(4000)
                    + "\",\"ref\":\"emoji\"}"));
            ServerFrame.Ack ok = awaitAck(a, "emoji");
            a.send(new ClientFrame.HistoryRequest(alice, null, 1));
            ChatMessage stored = a.expect(ServerFrame.History.class).messages().get(0);
            assertThat(stored.id()).isEqualTo(ok.id());
            assertThat(stored.text()).isEqualTo(emoji.repeat(4000));
            a.sendRaw(ascii("{\"type\":\"send\",\"to\":\"" + alice + "\",\"text\":\"" + emoji.repeat(4001)
                    + "\",\"ref\":\"too-long\"}"));
            assertThat(expectError(a, ErrorCode.INVALID).ref()).isEqualTo("too-long");
            sendAcked(a, alice, "x".repeat(4000));
            assertUsable(a);
        }
    }

    @Test
    void linesOverTheFrameLimitAreTooLargeAndTheConnectionStaysUsable() {
        String alice = user("big");
        String watcher = user("big-w");
        try (TestConnection w = login(server, watcher);
             TestConnection a = login(server, alice)) {
            // exactly at the limit is fine, one byte more is not
            a.sendRaw(padded("{\"type\":\"ping\",\"pad\":\"", MAX_FRAME, "\"}\n"));
            a.expect(ServerFrame.Pong.class);
            a.sendRaw(padded("{\"type\":\"ping\",\"pad\":\"", MAX_FRAME + 1, "\"}\n"));
            expectError(a, ErrorCode.TOO_LARGE);
            assertUsable(a);
            // a line of a megabyte, written in pieces: one TOO_LARGE, the rest of the line is skipped
            byte[] chunk = "y".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            a.sendRaw("{\"type\":\"send\",\"to\":\"*\",\"text\":\"".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 16; i++) {
                a.sendRaw(chunk);
            }
            a.sendRaw("\"}\n".getBytes(StandardCharsets.US_ASCII));
            expectError(a, ErrorCode.TOO_LARGE);
            assertUsable(a);
            ServerFrame.Ack ack = sendAcked(a, "*", "small again");
            assertThat(msgIds(framesUntilMsg(w, ack.id()))).containsExactly(ack.id());
            assertUsable(w);
        }
    }

    // ------------------------------------------------------------------ who, bye

    @Test
    void whoListsTheUsersOnline() {
        String alice = user("who-a");
        String bob = user("who-b");
        try (TestConnection a = login(server, alice)) {
            try (TestConnection b = login(server, bob)) {
                a.send(new ClientFrame.Who());
                assertThat(a.expect(ServerFrame.WhoList.class).users()).contains(alice, bob);
            }
            await().atMost(WAIT).untilAsserted(() -> {
                a.send(new ClientFrame.Who());
                assertThat(a.expect(ServerFrame.WhoList.class).users()).contains(alice).doesNotContain(bob);
            });
        }
    }

    @Test
    void byeClosesTheConnectionAfterTheAcksItIsOwed() {
        String alice = user("bye");
        try (TestConnection a = login(server, alice)) {
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            for (int i = 0; i < 20; i++) {
                frames.writeBytes(dev.parley.protocol.FrameCodec.encode(new ClientFrame.Send("*", "b" + i, "b" + i)));
            }
            frames.writeBytes(dev.parley.protocol.FrameCodec.encode(new ClientFrame.Bye()));
            a.sendRaw(frames.toByteArray());
            for (int i = 0; i < 20; i++) {
                assertThat(a.expect(ServerFrame.Ack.class).ref()).isEqualTo("b" + i);
            }
            assertThat(a.awaitClosed(WAIT)).isTrue();
        }
    }

    // ------------------------------------------------------------------ HTTP

    @Test
    void healthReadinessAndMetrics() {
        assertThat(server.httpStatus("/healthz")).isEqualTo(200);
        assertThat(server.httpStatus("/readyz")).isEqualTo(200);
        assertThat(server.httpStatus("/nowhere")).isEqualTo(404);
        double errorsBefore = metric(server.get("/metrics").body(), "parley_errors_total", "code=\"UNKNOWN_TYPE\"");
        double acksBefore = metric(server.get("/metrics").body(), "parley_acks_total", null);
        try (TestConnection a = login(server, user("metrics"))) {
            a.sendRaw(ascii("{\"type\":\"juggle\"}"));
            expectError(a, ErrorCode.UNKNOWN_TYPE);
            sendAcked(a, "*", "counted");
            HttpResponse<String> metrics = server.get("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            String body = metrics.body();
            assertThat(body).contains("parley_connections", "parley_frames_in", "parley_acks", "parley_errors",
                    "parley_store_latency");
            assertThat(metric(body, "parley_connections", null)).isGreaterThanOrEqualTo(1);
            assertThat(metric(body, "parley_errors_total", "code=\"UNKNOWN_TYPE\"")).isEqualTo(errorsBefore + 1);
            assertThat(metric(body, "parley_acks_total", null)).isGreaterThanOrEqualTo(acksBefore + 1);
            assertThat(metric(body, "parley_frames_in_total", "type=\"send\"")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void connectionAndSessionGaugesReturnToWhereTheyWereWhateverWayConnectionsEnd() throws Exception {
        String body = server.get("/metrics").body();
        double connections = metric(body, "parley_connections", null);
        double sessions = metric(body, "parley_sessions", null);
        String alice = user("gauge");
        register(server, alice);
        List<TestConnection> open = new ArrayList<>();
        open.add(login(server, alice));
        open.add(login(server, alice));
        open.add(server.connect());
        open.get(2).send(new ClientFrame.Ping());
        open.get(2).expect(ServerFrame.Pong.class);
        await().atMost(WAIT).untilAsserted(() -> {
            String b = server.get("/metrics").body();
            assertThat(metric(b, "parley_connections", null)).isEqualTo(connections + 3);
            assertThat(metric(b, "parley_sessions", null)).isEqualTo(sessions + 2);
        });
        // one ends with bye, one with AUTH_FAILED, one abruptly (RST), one mid-login, the rest by close
        open.get(0).send(new ClientFrame.Bye());
        TestConnection wrong = server.connect();
        wrong.send(new ClientFrame.Hello(alice, "not the password", null, 0, null));
        expectError(wrong, ErrorCode.AUTH_FAILED);
        open.get(1).socket().setSoLinger(true, 0);
        open.get(1).close();
        TestConnection midLogin = server.connect();
        midLogin.send(new ClientFrame.Hello(user("gauge-new"), PASSWORD, null, 0, null));
        midLogin.close();
        open.forEach(TestConnection::close);
        wrong.close();
        await().atMost(WAIT).untilAsserted(() -> {
            String b = server.get("/metrics").body();
            assertThat(metric(b, "parley_connections", null)).isEqualTo(connections);
            assertThat(metric(b, "parley_sessions", null)).isEqualTo(sessions);
        });
        // and nobody is left online (presence is published every 200 ms)
        try (TestConnection probe = login(server, user("gauge-probe"))) {
            await().atMost(WAIT).untilAsserted(() -> {
                probe.send(new ClientFrame.Who());
                assertThat(probe.expect(ServerFrame.WhoList.class).users()).doesNotContain(alice);
            });
        }
    }

    @Test
    void adminBroadcastNeedsTheTokenAndReachesEveryone() {
        String alice = user("adm-a");
        String bob = user("adm-b");
        try (TestConnection a = login(server, alice);
             TestConnection b = login(server, bob, alice)) {
            String body = "{\"text\":\"maintenance at noon\"}";
            HttpResponse<String> noToken = server.post("/admin/broadcast", body, null);
            assertThat(noToken.statusCode()).isEqualTo(401);
            HttpResponse<String> wrongToken = server.post("/admin/broadcast", body, TOKEN + "x");
            assertThat(wrongToken.statusCode()).isEqualTo(401);
            assertThat(server.post("/admin/broadcast", "{\"text\":\"\"}", TOKEN).statusCode()).isEqualTo(400);
            assertThat(server.post("/admin/broadcast", "not json", TOKEN).statusCode()).isEqualTo(400);
            // none of those reached anyone
            assertUsable(a);
            HttpResponse<String> ok = server.post("/admin/broadcast", body, TOKEN);
            assertThat(ok.statusCode()).isEqualTo(200);
            for (TestConnection c : List.of(a, b)) {
                ChatMessage m = expectMsg(c);
                assertThat(m.from()).isEqualTo("server");
                assertThat(m.to()).isEqualTo("*");
                assertThat(m.text()).isEqualTo("maintenance at noon");
                assertThat(ok.body()).contains("\"id\":" + m.id());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Sends {@code n} messages back to back, then collects their acks; returns the ids in order. */
    private static List<Long> sendMany(TestConnection c, String to, int n) {
        List<String> refs = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
            String ref = ref();
            refs.add(ref);
            out.writeBytes(dev.parley.protocol.FrameCodec.encode(new ClientFrame.Send(to, "m-" + i, ref)));
        }
        c.sendRaw(out.toByteArray());
        List<Long> ids = new ArrayList<>();
        for (String ref : refs) {
            ids.add(awaitAck(c, ref).id());
        }
        assertStrictlyIncreasing(ids, "acks");
        return ids;
    }

    private static byte[] ascii(String line) {
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A send frame whose text holds the given raw bytes, which are not valid UTF-8. */
    private static byte[] utf8Broken(int... bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"type\":\"send\",\"to\":\"*\",\"text\":\"a".getBytes(StandardCharsets.US_ASCII));
        for (int b : bytes) {
            out.write(b);
        }
        out.writeBytes("\"}\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** {@code prefix + x... + suffix} where everything but the final newline is exactly {@code length} bytes. */
    private static byte[] padded(String prefix, int length, String suffix) {
        int pad = length - prefix.length() - (suffix.length() - 1);
        return (prefix + "x".repeat(pad) + suffix).getBytes(StandardCharsets.US_ASCII);
    }

    /** The value of one Prometheus sample, 0 when absent; {@code label} must appear in its labels if given. */
    static double metric(String body, String name, String label) {
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{([^}]*)\\})?\\s+(\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(body);
        double sum = 0;
        while (m.find()) {
            if (label == null || (m.group(2) != null && m.group(2).contains(label))) {
                sum += Double.parseDouble(m.group(3));
            }
        }
        return sum;
    }
}
