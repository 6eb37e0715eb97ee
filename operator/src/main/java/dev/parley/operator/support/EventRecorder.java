package dev.parley.operator.support;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on a ChatService (what {@code kubectl describe chat} shows) and logs
 * the same line. Actions ({@link #normal}) are recorded each time; states ({@link #state}: a
 * problem, readiness reached) once per {@link #REPEAT_AFTER} for the same reason and message, so
 * a problem that persists, or two reconciliations that both see it appear, say it once.
 */
public final class EventRecorder {
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    static final Duration REPEAT_AFTER = Duration.ofMinutes(5);
    private static final int REMEMBERED = 2048;
    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

    private final KubernetesClient client;
    private final String instance;
    private final Clock clock;
    private final Map<String, Instant> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > REMEMBERED;
        }
    };

    public EventRecorder(KubernetesClient client, String instance, Clock clock) {
        this.client = client;
        this.instance = instance;
        this.clock = clock;
    }

    /** Something the operator did, e.g. created an object. */
    public void normal(HasMetadata on, String reason, String message) {
        record(on, NORMAL, reason, message);
    }

    /** A state the ChatService reached: {@link #WARNING} for a problem, {@link #NORMAL} otherwise. */
    public void state(HasMetadata on, String type, String reason, String message) {
        Instant now = clock.instant();
        String key = on.getMetadata().getUid() + "|" + reason + "|" + message;
        synchronized (recent) {
            Instant last = recent.get(key);
            if (last != null && last.plus(REPEAT_AFTER).isAfter(now)) {
                return;
            }
            recent.put(key, now);
        }
        record(on, type, reason, message);
    }

    private void record(HasMetadata on, String type, String reason, String message) {
        String where = on.getMetadata().getNamespace() + "/" + on.getMetadata().getName();
        if (WARNING.equals(type)) {
            log.warn("{}: {}: {}", where, reason, message);
        } else {
            log.info("{}: {}: {}", where, reason, message);
        }
        Instant now = clock.instant();
        String time = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        var event = new EventBuilder()
                .withNewMetadata()
                    .withGenerateName(on.getMetadata().getName() + ".")
                    .withNamespace(on.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(on.getApiVersion()).withKind(on.getKind())
                        .withName(on.getMetadata().getName()).withNamespace(on.getMetadata().getNamespace())
                        .withUid(on.getMetadata().getUid())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                .withNewSource(Labels.OPERATOR, null)
                .withReportingComponent(Labels.OPERATOR)
                .withReportingInstance(instance)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(on.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy: the log line above carries the same, so carry on.
            log.debug("{}: could not record event {}: {}", where, reason, e.getMessage());
        }
    }
}
