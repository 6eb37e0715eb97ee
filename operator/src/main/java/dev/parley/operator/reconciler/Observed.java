package dev.parley.operator.reconciler;

import dev.parley.operator.dependent.AdminToken;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.List;
import java.util.Map;

/**
 * Everything the status is computed from, as the informers hold it at the end of a
 * reconciliation; null where an object does not exist.
 *
 * @param problems what could not be applied, by the object it concerns, already put in words
 */
public record Observed(
        StatefulSet redis,
        PersistentVolumeClaim redisClaim,
        List<Pod> redisPods,
        Deployment server,
        List<Pod> serverPods,
        Service service,
        HorizontalPodAutoscaler autoscaler,
        AdminToken adminToken,
        Map<String, Problem> problems,
        boolean paused) {

    /** Names under which {@link #problems} are filed: one per object the operator applies. */
    public static final String REDIS = "redis-statefulset";
    public static final String REDIS_SERVICE = "redis-service";
    public static final String SERVER = "server-deployment";
    public static final String SERVICE = "server-service";
    public static final String DISRUPTION_BUDGET = "server-pdb";
    public static final String AUTOSCALER = "server-hpa";

    /**
     * An object that could not be applied.
     *
     * @param reason CamelCase, for the Ready condition and the Event
     * @param message a sentence a person can act on
     */
    public record Problem(String reason, String message) {
    }
}
