package dev.parley.operator.it;

import static dev.parley.operator.it.ChatServices.edit;
import static dev.parley.operator.it.ChatServices.eventually;
import static dev.parley.operator.it.ChatServices.minimal;
import static dev.parley.operator.it.ChatServices.reason;
import static dev.parley.operator.it.ChatServices.replicaOwners;
import static dev.parley.operator.it.ChatServices.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.operator.reconciler.Conditions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Autoscaling on and off: the HorizontalPodAutoscaler comes and goes, and the replica count is
 * never reset nor fought over. There are no metrics here, so the autoscaler itself does not move
 * the count; the test moves it through the Deployment's scale subresource, as the autoscaler does.
 */
@ExtendWith(KubeExtension.class)
class ChatServiceAutoscalingIT {

    @Test
    void enablingHandsTheCountToTheAutoscalerAndDisablingTakesItBack(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("hpa");
        var cr = minimal(ns, "demo", NodePorts.next());
        cr.getSpec().setReplicas(3);
        client.resource(cr).create();
        var deployment = client.apps().deployments().inNamespace(ns).withName("demo-server");
        eventually().until(() -> deployment.get() != null && deployment.get().getSpec().getReplicas() == 3);

        edit(resource(client, ns, "demo"), c -> {
            c.getSpec().getAutoscaling().setEnabled(true);
            c.getSpec().getAutoscaling().setMinReplicas(2);
            c.getSpec().getAutoscaling().setMaxReplicas(6);
            return c;
        });
        var hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("demo-server");
        eventually().untilAsserted(() -> {
            assertThat(hpa.get()).isNotNull();
            assertThat(hpa.get().getSpec().getMinReplicas()).isEqualTo(2);
            assertThat(hpa.get().getSpec().getMaxReplicas()).isEqualTo(6);
            assertThat(replicaOwners(deployment.get())).doesNotContain("parley-operator");
            assertThat(reason(resource(client, ns, "demo").get(), Conditions.AUTOSCALING)).isNotEqualTo("Disabled");
        });
        // The running count stayed: no reset to 1 when the operator let go of the field.
        assertThat(deployment.get().getSpec().getReplicas()).isEqualTo(3);

        // The autoscaler moves the count; the operator leaves it there.
        deployment.scale(5);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> deployment.get().getSpec().getReplicas() == 5);
        // A spec change while autoscaling does not touch the count either.
        edit(resource(client, ns, "demo"), c -> {
            c.getSpec().getChat().setHistoryRetention(500);
            return c;
        });
        eventually().untilAsserted(() -> {
            Deployment d = deployment.get();
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .anyMatch(e -> e.getName().equals("CHAT_HISTORY_RETENTION") && e.getValue().equals("500"));
            assertThat(d.getSpec().getReplicas()).isEqualTo(5);
        });

        edit(resource(client, ns, "demo"), c -> {
            c.getSpec().getAutoscaling().setEnabled(false);
            return c;
        });
        eventually().untilAsserted(() -> {
            assertThat(hpa.get()).isNull();
            assertThat(deployment.get().getSpec().getReplicas()).isEqualTo(3);
            assertThat(replicaOwners(deployment.get())).contains("parley-operator");
            assertThat(reason(resource(client, ns, "demo").get(), Conditions.AUTOSCALING)).isEqualTo("Disabled");
        });
    }

    @Test
    void aChatServiceCreatedWithAutoscalingStartsAtMinReplicas(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("hpa-new");
        var cr = minimal(ns, "demo", NodePorts.next());
        cr.getSpec().setAutoscaling(new dev.parley.operator.api.v1alpha1.AutoscalingSpec());
        cr.getSpec().getAutoscaling().setEnabled(true);
        cr.getSpec().getAutoscaling().setMinReplicas(3);
        client.resource(cr).create();
        var deployment = client.apps().deployments().inNamespace(ns).withName("demo-server");
        eventually().untilAsserted(() -> {
            assertThat(deployment.get().getSpec().getReplicas()).isEqualTo(3);
            assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("demo-server").get())
                    .isNotNull();
            // After the first apply, the count is handed over at once.
            assertThat(replicaOwners(deployment.get())).doesNotContain("parley-operator");
        });
    }
}
