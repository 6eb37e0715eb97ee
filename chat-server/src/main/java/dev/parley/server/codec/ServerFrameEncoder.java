package dev.parley.server.codec;

import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/** Writes a {@link ServerFrame} as one JSON line. Pre-encoded msg frames pass by as buffers. */
@ChannelHandler.Sharable
public final class ServerFrameEncoder extends MessageToMessageEncoder<ServerFrame> {
    @Override
    protected void encode(ChannelHandlerContext ctx, ServerFrame frame, List<Object> out) {
        out.add(Unpooled.wrappedBuffer(FrameCodec.encode(frame)));
    }
}
