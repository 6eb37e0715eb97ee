package dev.parley.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed, written through the status subresource only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChatServiceStatus {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Ready, RedisReady, ServerReady, Autoscaling and Paused.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Chat server pods that exist.")
    @StatusReplicas
    private Integer replicas;

    @JsonPropertyDescription("Chat server pods that are ready.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Label selector of the chat server pods, for the scale subresource.")
    @LabelSelector
    private String selector;

    @JsonPropertyDescription("Where clients connect, e.g. NodePort 30060.")
    private String endpoint;

    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public List<Condition> getConditions() { return conditions; }
    public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public Integer getReadyReplicas() { return readyReplicas; }
    public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
    public String getSelector() { return selector; }
    public void setSelector(String selector) { this.selector = selector; }
    public String getEndpoint() { return endpoint; }
    public void setEndpoint(String endpoint) { this.endpoint = endpoint; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChatServiceStatus s && Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(conditions, s.conditions) && Objects.equals(replicas, s.replicas)
                && Objects.equals(readyReplicas, s.readyReplicas) && Objects.equals(selector, s.selector)
                && Objects.equals(endpoint, s.endpoint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(observedGeneration, conditions, replicas, readyReplicas, selector, endpoint);
    }
}
