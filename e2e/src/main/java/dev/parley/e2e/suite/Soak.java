package dev.parley.e2e.suite;

import dev.parley.e2e.load.ProbeText;
import dev.parley.e2e.net.Transport;
import dev.parley.protocol.ChatMessage;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The load the suite keeps up while it breaks things: a ring of users that log in once, send at
 * an open-loop rate, reconnect with {@code since} whenever they are dropped, and in the end read
 * their history back. The ledgers are read only after {@link #stop} has stopped the event loops.
 */
final class Soak {
    /** Messages a history page may hold: the protocol's most. */
    private static final int PAGE = 1000;
    private static final int MAX_PAGES = 10_000;

    /**
     * @param tag   unique to this run: the probes' prefix, so anything else in the service is ignored
     */
    record Settings(InetSocketAddress target, int users, String userPrefix, String password, String tag,
                    double rate, int broadcastEvery, int textBytes, int maxPending, int ioThreads) {
    }

    private final Settings settings;
    private final PrintStream progress;
    private final long origin = System.nanoTime();
    private final SoakMetrics metrics = new SoakMetrics();
    private final Timeline timeline;
    private final List<SoakClient> clients = new ArrayList<>();
    private final List<String> users = new ArrayList<>();
    private EventLoopGroup group;
    private Traffic traffic;
    private long floorId;
    private long trafficStopNanos = Long.MAX_VALUE;

    Soak(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
        this.timeline = new Timeline(metrics, origin, progress);
    }

    Timeline timeline() {
        return timeline;
    }

    SoakMetrics metrics() {
        return metrics;
    }

    List<String> users() {
        return List.copyOf(users);
    }

    /** Nanoseconds since the load's origin: the clock of send times and windows. */
    long nanos() {
        return System.nanoTime() - origin;
    }

    /** Logs every user in, sends the start marker and starts the traffic and the timeline. */
    void start(long loginTimeoutSeconds) throws Exception {
        Transport transport = Transport.best();
        group = transport.newGroup(settings.ioThreads(), "soak-io");
        Bootstrap template = new Bootstrap()
                .channel(transport.socketChannel())
                .remoteAddress(settings.target())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024));
        int n = settings.users();
        for (int i = 0; i < n; i++) {
            users.add(settings.userPrefix() + i);
        }
        Iterator<io.netty.util.concurrent.EventExecutor> loops = group.iterator();
        List<CompletableFuture<Void>> logins = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!loops.hasNext()) {
                loops = group.iterator();
            }
            SoakClient client = new SoakClient(i, users.get(i), settings.password(), settings.tag(),
                    users.get((i + 1) % n), settings.textBytes(), settings.maxPending(), origin,
                    (EventLoop) loops.next(), template, metrics);
            clients.add(client);
            logins.add(client.start());
        }
        try {
            CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)).get(loginTimeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            long in = logins.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count();
            String why = clients.stream().map(SoakClient::lastLoginError).filter(w -> w != null).findFirst().orElse("no answer");
            throw new IllegalStateException(in + " of " + n + " users logged in within " + loginTimeoutSeconds
                    + " s (" + why + "); is the chat service reachable at " + settings.target() + "?");
        }
        // Every message of this run gets an id above the marker's, so a catch-up never needs
        // to reach further back than it, even for a user that has not received anything yet.
        floorId = clients.get(0).sendMarker("e2e run " + settings.tag() + " starts").get(30, TimeUnit.SECONDS);
        for (SoakClient c : clients) {
            c.setFloor(floorId);
        }
        progress.printf("%d users logged in to %s; sending %.0f messages/s (one in %d a broadcast)%n",
                n, settings.target(), settings.rate(), settings.broadcastEvery());
        timeline.start();
        traffic = new Traffic(clients, origin, settings.rate(), settings.broadcastEvery());
        traffic.start();
    }

    void setRate(double perSecond) {
        traffic.setRate(perSecond);
    }

    /**
     * Stops sending and waits, up to {@code timeoutSeconds}, until every user is connected with
     * nothing unanswered and deliveries have stopped coming for two seconds.
     */
    boolean stopAndDrain(long timeoutSeconds) throws Exception {
        traffic.close();
        trafficStopNanos = nanos();
        timeline.phase("draining");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long lastDelivered = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            boolean settled = true;
            for (SoakClient c : clients) {
                settled &= c.settled().get(5, TimeUnit.SECONDS);
            }
            long delivered = metrics.delivered.sum();
            if (delivered != lastDelivered) {
                lastDelivered = delivered;
                quietSince = System.nanoTime();
            }
            if (settled && System.nanoTime() - quietSince >= TimeUnit.SECONDS.toNanos(2)) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    long trafficStopNanos() {
        return trafficStopNanos;
    }

    /**
     * Reads back, through the history query, the direct messages each user received and the
     * broadcast conversation: what the store holds once the dust has settled.
     */
    StoredHistory readHistory() throws Exception {
        int n = clients.size();
        Map<Integer, BitSet> dms = new HashMap<>();
        for (int j = 0; j < n; j++) {
            int sender = (j - 1 + n) % n;
            dms.put(sender, probesOf(pages(clients.get(j), users.get(sender)), sender));
        }
        List<ChatMessage> broadcast = pages(clients.get(0), "*");
        Map<Integer, BitSet> broadcasts = new HashMap<>();
        for (ChatMessage m : broadcast) {
            ProbeText.Probe p = ProbeText.parse(settings.tag(), m.text());
            if (p != null && p.sender() < n && p.seq() <= Integer.MAX_VALUE) {
                broadcasts.computeIfAbsent(p.sender(), s -> new BitSet()).set((int) p.seq());
            }
        }
        return new StoredHistory(dms, broadcasts);
    }

    /** Which messages of each sender the store holds: direct ones in the recipient's, broadcasts. */
    record StoredHistory(Map<Integer, BitSet> directBySender, Map<Integer, BitSet> broadcastBySender) {
    }

    private List<ChatMessage> pages(SoakClient client, String with) throws Exception {
        List<ChatMessage> all = new ArrayList<>();
        Long before = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            List<ChatMessage> messages = client.history(with, before, PAGE).get(30, TimeUnit.SECONDS);
            all.addAll(messages);
            if (messages.isEmpty() || messages.get(0).id() <= floorId) {
                return all;
            }
            before = messages.get(0).id();
        }
        throw new IllegalStateException("history of " + client.user + " with " + with + " has more than "
                + MAX_PAGES + " pages");
    }

    private BitSet probesOf(List<ChatMessage> messages, int sender) {
        BitSet seqs = new BitSet();
        for (ChatMessage m : messages) {
            ProbeText.Probe p = ProbeText.parse(settings.tag(), m.text());
            if (p != null && p.sender() == sender && p.seq() <= Integer.MAX_VALUE) {
                seqs.set((int) p.seq());
            }
        }
        return seqs;
    }

    /** Closes every connection and stops the loops; the ledgers can be read after this. */
    List<SoakLedger> stop() throws InterruptedException {
        if (traffic != null) {
            traffic.close();
        }
        timeline.close();
        for (SoakClient c : clients) {
            try {
                c.close().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Closing is best effort: the loops stop below either way.
            }
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        List<SoakLedger> ledgers = new ArrayList<>();
        for (SoakClient c : clients) {
            ledgers.add(c.ledger());
        }
        return ledgers;
    }
}
