package dev.parley.e2e.load;

import dev.parley.e2e.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One load run against one address: log every connection in, pace the sends on a single
 * scheduler thread, wait for the deliveries still on their way, then add up the ledgers.
 */
final class LoadRun {
    /** Time between scheduling and the first send, so message 0 is not already late. */
    private static final long LEAD_NANOS = 100_000_000L;
    private static final long PROGRESS_EVERY_MILLIS = 1000;
    private static final long DRAIN_POLL_MILLIS = 10;
    /** Sends one event loop may have queued and not made yet: about a second at 65k/s. */
    private static final int SEND_QUEUE_CAPACITY = 1 << 16;

    private final LoadSettings settings;
    private final PrintWriter progress;

    LoadRun(LoadSettings settings, PrintWriter progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * @param targetProcesses the target's processes when known (relay child, server, Redis), for the CPU figure
     */
    LoadReport run(String label, InetSocketAddress target, List<ProcessHandle> targetProcesses)
            throws InterruptedException {
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(settings.ioThreads(), "load-io");
        RunMetrics metrics = new RunMetrics();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .remoteAddress(target)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.helloTimeout().toMillis())
                // Unwritable past 64 KiB of unsent frames: the sender then counts sends as
                // backpressured rather than buffering without bound.
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024));
        ConnectPhase connect = new ConnectPhase(bootstrap, settings.connections(), settings.maxPendingHellos(),
                (index, listener) -> new LoadClientHandler(index, settings.userPrefix() + index,
                        settings.password(), settings.userPrefix(), settings.connections(), settings.maxPending(),
                        settings.helloTimeout(), metrics, listener));
        List<LoadClientHandler> ready;
        Outcome outcome = new Outcome(0, false, CpuSampler.Usage.UNKNOWN);
        try {
            ready = connect.run(settings.setupTimeout().toNanos(), label, progress);
            if (ready.size() >= 2) {
                outcome = sendAndDrain(label, ready, metrics, new CpuSampler(targetProcesses));
            } else {
                progress.printf("[%s] fewer than 2 connections logged in: nothing to send%n", label);
                progress.flush();
            }
        } finally {
            for (LoadClientHandler h : connect.started()) {
                h.close();
            }
            // Ledgers are read below, once their loops have stopped: termination orders the reads.
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        List<ConnectionLedger> ledgers = new ArrayList<>();
        for (LoadClientHandler h : connect.started()) {
            ledgers.add(h.ledger());
        }
        LedgerSummary summary = LedgerSummary.of(ledgers, metrics.overflowed.sum());
        double measuredSeconds = settings.duration().toNanos() / 1e9;
        LoadReport.Connections connections = new LoadReport.Connections(settings.connections(), ready.size(),
                connect.failed(), connect.failureReasons(), metrics.disconnects.sum());
        LoadReport.Load load = new LoadReport.Load(settings.rate(), settings.warmup().toNanos() / 1e9,
                measuredSeconds, settings.drain().toNanos() / 1e9, outcome.drainSeconds(), outcome.drainComplete(),
                settings.textBytes());
        boolean ok = ready.size() >= 2 && summary.clean();
        return new LoadReport(label, target.getHostString() + ":" + target.getPort(), transport.name(), ok,
                connections, load, summary,
                metrics.sentInWindow.sum() / measuredSeconds, metrics.deliveredInWindow.sum() / measuredSeconds,
                LoadReport.Latency.ofMicros(metrics.latencyMicros()),
                LoadReport.Latency.ofMicros(metrics.sendLagMicros()), outcome.cpu());
    }

    /**
     * How long the drain took, whether everything outstanding arrived before its end, and the
     * CPU use over the measured window.
     */
    private record Outcome(double drainSeconds, boolean drainComplete, CpuSampler.Usage cpu) {
    }

    /** Runs the schedule and the drain, sampling CPU use at the start and end of the window. */
    private Outcome sendAndDrain(String label, List<LoadClientHandler> ready, RunMetrics metrics, CpuSampler cpu)
            throws InterruptedException {
        // Connection k sends to connection k+1 (in a ring of those logged in), so every message
        // has exactly one recipient session and every session exactly one sender.
        Map<EventLoop, LoopSendQueue> queues = new LinkedHashMap<>();
        for (int k = 0; k < ready.size(); k++) {
            LoadClientHandler h = ready.get(k);
            LoopSendQueue queue = queues.computeIfAbsent(h.eventLoop(),
                    loop -> new LoopSendQueue(loop, metrics, SEND_QUEUE_CAPACITY));
            h.sendTo(ready.get((k + 1) % ready.size()).user, settings.textBytes(), queue);
        }
        long origin = System.nanoTime() + LEAD_NANOS;
        long warmup = settings.warmup().toNanos();
        metrics.start(origin, warmup, warmup + settings.duration().toNanos());
        SendScheduler scheduler = new SendScheduler(ready, List.copyOf(queues.values()), settings.rate(), origin,
                settings.totalMessages(), settings.sendQuantum().toNanos());
        Thread thread = new Thread(scheduler, "load-scheduler");
        thread.setDaemon(true);
        thread.start();
        long windowStart = origin + warmup;
        CpuSampler.Sample windowFrom = null;
        CpuSampler.Sample windowTo = null;
        try {
            long lastSent = 0;
            long nextProgress = System.nanoTime() + PROGRESS_EVERY_MILLIS * 1_000_000L;
            while (thread.isAlive()) {
                long now = System.nanoTime();
                if (windowFrom == null && now >= windowStart) {
                    windowFrom = cpu.sample();
                }
                long until = windowFrom == null ? Math.min(windowStart, nextProgress) : nextProgress;
                if (until > now) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, until - now);
                    continue;
                }
                nextProgress = now + PROGRESS_EVERY_MILLIS * 1_000_000L;
                long sent = metrics.sent.sum();
                progress.printf("[%s] %5.1fs sent %d (+%d) acked %d delivered %d disconnects %d%n", label,
                        (System.nanoTime() - origin) / 1e9, sent, sent - lastSent, metrics.acked.sum(),
                        metrics.delivered.sum(), metrics.disconnects.sum());
                progress.flush();
                lastSent = sent;
            }
        } finally {
            scheduler.stop();
            thread.join();
        }
        if (windowFrom != null) {
            windowTo = cpu.sample();
        }
        long drainStart = System.nanoTime();
        long drainEnd = drainStart + settings.drain().toNanos();
        long dispatched = scheduler.dispatched();
        boolean complete = settled(metrics, dispatched);
        while (!complete && System.nanoTime() < drainEnd) {
            Thread.sleep(DRAIN_POLL_MILLIS);
            complete = settled(metrics, dispatched);
        }
        double drained = (System.nanoTime() - drainStart) / 1e9;
        progress.printf("[%s] %s in %.2fs: sent %d answered %d delivered %d%n", label,
                complete ? "drained" : "drain timed out", drained,
                metrics.sent.sum(), metrics.answered.sum(), metrics.delivered.sum());
        progress.flush();
        return new Outcome(drained, complete, windowTo == null ? CpuSampler.Usage.UNKNOWN
                : CpuSampler.between(windowFrom, windowTo));
    }

    /**
     * Every send handled by its loop, every send answered and every acked message delivered.
     * The reads go in that order: once all sends are handled the sent count is final, once all
     * are answered the ack count is, so no later event can undo a true answer.
     */
    private static boolean settled(RunMetrics metrics, long dispatched) {
        if (metrics.handled.sum() < dispatched) {
            return false;
        }
        long sent = metrics.sent.sum();
        if (metrics.answered.sum() < sent) {
            return false;
        }
        long acked = metrics.acked.sum();
        return metrics.delivered.sum() >= acked;
    }
}
