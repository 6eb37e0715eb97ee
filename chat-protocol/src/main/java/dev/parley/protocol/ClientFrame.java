package dev.parley.protocol;

/** A frame sent by a client to the server. */
public sealed interface ClientFrame {

    /** The frame's {@code type} on the wire. */
    String type();

    /**
     * First frame of a session: logs in, registering the user on first use. {@code version} is
     * the protocol version the client speaks ({@link Protocol#VERSION}); null for v1.0.
     */
    record Hello(String user, String password, String to, Integer history, Long since, String version)
            implements ClientFrame {
        /** A v1.0 hello. */
        public Hello(String user, String password, String to, Integer history, Long since) {
            this(user, password, to, history, since, null);
        }

        /** The same hello from a client that speaks {@code version}. */
        public Hello speaking(String version) {
            return new Hello(user, password, to, history, since, version);
        }

        public String type() {
            return "hello";
        }
    }

    /** A message to a user, or to {@code *}; {@code to} null means the session's default. */
    record Send(String to, String text, String ref) implements ClientFrame {
        public String type() {
            return "send";
        }
    }

    /** A request for a page of older messages of the conversation with {@code with}. */
    record HistoryRequest(String with, Long before, Integer limit) implements ClientFrame {
        public String type() {
            return "history";
        }
    }

    record Who() implements ClientFrame {
        public String type() {
            return "who";
        }
    }

    record Ping() implements ClientFrame {
        public String type() {
            return "ping";
        }
    }

    record Bye() implements ClientFrame {
        public String type() {
            return "bye";
        }
    }
}
