package dev.parley.operator.support;

import dev.parley.operator.api.v1alpha1.ChatService;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The labels on every object the operator makes, and the selectors built from them. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String PART_OF = "app.kubernetes.io/part-of";

    public static final String APP = "parley";
    public static final String OPERATOR = "parley-operator";
    public static final String SERVER = "server";
    public static final String REDIS = "redis";

    /** Informer selectors: only what this operator made, split by component. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;
    public static final String SERVER_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=" + SERVER;
    public static final String REDIS_SELECTOR = MANAGED_SELECTOR + "," + COMPONENT + "=" + REDIS;

    private Labels() {
    }

    /**
     * The labels that select a component's pods. Deployment and StatefulSet selectors cannot
     * change once created, so nothing that may change (versions, images) goes in here.
     */
    public static Map<String, String> selector(ChatService cr, String component) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(NAME, APP);
        labels.put(INSTANCE, cr.getMetadata().getName());
        labels.put(COMPONENT, component);
        return labels;
    }

    /** Selector labels plus the ones that say who manages the object. */
    public static Map<String, String> of(ChatService cr, String component) {
        Map<String, String> labels = selector(cr, component);
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(PART_OF, APP);
        return labels;
    }

    /** {@code k=v,k=v} as the scale subresource and kubectl want it. */
    public static String selectorString(ChatService cr, String component) {
        return selector(cr, component).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    /** The ChatService an object belongs to, read from its instance label. */
    public static Optional<String> instanceOf(Map<String, String> labels) {
        return Optional.ofNullable(labels).map(l -> l.get(INSTANCE));
    }
}
