package dev.parley.e2e.suite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The things that go wrong in production, done to the deployed service while the soak runs.
 * Each scenario marks its moments on the timeline, waits (bounded) for the service to recover,
 * and records what it measured and any way recovery failed. The delivery invariants over its
 * window are checked afterwards, from the ledgers.
 */
final class Scenarios {
    /** One scenario as it ran: window on the soak's clock, what it measured, how it failed. */
    record Run(String name, String description, long startNanos, long endNanos, List<String> failures,
               Map<String, Object> figures) {
    }

    private final Soak soak;
    private final Kube kube;
    private final Timeline timeline;
    private final int users;
    private final List<Run> runs = new ArrayList<>();

    private String name;
    private String description;
    private long start;
    private List<String> failures;
    private Map<String, Object> figures;

    Scenarios(Soak soak, Kube kube, int users) {
        this.soak = soak;
        this.kube = kube;
        this.timeline = soak.timeline();
        this.users = users;
    }

    List<Run> runs() {
        return List.copyOf(runs);
    }

    private void begin(String scenario, String what) {
        name = scenario;
        description = what;
        start = soak.nanos();
        failures = new ArrayList<>();
        figures = new LinkedHashMap<>();
        timeline.phase(scenario);
        timeline.mark(scenario + ": " + what);
    }

    private void end() {
        runs.add(new Run(name, description, start, soak.nanos(), failures, figures));
        String verdict = failures.isEmpty() ? "done" : "FAILED: " + String.join("; ", failures);
        System.err.printf("[%6.1fs] %s %s%n", timeline.now(), name, verdict);
    }

    private static double seconds(double s) {
        return Math.round(s * 10) / 10.0;
    }

    /** Load alone, nothing done to the service: the reference the faults are compared with. */
    void steady(String scenario, Duration length) throws InterruptedException {
        begin(scenario, "load only, for " + length.toSeconds() + " s");
        long disconnects = soak.metrics().disconnects.sum();
        Thread.sleep(length.toMillis());
        long dropped = soak.metrics().disconnects.sum() - disconnects;
        figures.put("disconnects", dropped);
        if (dropped > 0) {
            failures.add(dropped + " connection(s) dropped while nothing was done to the service");
        }
        end();
    }

    /** Scales the ChatService up and back down through its spec while the load runs. */
    void scale(int from, int to, Duration hold) throws InterruptedException {
        begin("scale", "spec.replicas " + from + " -> " + to + " -> " + from + " under load");
        kube.patchSpec("{\"replicas\":" + to + "}");
        double up = Kube.await(Duration.ofMinutes(4), () -> kube.serverSettled(to, null));
        figures.put("secondsTo" + to + "Ready", seconds(up));
        if (up < 0) {
            failures.add("did not reach " + to + " ready chat pods within 4 min (desired/ready now "
                    + replicas() + ")");
        } else {
            timeline.mark(to + " chat pods ready");
            Thread.sleep(hold.toMillis());
        }
        timeline.mark("scale back to " + from);
        kube.patchSpec("{\"replicas\":" + from + "}");
        double down = Kube.await(Duration.ofMinutes(4), () -> kube.serverSettled(from, null));
        figures.put("secondsBackTo" + from, seconds(down));
        if (down < 0) {
            failures.add("did not come back to " + from + " chat pods within 4 min (desired/ready now "
                    + replicas() + ")");
        }
        awaitAllConnected();
        end();
    }

