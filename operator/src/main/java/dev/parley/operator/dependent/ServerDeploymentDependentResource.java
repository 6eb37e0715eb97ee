package dev.parley.operator.dependent;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.api.v1alpha1.ChatServiceSpec;
import dev.parley.operator.api.v1alpha1.ChatSettings;
import dev.parley.operator.support.Labels;
import dev.parley.operator.support.Names;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.ReconcilerUtils;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat server Deployment. While autoscaling is on, the replica count belongs to the
 * HorizontalPodAutoscaler: the desired object leaves it out, and the field's ownership is first
 * handed to a separate field manager so that server-side apply keeps the running count instead of
 * resetting it to 1.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.SERVER_SELECTOR))
public class ServerDeploymentDependentResource extends ChatServiceDependentResource<Deployment> {
    /** Pod template annotation that changes, and so rolls the pods, when the admin token does. */
    public static final String CONFIG_HASH_ANNOTATION = "chat.parley.dev/admin-token-hash";
    /** Field manager that holds spec.replicas between the operator letting go and the HPA taking it. */
    static final String HANDOVER_MANAGER = "parley-operator-handover";
    private static final Logger log = LoggerFactory.getLogger(ServerDeploymentDependentResource.class);

    public ServerDeploymentDependentResource() {
        super(Deployment.class);
    }

    @Override
    protected String name(ChatService cr) {
        return Names.server(cr);
    }

    @Override
    protected Deployment desired(ChatService cr, Context<ChatService> context) {
        boolean exists = getSecondaryResource(cr, context).isPresent();
        return desired(cr, DesiredInputs.from(context), exists);
    }

    @Override
    protected Deployment desired(ChatService cr, DesiredInputs inputs) {
        return desired(cr, inputs, false);
    }

