package dev.parley.operator.reconciler;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.api.v1alpha1.ChatServiceStatus;
import dev.parley.operator.dependent.AdminToken;
import dev.parley.operator.dependent.AutoscalingEnabledCondition;
import dev.parley.operator.dependent.DesiredInputs;
import dev.parley.operator.dependent.RedisServiceDependentResource;
import dev.parley.operator.dependent.RedisStatefulSetDependentResource;
import dev.parley.operator.dependent.ServerDeploymentDependentResource;
import dev.parley.operator.dependent.ServerHorizontalPodAutoscalerDependentResource;
import dev.parley.operator.dependent.ServerPodDisruptionBudgetDependentResource;
import dev.parley.operator.dependent.ServerServiceDependentResource;
import dev.parley.operator.support.EventRecorder;
import dev.parley.operator.support.Labels;
import dev.parley.operator.support.Names;
import dev.parley.operator.support.OperatorSettings;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Reconciles a ChatService: applies the objects it owns (the workflow below, one dependent
 * class per object), then computes the status from what the informers see. Objects are applied
 * side by side, none waits for another: the chat servers wait for Redis by themselves (their
 * readiness says so), and a problem with one object leaves the others in shape.
 */
@Workflow(explicitInvocation = true, handleExceptionsInReconciler = true, dependents = {
        @Dependent(name = Observed.REDIS, type = RedisStatefulSetDependentResource.class),
        @Dependent(name = Observed.REDIS_SERVICE, type = RedisServiceDependentResource.class),
        @Dependent(name = Observed.SERVER, type = ServerDeploymentDependentResource.class),
        @Dependent(name = Observed.SERVICE, type = ServerServiceDependentResource.class),
        @Dependent(name = Observed.DISRUPTION_BUDGET, type = ServerPodDisruptionBudgetDependentResource.class),
        @Dependent(name = Observed.AUTOSCALER, type = ServerHorizontalPodAutoscalerDependentResource.class,
                reconcilePrecondition = AutoscalingEnabledCondition.class),
})
// Generation-aware filtering is replaced by SpecOrPauseChanged: a change of the pause annotation
// does not bump the generation but must still reach the reconciler.
// A full pass every 10 minutes whatever happens: a safety net under the informers' events (and
// after retries of a failed reconciliation run out), not the way changes are noticed.
@ControllerConfiguration(name = ChatServiceReconciler.NAME, fieldManager = Labels.OPERATOR,
        generationAwareEventProcessing = false,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES),
        informer = @Informer(onUpdateFilter = ChatServiceReconciler.SpecOrPauseChanged.class))
public class ChatServiceReconciler implements Reconciler<ChatService> {
    public static final String NAME = "chatservice";
    public static final String PAUSED_ANNOTATION = "chat.parley.dev/paused";
    /** How soon a ChatService whose objects could not all be applied is tried again. */
    static final Duration RETRY_AFTER_PROBLEM = Duration.ofSeconds(15);

    private static final String SECRET_SOURCE = "admin-token-secrets";
    private static final String POD_SOURCE = "pods";
    private static final String CLAIM_SOURCE = "redis-claims";
    private static final String SECRET_INDEX = "admin-token-secret";

    private final OperatorSettings settings;
    private final EventRecorder events;
    private final Clock clock;

