package dev.parley.server.session;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.store.EventDispatcher;
import dev.parley.server.store.StoredMessage;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every stored message to the local sessions that should see it: a DM to each session of
 * the recipient and the sender's other sessions, a broadcast to every other session. Runs on the
 * dispatcher thread and hands each session one task per batch on its own event loop, which keeps
 * each session's messages in id order.
 */
public final class Fanout implements EventDispatcher.Listener {
    private static final Logger log = LoggerFactory.getLogger(Fanout.class);

    private final SessionRegistry registry;

    public Fanout(SessionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void onMessages(List<StoredMessage> messages) {
        Map<Session, List<Outbound>> targets = new IdentityHashMap<>();
        for (StoredMessage stored : messages) {
            ChatMessage m = stored.message();
            Outbound out = new Outbound(m, FrameCodec.encode(new ServerFrame.Msg(m)));
            if (m.isBroadcast()) {
                for (Session s : registry.all()) {
                    add(targets, s, out, stored.origin());
                }
            } else {
                for (Session s : registry.sessionsOf(m.to())) {
                    add(targets, s, out, stored.origin());
                }
                if (!m.from().equals(m.to())) {
                    for (Session s : registry.sessionsOf(m.from())) {
                        add(targets, s, out, stored.origin());
                    }
                }
            }
        }
        // one task per event loop, not per session: a batch costs each loop a single wake-up
        Map<EventLoop, List<Map.Entry<Session, List<Outbound>>>> byLoop = new IdentityHashMap<>();
        for (Map.Entry<Session, List<Outbound>> e : targets.entrySet()) {
            byLoop.computeIfAbsent(e.getKey().channel().eventLoop(), l -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<EventLoop, List<Map.Entry<Session, List<Outbound>>>> e : byLoop.entrySet()) {
            List<Map.Entry<Session, List<Outbound>>> work = e.getValue();
            e.getKey().execute(() -> {
                for (Map.Entry<Session, List<Outbound>> w : work) {
                    w.getKey().deliver(w.getValue());
                }
            });
        }
    }

    private static void add(Map<Session, List<Outbound>> targets, Session s, Outbound out, String origin) {
        if (!s.origin().equals(origin)) {
            targets.computeIfAbsent(s, k -> new ArrayList<>()).add(out);
        }
    }

    @Override
    public void onDiscontinuity(String reason) {
        log.warn("Live delivery broke off ({}); disconnecting {} sessions so their clients resume from history",
                reason, registry.all().size());
        byte[] error = FrameCodec.encode(new ServerFrame.Error(ErrorCode.UNAVAILABLE,
                "this server fell behind; reconnect with since to catch up", null));
        for (Session s : registry.all()) {
            s.channel().writeAndFlush(Unpooled.wrappedBuffer(error)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
