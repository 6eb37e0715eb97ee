package dev.parley.server.pipeline;

import dev.parley.protocol.ErrorCode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Time limits of a chat connection, first in its pipeline so it sees every byte: a connection
 * must log in within the login timeout (half a line or a byte now and then does not count), and
 * a logged-in one that sends nothing for the idle timeout is taken for gone (the protocol has
 * clients ping when they have nothing else to send). The protocol handler says when the
 * connection is logged in through {@link #LOGGED_IN}.
 */
public final class ConnectionGuard extends TimedConnection {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    /** Set to true by the protocol handler once the connection is logged in. */
    public static final AttributeKey<Boolean> LOGGED_IN = AttributeKey.valueOf("parley.loggedIn");

    private final long loginTimeoutNanos;
    private final long idleTimeoutNanos;

    public ConnectionGuard(Duration loginTimeout, Duration idleTimeout) {
        super(Math.min(loginTimeout.toNanos(), idleTimeout.toNanos()) / 4);
        this.loginTimeoutNanos = loginTimeout.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    @Override
    protected void onTick(ChannelHandlerContext ctx, long now) {
        boolean loggedIn = Boolean.TRUE.equals(ctx.channel().attr(LOGGED_IN).get());
        if (!ctx.channel().config().isAutoRead()) {
            // The server itself stopped reading (backpressure): the silence is ours, not the client's.
            lastRead = now;
        }
        if (!loggedIn && now - openedAt > loginTimeoutNanos) {
            log.info("Closing connection from {}: no login within {} s", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toSeconds(loginTimeoutNanos));
            stop();
            ErrorAndClose.send(ctx, ErrorCode.NOT_AUTHENTICATED,
                    "no login within " + TimeUnit.NANOSECONDS.toSeconds(loginTimeoutNanos) + " s; closing");
        } else if (loggedIn && now - lastRead > idleTimeoutNanos) {
            log.debug("Closing connection from {}: nothing received for {} s", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toSeconds(idleTimeoutNanos));
            stop();
            ctx.close();
        }
    }
}
