package dev.parley.e2e.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class SendFrameTemplateTest {

    @Test
    void rendersTheFrameFrameCodecWouldEncode() throws Exception {
        SendFrameTemplate template = SendFrameTemplate.of("lg", 7, "lg8", 100);

        for (long[] seqAndNanos : new long[][] {{0, 0}, {1, 42}, {3456, 1_234_567_890_123L}, {ProbeText.MAX_SEQ, Long.MAX_VALUE}}) {
            ByteBuf buf = template.render(UnpooledByteBufAllocator.DEFAULT, seqAndNanos[0], seqAndNanos[1]);
            byte[] line = ByteBufUtil.getBytes(buf);
            buf.release();

            ClientFrame.Send expected = new ClientFrame.Send("lg8",
                    ProbeText.format("lg", 7, seqAndNanos[0], seqAndNanos[1], 100), SendFrameTemplate.ref(seqAndNanos[0]));
            assertThat(line).isEqualTo(FrameCodec.encode(expected));
            assertThat(FrameCodec.decodeClientFrame(java.util.Arrays.copyOf(line, line.length - 1))).isEqualTo(expected);
        }
    }

    @Test
    void refsCarryTheSequenceNumber() {
        assertThat(SendFrameTemplate.ref(3456)).isEqualTo("0000003456");
        assertThat(SendFrameTemplate.seqOfRef("0000003456")).isEqualTo(3456);
        assertThat(SendFrameTemplate.seqOfRef(null)).isEqualTo(-1);
        assertThat(SendFrameTemplate.seqOfRef("3456")).as("not one of ours").isEqualTo(-1);
        assertThat(SendFrameTemplate.seqOfRef("00000034x6")).isEqualTo(-1);
    }
}
