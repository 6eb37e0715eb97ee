package dev.parley.server.codec;

import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Turns one line into a {@link dev.parley.protocol.ClientFrame}, or into the
 * {@link ProtocolException} that says what is wrong with it: a bad frame is an answer, not a
 * reason to drop the connection, so it travels down the pipeline like a good one. Blank lines
 * are skipped.
 */
public final class ClientFrameDecoder extends MessageToMessageDecoder<ByteBuf> {
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf line, List<Object> out) {
        if (isBlank(line)) {
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(line);
        try {
            out.add(FrameCodec.decodeClientFrame(bytes));
        } catch (ProtocolException e) {
            out.add(e);
        }
    }

    private static boolean isBlank(ByteBuf line) {
        for (int i = line.readerIndex(); i < line.writerIndex(); i++) {
            byte b = line.getByte(i);
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
