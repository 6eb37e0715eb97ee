package dev.parley.protocol;

/** A frame that breaks protocol v1, carrying the error code and the client's ref, if one could be read. */
public final class ProtocolException extends Exception {
    private final ErrorCode code;
    private final String ref;

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ProtocolException(ErrorCode code, String message, String ref) {
        super(message, null, false, false);
        this.code = code;
        this.ref = ref;
    }

    public ErrorCode code() {
        return code;
    }

    /** The {@code ref} of the offending frame, or null. */
    public String ref() {
        return ref;
    }

    /** The error frame a server sends back for this exception. */
    public ServerFrame.Error toFrame() {
        return new ServerFrame.Error(code, getMessage(), ref);
    }
}
