package dev.parley.e2e.load;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;

/** Builds a load connection's pipeline around its handler. */
final class LoadClientInitializer extends ChannelInitializer<SocketChannel> {
    /**
     * Longest server line accepted. The generator asks for no history, so its lines are msg, ack
     * and error frames of a few hundred bytes; the bound only guards against a runaway peer.
     */
    static final int MAX_LINE_BYTES = 1 << 20;

    private final LoadClientHandler handler;

    LoadClientInitializer(LoadClientHandler handler) {
        this.handler = handler;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        // Inbound: bytes -> one line without its \n -> frame decoding and bookkeeping in the handler.
        // Outbound: the handler writes ready-encoded lines, so there is no encoder.
        ch.pipeline()
                .addLast("lines", new LineBasedFrameDecoder(MAX_LINE_BYTES, true, true))
                .addLast("load", handler);
    }
}
