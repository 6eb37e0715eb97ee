package dev.parley.e2e.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.function.Supplier;

/** Picks the Netty transport once: native epoll where the platform has it, NIO elsewhere. */
public record Transport(String name,
                        Supplier<IoHandlerFactory> ioHandlerFactory,
                        Class<? extends SocketChannel> socketChannel,
                        Class<? extends ServerSocketChannel> serverSocketChannel) {

    private static final Transport EPOLL = new Transport("epoll", EpollIoHandler::newFactory,
            EpollSocketChannel.class, EpollServerSocketChannel.class);
    private static final Transport NIO = new Transport("nio", NioIoHandler::newFactory,
            NioSocketChannel.class, NioServerSocketChannel.class);

    /** Epoll when its native library loads, else NIO. */
    public static Transport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** An event loop group of {@code threads} daemon threads named {@code <poolName>-N}. */
    public EventLoopGroup newGroup(int threads, String poolName) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(poolName, true),
                ioHandlerFactory.get());
    }
}
