package dev.parley.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Turns protocol v1 lines into frames and frames into lines. One line holds one JSON object; the
 * encoded form always ends in {@code \n}. Decoding checks structure (BAD_FRAME, UNKNOWN_TYPE) and
 * the value rules of {@link Protocol} (INVALID), so every peer rejects the same frames.
 * Thread-safe and stateless.
 */
public final class FrameCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private FrameCodec() {
    }

    // ---------------------------------------------------------------- client -> server

    /** Decodes one line (without its {@code \n}) sent by a client. */
    public static ClientFrame decodeClientFrame(byte[] line) throws ProtocolException {
        JsonNode node = parseObject(line);
        String type = typeOf(node);
        JsonNode refNode = node.get("ref");
        String ref = refNode != null && refNode.isTextual() ? refNode.textValue() : null;
        Fields f = new Fields(node, ref);
        return switch (type) {
            case "hello" -> decodeHello(f);
            case "send" -> decodeSend(f);
            case "history" -> decodeHistoryRequest(f);
            case "who" -> new ClientFrame.Who();
            case "unread" -> new ClientFrame.UnreadRequest();
            case "read" -> decodeRead(f);
            case "ping" -> new ClientFrame.Ping();
            case "bye" -> new ClientFrame.Bye();
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown frame type: " + type, ref);
        };
    }

    private static ClientFrame.Hello decodeHello(Fields f) throws ProtocolException {
        String user = f.requiredString("user");
        String token = f.optionalString("token");
        String password = token == null ? f.requiredString("password") : f.optionalString("password");
        String to = f.optionalString("to");
        Long history = f.optionalLong("history");
        Long since = f.optionalLong("since");
        String version = f.optionalString("version");
        boolean register = !f.present("register") || f.flag("register");
        if (token != null && password != null) {
            throw f.invalid("give the password or a resume token, not both");
        }
        if (token != null && (token.isEmpty() || token.length() > Protocol.MAX_TOKEN_CHARS)) {
            throw f.invalid("token must be 1 to " + Protocol.MAX_TOKEN_CHARS + " characters");
        }
        if (!Protocol.isValidUserName(user)) {
            throw f.invalid("user must be 1 to 32 of A-Z a-z 0-9 _ . -");
        }
        if (Protocol.SERVER_USER.equals(user)) {
            throw f.invalid("the user name 'server' is reserved");
        }
        if (password != null && (password.isEmpty() || password.length() > Protocol.MAX_PASSWORD_CHARS)) {
            throw f.invalid("password must be 1 to " + Protocol.MAX_PASSWORD_CHARS + " characters");
        }
        if (password != null && Protocol.hasUnpairedSurrogate(password)) {
            throw f.invalid("password is not valid Unicode (it has a surrogate without its pair)");
        }
        if (to != null && !Protocol.isValidRecipient(to)) {
            throw f.invalid("to must be a user name or *");
        }
        if (history != null && (history < 0 || history > Protocol.MAX_HISTORY)) {
            throw f.invalid("history must be 0 to " + Protocol.MAX_HISTORY);
        }
        if (since != null && since < 0) {
            throw f.invalid("since must be 0 or more");
        }
        if (version != null && !version.matches("[0-9]{1,4}(\\.[0-9]{1,4}){0,2}")) {
            throw f.invalid("version must look like 1.1");
        }
        return new ClientFrame.Hello(user, password, to, history == null ? null : history.intValue(), since, version,
                token, register);
    }

    private static ClientFrame.Send decodeSend(Fields f) throws ProtocolException {
        String ref = f.optionalString("ref");
        String text = f.requiredString("text");
        String to = f.optionalString("to");
        String id = f.optionalString("id");
        if (ref != null && ref.length() > Protocol.MAX_REF_CHARS) {
            throw f.invalid("ref must be at most " + Protocol.MAX_REF_CHARS + " characters");
        }
        if (id != null && !Protocol.SEND_ID.matcher(id).matches()) {
            throw f.invalid("id must be 1 to 64 of A-Z a-z 0-9 _ . : -");
        }
        if (to != null && !Protocol.isValidRecipient(to)) {
            throw f.invalid("to must be a user name or *");
        }
        int length = Protocol.textLength(text);
        if (length < 1 || length > Protocol.MAX_TEXT_CHARS) {
            throw f.invalid("text must be 1 to " + Protocol.MAX_TEXT_CHARS + " characters, got " + length);
        }
        if (Protocol.hasUnpairedSurrogate(text)) {
            throw f.invalid("text is not valid Unicode (it has a surrogate without its pair); not stored");
        }
        return new ClientFrame.Send(to, text, ref, id);
    }

    private static ClientFrame.HistoryRequest decodeHistoryRequest(Fields f) throws ProtocolException {
        String with = f.requiredString("with");
        Long before = f.optionalLong("before");
        Long limit = f.optionalLong("limit");
        if (!Protocol.isValidRecipient(with)) {
            throw f.invalid("with must be a user name or *");
        }
        if (before != null && before < 1) {
            throw f.invalid("before must be 1 or more");
        }
        if (limit != null && (limit < 1 || limit > Protocol.MAX_HISTORY)) {
            throw f.invalid("limit must be 1 to " + Protocol.MAX_HISTORY);
        }
        return new ClientFrame.HistoryRequest(with, before, limit == null ? null : limit.intValue());
    }

    private static ClientFrame.Read decodeRead(Fields f) throws ProtocolException {
        String with = f.requiredString("with");
        long id = f.requiredLong("id");
        if (!Protocol.isValidRecipient(with)) {
            throw f.invalid("with must be a user name or *");
        }
        if (id < 1) {
            throw f.invalid("id must be 1 or more");
        }
        return new ClientFrame.Read(with, id);
    }

    /** Encodes a client frame as one line, ending in {@code \n}. */
    public static byte[] encode(ClientFrame frame) {
        return write(g -> {
            g.writeStringField("type", frame.type());
            if (frame instanceof ClientFrame.Hello h) {
                g.writeStringField("user", h.user());
                writeIfPresent(g, "password", h.password());
                writeIfPresent(g, "token", h.token());
                writeIfPresent(g, "to", h.to());
                if (h.history() != null) {
                    g.writeNumberField("history", h.history());
                }
                if (h.since() != null) {
                    g.writeNumberField("since", h.since());
                }
                writeIfPresent(g, "version", h.version());
                if (!h.register()) {
                    g.writeBooleanField("register", false);
                }
            } else if (frame instanceof ClientFrame.Send s) {
                writeIfPresent(g, "to", s.to());
                g.writeStringField("text", s.text());
                writeIfPresent(g, "ref", s.ref());
                writeIfPresent(g, "id", s.id());
            } else if (frame instanceof ClientFrame.HistoryRequest r) {
                g.writeStringField("with", r.with());
                if (r.before() != null) {
                    g.writeNumberField("before", r.before());
                }
                if (r.limit() != null) {
                    g.writeNumberField("limit", r.limit());
                }
            } else if (frame instanceof ClientFrame.Read r) {
                g.writeStringField("with", r.with());
                g.writeNumberField("id", r.id());
            }
        });
    }

    // ---------------------------------------------------------------- server -> client

    /** Decodes one line (without its {@code \n}) sent by a server. */
    public static ServerFrame decodeServerFrame(byte[] line) throws ProtocolException {
        JsonNode node = parseObject(line);
        String type = typeOf(node);
        Fields f = new Fields(node, null);
        return switch (type) {
            case "welcome" -> new ServerFrame.Welcome(f.requiredString("user"), f.requiredString("node"),
                    f.optionalLong("last"), f.optionalString("token"), optionalInt(f, "rateLimit"), f.flag("registered"));
            case "caught-up" -> new ServerFrame.CaughtUp(f.requiredLong("last"));
            case "history" -> new ServerFrame.History(f.requiredString("with"), messages(f.requiredArray("messages")));
            case "msg" -> new ServerFrame.Msg(message(f));
            case "ack" -> new ServerFrame.Ack(f.optionalString("ref"), f.requiredLong("id"), f.requiredLong("ts"));
            case "unread" -> new ServerFrame.Unread(conversations(f.requiredArray("conversations")));
            case "who" -> new ServerFrame.WhoList(strings(f.requiredArray("users")));
            case "pong" -> new ServerFrame.Pong();
            case "bye" -> new ServerFrame.Bye();
            case "error" -> new ServerFrame.Error(errorCode(f.requiredString("code")),
                    f.requiredString("message"), f.optionalString("ref"), f.flag("maybeStored"),
                    f.optionalLong("retryAfterMs"));
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_TYPE, "unknown frame type: " + type);
        };
    }

    /** Encodes a server frame as one line, ending in {@code \n}. */
    public static byte[] encode(ServerFrame frame) {
        return write(g -> {
            g.writeStringField("type", frame.type());
            if (frame instanceof ServerFrame.Msg m) {
                writeMessageFields(g, m.message());
            } else if (frame instanceof ServerFrame.Ack a) {
                writeIfPresent(g, "ref", a.ref());
                g.writeNumberField("id", a.id());
                g.writeNumberField("ts", a.ts());
            } else if (frame instanceof ServerFrame.Welcome w) {
                g.writeStringField("user", w.user());
                g.writeStringField("node", w.node());
                if (w.last() != null) {
                    g.writeNumberField("last", w.last());
                }
                writeIfPresent(g, "token", w.token());
                if (w.rateLimit() != null) {
                    g.writeNumberField("rateLimit", w.rateLimit());
                }
                if (w.registered()) {
                    g.writeBooleanField("registered", true);
                }
            } else if (frame instanceof ServerFrame.CaughtUp c) {
                g.writeNumberField("last", c.last());
            } else if (frame instanceof ServerFrame.History h) {
                g.writeStringField("with", h.with());
                g.writeArrayFieldStart("messages");
                for (ChatMessage m : h.messages()) {
                    g.writeStartObject();
                    writeMessageFields(g, m);
                    g.writeEndObject();
                }
                g.writeEndArray();
            } else if (frame instanceof ServerFrame.Unread u) {
                g.writeArrayFieldStart("conversations");
                for (ServerFrame.Unread.Conversation c : u.conversations()) {
                    g.writeStartObject();
                    g.writeStringField("with", c.with());
                    g.writeNumberField("count", c.count());
                    g.writeNumberField("read", c.read());
                    g.writeArrayFieldStart("messages");
                    for (ChatMessage m : c.messages()) {
                        g.writeStartObject();
                        writeMessageFields(g, m);
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
            } else if (frame instanceof ServerFrame.WhoList w) {
                g.writeArrayFieldStart("users");
                for (String u : w.users()) {
                    g.writeString(u);
                }
                g.writeEndArray();
            } else if (frame instanceof ServerFrame.Error e) {
                g.writeStringField("code", e.code().name());
                g.writeStringField("message", e.message());
                writeIfPresent(g, "ref", e.ref());
                if (e.maybeStored()) {
                    g.writeBooleanField("maybeStored", true);
                }
                if (e.retryAfterMs() != null) {
                    g.writeNumberField("retryAfterMs", e.retryAfterMs());
                }
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Whether {@code bytes} are well-formed UTF-8 (no overlong forms, no encoded surrogates).
     * Jackson alone lets some malformed sequences through inside strings.
     */
    public static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode parseObject(byte[] line) throws ProtocolException {
        if (!isAscii(line) && !isValidUtf8(line)) {
            throw new ProtocolException(ErrorCode.BAD_FRAME, "frame is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.BAD_FRAME, "frame is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_FRAME, "frame must be a JSON object");
        }
        return node;
    }

    private static String typeOf(JsonNode node) throws ProtocolException {
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_FRAME, "frame needs a string field 'type'");
        }
        return type.textValue();
    }

    private static List<ChatMessage> messages(JsonNode array) throws ProtocolException {
        List<ChatMessage> out = new ArrayList<>(array.size());
        for (JsonNode m : array) {
            if (!m.isObject()) {
                throw new ProtocolException(ErrorCode.BAD_FRAME, "history messages must be objects");
            }
            out.add(message(new Fields(m, null)));
        }
        return out;
    }

    private static List<ServerFrame.Unread.Conversation> conversations(JsonNode array) throws ProtocolException {
        List<ServerFrame.Unread.Conversation> out = new ArrayList<>(array.size());
        for (JsonNode c : array) {
            if (!c.isObject()) {
                throw new ProtocolException(ErrorCode.BAD_FRAME, "unread conversations must be objects");
            }
            Fields f = new Fields(c, null);
            Integer count = optionalInt(f, "count");
            out.add(new ServerFrame.Unread.Conversation(f.requiredString("with"), count == null ? 0 : count,
                    f.requiredLong("read"), messages(f.requiredArray("messages"))));
        }
        return out;
    }

    /** A server's optional small count; one out of int range is read as absent rather than refused. */
    private static Integer optionalInt(Fields f, String name) throws ProtocolException {
        Long value = f.optionalLong(name);
        return value == null || value < 0 || value > Integer.MAX_VALUE ? null : value.intValue();
    }

    private static ChatMessage message(Fields f) throws ProtocolException {
        return new ChatMessage(f.requiredLong("id"), f.requiredString("from"), f.requiredString("to"),
                f.requiredString("text"), f.requiredLong("ts"));
    }

    private static List<String> strings(JsonNode array) throws ProtocolException {
        List<String> out = new ArrayList<>(array.size());
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            JsonNode s = it.next();
            if (!s.isTextual()) {
                throw new ProtocolException(ErrorCode.BAD_FRAME, "users must be strings");
            }
            out.add(s.textValue());
        }
        return out;
    }

    private static ErrorCode errorCode(String code) throws ProtocolException {
        try {
            return ErrorCode.valueOf(code);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_FRAME, "unknown error code: " + code);
        }
    }

    private static void writeMessageFields(JsonGenerator g, ChatMessage m) throws IOException {
        g.writeNumberField("id", m.id());
        g.writeStringField("from", m.from());
        g.writeStringField("to", m.to());
        g.writeStringField("text", m.text());
        g.writeNumberField("ts", m.ts());
    }

    private static void writeIfPresent(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** Typed access to an object's fields, raising BAD_FRAME for missing or mistyped ones. */
    private record Fields(JsonNode node, String ref) {
        String requiredString(String name) throws ProtocolException {
            String value = optionalString(name);
            if (value == null) {
                throw missing(name, "string");
            }
            return value;
        }

        String optionalString(String name) throws ProtocolException {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw mistyped(name, "a string");
            }
            return v.textValue();
        }

        long requiredLong(String name) throws ProtocolException {
            Long value = optionalLong(name);
            if (value == null) {
                throw missing(name, "integer");
            }
            return value;
        }

        Long optionalLong(String name) throws ProtocolException {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw mistyped(name, "an integer");
            }
            return v.longValue();
        }

        boolean present(String name) {
            JsonNode v = node.get(name);
            return v != null && !v.isNull();
        }

        /** An optional boolean, false when absent. */
        boolean flag(String name) throws ProtocolException {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return false;
            }
            if (!v.isBoolean()) {
                throw mistyped(name, "true or false");
            }
            return v.booleanValue();
        }

        JsonNode requiredArray(String name) throws ProtocolException {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw missing(name, "array");
            }
            if (!v.isArray()) {
                throw mistyped(name, "an array");
            }
            return v;
        }

        ProtocolException invalid(String message) {
            return new ProtocolException(ErrorCode.INVALID, message, ref);
        }

        private ProtocolException missing(String name, String kind) {
            return new ProtocolException(ErrorCode.BAD_FRAME, "missing " + kind + " field '" + name + "'", ref);
        }

        private ProtocolException mistyped(String name, String kind) {
            return new ProtocolException(ErrorCode.BAD_FRAME, "field '" + name + "' must be " + kind, ref);
        }
    }
}
