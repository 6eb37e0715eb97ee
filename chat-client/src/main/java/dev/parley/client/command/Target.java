package dev.parley.client.command;

import dev.parley.client.net.Connector;
import java.time.Duration;

/** Who connects where: the checked positional arguments and the password. */
record Target(String host, int port, String user, String password, String recipient) {
    /** Bounds the TCP connect and the wait for welcome. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    Connector connector() {
        return new Connector(host, port, CONNECT_TIMEOUT);
    }

    String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        // never print the password, even by accident
        return "Target[" + user + "@" + address() + (recipient == null ? "" : " -> " + recipient) + "]";
    }
}
