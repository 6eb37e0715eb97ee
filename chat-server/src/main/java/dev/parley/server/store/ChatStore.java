package dev.parley.server.store;

import dev.parley.protocol.ChatMessage;
import dev.parley.protocol.Protocol;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.config.ServerConfig;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Everything that talks to Redis, as blocking calls: callers run them on store threads, never on
 * a Netty event loop. Keys and their meaning: {@link Keys} and docs/data-model.md.
 */
public final class ChatStore implements AutoCloseable {
    private static final int CATCH_UP_PAGE = 1000;
    private static final byte[] ONE = {'1'};
    private static final byte[] ZERO = {'0'};
    private static final int NAME_INDEX_PAGE = 1000;

    private final JedisPool pool;
    private final HostAndPort address;
    private final JedisClientConfig clientConfig;
    private final int historyRetention;
    private final int eventsRetention;
    private final ServerConfig.LoginLimits logins;
    private final LuaScript storeMessages = LuaScript.load("store-messages.lua");
    private final LuaScript onlineUsers = LuaScript.load("online-users.lua");
    private final LuaScript publishPresence = LuaScript.load("publish-presence.lua");
    private final LuaScript enterPresence = LuaScript.load("presence-enter.lua");
    private final LuaScript presenceHeartbeat = LuaScript.load("presence-heartbeat.lua");
    private final LuaScript registerUser = LuaScript.load("register-user.lua");
    private final LuaScript replaceHash = LuaScript.load("replace-password-hash.lua");
    private final LuaScript loginAttempt = LuaScript.load("login-attempt.lua");
    private final LuaScript unread = LuaScript.load("unread.lua");
    private final LuaScript markRead = LuaScript.load("mark-read.lua");

