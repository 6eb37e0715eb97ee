package dev.parley.server.session;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.metrics.ServerMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logged-in connection as the fan-out sees it: who it is and the msg frames on their way to
 * it. Every method runs on the channel's event loop. Live messages wait in a bounded queue until
 * the session has its history (or its catch-up after {@code since}) and the socket can take more;
 * a client that keeps more than the bound waiting for 2 s without reading, or twice the bound at
 * any moment, is disconnected, and can come back with {@code since} without losing anything.
 */
public final class Session {
    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Channel channel;
    private final String origin;
    private final String user;
    private final String defaultTo;
    private final long maxHeldBytes;
    private final ServerMetrics metrics;
    private final ArrayDeque<Outbound> held = new ArrayDeque<>();
    private long heldBytes;
    /** When the socket last took messages (or drained): a client that stops reading stops this. */
    private long lastProgress = System.nanoTime();
    private boolean live;
    private long lastMsgId;
    private Iterator<ChatMessage> backlog;
    /** The caught-up frame that follows the backlog, for a v1.1 client; null once written or not wanted. */
    private ServerFrame.CaughtUp caughtUp;
    private String historyWith;
    private long historyMaxId;

    public Session(Channel channel, String origin, String user, String defaultTo, long maxHeldBytes,
                   ServerMetrics metrics) {
        this.channel = channel;
        this.origin = origin;
        this.user = user;
        this.defaultTo = defaultTo;
        this.maxHeldBytes = maxHeldBytes;
        this.metrics = metrics;
    }

    public Channel channel() {
        return channel;
    }

    /** Identifies the connection a message was sent from, so it is not echoed back to it. */
    public String origin() {
        return origin;
    }

    public String user() {
        return user;
    }

    /** The recipient of sends without {@code to}: a user, or {@code *}. */
    public String defaultTo() {
        return defaultTo;
    }

    /** Live messages from the fan-out; held until the session is live and the socket is writable. */
    public void deliver(List<Outbound> messages) {
        if (!channel.isActive()) {
            return;
        }
        for (Outbound o : messages) {
            held.add(o);
            heldBytes += o.frame().length;
        }
        if (live) {
            drain();
        }
        if (heldBytes > maxHeldBytes) {
            // One fan-out batch can pass the bound by itself while the client reads at once, so
            // the bound alone does not condemn it: only a client that also made no progress for a
            // while, or that is twice over, is dropped. Memory per client stays bounded either way.
            boolean stalled = System.nanoTime() - lastProgress > STALL_NANOS;
            if (stalled || heldBytes > 2 * maxHeldBytes) {
                disconnectSlowConsumer();
            }
        }
    }

    private void disconnectSlowConsumer() {
        metrics.slowConsumerDisconnected();
        log.info("Disconnecting {} ({}): {} bytes of messages waited for it; it can resume with since={}",
                user, channel.remoteAddress(), heldBytes, lastMsgId);
        held.clear();
        heldBytes = 0;
        channel.close();
    }

    /**
     * The history frame was written: go live, skipping held messages that it already showed and
     * any stored before the login ({@code last}, the welcome's newest id: older ones are history).
     */
    public void startLiveAfterHistory(String with, List<ChatMessage> history, long last) {
        lastMsgId = Math.max(lastMsgId, last);
        historyWith = with;
        historyMaxId = history.isEmpty() ? 0 : history.get(history.size() - 1).id();
        live = true;
        drain();
    }

    /**
     * Go live after sending {@code missed} (ids above the client's {@code since}) as msg frames,
     * then, if {@code markEnd}, a caught-up frame.
     */
    public void startLiveAfterCatchUp(long since, List<ChatMessage> missed, boolean markEnd) {
        backlog = missed.iterator();
        if (markEnd) {
            caughtUp = new ServerFrame.CaughtUp(missed.isEmpty() ? since : missed.get(missed.size() - 1).id());
        }
        live = true;
        drain();
    }

    /** The socket drained below its low-water mark: continue writing what waits. */
    public void writable() {
        lastProgress = System.nanoTime();
        if (live) {
            drain();
        }
    }

    private void drain() {
        boolean wrote = false;
        while (channel.isWritable()) {
            ChatMessage message;
            byte[] frame;
            if (backlog != null && backlog.hasNext()) {
                message = backlog.next();
                frame = FrameCodec.encode(new ServerFrame.Msg(message));
            } else if (caughtUp != null) {
                // after the stored messages, before the first live one
                channel.write(Unpooled.wrappedBuffer(FrameCodec.encode(caughtUp)), channel.voidPromise());
                metrics.frameOut(caughtUp.type());
                caughtUp = null;
                backlog = null;
                wrote = true;
                continue;
            } else {
                backlog = null;
                Outbound next = held.poll();
                if (next == null) {
                    break;
                }
                heldBytes -= next.frame().length;
                message = next.message();
                frame = next.frame();
                if (shownInHistory(message)) {
                    continue;
                }
            }
            if (message.id() <= lastMsgId) {
                continue;
            }
            lastMsgId = message.id();
            channel.write(Unpooled.wrappedBuffer(frame), channel.voidPromise());
            metrics.delivered(1);
            wrote = true;
        }
        if (wrote) {
            lastProgress = System.nanoTime();
            channel.flush();
        }
    }

    private boolean shownInHistory(ChatMessage m) {
        if (historyWith == null || m.id() > historyMaxId) {
            return false;
        }
        String with = m.isBroadcast() ? Protocol.BROADCAST : (user.equals(m.from()) ? m.to() : m.from());
        return historyWith.equals(with);
    }
}
