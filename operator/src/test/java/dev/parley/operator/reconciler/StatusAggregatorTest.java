package dev.parley.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.operator.Fixtures;
import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.api.v1alpha1.ChatServiceStatus;
import dev.parley.operator.api.v1alpha1.ExposeSpec;
import dev.parley.operator.api.v1alpha1.SecretKeyRef;
import dev.parley.operator.dependent.AdminToken;
import dev.parley.operator.reconciler.Observed.Problem;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Status from observed objects: what Ready means, which reason wins, and transition times. */
class StatusAggregatorTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-12-01T10:05:00Z");

    private final ChatService cr = Fixtures.chatService();

    /** Everything in place and ready: Redis 1/1 with a bound claim, 2 of 2 chat servers, a NodePort Service. */
    private static Observed healthy(ChatService cr) {
        return new Observed(redis(1), claim("Bound"), List.of(), deployment(2, 2, 2), List.of(), service("NodePort", 30060),
                null, AdminToken.NONE, Map.of(), false);
    }

    @Test
    void readyWhenRedisAndTheWantedChatServersAreReady() {
        ChatServiceStatus s = StatusAggregator.compute(cr, healthy(cr), T0);
        assertThat(conditions(s)).containsExactly(
                "Ready=True Ready: The chat service is ready: NodePort 30060",
                "RedisReady=True Ready: Redis is ready, its data on PersistentVolumeClaim data-demo-redis-0",
                "ServerReady=True Ready: 2 of 2 chat server pods are ready",
                "Autoscaling=False Disabled: Autoscaling is off: spec.replicas (2) sets the number of chat servers");
        assertThat(s.getObservedGeneration()).isEqualTo(1L);
        assertThat(s.getReplicas()).isEqualTo(2);
        assertThat(s.getReadyReplicas()).isEqualTo(2);
        assertThat(s.getEndpoint()).isEqualTo("NodePort 30060");
        assertThat(s.getSelector()).isEqualTo("app.kubernetes.io/component=server,app.kubernetes.io/instance=demo,app.kubernetes.io/name=parley");
        assertThat(s.getConditions()).allMatch(c -> c.getLastTransitionTime().equals("2026-12-01T10:00:00Z")
                && c.getObservedGeneration() == 1L);
    }

    @Test
    void notReadyWhileFewerChatServersThanWantedAreReady() {
        Observed o = with(healthy(cr), deployment(2, 1, 2));
        ChatServiceStatus s = StatusAggregator.compute(cr, o, T0);
        assertThat(condition(s, "ServerReady")).isEqualTo("ServerReady=False Scaling: 1 of 2 chat server pods are ready");
        assertThat(condition(s, "Ready")).isEqualTo("Ready=False Scaling: 1 of 2 chat server pods are ready");
    }

    @Test
    void scalingUpIsNotReadyUntilTheNewCountIsReady() {
        cr.getSpec().setReplicas(3);
        ChatServiceStatus s = StatusAggregator.compute(cr, healthy(cr), T0);
        assertThat(condition(s, "ServerReady")).isEqualTo("ServerReady=False Scaling: 2 of 3 chat server pods are ready");
    }

    @Test
    void aRolloutSaysHowFarItGot() {
        Observed o = with(healthy(cr), deployment(2, 3, 2, 1));
        assertThat(condition(StatusAggregator.compute(cr, o, T0), "ServerReady"))
                .isEqualTo("ServerReady=False Scaling: 2 of 2 chat server pods are ready, rolling out: 1 of 3 pods run the current spec");
    }

    @Test
    void aPendingClaimIsTheReasonRedisIsNotReady() {
        Observed o = new Observed(redis(0), claim("Pending"), List.of(), deployment(2, 2, 2), List.of(),
                service("NodePort", 30060), null, AdminToken.NONE, Map.of(), false);
        ChatServiceStatus s = StatusAggregator.compute(cr, o, T0);
        assertThat(reason(s, "RedisReady")).isEqualTo("PvcPending");
        assertThat(reason(s, "Ready")).isEqualTo("PvcPending");
    }

    @Test
    void aBoundClaimWithRedisNotReadyYetSaysWhereToLook() {
        // Running but not ready, nothing waiting: Redis loading its append-only file looks like this.
        Pod starting = new PodBuilder().withNewMetadata().withName("demo-redis-0").addToLabels("app.kubernetes.io/component", "redis")
                .endMetadata().withNewStatus().withPhase("Running").addNewContainerStatus().withName("redis").withReady(false)
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus().endStatus().build();
        Observed o = new Observed(redis(0), claim("Bound"), List.of(starting), deployment(2, 2, 2), List.of(),
                service("NodePort", 30060), null, AdminToken.NONE, Map.of(), false);
        ChatServiceStatus s = StatusAggregator.compute(cr, o, T0);
        String message = "Redis pod demo-redis-0 is not ready yet; it may still be loading its append-only file. "
                + "If it stays so, see kubectl describe pod demo-redis-0 and kubectl logs demo-redis-0";
        assertThat(condition(s, "RedisReady")).isEqualTo("RedisReady=False RedisNotReady: " + message);
        // Every chat server is ready, yet without Redis the service is not.
        assertThat(condition(s, "ServerReady")).startsWith("ServerReady=True Ready");
        assertThat(condition(s, "Ready")).isEqualTo("Ready=False RedisNotReady: " + message);
    }

    @Test
    void noRedisStatefulSetYetIsRedisNotReady() {
        Observed o = new Observed(null, null, List.of(), deployment(2, 2, 2), List.of(), service("NodePort", 30060), null,
                AdminToken.NONE, Map.of(), false);
        ChatServiceStatus s = StatusAggregator.compute(cr, o, T0);
        assertThat(condition(s, "RedisReady")).isEqualTo("RedisReady=False RedisNotReady: Redis StatefulSet demo-redis does not exist yet");
        assertThat(reason(s, "Ready")).isEqualTo("RedisNotReady");
    }

    @Test
    void imagesThatCannotBePulledAreNamed() {
        Pod pulling = waitingPod("demo-server-abc", "server", "localhost/parley/chat-server:typo", "ImagePullBackOff",
                "Back-off pulling image");
        Observed o = new Observed(redis(1), claim("Bound"), List.of(), deployment(2, 0, 2), List.of(pulling),
                service("NodePort", 30060), null, AdminToken.NONE, Map.of(), false);
        ChatServiceStatus s = StatusAggregator.compute(cr, o, T0);
        assertThat(condition(s, "ServerReady")).startsWith("ServerReady=False ImagePullBackOff: Chat server image "
                + "localhost/parley/chat-server:typo cannot be pulled (ImagePullBackOff): Back-off pulling image");
        assertThat(reason(s, "Ready")).isEqualTo("ImagePullBackOff");

        Pod redisPulling = waitingPod("demo-redis-0", "redis", "redis:nope", "ErrImagePull", "not found");
        o = new Observed(redis(0), claim("Bound"), List.of(redisPulling), deployment(2, 2, 2), List.of(),
                service("NodePort", 30060), null, AdminToken.NONE, Map.of(), false);
        assertThat(reason(StatusAggregator.compute(cr, o, T0), "RedisReady")).isEqualTo("ImagePullBackOff");
    }

    @Test
    void aTakenNodePortHoldsReadyBackEvenWhenEveryPodIsReady() {
        Observed o = new Observed(redis(1), claim("Bound"), List.of(), deployment(2, 2, 2), List.of(), null, null,
                AdminToken.NONE, Map.of(Observed.SERVICE, new Problem("NodePortInUse", "port taken")), false);
        ChatServiceStatus s = StatusAggregator.compute(cr, o, T0);
        assertThat(condition(s, "Ready")).isEqualTo("Ready=False NodePortInUse: port taken");
        assertThat(reason(s, "ServerReady")).isEqualTo("Ready");
        assertThat(s.getEndpoint()).isNull();
    }

    @Test
    void aMissingSecretComesFirst() {
        cr.getSpec().getChat().setAdminTokenSecretRef(new SecretKeyRef("chat-admin", "token"));
        Observed o = new Observed(redis(1), claim("Bound"), List.of(), null, List.of(), service("NodePort", 30060), null,
                AdminToken.resolve(cr, Optional.empty()), Map.of(), false);
        ChatServiceStatus s = StatusAggregator.compute(cr, o, T0);
        assertThat(reason(s, "Ready")).isEqualTo("SecretMissing");
        assertThat(condition(s, "ServerReady")).isEqualTo("ServerReady=False SecretMissing: Secret chat-admin (for "
                + "chat.adminTokenSecretRef) does not exist in namespace team-a; create it (the chat servers stay as they are until then)");
    }

    @Test
    void withAutoscalingTheWantedCountIsTheAutoscalersAndItsTroubleIsShown() {
        cr.getSpec().getAutoscaling().setEnabled(true);
        // The autoscaler set 4; 4 are ready: that is ready, whatever spec.replicas says.
        HorizontalPodAutoscaler hpa = new HorizontalPodAutoscalerBuilder().withNewStatus().withDesiredReplicas(4)
                .addNewCondition().withType("ScalingActive").withStatus("True").withReason("ValidMetricFound").endCondition()
                .endStatus().build();
        Observed o = new Observed(redis(1), claim("Bound"), List.of(), deployment(4, 4, 4), List.of(),
                service("NodePort", 30060), hpa, AdminToken.NONE, Map.of(), false);
        ChatServiceStatus s = StatusAggregator.compute(cr, o, T0);
        assertThat(condition(s, "ServerReady")).isEqualTo("ServerReady=True Ready: 4 of 4 chat server pods are ready");
        assertThat(condition(s, "Autoscaling")).isEqualTo("Autoscaling=True Active: The autoscaler keeps 2 to 10 chat "
                + "servers near 70% of their CPU request; it wants 4");

        HorizontalPodAutoscaler blind = new HorizontalPodAutoscalerBuilder().withNewStatus()
                .addNewCondition().withType("ScalingActive").withStatus("False").withReason("FailedGetResourceMetric")
                .withMessage("no metrics returned from resource metrics API").endCondition().endStatus().build();
        o = new Observed(redis(1), claim("Bound"), List.of(), deployment(4, 4, 4), List.of(), service("NodePort", 30060),
                blind, AdminToken.NONE, Map.of(), false);
        assertThat(condition(StatusAggregator.compute(cr, o, T0), "Autoscaling")).isEqualTo("Autoscaling=False "
                + "FailedGetResourceMetric: The autoscaler cannot act: no metrics returned from resource metrics API");
    }

    @Test
    void transitionTimesChangeOnlyWhenTheStatusDoes() {
        ChatServiceStatus first = StatusAggregator.compute(cr, with(healthy(cr), deployment(2, 1, 2)), T0);
        cr.setStatus(first);
        // Still not ready, for another reason in other words: the time stays.
        ChatServiceStatus second = StatusAggregator.compute(cr, with(healthy(cr), deployment(2, 0, 2)), T1);
        assertThat(find(second, "ServerReady").getLastTransitionTime()).isEqualTo("2026-12-01T10:00:00Z");
        cr.setStatus(second);
        ChatServiceStatus third = StatusAggregator.compute(cr, healthy(cr), T1);
        assertThat(find(third, "ServerReady").getLastTransitionTime()).isEqualTo("2026-12-01T10:05:00Z");
        assertThat(find(third, "RedisReady").getLastTransitionTime()).isEqualTo("2026-12-01T10:00:00Z");
        // Nothing observed changed: the same status, so the reconciler writes nothing.
        cr.setStatus(third);
        assertThat(StatusAggregator.compute(cr, healthy(cr), T1.plusSeconds(60))).isEqualTo(third);
    }

    @Test
    void pausedKeepsTheOldGenerationAndSaysSo() {
        cr.setStatus(StatusAggregator.compute(cr, healthy(cr), T0));
        cr.getMetadata().setGeneration(2L);
        Observed paused = new Observed(redis(1), claim("Bound"), List.of(), deployment(2, 2, 2), List.of(),
                service("NodePort", 30060), null, AdminToken.NONE, Map.of(), true);
        ChatServiceStatus s = StatusAggregator.compute(cr, paused, T1);
        assertThat(s.getObservedGeneration()).isEqualTo(1L);
        assertThat(condition(s, "Paused")).startsWith("Paused=True Paused: Reconciliation is paused by the annotation "
                + "chat.parley.dev/paused=\"true\"");
    }

    @Test
    void endpointsForEachServiceType() {
        assertThat(StatusAggregator.endpoint(cr, service("ClusterIP", null))).isEqualTo("ClusterIP demo-server.team-a.svc:6000");
        assertThat(StatusAggregator.endpoint(cr, service("LoadBalancer", 31000))).isEqualTo("LoadBalancer pending, NodePort 31000");
        Service lb = new ServiceBuilder(service("LoadBalancer", 31000)).withNewStatus().withNewLoadBalancer()
                .addNewIngress().withIp("203.0.113.7").endIngress().endLoadBalancer().endStatus().build();
        assertThat(StatusAggregator.endpoint(cr, lb)).isEqualTo("LoadBalancer 203.0.113.7:6000");
        cr.getSpec().getService().setType(ExposeSpec.Type.ClusterIP);
    }

    private static Observed with(Observed o, Deployment d) {
        return new Observed(o.redis(), o.redisClaim(), o.redisPods(), d, o.serverPods(), o.service(), o.autoscaler(),
                o.adminToken(), o.problems(), o.paused());
    }

    private static StatefulSet redis(int ready) {
        return new StatefulSetBuilder().withNewMetadata().withName("demo-redis").endMetadata()
                .withNewStatus().withReplicas(1).withReadyReplicas(ready).endStatus().build();
    }

    private static PersistentVolumeClaim claim(String phase) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName("data-demo-redis-0").endMetadata()
                .withNewSpec().endSpec().withNewStatus().withPhase(phase).endStatus().build();
    }

    private static Deployment deployment(int replicas, int ready, int updated) {
        return deployment(replicas, replicas, ready, updated);
    }

    /** A Deployment that wants {@code wanted} pods and has {@code pods}, e.g. one more during a rollout. */
    private static Deployment deployment(int wanted, int pods, int ready, int updated) {
        return new DeploymentBuilder().withNewMetadata().withName("demo-server").withGeneration(3L).endMetadata()
                .withNewSpec().withReplicas(wanted).endSpec()
                .withNewStatus().withObservedGeneration(3L).withReplicas(pods).withReadyReplicas(ready)
                .withUpdatedReplicas(updated).endStatus().build();
    }

    private static Service service(String type, Integer nodePort) {
        return new ServiceBuilder().withNewMetadata().withName("demo-server").endMetadata()
                .withNewSpec().withType(type).addNewPort().withPort(6000).withNodePort(nodePort).endPort().endSpec().build();
    }

    private static Pod waitingPod(String name, String component, String image, String reason, String message) {
        return new PodBuilder().withNewMetadata().withName(name).addToLabels("app.kubernetes.io/component", component).endMetadata()
                .withNewStatus().addNewContainerStatus().withImage(image).withNewState().withNewWaiting()
                .withReason(reason).withMessage(message).endWaiting().endState().endContainerStatus().endStatus().build();
    }

    private static List<String> conditions(ChatServiceStatus s) {
        return s.getConditions().stream().map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason() + ": " + c.getMessage())
                .toList();
    }

    private static String condition(ChatServiceStatus s, String type) {
        return conditions(s).stream().filter(c -> c.startsWith(type + "=")).findFirst().orElse(null);
    }

    private static String reason(ChatServiceStatus s, String type) {
        return find(s, type).getReason();
    }

    private static Condition find(ChatServiceStatus s, String type) {
        return s.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }
}
