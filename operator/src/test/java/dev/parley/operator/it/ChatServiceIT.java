package dev.parley.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.operator.Fixtures;
import dev.parley.operator.api.v1alpha1.ChatService;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KubeExtension.class)
class ChatServiceIT {

    static ChatService minimal(String namespace, String name) {
        ChatService cr = new ChatService();
        cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        cr.setSpec(new dev.parley.operator.api.v1alpha1.ChatServiceSpec());
        return cr;
    }

    @Test
    void createsEverything(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("create");
        client.resource(minimal(ns, "demo")).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Deployment d = client.apps().deployments().inNamespace(ns).withName("demo-server").get();
            assertThat(d).isNotNull();
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            ChatService cr = client.resources(ChatService.class).inNamespace(ns).withName("demo").get();
            assertThat(cr.getStatus()).isNotNull();
            System.out.println(Fixtures.yaml(cr));
            assertThat(cr.getStatus().getConditions()).isNotEmpty();
        });
    }
}
