package dev.parley.operator.dependent;

import static dev.parley.operator.Fixtures.assertSameObject;
import static dev.parley.operator.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.operator.Fixtures;
import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.api.v1alpha1.ExposeSpec;
import dev.parley.operator.api.v1alpha1.RedisSpec;
import dev.parley.operator.api.v1alpha1.SecretKeyRef;
import dev.parley.operator.support.EventRecorder;
import dev.parley.operator.support.OperatorSettings;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each dependent's desired object for a defaulted ChatService, against the YAML it must produce. */
class DesiredObjectsTest {
    private static final OperatorSettings SETTINGS =
            new OperatorSettings("localhost/parley/chat-server:test", "localhost/parley/redis:test");
    // Recording is not exercised here; desired() never records.
    private static final EventRecorder NO_EVENTS = new EventRecorder(null, "test", Clock.systemUTC());

    private static DesiredInputs inputs(ChatService cr) {
        return new DesiredInputs(SETTINGS, AdminToken.resolve(cr, Optional.empty()), NO_EVENTS);
    }

    private static ChatService withAdminToken() {
        ChatService cr = Fixtures.chatService();
        cr.getSpec().getChat().setAdminTokenSecretRef(new SecretKeyRef("chat-admin", "token"));
        return cr;
    }

    private static DesiredInputs tokenInputs(ChatService cr, String token) {
        var secret = new SecretBuilder().withNewMetadata().withName("chat-admin").withNamespace("team-a").endMetadata()
                .withData(Map.of("token", Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))))
                .build();
        return new DesiredInputs(SETTINGS, AdminToken.resolve(cr, Optional.of(secret)), NO_EVENTS);
    }

    @Test
    void serverDeploymentFromDefaults() {
        ChatService cr = withAdminToken();
        Deployment desired = new ServerDeploymentDependentResource().desired(cr, tokenInputs(cr, "s3cret"), true);
        assertSameObject(desired, load(getClass(), "expected-server-deployment.yaml", Deployment.class));
    }

    @Test
    void changingTheAdminTokenChangesThePodTemplate() {
        ChatService cr = withAdminToken();
        var dependent = new ServerDeploymentDependentResource();
        var before = dependent.desired(cr, tokenInputs(cr, "s3cret"), true).getSpec().getTemplate();
        var after = dependent.desired(cr, tokenInputs(cr, "rotated"), true).getSpec().getTemplate();
        assertThat(after.getMetadata().getAnnotations().get(ServerDeploymentDependentResource.CONFIG_HASH_ANNOTATION))
                .isNotEqualTo(before.getMetadata().getAnnotations().get(ServerDeploymentDependentResource.CONFIG_HASH_ANNOTATION));
        // The token itself never lands in the template: only the hash and a reference to the Secret.
        assertThat(Fixtures.yaml(after)).doesNotContain("rotated").doesNotContain("s3cret");
    }

    @Test
    void withoutAdminTokenNoTokenVariableAndNoHash() {
        ChatService cr = Fixtures.chatService();
        Deployment desired = new ServerDeploymentDependentResource().desired(cr, inputs(cr), true);
        var container = desired.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getEnv()).noneMatch(e -> e.getName().equals("CHAT_ADMIN_TOKEN"));
        assertThat(desired.getSpec().getTemplate().getMetadata().getAnnotations())
                .doesNotContainKey(ServerDeploymentDependentResource.CONFIG_HASH_ANNOTATION);
    }

    @Test
    void chatSettingsBecomeTheServersVariablesAndUnsetOnesAreLeftOut() {
        ChatService cr = Fixtures.chatService();
        cr.getSpec().getChat().setLoginBackoff("PT10S");
        cr.getSpec().getChat().setAuthQueue(500);
        cr.getSpec().getChat().setStoreLinger("0");
        // As read through a CRD older than the operator, which neither knows nor defaults these.
        cr.getSpec().getChat().setMaxSessionsPerUser(null);
        cr.getSpec().getChat().setPasswordIterations(null);
        var env = new ServerDeploymentDependentResource().desired(cr, inputs(cr), true)
                .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env).extracting(e -> e.getName() + "=" + e.getValue())
                .contains("CHAT_LOGIN_BACKOFF=PT10S", "CHAT_AUTH_QUEUE=500", "CHAT_STORE_LINGER=0")
                .noneMatch(e -> e.startsWith("CHAT_MAX_SESSIONS_PER_USER=") || e.startsWith("CHAT_PASSWORD_ITERATIONS="));
    }

    @Test
    void specImageAndPullPolicyOverrideTheOperatorDefault() {
        ChatService cr = Fixtures.chatService();
        cr.getSpec().setImage("registry.example/chat:1.2");
        cr.getSpec().getRedis().setImage("registry.example/redis:7.2");
        cr.getSpec().setImagePullPolicy(dev.parley.operator.api.v1alpha1.ChatServiceSpec.PullPolicy.Always);
        var server = new ServerDeploymentDependentResource().desired(cr, inputs(cr), true)
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        var redis = new RedisStatefulSetDependentResource().desired(cr, inputs(cr))
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(server.getImage()).isEqualTo("registry.example/chat:1.2");
        assertThat(server.getImagePullPolicy()).isEqualTo("Always");
        assertThat(redis.getImage()).isEqualTo("registry.example/redis:7.2");
        assertThat(redis.getImagePullPolicy()).isEqualTo("Always");
    }

    @Test
    void autoscalingLeavesTheReplicaCountOfAnExistingDeploymentAlone() {
        ChatService cr = Fixtures.chatService();
        cr.getSpec().getAutoscaling().setEnabled(true);
        cr.getSpec().getAutoscaling().setMinReplicas(3);
        var dependent = new ServerDeploymentDependentResource();
        assertThat(dependent.desired(cr, inputs(cr), true).getSpec().getReplicas()).isNull();
        // A new Deployment starts where the autoscaler would put it at least.
        assertThat(dependent.desired(cr, inputs(cr), false).getSpec().getReplicas()).isEqualTo(3);
        cr.getSpec().getAutoscaling().setEnabled(false);
        cr.getSpec().setReplicas(5);
        assertThat(dependent.desired(cr, inputs(cr), true).getSpec().getReplicas()).isEqualTo(5);
    }

    @Test
    void redisStatefulSetFromDefaults() {
        ChatService cr = Fixtures.chatService();
        StatefulSet desired = new RedisStatefulSetDependentResource().desired(cr, inputs(cr));
        assertSameObject(desired, load(getClass(), "expected-redis-statefulset.yaml", StatefulSet.class));
    }

    @Test
    void redisKeepsOrDropsItsClaimAndSyncsAsAsked() {
        ChatService cr = Fixtures.chatService();
        cr.getSpec().getRedis().getStorage().setKeepOnDelete(false);
        cr.getSpec().getRedis().getStorage().setStorageClassName("fast");
        cr.getSpec().getRedis().getStorage().setSize(new Quantity("5Gi"));
        cr.getSpec().getRedis().setAppendFsync(RedisSpec.AppendFsync.always);
        StatefulSet desired = new RedisStatefulSetDependentResource().desired(cr, inputs(cr));
        assertThat(desired.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Delete");
        var claim = desired.getSpec().getVolumeClaimTemplates().get(0);
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast");
        assertThat(claim.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("5Gi"));
        assertThat(desired.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand())
                .containsSubsequence("--appendfsync", "always")
                .containsSubsequence("--auto-aof-rewrite-min-size", String.valueOf(5L * 1024 * 1024 * 1024 / 4));
    }

    @Test
    void redisRewritesItsLogAfterAQuarterOfTheVolumeAndNeverBeforeItsOwnThreshold() {
        long redisDefault = 64L * 1024 * 1024;
        assertThat(RedisStatefulSetDependentResource.aofRewriteMinBytes(new Quantity("1Gi"))).isEqualTo(256L * 1024 * 1024);
        assertThat(RedisStatefulSetDependentResource.aofRewriteMinBytes(new Quantity("100G"))).isEqualTo(25_000_000_000L);
        assertThat(RedisStatefulSetDependentResource.aofRewriteMinBytes(new Quantity("100Mi"))).isEqualTo(redisDefault);
        assertThat(RedisStatefulSetDependentResource.aofRewriteMinBytes(null)).isEqualTo(redisDefault);
    }

    @Test
    void servicesFromDefaults() {
        ChatService cr = Fixtures.chatService();
        assertSameObject(new ServerServiceDependentResource().desired(cr, inputs(cr)),
                load(getClass(), "expected-server-service.yaml", Service.class));
        assertSameObject(new RedisServiceDependentResource().desired(cr, inputs(cr)),
                load(getClass(), "expected-redis-service.yaml", Service.class));
    }

    @Test
    void clusterIpServiceHasNoNodePortAndAnUnsetNodePortIsLeftToKubernetes() {
        ChatService cr = Fixtures.chatService();
        cr.getSpec().getService().setType(ExposeSpec.Type.ClusterIP);
        var port = new ServerServiceDependentResource().desired(cr, inputs(cr)).getSpec().getPorts().get(0);
        assertThat(port.getNodePort()).isNull();
        cr.getSpec().getService().setType(ExposeSpec.Type.LoadBalancer);
        cr.getSpec().getService().setNodePort(null);
        Service lb = new ServerServiceDependentResource().desired(cr, inputs(cr));
        assertThat(lb.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(lb.getSpec().getPorts().get(0).getNodePort()).isNull();
    }

    @Test
    void disruptionBudgetAndAutoscaler() {
        ChatService cr = Fixtures.chatService();
        assertSameObject(new ServerPodDisruptionBudgetDependentResource().desired(cr, inputs(cr)),
                load(getClass(), "expected-server-pdb.yaml", PodDisruptionBudget.class));
        cr.getSpec().getAutoscaling().setEnabled(true);
        cr.getSpec().getAutoscaling().setMinReplicas(3);
        cr.getSpec().getAutoscaling().setMaxReplicas(8);
        cr.getSpec().getAutoscaling().setTargetCPUUtilizationPercentage(60);
        cr.getSpec().getAutoscaling().setScaleDownStabilizationSeconds(60);
        assertSameObject(new ServerHorizontalPodAutoscalerDependentResource().desired(cr, inputs(cr)),
                load(getClass(), "expected-server-hpa.yaml", HorizontalPodAutoscaler.class));
    }
}
