package dev.parley.client.net;

import java.io.IOException;

/** No TCP connection to the server could be made (refused, unknown host, timeout). */
public final class UnreachableException extends IOException {
    public UnreachableException(String address, String reason, Throwable cause) {
        super("cannot reach " + address + ": " + reason, cause);
    }
}