    public ChatStore(ServerConfig config, int poolSize) {
        URI uri = config.redisUrl();
        this.address = new HostAndPort(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
        DefaultJedisClientConfig.Builder builder = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(2000)
                .socketTimeoutMillis(5000)
                .clientName("parley-" + config.nodeId())
                .ssl("rediss".equals(uri.getScheme()));
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                if (colon > 0) {
                    builder.user(userInfo.substring(0, colon));
                }
                builder.password(userInfo.substring(colon + 1));
            } else {
                builder.password(userInfo);
            }
        }
        this.clientConfig = builder.build();
        GenericObjectPoolConfig<Jedis> poolConfig = new GenericObjectPoolConfig<>();
        poolConfig.setMaxTotal(poolSize);
        poolConfig.setMaxIdle(poolSize);
        poolConfig.setMinIdle(0);
        poolConfig.setMaxWait(Duration.ofSeconds(2));
        poolConfig.setTestOnBorrow(false);
        poolConfig.setJmxEnabled(false);
        this.pool = new JedisPool(poolConfig, address, clientConfig);
        this.historyRetention = config.historyRetention();
        this.eventsRetention = config.eventsRetention();
        this.logins = config.logins();
    }

    /** A connection of its own, for a thread that blocks on Redis (the stream reader). */
    public Jedis dedicatedConnection(int socketTimeoutMillis) {
        return new Jedis(address, DefaultJedisClientConfig.builder().from(clientConfig)
                .socketTimeoutMillis(socketTimeoutMillis).build());
    }

    public String describe() {
        return address.toString();
    }

    public boolean ping() {
        try (Jedis jedis = pool.getResource()) {
            return "PONG".equals(jedis.ping());
        }
    }

    // ------------------------------------------------------------------ messages

    /** Where a message landed: {@code id} 0 when a DM names a user who is not registered. */
    public record Stored(long id, long ts) {
    }

    /**
     * What one store call did: where each message landed ({@link #stored}, in order), the first id
     * it gave out ({@code firstNew}, 0 when none), and {@code before}: every fan-out entry after
     * the caller's cursor and before {@code firstNew}, stored meanwhile by other replicas, oldest
     * first; null when it was not read (no cursor given, nothing new stored, or more than asked).
     */
    public record StoreResult(Stored[] stored, long firstNew, List<StoredMessage> before) {
    }

    /**
     * Stores messages in one round trip; returns where each landed, in order. A message whose
     * sender already stored its client id (within {@link Protocol#SEND_ID_RETENTION}) is not
     * stored again: it gets the original id and ts. With {@code after} (the last fan-out id the
     * caller delivered; -1 for none), the same round trip returns up to {@code beforeMax}
     * fan-out entries that other replicas stored between it and this batch.
     */
    public StoreResult store(List<NewMessage> batch, long ts, long after, int beforeMax) {
        List<byte[]> keys = new ArrayList<>(3 + batch.size() * 4);
        keys.add(utf8(Keys.USERS));
        keys.add(utf8(Keys.SEQ));
        keys.add(utf8(Keys.FANOUT));
        List<byte[]> args = new ArrayList<>(7 + batch.size() * 6);
        args.add(utf8(Integer.toString(eventsRetention)));
        args.add(utf8(Integer.toString(historyRetention)));
        args.add(utf8(Long.toString(Protocol.SEND_ID_RETENTION.toMillis())));
        args.add(utf8(Integer.toString(batch.size())));
        args.add(utf8(Long.toString(after)));
        args.add(utf8(Integer.toString(beforeMax)));
        args.add(utf8(Long.toString(ts)));
        for (NewMessage m : batch) {
            // Lua indexes KEYS from 1
            byte[] first = utf8(Integer.toString(keys.size() + 1));
            keys.add(utf8(Keys.conversation(m.from(), m.to())));
            keys.add(utf8(Keys.peers(m.from())));
            keys.add(utf8(Keys.peers(m.to())));
            if (m.clientId() != null) {
                keys.add(utf8(Keys.sentId(m.from(), m.clientId())));
            }
            byte[] from = utf8(m.from());
            byte[] to = utf8(m.to());
            byte[] text = utf8(m.text());
            args.add(from);
            args.add(to);
            args.add(text);
            // packed here rather than in Lua, where it cost Redis about a microsecond a message
            args.add(fanOutPiece(from, to, text, utf8(m.origin())));
            args.add(first);
            args.add(m.clientId() != null ? ONE : ZERO);
        }
        Object reply;
        try (Jedis jedis = pool.getResource()) {
            // binary: the fan-out entries it returns hold length-prefixed bytes (see fanOutMessages)
            reply = storeMessages.runBinary(jedis, keys, args);
        }
        List<?> r = (List<?>) reply;
        int n = batch.size();
        Stored[] out = new Stored[n];
        for (int i = 0; i < n; i++) {
            out[i] = new Stored(((Number) r.get(2 * i)).longValue(), ((Number) r.get(2 * i + 1)).longValue());
        }
        long firstNew = ((Number) r.get(2 * n)).longValue();
        List<StoredMessage> before = null;
        if (r.get(2 * n + 1) instanceof List<?> entries) {
            try {
                before = new ArrayList<>();
                for (Object e : entries) {
                    before.addAll(fanOutMessages((List<?>) e));
                }
            } catch (RuntimeException e) {
                // the batch is stored all the same; the dispatcher reads the entries and reports
                // the one it cannot read
                before = null;
            }
        }
        return new StoreResult(out, firstNew, before);
    }

    /** The newest {@code limit} messages of a conversation older than {@code before}, oldest first. */
    public List<ChatMessage> history(String user, String with, Long before, int limit) {
        String end = before == null ? "+" : "(" + before + "-0";
        List<StreamEntry> entries;
        try (Jedis jedis = pool.getResource()) {
            entries = jedis.xrevrange(Keys.conversation(user, with), end, "-", limit);
        }
        List<ChatMessage> out = new ArrayList<>(entries.size());
        for (int i = entries.size() - 1; i >= 0; i--) {
            out.add(toMessage(entries.get(i)));
        }
        return out;
    }

    /**
     * Every message visible to {@code user} with an id above {@code since}, in id order: the
     * broadcast conversation and each of the user's DM conversations, merged.
     * <p>
     * The reads are capped at the id sequence as it stood when they began. The conversations are
     * read in several commands (and pages), and messages keep arriving between them: uncapped, a
     * conversation read later could return a newer id than a message that landed in one read
     * earlier, and the session, which writes ids in increasing order only, would then drop that
     * message as already sent. Every id up to the cap is fully stored (the store script is
     * atomic); everything above it is stored after the caller's session was registered, so it
     * arrives live.
     */
    public List<ChatMessage> since(String user, long since) {
        List<String> conversations = new ArrayList<>();
        conversations.add(Keys.BROADCAST);
        try (Jedis jedis = pool.getResource()) {
            String seq = jedis.get(Keys.SEQ);
            String upTo = (seq == null ? "0" : seq) + "-0";
            for (String peer : jedis.smembers(Keys.peers(user))) {
                conversations.add(Keys.conversation(user, peer));
            }
            List<ChatMessage> out = new ArrayList<>();
            List<String> pending = conversations;
            Map<String, Long> cursor = new HashMap<>();
            while (!pending.isEmpty()) {
                Pipeline pipe = jedis.pipelined();
                List<Response<List<StreamEntry>>> pages = new ArrayList<>(pending.size());
                for (String conv : pending) {
                    long from = cursor.getOrDefault(conv, since);
                    pages.add(pipe.xrange(conv, "(" + from + "-0", upTo, CATCH_UP_PAGE));
                }
                pipe.sync();
                List<String> more = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    List<StreamEntry> page = pages.get(i).get();
                    for (StreamEntry e : page) {
                        out.add(toMessage(e));
                    }
                    if (page.size() == CATCH_UP_PAGE) {
                        cursor.put(pending.get(i), page.get(page.size() - 1).getID().getTime());
                        more.add(pending.get(i));
                    }
                }
                pending = more;
            }
            out.sort(Comparator.comparingLong(ChatMessage::id));
            return out;
        }
    }

    // ------------------------------------------------------------------ read positions

    /**
     * The conversations of {@code user} (broadcast first, then DMs by name) with messages from
     * others above the user's read position, each with the newest {@code preview} of them.
     */
    public List<ServerFrame.Unread.Conversation> unread(String user, int preview, int cap) {
        List<String> names = new ArrayList<>();
        names.add(Protocol.BROADCAST);
        try (Jedis jedis = pool.getResource()) {
            names.addAll(new TreeSet<>(jedis.smembers(Keys.peers(user))));
            List<String> keys = new ArrayList<>(names.size() + 2);
            keys.add(Keys.readPositions(user));
            keys.add(Keys.SEQ);
            List<String> args = new ArrayList<>(names.size() + 3);
            args.add(user);
            args.add(Integer.toString(preview));
            args.add(Integer.toString(cap));
            for (String name : names) {
                keys.add(Keys.conversation(user, name));
                args.add(name);
            }
            List<ServerFrame.Unread.Conversation> out = new ArrayList<>();
            for (Object row : (List<?>) unread.run(jedis, keys, args)) {
                List<?> r = (List<?>) row;
                List<ChatMessage> messages = new ArrayList<>();
                for (Object m : (List<?>) r.get(3)) {
                    List<?> f = (List<?>) m;
                    messages.add(new ChatMessage(Long.parseLong(text(f.get(0))), text(f.get(1)), text(f.get(2)),
                            text(f.get(3)), Long.parseLong(text(f.get(4)))));
                }
                out.add(new ServerFrame.Unread.Conversation(text(r.get(0)), ((Long) r.get(1)).intValue(),
                        (Long) r.get(2), messages));
            }
            return out;
        }
    }

    /** Moves {@code user}'s read position in the conversation with {@code with} forward to {@code id}. */
    public void markRead(String user, String with, long id) {
        try (Jedis jedis = pool.getResource()) {
            markRead.run(jedis, List.of(Keys.readPositions(user), Keys.conversation(user, with), Keys.SEQ),
                    List.of(with, Long.toString(id)));
        }
    }

    /**
     * The id of the newest message in the fan-out stream, or in the one of earlier versions if
     * that is newer (a rolling upgrade); 0 when both are empty.
     */
    public long lastEventId() {
        long newest = 0;
        try (Jedis jedis = pool.getResource()) {
            for (String stream : List.of(Keys.FANOUT, Keys.LEGACY_EVENTS)) {
                Object last = jedis.sendCommand(redis.clients.jedis.Protocol.Command.XREVRANGE, stream, "+", "-",
                        "COUNT", "1");
                for (Object entry : (List<?>) last) {
                    List<StoredMessage> messages = fanOutMessages((List<?>) entry);
                    newest = Math.max(newest, messages.get(messages.size() - 1).message().id());
                }
            }
        }
        return newest;
    }

    static ChatMessage toMessage(StreamEntry e) {
        return message(e.getID().getTime(), e.getFields());
    }

    /**
     * The messages of a stream entry in its raw form ({@code [id, [field, value, ...]]}, as
     * {@code XRANGE} and {@code XREAD} return it): a batch from {@link Keys#FANOUT}, whose ids run
     * from the entry's id on and whose {@code msgs} field holds from, to, text and origin of each
     * message, each as its length in bytes, {@code ':'}, then its bytes (see
     * {@code store-messages.lua}); or, from {@link Keys#LEGACY_EVENTS}, one message.
     */
    static List<StoredMessage> fanOutMessages(List<?> entry) {
        long firstId = entryId(entry);
        List<?> fields = (List<?>) entry.get(1);
        Map<String, Object> f = new HashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            f.put(text(fields.get(i)), fields.get(i + 1));
        }
        if (!f.containsKey("msgs")) {
            Map<String, String> legacy = new HashMap<>();
            f.forEach((k, v) -> legacy.put(k, text(v)));
            return List.of(new StoredMessage(message(firstId, legacy), legacy.get("origin")));
        }
        int n = Integer.parseInt(text(f.get("n")));
        long ts = Long.parseLong(text(f.get("ts")));
        byte[] packed = (byte[]) f.get("msgs");
        if (n < 1) {
            throw new IllegalStateException("fan-out entry " + firstId + " holds " + n + " messages");
        }
        List<StoredMessage> out = new ArrayList<>(n);
        int[] at = {0};
        for (int i = 0; i < n; i++) {
            String from = unpack(packed, at, firstId);
            String to = unpack(packed, at, firstId);
            String text = unpack(packed, at, firstId);
            String origin = unpack(packed, at, firstId);
            out.add(new StoredMessage(new ChatMessage(firstId + i, from, to, text, ts), origin));
        }
        if (at[0] != packed.length) {
            throw new IllegalStateException("fan-out entry " + firstId + " holds more than its " + n + " messages");
        }
        return out;
    }

    /**
     * One message as it goes into a fan-out entry's msgs field: from, to, text and origin, each as
     * its length in bytes, {@code ':'}, then its bytes; {@link #fanOutMessages} reads it back.
     */
    static byte[] fanOutPiece(byte[] from, byte[] to, byte[] text, byte[] origin) {
        byte[][] parts = {from, to, text, origin};
        byte[][] lengths = new byte[parts.length][];
        int size = 0;
        for (int i = 0; i < parts.length; i++) {
            lengths[i] = Integer.toString(parts[i].length).getBytes(StandardCharsets.US_ASCII);
            size += lengths[i].length + 1 + parts[i].length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (int i = 0; i < parts.length; i++) {
            out.put(lengths[i]).put((byte) ':').put(parts[i]);
        }
        return out.array();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The id of a raw stream entry ({@code [id, fields]}), the part before its {@code -0}. */
    static long entryId(List<?> entry) {
        String id = text(entry.get(0));
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    /** The length-prefixed string at {@code at[0]} of a fan-out entry's msgs; moves {@code at[0]} past it. */
    private static String unpack(byte[] packed, int[] at, long entry) {
        int i = at[0];
        int length = 0;
        while (i < packed.length && packed[i] != ':') {
            int digit = packed[i++] - '0';
            if (digit < 0 || digit > 9 || length > (Integer.MAX_VALUE - 9) / 10) {
                throw new IllegalStateException("fan-out entry " + entry + " is malformed at byte " + i);
            }
            length = length * 10 + digit;
        }
        i++;
        if (i > packed.length || length > packed.length - i) {
            throw new IllegalStateException("fan-out entry " + entry + " is cut short at byte " + at[0]);
        }
        at[0] = i + length;
        return new String(packed, i, length, StandardCharsets.UTF_8);
    }

    /** A message from a stream entry's id and fields, however the entry was read. */
    private static ChatMessage message(long id, Map<String, String> f) {
        return new ChatMessage(id, f.get("from"), f.get("to"), f.get("text"), Long.parseLong(f.get("ts")));
    }

    // ------------------------------------------------------------------ users

    /** The stored password hash of a user, or null when the user is not registered. */
    public String passwordHash(String user) {
        try (Jedis jedis = pool.getResource()) {
            return jedis.hget(Keys.USERS, user);
        }
    }

    /**
     * What a login needs to know about a name, in one round trip, with the account's failure
     * backoff applied (see {@code login-attempt.lua}).
     *
     * @param passwordHash     the stored hash, null when {@code user} is not registered
     * @param registeredAs     the registered name equal to {@code user} but for case, null if none
     * @param lockedMillis     how long the account's logins stay refused; above 0, check nothing
     * @param failures         wrong passwords counted for the account, this attempt included if counted
     * @param lockIfWrongMillis above 0: this attempt was counted as a failure already and the account
     *                         is locked this long unless the password proves right
     */
    public record Account(String passwordHash, String registeredAs, long lockedMillis, long failures,
                          long lockIfWrongMillis) {
    }

    public Account account(String user) {
        if (!logins.backoffEnabled()) {
            try (Jedis jedis = pool.getResource()) {
                Pipeline pipe = jedis.pipelined();
                Response<String> hash = pipe.hget(Keys.USERS, user);
                Response<String> holder = pipe.hget(Keys.NAMES, Keys.nameIndexField(user));
                pipe.sync();
                return new Account(hash.get(), holder.get(), 0, 0, 0);
            }
        }
        Object reply;
        try (Jedis jedis = pool.getResource()) {
            reply = loginAttempt.run(jedis, loginKeys(user), loginArgs("check", user));
        }
        List<?> r = (List<?>) reply;
        return new Account(text(r.get(0)), text(r.get(1)), ((Number) r.get(2)).longValue(),
                ((Number) r.get(3)).longValue(), ((Number) r.get(4)).longValue());
    }

    /** Counts a wrong password that {@link #account} did not count; returns how long the account is now locked. */
    public long loginFailed(String user) {
        if (!logins.backoffEnabled()) {
            return 0;
        }
        try (Jedis jedis = pool.getResource()) {
            return ((Number) loginAttempt.run(jedis, loginKeys(user), loginArgs("failed", user))).longValue();
        }
    }

    /** Forgets an account's wrong passwords after a right one, lifting any lock. */
    public void loginSucceeded(String user) {
        try (Jedis jedis = pool.getResource()) {
            jedis.del(Keys.authFailures(user));
        }
    }

    private static List<String> loginKeys(String user) {
        return List.of(Keys.USERS, Keys.NAMES, Keys.authFailures(user));
    }

    private List<String> loginArgs(String mode, String user) {
        return List.of(mode, user, Keys.nameIndexField(user),
                Integer.toString(ServerConfig.LoginLimits.FAILURES_BEFORE_BACKOFF),
                Long.toString(logins.backoff().toMillis()), Long.toString(logins.longestLock().toMillis()),
                Long.toString(logins.failureMemory().toMillis()));
    }

    private static String text(Object reply) {
        return reply == null ? null : reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : reply.toString();
    }

    /**
     * Replaces {@code user}'s password hash with {@code stronger} if it is still {@code current};
     * false when it changed meanwhile (another replica rehashed it first), which leaves it alone.
     */
    public boolean replacePasswordHash(String user, String current, String stronger) {
        try (Jedis jedis = pool.getResource()) {
            return ((Number) replaceHash.run(jedis, List.of(Keys.USERS), List.of(user, current, stronger))).longValue() == 1;
        }
    }

    /**
     * Registers a user unless the name is taken in any case ({@code Alice} once {@code alice}
     * exists); returns null when it registered the name, else the registered name that holds it:
     * {@code user} itself (registered meanwhile) or a variant in another case.
     */
    public String register(String user, String passwordHash) {
        Object reply;
        try (Jedis jedis = pool.getResource()) {
            reply = registerUser.run(jedis, List.of(Keys.USERS, Keys.NAMES, Keys.readPositions(user), Keys.SEQ),
                    List.of(user, Keys.nameIndexField(user), passwordHash));
        }
        String holder = text(reply);
        return holder == null || holder.isEmpty() ? null : holder;
    }

    /**
     * Adds every registered name to the case-insensitive index, for accounts registered before
     * the index existed (or by a replica that did not keep it, during a rolling upgrade). A name
     * already indexed keeps its entry. Returns how many names it added.
     */
    public long indexNames() {
        long added = 0;
        try (Jedis jedis = pool.getResource()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams page = new ScanParams().count(NAME_INDEX_PAGE);
            do {
                ScanResult<Map.Entry<String, String>> users = jedis.hscan(Keys.USERS, cursor, page);
                Pipeline pipe = jedis.pipelined();
                List<Response<Long>> set = new ArrayList<>(users.getResult().size());
                for (Map.Entry<String, String> user : users.getResult()) {
                    set.add(pipe.hsetnx(Keys.NAMES, Keys.nameIndexField(user.getKey()), user.getKey()));
                }
                pipe.sync();
                for (Response<Long> r : set) {
                    added += r.get();
                }
                cursor = users.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        }
        return added;
    }

    /** Stores a resume token's digest for {@code user}, expiring after {@code ttl}. */
    public void saveResumeToken(String digest, String user, Duration ttl) {
        try (Jedis jedis = pool.getResource()) {
            jedis.psetex(Keys.resumeToken(digest), ttl.toMillis(), user);
        }
    }

    /** The user of a resume token, which is removed: null when it is unknown or expired. */
    public String takeResumeToken(String digest) {
        try (Jedis jedis = pool.getResource()) {
            return jedis.getDel(Keys.resumeToken(digest));
        }
    }

    public void deleteResumeToken(String digest) {
        try (Jedis jedis = pool.getResource()) {
            jedis.del(Keys.resumeToken(digest));
        }
    }

    /** The newest message id of the service (0 before the first message). */
    public long lastId() {
        try (Jedis jedis = pool.getResource()) {
            String seq = jedis.get(Keys.SEQ);
            return seq == null ? 0 : Long.parseLong(seq);
        }
    }

    public boolean userExists(String user) {
        if (Protocol.BROADCAST.equals(user)) {
            return true;
        }
        try (Jedis jedis = pool.getResource()) {
            return jedis.hexists(Keys.USERS, user);
        }
    }

    // ------------------------------------------------------------------ presence

    /** Replaces this replica's online users and renews its heartbeat. */
    public void publishPresence(String node, Collection<String> users, long now, int ttlSeconds) {
        List<String> args = new ArrayList<>(users.size() + 3);
        args.add(node);
        args.add(Long.toString(now));
        args.add(Integer.toString(ttlSeconds));
        args.addAll(users);
        try (Jedis jedis = pool.getResource()) {
            publishPresence.run(jedis, List.of(Keys.online(node), Keys.NODES), args);
        }
    }

    /** Adds one user to this replica's online users, renewing its heartbeat. */
    public void enterPresence(String node, String user, long now, int ttlSeconds) {
        try (Jedis jedis = pool.getResource()) {
            enterPresence.run(jedis, List.of(Keys.online(node), Keys.NODES),
                    List.of(node, Long.toString(now), Integer.toString(ttlSeconds), user));
        }
    }

    /** Removes one user from this replica's online users. */
    public void leavePresence(String node, String user) {
        try (Jedis jedis = pool.getResource()) {
            jedis.srem(Keys.online(node), user);
        }
    }

    /** Renews this replica's heartbeat; false when its set of online users is missing from Redis. */
    public boolean presenceHeartbeat(String node, long now, int ttlSeconds) {
        try (Jedis jedis = pool.getResource()) {
            Object present = presenceHeartbeat.run(jedis, List.of(Keys.online(node), Keys.NODES),
                    List.of(node, Long.toString(now), Integer.toString(ttlSeconds)));
            return present instanceof Long n && n == 1;
        }
    }

    /** Removes this replica from presence at shutdown. */
    public void withdrawPresence(String node) {
        try (Jedis jedis = pool.getResource()) {
            jedis.del(Keys.online(node));
            jedis.zrem(Keys.NODES, node);
        }
    }

    /** Users online on any replica with a fresh heartbeat, sorted. */
    public List<String> onlineUsers(long now, long ttlMillis) {
        Object reply;
        try (Jedis jedis = pool.getResource()) {
            reply = onlineUsers.run(jedis, List.of(Keys.NODES),
                    List.of(Long.toString(now), Long.toString(ttlMillis), Keys.ONLINE_PREFIX));
        }
        Set<String> users = new TreeSet<>();
        for (Object o : (List<?>) reply) {
            users.add(o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : o.toString());
        }
        return List.copyOf(users);
    }

    @Override
    public void close() {
        pool.close();
    }
}
