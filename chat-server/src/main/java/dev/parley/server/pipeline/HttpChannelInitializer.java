package dev.parley.server.pipeline;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.channel.group.ChannelGroup;
import java.time.Duration;
import java.util.function.Function;

/**
 * HTTP/1.1 with time limits ({@link HttpDeadline}) and whole requests of at most 64 KiB, taken one
 * after the other while their responses can leave ({@link InboundGate}: a client pipelining
 * requests without reading the responses is not read any further), then the health, metrics and
 * admin handler.
 */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final Duration timeout;
    private final ChannelGroup channels;
    private final Function<InboundGate, ChannelHandler> handler;

    /** @param handler makes the handler of one connection, given the gate in front of it */
    public HttpChannelInitializer(Duration timeout, ChannelGroup channels, Function<InboundGate, ChannelHandler> handler) {
        this.timeout = timeout;
        this.channels = channels;
        this.handler = handler;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        InboundGate gate = new InboundGate();
        ch.pipeline().addLast(new HttpDeadline(timeout), new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                gate, handler.apply(gate));
    }
}
