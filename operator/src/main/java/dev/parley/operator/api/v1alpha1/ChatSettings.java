package dev.parley.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Settings passed to every chat server replica. Defaults and limits are the chat server's own
 * (ServerCommand), so that a value the API server takes never stops a pod from starting.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChatSettings {
    /**
     * The chat server's duration grammar (parley-cli's DurationConverter) in the form the schema
     * checks: a bare 0, a number and a unit, or an ISO-8601 time of hours, minutes and seconds.
     * Days and numbers of more than six digits are left out: no chat duration is that long, and
     * so CEL's duration() below never overflows.
     */
    static final String DURATION = "^(0|[0-9]{1,6}(us|ms|s|m|h)"
            + "|PT(([0-9]{1,6}H)?([0-9]{1,6}M)?[0-9]{1,6}([.][0-9]{1,9})?S|([0-9]{1,6}H)?[0-9]{1,6}M|[0-9]{1,6}H))$";
    /** PT1M30S lower-cased without its PT is 1m30s, which CEL's duration() reads like 90s. */
    private static final String LOGIN_BACKOFF_AT_MOST_1M =
            "!self.matches('" + DURATION + "') || duration(self.replace('PT', '').lowerAscii()) <= duration('1m')";
    private static final String STORE_LINGER_AT_MOST_10MS =
            "!self.matches('" + DURATION + "') || duration(self.replace('PT', '').lowerAscii()) <= duration('10ms')";

    @JsonPropertyDescription("Frames a second each connection may send; 0 turns the limit off.")
    @Default("50")
    @Min(0)
    @Max(100000)
    private Integer rateLimit;

    @JsonPropertyDescription("Messages kept per conversation, at least.")
    @Default("10000")
    @Min(100)
    @Max(10000000)
    private Integer historyRetention;

    @JsonPropertyDescription("After 5 wrong passwords in a row for one account, its logins are refused for this long, "
            + "doubling with each further wrong one; 0 turns it off. A number and a unit (ms, s, m, h) or ISO-8601 "
            + "such as PT10S, at most 1m.")
    @Default("1s")
    @Size(max = 40)
    @Pattern(DURATION)
    @ValidationRule(value = LOGIN_BACKOFF_AT_MOST_1M, message = "must be at most 1m")
    private String loginBackoff;

    @JsonPropertyDescription("Logins that may wait for a password check on each replica; more are refused at once.")
    @Default("64")
    @Min(1)
    @Max(100000)
    private Integer authQueue;

    @JsonPropertyDescription("Sessions one user may have on each replica at once.")
    @Default("20")
    @Min(1)
    @Max(100000)
    private Integer maxSessionsPerUser;

    @JsonPropertyDescription("PBKDF2 iterations for new password hashes.")
    @Default("600000")
    @Min(1000)
    @Max(10000000)
    private Integer passwordIterations;

    @JsonPropertyDescription("When only a few sends wait to be stored, the server waits up to this much longer for "
            + "more (no longer once there are 8), so Redis gets fewer, larger writes: less CPU at moderate load for at "
            + "most this much latency; 0 turns it off. "
            + "A number and a unit (us, ms) or ISO-8601 such as PT0.001S, at most 10ms.")
    @Default("500us")
    @Size(max = 40)
    @Pattern(DURATION)
    @ValidationRule(value = STORE_LINGER_AT_MOST_10MS, message = "must be at most 10ms")
    private String storeLinger;

    @JsonPropertyDescription("Secret key holding the bearer token for POST /admin/broadcast; unset disables it.")
    private SecretKeyRef adminTokenSecretRef;

    public Integer getRateLimit() { return rateLimit; }
    public void setRateLimit(Integer rateLimit) { this.rateLimit = rateLimit; }
    public Integer getHistoryRetention() { return historyRetention; }
    public void setHistoryRetention(Integer historyRetention) { this.historyRetention = historyRetention; }
    public String getLoginBackoff() { return loginBackoff; }
    public void setLoginBackoff(String loginBackoff) { this.loginBackoff = loginBackoff; }
    public Integer getAuthQueue() { return authQueue; }
    public void setAuthQueue(Integer authQueue) { this.authQueue = authQueue; }
    public Integer getMaxSessionsPerUser() { return maxSessionsPerUser; }
    public void setMaxSessionsPerUser(Integer maxSessionsPerUser) { this.maxSessionsPerUser = maxSessionsPerUser; }
    public Integer getPasswordIterations() { return passwordIterations; }
    public void setPasswordIterations(Integer passwordIterations) { this.passwordIterations = passwordIterations; }
    public String getStoreLinger() { return storeLinger; }
    public void setStoreLinger(String storeLinger) { this.storeLinger = storeLinger; }
    public SecretKeyRef getAdminTokenSecretRef() { return adminTokenSecretRef; }
    public void setAdminTokenSecretRef(SecretKeyRef adminTokenSecretRef) { this.adminTokenSecretRef = adminTokenSecretRef; }
}
