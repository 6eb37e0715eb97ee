package dev.parley.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.pipeline.InboundGate.Wait;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundGateTest {
    private final List<Object> passed = new ArrayList<>();
    private final InboundGate gate = new InboundGate();
    private final EmbeddedChannel channel = new EmbeddedChannel(gate, new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            passed.add(msg);
        }
    });

    @Test
    void passesRequestsOnWhileOpen() {
        channel.writeInbound("a", "b");
        assertThat(passed).containsExactly("a", "b");
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void shutHoldsRequestsAndStopsReadingUntilEveryReasonIsLifted() {
        gate.shut(Wait.ANSWER);
        gate.shut(Wait.SENDS);
        channel.writeInbound("a", "b");
        assertThat(passed).isEmpty();
        assertThat(gate.heldCount()).isEqualTo(2);
        assertThat(channel.config().isAutoRead()).isFalse();

        gate.open(Wait.ANSWER);
        assertThat(passed).isEmpty();
        assertThat(channel.config().isAutoRead()).isFalse();

        gate.open(Wait.SENDS);
        assertThat(passed).containsExactly("a", "b");
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.writeInbound("c");
        assertThat(passed).containsExactly("a", "b", "c");
    }

    @Test
    void aRequestThatShutsTheGateKeepsTheOnesBehindItHeld() {
        EmbeddedChannel ch = new EmbeddedChannel();
        InboundGate g = new InboundGate();
        List<Object> seen = new ArrayList<>();
        ch.pipeline().addLast(g, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                if ("query".equals(msg)) {
                    g.shut(Wait.ANSWER);
                }
            }
        });
        ch.writeInbound("ping", "query", "send", "ping");
        assertThat(seen).containsExactly("ping", "query");
        assertThat(g.heldCount()).isEqualTo(2);
        g.open(Wait.ANSWER);
        assertThat(seen).containsExactly("ping", "query", "send", "ping");
        ch.finishAndReleaseAll();
    }

    @Test
    void anOutboundBufferOverItsHighWaterMarkShutsTheGate() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        assertThat(channel.isWritable()).isFalse();
        channel.writeInbound("held");
        assertThat(passed).isEmpty();
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.flush();
        assertThat(channel.isWritable()).isTrue();
        assertThat(passed).containsExactly("held");
        assertThat(channel.config().isAutoRead()).isTrue();
        ((ByteBuf) channel.readOutbound()).release();
    }

    @Test
    void heldBuffersAreReleasedWhenTheConnectionCloses() {
        gate.shut(Wait.CLOSING);
        ByteBuf request = Unpooled.buffer(16).writeZero(16);
        channel.writeInbound(request);
        assertThat(request.refCnt()).isEqualTo(1);
        channel.close();
        assertThat(request.refCnt()).isZero();
        assertThat(passed).isEmpty();
    }
}
