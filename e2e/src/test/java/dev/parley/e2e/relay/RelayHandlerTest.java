package dev.parley.e2e.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.FrameCodec;
import dev.parley.protocol.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RelayHandlerTest {
    private final RelaySessions sessions = new RelaySessions();

    private EmbeddedChannel session() {
        return new EmbeddedChannel(new LineBasedFrameDecoder(65536, true, true), new RelayHandler(sessions));
    }

    private static void send(EmbeddedChannel ch, ClientFrame frame) {
        ch.writeInbound(Unpooled.wrappedBuffer(FrameCodec.encode(frame)));
    }

    private static ServerFrame read(EmbeddedChannel ch) throws Exception {
        ByteBuf buf = ch.readOutbound();
        assertThat(buf).as("an outbound frame").isNotNull();
        byte[] line = ByteBufUtil.getBytes(buf);
        buf.release();
        assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
        return FrameCodec.decodeServerFrame(Arrays.copyOf(line, line.length - 1));
    }

    @Test
    void helloIsWelcomedWithoutAPasswordCheck() throws Exception {
        EmbeddedChannel alice = session();

        send(alice, new ClientFrame.Hello("alice", "anything", null, null, null));

        assertThat(read(alice)).isEqualTo(new ServerFrame.Welcome("alice", RelayHandler.NODE));
    }

    @Test
    void sendIsAckedAndRelayedToEverySessionOfTheRecipient() throws Exception {
        EmbeddedChannel alice = session();
        EmbeddedChannel bob1 = session();
        EmbeddedChannel bob2 = session();
        send(alice, new ClientFrame.Hello("alice", "pw", null, null, null));
        send(bob1, new ClientFrame.Hello("bob", "pw", null, null, null));
        send(bob2, new ClientFrame.Hello("bob", "pw", null, null, null));
        read(alice);
        read(bob1);
        read(bob2);

        send(alice, new ClientFrame.Send("bob", "hi", "r1"));
        send(alice, new ClientFrame.Send("bob", "again", "r2"));

        ServerFrame.Ack first = (ServerFrame.Ack) read(alice);
        ServerFrame.Ack second = (ServerFrame.Ack) read(alice);
        assertThat(first.ref()).isEqualTo("r1");
        assertThat(second.ref()).isEqualTo("r2");
        assertThat(second.id()).isGreaterThan(first.id());
        for (EmbeddedChannel bob : new EmbeddedChannel[] {bob1, bob2}) {
            ServerFrame.Msg m1 = (ServerFrame.Msg) read(bob);
            ServerFrame.Msg m2 = (ServerFrame.Msg) read(bob);
            assertThat(m1.message().id()).isEqualTo(first.id());
            assertThat(m1.message().from()).isEqualTo("alice");
            assertThat(m1.message().to()).isEqualTo("bob");
            assertThat(m1.message().text()).isEqualTo("hi");
            assertThat(m2.message().id()).isEqualTo(second.id());
        }
        assertThat((Object) alice.readOutbound()).as("the sender gets no copy").isNull();
    }

    @Test
    void aClosedSessionNoLongerReceives() throws Exception {
        EmbeddedChannel alice = session();
        EmbeddedChannel bob = session();
        send(alice, new ClientFrame.Hello("alice", "pw", null, null, null));
        send(bob, new ClientFrame.Hello("bob", "pw", null, null, null));
        read(alice);
        read(bob);
        bob.close();

        send(alice, new ClientFrame.Send("bob", "hi", "r1"));

        assertThat(read(alice)).isInstanceOf(ServerFrame.Ack.class);
        assertThat(sessions.users()).containsExactly("alice");
    }

    @Test
    void anythingButHelloOrPingBeforeHelloIsRefused() throws Exception {
        EmbeddedChannel ch = session();

        send(ch, new ClientFrame.Send("bob", "hi", "r1"));
        send(ch, new ClientFrame.Ping());

        ServerFrame.Error error = (ServerFrame.Error) read(ch);
        assertThat(error.code()).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
        assertThat(error.ref()).isEqualTo("r1");
        assertThat(read(ch)).isEqualTo(new ServerFrame.Pong());
    }

    @Test
    void badFramesGetAnErrorAndTheSessionGoesOn() throws Exception {
        EmbeddedChannel ch = session();

        ch.writeInbound(Unpooled.copiedBuffer("not json\n", StandardCharsets.UTF_8));
        send(ch, new ClientFrame.Hello("alice", "pw", null, null, null));

        assertThat(((ServerFrame.Error) read(ch)).code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(read(ch)).isInstanceOf(ServerFrame.Welcome.class);
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void broadcastsAreDeclined() throws Exception {
        EmbeddedChannel ch = session();
        send(ch, new ClientFrame.Hello("alice", "pw", null, null, null));
        read(ch);

        send(ch, new ClientFrame.Send("*", "everyone", "r9"));

        ServerFrame.Error error = (ServerFrame.Error) read(ch);
        assertThat(error.code()).isEqualTo(ErrorCode.INVALID);
        assertThat(error.ref()).isEqualTo("r9");
    }
}
