package dev.parley.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The condition types of a ChatService, and how a condition keeps its transition time. */
public final class Conditions {
    public static final String READY = "Ready";
    public static final String REDIS_READY = "RedisReady";
    public static final String SERVER_READY = "ServerReady";
    public static final String AUTOSCALING = "Autoscaling";
    public static final String PAUSED = "Paused";

    public static final String TRUE = "True";
    public static final String FALSE = "False";

    private Conditions() {
    }

    /**
     * A condition with the given state; its lastTransitionTime is the previous one's when the
     * status did not change, else {@code now}.
     */
    public static Condition of(String type, boolean status, String reason, String message, Long generation,
            List<Condition> previous, Instant now) {
        String statusText = status ? TRUE : FALSE;
        String since = find(previous, type)
                .filter(c -> statusText.equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .map(Condition::getLastTransitionTime)
                .orElse(DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
        return new ConditionBuilder()
                .withType(type)
                .withStatus(statusText)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build();
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
    }
}
