package dev.parley.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** The Service in front of the chat servers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 'ClusterIP' || !has(self.nodePort)",
        message = "nodePort can only be set when type is NodePort or LoadBalancer", fieldPath = ".nodePort")
public class ExposeSpec {
    @JsonPropertyDescription("NodePort (default), LoadBalancer or ClusterIP.")
    @Default("NodePort")
    private Type type;

    @JsonPropertyDescription("Node port for the chat port; unset lets Kubernetes choose one.")
    @Min(30000)
    @Max(32767)
    private Integer nodePort;

    public Type getType() { return type; }
    public void setType(Type type) { this.type = type; }
    public Integer getNodePort() { return nodePort; }
    public void setNodePort(Integer nodePort) { this.nodePort = nodePort; }

    /** Service types, spelled as Kubernetes spells them. */
    public enum Type { NodePort, LoadBalancer, ClusterIP }
}
