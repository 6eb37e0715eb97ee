package dev.parley.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A connection watched against the clock: when it opened and when it last sent anything are
 * kept, and {@link #onTick} runs on its event loop at a fixed interval until it closes.
 */
abstract class TimedConnection extends ChannelInboundHandlerAdapter {
    private final long everyNanos;
    protected long openedAt;
    protected long lastRead;
    private ScheduledFuture<?> ticks;

    /** @param everyNanos interval of the checks (at least 100 ms) */
    TimedConnection(long everyNanos) {
        this.everyNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(100), everyNanos);
    }

    /** A check, at {@code now} ({@link System#nanoTime()}); {@link #stop} ends them. */
    protected abstract void onTick(ChannelHandlerContext ctx, long now);

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        openedAt = System.nanoTime();
        lastRead = openedAt;
        ticks = ctx.executor().scheduleAtFixedRate(() -> onTick(ctx, System.nanoTime()), everyNanos, everyNanos,
                TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    protected void stop() {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }
}