    /**
     * @param exists whether the Deployment exists already: with autoscaling on, a new one starts
     *     at minReplicas and an existing one keeps whatever the autoscaler set
     */
    Deployment desired(ChatService cr, DesiredInputs inputs, boolean exists) {
        ChatServiceSpec spec = cr.getSpec();
        Integer replicas = spec.getAutoscaling().isOn()
                ? (exists ? null : spec.getAutoscaling().getMinReplicas())
                : spec.getReplicas();
        String image = spec.getImage() != null ? spec.getImage() : inputs.settings().serverImage();
        Map<String, String> podAnnotations = new LinkedHashMap<>();
        podAnnotations.put("prometheus.io/scrape", "true");
        podAnnotations.put("prometheus.io/port", String.valueOf(ChatServiceSpec.HTTP_PORT));
        podAnnotations.put("prometheus.io/path", "/metrics");
        if (inputs.adminToken().hash() != null) {
            podAnnotations.put(CONFIG_HASH_ANNOTATION, inputs.adminToken().hash());
        }

        // Parsed anew each time: fabric8 builders share nested lists with the object they start from.
        Deployment skeleton = ReconcilerUtils.loadYaml(Deployment.class, getClass(), "server-deployment.yaml");
        List<EnvVar> fixedEnv = skeleton.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        return new DeploymentBuilder(skeleton)
                .withMetadata(metadata(cr, Labels.SERVER))
                .editSpec()
                    .withReplicas(replicas)
                    .withNewSelector().withMatchLabels(Labels.selector(cr, Labels.SERVER)).endSelector()
                    .editTemplate()
                        .withNewMetadata()
                            .withLabels(Labels.of(cr, Labels.SERVER))
                            .withAnnotations(podAnnotations)
                        .endMetadata()
                        .editSpec()
                            .editFirstContainer()
                                .withImage(image)
                                .withImagePullPolicy(spec.getImagePullPolicy().name())
                                .withPorts(
                                        new ContainerPortBuilder().withName("chat").withContainerPort(spec.getPort()).build(),
                                        new ContainerPortBuilder().withName("http").withContainerPort(ChatServiceSpec.HTTP_PORT).build())
                                .withEnv(env(cr, inputs, fixedEnv))
                                .withResources(Resources.of(spec.getResources()))
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The skeleton's fixed variables first, then the ones the spec decides. */
    private static List<EnvVar> env(ChatService cr, DesiredInputs inputs, List<EnvVar> fixedEnv) {
        ChatServiceSpec spec = cr.getSpec();
        List<EnvVar> env = new ArrayList<>(fixedEnv);
        env.add(new EnvVar("CHAT_PORT", String.valueOf(spec.getPort()), null));
        env.add(new EnvVar("CHAT_HTTP_PORT", String.valueOf(ChatServiceSpec.HTTP_PORT), null));
        env.add(new EnvVar("REDIS_URL", Names.redisUrl(cr), null));
        ChatSettings chat = spec.getChat();
        chatSetting(env, "CHAT_RATE_LIMIT", chat.getRateLimit());
        chatSetting(env, "CHAT_HISTORY_RETENTION", chat.getHistoryRetention());
        chatSetting(env, "CHAT_LOGIN_BACKOFF", chat.getLoginBackoff());
        chatSetting(env, "CHAT_AUTH_QUEUE", chat.getAuthQueue());
        chatSetting(env, "CHAT_MAX_SESSIONS_PER_USER", chat.getMaxSessionsPerUser());
        chatSetting(env, "CHAT_PASSWORD_ITERATIONS", chat.getPasswordIterations());
        chatSetting(env, "CHAT_STORE_LINGER", chat.getStoreLinger());
        var ref = inputs.adminToken().ref();
        if (ref != null) {
            env.add(new EnvVarBuilder().withName("CHAT_ADMIN_TOKEN")
                    .withNewValueFrom().withNewSecretKeyRef(ref.getKey(), ref.getName(), false).endValueFrom()
                    .build());
        }
        return env;
    }

    /**
     * One spec.chat setting as the server's variable. The CRD defaults every one of them, so null
     * means a CRD older than this operator (helm never upgrades CRDs): the variable is left out and
     * the server's own default holds, rather than "null" stopping the pods from starting.
     */
    private static void chatSetting(List<EnvVar> env, String name, Object value) {
        if (value != null) {
            env.add(new EnvVar(name, String.valueOf(value), null));
        }
    }

    /**
     * While the admin token Secret is missing the Deployment stays as it is: new pods could not
     * start without it, and the running ones keep serving. Status says why.
     */
    @Override
    public ReconcileResult<Deployment> reconcile(ChatService cr, Context<ChatService> context) {
        if (DesiredInputs.from(context).adminToken().missing()) {
            return ReconcileResult.noOperation(getSecondaryResource(cr, context).orElse(null));
        }
        return super.reconcile(cr, context);
    }

    @Override
    public Deployment update(Deployment actual, Deployment desired, ChatService cr, Context<ChatService> context) {
        if (desired.getSpec().getReplicas() == null && ownsReplicas(actual, context.getControllerConfiguration().fieldManager())) {
            handOverReplicas(actual, context);
        }
        return super.update(actual, desired, cr, context);
    }

    /**
     * Applies spec.replicas at its current value under {@link #HANDOVER_MANAGER}, so that when
     * the operator's own apply stops naming the field, another manager still owns it and the
     * value stays (Kubernetes' server-side apply: "transferring ownership").
     */
    private void handOverReplicas(Deployment actual, Context<ChatService> context) {
        Integer current = actual.getSpec().getReplicas();
        log.info("{}/{}: handing the replica count ({}) over to the autoscaler", actual.getMetadata().getNamespace(),
                actual.getMetadata().getName(), current);
        Deployment handover = new DeploymentBuilder()
                .withNewMetadata().withName(actual.getMetadata().getName()).withNamespace(actual.getMetadata().getNamespace()).endMetadata()
                .withNewSpec().withReplicas(current).endSpec()
                .build();
        context.getClient().resource(handover).fieldManager(HANDOVER_MANAGER).forceConflicts().serverSideApply();
    }

    /** Whether {@code manager}'s apply owns spec.replicas, read from the object's managedFields. */
    static boolean ownsReplicas(Deployment deployment, String manager) {
        List<ManagedFieldsEntry> entries = deployment.getMetadata().getManagedFields();
        if (entries == null) {
            return false;
        }
        return entries.stream()
                .filter(e -> manager.equals(e.getManager()) && "Apply".equals(e.getOperation()))
                .map(ManagedFieldsEntry::getFieldsV1)
                .anyMatch(ServerDeploymentDependentResource::hasReplicas);
    }

    private static boolean hasReplicas(FieldsV1 fields) {
        if (fields == null || fields.getAdditionalProperties() == null) {
            return false;
        }
        return fields.getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec && spec.containsKey("f:replicas");
    }
}
