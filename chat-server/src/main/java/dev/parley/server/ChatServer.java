package dev.parley.server;

import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.auth.Authenticator;
import dev.parley.server.auth.LoginRefusals;
import dev.parley.server.auth.PasswordHasher;
import dev.parley.server.auth.ResumeTokens;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.handler.ChatServices;
import dev.parley.server.http.HttpHandler;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.pipeline.ChatChannelInitializer;
import dev.parley.server.pipeline.ConnectionAdmission;
import dev.parley.server.pipeline.HttpChannelInitializer;
import dev.parley.server.pipeline.InboundGate;
import dev.parley.server.session.Fanout;
import dev.parley.server.session.Presence;
import dev.parley.server.session.SessionRegistry;
import dev.parley.server.store.ChatStore;
import dev.parley.server.store.EventDispatcher;
import dev.parley.server.store.LiveDelivery;
import dev.parley.server.store.MessageWriter;
import dev.parley.server.store.NameIndexer;
import dev.parley.server.store.StoreHealth;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.BindException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the chat and HTTP listeners with everything behind them, and drains them on shutdown. */
public final class ChatServer {
    /** The --bind value for every address of the host. */
    public static final String ANY_ADDRESS = "*";
    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
    /** How long a resume token given in a welcome can log in once. */
    public static final Duration RESUME_TOKEN_TTL = Duration.ofHours(24);

