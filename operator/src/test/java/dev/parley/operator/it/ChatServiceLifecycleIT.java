package dev.parley.operator.it;

import static dev.parley.operator.it.ChatServices.edit;
import static dev.parley.operator.it.ChatServices.eventsOn;
import static dev.parley.operator.it.ChatServices.eventually;
import static dev.parley.operator.it.ChatServices.minimal;
import static dev.parley.operator.it.ChatServices.reason;
import static dev.parley.operator.it.ChatServices.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.reconciler.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Create, update, scale and drift against a real API server and controller manager. */
@ExtendWith(KubeExtension.class)
class ChatServiceLifecycleIT {

    @Test
    void createsEveryObjectOwnedByTheChatServiceAndSaysWhyItIsNotReadyYet(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("create");
        int nodePort = NodePorts.next();
        ChatService created = client.resource(minimal(ns, "demo", nodePort)).create();

        eventually().untilAsserted(() -> {
            List<HasMetadata> owned = List.of(
                    client.apps().statefulSets().inNamespace(ns).withName("demo-redis").get(),
                    client.services().inNamespace(ns).withName("demo-redis").get(),
                    client.apps().deployments().inNamespace(ns).withName("demo-server").get(),
                    client.services().inNamespace(ns).withName("demo-server").get(),
                    client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("demo-server").get());
            for (HasMetadata o : owned) {
                assertThat(o).isNotNull();
                assertThat(o.getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid)
                        .containsExactly(created.getMetadata().getUid());
                assertThat(o.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "demo")
                        .containsEntry("app.kubernetes.io/managed-by", "parley-operator");
            }
        });
        // Autoscaling is off by default: no autoscaler.
        assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("demo-server").get()).isNull();

