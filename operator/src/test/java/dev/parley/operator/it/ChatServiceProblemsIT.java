package dev.parley.operator.it;

import static dev.parley.operator.it.ChatServices.condition;
import static dev.parley.operator.it.ChatServices.edit;
import static dev.parley.operator.it.ChatServices.eventsOn;
import static dev.parley.operator.it.ChatServices.eventually;
import static dev.parley.operator.it.ChatServices.minimal;
import static dev.parley.operator.it.ChatServices.reason;
import static dev.parley.operator.it.ChatServices.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.api.v1alpha1.ChatSettings;
import dev.parley.operator.api.v1alpha1.SecretKeyRef;
import dev.parley.operator.dependent.ServerDeploymentDependentResource;
import dev.parley.operator.reconciler.Conditions;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad input the schema cannot catch: a condition with a reason and an Event, never a crash loop. */
@ExtendWith(KubeExtension.class)
class ChatServiceProblemsIT {

    @Test
    void aMissingAdminTokenSecretIsReportedAndTheServersFollowTheSecretOnceItExists(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("secret");
        ChatService cr = minimal(ns, "demo", NodePorts.next());
        cr.getSpec().setChat(new ChatSettings());
        cr.getSpec().getChat().setAdminTokenSecretRef(new SecretKeyRef("chat-admin", "token"));
        client.resource(cr).create();

        var deployment = client.apps().deployments().inNamespace(ns).withName("demo-server");
        eventually().untilAsserted(() -> {
            ChatService got = resource(client, ns, "demo").get();
            assertThat(reason(got, Conditions.SERVER_READY)).isEqualTo("SecretMissing");
            assertThat(reason(got, Conditions.READY)).isEqualTo("SecretMissing");
            assertThat(condition(got, Conditions.READY).orElseThrow().getMessage())
                    .contains("Secret chat-admin").contains("does not exist in namespace " + ns);
            assertThat(eventsOn(client, got)).anyMatch(e -> "SecretMissing".equals(e.getReason()) && "Warning".equals(e.getType()));
        });
        // Redis is made regardless; the chat servers wait for their Secret.
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("demo-redis").get()).isNotNull();
        assertThat(deployment.get()).isNull();

        // The Secret without the key is still missing, and says so.
        client.resource(secret(ns, Map.of("other", "eA=="))).create();
        eventually().untilAsserted(() -> assertThat(condition(resource(client, ns, "demo").get(), Conditions.SERVER_READY)
                .orElseThrow().getMessage()).contains("has no key token"));

        edit(client.secrets().inNamespace(ns).withName("chat-admin"), s -> {
            s.setData(Map.of("token", "czNjcmV0"));
            return s;
        });
        eventually().untilAsserted(() -> {
            assertThat(deployment.get()).isNotNull();
            assertThat(reason(resource(client, ns, "demo").get(), Conditions.SERVER_READY)).isNotEqualTo("SecretMissing");
        });
        String firstHash = hash(deployment.get());

        // Rotating the token rolls the chat servers.
        edit(client.secrets().inNamespace(ns).withName("chat-admin"), s -> {
            s.setData(Map.of("token", "cm90YXRlZA=="));
            return s;
        });
        eventually().untilAsserted(() -> assertThat(hash(deployment.get())).isNotNull().isNotEqualTo(firstHash));
    }

    @Test
    void aTakenNodePortIsReportedAndOtherChatServicesAreUntouched(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("nodeport");
        int taken = NodePorts.next();
        client.resource(new ServiceBuilder().withNewMetadata().withName("someone-else").withNamespace(ns).endMetadata()
                .withNewSpec().withType("NodePort").addNewPort().withPort(80).withNodePort(taken).endPort().endSpec().build()).create();

        client.resource(minimal(ns, "clash", taken)).create();
        client.resource(minimal(ns, "fine", NodePorts.next())).create();
        eventually().untilAsserted(() -> {
            ChatService clash = resource(client, ns, "clash").get();
            assertThat(reason(clash, Conditions.READY)).isEqualTo("NodePortInUse");
            assertThat(condition(clash, Conditions.READY).orElseThrow().getMessage())
                    .contains("taken by another Service").contains(String.valueOf(taken));
            assertThat(eventsOn(client, clash)).anyMatch(e -> "NodePortInUse".equals(e.getReason()));
            // Everything else of the clashing one is in place.
            assertThat(client.apps().deployments().inNamespace(ns).withName("clash-server").get()).isNotNull();
            assertThat(client.services().inNamespace(ns).withName("clash-server").get()).isNull();
            // The other ChatService got its Service.
            assertThat(client.services().inNamespace(ns).withName("fine-server").get()).isNotNull();
            assertThat(reason(resource(client, ns, "fine").get(), Conditions.READY)).isNotEqualTo("NodePortInUse");
        });

        // Free the port: the operator tries again by itself and takes it.
        client.services().inNamespace(ns).withName("someone-else").delete();
        eventually().untilAsserted(() -> {
            assertThat(client.services().inNamespace(ns).withName("clash-server").get().getSpec().getPorts().get(0).getNodePort())
                    .isEqualTo(taken);
            assertThat(reason(resource(client, ns, "clash").get(), Conditions.READY)).isNotEqualTo("NodePortInUse");
        });
    }

    private static Secret secret(String ns, Map<String, String> data) {
        return new SecretBuilder().withNewMetadata().withName("chat-admin").withNamespace(ns).endMetadata().withData(data).build();
    }

    private static String hash(io.fabric8.kubernetes.api.model.apps.Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getAnnotations().get(ServerDeploymentDependentResource.CONFIG_HASH_ANNOTATION);
    }
}