    private final ServerConfig config;
    private final ServerMetrics metrics = new ServerMetrics();
    private final SessionRegistry registry = new SessionRegistry();
    private final ChannelGroup chatChannels = new DefaultChannelGroup("chat", GlobalEventExecutor.INSTANCE);
    private final ChannelGroup httpChannels = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);
    private final ConnectionAdmission admission;
    private volatile boolean draining;
    private ChatStore store;
    private StoreHealth health;
    private MessageWriter writer;
    private EventDispatcher dispatcher;
    private Presence presence;
    private NameIndexer nameIndexer;
    private ExecutorService authExecutor;
    private ExecutorService queryExecutor;
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel chatListener;
    private Channel httpListener;

    public ChatServer(ServerConfig config) {
        this.config = config;
        this.admission = new ConnectionAdmission(config.limits().maxConnections(), config.limits().maxPerAddress());
    }

    /** Binds both ports; Redis need not be up yet (the server reports not ready until it is). */
    public void start() throws InterruptedException {
        store = new ChatStore(config, 16);
        health = new StoreHealth(store);
        health.start();
        if (!health.isUp()) {
            log.warn("Redis at {} does not answer yet; /readyz stays 503 and sends answer UNAVAILABLE until it does",
                    store.describe());
        }
        metrics.gauge("parley_store_up", "1 when Redis answers", () -> health.isUp() ? 1 : 0);
        // with 64 unacknowledged sends per connection, 1,000 busy connections fit without refusals
        LiveDelivery delivery = new LiveDelivery(new Fanout(registry));
        writer = new MessageWriter(store, health, metrics, 65_536, config.storeLinger(), delivery);
        metrics.gauge("parley_store_backlog", "Messages waiting to be stored", writer::backlog);
        metrics.gauge("parley_outbound_buffered_bytes",
                "Bytes written to chat and HTTP connections that their clients have not taken yet",
                () -> bufferedBytes(chatChannels) + bufferedBytes(httpChannels));
        writer.start();
        dispatcher = new EventDispatcher(store, health, delivery);
        dispatcher.start();
        presence = new Presence(store, health, config.nodeId(), Presence.TTL_MILLIS);
        presence.start();
        nameIndexer = new NameIndexer(store);
        nameIndexer.start();
        int cores = Runtime.getRuntime().availableProcessors();
        LoginRefusals loginRefusals = new LoginRefusals(metrics);
        // A short queue: a hello that cannot be checked soon is better refused now (UNAVAILABLE,
        // the client tries again) than answered seconds late behind a flood of slow hashes.
        ThreadPoolExecutor auth = executor("parley-auth", Math.max(2, cores), config.logins().authQueue(),
                (task, pool) -> {
                    if (!pool.isShutdown()) {
                        loginRefusals.busy(pool.getQueue().size());
                    }
                    throw new RejectedExecutionException("auth queue full");
                });
        metrics.gauge("parley_auth_waiting", "Hellos waiting for a password check", () -> auth.getQueue().size());
        authExecutor = auth;
        queryExecutor = executor("parley-query", 4, 10_000, new ThreadPoolExecutor.AbortPolicy());
        ChatServices services = new ChatServices(config, metrics, registry, store,
                new Authenticator(store, new PasswordHasher(config.passwordIterations())), loginRefusals,
                new ResumeTokens(store, RESUME_TOKEN_TTL),
                writer, health,
                presence, authExecutor, queryExecutor, () -> draining);

        boolean epoll = Epoll.isAvailable();
        bossGroup = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerSocketChannel> channelType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        chatListener = bind(new ServerBootstrap().group(bossGroup, workerGroup).channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client that vanished without closing (power cut, network gone) is found by TCP.
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChatChannelInitializer(services, chatChannels, admission)),
                config.limits().bind(), config.port(), "chat");
        httpListener = bind(new ServerBootstrap().group(bossGroup, workerGroup).channel(channelType)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new HttpChannelInitializer(config.limits().httpTimeout(), httpChannels,
                        gate -> new HttpHandler(config, metrics, health, writer, gate, () -> draining))),
                config.limits().httpBind(), config.httpPort(), "HTTP");
        log.info("Parley chat server {} listening: chat on {}:{} ({} I/O threads), HTTP on {}:{}, Redis at {}",
                config.nodeId(), config.limits().bind(), config.port(), config.ioThreads(), config.limits().httpBind(),
                config.httpPort(), store.describe());
    }

    /** @param host the address to listen on; {@code *} for the wildcard address (IPv4 and IPv6 where the OS has both) */
    private Channel bind(ServerBootstrap bootstrap, String host, int port, String what) throws InterruptedException {
        try {
            return (ANY_ADDRESS.equals(host) ? bootstrap.bind(port) : bootstrap.bind(host, port)).sync().channel();
        } catch (Exception e) {
            if (e instanceof BindException || e.getCause() instanceof BindException
                    || String.valueOf(e.getMessage()).contains("Address already in use")) {
                throw new IllegalStateException("cannot listen for " + what + " on port " + port
                        + ": the port is in use", e);
            }
            throw e;
        }
    }

    /**
     * Stops within {@code grace}: readiness turns 503, the chat port closes, sends already taken
     * are stored and acknowledged, then every client gets {@code bye} and is disconnected.
     */
    public void shutdown() {
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        draining = true;
        log.info("Shutting down: refusing new connections and telling {} connected clients", chatChannels.size());
        if (chatListener != null) {
            chatListener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        for (Channel ch : chatChannels) {
            ch.eventLoop().execute(() -> {
                InboundGate gate = ch.pipeline().get(InboundGate.class);
                if (gate != null) {
                    gate.shut(InboundGate.Wait.CLOSING);
                }
            });
        }
        if (writer != null) {
            writer.drainAndStop(remainingMillis(deadline) / 2);
        }
        byte[] bye = FrameCodec.encode(new ServerFrame.Bye());
        for (Channel ch : chatChannels) {
            // queued behind the acks the writer just handed to each event loop
            ch.eventLoop().execute(() -> ch.writeAndFlush(Unpooled.wrappedBuffer(bye))
                    .addListener(ChannelFutureListener.CLOSE));
        }
        chatChannels.newCloseFuture().awaitUninterruptibly(Math.max(1, remainingMillis(deadline) - 500));
        chatChannels.close().awaitUninterruptibly(200);
        closeQuietly(dispatcher);
        closeQuietly(presence);
        closeQuietly(nameIndexer);
        if (httpListener != null) {
            httpListener.close().awaitUninterruptibly(500);
        }
        if (authExecutor != null) {
            authExecutor.shutdownNow();
            queryExecutor.shutdownNow();
        }
        closeQuietly(health);
        closeQuietly(store);
        if (workerGroup != null) {
            workerGroup.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
            bossGroup.shutdownGracefully(0, 200, TimeUnit.MILLISECONDS);
            workerGroup.terminationFuture().awaitUninterruptibly(Math.max(1, remainingMillis(deadline)));
        }
        log.info("Shutdown complete");
    }

    /** What the channels hold for their clients, read without stopping them (the counters are volatile). */
    private static long bufferedBytes(ChannelGroup channels) {
        long total = 0;
        for (Channel ch : channels) {
            ChannelOutboundBuffer buffer = ch.unsafe().outboundBuffer();
            if (buffer != null) {
                total += buffer.totalPendingWriteBytes();
            }
        }
        return total;
    }

    public boolean isDraining() {
        return draining;
    }

    private static long remainingMillis(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.debug("Closing {} during shutdown failed", c.getClass().getSimpleName(), e);
        }
    }

    private static ThreadPoolExecutor executor(String name, int threads, int queue, RejectedExecutionHandler full) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, full);
    }
}
