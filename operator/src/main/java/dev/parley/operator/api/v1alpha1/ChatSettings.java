package dev.parley.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Settings passed to every chat server replica. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChatSettings {
    @JsonPropertyDescription("Frames a second each connection may send; 0 turns the limit off.")
    @Default("50")
    @Min(0)
    @Max(100000)
    private Integer rateLimit;

    @JsonPropertyDescription("Messages kept per conversation, at least.")
    @Default("10000")
    @Min(1)
    @Max(10000000)
    private Integer historyRetention;

    @JsonPropertyDescription("Secret key holding the bearer token for POST /admin/broadcast; unset disables it.")
    private SecretKeyRef adminTokenSecretRef;

    public Integer getRateLimit() { return rateLimit; }
    public void setRateLimit(Integer rateLimit) { this.rateLimit = rateLimit; }
    public Integer getHistoryRetention() { return historyRetention; }
    public void setHistoryRetention(Integer historyRetention) { this.historyRetention = historyRetention; }
    public SecretKeyRef getAdminTokenSecretRef() { return adminTokenSecretRef; }
    public void setAdminTokenSecretRef(SecretKeyRef adminTokenSecretRef) { this.adminTokenSecretRef = adminTokenSecretRef; }
}
