package dev.parley.client.ui;

import dev.parley.client.chat.Outgoing;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ServerFrame;

/** Server errors in plain words, e.g. "no such user: bob", instead of codes. */
public final class ErrorText {
    private ErrorText() {
    }

    /**
     * Describes {@code error}; {@code about} is the message it refers to (by its ref), or null.
     */
    public static String describe(ServerFrame.Error error, Outgoing about) {
        String detail = error.message() == null || error.message().isBlank() ? "" : error.message();
        String text = switch (error.code()) {
            case NO_SUCH_USER -> about != null && !Protocol.BROADCAST.equals(about.to())
                    ? "no such user: " + about.to() : or(detail, "no such user");
            case RATE_LIMITED -> "you are sending too fast; wait a moment";
            case UNAVAILABLE -> "the server cannot store messages right now; try again shortly";
            case TOO_LARGE -> "too large for the server" + suffix(detail);
            case INVALID -> "the server refused it" + suffix(detail);
            case AUTH_FAILED -> "login refused" + suffix(detail);
            case NOT_AUTHENTICATED -> "not logged in" + suffix(detail);
            case BAD_FRAME, UNKNOWN_TYPE -> "the server could not read what this client sent (a client bug)" + suffix(detail);
        };
        if (about == null) {
            return text;
        }
        if (error.maybeStored()) {
            // The server lost its store while writing: the message may well have gone through.
            return "perhaps not sent to " + recipient(about) + " (the server lost its message store while storing it; "
                    + "it may have arrived, so look before sending it again): " + quote(about.text());
        }
        return "not sent to " + recipient(about) + " (" + text + "): " + quote(about.text());
    }

    /**
     * A send refused for a passing reason ({@link ErrorCode#retryable()}), which
     * the client sends again with the same id by itself: pending, never "not sent".
     */
    public static String pending(ServerFrame.Error error, Outgoing about) {
        String why;
        if (error.maybeStored()) {
            why = "the server lost its message store while storing it; retrying with the same id, so it is"
                    + " stored once";
        } else if (error.code() == ErrorCode.RATE_LIMITED) {
            why = "sending too fast; retrying in a moment";
        } else {
            why = "the server cannot store messages right now; retrying until it can";
        }
        return "pending to " + recipient(about) + " (" + why + "): " + quote(about.text());
    }

    private static String recipient(Outgoing about) {
        return Protocol.BROADCAST.equals(about.to()) ? "everyone" : about.to();
    }

    private static String or(String detail, String fallback) {
        return detail.isEmpty() ? fallback : detail;
    }

    private static String suffix(String detail) {
        return detail.isEmpty() ? "" : ": " + detail;
    }

    private static String quote(String text) {
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return "\"" + shown + "\"";
    }
}
