package dev.parley.e2e.load;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One load connection: logs in, then sends the messages the scheduler hands it and checks the
 * acks, errors and deliveries that come back into its {@link ConnectionLedger}. Everything runs
 * on the channel's event loop but {@link #sendTo} and {@link #close}.
 */
final class LoadClientHandler extends SimpleChannelInboundHandler<ByteBuf> {

    /** Told once per connection whether it got through login. */
    interface SetupListener {
        void onReady(LoadClientHandler handler);

        void onFailed(LoadClientHandler handler, String reason);
    }

    final int index;
    final String user;
    private final String password;
    private final String tag;
    private final int connections;
    private final int maxPending;
    private final Duration helloTimeout;
    private final RunMetrics metrics;
    private final SetupListener listener;
    private final ConnectionLedger ledger;

    private volatile Channel channel;
    private boolean settled;
    private boolean ready;
    private volatile boolean closing;
    /** Set by the run before the first send is scheduled (the hand-off through the queue orders it). */
    private SendFrameTemplate template;
    private LoopSendQueue queue;

    LoadClientHandler(int index, String user, String password, String tag, int connections, int maxPending,
                      Duration helloTimeout, RunMetrics metrics, SetupListener listener) {
        this.index = index;
        this.user = user;
        this.password = password;
        this.tag = tag;
        this.connections = connections;
        this.maxPending = maxPending;
        this.helloTimeout = helloTimeout;
        this.metrics = metrics;
        this.listener = listener;
        this.ledger = new ConnectionLedger(index);
    }

    ConnectionLedger ledger() {
        return ledger;
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /**
     * Makes this connection send to {@code recipient}, its sends handed over through
     * {@code queue} (its event loop's); call before scheduling its first send.
     */
    void sendTo(String recipient, int textBytes, LoopSendQueue queue) {
        this.template = SendFrameTemplate.of(tag, index, recipient, textBytes);
        this.queue = queue;
    }

    LoopSendQueue queue() {
        return queue;
    }

    /** Closes without counting a disconnect (end of run, or a failed login). */
    void close() {
        closing = true;
        if (channel != null) {
            channel.close();
        }
    }

    /** Makes one send, intended at {@code intended} (absolute nanos); on the event loop only. */
    void sendNow(long intended) {
        send(intended);
        // Counted last: the drain takes "handled == dispatched" to mean the sent count is final.
        metrics.handled.increment();
    }

    private void send(long intended) {
        if (!channel.isActive()) {
            ledger.onSkippedClosed();
            return;
        }
        // Open loop with a bound: a server that stops answering gets no more than maxPending
        // sends per connection, and the rest are counted instead of piling up in memory.
        if (ledger.pending() >= maxPending || !channel.isWritable()) {
            ledger.onBackpressured();
            return;
        }
        long seq = ledger.nextSeq();
        channel.writeAndFlush(template.render(channel.alloc(), seq, intended - metrics.origin()),
                channel.voidPromise());
        metrics.onSent(intended, System.nanoTime());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        byte[] hello = FrameCodec.encode(new ClientFrame.Hello(user, password, null, 0, null));
        ctx.writeAndFlush(Unpooled.wrappedBuffer(hello), ctx.voidPromise());
        ctx.executor().schedule(() -> {
            if (!settled) {
                fail("no welcome within " + helloTimeout.toMillis() + " ms");
            }
        }, helloTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
        long now = System.nanoTime();
        ServerFrame frame;
        try {
            frame = FrameCodec.decodeServerFrame(ByteBufUtil.getBytes(line));
        } catch (ProtocolException e) {
            ledger.onError(ErrorCode.BAD_FRAME, -1);
            return;
        }
        if (frame instanceof ServerFrame.Msg msg) {
            onMsg(msg, now);
        } else if (frame instanceof ServerFrame.Ack ack) {
            ledger.onAck(SendFrameTemplate.seqOfRef(ack.ref()));
            metrics.acked.increment();
            metrics.answered.increment();
        } else if (frame instanceof ServerFrame.Error error) {
            onError(error);
        } else if (frame instanceof ServerFrame.Welcome) {
            if (!settled) {
                settled = true;
                ready = true;
                listener.onReady(this);
            }
        }
        // history (empty: hello asks for none), who, pong and bye need nothing here;
        // a server that says bye closes the connection next, which channelInactive counts.
    }

    private void onMsg(ServerFrame.Msg msg, long now) {
        ProbeText.Probe probe = ProbeText.parse(tag, msg.message().text());
        if (probe == null || probe.sender() >= connections) {
            ledger.onUnexpected();
            return;
        }
        if (ledger.onDelivery(msg.message().id(), probe.sender(), probe.seq())) {
            metrics.onDelivered(probe.nanos(), now);
        }
    }

    private void onError(ServerFrame.Error error) {
        if (!settled) {
            fail("login refused: " + error.code() + " " + error.message());
            return;
        }
        long seq = SendFrameTemplate.seqOfRef(error.ref());
        long pendingBefore = ledger.pending();
        ledger.onError(error.code(), seq);
        if (ledger.pending() < pendingBefore) {
            metrics.answered.increment();
        }
    }

    private void fail(String reason) {
        if (!settled) {
            settled = true;
            listener.onFailed(this, reason);
        }
        close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!settled) {
            fail("connection closed before welcome");
        } else if (ready && !closing) {
            metrics.disconnects.increment();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!settled) {
            fail(String.valueOf(cause.getMessage()));
        } else {
            ctx.close();
        }
    }
}
