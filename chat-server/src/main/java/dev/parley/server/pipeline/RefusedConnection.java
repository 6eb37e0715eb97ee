package dev.parley.server.pipeline;

import dev.parley.protocol.ErrorCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The whole pipeline of a connection over a cap: one UNAVAILABLE error saying why, then close. */
final class RefusedConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RefusedConnection.class);
    /** Refusals are logged at most every 10 s, with how many there were. */
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;
    private static final AtomicLong LAST_LOG = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private static final AtomicLong UNLOGGED = new AtomicLong();

    private final String reason;

    RefusedConnection(String reason) {
        this.reason = reason;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long unlogged = UNLOGGED.incrementAndGet();
        long now = System.nanoTime();
        long last = LAST_LOG.get();
        if (now - last >= LOG_EVERY_NANOS && LAST_LOG.compareAndSet(last, now)) {
            UNLOGGED.addAndGet(-unlogged);
            log.warn("Refused {} connection(s), the latest from {}: {}", unlogged, ctx.channel().remoteAddress(), reason);
        }
        ErrorAndClose.send(ctx, ErrorCode.UNAVAILABLE, reason);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }
}
