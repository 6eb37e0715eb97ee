package dev.parley.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.operator.Fixtures;
import dev.parley.operator.api.v1alpha1.ChatService;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/** The small decisions around the reconciler: which updates pass, and how errors are put in words. */
class ReconcilerPiecesTest {
    private final ChatServiceReconciler.SpecOrPauseChanged filter = new ChatServiceReconciler.SpecOrPauseChanged();

    @Test
    void specChangesAndPauseTogglesPassStatusOnlyChangesDoNot() {
        ChatService old = Fixtures.chatService();
        ChatService statusOnly = Fixtures.chatService();
        statusOnly.getMetadata().setResourceVersion("99");
        assertThat(filter.accept(statusOnly, old)).isFalse();

        ChatService newGeneration = Fixtures.chatService();
        newGeneration.getMetadata().setGeneration(2L);
        assertThat(filter.accept(newGeneration, old)).isTrue();

        ChatService paused = Fixtures.chatService();
        paused.getMetadata().setAnnotations(new HashMap<>());
        paused.getMetadata().getAnnotations().put(ChatServiceReconciler.PAUSED_ANNOTATION, "true");
        assertThat(filter.accept(paused, old)).isTrue();
        assertThat(filter.accept(old, paused)).isTrue();
        assertThat(ChatServiceReconciler.isPaused(paused)).isTrue();
        paused.getMetadata().getAnnotations().put(ChatServiceReconciler.PAUSED_ANNOTATION, "no");
        assertThat(ChatServiceReconciler.isPaused(paused)).isFalse();
    }

    @Test
    void aNodePortClashIsNamedAndOtherRefusalsAreInvalidSpec() {
        var clash = new KubernetesClientException(new StatusBuilder().withCode(422)
                .withMessage("Service \"demo-server\" is invalid: spec.ports[0].nodePort: Invalid value: 30060: provided port is already allocated")
                .build());
        Observed.Problem p = Problems.describe(Observed.SERVICE, clash);
        assertThat(p.reason()).isEqualTo("NodePortInUse");
        assertThat(p.message()).contains("provided port is already allocated").contains("choose a free one");

        var forbidden = new KubernetesClientException(new StatusBuilder().withCode(422)
                .withMessage("StatefulSet.apps \"demo-redis\" is invalid: spec: Forbidden: updates to statefulset spec ...").build());
        assertThat(Problems.describe(Observed.REDIS, forbidden))
                .isEqualTo(new Observed.Problem("InvalidSpec", "Kubernetes refused the Redis StatefulSet: "
                        + "StatefulSet.apps \"demo-redis\" is invalid: spec: Forbidden: updates to statefulset spec ..."));

        var down = new RuntimeException("wrapped", new java.net.ConnectException("Connection refused"));
        assertThat(Problems.describe(Observed.SERVER, down))
                .isEqualTo(new Observed.Problem("ReconcileFailed", "Could not apply the chat server Deployment: Connection refused; retrying"));
    }
}
