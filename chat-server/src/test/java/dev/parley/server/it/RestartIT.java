package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.ids;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.sendAcked;
import static dev.parley.server.it.ItSupport.user;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Both servers and Redis (AOF) restart, gracefully and by SIGKILL: history, accounts and the id
 * sequence survive.
 */
class RestartIT {
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(RestartIT.class).appendOnly().servers("r-east", "r-west")
            .arg("--rate-limit", "0").build();
    private static final RedisServer redis = cluster.redis();
    private static final ChatServerProcess east = cluster.server("r-east");
    private static final ChatServerProcess west = cluster.server("r-west");

    @Test
    void historySurvivesRestartsOfBothServersAndOfRedis() {
        String alice = user("r-alice");
        String bob = user("r-bob");
        List<Long> dms = new ArrayList<>();
        List<Long> broadcasts = new ArrayList<>();
        try (TestConnection a = login(east, alice);
             TestConnection b = login(west, bob)) {
            for (int i = 0; i < 10; i++) {
                dms.add(sendAcked(i % 2 == 0 ? a : b, i % 2 == 0 ? bob : alice, "dm " + i).id());
                broadcasts.add(sendAcked(i % 2 == 0 ? b : a, "*", "all " + i).id());
            }
        }
        List<ChatMessage> dmHistory = history(east, alice, bob);
        List<ChatMessage> broadcastHistory = history(west, bob, "*");
        assertThat(ids(dmHistory)).isEqualTo(dms);
        assertThat(ids(broadcastHistory)).isEqualTo(broadcasts);

        // graceful: SIGTERM everything, then start Redis first and the servers after it
        assertThat(east.stop(Duration.ofSeconds(20))).isZero();
        assertThat(west.stop(Duration.ofSeconds(20))).isZero();
        redis.stop(Duration.ofSeconds(20));
        redis.start();
        east.start();
        west.start();
        assertThat(history(west, alice, bob)).isEqualTo(dmHistory);
        assertThat(history(east, bob, "*")).isEqualTo(broadcastHistory);
        // the accounts survived too: a wrong password is still refused
        try (TestConnection wrong = east.connect()) {
            wrong.send(new ClientFrame.Hello(alice, PASSWORD + "!", null, 0, null));
            assertThat(wrong.expect(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.AUTH_FAILED);
        }
        long afterRestart;
        try (TestConnection a = login(west, alice)) {
            afterRestart = sendAcked(a, bob, "after restart").id();
        }
        assertThat(afterRestart).as("the id sequence continues").isGreaterThan(dms.get(dms.size() - 1));

        // crash: SIGKILL Redis and both servers; what was acked is on disk (appendfsync always)
        redis.kill();
        east.kill();
        west.kill();
        redis.start();
        east.start();
        west.start();
        List<Long> expectedDms = new ArrayList<>(dms);
        expectedDms.add(afterRestart);
        assertThat(ids(history(east, bob, alice))).isEqualTo(expectedDms);
        assertThat(history(west, alice, "*")).isEqualTo(broadcastHistory);
        // since=0 after the crash gives every message the user can see, in id order
        try (TestConnection a = ItSupport.resume(east, alice, 0L)) {
            List<Long> seen = new ArrayList<>();
            for (int i = 0; i < expectedDms.size() + broadcasts.size(); i++) {
                seen.add(a.expect(ServerFrame.Msg.class).message().id());
            }
            List<Long> all = new ArrayList<>(expectedDms);
            all.addAll(broadcasts);
            all.sort(null);
            assertThat(seen).isEqualTo(all);
            ItSupport.assertUsable(a);
        }
    }

    private static List<ChatMessage> history(ChatServerProcess server, String user, String with) {
        try (TestConnection c = server.connect()) {
            c.send(new ClientFrame.Hello(user, PASSWORD, "*".equals(with) ? null : with, 1000, null));
            c.expect(ServerFrame.Welcome.class, WAIT);
            ServerFrame.History h = c.expect(ServerFrame.History.class);
            assertThat(h.with()).isEqualTo(with);
            return h.messages();
        }
    }
}
