package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.awaitAck;
import static dev.parley.server.it.ItSupport.expectError;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.messages;
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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A send's client message id: the server stores a user's id once and answers every retry with the
 * original ack, without storing or fanning it out again; ids are per user.
 */
class SendIdIT {
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(SendIdIT.class).servers("send-id-it")
            .arg("--rate-limit", "0").build();
    private static final ChatServerProcess server = cluster.server();

    @Test
    void theSameIdSentTwiceIsStoredOnceAndAckedTwiceAlike() {
        String alice = user("id-a");
        String bob = user("id-b");
        try (TestConnection a = login(server, alice);
             TestConnection b = login(server, bob)) {
            long before = sendAcked(a, bob, "before").id();
            b.skipUntil(ServerFrame.Msg.class, WAIT);

            a.send(new ClientFrame.Send(bob, "once", "r1", "alice-m1"));
            ServerFrame.Ack first = awaitAck(a, "r1");
            // back to back, so the second may share the first's batch or come after it: one store either way
            a.send(new ClientFrame.Send(bob, "once", "r2", "alice-m1"));
            a.send(new ClientFrame.Send(bob, "once", "r3", "alice-m1"));
            ServerFrame.Ack second = awaitAck(a, "r2");
            ServerFrame.Ack third = awaitAck(a, "r3");
            assertThat(List.of(second.id(), third.id())).containsOnly(first.id());
            assertThat(List.of(second.ts(), third.ts())).containsOnly(first.ts());

            long after = sendAcked(a, bob, "after").id();
            List<Long> bobGot = b.awaitMsgIds(2, WAIT);
            assertThat(bobGot).containsExactly(first.id(), after);

            try (TestConnection history = ItSupport.resume(server, bob, before)) {
                List<String> texts = messages(history.drain(Duration.ofSeconds(1))).stream().map(ChatMessage::text)
                        .toList();
                assertThat(texts).containsExactly("once", "after");
            }
        }
    }

    @Test
    void idsArePerUserAndAnIdForAnUnknownUserIsNotKept() {
        String carol = user("id-c");
        String dave = user("id-d");
        try (TestConnection c = login(server, carol);
             TestConnection d = login(server, dave)) {
            c.send(new ClientFrame.Send(dave, "from carol", "c1", "same-id"));
            d.send(new ClientFrame.Send(carol, "from dave", "d1", "same-id"));
            assertThat(awaitAck(c, "c1").id()).isNotEqualTo(awaitAck(d, "d1").id());

            c.send(new ClientFrame.Send("nobody-" + carol, "lost", "c2", "c-2"));
            assertThat(c.skipUntil(ServerFrame.Error.class, WAIT).code()).isEqualTo(ErrorCode.NO_SUCH_USER);
            // the refused send did not consume its id: the same id to a real user is stored
            c.send(new ClientFrame.Send(Protocol.BROADCAST, "found", "c3", "c-2"));
            assertThat(awaitAck(c, "c3").id()).isPositive();
        }
    }

    @Test
    void anIdReusedForAnotherMessageIsRefusedNotAnsweredWithTheOldAck() {
        String fay = user("id-f");
        String gus = user("id-g");
        String hal = user("id-h");
        try (TestConnection f = login(server, fay);
             TestConnection g = login(server, gus);
             TestConnection h = login(server, hal)) {
            f.send(new ClientFrame.Send(gus, "the first", "f1", "fay-1"));
            long original = awaitAck(f, "f1").id();
            // other text, same recipient
            f.send(new ClientFrame.Send(gus, "not the first", "f2", "fay-1"));
            ServerFrame.Error changed = expectError(f, ErrorCode.INVALID);
            assertThat(changed.ref()).isEqualTo("f2");
            assertThat(changed.message()).contains("fay-1", "already used for a different message");
            // same text, another recipient, who has never talked to fay
            f.send(new ClientFrame.Send(hal, "the first", "f3", "fay-1"));
            assertThat(expectError(f, ErrorCode.INVALID).ref()).isEqualTo("f3");
            // the true retry still gets its ack, and only the original reached anyone
            f.send(new ClientFrame.Send(gus, "the first", "f4", "fay-1"));
            assertThat(awaitAck(f, "f4").id()).isEqualTo(original);
            long marker = sendAcked(f, gus, "marker").id();
            assertThat(g.awaitMsgIds(2, WAIT)).containsExactly(original, marker);
            ItSupport.assertUsable(h);
        }
    }

    @Test
    void anIdOutsideTheRulesIsRefusedWithTheSendsRef() {
        String erin = user("id-e");
        try (TestConnection e = login(server, erin)) {
            e.sendRaw(ItSupport.ascii("{\"type\":\"send\",\"to\":\"*\",\"text\":\"x\",\"ref\":\"e1\",\"id\":\"a b\"}"));
            ServerFrame.Error error = expectError(e, ErrorCode.INVALID);
            assertThat(error.ref()).isEqualTo("e1");
            assertThat(error.message()).contains("id must be");
        }
    }
}
