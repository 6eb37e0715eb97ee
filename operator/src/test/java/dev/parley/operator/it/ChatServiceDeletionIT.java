package dev.parley.operator.it;

import static dev.parley.operator.it.ChatServices.eventually;
import static dev.parley.operator.it.ChatServices.minimal;
import static dev.parley.operator.it.ChatServices.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Deleting a ChatService removes what it owns; its Redis volume only when keepOnDelete is false. */
@ExtendWith(KubeExtension.class)
class ChatServiceDeletionIT {

    @Test
    void theVolumeOutlivesTheChatServiceAndANewOneOfTheSameNameTakesItOver(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("keep");
        int nodePort = NodePorts.next();
        client.resource(minimal(ns, "demo", nodePort)).create();
        var claim = client.persistentVolumeClaims().inNamespace(ns).withName("data-demo-redis-0");
        eventually().until(() -> claim.get() != null && allOwnedExist(client, ns));
        String claimUid = claim.get().getMetadata().getUid();

        resource(client, ns, "demo").delete();
        eventually().untilAsserted(() -> assertThat(noneOwnedExist(client, ns)).isTrue());
        PersistentVolumeClaim kept = claim.get();
        assertThat(kept).isNotNull();
        assertThat(kept.getMetadata().getDeletionTimestamp()).isNull();
        assertThat(kept.getMetadata().getOwnerReferences()).isEmpty();

        client.resource(minimal(ns, "demo", nodePort)).create();
        eventually().until(() -> allOwnedExist(client, ns));
        assertThat(claim.get().getMetadata().getUid()).as("the same claim, with its data").isEqualTo(claimUid);
        assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems()).hasSize(1);
    }

    @Test
    void withoutKeepOnDeleteTheVolumeGoesToo(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("drop");
        var cr = minimal(ns, "demo", NodePorts.next());
        cr.getSpec().setRedis(new dev.parley.operator.api.v1alpha1.RedisSpec());
        cr.getSpec().getRedis().setStorage(new dev.parley.operator.api.v1alpha1.StorageSpec());
        cr.getSpec().getRedis().getStorage().setKeepOnDelete(false);
        client.resource(cr).create();
        var claim = client.persistentVolumeClaims().inNamespace(ns).withName("data-demo-redis-0");
        // The StatefulSet controller makes its claim owned by the StatefulSet when asked to delete it.
        eventually().untilAsserted(() -> assertThat(claim.get().getMetadata().getOwnerReferences())
                .extracting(OwnerReference::getKind).containsExactly("StatefulSet"));

        resource(client, ns, "demo").delete();
        eventually().untilAsserted(() -> {
            assertThat(noneOwnedExist(client, ns)).isTrue();
            assertThat(claim.get()).isNull();
        });
    }

    @Test
    void keepOnDeleteCanBeTurnedOffLater(TestKube kube) {
        KubernetesClient client = kube.client();
        String ns = kube.namespace("later");
        client.resource(minimal(ns, "demo", NodePorts.next())).create();
        var claim = client.persistentVolumeClaims().inNamespace(ns).withName("data-demo-redis-0");
        eventually().until(() -> claim.get() != null);
        ChatServices.edit(resource(client, ns, "demo"), c -> {
            c.getSpec().getRedis().getStorage().setKeepOnDelete(false);
            return c;
        });
        eventually().untilAsserted(() -> assertThat(claim.get().getMetadata().getOwnerReferences())
                .extracting(OwnerReference::getKind).containsExactly("StatefulSet"));
        resource(client, ns, "demo").delete();
        eventually().until(() -> claim.get() == null);
    }

    private static boolean allOwnedExist(KubernetesClient client, String ns) {
        return owned(client, ns).allMatch(o -> o != null);
    }

    private static boolean noneOwnedExist(KubernetesClient client, String ns) {
        return owned(client, ns).allMatch(o -> o == null);
    }

    private static Stream<Object> owned(KubernetesClient client, String ns) {
        return Stream.of(
                client.apps().statefulSets().inNamespace(ns).withName("demo-redis").get(),
                client.services().inNamespace(ns).withName("demo-redis").get(),
                client.apps().deployments().inNamespace(ns).withName("demo-server").get(),
                client.services().inNamespace(ns).withName("demo-server").get(),
                client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("demo-server").get());
    }
}
