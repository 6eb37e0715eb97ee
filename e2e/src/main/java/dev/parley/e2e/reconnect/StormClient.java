package dev.parley.e2e.reconnect;

import dev.parley.cli.Backoff;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One user of a reconnection storm, as a chat client behaves: it logs in with its password,
 * keeps the resume token of each welcome, and when the connection drops comes back after a short
 * random delay, with the token (or the password, when tokens are off or the token is refused),
 * retrying with a doubling delay while the server is away. Confined to one event loop.
 */
final class StormClient {
    /** Lines are welcome, error and pong frames; the bound only guards against a runaway peer. */
    private static final int MAX_LINE_BYTES = 64 * 1024;
    /** Attempts without a welcome before the client gives up for good. */
    private static final int MAX_ATTEMPTS = 200;
    /** A connection without a welcome this long is closed and made again. */
    private static final long WELCOME_TIMEOUT_MILLIS = 10_000;

    private final String user;
    private final String password;
    private final boolean useTokens;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final StormTally tally;

    private Channel channel;
    /** Closes the current connection when no welcome came in time; cancelled by the welcome. */
    private ScheduledFuture<?> welcomeTimer;
    private boolean welcomed;
    private boolean everWelcomed;
    private boolean stopped;
    private String token;
    /** The hello on the current connection gave the token. */
    private boolean resuming;
    private long droppedAt;
    private int attempts;
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

    StormClient(String user, String password, boolean useTokens, EventLoop loop, Bootstrap template, StormTally tally) {
        this.user = user;
        this.password = password;
        this.useTokens = useTokens;
        this.loop = loop;
        this.tally = tally;
        this.bootstrap = template.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE_BYTES, true, true), new Connection());
            }
        });
    }

    void start() {
        loop.execute(this::connect);
    }

    void stop() {
        loop.execute(() -> {
            stopped = true;
            if (channel != null) {
                channel.close();
            }
        });
    }

    private void connect() {
        if (stopped) {
            return;
        }
        if (++attempts > MAX_ATTEMPTS) {
            stopped = true;
            tally.failed("no welcome after " + MAX_ATTEMPTS + " attempts");
            return;
        }
        bootstrap.connect().addListener(f -> {
            if (!f.isSuccess()) {
                retryLater();
            }
        });
    }

    private void retryLater() {
        if (stopped) {
            return;
        }
        loop.schedule(this::connect, backoff.next().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void onWelcome(ServerFrame.Welcome welcome) {
        long now = System.nanoTime();
        welcomeTimer.cancel(false);
        welcomed = true;
        attempts = 0;
        backoff.reset();
        token = welcome.token();
        if (!everWelcomed) {
            everWelcomed = true;
            tally.firstLogin();
        } else {
            tally.back(now, now - droppedAt, resuming ? StormTally.Login.TOKEN : StormTally.Login.PASSWORD);
        }
    }

    private void onRefused(ServerFrame.Error error) {
        if (resuming && error.code() == ErrorCode.AUTH_FAILED) {
            // the token is gone (used, expired, or the server lost it): the password next time
            token = null;
            tally.refused("resume token refused");
        } else if (error.code() == ErrorCode.UNAVAILABLE || error.code() == ErrorCode.RATE_LIMITED) {
            tally.refused(error.code() + ": " + error.message());
        } else {
            stopped = true;
            tally.failed("login refused: " + error.code() + " " + error.message());
        }
        channel.close();
    }

    private final class Connection extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            tally.accepted(System.nanoTime());
            resuming = useTokens && token != null;
            ClientFrame.Hello hello = new ClientFrame.Hello(user, resuming ? null : password, null, 0, null,
                    Protocol.VERSION, resuming ? token : null);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(FrameCodec.encode(hello)), ctx.voidPromise());
            welcomeTimer = loop.schedule(() -> {
                tally.refused("no welcome within " + WELCOME_TIMEOUT_MILLIS + " ms");
                ctx.close();
            }, WELCOME_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
            ServerFrame frame;
            try {
                frame = FrameCodec.decodeServerFrame(ByteBufUtil.getBytes(line));
            } catch (ProtocolException e) {
                return;
            }
            if (frame instanceof ServerFrame.Welcome welcome && !welcomed) {
                onWelcome(welcome);
            } else if (frame instanceof ServerFrame.Error error && !welcomed) {
                onRefused(error);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            welcomeTimer.cancel(false);
            if (welcomed) {
                welcomed = false;
                droppedAt = System.nanoTime();
                tally.dropped(droppedAt);
            }
            retryLater();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
