package dev.parley.server.metrics;

import dev.parley.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics. Counters are looked up once and kept, so counting on the hot
 * path is an increment, not a registry search.
 */
public final class ServerMetrics {
    private static final String[] FRAME_TYPES = {"hello", "send", "history", "who", "ping", "bye",
        "welcome", "msg", "ack", "pong", "error", "unknown"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger sessions = new AtomicInteger();
    private final Map<String, Counter> framesIn = new ConcurrentHashMap<>();
    private final Map<String, Counter> framesOut = new ConcurrentHashMap<>();
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Counter acks;
    private final Counter slowConsumers;
    private final Counter refusedConnections;
    private final Counter delivered;
    private final Timer storeLatency;
    private final DistributionSummary storeBatch;

    public ServerMetrics() {
        Gauge.builder("parley_connections", connections, AtomicInteger::get)
                .description("Open chat TCP connections").register(registry);
        Gauge.builder("parley_sessions", sessions, AtomicInteger::get)
                .description("Connections that completed hello").register(registry);
        for (String type : FRAME_TYPES) {
            framesIn.put(type, Counter.builder("parley_frames_in").tag("type", type)
                    .description("Frames received from clients, by type").register(registry));
            framesOut.put(type, Counter.builder("parley_frames_out").tag("type", type)
                    .description("Frames sent to clients, by type").register(registry));
        }
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, Counter.builder("parley_errors").tag("code", code.name())
                    .description("Error frames sent, by code").register(registry));
        }
        acks = Counter.builder("parley_acks").description("Messages stored and acknowledged").register(registry);
        delivered = Counter.builder("parley_deliveries")
                .description("Live msg frames written to sessions").register(registry);
        slowConsumers = Counter.builder("parley_slow_consumer_disconnects")
                .description("Connections closed because they did not read fast enough").register(registry);
        refusedConnections = Counter.builder("parley_connections_refused")
                .description("Chat connections turned away by --max-connections or --max-connections-per-address")
                .register(registry);
        storeLatency = Timer.builder("parley_store_latency")
                .description("Time to store one batch of messages in Redis")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(10))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        storeBatch = DistributionSummary.builder("parley_store_batch_size")
                .description("Messages per Redis store batch").register(registry);
    }

    /** Exposes a value computed on scrape, e.g. the store's health. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public void sessionStarted() {
        sessions.incrementAndGet();
    }

    public void sessionEnded() {
        sessions.decrementAndGet();
    }

    public void frameIn(String type) {
        framesIn.getOrDefault(type, framesIn.get("unknown")).increment();
    }

    public void frameOut(String type) {
        framesOut.getOrDefault(type, framesOut.get("unknown")).increment();
    }

    public void error(ErrorCode code) {
        errors.get(code).increment();
        framesOut.get("error").increment();
    }

    public void acked(int n) {
        acks.increment(n);
        framesOut.get("ack").increment(n);
    }

    public void delivered(int n) {
        delivered.increment(n);
        framesOut.get("msg").increment(n);
    }

    public void slowConsumerDisconnected() {
        slowConsumers.increment();
    }

    public void connectionRefused() {
        refusedConnections.increment();
    }

    /** The counter of logins refused for {@code reason}, registered on first use. */
    public Counter loginsRefused(String reason) {
        return Counter.builder("parley_logins_refused").tag("reason", reason)
                .description("Hellos that did not log in, by reason").register(registry);
    }

    public void storeBatch(int size, long nanos) {
        storeBatch.record(size);
        storeLatency.record(Duration.ofNanos(nanos));
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }
}
