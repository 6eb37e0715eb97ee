package dev.parley.server.pipeline;

import dev.parley.protocol.ErrorCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import dev.parley.server.support.LogThrottle;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole pipeline of a connection over a cap: one UNAVAILABLE error saying why, then close. */
final class RefusedConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RefusedConnection.class);
    /** Refusals are logged at most every 10 s, with how many there were. */
    private static final LogThrottle LOG_THROTTLE = new LogThrottle(10, TimeUnit.SECONDS);

    private final String reason;

    RefusedConnection(String reason) {
        this.reason = reason;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long refused = LOG_THROTTLE.occurred();
        if (refused != LogThrottle.SKIP) {
            log.warn("Refused {} connection(s), the latest from {}: {}", refused, ctx.channel().remoteAddress(), reason);
        }
        ErrorAndClose.send(ctx, ErrorCode.UNAVAILABLE, reason);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }
}
