package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.assertUsable;
import static dev.parley.server.it.ItSupport.expectError;
import static dev.parley.server.it.ItSupport.expectMsg;
import static dev.parley.server.it.ItSupport.framesUntilMsg;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.msgIds;
import static dev.parley.server.it.ItSupport.ref;
import static dev.parley.server.it.ItSupport.register;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.TestConnection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Protocol v1 delivery: a DM reaches every session of the recipient and the sender's other
 * sessions, a broadcast every other session, an offline user later, an unknown one never.
 *
 * <p>One server and one redis-server serve every test of the class: each test uses user names of
 * its own, and tests run one after another, so broadcasts from one test never reach another's
 * sessions.
 */
class FanOutIT {
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(FanOutIT.class).servers("fanout-it")
            .arg("--rate-limit", "0").build();
    private static final ChatServerProcess server = cluster.server();

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
}
