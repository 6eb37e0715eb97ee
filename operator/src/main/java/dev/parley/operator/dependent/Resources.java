package dev.parley.operator.dependent;

import dev.parley.operator.api.v1alpha1.ComputeResources;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.TreeMap;

/** Turns the spec's requests and limits into a container's resource requirements. */
final class Resources {
    private Resources() {
    }

    static ResourceRequirements of(ComputeResources resources) {
        var builder = new ResourceRequirementsBuilder();
        if (resources != null && resources.getRequests() != null && !resources.getRequests().isEmpty()) {
            builder.withRequests(new TreeMap<>(resources.getRequests()));
        }
        if (resources != null && resources.getLimits() != null && !resources.getLimits().isEmpty()) {
            builder.withLimits(new TreeMap<>(resources.getLimits()));
        }
        return builder.build();
    }
}
