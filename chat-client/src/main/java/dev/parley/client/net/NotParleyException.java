package dev.parley.client.net;

import java.io.IOException;

/** What answered at the address is not a Parley chat server: an HTTP port, another service, or silence. */
public final class NotParleyException extends IOException {
    NotParleyException(String message, Throwable cause) {
        super(message, cause);
    }
}
