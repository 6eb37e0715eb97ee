package dev.parley.server.pipeline;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

/** The last words of a connection turned away ahead of the encoder: one error frame, then close. */
final class ErrorAndClose {
    private ErrorAndClose() {
    }

    static void send(ChannelHandlerContext ctx, ErrorCode code, String message) {
        byte[] frame = FrameCodec.encode(new ServerFrame.Error(code, message, null));
        ctx.writeAndFlush(Unpooled.wrappedBuffer(frame)).addListener(ChannelFutureListener.CLOSE);
    }
}
