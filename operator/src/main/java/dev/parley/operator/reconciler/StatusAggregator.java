package dev.parley.operator.reconciler;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.api.v1alpha1.ChatServiceStatus;
import dev.parley.operator.api.v1alpha1.ExposeSpec;
import dev.parley.operator.reconciler.Observed.Problem;
import dev.parley.operator.support.Labels;
import dev.parley.operator.support.Names;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns what was observed into the ChatService's status: one condition per part (Redis, chat
 * servers, autoscaling), and {@code Ready} when Redis and the wanted number of chat servers are
 * ready and nothing failed to apply. Reasons are CamelCase and messages say what to do. No I/O:
 * the reconciler gathers {@link Observed}.
 */
public final class StatusAggregator {
    /** Pod waiting reasons that mean the image will not come by waiting. */
    private static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "ErrImageNeverPull");
    /** Reasons worth a Warning event when a condition turns to them. */
    public static final Set<String> PROBLEM_REASONS = Set.of("ImagePullBackOff", "CrashLoopBackOff", "SecretMissing",
            "NodePortInUse", "ReconcileFailed", "Unschedulable", "InvalidSpec");

    private StatusAggregator() {
    }

    /** The status for {@code cr} given what was observed; {@code cr}'s current status supplies transition times. */
    public static ChatServiceStatus compute(ChatService cr, Observed observed, Instant now) {
        ChatServiceStatus previous = cr.getStatus() == null ? new ChatServiceStatus() : cr.getStatus();
        List<Condition> before = previous.getConditions();
        // While paused nothing of the spec is acted on, so the status keeps describing the old generation.
        Long generation = observed.paused() ? previous.getObservedGeneration() : cr.getMetadata().getGeneration();

        Verdict redis = redis(cr, observed);
        Verdict server = server(cr, observed);
        Verdict autoscaling = autoscaling(cr, observed);
        Verdict ready = ready(cr, observed, redis, server);

        List<Condition> conditions = new ArrayList<>();
        conditions.add(Conditions.of(Conditions.READY, ready.ok, ready.reason, ready.message, generation, before, now));
        conditions.add(Conditions.of(Conditions.REDIS_READY, redis.ok, redis.reason, redis.message, generation, before, now));
        conditions.add(Conditions.of(Conditions.SERVER_READY, server.ok, server.reason, server.message, generation, before, now));
        conditions.add(Conditions.of(Conditions.AUTOSCALING, autoscaling.ok, autoscaling.reason, autoscaling.message,
                generation, before, now));
        if (observed.paused()) {
            conditions.add(Conditions.of(Conditions.PAUSED, true, "Paused",
                    "Reconciliation is paused by the annotation " + ChatServiceReconciler.PAUSED_ANNOTATION
                            + "=\"true\"; remove it to resume", generation, before, now));
        }

        ChatServiceStatus status = new ChatServiceStatus();
        status.setObservedGeneration(generation);
        status.setConditions(conditions);
        Deployment d = observed.server();
        status.setReplicas(d == null || d.getStatus() == null ? 0 : orZero(d.getStatus().getReplicas()));
        status.setReadyReplicas(d == null || d.getStatus() == null ? 0 : orZero(d.getStatus().getReadyReplicas()));
        status.setSelector(Labels.selectorString(cr, Labels.SERVER));
        status.setEndpoint(endpoint(cr, observed.service()));
        return status;
    }

    private record Verdict(boolean ok, String reason, String message) {
        static Verdict yes(String message) {
            return new Verdict(true, "Ready", message);
        }

        static Verdict no(String reason, String message) {
            return new Verdict(false, reason, message);
        }
    }

    private static Verdict redis(ChatService cr, Observed o) {
        Problem problem = o.problems().get(Observed.REDIS);
        if (problem != null) {
            return Verdict.no(problem.reason(), problem.message());
        }
        if (o.redis() == null) {
            return Verdict.no("RedisNotReady", "Redis StatefulSet " + Names.redis(cr) + " does not exist yet");
        }
        if (o.redis().getStatus() != null && orZero(o.redis().getStatus().getReadyReplicas()) >= 1) {
            return Verdict.yes("Redis is ready, its data on PersistentVolumeClaim " + Names.redisClaim(cr));
        }
        var claim = o.redisClaim();
        if (claim == null || claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
            String storageClass = claim != null && claim.getSpec() != null && claim.getSpec().getStorageClassName() != null
                    ? "StorageClass " + claim.getSpec().getStorageClassName() : "the default StorageClass";
            return Verdict.no("PvcPending", "PersistentVolumeClaim " + Names.redisClaim(cr) + " is not bound yet; "
                    + "check that " + storageClass + " exists and can provision volumes (kubectl describe pvc "
                    + Names.redisClaim(cr) + ")");
        }
        String pod = Names.redisPod(cr);
        return podTrouble(o.redisPods(), "Redis")
                .orElseGet(() -> Verdict.no("RedisNotReady", "Redis pod " + pod + " is not ready yet; it may still be "
                        + "loading its append-only file. If it stays so, see kubectl describe pod " + pod
                        + " and kubectl logs " + pod));
    }

    private static Verdict server(ChatService cr, Observed o) {
        if (o.adminToken().missing()) {
            return Verdict.no("SecretMissing", o.adminToken().problem()
                    + "; create it (the chat servers stay as they are until then)");
        }
        Problem problem = o.problems().get(Observed.SERVER);
        if (problem != null) {
            return Verdict.no(problem.reason(), problem.message());
        }
        Deployment d = o.server();
        if (d == null) {
            return Verdict.no("ServerNotReady", "Deployment " + Names.server(cr) + " does not exist yet");
        }
        int wanted = wantedServers(cr, d);
        var st = d.getStatus();
        int ready = st == null ? 0 : orZero(st.getReadyReplicas());
        int updated = st == null ? 0 : orZero(st.getUpdatedReplicas());
        int total = st == null ? 0 : orZero(st.getReplicas());
        boolean current = st != null && st.getObservedGeneration() != null
                && Objects.equals(st.getObservedGeneration(), d.getMetadata().getGeneration());
        if (wanted == 0) {
            return Verdict.no("ScaledToZero", "No chat server runs: the replica count is 0");
        }
        if (current && ready >= wanted && updated >= wanted && total == wanted) {
            return Verdict.yes(ready + " of " + wanted + " chat server pods are ready");
        }
        Optional<Verdict> trouble = podTrouble(o.serverPods(), "Chat server");
        if (trouble.isPresent()) {
            return trouble.get();
        }
        String rollout = updated < total ? ", rolling out: " + updated + " of " + total + " pods run the current spec" : "";
        return Verdict.no("Scaling", ready + " of " + wanted + " chat server pods are ready" + rollout);
    }

    /** How many chat servers should run: spec.replicas, or the autoscaler's choice while it owns the count. */
    static int wantedServers(ChatService cr, Deployment d) {
        if (cr.getSpec().getAutoscaling().isOn()) {
            Integer set = d.getSpec() == null ? null : d.getSpec().getReplicas();
            return set == null ? cr.getSpec().getAutoscaling().getMinReplicas() : set;
        }
        return cr.getSpec().getReplicas();
    }

    private static Verdict autoscaling(ChatService cr, Observed o) {
        var spec = cr.getSpec().getAutoscaling();
        if (!spec.isOn()) {
            return new Verdict(false, "Disabled", "Autoscaling is off: spec.replicas (" + cr.getSpec().getReplicas()
                    + ") sets the number of chat servers");
        }
        Problem problem = o.problems().get(Observed.AUTOSCALER);
        if (problem != null) {
            return Verdict.no(problem.reason(), problem.message());
        }
        HorizontalPodAutoscaler hpa = o.autoscaler();
        if (hpa == null) {
            return Verdict.no("Pending", "HorizontalPodAutoscaler " + Names.server(cr) + " does not exist yet");
        }
        List<HorizontalPodAutoscalerCondition> hpaConditions = hpa.getStatus() == null || hpa.getStatus().getConditions() == null
                ? List.of() : hpa.getStatus().getConditions();
        for (var c : hpaConditions) {
            if (("ScalingActive".equals(c.getType()) || "AbleToScale".equals(c.getType())) && "False".equals(c.getStatus())) {
                return Verdict.no(c.getReason(), "The autoscaler cannot act: " + c.getMessage());
            }
        }
        String wants = hpa.getStatus() == null || hpa.getStatus().getDesiredReplicas() == null ? ""
                : "; it wants " + hpa.getStatus().getDesiredReplicas();
        return new Verdict(true, "Active", "The autoscaler keeps " + spec.getMinReplicas() + " to " + spec.getMaxReplicas()
                + " chat servers near " + spec.getTargetCPUUtilizationPercentage() + "% of their CPU request" + wants);
    }

    private static Verdict ready(ChatService cr, Observed o, Verdict redis, Verdict server) {
        if (o.adminToken().missing()) {
            return Verdict.no(server.reason, server.message);
        }
        // The Service first: a taken node port is the one problem no pod status shows.
        for (String part : List.of(Observed.SERVICE, Observed.REDIS_SERVICE, Observed.REDIS, Observed.SERVER,
                Observed.DISRUPTION_BUDGET, Observed.AUTOSCALER)) {
            Problem p = o.problems().get(part);
            if (p != null) {
                return Verdict.no(p.reason(), p.message());
            }
        }
        if (!redis.ok) {
            return Verdict.no(redis.reason, redis.message);
        }
        if (!server.ok) {
            return Verdict.no(server.reason, server.message);
        }
        if (o.service() == null) {
            return Verdict.no("ServiceNotReady", "Service " + Names.server(cr) + " does not exist yet");
        }
        return Verdict.yes("The chat service is ready: " + endpoint(cr, o.service()));
    }

    /** Image pulls that fail, containers that crash, pods that cannot be placed. */
    private static Optional<Verdict> podTrouble(List<Pod> pods, String what) {
        for (Pod pod : pods) {
            var st = pod.getStatus();
            if (st == null) {
                continue;
            }
            List<ContainerStatus> containers = Stream.concat(
                    Optional.ofNullable(st.getInitContainerStatuses()).orElse(List.of()).stream(),
                    Optional.ofNullable(st.getContainerStatuses()).orElse(List.of()).stream()).toList();
            for (ContainerStatus cs : containers) {
                var waiting = cs.getState() == null ? null : cs.getState().getWaiting();
                if (waiting == null) {
                    continue;
                }
                if (PULL_FAILURES.contains(waiting.getReason())) {
                    return Optional.of(Verdict.no("ImagePullBackOff", what + " image " + cs.getImage()
                            + " cannot be pulled (" + waiting.getReason() + "): " + Objects.toString(waiting.getMessage(), "")
                            + "; check the image name, or load the image into the cluster"));
                }
                if ("CrashLoopBackOff".equals(waiting.getReason())) {
                    return Optional.of(Verdict.no("CrashLoopBackOff", what + " container in pod " + pod.getMetadata().getName()
                            + " keeps exiting; see kubectl logs --previous " + pod.getMetadata().getName()));
                }
                if ("CreateContainerConfigError".equals(waiting.getReason())) {
                    return Optional.of(Verdict.no("InvalidSpec", what + " pod " + pod.getMetadata().getName()
                            + " cannot start: " + Objects.toString(waiting.getMessage(), "")));
                }
            }
            for (PodCondition c : Optional.ofNullable(st.getConditions()).orElse(List.of())) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())) {
                    return Optional.of(Verdict.no("Unschedulable", what + " pod " + pod.getMetadata().getName()
                            + " cannot be placed on a node: " + c.getMessage()));
                }
            }
        }
        return Optional.empty();
    }

    /** Where clients connect, from the live Service (a node port Kubernetes chose shows too). */
    static String endpoint(ChatService cr, Service service) {
        if (service == null || service.getSpec() == null || service.getSpec().getPorts() == null
                || service.getSpec().getPorts().isEmpty()) {
            return null;
        }
        var port = service.getSpec().getPorts().get(0);
        String type = service.getSpec().getType();
        if (ExposeSpec.Type.NodePort.name().equals(type) && port.getNodePort() != null) {
            return "NodePort " + port.getNodePort();
        }
        if (ExposeSpec.Type.LoadBalancer.name().equals(type)) {
            var ingress = service.getStatus() == null || service.getStatus().getLoadBalancer() == null
                    ? null : service.getStatus().getLoadBalancer().getIngress();
            if (ingress == null || ingress.isEmpty()) {
                return "LoadBalancer pending" + (port.getNodePort() == null ? "" : ", NodePort " + port.getNodePort());
            }
            var first = ingress.get(0);
            return "LoadBalancer " + (first.getIp() != null ? first.getIp() : first.getHostname()) + ":" + port.getPort();
        }
        return "ClusterIP " + service.getMetadata().getName() + "." + cr.getMetadata().getNamespace() + ".svc:" + port.getPort();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
