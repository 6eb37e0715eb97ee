package dev.parley.e2e.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.e2e.suite.report.ConsoleSummary;
import dev.parley.e2e.suite.report.E2eReport;
import dev.parley.testkit.ChatServerProcess;
import dev.parley.testkit.ParleyCluster;
import dev.parley.testkit.RedisServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The soak against a real chat server and redis-server on loopback, through the faults the
 * cluster suite causes with pods: the server killed and started again (clients resume with
 * {@code since}), Redis killed and started again on its append-only file. Nothing acknowledged
 * may be lost, nothing delivered twice or out of order, and the history must hold it all.
 */
class SoakIT {
    /** Redis with its append-only file, as the cluster suite's Redis keeps one on its volume. */
    @RegisterExtension
    static final ParleyCluster cluster = ParleyCluster.builder(SoakIT.class).appendOnly().servers("soak-it").build();
    private static final RedisServer redis = cluster.redis();
    private static final ChatServerProcess server = cluster.server();

    @Test
    void nothingAcknowledgedIsLostWhenTheServerAndRedisAreKilledUnderLoad() throws Exception {
        Soak soak = new Soak(new Soak.Settings(new InetSocketAddress("127.0.0.1", server.port()), 8, "soakit",
                "pw", "soakit", 80, 5, 100, 100, 1), System.err);
        soak.start(60);
        Thread.sleep(2000);

        server.kill();
        Thread.sleep(500);
        server.start();
        assertThat(Kube.await(Duration.ofSeconds(30), () -> soak.metrics().connected.get() == 8))
                .as("every client back after the server restart").isNotNegative();
        Thread.sleep(1000);

        redis.kill();
        Thread.sleep(1500);
        redis.start();
        long acked = soak.metrics().acked.sum();
        assertThat(Kube.await(Duration.ofSeconds(30), () -> soak.metrics().acked.sum() > acked + 50
                && soak.metrics().connected.get() == 8)).as("acks flowing again after Redis restarted").isNotNegative();
        Thread.sleep(1000);

        assertThat(soak.stopAndDrain(30)).as("drained").isTrue();
        Soak.StoredHistory stored = soak.readHistory();
        List<SoakLedger> ledgers = soak.stop();
        E2eReport report = Reports.build("test", Instant.now(), "loopback", soak, ledgers, List.of(), stored, List.of());

        System.err.print(ConsoleSummary.format(report));
        assertThat(report.failures()).isEmpty();
        assertThat(report.passed()).isTrue();
        E2eReport.Totals t = report.totals();
        assertThat(t.acked()).isGreaterThan(100);
        assertThat(t.delivered()).isGreaterThan(t.acked());
        assertThat(t.disconnects()).as("the kill dropped every client").isGreaterThanOrEqualTo(8);
        assertThat(t.reconnects()).isGreaterThanOrEqualTo(8);
        assertThat(report.scenarios()).singleElement().satisfies(history -> {
            assertThat(history.name()).isEqualTo("history");
            assertThat((long) history.figures().get("checked")).isEqualTo(t.acked());
            assertThat(history.figures().get("missing")).isEqualTo(0L);
        });
    }
}
