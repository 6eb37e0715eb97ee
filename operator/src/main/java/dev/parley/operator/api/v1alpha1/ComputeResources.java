package dev.parley.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Container requests and limits; every value must be a Kubernetes quantity (100m, 256Mi, 1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComputeResources {
    private static final String QUANTITIES = "self.all(k, isQuantity(string(self[k])))";
    private static final String NOT_QUANTITY = "every value must be a quantity such as 100m, 1, 256Mi or 1Gi";

    @JsonPropertyDescription("Minimum resources, e.g. cpu: 100m, memory: 256Mi.")
    @Size(max = 8)
    @ValidationRule(value = QUANTITIES, message = NOT_QUANTITY)
    private Map<String, Quantity> requests;

    @JsonPropertyDescription("Maximum resources, e.g. memory: 512Mi.")
    @Size(max = 8)
    @ValidationRule(value = QUANTITIES, message = NOT_QUANTITY)
    private Map<String, Quantity> limits;

    public Map<String, Quantity> getRequests() { return requests; }
    public void setRequests(Map<String, Quantity> requests) { this.requests = requests; }
    public Map<String, Quantity> getLimits() { return limits; }
    public void setLimits(Map<String, Quantity> limits) { this.limits = limits; }
}
