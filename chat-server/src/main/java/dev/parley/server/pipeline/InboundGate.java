package dev.parley.server.pipeline;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.EnumSet;

/**
 * Takes a connection's requests one after the other only while their answers can leave. The gate
 * shuts while the socket's outbound buffer is over its high-water mark, or while the handler
 * behind it asks it to wait (see {@link Wait}); shut, it stops reading the socket, so TCP pushes
 * back on the client, and holds the requests already decoded from the last read (at most one
 * read's worth) to pass them on, in order, when it opens again.
 *
 * <p>This is what bounds the memory a client can make the server hold: whatever it sends, and
 * however much of it at once, no more answers are produced for it than its socket takes, plus
 * the one in progress. One instance per channel; every method runs on its event loop.
 */
public final class InboundGate extends ChannelDuplexHandler {
    /** Why the gate is shut; it opens when no reason is left. */
    public enum Wait {
        /** The socket's outbound buffer is over its high-water mark (managed by the gate). */
        WRITES,
        /** Too many sends of this connection wait for the store. */
        SENDS,
        /** An answer that needs the store (login, history, who) is being prepared. */
        ANSWER,
        /** The connection or the server is closing: nothing more is read. */
        CLOSING
    }

    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private final EnumSet<Wait> shut = EnumSet.noneOf(Wait.class);
    private ChannelHandlerContext ctx;
    private boolean releasing;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Stops passing requests on until {@link #open} is called with the same reason. */
    public void shut(Wait reason) {
        if (shut.add(reason)) {
            updateReading();
        }
    }

    /** Lifts one reason; with none left, the held requests go on in order and reading resumes. */
    public void open(Wait reason) {
        if (shut.remove(reason)) {
            release();
        }
    }

    /** Whether requests pass right now. */
    public boolean isOpen() {
        return shut.isEmpty();
    }

    /** Requests decoded but not yet passed on. */
    public int heldCount() {
        return held.size();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (shut.isEmpty() && held.isEmpty()) {
            ctx.fireChannelRead(msg);
        } else {
            held.add(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // the handler behind sees the change first (it may have messages of its own to write)
        ctx.fireChannelWritabilityChanged();
        if (ctx.channel().isWritable()) {
            open(Wait.WRITES);
        } else {
            shut(Wait.WRITES);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discardHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discardHeld();
    }

    private void release() {
        if (releasing) {
            // a request being passed on opened the gate again: the loop below goes on by itself
            return;
        }
        releasing = true;
        try {
            Object msg;
            while (shut.isEmpty() && ctx.channel().isActive() && (msg = held.poll()) != null) {
                ctx.fireChannelRead(msg);
            }
        } finally {
            releasing = false;
        }
        if (shut.isEmpty() && !held.isEmpty() && !ctx.channel().isActive()) {
            discardHeld();
        }
        updateReading();
    }

    private void updateReading() {
        boolean read = shut.isEmpty();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    private void discardHeld() {
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
