package dev.parley.client.net;

import dev.parley.protocol.ServerFrame;

/** The server answered hello with an error that retrying will not fix (wrong password, bad name). */
public final class LoginRefusedException extends Exception {
    private final transient ServerFrame.Error error;

    public LoginRefusedException(ServerFrame.Error error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ServerFrame.Error error() {
        return error;
    }
}
