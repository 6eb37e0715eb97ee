package dev.parley.e2e.suite;

import dev.parley.cli.Backoff;
import dev.parley.e2e.load.ProbeText;
import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One user of the soak: a connection that logs in, sends what the traffic hands it (direct
 * messages to the next user of the ring, or broadcasts), checks what arrives against its
 * {@link SoakLedger}, and when the connection drops (a pod deleted, a rollout) reconnects with
 * {@code since} set to the last id it saw, as the protocol tells clients to. Everything runs on
 * one event loop, the same for every connection of this user, so the ledger needs no locks.
 */
final class SoakClient {
    /** Longest server line: history pages of 1000 messages of a few hundred bytes. */
    private static final int MAX_LINE_BYTES = 4 << 20;
    /** Reconnect attempts over a whole run; a service down longer than this fails the run. */
    private static final int MAX_ATTEMPTS = 2000;
    /**
     * A connection silent this long gets a ping; twice this long, it is taken for dead and
     * replaced. A pod that vanishes without closing its sockets (a node lost, a network cut)
     * would otherwise leave the client waiting for TCP to notice, which takes hours.
     */
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * A connection without a welcome this long is given up and made again. A proxy in front of
     * the service (docker's userland proxy publishing the NodePort on 127.0.0.1) accepts at once
     * and then waits for a pod that is gone; a real server answers a hello in milliseconds.
     */
    private static final long LOGIN_NANOS = TimeUnit.SECONDS.toNanos(5);
    /**
     * The first login registers the user: a password hash at full strength (about 0.3 s of a
     * core), queued behind the other users' on a busy pod, so it gets longer than a resume.
     */
    private static final long FIRST_LOGIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    final int index;
    final String user;
    private final String password;
    private final String tag;
    private final String recipient;
    private final int textBytes;
    private final int maxPending;
    private final long origin;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final SoakMetrics metrics;
    private final SoakLedger ledger;
    private final CompletableFuture<Void> firstLogin = new CompletableFuture<>();

    private Channel channel;
    private long lastHeard;
    private boolean loggedIn;
    private boolean everLoggedIn;
    /** The last welcome's resume token: the next reconnection gives it instead of the password. */
    private String resumeToken;
    /** The hello on the current connection gave a token (refused, the next one gives the password). */
    private boolean resuming;
    private boolean closing;
    private int attempts;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    /** Ids at or below this were stored before the load began: a catch-up never goes further back. */
    private long floorId;
    private String lastLoginError;
    private HistoryQuery query;
    private CompletableFuture<Long> markerAck;

    SoakClient(int index, String user, String password, String tag, String recipient, int textBytes,
               int maxPending, long origin, EventLoop loop, Bootstrap template, SoakMetrics metrics) {
        this.index = index;
        this.user = user;
        this.password = password;
        this.tag = tag;
        this.recipient = recipient;
        this.textBytes = textBytes;
        this.maxPending = maxPending;
        this.origin = origin;
        this.loop = loop;
        this.metrics = metrics;
        this.ledger = new SoakLedger(index);
        this.bootstrap = template.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE_BYTES, true, true), new Connection());
            }
        });
    }

    SoakLedger ledger() {
        return ledger;
    }

    /** Connects; the future completes at the first welcome. */
    CompletableFuture<Void> start() {
        loop.execute(this::connect);
        return firstLogin;
    }

    /** Sets the id below which no catch-up needs to go (the start marker's id). */
    void setFloor(long id) {
        loop.execute(() -> floorId = Math.max(floorId, id));
    }

    /** Hands one send to this user's loop. */
    void send(long intendedNanos, boolean broadcast) {
        loop.execute(() -> sendNow(intendedNanos, broadcast));
    }

    /** Sends one non-probe broadcast (the start marker); completes with its stored id. */
    CompletableFuture<Long> sendMarker(String text) {
        CompletableFuture<Long> id = new CompletableFuture<>();
        loop.execute(() -> {
            if (!loggedIn) {
                id.completeExceptionally(new IllegalStateException(user + " is not logged in"));
                return;
            }
            markerAck = id;
            write(new ClientFrame.Send("*", text, "marker"));
        });
        return id;
    }

    /** One page of history of the conversation with {@code with}, older than {@code before}. */
    CompletableFuture<List<ChatMessage>> history(String with, Long before, int limit) {
        CompletableFuture<List<ChatMessage>> page = new CompletableFuture<>();
        loop.execute(() -> {
            if (!loggedIn || query != null) {
                page.completeExceptionally(new IllegalStateException(
                        user + (loggedIn ? " already has a history query out" : " is not logged in")));
                return;
            }
            query = new HistoryQuery(with, page);
            write(new ClientFrame.HistoryRequest(with, before, limit));
        });
        return page;
    }

    /** Whether this user is logged in and has no unanswered sends (for the drain). */
    CompletableFuture<Boolean> settled() {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        loop.execute(() -> result.complete(loggedIn && ledger.pendingCount() == 0));
        return result;
    }

    /** Stops for good: no reconnect after this. */
    CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            closing = true;
            if (channel != null) {
                channel.close().addListener(f -> done.complete(null));
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    String lastLoginError() {
        return lastLoginError;
    }

    private void connect() {
        if (closing) {
            return;
        }
        attempts++;
        bootstrap.connect().addListener(f -> {
            if (!f.isSuccess()) {
                lastLoginError = "connect: " + f.cause().getMessage();
                reconnectLater();
            }
        });
    }

    private void reconnectLater() {
        if (closing) {
            return;
        }
        if (attempts >= MAX_ATTEMPTS) {
            lastLoginError = "gave up after " + attempts + " connection attempts: " + lastLoginError;
            firstLogin.completeExceptionally(new IllegalStateException(lastLoginError));
            return;
        }
        loop.schedule(this::connect, backoff.next().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void sendNow(long intendedNanos, boolean broadcast) {
        if (!loggedIn) {
            metrics.skippedOffline.increment();
            return;
        }
        if (ledger.pendingCount() >= maxPending || !channel.isWritable()) {
            metrics.backpressured.increment();
            return;
        }
        int seq = ledger.onSend(intendedNanos, broadcast);
        String text = ProbeText.format(tag, index, seq, intendedNanos, textBytes);
        write(new ClientFrame.Send(broadcast ? "*" : recipient, text, Integer.toString(seq)));
        metrics.sent.increment();
    }

    private void write(ClientFrame frame) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(FrameCodec.encode(frame)), channel.voidPromise());
    }

    private void onActive(Channel ch) {
        channel = ch;
        lastHeard = System.nanoTime();
        watch(ch);
        long since = Math.max(ledger.lastId(), floorId);
        // First login: no history (nothing of this run exists yet). After a drop: everything
        // after the last message seen, then live traffic, with no gap and no duplicate.
        ClientFrame.Hello hello = (everLoggedIn
                ? new ClientFrame.Hello(user, password, null, null, since)
                : new ClientFrame.Hello(user, password, null, 0, null)).speaking(Protocol.VERSION);
        // as parley-chat does: a reconnection costs the server no password hash
        resuming = everLoggedIn && resumeToken != null;
        if (resuming) {
            hello = hello.resuming(resumeToken);
            resumeToken = null;
        }
        write(hello);
    }

    /** Checks every few seconds, while {@code ch} is this client's connection, that it still hears from it. */
    private void watch(Channel ch) {
        loop.schedule(() -> {
            if (ch != channel || !ch.isActive()) {
                return;
            }
            long quiet = System.nanoTime() - lastHeard;
            if (quiet > (loggedIn ? 2 * QUIET_NANOS : everLoggedIn ? LOGIN_NANOS : FIRST_LOGIN_NANOS)) {
                lastLoginError = "no answer for " + TimeUnit.NANOSECONDS.toSeconds(quiet) + " s";
                metrics.onError("SILENT_CONNECTION");
                ch.close();
                return;
            }
            if (quiet > QUIET_NANOS && loggedIn) {
                write(new ClientFrame.Ping());
            }
            watch(ch);
        }, LOGIN_NANOS / 5, TimeUnit.NANOSECONDS);
    }

    private void onFrame(ServerFrame frame) {
        lastHeard = System.nanoTime();
        long now = lastHeard - origin;
        if (frame instanceof ServerFrame.Msg msg) {
            onMsg(msg.message(), now);
        } else if (frame instanceof ServerFrame.Ack ack) {
            onAck(ack);
        } else if (frame instanceof ServerFrame.Error error) {
            onError(error);
        } else if (frame instanceof ServerFrame.Welcome welcome) {
            resumeToken = welcome.token();
            loggedIn = true;
            attempts = 0;
            backoff.reset();
            metrics.connected.incrementAndGet();
            if (everLoggedIn) {
                metrics.reconnects.increment();
            }
            everLoggedIn = true;
            firstLogin.complete(null);
        } else if (frame instanceof ServerFrame.History history && query != null
                && query.with.equals(history.with())) {
            HistoryQuery q = query;
            query = null;
            q.page.complete(history.messages());
        }
        // who, pong, bye (the close that follows reconnects) and the empty first history: nothing.
    }

    private void onMsg(ChatMessage m, long now) {
        ledger.onMessageId(m.id(), now);
        ProbeText.Probe probe = ProbeText.parse(tag, m.text());
        if (probe == null) {
            ledger.onForeign();
            return;
        }
        if (probe.sender() == index) {
            // Our own message in a catch-up after a reconnect: proof it was stored.
            ledger.onEcho(probe.seq(), m.id());
            return;
        }
        if (ledger.onReceived(probe.sender(), probe.seq())) {
            metrics.onDelivered((now - probe.nanos()) / 1000);
        }
    }

    private void onAck(ServerFrame.Ack ack) {
        if ("marker".equals(ack.ref()) && markerAck != null) {
            markerAck.complete(ack.id());
            markerAck = null;
            return;
        }
        if (ledger.onAck(seqOf(ack.ref()), ack.id())) {
            metrics.acked.increment();
        }
    }

    private void onError(ServerFrame.Error error) {
        metrics.onError(error.maybeStored() ? error.code().name() + "_MAYBE_STORED" : error.code().name());
        if (!loggedIn) {
            lastLoginError = "login: " + error.code() + " " + error.message();
            if (error.code() == ErrorCode.AUTH_FAILED && resuming) {
                // the token expired or was used: the server closes, the next attempt gives the password
                return;
            }
            if (error.code() == ErrorCode.AUTH_FAILED) {
                closing = true;
                firstLogin.completeExceptionally(new IllegalStateException(user + ": " + lastLoginError));
            }
            return;
        }
        if (query != null && error.ref() == null && error.code() != ErrorCode.UNAVAILABLE) {
            HistoryQuery q = query;
            query = null;
            q.page.completeExceptionally(new IllegalStateException("history with " + q.with + ": " + error.code()
                    + " " + error.message()));
            return;
        }
        if (error.maybeStored()) {
            ledger.onMaybeStored(seqOf(error.ref()));
        } else {
            ledger.onRefused(seqOf(error.ref()));
        }
    }

    private void onInactive() {
        if (loggedIn) {
            loggedIn = false;
            metrics.connected.decrementAndGet();
            if (!closing) {
                metrics.disconnects.increment();
            }
        }
        ledger.onDisconnect();
        channel = null;
        if (query != null) {
            query.page.completeExceptionally(new IllegalStateException("connection of " + user + " dropped"));
            query = null;
        }
        if (markerAck != null) {
            markerAck.completeExceptionally(new IllegalStateException("connection of " + user + " dropped"));
            markerAck = null;
        }
        reconnectLater();
    }

    private static long seqOf(String ref) {
        if (ref == null || ref.isEmpty() || ref.length() > 10) {
            return -1;
        }
        for (int i = 0; i < ref.length(); i++) {
            if (ref.charAt(i) < '0' || ref.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(ref);
    }

    private record HistoryQuery(String with, CompletableFuture<List<ChatMessage>> page) {
    }

    /** The pipeline's end: one per connection, all of them on this user's loop. */
    private final class Connection extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            onActive(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
            try {
                onFrame(FrameCodec.decodeServerFrame(ByteBufUtil.getBytes(line)));
            } catch (ProtocolException e) {
                metrics.onError("UNREADABLE_FRAME");
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onInactive();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            lastLoginError = String.valueOf(cause.getMessage());
            ctx.close();
        }
    }
}
