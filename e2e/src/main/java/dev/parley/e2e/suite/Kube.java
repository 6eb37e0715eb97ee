package dev.parley.e2e.suite;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What the suite does to the deployed chat service, through the API server in KUBECONFIG: change
 * the ChatService's spec, delete pods, and read back what the operator and Kubernetes made of it.
 * Names follow the operator's: {@code <name>-server}, {@code <name>-redis-0}.
 */
final class Kube implements AutoCloseable {
    private static final String OPERATOR_LABEL = "app.kubernetes.io/name";
    private static final String OPERATOR_NAME = "chat-operator";
    private static final long POLL_MILLIS = 1000;

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String operatorNamespace;

    Kube(String namespace, String name, String operatorNamespace) {
        this.client = new KubernetesClientBuilder().build();
        this.namespace = namespace;
        this.name = name;
        this.operatorNamespace = operatorNamespace;
    }

    String describe() {
        return "ChatService " + namespace + "/" + name + " on " + client.getMasterUrl();
    }

    private Resource<GenericKubernetesResource> chatService() {
        return client.genericKubernetesResources("chat.parley.dev/v1alpha1", "ChatService")
                .inNamespace(namespace).withName(name);
    }

    /** Merges {@code specJson} (a JSON object) into the ChatService's spec. */
    void patchSpec(String specJson) {
        chatService().patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + specJson + "}");
    }

    /** The ChatService's Ready condition status ("True", "False", or "Unknown" when absent). */
    String readyCondition() {
        GenericKubernetesResource cr = chatService().get();
        if (cr == null) {
            return "Unknown";
        }
        Object status = cr.getAdditionalProperties().get("status");
        if (status instanceof Map<?, ?> s && s.get("conditions") instanceof List<?> conditions) {
            for (Object c : conditions) {
                if (c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))) {
                    return String.valueOf(m.get("status"));
                }
            }
        }
        return "Unknown";
    }

    private Resource<Deployment> serverDeployment() {
        return client.apps().deployments().inNamespace(namespace).withName(name + "-server");
    }

    /** Replicas of the chat server: {desired, ready}; {0, 0} when there is no Deployment. */
    int[] serverReplicas() {
        Deployment d = serverDeployment().get();
        if (d == null) {
            return new int[] {0, 0};
        }
        int desired = d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
        int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                : d.getStatus().getReadyReplicas();
        return new int[] {desired, ready};
    }

    /** The image of the chat server's pod template. */
    String serverImage() {
        return serverDeployment().get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /**
     * Whether the chat server has rolled out completely to {@code replicas} pods (any number when
     * negative) of {@code image} (any when null): nothing old left, every pod ready.
     */
    boolean serverSettled(int replicas, String image) {
        Deployment d = serverDeployment().get();
        if (d == null || d.getStatus() == null) {
            return false;
        }
        var st = d.getStatus();
        int want = d.getSpec().getReplicas();
        boolean settled = Objects.equals(st.getObservedGeneration(), d.getMetadata().getGeneration())
                && Objects.equals(st.getReplicas(), want) && Objects.equals(st.getUpdatedReplicas(), want)
                && Objects.equals(st.getReadyReplicas(), want) && Objects.equals(st.getAvailableReplicas(), want);
        if (!settled || (replicas >= 0 && want != replicas)) {
            return false;
        }
        if (image != null && !image.equals(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())) {
            return false;
        }
        // Pods of the old version on their way out still count until they are gone.
        return serverPods(d).size() == want;
    }

    private List<Pod> serverPods(Deployment d) {
        return client.pods().inNamespace(namespace).withLabels(d.getSpec().getSelector().getMatchLabels())
                .list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    /** Deletes the oldest chat server pod at once (no grace period, like a crash); returns its name. */
    String killServerPod() {
        Pod pod = serverPods(serverDeployment().get()).stream()
                .min(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()))
                .orElseThrow(() -> new IllegalStateException("no chat server pod to delete"));
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).withGracePeriod(0).delete();
        return pod.getMetadata().getName();
    }

    String redisPod() {
        return name + "-redis-0";
    }

    /** Deletes the Redis pod at once (no grace period); returns the uid of the pod deleted. */
    String killRedisPod() {
        Pod pod = client.pods().inNamespace(namespace).withName(redisPod()).get();
        if (pod == null) {
            throw new IllegalStateException("no pod " + redisPod());
        }
        client.pods().inNamespace(namespace).withName(redisPod()).withGracePeriod(0).delete();
        return pod.getMetadata().getUid();
    }

    /** Whether a Redis pod other than {@code oldUid} runs and is ready. */
    boolean redisReplaced(String oldUid) {
        Pod pod = client.pods().inNamespace(namespace).withName(redisPod()).get();
        return pod != null && !pod.getMetadata().getUid().equals(oldUid) && ready(pod);
    }

    /** The autoscaler's wanted replicas, or -1 when there is none. */
    int autoscalerDesired() {
        HorizontalPodAutoscaler hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace)
                .withName(name + "-server").get();
        if (hpa == null || hpa.getStatus() == null || hpa.getStatus().getDesiredReplicas() == null) {
            return -1;
        }
        return hpa.getStatus().getDesiredReplicas();
    }

    private List<Pod> operatorPods() {
        return client.pods().inNamespace(operatorNamespace).withLabel(OPERATOR_LABEL, OPERATOR_NAME)
                .list().getItems().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** Deletes the operator's pods (its Deployment starts new ones); returns their names. */
    List<String> killOperator() {
        List<Pod> pods = operatorPods();
        if (pods.isEmpty()) {
            throw new IllegalStateException("no operator pod (label " + OPERATOR_LABEL + "=" + OPERATOR_NAME
                    + ") in namespace " + operatorNamespace);
        }
        for (Pod p : pods) {
            client.pods().inNamespace(operatorNamespace).withName(p.getMetadata().getName()).delete();
        }
        return pods.stream().map(p -> p.getMetadata().getName()).toList();
    }

    /** Whether an operator pod not named in {@code old} is ready. */
    boolean operatorReplaced(List<String> old) {
        return operatorPods().stream().anyMatch(p -> !old.contains(p.getMetadata().getName()) && ready(p));
    }

    private static boolean ready(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /**
     * Polls {@code condition} once a second until it holds or {@code timeout} passes; an API error
     * counts as not yet (the API server may itself be briefly busy). Returns the seconds it took,
     * or -1 on timeout.
     */
    static double await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return (System.nanoTime() - start) / 1e9;
                }
            } catch (RuntimeException e) {
                // Not yet: the next poll tells.
            }
            Thread.sleep(POLL_MILLIS);
        }
        return -1;
    }

    @Override
    public void close() {
        client.close();
    }
}