    /**
     * Turns the autoscaler on, raises the load until it adds chat pods, lowers it well below the
     * usual until it takes them away, then turns it off and goes back to the usual load.
     */
    void autoscale(double baseRate, double highRate, double lowRate, int min, int max, int cpuTarget,
                   int scaleDownSeconds, Duration upTimeout, Duration downTimeout) throws InterruptedException {
        begin("autoscale", "autoscaling " + min + "-" + max + " pods at " + cpuTarget + "% CPU, scale-down after "
                + scaleDownSeconds + " s; load " + (int) highRate + " then " + (int) lowRate + " msg/s");
        kube.patchSpec("{\"autoscaling\":{\"enabled\":true,\"minReplicas\":" + min + ",\"maxReplicas\":" + max
                + ",\"targetCPUUtilizationPercentage\":" + cpuTarget
                + ",\"scaleDownStabilizationSeconds\":" + scaleDownSeconds + "}}");
        soak.setRate(highRate);
        timeline.mark("load raised to " + (int) highRate + "/s");
        double up = Kube.await(upTimeout, () -> kube.serverReplicas()[0] > min);
        figures.put("highRate", (int) highRate);
        figures.put("secondsToScaleUp", seconds(up));
        if (up < 0) {
            failures.add("the autoscaler added no chat pod within " + upTimeout.toMinutes() + " min at "
                    + (int) highRate + " msg/s (autoscaler wants " + kube.autoscalerDesired() + ")");
        } else {
            timeline.mark("autoscaler scaled up to " + kube.serverReplicas()[0]);
            // Let it reach what it wants for this load before taking the load away.
            Kube.await(Duration.ofSeconds(60), () -> kube.serverSettled(-1, null)
                    && kube.autoscalerDesired() == kube.serverReplicas()[0]);
        }
        soak.setRate(lowRate);
        timeline.mark("load lowered to " + (int) lowRate + "/s");
        if (up >= 0) {
            double down = Kube.await(downTimeout, () -> kube.serverSettled(min, null));
            figures.put("secondsToScaleDown", seconds(down));
            if (down < 0) {
                failures.add("the autoscaler did not come back to " + min + " chat pods within "
                        + downTimeout.toMinutes() + " min (desired/ready now " + replicas() + ")");
            } else {
                timeline.mark("autoscaler scaled down to " + min);
            }
        }
        soak.setRate(baseRate);
        timeline.mark("load back to " + (int) baseRate + "/s");
        kube.patchSpec("{\"autoscaling\":{\"enabled\":false}}");
        if (Kube.await(Duration.ofMinutes(3), () -> kube.serverSettled(-1, null)) < 0) {
            failures.add("the chat server did not settle after autoscaling was turned off (" + replicas() + ")");
        }
        awaitAllConnected();
        end();
    }

    /** Deletes a chat pod with no grace period: its users reconnect to the others and resume. */
    void killChatPod() throws InterruptedException {
        begin("chat-pod-kill", "delete a chat server pod at once; its clients reconnect with since");
        long disconnects = soak.metrics().disconnects.sum();
        long reconnects = soak.metrics().reconnects.sum();
        int replicas = kube.serverReplicas()[0];
        String pod = kube.killServerPod();
        timeline.mark("chat pod " + pod + " deleted");
        double back = Kube.await(Duration.ofMinutes(2), () -> soak.metrics().connected.get() == users
                && soak.metrics().disconnects.sum() > disconnects);
        figures.put("pod", pod);
        figures.put("secondsUntilAllReconnected", seconds(back));
        if (back < 0) {
            failures.add("not every client was back within 2 min (" + soak.metrics().connected.get() + " of "
                    + users + " connected)");
        }
        double replaced = Kube.await(Duration.ofMinutes(3), () -> kube.serverSettled(replicas, null));
        figures.put("secondsUntilPodReplaced", seconds(replaced));
        if (replaced < 0) {
            failures.add("the Deployment did not replace " + pod + " within 3 min (" + replicas() + ")");
        }
        Thread.sleep(5000);
        figures.put("disconnects", soak.metrics().disconnects.sum() - disconnects);
        figures.put("reconnects", soak.metrics().reconnects.sum() - reconnects);
        end();
    }