        // No node and no storage class here: the claim stays Pending and no pod gets ready.
        eventually().untilAsserted(() -> {
            ChatService cr = resource(client, ns, "demo").get();
            assertThat(cr.getStatus().getObservedGeneration()).isEqualTo(1L);
            assertThat(reason(cr, Conditions.REDIS_READY)).isEqualTo("PvcPending");
            assertThat(reason(cr, Conditions.SERVER_READY)).isEqualTo("Scaling");
            assertThat(reason(cr, Conditions.READY)).isEqualTo("PvcPending");
            assertThat(reason(cr, Conditions.AUTOSCALING)).isEqualTo("Disabled");
            assertThat(cr.getStatus().getReplicas()).isEqualTo(2);
            assertThat(cr.getStatus().getReadyReplicas()).isZero();
            assertThat(cr.getStatus().getEndpoint()).isEqualTo("NodePort " + nodePort);
            assertThat(cr.getStatus().getSelector())
                    .isEqualTo("app.kubernetes.io/component=server,app.kubernetes.io/instance=demo,app.kubernetes.io/name=parley");
        });
        // The claim the StatefulSet made carries our labels, so status can follow it.
        assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("data-demo-redis-0").get().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/instance", "demo");
        assertThat(eventsOn(client, created)).extracting(e -> e.getReason() + ": " + e.getMessage())
                .contains("Created: Created Deployment demo-server", "Created: Created StatefulSet demo-redis",
                        "Created: Created Service demo-server");
    }

    @Test
    void specChangesReachTheDeploymentAndObservedGenerationFollows(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("update");
        client.resource(minimal(ns, "demo", NodePorts.next())).create();
        eventually().until(() -> client.apps().deployments().inNamespace(ns).withName("demo-server").get() != null);

        edit(resource(client, ns, "demo"), cr -> {
            cr.getSpec().setReplicas(3);
            cr.getSpec().setImage("localhost/parley/chat-server:next");
            cr.getSpec().getChat().setRateLimit(0);
            cr.getSpec().getChat().setLoginBackoff("PT5S");
            cr.getSpec().getChat().setAuthQueue(256);
            return cr;
        });
        eventually().untilAsserted(() -> {
            Deployment d = client.apps().deployments().inNamespace(ns).withName("demo-server").get();
            assertThat(d.getSpec().getReplicas()).isEqualTo(3);
            var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getImage()).isEqualTo("localhost/parley/chat-server:next");
            // Set fields become the server's variables; unset ones carry the server's defaults from the CRD.
            assertThat(container.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                    .contains("CHAT_RATE_LIMIT=0", "CHAT_LOGIN_BACKOFF=PT5S", "CHAT_AUTH_QUEUE=256",
                            "CHAT_MAX_SESSIONS_PER_USER=20", "CHAT_PASSWORD_ITERATIONS=600000");
            ChatService cr = resource(client, ns, "demo").get();
            assertThat(cr.getStatus().getObservedGeneration()).isEqualTo(cr.getMetadata().getGeneration()).isEqualTo(2L);
            // The new image's pods never get ready here (no node): the rollout waits, and says so.
            assertThat(ChatServices.condition(cr, Conditions.SERVER_READY).orElseThrow().getMessage())
                    .startsWith("0 of 3 chat server pods are ready, rolling out: 1 of ");
        });
    }

    @Test
    void kubectlScaleGoesThroughTheScaleSubresource(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("scale");
        client.resource(minimal(ns, "demo", NodePorts.next())).create();
        eventually().until(() -> resource(client, ns, "demo").get().getStatus() != null);

        resource(client, ns, "demo").scale(4);
        eventually().untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(ns).withName("demo-server").get().getSpec().getReplicas())
                    .isEqualTo(4);
            // What kubectl get --subresource=scale reads: spec and status replicas and the selector.
            var scale = resource(client, ns, "demo").scale();
            assertThat(scale.getSpec().getReplicas()).isEqualTo(4);
            assertThat(scale.getStatus().getReplicas()).isEqualTo(4);
            assertThat(scale.getStatus().getSelector()).contains("app.kubernetes.io/instance=demo");
        });
    }

    @Test
    void deletedOrEditedObjectsComeBackAsTheSpecSays(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("drift");
        int nodePort = NodePorts.next();
        client.resource(minimal(ns, "demo", nodePort)).create();
        eventually().until(() -> Stream.of(
                client.services().inNamespace(ns).withName("demo-server").get(),
                client.apps().deployments().inNamespace(ns).withName("demo-server").get(),
                client.apps().statefulSets().inNamespace(ns).withName("demo-redis").get(),
                client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("demo-server").get())
                .allMatch(o -> o != null));
        String serviceUid = client.services().inNamespace(ns).withName("demo-server").get().getMetadata().getUid();

        client.services().inNamespace(ns).withName("demo-server").delete();
        client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("demo-server").delete();
        edit(client.apps().deployments().inNamespace(ns).withName("demo-server"), d -> {
            d.getSpec().setReplicas(7);
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("someone/else:1");
            return d;
        });
        edit(client.apps().statefulSets().inNamespace(ns).withName("demo-redis"), s -> {
            s.getSpec().getTemplate().getSpec().getContainers().get(0).setCommand(List.of("redis-server"));
            return s;
        });

        eventually().untilAsserted(() -> {
            Service service = client.services().inNamespace(ns).withName("demo-server").get();
            assertThat(service).isNotNull();
            assertThat(service.getMetadata().getUid()).isNotEqualTo(serviceUid);
            assertThat(service.getSpec().getPorts().get(0).getNodePort()).isEqualTo(nodePort);
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("demo-server").get()).isNotNull();
            Deployment d = client.apps().deployments().inNamespace(ns).withName("demo-server").get();
            assertThat(d.getSpec().getReplicas()).isEqualTo(2);
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(KubeExtension.SERVER_IMAGE);
            StatefulSet s = client.apps().statefulSets().inNamespace(ns).withName("demo-redis").get();
            assertThat(s.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand()).contains("--appendonly");
        });
    }

    @Test
    void aSettledChatServiceIsNotWrittenAgain(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("settled");
        client.resource(minimal(ns, "demo", NodePorts.next())).create();
        eventually().until(() -> reason(resource(client, ns, "demo").get(), Conditions.READY) != null
                && client.apps().deployments().inNamespace(ns).withName("demo-server").get() != null);
        // Once the controllers' own status writes have landed, nothing changes for 5 s on end.
        List<List<String>> seen = new java.util.ArrayList<>(List.of(versions(client, ns)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            seen.add(versions(client, ns));
            int n = seen.size();
            return n > 10 && seen.subList(n - 11, n).stream().distinct().count() == 1;
        });
    }

    private static List<String> versions(KubernetesClient client, String ns) {
        return Stream.of(
                client.apps().statefulSets().inNamespace(ns).withName("demo-redis").get(),
                client.services().inNamespace(ns).withName("demo-redis").get(),
                client.services().inNamespace(ns).withName("demo-server").get(),
                client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("demo-server").get(),
                resource(client, ns, "demo").get())
                .map(o -> o.getKind() + " " + o.getMetadata().getResourceVersion())
                .toList();
    }

}
