package dev.parley.operator.dependent;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.support.Labels;
import dev.parley.operator.support.Names;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Voluntary disruptions (node drains) take at most one chat server pod at a time; its clients
 * reconnect to the others and resume where they were.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerPodDisruptionBudgetDependentResource extends ChatServiceDependentResource<PodDisruptionBudget> {

    public ServerPodDisruptionBudgetDependentResource() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected String name(ChatService cr) {
        return Names.server(cr);
    }

    @Override
    protected PodDisruptionBudget desired(ChatService cr, DesiredInputs inputs) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(metadata(cr, Labels.SERVER))
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector().withMatchLabels(Labels.selector(cr, Labels.SERVER)).endSelector()
                .endSpec()
                .build();
    }
}
