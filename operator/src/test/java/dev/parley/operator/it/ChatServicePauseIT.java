package dev.parley.operator.it;

import static dev.parley.operator.it.ChatServices.edit;
import static dev.parley.operator.it.ChatServices.eventsOn;
import static dev.parley.operator.it.ChatServices.eventually;
import static dev.parley.operator.it.ChatServices.minimal;
import static dev.parley.operator.it.ChatServices.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.reconciler.ChatServiceReconciler;
import dev.parley.operator.reconciler.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pause annotation: an annotation-only change, which must still reach the operator. */
@ExtendWith(KubeExtension.class)
class ChatServicePauseIT {

    @Test
    void pausedChatServicesAreLeftAloneUntilTheAnnotationGoes(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("pause");
        client.resource(minimal(ns, "demo", NodePorts.next())).create();
        var deployment = client.apps().deployments().inNamespace(ns).withName("demo-server");
        var service = client.services().inNamespace(ns).withName("demo-server");
        // the first reconciliation has ended with its status written: a pause keeps that generation
        eventually().until(() -> deployment.get() != null && service.get() != null
                && resource(client, ns, "demo").get().getStatus() != null
                && Long.valueOf(1L).equals(resource(client, ns, "demo").get().getStatus().getObservedGeneration()));

        edit(resource(client, ns, "demo"), cr -> {
            cr.getMetadata().getAnnotations().put(ChatServiceReconciler.PAUSED_ANNOTATION, "true");
            return cr;
        });
        eventually().untilAsserted(() -> {
            ChatService cr = resource(client, ns, "demo").get();
            var paused = ChatServices.condition(cr, Conditions.PAUSED).orElseThrow();
            assertThat(paused.getStatus()).isEqualTo("True");
            assertThat(paused.getMessage()).contains(ChatServiceReconciler.PAUSED_ANNOTATION);
        });
        edit(resource(client, ns, "demo"), cr -> {
            cr.getSpec().setReplicas(4);
            return cr;
        });
        service.delete();
        // Neither the spec change nor the deleted Service is acted on while paused.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(250))
                .until(() -> deployment.get().getSpec().getReplicas() == 2 && service.get() == null);
        assertThat(resource(client, ns, "demo").get().getStatus().getObservedGeneration()).isEqualTo(1L);

        edit(resource(client, ns, "demo"), cr -> {
            cr.getMetadata().getAnnotations().remove(ChatServiceReconciler.PAUSED_ANNOTATION);
            return cr;
        });
        eventually().untilAsserted(() -> {
            assertThat(deployment.get().getSpec().getReplicas()).isEqualTo(4);
            assertThat(service.get()).isNotNull();
            ChatService cr = resource(client, ns, "demo").get();
            assertThat(ChatServices.condition(cr, Conditions.PAUSED)).isEmpty();
            assertThat(cr.getStatus().getObservedGeneration()).isEqualTo(2L);
        });
        assertThat(eventsOn(client, resource(client, ns, "demo").get())).extracting(e -> e.getReason())
                .contains("Paused", "Resumed");
    }
}
