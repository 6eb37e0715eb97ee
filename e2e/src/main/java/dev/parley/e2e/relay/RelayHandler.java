package dev.parley.e2e.relay;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * One relay session: answers hello with welcome, send with ack plus a msg to the recipient's
 * sessions, and ping, who, history and bye trivially. No passwords, no storage, no rate limit.
 */
final class RelayHandler extends SimpleChannelInboundHandler<ByteBuf> {
    static final String NODE = "relay";

    private final RelaySessions sessions;
    private String user;
    private String defaultTo;

    RelayHandler(RelaySessions sessions) {
        this.sessions = sessions;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
        ClientFrame frame;
        try {
            frame = FrameCodec.decodeClientFrame(ByteBufUtil.getBytes(line));
        } catch (ProtocolException e) {
            write(ctx, e.toFrame());
            return;
        }
        if (user == null && !(frame instanceof ClientFrame.Hello) && !(frame instanceof ClientFrame.Ping)) {
            write(ctx, new ServerFrame.Error(ErrorCode.NOT_AUTHENTICATED, "say hello first",
                    frame instanceof ClientFrame.Send s ? s.ref() : null));
            return;
        }
        if (frame instanceof ClientFrame.Hello hello) {
            onHello(ctx, hello);
        } else if (frame instanceof ClientFrame.Send send) {
            onSend(ctx, send);
        } else if (frame instanceof ClientFrame.HistoryRequest request) {
            write(ctx, new ServerFrame.History(request.with(), List.of()));
        } else if (frame instanceof ClientFrame.Who) {
            write(ctx, new ServerFrame.WhoList(sessions.users()));
        } else if (frame instanceof ClientFrame.Ping) {
            write(ctx, new ServerFrame.Pong());
        } else if (frame instanceof ClientFrame.Bye) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(FrameCodec.encode(new ServerFrame.Bye())))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void onHello(ChannelHandlerContext ctx, ClientFrame.Hello hello) {
        if (user != null) {
            sessions.remove(user, ctx.channel());
        }
        user = hello.user();
        defaultTo = hello.to();
        sessions.add(user, ctx.channel());
        write(ctx, new ServerFrame.Welcome(user, NODE));
    }

    private void onSend(ChannelHandlerContext ctx, ClientFrame.Send send) {
        String to = send.to() != null ? send.to() : defaultTo != null ? defaultTo : Protocol.BROADCAST;
        if (Protocol.BROADCAST.equals(to)) {
            // Broadcasts would need every session's lock to keep per-session id order; the
            // load generator only sends direct messages, so the relay declines them.
            write(ctx, new ServerFrame.Error(ErrorCode.INVALID, "the relay carries direct messages only",
                    send.ref()));
            return;
        }
        long id = sessions.deliver(user, to, send.text());
        write(ctx, new ServerFrame.Ack(send.ref(), id, System.currentTimeMillis()));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (user != null) {
            sessions.remove(user, ctx.channel());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(FrameCodec.encode(
                            new ServerFrame.Error(ErrorCode.TOO_LARGE, "line over the frame limit", null))))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            // Resets and broken pipes from clients that went away: nothing to report, just let go.
            ctx.close();
        }
    }

    private static void write(ChannelHandlerContext ctx, ServerFrame frame) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(FrameCodec.encode(frame)), ctx.voidPromise());
    }
}
