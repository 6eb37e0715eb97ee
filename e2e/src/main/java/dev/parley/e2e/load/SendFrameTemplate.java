package dev.parley.e2e.load;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The {@code send} frame of one connection, encoded once by {@link FrameCodec} and then patched in
 * place for each message (sequence number, send time, ref), so that sending allocates nothing but
 * a pooled buffer. The fields patched are fixed-width ASCII digits, which JSON never escapes.
 */
final class SendFrameTemplate {
    private static final String REF_FIELD = "\"ref\":\"";

    private final byte[] frame;
    private final int seqAt;
    private final int nanosAt;
    private final int refAt;

    private SendFrameTemplate(byte[] frame, int seqAt, int nanosAt, int refAt) {
        this.frame = frame;
        this.seqAt = seqAt;
        this.nanosAt = nanosAt;
        this.refAt = refAt;
    }

    /** The template of messages from connection {@code sender} to user {@code to}. */
    static SendFrameTemplate of(String tag, int sender, String to, int textLength) {
        String text = ProbeText.format(tag, sender, 0, 0, textLength);
        String ref = ref(0);
        byte[] frame = FrameCodec.encode(new ClientFrame.Send(to, text, ref));
        int textAt = indexOf(frame, "\"" + text + "\"") + 1;
        int refAt = indexOf(frame, REF_FIELD + ref + "\"") + REF_FIELD.length();
        return new SendFrameTemplate(frame, textAt + ProbeText.seqOffset(tag),
                textAt + ProbeText.nanosOffset(tag), refAt);
    }

    /** The ref sent with message {@code seq}: its sequence number, zero-padded. */
    static String ref(long seq) {
        String digits = Long.toString(seq);
        return "0".repeat(ProbeText.SEQ_WIDTH - digits.length()) + digits;
    }

    /** The sequence number in an ack's or error's ref, or -1 when it is not one of ours. */
    static long seqOfRef(String ref) {
        return ref == null || ref.length() != ProbeText.SEQ_WIDTH ? -1 : ProbeText.digits(ref, 0, ref.length());
    }

    int length() {
        return frame.length;
    }

    /** The frame of message {@code seq}, intended at {@code nanos} since the run's origin. */
    ByteBuf render(ByteBufAllocator alloc, long seq, long nanos) {
        ByteBuf buf = alloc.ioBuffer(frame.length);
        buf.writeBytes(frame);
        putDigits(buf, seqAt, ProbeText.SEQ_WIDTH, seq);
        putDigits(buf, nanosAt, ProbeText.NANOS_WIDTH, nanos);
        putDigits(buf, refAt, ProbeText.SEQ_WIDTH, seq);
        return buf;
    }

    private static void putDigits(ByteBuf buf, int at, int width, long value) {
        long v = value;
        for (int i = at + width - 1; i >= at; i--) {
            buf.setByte(i, (int) ('0' + v % 10));
            v /= 10;
        }
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        // The probe text and ref are plain ASCII, so FrameCodec must write them verbatim.
        throw new IllegalStateException("encoded send frame does not contain " + needle + " verbatim");
    }
}
