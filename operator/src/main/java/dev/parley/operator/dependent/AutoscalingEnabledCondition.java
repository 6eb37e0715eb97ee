package dev.parley.operator.dependent;

import dev.parley.operator.api.v1alpha1.ChatService;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The autoscaler exists while spec.autoscaling.enabled is true; when false the workflow deletes it. */
public class AutoscalingEnabledCondition implements Condition<HorizontalPodAutoscaler, ChatService> {
    @Override
    public boolean isMet(DependentResource<HorizontalPodAutoscaler, ChatService> dependentResource, ChatService cr,
            Context<ChatService> context) {
        return cr.getSpec().getAutoscaling().isOn();
    }
}
