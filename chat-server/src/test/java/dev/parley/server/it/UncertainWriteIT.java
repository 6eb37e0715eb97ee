package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.messages;
import static dev.parley.server.it.ItSupport.msgIds;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.RedisServer;
import dev.parley.testkit.TestConnection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis stops answering in the middle of a write (paused with SIGSTOP, then resumed): the server
 * cannot know whether the message was stored, and must not say it was not. The send is answered
 * UNAVAILABLE with maybeStored, and indeed the message turns up once Redis runs again; a send
 * refused while the server already knows Redis is away is a definite refusal and never stored.
 */
class UncertainWriteIT {
    /** The server's Redis socket timeout is 5 s; the answer comes after it. */
    private static final Duration ANSWER = Duration.ofSeconds(5).plus(WAIT);

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(UncertainWriteIT.class).appendOnly()
            .servers("uncertain-it").arg("--rate-limit", "0").build();
    private static final RedisServer redis = cluster.redis();
    private static final ChatServerProcess server = cluster.server();

    @Test
    void aWriteCutShortIsMaybeStoredAndARefusalIsNot() throws Exception {
        String alice = user("u-alice");
        String bob = user("u-bob");
        long before;
        try (TestConnection a = login(server, alice);
             TestConnection b = login(server, bob)) {
            before = sendAcked(a, bob, "before the pause").id();

            redis.pause();
            a.send(new ClientFrame.Send(bob, "while paused", "p1"));
            ServerFrame.Error cut = a.skipUntil(ServerFrame.Error.class, ANSWER);
            assertThat(cut.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(cut.ref()).isEqualTo("p1");
            assertThat(cut.maybeStored()).as(cut.message()).isTrue();
            assertThat(cut.message()).contains("may have been stored");

            // The server now knows Redis is away: this one never reaches it.
            a.send(new ClientFrame.Send(bob, "refused outright", "r1"));
            ServerFrame.Error refused = a.skipUntil(ServerFrame.Error.class, WAIT);
            assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(refused.ref()).isEqualTo("r1");
            assertThat(refused.maybeStored()).isFalse();
            assertThat(refused.message()).contains("not stored");

            redis.resume();
            await().atMost(WAIT).until(() -> server.httpStatus("/readyz") == 200);
        }
        // What the store holds after the pause, as a client resuming after "before" sees it.
        try (TestConnection c = server.connect()) {
            c.send(new ClientFrame.Hello(bob, ItSupport.PASSWORD, null, null, before));
            c.expect(ServerFrame.Welcome.class);
            List<String> texts = messages(c.drain(Duration.ofSeconds(2))).stream().map(ChatMessage::text).toList();
            assertThat(texts).as("the cut-short write was stored after all; the refused one was not")
                    .containsExactly("while paused");
        }
    }

    @Test
    void aRetryWithTheSameIdAfterACutShortWriteGetsTheOriginalAck() {
        String carol = user("u-carol");
        String dave = user("u-dave");
        long before;
        ServerFrame.Ack retried;
        try (TestConnection c = login(server, carol);
             TestConnection d = login(server, dave)) {
            before = sendAcked(c, dave, "before the pause").id();
            d.skipUntil(ServerFrame.Msg.class, WAIT);

            redis.pause();
            c.send(new ClientFrame.Send(dave, "while paused, with an id", "p1", "carol-1"));
            ServerFrame.Error cut = c.skipUntil(ServerFrame.Error.class, ANSWER);
            assertThat(cut.maybeStored()).as(cut.message()).isTrue();
            assertThat(cut.message()).contains("send it again with the same id");
            redis.resume();
            await().atMost(WAIT).until(() -> server.httpStatus("/readyz") == 200);

            c.send(new ClientFrame.Send(dave, "while paused, with an id", "p2", "carol-1"));
            retried = c.skipUntil(ServerFrame.Ack.class, WAIT);
            assertThat(retried.ref()).isEqualTo("p2");
            // dave got it once, from the write that was cut short; the retry fans out nothing
            List<Long> daveSaw = msgIds(d.drain(Duration.ofSeconds(2)));
            assertThat(daveSaw).containsExactly(retried.id());
        }
        List<ChatMessage> stored;
        try (TestConnection c = ItSupport.resume(server, dave, before)) {
            stored = messages(c.drain(Duration.ofSeconds(2)));
        }
        assertThat(stored).as("stored once, under the id the retry was acknowledged with").singleElement()
                .satisfies(m -> {
                    assertThat(m.text()).isEqualTo("while paused, with an id");
                    assertThat(m.id()).isEqualTo(retried.id());
                    assertThat(m.ts()).isEqualTo(retried.ts());
                });
    }
}
