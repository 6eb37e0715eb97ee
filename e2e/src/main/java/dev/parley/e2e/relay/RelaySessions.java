package dev.parley.e2e.relay;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The relay's only state: the open sessions of each user and the last message id handed out. */
final class RelaySessions {
    private final ConcurrentHashMap<String, UserSessions> byUser = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();

    void add(String user, Channel channel) {
        byUser.compute(user, (u, sessions) -> {
            UserSessions s = sessions == null ? new UserSessions() : sessions;
            s.add(channel);
            return s;
        });
    }

    void remove(String user, Channel channel) {
        byUser.computeIfPresent(user, (u, sessions) -> sessions.remove(channel) ? null : sessions);
    }

    List<String> users() {
        return List.copyOf(byUser.keySet());
    }

    /**
     * Gives the message the next id and queues a {@code msg} frame to every session of {@code to}.
     * The id is taken under the recipient's lock so that each session sees its messages in id order
     * even when several senders on different event loops write to it at once. A user with no open
     * session simply misses the message: the relay stores nothing.
     */
    long deliver(String from, String to, String text) {
        UserSessions sessions = byUser.get(to);
        if (sessions == null) {
            return lastId.incrementAndGet();
        }
        return sessions.deliver(lastId, from, to, text);
    }

    /** The channels of one user; all access is under this object's lock. */
    private static final class UserSessions {
        private final List<Channel> channels = new ArrayList<>(2);

        synchronized void add(Channel channel) {
            channels.add(channel);
        }

        /** Removes the channel and tells whether none is left. */
        synchronized boolean remove(Channel channel) {
            channels.remove(channel);
            return channels.isEmpty();
        }

        synchronized long deliver(AtomicLong lastId, String from, String to, String text) {
            long id = lastId.incrementAndGet();
            byte[] frame = FrameCodec.encode(new ServerFrame.Msg(
                    new ChatMessage(id, from, to, text, System.currentTimeMillis())));
            for (Channel channel : channels) {
                if (channel.isWritable()) {
                    channel.writeAndFlush(Unpooled.wrappedBuffer(frame), channel.voidPromise());
                } else {
                    // A reader that lets its outgoing buffer pass the high-water mark is cut off,
                    // as the real server does, so it cannot hold memory or slow the others.
                    channel.close();
                }
            }
            return id;
        }
    }
}
