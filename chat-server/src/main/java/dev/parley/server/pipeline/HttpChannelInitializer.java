package dev.parley.server.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * HTTP/1.1 with time limits ({@link HttpDeadline}) and whole requests of at most 64 KiB, then the
 * health, metrics and admin handler.
 */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final Duration timeout;
    private final Supplier<ChannelHandler> handler;

    public HttpChannelInitializer(Duration timeout, Supplier<ChannelHandler> handler) {
        this.timeout = timeout;
        this.handler = handler;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpDeadline(timeout), new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                handler.get());
    }
}