    public ChatServiceReconciler(OperatorSettings settings, EventRecorder events, Clock clock) {
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, ChatService>> prepareEventSources(EventSourceContext<ChatService> context) {
        // The admin token Secret is the user's, not ours (no label, no owner): find its
        // ChatServices through an index of the references in their specs.
        context.getPrimaryCache().addIndexer(SECRET_INDEX, cr -> Optional.ofNullable(AdminToken.refOf(cr))
                .map(ref -> List.of(secretKey(cr.getMetadata().getNamespace(), ref.getName())))
                .orElse(List.of()));
        var secrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, ChatService.class)
                .withName(SECRET_SOURCE)
                .withPrimaryToSecondaryMapper((ChatService cr) -> Optional.ofNullable(AdminToken.refOf(cr))
                        .map(ref -> Set.of(new ResourceID(ref.getName(), cr.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .withSecondaryToPrimaryMapper(secret -> context.getPrimaryCache()
                        .byIndex(SECRET_INDEX, secretKey(secret.getMetadata().getNamespace(), secret.getMetadata().getName()))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        // Pods and claims are made by the Deployment and StatefulSet, not by us; they carry our
        // labels, and their instance label names the ChatService.
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, ChatService.class)
                .withName(POD_SOURCE)
                .withLabelSelector(Labels.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper(ChatServiceReconciler::byInstanceLabel)
                .build(), context);
        var claims = new InformerEventSource<>(InformerEventSourceConfiguration.from(PersistentVolumeClaim.class, ChatService.class)
                .withName(CLAIM_SOURCE)
                .withLabelSelector(Labels.REDIS_SELECTOR)
                .withSecondaryToPrimaryMapper(ChatServiceReconciler::byInstanceLabel)
                .build(), context);
        return List.of(secrets, pods, claims);
    }

    private static String secretKey(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static Set<ResourceID> byInstanceLabel(HasMetadata object) {
        return Labels.instanceOf(object.getMetadata().getLabels())
                .map(name -> Set.of(new ResourceID(name, object.getMetadata().getNamespace())))
                .orElse(Set.of());
    }

    @Override
    public UpdateControl<ChatService> reconcile(ChatService cr, Context<ChatService> context) {
        if (cr.getSpec() == null) {
            // The CRD refuses this; a ChatService stored before that rule may still have no spec.
            events.state(cr, EventRecorder.WARNING, "InvalidSpec", "The ChatService has no spec; add one (spec: {} takes every default)");
            return UpdateControl.noUpdate();
        }
        AdminToken adminToken = AdminToken.resolve(cr, context.getSecondaryResource(Secret.class, SECRET_SOURCE));
        boolean paused = isPaused(cr);
        Map<String, Observed.Problem> problems = new LinkedHashMap<>();
        if (!paused) {
            new DesiredInputs(settings, adminToken, events).putInto(context);
            var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
            result.getErroredDependents().forEach((dependent, error) ->
                    problems.put(dependent.name(), Problems.describe(dependent.name(), error)));
        }
        Observed observed = observe(cr, context, adminToken, problems, paused);
        ChatServiceStatus next = StatusAggregator.compute(cr, observed, clock.instant());
        recordTransitions(cr, cr.getStatus(), next);

        UpdateControl<ChatService> control;
        if (next.equals(cr.getStatus())) {
            control = UpdateControl.noUpdate();
        } else {
            cr.setStatus(next);
            control = UpdateControl.patchStatus(cr);
        }
        // Nothing else would bring us back when, say, another Service frees the node port.
        return problems.isEmpty() ? control : control.rescheduleAfter(RETRY_AFTER_PROBLEM);
    }

    static boolean isPaused(ChatService cr) {
        var annotations = cr.getMetadata().getAnnotations();
        return annotations != null && "true".equalsIgnoreCase(annotations.get(PAUSED_ANNOTATION));
    }

    private static Observed observe(ChatService cr, Context<ChatService> context, AdminToken adminToken,
            Map<String, Observed.Problem> problems, boolean paused) {
        List<Pod> pods = context.getSecondaryResourcesAsStream(Pod.class).toList();
        return new Observed(
                named(context, StatefulSet.class, Names.redis(cr)),
                named(context, PersistentVolumeClaim.class, Names.redisClaim(cr)),
                component(pods, Labels.REDIS),
                named(context, Deployment.class, Names.server(cr)),
                component(pods, Labels.SERVER),
                named(context, Service.class, Names.server(cr)),
                named(context, HorizontalPodAutoscaler.class, Names.server(cr)),
                adminToken,
                problems,
                paused);
    }

    /** The secondary of that type and name: several informers may hold one type (two Services). */
    private static <R extends HasMetadata> R named(Context<ChatService> context, Class<R> type, String name) {
        return context.getSecondaryResourcesAsStream(type)
                .filter(r -> name.equals(r.getMetadata().getName()))
                .findFirst().orElse(null);
    }

    private static List<Pod> component(List<Pod> pods, String component) {
        return pods.stream()
                .filter(p -> p.getMetadata().getLabels() != null && component.equals(p.getMetadata().getLabels().get(Labels.COMPONENT)))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    /** An Event for each condition that turned to a problem, for readiness reached and for pausing. */
    private void recordTransitions(ChatService cr, ChatServiceStatus before, ChatServiceStatus after) {
        List<Condition> old = before == null ? List.of() : before.getConditions();
        for (Condition c : after.getConditions()) {
            Optional<Condition> was = Conditions.find(old, c.getType());
            boolean changed = was.map(w -> !Objects.equals(w.getStatus(), c.getStatus())
                    || !Objects.equals(w.getReason(), c.getReason())).orElse(true);
            if (!changed) {
                continue;
            }
            // Ready repeats the reason of the part that holds it back; the recorder drops the repeat.
            if (Conditions.FALSE.equals(c.getStatus()) && StatusAggregator.PROBLEM_REASONS.contains(c.getReason())) {
                events.state(cr, EventRecorder.WARNING, c.getReason(), c.getMessage());
            } else if (Conditions.READY.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus())) {
                events.state(cr, EventRecorder.NORMAL, "Ready", c.getMessage());
            } else if (Conditions.PAUSED.equals(c.getType())) {
                events.state(cr, EventRecorder.NORMAL, "Paused", c.getMessage());
            }
        }
        if (Conditions.find(old, Conditions.PAUSED).isPresent() && Conditions.find(after.getConditions(), Conditions.PAUSED).isEmpty()) {
            events.state(cr, EventRecorder.NORMAL, "Resumed", "Reconciliation resumed: the pause annotation is gone");
        }
    }

    /** Passes updates that change the spec (generation) or the pause annotation; status updates do not pass. */
    public static final class SpecOrPauseChanged implements OnUpdateFilter<ChatService> {
        @Override
        public boolean accept(ChatService newResource, ChatService oldResource) {
            return !Objects.equals(newResource.getMetadata().getGeneration(), oldResource.getMetadata().getGeneration())
                    || isPaused(newResource) != isPaused(oldResource);
        }
    }
}
