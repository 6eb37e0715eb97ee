package dev.parley.operator.it;

import static dev.parley.operator.it.ChatServices.edit;
import static dev.parley.operator.it.ChatServices.eventually;
import static dev.parley.operator.it.ChatServices.minimal;
import static dev.parley.operator.it.ChatServices.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.operator.ChatOperator;
import dev.parley.operator.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator may stop at any time: nothing it made goes away, and started again it converges. */
@ExtendWith(KubeExtension.class)
class OperatorRestartIT {

    @Test
    void whileStoppedEverythingStaysAndRestartedItCatchesUpWithoutDuplicates(TestKube kube, KubeExtension.OperatorHandle operator) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("restart");
        client.resource(minimal(ns, "demo", NodePorts.next())).create();
        var deployment = client.apps().deployments().inNamespace(ns).withName("demo-server");
        eventually().until(() -> deployment.get() != null
                && client.services().inNamespace(ns).withName("demo-server").get() != null);
        String deploymentUid = deployment.get().getMetadata().getUid();

        operator.stop();
        // No finalizers: stopping the operator changes nothing, and deleting needs no operator.
        assertThat(resource(client, ns, "demo").get().getMetadata().getFinalizers()).isEmpty();
        edit(resource(client, ns, "demo"), c -> {
            c.getSpec().setReplicas(3);
            return c;
        });
        client.services().inNamespace(ns).withName("demo-server").delete();
        client.resource(minimal(ns, "second", NodePorts.next())).create();
        assertThat(deployment.get().getSpec().getReplicas()).isEqualTo(2);

        operator.start();
        eventually().untilAsserted(() -> {
            assertThat(deployment.get().getSpec().getReplicas()).isEqualTo(3);
            assertThat(client.services().inNamespace(ns).withName("demo-server").get()).isNotNull();
            assertThat(client.apps().deployments().inNamespace(ns).withName("second-server").get()).isNotNull();
            assertThat(resource(client, ns, "demo").get().getStatus().getObservedGeneration()).isEqualTo(2L);
        });
        assertThat(deployment.get().getMetadata().getUid()).isEqualTo(deploymentUid);
        assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).hasSize(2);
        assertThat(client.apps().statefulSets().inNamespace(ns).list().getItems()).hasSize(2);
        assertThat(client.services().inNamespace(ns).list().getItems()).hasSize(4);
    }

    @Test
    void twoReplicasWithLeaderElectionTakeTurns(TestKube kube, KubeExtension.OperatorHandle operator) throws Exception {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("leader");
        operator.stop();
        try (KubernetesClient clientA = kube.newClient(); KubernetesClient clientB = kube.newClient()) {
            ChatOperator a = new ChatOperator(leaderConfig(ns, "replica-a"), clientA, false);
            ChatOperator b = new ChatOperator(leaderConfig(ns, "replica-b"), clientB, false);
            try {
                a.start();
                eventually().until(() -> "replica-a".equals(holder(client, ns)));
                b.start();
                // The standby is ready too: it is there to take over.
                assertThat(get(a.httpPort(), "/readyz")).isEqualTo(200);
                assertThat(get(b.httpPort(), "/readyz")).isEqualTo(200);

                client.resource(minimal(ns, "demo", NodePorts.next())).create();
                eventually().until(() -> client.apps().deployments().inNamespace(ns).withName("demo-server").get() != null);

                a.close();
                eventually().until(() -> "replica-b".equals(holder(client, ns)));
                edit(resource(client, ns, "demo"), c -> {
                    c.getSpec().setReplicas(4);
                    return c;
                });
                eventually().until(() -> client.apps().deployments().inNamespace(ns).withName("demo-server").get()
                        .getSpec().getReplicas() == 4);
            } finally {
                a.close();
                b.close();
            }
        } finally {
            operator.start();
        }
    }

    private static OperatorConfig leaderConfig(String leaseNamespace, String identity) {
        return new OperatorConfig(KubeExtension.SERVER_IMAGE, KubeExtension.REDIS_IMAGE, Set.of(), 0, true, leaseNamespace, identity);
    }

    private static String holder(KubernetesClient client, String ns) {
        var lease = client.leases().inNamespace(ns).withName("parley-chat-operator").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    static int get(int port, String path) throws IOException, InterruptedException {
        var http = HttpClient.newHttpClient();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
