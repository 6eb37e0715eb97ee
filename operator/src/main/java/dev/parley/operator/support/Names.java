package dev.parley.operator.support;

import dev.parley.operator.api.v1alpha1.ChatService;

/** The name of every object the operator makes for a ChatService, in one place. */
public final class Names {
    /** The Redis pod's volume claim template; its PVC is {@code data-<name>-redis-0}. */
    public static final String REDIS_VOLUME = "data";
    public static final int REDIS_PORT = 6379;

    private Names() {
    }

    /** Deployment, client Service, PodDisruptionBudget and HorizontalPodAutoscaler of the chat servers. */
    public static String server(ChatService cr) {
        return cr.getMetadata().getName() + "-server";
    }

    /** Redis StatefulSet and its ClusterIP Service. */
    public static String redis(ChatService cr) {
        return cr.getMetadata().getName() + "-redis";
    }

    /** The PersistentVolumeClaim the Redis StatefulSet makes for its one pod. */
    public static String redisClaim(ChatService cr) {
        return REDIS_VOLUME + "-" + redis(cr) + "-0";
    }

    /** The Redis pod (the StatefulSet's only ordinal). */
    public static String redisPod(ChatService cr) {
        return redis(cr) + "-0";
    }

    /** What the chat servers connect to: the Redis Service in the same namespace. */
    public static String redisUrl(ChatService cr) {
        return "redis://" + redis(cr) + ":" + REDIS_PORT;
    }
}