    /**
     * Deletes the Redis pod with no grace period: the StatefulSet brings it back on the same
     * volume, the servers answer UNAVAILABLE meanwhile, and no acknowledged message is lost.
     */
    void killRedisPod() throws InterruptedException {
        begin("redis-pod-kill", "delete the Redis pod at once; history survives on its volume (AOF)");
        long unavailable = soak.metrics().errorsByCode().getOrDefault("UNAVAILABLE", 0L);
        long acked = soak.metrics().acked.sum();
        long killedAt = System.nanoTime();
        String uid = kube.killRedisPod();
        timeline.mark("Redis pod deleted");
        double redis = Kube.await(Duration.ofMinutes(4), () -> kube.redisReplaced(uid));
        figures.put("secondsUntilRedisReady", seconds(redis));
        if (redis < 0) {
            failures.add("no new Redis pod was ready within 4 min");
        } else {
            timeline.mark("Redis ready again");
        }
        // Recovered: every client connected and acks flowing again after Redis came back.
        long[] ackedAtCheck = {soak.metrics().acked.sum()};
        double recovered = Kube.await(Duration.ofMinutes(2), () -> {
            long now = soak.metrics().acked.sum();
            boolean flowing = now > ackedAtCheck[0];
            ackedAtCheck[0] = now;
            return flowing && soak.metrics().connected.get() == users;
        });
        figures.put("secondsUntilServiceRecovered", recovered < 0 ? -1
                : seconds((System.nanoTime() - killedAt) / 1e9));
        if (recovered < 0) {
            failures.add("the service did not recover within 2 min of Redis being back ("
                    + soak.metrics().connected.get() + " of " + users + " connected, acks "
                    + (soak.metrics().acked.sum() > acked ? "flowing" : "stopped") + ")");
        }
        Thread.sleep(5000);
        long refused = soak.metrics().errorsByCode().getOrDefault("UNAVAILABLE", 0L) - unavailable;
        figures.put("unavailableErrors", refused);
        if (redis > 0 && refused == 0) {
            // the load went on through the gap: a service without its store refuses sends it cannot keep
            failures.add("no send was answered UNAVAILABLE in the " + seconds(redis) + " s without Redis,"
                    + " though the server cannot store a message then");
        }
        end();
    }

    /** Changes spec.image under load: the Deployment rolls its pods, nothing is lost. */
    void rollout(String image) throws InterruptedException {
        String old = kube.serverImage();
        begin("rollout", "roll the chat server from " + old + " to " + image + " under load");
        long disconnects = soak.metrics().disconnects.sum();
        kube.patchSpec("{\"image\":\"" + image + "\"}");
        double done = Kube.await(Duration.ofMinutes(5), () -> kube.serverSettled(-1, image));
        figures.put("from", old);
        figures.put("to", image);
        figures.put("secondsToRollOut", seconds(done));
        if (done < 0) {
            failures.add("the rollout to " + image + " did not finish within 5 min (" + replicas() + ")");
        } else {
            timeline.mark("rollout done");
        }
        awaitAllConnected();
        figures.put("disconnects", soak.metrics().disconnects.sum() - disconnects);
        end();
    }

    /** Deletes the operator's pod: the chat service and its traffic must not notice. */
    void restartOperator(Duration after) throws InterruptedException {
        begin("operator-restart", "delete the operator pod; traffic must not notice");
        long disconnects = soak.metrics().disconnects.sum();
        List<String> old = kube.killOperator();
        timeline.mark("operator pod deleted");
        double back = Kube.await(Duration.ofMinutes(3), () -> kube.operatorReplaced(old));
        figures.put("secondsUntilOperatorReady", seconds(back));
        if (back < 0) {
            failures.add("no new operator pod was ready within 3 min");
        } else {
            timeline.mark("operator ready again");
        }
        Thread.sleep(after.toMillis());
        long dropped = soak.metrics().disconnects.sum() - disconnects;
        figures.put("disconnects", dropped);
        if (dropped > 0) {
            failures.add("restarting the operator dropped " + dropped + " client connection(s)");
        }
        if (!"True".equals(kube.readyCondition())) {
            failures.add("the ChatService is not Ready after the operator restarted (Ready=" + kube.readyCondition() + ")");
        }
        end();
    }

    private void awaitAllConnected() throws InterruptedException {
        if (Kube.await(Duration.ofMinutes(1), () -> soak.metrics().connected.get() == users) < 0) {
            failures.add("only " + soak.metrics().connected.get() + " of " + users + " clients connected a minute later");
        }
    }

    private String replicas() {
        int[] r = kube.serverReplicas();
        return r[0] + "/" + r[1];
    }

    /** Samples the chat server's replicas every two seconds onto the timeline until closed. */
    static AutoCloseable sampleReplicas(Kube kube, Timeline timeline) {
        Thread thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    int[] r = kube.serverReplicas();
                    timeline.replicas(r[0], r[1]);
                } catch (RuntimeException e) {
                    // The API server can be briefly unreachable; the next sample tells.
                }
                try {
                    TimeUnit.SECONDS.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "soak-replicas");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            thread.interrupt();
            thread.join(5000);
        };
    }
}
