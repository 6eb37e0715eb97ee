package dev.parley.e2e.load;

/**
 * The text of a load message: {@code <tag>|<sender>|<seq>|<nanos>|} padded with dots to a fixed
 * length, where sender is the sending connection's index, seq its own count of messages and nanos
 * the intended send time in nanoseconds since the run's origin (same process, so the receiver
 * subtracts it from its own clock to get the delivery latency). The origin keeps the number
 * non-negative, which {@link System#nanoTime()} alone does not promise.
 *
 * <p>Encoded numbers are zero-padded to fixed widths so a frame template can be patched in place
 * ({@link SendFrameTemplate}); the parser accepts any width.
 */
public final class ProbeText {
    static final char SEPARATOR = '|';
    static final char PAD = '.';
    static final int SENDER_WIDTH = 6;
    static final int SEQ_WIDTH = 10;
    static final int NANOS_WIDTH = 19;

    public static final int MAX_SENDER = 999_999;
    public static final long MAX_SEQ = 9_999_999_999L;

    private ProbeText() {
    }

    /** A parsed probe. */
    public record Probe(int sender, long seq, long nanos) {
    }

    /** Length of the text without padding for this tag: the least {@code --text-bytes}. */
    public static int headerLength(String tag) {
        return tag.length() + 1 + SENDER_WIDTH + 1 + SEQ_WIDTH + 1 + NANOS_WIDTH + 1;
    }

    /** Offset in the text of the first digit of the sequence number. */
    static int seqOffset(String tag) {
        return tag.length() + 1 + SENDER_WIDTH + 1;
    }

    /** Offset in the text of the first digit of the send time. */
    static int nanosOffset(String tag) {
        return seqOffset(tag) + SEQ_WIDTH + 1;
    }

    /** The probe text, {@code length} characters long (at least {@link #headerLength}). */
    public static String format(String tag, int sender, long seq, long nanos, int length) {
        if (sender < 0 || sender > MAX_SENDER || seq < 0 || seq > MAX_SEQ || nanos < 0) {
            throw new IllegalArgumentException("probe field out of range: " + sender + "/" + seq + "/" + nanos);
        }
        if (length < headerLength(tag)) {
            throw new IllegalArgumentException("probe text needs at least " + headerLength(tag) + " characters");
        }
        StringBuilder b = new StringBuilder(length).append(tag).append(SEPARATOR);
        pad(b, Integer.toString(sender), SENDER_WIDTH).append(SEPARATOR);
        pad(b, Long.toString(seq), SEQ_WIDTH).append(SEPARATOR);
        pad(b, Long.toString(nanos), NANOS_WIDTH).append(SEPARATOR);
        while (b.length() < length) {
            b.append(PAD);
        }
        return b.toString();
    }

    private static StringBuilder pad(StringBuilder b, String digits, int width) {
        b.append("0".repeat(width - digits.length()));
        return b.append(digits);
    }

    /**
     * Reads a probe carrying {@code tag}, or returns null when {@code text} is not one (another
     * run's tag, a person's message, a malformed number). Allocates nothing but the result.
     */
    public static Probe parse(String tag, String text) {
        if (!text.startsWith(tag) || text.length() <= tag.length() || text.charAt(tag.length()) != SEPARATOR) {
            return null;
        }
        int pos = tag.length() + 1;
        int senderEnd = text.indexOf(SEPARATOR, pos);
        long sender = digits(text, pos, senderEnd);
        if (sender < 0 || sender > MAX_SENDER) {
            return null;
        }
        int seqEnd = text.indexOf(SEPARATOR, senderEnd + 1);
        long seq = digits(text, senderEnd + 1, seqEnd);
        if (seq < 0) {
            return null;
        }
        int nanosEnd = text.indexOf(SEPARATOR, seqEnd + 1);
        long nanos = digits(text, seqEnd + 1, nanosEnd);
        if (nanos < 0) {
            return null;
        }
        return new Probe((int) sender, seq, nanos);
    }

    /** The decimal number in {@code text[from, to)}, or -1 when it is empty, not digits or too long. */
    static long digits(CharSequence text, int from, int to) {
        if (from < 0 || to <= from || to - from > NANOS_WIDTH) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value < 0 ? -1 : value;
    }
}
