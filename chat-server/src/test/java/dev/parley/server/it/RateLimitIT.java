package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.assertUsable;
import static dev.parley.server.it.ItSupport.expectMsg;
import static dev.parley.server.it.ItSupport.ids;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.RedisServer;
import dev.parley.testkit.TestConnection;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code --rate-limit 5}: a burst past the limit is refused frame by frame, the connection stays usable. */
class RateLimitIT {
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(RateLimitIT.class).servers("rate-it")
            .arg("--rate-limit", "5").build();
    private static final ChatServerProcess server = cluster.server();
    private static final RedisServer redis = cluster.redis();

    @Test
    void hellosCountTowardTheLimitSoOneConnectionCannotRegisterInBulk() {
        try (TestConnection c = server.connect()) {
            int tries = 20;
            int noSuchUser = 0;
            int limited = 0;
            List<String> names = new ArrayList<>();
            for (int i = 0; i < tries; i++) {
                String name = user("bulk" + i);
                names.add(name);
                // an unknown `to` leaves the connection logged out (after registering the name),
                // so the next hello is allowed: one at a time, as fast as the answers come
                c.send(new ClientFrame.Hello(name, "pw", user("nobody"), 0, null));
                ServerFrame.Error e = c.expect(ServerFrame.Error.class);
                if (e.code() == ErrorCode.NO_SUCH_USER) {
                    noSuchUser++;
                } else if (e.code() == ErrorCode.RATE_LIMITED) {
                    limited++;
                } else {
                    throw new AssertionError("unexpected answer " + e);
                }
            }
            assertThat(limited).as("hellos over 5 a second").isPositive().isEqualTo(tries - noSuchUser);
            long registered = names.stream().filter(n -> ":1".equals(redis.command("HEXISTS parley:users " + n))).count();
            assertThat(registered).as("accounts made by one connection's burst").isEqualTo(noSuchUser);
        }
    }

    @Test
    void aV11ClientIsToldTheLimitInTheWelcomeAndWhenToRetryAfterRateLimited() {
        String eve = user("eve");
        try (TestConnection c = server.connect()) {
            c.send(new ClientFrame.Hello(eve, "pw", null, 0, null, "1.1"));
            assertThat(c.expect(ServerFrame.Welcome.class).rateLimit()).isEqualTo(5);
            c.expect(ServerFrame.History.class);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < 10; i++) {
                out.writeBytes(FrameCodec.encode(new ClientFrame.Send("*", "burst " + i, "r" + i)));
            }
            c.sendRaw(out.toByteArray());
            List<Long> retryAfter = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                if (c.next(WAIT) instanceof ServerFrame.Error e && e.code() == ErrorCode.RATE_LIMITED) {
                    retryAfter.add(e.retryAfterMs());
                }
            }
            // one token comes back every 200 ms at 5 a second
            assertThat(retryAfter).isNotEmpty().allSatisfy(ms -> assertThat(ms).isBetween(1L, 200L));
        }
        try (TestConnection c = server.connect()) {
            // a 1.0 client sees none of the 1.1 fields
            c.send(new ClientFrame.Hello(user("old"), "pw", null, 0, null));
            ServerFrame.Welcome welcome = c.expect(ServerFrame.Welcome.class);
            assertThat(welcome.rateLimit()).isNull();
            assertThat(welcome.registered()).isFalse();
        }
    }

    @Test
    void sendsPastTheLimitAreRateLimitedAndOnlyTheAcceptedOnesAreStored() {
        String alice = user("fast");
        String bob = user("calm");
        try (TestConnection a = login(server, alice);
             TestConnection b = login(server, bob)) {
            int burst = 20;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < burst; i++) {
                out.writeBytes(FrameCodec.encode(new ClientFrame.Send(bob, "burst " + i, "rl-" + i)));
            }
            a.sendRaw(out.toByteArray());
            List<Long> acked = new ArrayList<>();
            List<String> limited = new ArrayList<>();
            List<String> answered = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                ServerFrame f = a.next(WAIT);
                if (f instanceof ServerFrame.Ack ack) {
                    acked.add(ack.id());
                    answered.add(ack.ref());
                } else if (f instanceof ServerFrame.Error e && e.code() == ErrorCode.RATE_LIMITED) {
                    limited.add(e.ref());
                    answered.add(e.ref());
                } else {
                    throw new AssertionError("unexpected answer " + f);
                }
            }
            // one answer per send, each with the send's ref
            assertThat(answered).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.range(0, burst).mapToObj(i -> "rl-" + i).toList());
            // a bucket of 5 (less the hello's token) plus whatever refilled while the burst was read
            assertThat(acked.size()).isBetween(4, 7);
            assertThat(limited).hasSize(burst - acked.size());
            // ping is not limited, and the connection is still open
            assertUsable(a);
            // bob received exactly the accepted messages, in order
            List<Long> atBob = new ArrayList<>();
            for (int i = 0; i < acked.size(); i++) {
                atBob.add(expectMsg(b).id());
            }
            assertThat(atBob).isEqualTo(acked);
            // another connection has its own budget: bob's send is accepted at once
            ServerFrame.Ack bobs = sendAcked(b, alice, "unaffected");
            assertThat(expectMsg(a).id()).isEqualTo(bobs.id());
            // only the accepted ones were stored
            b.send(new ClientFrame.HistoryRequest(alice, null, 1000));
            List<Long> stored = ids(b.expect(ServerFrame.History.class).messages());
            List<Long> expected = new ArrayList<>(acked);
            expected.add(bobs.id());
            assertThat(stored).isEqualTo(expected);
            // the budget refills: within a couple of seconds alice may send again
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                a.send(new ClientFrame.Send(bob, "later", "later"));
                assertThat(a.next(WAIT)).isInstanceOf(ServerFrame.Ack.class);
            });
        }
    }
}
