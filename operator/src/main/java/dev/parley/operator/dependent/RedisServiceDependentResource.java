package dev.parley.operator.dependent;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.support.Labels;
import dev.parley.operator.support.Names;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The ClusterIP Service the chat servers reach Redis through (and the StatefulSet's service). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.REDIS_SELECTOR))
public class RedisServiceDependentResource extends ChatServiceDependentResource<Service> {

    public RedisServiceDependentResource() {
        super(Service.class);
    }

    @Override
    protected String name(ChatService cr) {
        return Names.redis(cr);
    }

    @Override
    protected Service desired(ChatService cr, DesiredInputs inputs) {
        return new ServiceBuilder()
                .withMetadata(metadata(cr, Labels.REDIS))
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(Labels.selector(cr, Labels.REDIS))
                    .addNewPort()
                        .withName("redis")
                        .withPort(Names.REDIS_PORT)
                        .withTargetPort(new IntOrString("redis"))
                    .endPort()
                .endSpec()
                .build();
    }
}
