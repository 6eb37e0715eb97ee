package dev.parley.operator.it;

import static org.awaitility.Awaitility.await;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.api.v1alpha1.ChatServiceSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionFactory;

/** What the operator's integration tests do again and again with ChatServices. */
public final class ChatServices {
    private ChatServices() {
    }

    /** A ChatService with an empty spec: everything from the CRD's defaults. */
    public static ChatService minimal(String namespace, String name) {
        ChatService cr = new ChatService();
        cr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        cr.setSpec(new ChatServiceSpec());
        return cr;
    }

    /** A minimal ChatService on a node port of its own (30060 is the default every test would share). */
    public static ChatService minimal(String namespace, String name, int nodePort) {
        ChatService cr = minimal(namespace, name);
        var expose = new dev.parley.operator.api.v1alpha1.ExposeSpec();
        expose.setType(dev.parley.operator.api.v1alpha1.ExposeSpec.Type.NodePort);
        expose.setNodePort(nodePort);
        cr.getSpec().setService(expose);
        return cr;
    }

    public static Resource<ChatService> resource(KubernetesClient client, String namespace, String name) {
        return client.resources(ChatService.class).inNamespace(namespace).withName(name);
    }

    /**
     * Edits like {@code kubectl edit}: read, change, write, and again on a conflict (the operator
     * writes status at any moment). At most 20 tries.
     */
    public static <T extends HasMetadata> T edit(Resource<T> resource, UnaryOperator<T> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return resource.edit(change);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    public static Optional<Condition> condition(ChatService cr, String type) {
        if (cr == null || cr.getStatus() == null) {
            return Optional.empty();
        }
        return cr.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static String reason(ChatService cr, String type) {
        return condition(cr, type).map(Condition::getReason).orElse(null);
    }

    /** Polls every 200 ms for at most a minute: the operator reacts in well under that. */
    public static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions();
    }

    /** The field managers that own a Deployment's spec.replicas. */
    public static List<String> replicaOwners(Deployment d) {
        return d.getMetadata().getManagedFields().stream()
                .filter(e -> e.getFieldsV1() != null
                        && e.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec
                        && spec.containsKey("f:replicas"))
                .map(ManagedFieldsEntry::getManager)
                .toList();
    }

    /** Events recorded on {@code object}. */
    public static List<Event> eventsOn(KubernetesClient client, HasMetadata object) {
        return client.v1().events().inNamespace(object.getMetadata().getNamespace()).list().getItems().stream()
                .filter(e -> object.getMetadata().getName().equals(e.getInvolvedObject().getName())
                        && object.getKind().equals(e.getInvolvedObject().getKind()))
                .toList();
    }
}
