package dev.parley.server.pipeline;

import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;

/**
 * Time limits of an HTTP connection: closed when silent for the timeout, and at four times the
 * timeout whatever it does (a request trickled in a byte at a time included), so no probe or
 * scraper, slow or not, holds a connection for long.
 */
final class HttpDeadline extends TimedConnection {
    private final long silentNanos;
    private final long maxAgeNanos;

    HttpDeadline(Duration timeout) {
        super(timeout.toNanos() / 4);
        this.silentNanos = timeout.toNanos();
        this.maxAgeNanos = 4 * silentNanos;
    }

    @Override
    protected void onTick(ChannelHandlerContext ctx, long now) {
        if (now - lastRead > silentNanos || now - openedAt > maxAgeNanos) {
            stop();
            ctx.close();
        }
    }
}
