package dev.parley.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** A HorizontalPodAutoscaler for the chat server Deployment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// has(): the API server also checks rules against the schema's "{}" default, before nested defaults.
@ValidationRule(value = "!has(self.minReplicas) || !has(self.maxReplicas) || self.minReplicas <= self.maxReplicas",
        message = "minReplicas must not be greater than maxReplicas", fieldPath = ".minReplicas")
public class AutoscalingSpec {
    @JsonPropertyDescription("On: the autoscaler owns the replica count. Off: spec.replicas does.")
    @Default("false")
    private Boolean enabled;

    @JsonPropertyDescription("Fewest chat server replicas the autoscaler keeps.")
    @Default("2")
    @Min(1)
    @Max(100)
    private Integer minReplicas;

    @JsonPropertyDescription("Most chat server replicas the autoscaler starts.")
    @Default("10")
    @Min(1)
    @Max(100)
    private Integer maxReplicas;

    @JsonPropertyDescription("Average CPU use, in percent of the CPU request, the autoscaler aims for.")
    @Default("70")
    @Min(1)
    @Max(100)
    private Integer targetCPUUtilizationPercentage;

    @JsonPropertyDescription("Seconds the autoscaler must see lower CPU use before it removes chat pods"
            + " (Kubernetes' own default is 300). Shorter follows the load down sooner; every pod removed"
            + " makes its clients reconnect.")
    @Default("300")
    @Min(0)
    @Max(3600)
    private Integer scaleDownStabilizationSeconds;

    public Boolean getEnabled() { return enabled; }
    public void setEnabled(Boolean enabled) { this.enabled = enabled; }
    public Integer getMinReplicas() { return minReplicas; }
    public void setMinReplicas(Integer minReplicas) { this.minReplicas = minReplicas; }
    public Integer getMaxReplicas() { return maxReplicas; }
    public void setMaxReplicas(Integer maxReplicas) { this.maxReplicas = maxReplicas; }
    public Integer getTargetCPUUtilizationPercentage() { return targetCPUUtilizationPercentage; }
    public void setTargetCPUUtilizationPercentage(Integer value) { this.targetCPUUtilizationPercentage = value; }
    public Integer getScaleDownStabilizationSeconds() { return scaleDownStabilizationSeconds; }
    public void setScaleDownStabilizationSeconds(Integer value) { this.scaleDownStabilizationSeconds = value; }

    /** True when the autoscaler, not spec.replicas, decides the replica count. */
    @JsonIgnore
    public boolean isOn() { return Boolean.TRUE.equals(enabled); }
}
