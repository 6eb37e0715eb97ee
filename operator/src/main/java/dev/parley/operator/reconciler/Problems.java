package dev.parley.operator.reconciler;

import dev.parley.operator.reconciler.Observed.Problem;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Puts an error from applying an object into a reason and a sentence a person can act on. */
final class Problems {
    private Problems() {
    }

    static Problem describe(String part, Exception error) {
        KubernetesClientException api = apiError(error);
        String what = switch (part) {
            case Observed.REDIS -> "the Redis StatefulSet";
            case Observed.REDIS_SERVICE -> "the Redis Service";
            case Observed.SERVER -> "the chat server Deployment";
            case Observed.SERVICE -> "the chat Service";
            case Observed.DISRUPTION_BUDGET -> "the chat server PodDisruptionBudget";
            case Observed.AUTOSCALER -> "the chat server HorizontalPodAutoscaler";
            default -> part;
        };
        String detail = api != null && api.getStatus() != null && api.getStatus().getMessage() != null
                ? api.getStatus().getMessage() : rootMessage(error);
        if (Observed.SERVICE.equals(part) && api != null && api.getCode() == 422 && detail.contains("already allocated")) {
            return new Problem("NodePortInUse", "The node port in spec.service.nodePort is taken by another Service ("
                    + detail + "); choose a free one, or leave nodePort out to let Kubernetes pick");
        }
        if (api != null && (api.getCode() == 422 || api.getCode() == 400)) {
            return new Problem("InvalidSpec", "Kubernetes refused " + what + ": " + detail);
        }
        return new Problem("ReconcileFailed", "Could not apply " + what + ": " + detail + "; retrying");
    }

    private static KubernetesClientException apiError(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k) {
                return k;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
