package dev.parley.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Session session = new Session(channel, "n/1", "bob", "*", 10_000, new ServerMetrics());

    private static Outbound out(long id, String from, String to) {
        ChatMessage m = new ChatMessage(id, from, to, "m" + id, id);
        return new Outbound(m, FrameCodec.encode(new ServerFrame.Msg(m)));
    }

    private List<Long> writtenIds() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            String line = buf.toString(StandardCharsets.UTF_8).trim();
            buf.release();
            ids.add(((ServerFrame.Msg) FrameCodec.decodeServerFrame(line.getBytes(StandardCharsets.UTF_8)))
                    .message().id());
        }
        return ids;
    }

    @Test
    void holdsLiveMessagesUntilHistoryIsOutThenSkipsWhatHistoryShowed() throws Exception {
        session.deliver(List.of(out(5, "alice", "*"), out(6, "alice", "bob")));
        assertThat(writtenIds()).isEmpty();

        // the history frame (broadcast conversation) already showed id 5
        session.startLiveAfterHistory("*", List.of(new ChatMessage(5, "alice", "*", "m5", 5)), 4);
        assertThat(writtenIds()).containsExactly(6L);

        session.deliver(List.of(out(7, "carol", "*")));
        assertThat(writtenIds()).containsExactly(7L);
    }

    @Test
    void messagesStoredBeforeTheLoginAreHistoryNotLive() throws Exception {
        // 3 (a DM, in another conversation than the history's) was stored before the welcome's last, 4
        session.deliver(List.of(out(3, "alice", "bob"), out(5, "alice", "bob")));
        session.startLiveAfterHistory("*", List.of(), 4);
        assertThat(writtenIds()).containsExactly(5L);
    }

    @Test
    void catchUpThenLiveHasNoGapAndNoDuplicate() throws Exception {
        // live messages that raced with the catch-up read: 11 and 12 are in both
        session.deliver(List.of(out(11, "alice", "bob"), out(12, "alice", "*"), out(13, "carol", "bob")));
        session.startLiveAfterCatchUp(8, List.of(
                new ChatMessage(9, "alice", "bob", "m9", 9),
                new ChatMessage(11, "alice", "bob", "m11", 11),
                new ChatMessage(12, "alice", "*", "m12", 12)), false);
        session.deliver(List.of(out(14, "alice", "*")));
        assertThat(writtenIds()).containsExactly(9L, 11L, 12L, 13L, 14L);
    }

    @Test
    void aV11CatchUpEndsWithCaughtUpBeforeTheFirstLiveMessage() throws Exception {
        session.deliver(List.of(out(11, "alice", "bob"), out(13, "carol", "bob")));
        session.startLiveAfterCatchUp(8, List.of(
                new ChatMessage(9, "alice", "bob", "m9", 9),
                new ChatMessage(11, "alice", "bob", "m11", 11)), true);
        session.deliver(List.of(out(14, "alice", "*")));
        assertThat(writtenFrames()).containsExactly("msg 9", "msg 11", "caught-up 11", "msg 13", "msg 14");
    }

    @Test
    void anEmptyV11CatchUpSaysCaughtUpAtSince() throws Exception {
        session.startLiveAfterCatchUp(8, List.of(), true);
        session.deliver(List.of(out(9, "alice", "*")));
        assertThat(writtenFrames()).containsExactly("caught-up 8", "msg 9");
    }

    private List<String> writtenFrames() throws Exception {
        List<String> frames = new ArrayList<>();
        for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
            String line = buf.toString(StandardCharsets.UTF_8).trim();
            buf.release();
            ServerFrame f = FrameCodec.decodeServerFrame(line.getBytes(StandardCharsets.UTF_8));
            frames.add(f instanceof ServerFrame.Msg m ? "msg " + m.message().id()
                    : f.type() + " " + ((ServerFrame.CaughtUp) f).last());
        }
        return frames;
    }

    @Test
    void neverWritesAnIdTwiceOrBackwards() throws Exception {
        session.startLiveAfterCatchUp(0, List.of(), false);
        session.deliver(List.of(out(3, "a", "*"), out(4, "a", "*")));
        session.deliver(List.of(out(4, "a", "*"), out(2, "a", "*"), out(5, "a", "*")));
        assertThat(writtenIds()).containsExactly(3L, 4L, 5L);
    }

    @Test
    void disconnectsAClientWhoseHeldMessagesPassTheBound() {
        // not live yet, so everything is held: the bound is what protects the server
        for (int i = 1; i <= 1000 && channel.isActive(); i++) {
            session.deliver(List.of(out(i, "alice", "*")));
        }
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void keepsAReadingClientThatGetsOneBatchBiggerThanTheBound() throws Exception {
        session.startLiveAfterCatchUp(0, List.of(), false);
        List<Outbound> burst = new ArrayList<>();
        long bytes = 0;
        for (long id = 1; bytes < 15_000; id++) {
            Outbound o = out(id, "alice", "*");
            burst.add(o);
            bytes += o.frame().length;
        }
        session.deliver(burst);
        assertThat(channel.isActive()).isTrue();
        assertThat(writtenIds()).hasSize(burst.size());
    }
}
