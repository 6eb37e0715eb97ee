package dev.parley.e2e.relay;

import dev.parley.e2e.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The trivial in-memory relay: speaks just enough of protocol v1 for the load generator and
 * stores nothing, so it shows the latency floor of this machine's network stack and scheduler.
 * It uses the same threading model as the chat server (one acceptor thread, a small group of
 * I/O threads), so the difference between the two is the server's own work.
 */
public final class RelayServer implements AutoCloseable {
    /** First line the relay prints on stdout; the load generator reads the port from it. */
    public static final String LISTENING = "parley-relay listening on ";

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel serverChannel;

    private RelayServer(EventLoopGroup boss, EventLoopGroup workers, Channel serverChannel) {
        this.boss = boss;
        this.workers = workers;
        this.serverChannel = serverChannel;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RelayCommand()).execute(args));
    }

    /** Binds the relay; {@code port} 0 picks a free one, see {@link #address()}. */
    public static RelayServer start(String host, int port, int ioThreads, int maxFrameBytes)
            throws InterruptedException {
        Transport transport = Transport.best();
        EventLoopGroup boss = transport.newGroup(1, "relay-accept");
        EventLoopGroup workers = transport.newGroup(ioThreads, "relay-io");
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(transport.serverSocketChannel())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(256 * 1024, 4 * 1024 * 1024))
                    .childHandler(new RelayInitializer(new RelaySessions(), maxFrameBytes))
                    .bind(host, port).sync().channel();
            return new RelayServer(boss, workers, channel);
        } catch (InterruptedException | RuntimeException e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Completes when the listening socket closes. */
    public void awaitClose() throws InterruptedException {
        serverChannel.closeFuture().await();
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
