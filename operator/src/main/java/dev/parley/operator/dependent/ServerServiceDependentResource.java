package dev.parley.operator.dependent;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.api.v1alpha1.ExposeSpec;
import dev.parley.operator.support.Labels;
import dev.parley.operator.support.Names;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The Service clients connect to: NodePort (30060 unless the spec says otherwise), LoadBalancer
 * or ClusterIP, on the chat port. A node port left unset is chosen by Kubernetes and left alone.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerServiceDependentResource extends ChatServiceDependentResource<Service> {

    public ServerServiceDependentResource() {
        super(Service.class);
    }

    @Override
    protected String name(ChatService cr) {
        return Names.server(cr);
    }

    @Override
    protected Service desired(ChatService cr, DesiredInputs inputs) {
        ExposeSpec expose = cr.getSpec().getService();
        Integer nodePort = expose.getType() == ExposeSpec.Type.ClusterIP ? null : expose.getNodePort();
        return new ServiceBuilder()
                .withMetadata(metadata(cr, Labels.SERVER))
                .withNewSpec()
                    .withType(expose.getType().name())
                    .withSelector(Labels.selector(cr, Labels.SERVER))
                    .addNewPort()
                        .withName("chat")
                        .withProtocol("TCP")
                        .withPort(cr.getSpec().getPort())
                        .withTargetPort(new IntOrString("chat"))
                        .withNodePort(nodePort)
                    .endPort()
                .endSpec()
                .build();
    }
}
