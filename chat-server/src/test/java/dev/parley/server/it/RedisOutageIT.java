package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.assertStrictlyIncreasing;
import static dev.parley.server.it.ItSupport.assertUsable;
import static dev.parley.server.it.ItSupport.ids;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.register;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.sendMany;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis is SIGKILLed under a running server and comes back on the same port: sends answer
 * UNAVAILABLE and /readyz 503 meanwhile, both recover by themselves, and nothing acked is lost.
 */
class RedisOutageIT {
    /** With AOF: what was acknowledged before the kill is there after it. */
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(RedisOutageIT.class).appendOnly().servers("outage-it")
            .arg("--rate-limit", "0").build();
    private static final RedisServer redis = cluster.redis();
    private static final ChatServerProcess server = cluster.server();

    @Test
    void sendsAnswerUnavailableWhileRedisIsDownAndEverythingRecoversByItself() {
        String alice = user("o-alice");
        String bob = user("o-bob");
        String carol = user("o-carol");
        String dave = user("o-dave");
        register(server, carol);
        ServerFrame.Ack toCarol;
        try (TestConnection a = login(server, alice);
             TestConnection b = login(server, bob);
             TestConnection d = server.connect()) {
            toCarol = sendAcked(a, carol, "for later");
            // a burst, and Redis dies right after the last ack: some may not be fanned out yet
            List<Long> burst = sendMany(a, bob, 50);
            redis.kill();

            AtomicInteger tries = new AtomicInteger();
            List<String> refused = new ArrayList<>();
            await().atMost(WAIT).untilAsserted(() -> {
                String ref = "down-" + tries.incrementAndGet();
                refused.add("text " + ref);
                a.send(new ClientFrame.Send(bob, "text " + ref, ref));
                ServerFrame.Error e = a.expect(ServerFrame.Error.class);
                assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(e.ref()).isEqualTo(ref);
            });
            await().atMost(WAIT).until(() -> server.httpStatus("/readyz") == 503);
            assertThat(server.httpStatus("/healthz")).isEqualTo(200);
            // the sessions stay open; reads answer UNAVAILABLE, not a wrong answer
            assertUsable(a);
            a.send(new ClientFrame.HistoryRequest(bob, null, null));
            assertThat(a.expect(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.UNAVAILABLE);
            // a login cannot be checked: UNAVAILABLE, not AUTH_FAILED, and the connection stays
            d.send(new ClientFrame.Hello(dave, PASSWORD, null, 0, null));
            assertThat(d.expect(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertUsable(d);

            redis.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.httpStatus("/readyz") == 200);
            AtomicInteger after = new AtomicInteger();
            List<Long> accepted = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                String ref = "up-" + after.incrementAndGet();
                a.send(new ClientFrame.Send(bob, "back " + ref, ref));
                ServerFrame f = a.next(WAIT);
                assertThat(f).isInstanceOf(ServerFrame.Ack.class);
                accepted.add(((ServerFrame.Ack) f).id());
            });
            assertThat(after.get()).as("sends accepted at once after /readyz turned 200").isEqualTo(1);
            // bob gets every acked message once, in order: the burst (caught up from the stream) and the new one
            List<Long> expected = new ArrayList<>(burst);
            expected.addAll(accepted);
            List<Long> atBob = b.awaitMsgIds(expected.size(), Duration.ofSeconds(20));
            assertStrictlyIncreasing(atBob, "msgs at bob");
            assertThat(atBob).isEqualTo(expected);
            // the login refused during the outage works on the same connection now
            d.send(new ClientFrame.Hello(dave, PASSWORD, null, 0, null));
            d.expect(ServerFrame.Welcome.class);
            d.expect(ServerFrame.History.class);
            // stored: what was acked, and none of what was refused
            b.send(new ClientFrame.HistoryRequest(alice, null, 1000));
            List<ChatMessage> history = b.expect(ServerFrame.History.class).messages();
            assertThat(ids(history)).isEqualTo(expected);
            assertThat(history).extracting(ChatMessage::text).doesNotContainAnyElementsOf(refused);
        }
        // carol, offline throughout, finds the DM sent before the outage
        try (TestConnection c = ItSupport.resume(server, carol, 0L)) {
            ChatMessage m = c.expect(ServerFrame.Msg.class).message();
            assertThat(m.id()).isEqualTo(toCarol.id());
            assertThat(m.text()).isEqualTo("for later");
        }
    }
}
