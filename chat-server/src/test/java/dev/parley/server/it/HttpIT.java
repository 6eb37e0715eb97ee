package dev.parley.server.it;

import static dev.parley.server.it.ItSupport.PASSWORD;
import static dev.parley.server.it.ItSupport.WAIT;
import static dev.parley.server.it.ItSupport.ascii;
import static dev.parley.server.it.ItSupport.assertUsable;
import static dev.parley.server.it.ItSupport.expectError;
import static dev.parley.server.it.ItSupport.expectMsg;
import static dev.parley.server.it.ItSupport.login;
import static dev.parley.server.it.ItSupport.metric;
import static dev.parley.server.it.ItSupport.register;
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
import dev.parley.testkit.TestConnection;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP port: health, readiness and metrics (gauges that come back to where they were), and the
 * admin broadcast, which needs the token.
 *
 * <p>One server and one redis-server serve every test of the class: each test uses user names of
 * its own, and tests run one after another, so broadcasts from one test never reach another's
 * sessions.
 */
class HttpIT {
    private static final String TOKEN = "it-admin-token";

    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(HttpIT.class).servers("http-it")
            .arg("--rate-limit", "0")
            // the admin token comes from the environment: options also read env variables
            .env("CHAT_ADMIN_TOKEN", TOKEN)
            .build();
    private static final ChatServerProcess server = cluster.server();

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
}
