package dev.parley.operator.it;

import static dev.parley.operator.it.ChatServices.eventually;
import static dev.parley.operator.it.ChatServices.minimal;
import static dev.parley.operator.it.ChatServices.reason;
import static dev.parley.operator.it.ChatServices.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.operator.OperatorProcess;
import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.reconciler.Conditions;
import dev.parley.testkit.FreePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shaded jar, run the way the README tells a user to ({@code java -jar chat-operator.jar}
 * with KUBECONFIG): the image starts the main class from a classpath instead, so only this test
 * finds a jar that lost a service file or its Main-Class in shading.
 */
@ExtendWith(ApiServerExtension.class)
class OperatorJarIT {

    @Test
    void theJarReconcilesAChatServiceAndStopsOnSigterm(TestKube kube) throws Exception {
        // failsafe runs after the package phase of this module, which shades the jar.
        assertThat(OperatorProcess.jar()).as("the shaded jar; mvn -pl operator -am package builds it").isRegularFile();
        KubernetesClient client = kube.client();
        String ns = kube.namespace("jar");
        Path log = Path.of("target", "operator-jar-it", "operator.log").toAbsolutePath();
        // The process appends to its log: an earlier run's lines would answer for this one.
        Files.deleteIfExists(log);
        Map<String, String> env = Map.of("KUBECONFIG", kube.kubeconfig().toString(),
                "PARLEY_SERVER_IMAGE", KubeExtension.SERVER_IMAGE, "PARLEY_REDIS_IMAGE", KubeExtension.REDIS_IMAGE);
        // Watching only its namespace: the API server is shared with the other test classes.
        try (OperatorProcess operator = new OperatorProcess(OperatorProcess.jar(), ns, FreePort.pick(), env, log)) {
            try {
                operator.start();
                ChatService created = client.resource(minimal(ns, "demo", NodePorts.next())).create();
                eventually().untilAsserted(() -> {
                    assertThat(client.apps().statefulSets().inNamespace(ns).withName("demo-redis").get()).isNotNull();
                    var deployment = client.apps().deployments().inNamespace(ns).withName("demo-server").get();
                    assertThat(deployment).isNotNull();
                    // The images came from the environment, as the Helm chart passes them.
                    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                            .isEqualTo(KubeExtension.SERVER_IMAGE);
                    ChatService cr = resource(client, ns, "demo").get();
                    assertThat(cr.getStatus().getObservedGeneration()).isEqualTo(created.getMetadata().getGeneration());
                    // No storage here: the claim stays Pending, and status says so.
                    assertThat(reason(cr, Conditions.READY)).isEqualTo("PvcPending");
                });

                operator.stop();
                assertThat(operator.isAlive()).isFalse();
                // The shutdown hook ran: the operator stopped, it was not just killed.
                assertThat(operator.logs()).contains("Stopping");
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\nthe operator's log (" + log + "):\n" + operator.logs(), e);
            }
        }
    }
}
