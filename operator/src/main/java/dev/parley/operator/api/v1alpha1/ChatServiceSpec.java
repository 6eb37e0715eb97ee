package dev.parley.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** What the user asks for. Defaults are in the schema (the API server fills them in). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!self.autoscaling.enabled || (has(self.resources.requests) && 'cpu' in self.resources.requests)",
        message = "autoscaling.enabled needs resources.requests.cpu: the autoscaler measures CPU against it",
        fieldPath = ".autoscaling.enabled")
@ValidationRule(value = "self.port != " + ChatServiceSpec.HTTP_PORT,
        message = "port " + ChatServiceSpec.HTTP_PORT + " is the chat server's HTTP port (health, metrics); choose another",
        fieldPath = ".port")
public class ChatServiceSpec {
    /** The chat server's HTTP port for probes and metrics, fixed inside the pod. */
    public static final int HTTP_PORT = 8080;

    @JsonPropertyDescription("Chat server image; unset uses the operator's configured image.")
    private String image;

    @JsonPropertyDescription("Pull policy for the chat server and Redis images.")
    @Default("IfNotPresent")
    private PullPolicy imagePullPolicy;

    @JsonPropertyDescription("Chat server replicas while autoscaling is off; also what `kubectl scale` sets.")
    @Default("2")
    @Min(0)
    @Max(100)
    @SpecReplicas
    private Integer replicas;

    @JsonPropertyDescription("Chat TCP port, in the pods and on the Service.")
    @Default("6000")
    @Min(1)
    @Max(65535)
    private Integer port;

    @JsonPropertyDescription("How clients reach the chat port.")
    @Default("{\"type\": \"NodePort\", \"nodePort\": 30060}")
    private ExposeSpec service;

    @JsonPropertyDescription("Requests and limits of each chat server container.")
    @Default("{\"requests\": {\"cpu\": \"100m\", \"memory\": \"256Mi\"}, \"limits\": {\"memory\": \"512Mi\"}}")
    private ComputeResources resources;

    @JsonPropertyDescription("A HorizontalPodAutoscaler on CPU for the chat server.")
    @Default("{}")
    private AutoscalingSpec autoscaling;

    @JsonPropertyDescription("The Redis that keeps users and history.")
    @Default("{}")
    private RedisSpec redis;

    @JsonPropertyDescription("Chat server settings.")
    @Default("{}")
    private ChatSettings chat;

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public PullPolicy getImagePullPolicy() { return imagePullPolicy; }
    public void setImagePullPolicy(PullPolicy imagePullPolicy) { this.imagePullPolicy = imagePullPolicy; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }
    public ExposeSpec getService() { return service; }
    public void setService(ExposeSpec service) { this.service = service; }
    public ComputeResources getResources() { return resources; }
    public void setResources(ComputeResources resources) { this.resources = resources; }
    public AutoscalingSpec getAutoscaling() { return autoscaling; }
    public void setAutoscaling(AutoscalingSpec autoscaling) { this.autoscaling = autoscaling; }
    public RedisSpec getRedis() { return redis; }
    public void setRedis(RedisSpec redis) { this.redis = redis; }
    public ChatSettings getChat() { return chat; }
    public void setChat(ChatSettings chat) { this.chat = chat; }

    /** Kubernetes' image pull policies, spelled as Kubernetes spells them. */
    public enum PullPolicy { Always, IfNotPresent, Never }
}
