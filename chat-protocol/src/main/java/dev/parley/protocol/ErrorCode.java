package dev.parley.protocol;

/** The error codes of protocol v1, as sent in {@code {"type":"error","code":...}} frames. */
public enum ErrorCode {
    /** Not JSON, not an object, invalid UTF-8, or a missing or mistyped field. */
    BAD_FRAME,
    /** A well-formed frame whose {@code type} this server does not know. */
    UNKNOWN_TYPE,
    /** A line longer than the server's frame limit. */
    TOO_LARGE,
    /** A value out of range (empty text, bad user name, history over the maximum...). */
    INVALID,
    /** A direct message or history request naming a user who is not registered. */
    NO_SUCH_USER,
    /** Wrong password; the server closes the connection after sending it. */
    AUTH_FAILED,
    /** Anything but hello or ping before a successful hello. */
    NOT_AUTHENTICATED,
    /** The connection sent faster than its allowed rate; the frame was dropped. */
    RATE_LIMITED,
    /** The message store cannot be reached or is overloaded; nothing was acknowledged. */
    UNAVAILABLE;

    /**
     * Whether the same send, sent again later, may succeed: the server dropped it for a passing
     * reason (too fast, store away or busy). Every other refusal of a send is final.
     */
    public boolean retryable() {
        return this == RATE_LIMITED || this == UNAVAILABLE;
    }

    /** Whether the connection stays usable after this error (the server does not close it). */
    public boolean keepsConnection() {
        return this != AUTH_FAILED;
    }
}
