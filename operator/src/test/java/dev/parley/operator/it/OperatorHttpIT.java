package dev.parley.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator's own /healthz, /readyz and /metrics. */
@ExtendWith(KubeExtension.class)
class OperatorHttpIT {

    @Test
    void healthReadinessAndPrometheusMetrics(TestKube kube, KubeExtension.OperatorHandle operator) throws Exception {
        // Something to count: one reconciliation at least.
        String ns = kube.namespace("metrics");
        kube.client().resource(ChatServices.minimal(ns, "demo", NodePorts.next())).create();
        ChatServices.eventually().until(() -> ChatServices.resource(kube.client(), ns, "demo").get().getStatus() != null);

        var http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + operator.httpPort();
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(), HttpResponse.BodyHandlers.ofString())
                .body()).isEqualTo("ready\n");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(metrics.body()).contains("operator_sdk_reconciliations_started_total").contains("jvm_memory_used_bytes");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(405);
    }
}
