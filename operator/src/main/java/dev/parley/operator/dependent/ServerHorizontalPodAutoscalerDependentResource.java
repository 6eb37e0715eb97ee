package dev.parley.operator.dependent;

import dev.parley.operator.api.v1alpha1.AutoscalingSpec;
import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.support.Labels;
import dev.parley.operator.support.Names;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The autoscaler on the chat server Deployment's CPU, present only while autoscaling is on
 * ({@link AutoscalingEnabledCondition} deletes it otherwise).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerHorizontalPodAutoscalerDependentResource extends ChatServiceDependentResource<HorizontalPodAutoscaler> {

    public ServerHorizontalPodAutoscalerDependentResource() {
        super(HorizontalPodAutoscaler.class);
    }

    @Override
    protected String name(ChatService cr) {
        return Names.server(cr);
    }

    @Override
    protected HorizontalPodAutoscaler desired(ChatService cr, DesiredInputs inputs) {
        AutoscalingSpec autoscaling = cr.getSpec().getAutoscaling();
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(metadata(cr, Labels.SERVER))
                .withNewSpec()
                    .withNewScaleTargetRef("apps/v1", "Deployment", Names.server(cr))
                    .withMinReplicas(autoscaling.getMinReplicas())
                    .withMaxReplicas(autoscaling.getMaxReplicas())
                    .addNewMetric()
                        .withType("Resource")
                        .withNewResource()
                            .withName("cpu")
                            .withNewTarget()
                                .withType("Utilization")
                                .withAverageUtilization(autoscaling.getTargetCPUUtilizationPercentage())
                            .endTarget()
                        .endResource()
                    .endMetric()
                    .withNewBehavior()
                        .withNewScaleDown()
                            .withStabilizationWindowSeconds(autoscaling.getScaleDownStabilizationSeconds())
                        .endScaleDown()
                    .endBehavior()
                .endSpec()
                .build();
    }
}
