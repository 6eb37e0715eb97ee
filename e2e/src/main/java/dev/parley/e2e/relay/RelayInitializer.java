package dev.parley.e2e.relay;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;

/** Builds a relay session's pipeline. */
final class RelayInitializer extends ChannelInitializer<SocketChannel> {
    private final RelaySessions sessions;
    private final int maxFrameBytes;

    RelayInitializer(RelaySessions sessions, int maxFrameBytes) {
        this.sessions = sessions;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        // Inbound: bytes -> one line without its \n (fails fast past the limit) -> frame handling.
        // Outbound frames are already encoded lines, so no encoder sits in the pipeline.
        ch.pipeline()
                .addLast("lines", new LineBasedFrameDecoder(maxFrameBytes, true, true))
                .addLast("session", new RelayHandler(sessions));
    }
}
