package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.ChatMessage;
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
 * Redis is SIGKILLed under a running server and comes back empty: the sessions that saw ids the
 * store no longer has are told and dropped, and messaging resumes from scratch.
 */
class RedisDataLossIT {
    /** No AOF: a restart loses everything, ids start again from 1. */
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(RedisDataLossIT.class).servers("wipe-it")
            .arg("--rate-limit", "0").build();
    private static final RedisServer redis = cluster.redis();
    private static final ChatServerProcess server = cluster.server();

    @Test
    void redisBackWithoutItsDataDisconnectsSessionsAndMessagingResumes() {
        String alice = user("w-alice");
        String bob = user("w-bob");
        try (TestConnection a = login(server, alice);
             TestConnection b = login(server, bob)) {
            for (int i = 0; i < 5; i++) {
                ServerFrame.Ack ack = sendAcked(a, bob, "before " + i);
                assertThat(ItSupport.expectMsg(b).id()).isEqualTo(ack.id());
            }
            redis.kill();
            await().atMost(WAIT).until(() -> server.httpStatus("/readyz") == 503);
            redis.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> server.httpStatus("/readyz") == 200);
            // sessions that saw ids the store no longer has are told and dropped, to resume afresh
            for (TestConnection c : List.of(a, b)) {
                ServerFrame f = c.skipUntil(ServerFrame.Error.class, Duration.ofSeconds(20));
                assertThat(((ServerFrame.Error) f).code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(c.awaitClosed(WAIT)).isTrue();
            }
        }
        assertThat(server.logText()).contains("Redis restarted without its data");
        // the accounts were lost with the data: the users register again, and messages flow live
        try (TestConnection a = login(server, alice);
             TestConnection b = login(server, bob)) {
            for (int i = 0; i < 3; i++) {
                ServerFrame.Ack ack = sendAcked(a, bob, "after " + i);
                ChatMessage m = ItSupport.expectMsg(b);
                assertThat(m.id()).isEqualTo(ack.id());
                assertThat(m.text()).isEqualTo("after " + i);
            }
        }
    }
}
