package dev.parley.operator;

import dev.parley.operator.api.v1alpha1.ChatService;
import dev.parley.operator.http.HealthServer;
import dev.parley.operator.reconciler.ChatServiceReconciler;
import dev.parley.operator.support.EventRecorder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running operator: the ChatService controller on java-operator-sdk, leader election when
 * asked, and the HTTP endpoints. {@link ChatOperatorMain} starts one from the command line; the
 * integration tests start one in-process against their own API server.
 */
public final class ChatOperator implements AutoCloseable {
    static final String LEASE_NAME = "parley-chat-operator";
    private static final Logger log = LoggerFactory.getLogger(ChatOperator.class);

    private final OperatorConfig config;
    private final KubernetesClient client;
    private final boolean exitOnLostLease;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicBoolean leading = new AtomicBoolean();
    private Operator operator;
    private HealthServer http;

    public ChatOperator(OperatorConfig config, KubernetesClient client) {
        this(config, client, true);
    }

    /**
     * @param exitOnLostLease end the process when the lease is lost (what a replica in a pod
     *     should do: its restart starts it as a standby); tests that run two in one JVM pass false
     */
    public ChatOperator(OperatorConfig config, KubernetesClient client, boolean exitOnLostLease) {
        this.config = config;
        this.client = client;
        this.exitOnLostLease = exitOnLostLease;
    }

    /** Starts reconciling and serving HTTP; returns once the informers are in sync (or standby). */
    public void start() throws IOException {
        checkCrdInstalled();
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        String identity = config.identity();
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build())
                    // Missing permissions show at start as an error, not later as silence.
                    .withStopOnInformerErrorDuringStartup(true);
            if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(LEASE_NAME, config.leaseNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        identity,
                        new LeaderCallbacks(
                                () -> {
                                    leading.set(true);
                                    log.info("Became the leader ({}): reconciling ChatServices", identity);
                                },
                                () -> {
                                    leading.set(false);
                                    log.info("Lost the lease ({}): stopping", identity);
                                },
                                leader -> log.info("The leader is now {}", leader)),
                        exitOnLostLease));
            }
        });
        var events = new EventRecorder(client, identity, Clock.systemUTC());
        var reconciler = new ChatServiceReconciler(config.settings(), events, Clock.systemUTC());
        operator.register(reconciler, c -> {
            if (config.namespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(config.namespaces());
            }
        });
        http = new HealthServer(config.httpPort(), registry, this::notReadyReason);
        http.start();
        log.info("Watching ChatServices in {}; default images: server {}, Redis {}; HTTP on port {}{}",
                config.namespaces().isEmpty() ? "all namespaces" : "namespaces " + String.join(", ", config.namespaces()),
                config.serverImage(), config.redisImage(), http.port(),
                config.leaderElection() ? "; waiting for the lease " + LEASE_NAME : "");
        operator.start();
    }

    /** Null when ready; else what readiness waits for. A standby replica is ready: it can take over. */
    private String notReadyReason() {
        if (operator == null || !operator.getRuntimeInfo().isStarted()) {
            return "starting";
        }
        if (config.leaderElection() && !leading.get()) {
            return null;
        }
        var unhealthy = operator.getRuntimeInfo().unhealthyEventSources();
        boolean healthy = unhealthy.values().stream().allMatch(java.util.Map::isEmpty);
        return healthy ? null : "informers not healthy: " + unhealthy;
    }

    /** The CRD must be there before informers start; say so plainly rather than fail deep inside. */
    private void checkCrdInstalled() {
        String crd = HasMetadata.getFullResourceName(ChatService.class);
        try {
            if (client.apiextensions().v1().customResourceDefinitions().withName(crd).get() == null) {
                throw new IllegalStateException("The ChatService CRD (" + crd + ") is not installed in the cluster at "
                        + client.getMasterUrl() + ": kubectl apply -f crds/" + crd + "-v1.yml");
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                log.debug("Not allowed to read CRDs; assuming {} is installed", crd);
                return;
            }
            throw new IllegalStateException("Cannot reach the Kubernetes API at " + client.getMasterUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        if (operator != null) {
            operator.stop();
        }
        if (http != null) {
            http.close();
        }
        registry.close();
    }
}
